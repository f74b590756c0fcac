/* Minutiae template formats: detection, strict decoding, encoding.
 * Byte layouts and validation rules: shared FORMATS.md, summarised in docs/formats.md. */
#ifndef MNT_TEMPLATE_IO_H
#define MNT_TEMPLATE_IO_H

#include <stddef.h>
#include <stdint.h>

#include "bytes.h"
#include "template.h"

typedef enum {
    MNT_FMT_UNKNOWN = 0,
    MNT_FMT_ISO2005,   /* ISO/IEC 19794-2:2005 */
    MNT_FMT_ANSI378,   /* ANSI INCITS 378-2004 */
    MNT_FMT_ISO2011,   /* ISO/IEC 19794-2:2011 */
    MNT_FMT_XYT,       /* NIST xyt, NIST frame (bottom-left, angle opposite) */
    MNT_FMT_XYT_M1,    /* NIST xyt, M1 frame (top-left, degrees) */
    MNT_FMT_JSON,      /* the project's JSON */
    MNT_FMT_FINGERNET, /* FingerNet .mnt, read only */
    MNT_FMT_AN2K       /* ANSI/NIST-ITL transaction, Type-9 minutiae (io/an2k/an2k.h) */
} mnt_format;

typedef struct {
    int lenient;      /* accept recoverable faults with a warning in diag->warn */
    int xyt_m1;       /* text xyt is in the M1 frame */
    int height;       /* image height for the NIST xyt frame (0 = unknown) */
    int width;        /* optional, for xyt/JSON -> binary conversions */
    double ppi;       /* optional resolution for formats that do not carry one */
} mnt_read_opts;

typedef struct {
    uint32_t cbeff;   /* ANSI product identifier, 0 = project default */
} mnt_write_opts;

enum { MNT_MAX_TEMPLATE_FILE = 16u << 20 };

const char *mnt_format_name(mnt_format f);
/* Parses "iso", "ansi", "iso2011", "xyt", "xyt-m1", "json", "an2k"; MNT_FMT_UNKNOWN if none. */
mnt_format mnt_format_from_name(const char *s);

/* Finds the format from content. Known-but-unimplemented versions (ANSI 378-2009)
 * give MNT_ERR_UNSUPPORTED with the reason. ANSI/NIST-ITL tagged records (a
 * transaction starting 1.001:, or a bare Type-9 record 9.001:) are MNT_FMT_AN2K. A text xyt is
 * reported as MNT_FMT_XYT or MNT_FMT_XYT_M1 from opts->xyt_m1. */
int mnt_template_detect(const uint8_t *data, size_t len, const mnt_read_opts *opts, mnt_format *fmt, mnt_diag *d);

int mnt_template_decode(const uint8_t *data, size_t len, mnt_format fmt, const mnt_read_opts *opts,
                        mnt_template *t, mnt_diag *d);
int mnt_template_encode(const mnt_template *t, mnt_format fmt, const mnt_write_opts *opts, mnt_buf *out,
                        mnt_diag *d);

/* Whole-file helpers: detect (fmt may be NULL), decode; encode, write atomically. */
int mnt_template_read_file(const char *path, const mnt_read_opts *opts, mnt_format *fmt, mnt_template *t,
                           mnt_diag *d);
int mnt_template_write_file(const char *path, const mnt_template *t, mnt_format fmt,
                            const mnt_write_opts *opts, mnt_diag *d);

/* Per-format entry points (used by the dispatcher and the tests). */
int mnt_fmr2004_decode(const uint8_t *data, size_t len, int ansi, int lenient, mnt_template *t, mnt_diag *d);
int mnt_fmr2004_encode(const mnt_template *t, int ansi, uint32_t cbeff, mnt_buf *out, mnt_diag *d);
int mnt_iso2011_decode(const uint8_t *data, size_t len, int lenient, mnt_template *t, mnt_diag *d);
int mnt_iso2011_encode(const mnt_template *t, mnt_buf *out, mnt_diag *d);
int mnt_xyt_decode(const char *text, size_t len, int m1, int height, mnt_template *t, mnt_diag *d);
int mnt_xyt_encode(const mnt_template *t, int m1, mnt_buf *out, mnt_diag *d);
int mnt_json_template_decode(const char *text, size_t len, mnt_template *t, mnt_diag *d);
int mnt_json_template_encode(const mnt_template *t, mnt_buf *out, mnt_diag *d);
int mnt_fingernet_decode(const char *text, size_t len, mnt_template *t, mnt_diag *d);

#endif
