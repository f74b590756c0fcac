/* ANSI/NIST-ITL 1-2011 transactions (traditional encoding): a strict parser of Type-1,
 * the binary Type-4 and the tagged records (Types 2, 9, 10, 13, 14 and any other tagged
 * type, kept as fields), the image of each friction-ridge record (Type-4/13/14), Type-9
 * minutiae (legacy 9.005..9.012 and EFS 9.331) in and out, and a transaction writer.
 * The parser keeps offsets into the caller's buffer (not copied): keep it alive. */
#ifndef MNT_AN2K_H
#define MNT_AN2K_H

#include <stddef.h>
#include <stdint.h>

#include "bytes.h"
#include "image.h"
#include "template.h"

enum {
    MNT_AN2K_MAX_RECORDS = 1000, /* CNT entries (the standard's IDC and count limits) */
    MNT_AN2K_MAX_FIELDS = 1000,  /* fields per tagged record */
    MNT_AN2K_MAX_MINUTIAE = 999  /* 3-digit minutia index of 9.012 */
};

#define MNT_AN2K_FS 0x1C
#define MNT_AN2K_GS 0x1D
#define MNT_AN2K_RS 0x1E
#define MNT_AN2K_US 0x1F

typedef struct {
    int num;          /* field number (the NNN of T.NNN) */
    size_t off, len;  /* value bytes, offsets into the transaction */
} mnt_an2k_field;

typedef struct {
    int type;          /* record type */
    int idc;           /* information designation character; -1 for Type-1 */
    size_t off, len;   /* the whole record in the transaction */
    int tagged;
    size_t nfields;
    mnt_an2k_field *fields; /* tagged records only */
    /* friction-ridge image records (Type-4, 13, 14) */
    int is_image;
    int imp, fgp;
    int width, height;
    double ppi;        /* from the record (SLC/THPS) or Type-1 NSR for Type-4; 0 unknown */
    const char *compression; /* "NONE", "WSQ20", "JPEGB", "JPEGL", "JP2", "JP2L", "PNG" */
    int bpx;
    size_t img_off, img_len;
} mnt_an2k_record;

typedef struct {
    const uint8_t *data;
    size_t len;
    char version[8];   /* 1.002 */
    double nsr_ppmm;   /* 1.011 native scanning resolution, 0 when 00.00 / absent */
    size_t nrec;       /* records including Type-1 (rec[0]) */
    mnt_an2k_record *rec;
} mnt_an2k;

/* 1 when data starts with a tagged-record tag "1.001:" (a transaction) or "9.001:"
 * (a bare Type-9 record). */
int mnt_an2k_sniff(const uint8_t *data, size_t len);

/* Parses a whole transaction: Type-1 first, then the records 1.003 CNT lists, in
 * order, each checked against CNT (type and IDC), lengths within the file, tags
 * numeric and ascending, separators nested (US in RS in GS, FS ends a record), nothing
 * after the last record. Errors name the record and field in one line. */
int mnt_an2k_parse(const uint8_t *data, size_t len, mnt_an2k *t, mnt_diag *d);
void mnt_an2k_free(mnt_an2k *t);

/* Field num of a tagged record, NULL when absent. */
const mnt_an2k_field *mnt_an2k_get(const mnt_an2k_record *r, int num);

/* Decodes the image of friction-ridge record k (NONE: 8-bit HLL x VLL, WSQ20, JPEGB,
 * JPEGL, JP2, JP2L, PNG) and checks its size against HLL/VLL; im->ppi = the record's. */
int mnt_an2k_decode_image(const mnt_an2k *t, size_t k, size_t max_pixels, mnt_image *im, mnt_diag *d);

/* Output label of image record k: its IDC ("3"), or "IDC.rK" when an earlier image
 * record has the same IDC (K = 1-based record index). */
void mnt_an2k_record_label(const mnt_an2k *t, size_t k, char *out, size_t cap);

/* Type-9 records of t as views of one template (legacy 9.012 positions are from the
 * bottom edge: the height comes from the image record of the same IDC, else height_hint;
 * EFS 9.331 is preferred when present). A bare Type-9 record (no Type-1) is read too. */
int mnt_an2k_decode_minutiae(const uint8_t *data, size_t len, int height_hint, double ppi_hint, mnt_template *tp,
                             mnt_diag *d);

/* Appends a Type-9 record (IDC idc, impression imp) for view v of tp: FMT S, legacy
 * 9.005..9.012 (no ridge counts) and EFS 9.300 ROI, 9.302 FPP, 9.331 MIN. */
int mnt_an2k_put_type9(mnt_buf *out, const mnt_template *tp, size_t v, int idc, int imp, mnt_diag *d);

/* A whole transaction: Type-1 (fields of type1_src copied except LEN and CNT when given,
 * else a minimal one), the given record bytes (type/IDC listed), then Type-9 records. */
typedef struct {
    int type, idc;
    const uint8_t *bytes;
    size_t len;
} mnt_an2k_raw_record;
int mnt_an2k_write(mnt_buf *out, const mnt_an2k *type1_src, const mnt_an2k_raw_record *recs, size_t nrecs,
                   const mnt_template *tp, const int *view_idc, mnt_diag *d);

/* A Type-13 (latent) record holding im as PNG, 8 bits, SLC 1 (ppi). */
int mnt_an2k_put_type13_png(mnt_buf *out, const mnt_image *im, int idc, mnt_diag *d);

#endif
