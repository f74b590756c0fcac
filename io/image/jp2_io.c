#include "jp2_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openjpeg.h>

#include "bytes.h"
#include "raster_common.h"

enum { JP2_MAX_COMPONENTS = 4, JP2_MAX_TILES = 65536 };

static const uint8_t JP2_SIG[12] = {0, 0, 0, 0x0C, 'j', 'P', ' ', ' ', 0x0D, 0x0A, 0x87, 0x0A};

static int is_j2k(const uint8_t *p, size_t len)
{
    return len >= 4 && p[0] == 0xFF && p[1] == 0x4F && p[2] == 0xFF && p[3] == 0x51;
}

int mnt_is_jp2(const uint8_t *data, size_t len)
{
    return (len >= 12 && memcmp(data, JP2_SIG, 12) == 0) || is_j2k(data, len);
}

/* ---- JP2 boxes: where the codestream starts, and the resolution box ---- */

typedef struct {
    uint32_t type;
    size_t body, len; /* body offset and length, within the parent */
} jp2_box;

/* The next box at *pos within [0, end); 0 at the end, -1 when malformed. */
static int next_box(const uint8_t *p, size_t end, size_t *pos, jp2_box *b)
{
    if (*pos >= end) return 0;
    if (end - *pos < 8) return -1;
    uint64_t lbox = mnt_be32(p + *pos);
    b->type = mnt_be32(p + *pos + 4);
    size_t hdr = 8;
    if (lbox == 1) {
        if (end - *pos < 16) return -1;
        lbox = (uint64_t)mnt_be32(p + *pos + 8) << 32 | mnt_be32(p + *pos + 12);
        hdr = 16;
    } else if (lbox == 0) {
        lbox = end - *pos; /* to the end */
    }
    if (lbox < hdr || lbox > end - *pos) return -1;
    b->body = *pos + hdr;
    b->len = (size_t)lbox - hdr;
    *pos += (size_t)lbox;
    return 1;
}

#define BOX(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/* Resolution from a 'resc' / 'resd' body: vertical then horizontal N/D*10^E grid
 * points per metre; the horizontal one is used (as for PNG and TIFF). */
static double res_ppi(const uint8_t *p)
{
    unsigned hn = (unsigned)p[4] << 8 | p[5], hd = (unsigned)p[6] << 8 | p[7];
    int he = (int8_t)p[9];
    if (hn == 0 || hd == 0 || he < -20 || he > 20) return 0;
    double ppm = (double)hn / hd * pow(10.0, he);
    return mnt_raster_ppi(ppm * 0.0254);
}

/* Walks the top-level boxes of a JP2 file: offset and length of the first
 * codestream box, and the resolution. */
static int jp2_layout(const uint8_t *p, size_t len, size_t *cs, size_t *cslen, double *ppi, mnt_diag *d)
{
    size_t pos = 0;
    jp2_box b;
    int r;
    double resc = 0, resd = 0;
    *cs = *cslen = 0;
    while ((r = next_box(p, len, &pos, &b)) == 1) {
        if (b.type == BOX('j', 'p', '2', 'h')) {
            size_t hp = b.body, hend = b.body + b.len;
            jp2_box h;
            while (next_box(p, hend, &hp, &h) == 1) {
                if (h.type != BOX('r', 'e', 's', ' ')) continue;
                size_t rp = h.body, rend = h.body + h.len;
                jp2_box rb;
                while (next_box(p, rend, &rp, &rb) == 1) {
                    if (rb.len < 10) continue;
                    if (rb.type == BOX('r', 'e', 's', 'c')) resc = res_ppi(p + rb.body);
                    if (rb.type == BOX('r', 'e', 's', 'd')) resd = res_ppi(p + rb.body);
                }
            }
        } else if (b.type == BOX('j', 'p', '2', 'c') && !*cs) {
            *cs = b.body;
            *cslen = b.len;
        }
    }
    if (r < 0 && !*cs) return mnt_fail(d, MNT_ERR_FORMAT, "corrupt JPEG 2000: JP2 box at byte %zu overruns the file", pos);
    if (!*cs) return mnt_fail(d, MNT_ERR_FORMAT, "corrupt JPEG 2000: JP2 file without a codestream box");
    *ppi = resc > 0 ? resc : resd;
    return MNT_OK;
}

