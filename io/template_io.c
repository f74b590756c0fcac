#include "template_io.h"

#include <stdlib.h>
#include <string.h>

#include "file_io.h"
#include "text_lines.h"

static const struct {
    mnt_format fmt;
    const char *name;
    const char *label;
} FORMATS[] = {
    {MNT_FMT_ISO2005, "iso", "ISO/IEC 19794-2:2005"},
    {MNT_FMT_ANSI378, "ansi", "ANSI INCITS 378-2004"},
    {MNT_FMT_ISO2011, "iso2011", "ISO/IEC 19794-2:2011"},
    {MNT_FMT_XYT, "xyt", "NIST xyt (NIST frame)"},
    {MNT_FMT_XYT_M1, "xyt-m1", "NIST xyt (M1 frame)"},
    {MNT_FMT_JSON, "json", "minutiae JSON"},
    {MNT_FMT_FINGERNET, "mnt", "FingerNet .mnt"},
};

const char *mnt_format_name(mnt_format f)
{
    for (size_t i = 0; i < sizeof FORMATS / sizeof *FORMATS; i++)
        if (FORMATS[i].fmt == f) return FORMATS[i].label;
    return "unknown";
}

mnt_format mnt_format_from_name(const char *s)
{
    for (size_t i = 0; i < sizeof FORMATS / sizeof *FORMATS; i++)
        if (!strcmp(FORMATS[i].name, s)) return FORMATS[i].fmt;
    return MNT_FMT_UNKNOWN;
}

static unsigned be16(const uint8_t *p) { return (unsigned)p[0] << 8 | p[1]; }
static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

/* ISO 2011 and ANSI 378-2009 share version "030": the ISO layout is the one whose
 * representation lengths add up to the record length (FingerprintIO's test). */
static int iso2011_lengths_tile(const uint8_t *data, size_t len)
{
    if (len < 15) return 0;
    uint32_t total = be32(data + 8);
    unsigned nrep = be16(data + 12);
    size_t pos = 15;
    for (unsigned i = 0; i < nrep; i++) {
        if (pos + 4 > len) return 0;
        uint32_t r = be32(data + pos);
        if (r < 4 || r > len - pos) return 0;
        pos += r;
    }
    return nrep > 0 && pos == total;
}

static int looks_like_an2k(const uint8_t *s, size_t len)
{
    size_t i = 0;
    while (i < len && i < 3 && s[i] >= '0' && s[i] <= '9') i++;
    if (i == 0 || i >= len || s[i] != '.') return 0;
    size_t j = i + 1, k = j;
    while (k < len && k < j + 3 && s[k] >= '0' && s[k] <= '9') k++;
    return k > j && k < len && s[k] == ':';
}