/* The SIZ marker segment, checked before OpenJPEG sees the data. */
static int check_siz(const uint8_t *p, size_t len, size_t max_pixels, mnt_diag *d)
{
    if (!is_j2k(p, len)) return mnt_fail(d, MNT_ERR_FORMAT, "corrupt JPEG 2000: codestream does not start with SOC, SIZ");
    mnt_cursor c = {p, len, 4};
    unsigned lsiz, rsiz, csiz;
    uint32_t xsiz, ysiz, xo, yo, xt, yt, xto, yto;
    int rc;
    if ((rc = mnt_cur_u16(&c, &lsiz, "JPEG 2000 SIZ Lsiz", d)) || (rc = mnt_cur_u16(&c, &rsiz, "JPEG 2000 SIZ Rsiz", d)) ||
        (rc = mnt_cur_u32(&c, &xsiz, "JPEG 2000 SIZ Xsiz", d)) || (rc = mnt_cur_u32(&c, &ysiz, "JPEG 2000 SIZ Ysiz", d)) ||
        (rc = mnt_cur_u32(&c, &xo, "JPEG 2000 SIZ XOsiz", d)) || (rc = mnt_cur_u32(&c, &yo, "JPEG 2000 SIZ YOsiz", d)) ||
        (rc = mnt_cur_u32(&c, &xt, "JPEG 2000 SIZ XTsiz", d)) || (rc = mnt_cur_u32(&c, &yt, "JPEG 2000 SIZ YTsiz", d)) ||
        (rc = mnt_cur_u32(&c, &xto, "JPEG 2000 SIZ XTOsiz", d)) || (rc = mnt_cur_u32(&c, &yto, "JPEG 2000 SIZ YTOsiz", d)) ||
        (rc = mnt_cur_u16(&c, &csiz, "JPEG 2000 SIZ Csiz", d)))
        return rc;
    if (xsiz <= xo || ysiz <= yo)
        return mnt_fail(d, MNT_ERR_FORMAT, "corrupt JPEG 2000: image area %u..%u x %u..%u is empty", (unsigned)xo,
                        (unsigned)xsiz, (unsigned)yo, (unsigned)ysiz);
    if ((rc = mnt_raster_check_size("JPEG 2000", xsiz - xo, ysiz - yo, max_pixels, d))) return rc;
    if (csiz == 0 || csiz > JP2_MAX_COMPONENTS)
        return mnt_fail(d, MNT_ERR_UNSUPPORTED, "JPEG 2000: %u components are not supported (1 to %d)", csiz,
                        JP2_MAX_COMPONENTS);
    if (xt == 0 || yt == 0 || xto > xo || yto > yo)
        return mnt_fail(d, MNT_ERR_FORMAT, "corrupt JPEG 2000: bad tile grid");
    uint64_t tx = ((uint64_t)xsiz - xto + xt - 1) / xt, ty = ((uint64_t)ysiz - yto + yt - 1) / yt;
    if (tx * ty > JP2_MAX_TILES)
        return mnt_fail(d, MNT_ERR_LIMIT, "JPEG 2000: %llu tiles exceed the limit of %d",
                        (unsigned long long)(tx * ty), JP2_MAX_TILES);
    for (unsigned i = 0; i < csiz; i++) {
        unsigned ssiz, dx, dy;
        if ((rc = mnt_cur_u8(&c, &ssiz, "JPEG 2000 SIZ Ssiz", d)) || (rc = mnt_cur_u8(&c, &dx, "JPEG 2000 SIZ XRsiz", d)) ||
            (rc = mnt_cur_u8(&c, &dy, "JPEG 2000 SIZ YRsiz", d)))
            return rc;
        if ((ssiz & 0x7F) + 1 > 16)
            return mnt_fail(d, MNT_ERR_UNSUPPORTED, "JPEG 2000: %u-bit samples are not supported (at most 16)",
                            (ssiz & 0x7F) + 1);
        if (dx == 0 || dy == 0) return mnt_fail(d, MNT_ERR_FORMAT, "corrupt JPEG 2000: component subsampling 0");
    }
    (void)lsiz;
    (void)rsiz;
    return MNT_OK;
}