int mnt_template_detect(const uint8_t *data, size_t len, const mnt_read_opts *opts, mnt_format *fmt, mnt_diag *d)
{
    *fmt = MNT_FMT_UNKNOWN;
    if (len >= 8 && memcmp(data, "FMR\0", 4) == 0) {
        if (memcmp(data + 4, " 20\0", 4) == 0) {
            if (len < 12) return mnt_fail(d, MNT_ERR_FORMAT, "truncated finger minutiae record (%zu bytes)", len);
            /* The two ' 20' layouts differ in the length field: ISO 2005 has a u32 (header
             * 24 bytes), ANSI 378-2004 a u16, or 0 and a u32 (header 26 or 30). The format
             * is the one whose length is the file's (lenient: at most the file's); a length
             * that fits neither is reported, not guessed from. */
            unsigned a = be16(data + 8);
            uint32_t iso_len = be32(data + 8), ansi_len = a ? a : len >= 14 ? be32(data + 10) : 0;
            size_t ansi_header = a ? 26 : 30;
            int lenient = opts && opts->lenient;
            int iso_ok = iso_len >= 24 && (iso_len == len || (lenient && iso_len < len));
            int ansi_ok = ansi_len >= ansi_header && (ansi_len == len || (lenient && ansi_len < len));
            if (iso_ok && ansi_ok) /* lenient with trailing bytes: the length field's shape decides */
                *fmt = a >= 26 ? MNT_FMT_ANSI378 : a >= 1 || be16(data + 10) >= 24 ? MNT_FMT_ISO2005 : MNT_FMT_ANSI378;
            else if (iso_ok || ansi_ok)
                *fmt = iso_ok ? MNT_FMT_ISO2005 : MNT_FMT_ANSI378;
            else
                return mnt_fail(d, MNT_ERR_FORMAT,
                                "finger minutiae record (version ' 20') truncated or with a bad record length: the file has %zu "
                                "bytes, its length field says %u as ISO/IEC 19794-2:2005 and %u as ANSI INCITS 378-2004",
                                len, (unsigned)iso_len, (unsigned)ansi_len);
            return MNT_OK;
        }
        if (memcmp(data + 4, "030\0", 4) == 0) {
            if (iso2011_lengths_tile(data, len)) {
                *fmt = MNT_FMT_ISO2011;
                return MNT_OK;
            }
            if (opts && opts->lenient && len >= 15 && be32(data + 8) < len && iso2011_lengths_tile(data, be32(data + 8))) {
                *fmt = MNT_FMT_ISO2011;
                return MNT_OK;
            }
            return mnt_fail(d, MNT_ERR_UNSUPPORTED,
                            "unsupported version: version '030' record without the ISO/IEC 19794-2:2011 layout, i.e. ANSI INCITS 378-2009, which is not implemented");
        }
        if (memcmp(data + 4, "035\0", 4) == 0)
            return mnt_fail(d, MNT_ERR_UNSUPPORTED, "unsupported version: ANSI INCITS 378-2009/AM1 (version '035') is not implemented");
        char v[4];
        for (int i = 0; i < 3; i++) v[i] = (data[4 + i] >= 0x20 && data[4 + i] < 0x7F) ? (char)data[4 + i] : '?';
        v[3] = 0;
        return mnt_fail(d, MNT_ERR_FORMAT, "finger minutiae record with invalid version '%s' (expected ' 20' or '030')", v);
    }
    if (looks_like_an2k(data, len))
        return mnt_fail(d, MNT_ERR_UNSUPPORTED, "unsupported format: ANSI/NIST-ITL tagged records (Type-9) are not implemented yet");
    const char *s = (const char *)data;
    if (!mnt_is_text(s, len)) return mnt_fail(d, MNT_ERR_FORMAT, "unrecognised template format (binary, not a finger minutiae record)");
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) i++;
    if (i < len && s[i] == '{') {
        *fmt = MNT_FMT_JSON;
        return MNT_OK;
    }
    /* xyt lines are all numeric; a FingerNet file starts with the image name */
    mnt_lines it = {s, len, 0, 0, {0}};
    int r;
    while ((r = mnt_lines_next(&it)) == 1) {
        char *tok[MNT_MAX_TOKENS];
        int n = mnt_split_tokens(it.line, tok, MNT_MAX_TOKENS);
        if (n == 0) continue;
        long v;
        double dv;
        int numeric = 1;
        for (int k = 0; k < n && k < MNT_MAX_TOKENS; k++)
            if (!mnt_parse_long(tok[k], &v) && !mnt_parse_double(tok[k], &dv)) numeric = 0;
        if (numeric && (n == 3 || n == 4)) {
            *fmt = opts && opts->xyt_m1 ? MNT_FMT_XYT_M1 : MNT_FMT_XYT;
            return MNT_OK;
        }
        if (!numeric && it.lineno == 1) {
            *fmt = MNT_FMT_FINGERNET;
            return MNT_OK;
        }
        break;
    }
    if (len == 0 || r == 0)
        return mnt_fail(d, MNT_ERR_FORMAT, len ? "empty template: the file holds only blank space (%zu bytes)"
                                               : "empty template: the file is empty (%zu bytes)", len);
    return mnt_fail(d, MNT_ERR_FORMAT, "unrecognised template format");
}

int mnt_template_decode(const uint8_t *data, size_t len, mnt_format fmt, const mnt_read_opts *opts, mnt_template *t,
                        mnt_diag *d)
{
    mnt_read_opts none = {0};
    if (!opts) opts = &none;
    int rc;
    const char *text = (const char *)data;
    switch (fmt) {
    case MNT_FMT_ISO2005: rc = mnt_fmr2004_decode(data, len, 0, opts->lenient, t, d); break;
    case MNT_FMT_ANSI378: rc = mnt_fmr2004_decode(data, len, 1, opts->lenient, t, d); break;
    case MNT_FMT_ISO2011: rc = mnt_iso2011_decode(data, len, opts->lenient, t, d); break;
    case MNT_FMT_XYT: rc = mnt_xyt_decode(text, len, 0, opts->height, t, d); break;
    case MNT_FMT_XYT_M1: rc = mnt_xyt_decode(text, len, 1, opts->height, t, d); break;
    case MNT_FMT_JSON: rc = mnt_json_template_decode(text, len, t, d); break;
    case MNT_FMT_FINGERNET: rc = mnt_fingernet_decode(text, len, t, d); break;
    default: return mnt_fail(d, MNT_ERR_ARG, "no decoder for this format");
    }
    if (rc) return rc;
    /* fill what the format did not carry from the caller's hints */
    if (!t->width && opts->width > 0) t->width = opts->width;
    if (!t->height && opts->height > 0) t->height = opts->height;
    if (!t->xres && opts->ppi > 0) {
        t->ppi = opts->ppi;
        t->xres = t->yres = mnt_ppi_to_ppcm(opts->ppi);
    }
    return MNT_OK;
}

int mnt_template_encode(const mnt_template *t, mnt_format fmt, const mnt_write_opts *opts, mnt_buf *out, mnt_diag *d)
{
    uint32_t cbeff = opts ? opts->cbeff : 0;
    switch (fmt) {
    case MNT_FMT_ISO2005: return mnt_fmr2004_encode(t, 0, 0, out, d);
    case MNT_FMT_ANSI378: return mnt_fmr2004_encode(t, 1, cbeff, out, d);
    case MNT_FMT_ISO2011: return mnt_iso2011_encode(t, out, d);
    case MNT_FMT_XYT: return mnt_xyt_encode(t, 0, out, d);
    case MNT_FMT_XYT_M1: return mnt_xyt_encode(t, 1, out, d);
    case MNT_FMT_JSON: return mnt_json_template_encode(t, out, d);
    default: return mnt_fail(d, MNT_ERR_ARG, "%s cannot be written", mnt_format_name(fmt));
    }
}

int mnt_template_read_file(const char *path, const mnt_read_opts *opts, mnt_format *fmt, mnt_template *t, mnt_diag *d)
{
    uint8_t *data;
    size_t len;
    int rc = mnt_read_file(path, MNT_MAX_TEMPLATE_FILE, &data, &len, d);
    if (rc) return rc;
    mnt_format f;
    rc = mnt_template_detect(data, len, opts, &f, d);
    if (!rc) rc = mnt_template_decode(data, len, f, opts, t, d);
    if (!rc && fmt) *fmt = f;
    free(data);
    return rc;
}

int mnt_template_write_file(const char *path, const mnt_template *t, mnt_format fmt, const mnt_write_opts *opts,
                            mnt_diag *d)
{
    mnt_buf b = {0};
    int rc = mnt_template_encode(t, fmt, opts, &b, d);
    if (!rc) rc = mnt_write_file_atomic(path, b.data, b.len, d);
    mnt_buf_free(&b);
    return rc;
}