/* ---- OpenJPEG from memory ---- */

typedef struct {
    const uint8_t *data;
    size_t len, pos;
} jp2_mem;

typedef struct {
    char err[256];
    char warn[256];
} jp2_msgs;

static void on_error(const char *msg, void *user)
{
    jp2_msgs *m = user;
    if (m && !m->err[0]) {
        snprintf(m->err, sizeof m->err, "%s", msg);
        size_t n = strlen(m->err);
        while (n && (m->err[n - 1] == '\n' || m->err[n - 1] == ' ')) m->err[--n] = 0;
    }
}

static void on_warning(const char *msg, void *user)
{
    jp2_msgs *m = user;
    if (m) {
        snprintf(m->warn, sizeof m->warn, "%s", msg);
        size_t n = strlen(m->warn);
        while (n && (m->warn[n - 1] == '\n' || m->warn[n - 1] == ' ')) m->warn[--n] = 0;
    }
}

static void on_info(const char *msg, void *user)
{
    (void)msg;
    (void)user;
}

static OPJ_SIZE_T mem_read(void *buf, OPJ_SIZE_T n, void *user)
{
    jp2_mem *m = user;
    if (m->pos >= m->len) return (OPJ_SIZE_T)-1;
    size_t k = n < m->len - m->pos ? n : m->len - m->pos;
    memcpy(buf, m->data + m->pos, k);
    m->pos += k;
    return k;
}

static OPJ_OFF_T mem_skip(OPJ_OFF_T n, void *user)
{
    jp2_mem *m = user;
    if (n < 0) {
        if ((uint64_t)-n > m->pos) return -1;
        m->pos -= (size_t)-n;
        return n;
    }
    size_t k = (uint64_t)n < m->len - m->pos ? (size_t)n : m->len - m->pos;
    m->pos += k;
    return (OPJ_OFF_T)k;
}

static OPJ_BOOL mem_seek(OPJ_OFF_T off, void *user)
{
    jp2_mem *m = user;
    if (off < 0 || (uint64_t)off > m->len) return OPJ_FALSE;
    m->pos = (size_t)off;
    return OPJ_TRUE;
}

static float sample(const opj_image_comp_t *c, size_t i)
{
    int64_t v = c->data[i];
    if (c->sgnd) v += (int64_t)1 << (c->prec - 1);
    int64_t maxv = ((int64_t)1 << c->prec) - 1;
    v = v < 0 ? 0 : v > maxv ? maxv : v;
    return (float)v / (float)maxv;
}

int mnt_jp2_decode(const uint8_t *data, size_t len, size_t max_pixels, mnt_image *im, mnt_diag *d)
{
    memset(im, 0, sizeof *im);
    if (!mnt_is_jp2(data, len)) return mnt_fail(d, MNT_ERR_FORMAT, "not a JPEG 2000 file (bad signature)");
    int raw = is_j2k(data, len);
    size_t cs = 0, cslen = len;
    double ppi = 0;
    int rc;
    if (!raw && (rc = jp2_layout(data, len, &cs, &cslen, &ppi, d))) return rc;
    if ((rc = check_siz(data + cs, cslen, max_pixels, d))) return rc;

    jp2_msgs msgs = {{0}, {0}};
    jp2_mem mem = {data, len, 0};
    opj_codec_t *codec = opj_create_decompress(raw ? OPJ_CODEC_J2K : OPJ_CODEC_JP2);
    opj_stream_t *s = opj_stream_create(OPJ_J2K_STREAM_CHUNK_SIZE, OPJ_TRUE);
    opj_image_t *img = NULL;
    if (!codec || !s) {
        rc = mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
        goto done;
    }
    opj_set_error_handler(codec, on_error, &msgs);
    opj_set_warning_handler(codec, on_warning, &msgs);
    opj_set_info_handler(codec, on_info, &msgs);
    opj_dparameters_t par;
    opj_set_default_decoder_parameters(&par);
    if (!opj_setup_decoder(codec, &par) || !opj_decoder_set_strict_mode(codec, OPJ_TRUE)) {
        rc = mnt_fail(d, MNT_ERR_FORMAT, "JPEG 2000: decoder setup failed: %s", msgs.err);
        goto done;
    }
    opj_stream_set_user_data(s, &mem, NULL);
    opj_stream_set_user_data_length(s, len);
    opj_stream_set_read_function(s, mem_read);
    opj_stream_set_skip_function(s, mem_skip);
    opj_stream_set_seek_function(s, mem_seek);
    if (!opj_read_header(s, codec, &img) || !img) {
        rc = mnt_fail(d, MNT_ERR_FORMAT, "corrupt JPEG 2000: %s", msgs.err[0] ? msgs.err : "bad header");
        goto done;
    }
    /* the same checks on what OpenJPEG understood (a JP2 file's ihdr must agree) */
    if (img->x1 <= img->x0 || img->y1 <= img->y0) {
        rc = mnt_fail(d, MNT_ERR_FORMAT, "corrupt JPEG 2000: empty image area");
        goto done;
    }
    uint32_t w = img->x1 - img->x0, h = img->y1 - img->y0;
    if ((rc = mnt_raster_check_size("JPEG 2000", w, h, max_pixels, d))) goto done;
    if (img->numcomps == 0 || img->numcomps > JP2_MAX_COMPONENTS) {
        rc = mnt_fail(d, MNT_ERR_UNSUPPORTED, "JPEG 2000: %u components are not supported (1 to %d)",
                      (unsigned)img->numcomps, JP2_MAX_COMPONENTS);
        goto done;
    }
    if (img->color_space == OPJ_CLRSPC_CMYK) {
        rc = mnt_fail(d, MNT_ERR_UNSUPPORTED, "JPEG 2000: CMYK is not supported (grey or colour only)");
        goto done;
    }
    if (!opj_decode(codec, s, img) || !opj_end_decompress(codec, s)) {
        rc = mnt_fail(d, MNT_ERR_FORMAT, "corrupt JPEG 2000: %s", msgs.err[0] ? msgs.err : "cannot be decoded");
        goto done;
    }
    int ycc = img->color_space == OPJ_CLRSPC_SYCC || img->color_space == OPJ_CLRSPC_EYCC;
    int colour = !ycc && img->color_space != OPJ_CLRSPC_GRAY && img->numcomps >= 3;
    unsigned used = colour ? 3 : 1;
    for (unsigned i = 0; i < used; i++) {
        const opj_image_comp_t *c = &img->comps[i];
        if (!c->data || c->w != w || c->h != h || c->prec < 1 || c->prec > 16) {
            rc = mnt_fail(d, MNT_ERR_UNSUPPORTED,
                          "JPEG 2000: component %u (%ux%u, %u bits) does not cover the %ux%u image at full resolution",
                          i, (unsigned)c->w, (unsigned)c->h, (unsigned)c->prec, (unsigned)w, (unsigned)h);
            goto done;
        }
    }
    if ((rc = mnt_image_alloc(im, (int)w, (int)h, max_pixels, d))) goto done;
    size_t n = (size_t)w * h;
    if (colour) {
        for (size_t i = 0; i < n; i++) {
            float v = MNT_GREY_R * sample(&img->comps[0], i) + MNT_GREY_G * sample(&img->comps[1], i) +
                      MNT_GREY_B * sample(&img->comps[2], i);
            im->px[i] = v > 1 ? 1 : v;
        }
    } else {
        for (size_t i = 0; i < n; i++) im->px[i] = sample(&img->comps[0], i);
    }
    im->ppi = ppi;
    if (msgs.warn[0]) mnt_warn(d, "JPEG 2000: %s", msgs.warn);

done:
    if (img) opj_image_destroy(img);
    if (s) opj_stream_destroy(s);
    if (codec) opj_destroy_codec(codec);
    if (rc) mnt_image_free(im);
    return rc;
}
