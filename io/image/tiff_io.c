#include "tiff_io.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

#include "raster_common.h"

/* Largest single allocation libtiff may make for one file (strip arrays, a strip or
 * tile buffer): the largest file the project reads. */
#define TIFF_MAX_ALLOC ((tmsize_t)512 << 20)

typedef struct {
    const uint8_t *data;
    uint64_t len, pos;
} tiff_mem;

typedef struct {
    char err[256];  /* first error libtiff reported */
    char warn[256]; /* last warning */
} tiff_msgs;

int mnt_is_tiff(const uint8_t *data, size_t len)
{
    if (len < 4) return 0;
    if (data[0] == 'I' && data[1] == 'I') return (data[2] == 42 || data[2] == 43) && data[3] == 0;
    if (data[0] == 'M' && data[1] == 'M') return data[2] == 0 && (data[3] == 42 || data[3] == 43);
    return 0;
}

static int on_error(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
{
    (void)tif;
    tiff_msgs *m = user;
    if (m && !m->err[0]) {
        char text[200];
        vsnprintf(text, sizeof text, fmt, ap);
        snprintf(m->err, sizeof m->err, "%s%s%s", module ? module : "", module ? ": " : "", text);
    }
    return 1; /* handled: libtiff's global handler (stderr) is not called */
}

static int on_warning(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
{
    (void)tif;
    (void)module;
    tiff_msgs *m = user;
    if (m) vsnprintf(m->warn, sizeof m->warn, fmt, ap);
    return 1;
}

/* The few libtiff paths that report without a TIFF handle use the global handlers:
 * those are switched off once for the process, so libtiff never prints. */
static pthread_once_t silence_once = PTHREAD_ONCE_INIT;
static void silence_globals(void)
{
    TIFFSetErrorHandler(NULL);
    TIFFSetWarningHandler(NULL);
}

static tmsize_t mem_read(thandle_t h, void *buf, tmsize_t n)
{
    tiff_mem *m = h;
    if (n <= 0 || m->pos >= m->len) return 0;
    uint64_t left = m->len - m->pos;
    uint64_t k = (uint64_t)n < left ? (uint64_t)n : left;
    memcpy(buf, m->data + m->pos, (size_t)k);
    m->pos += k;
    return (tmsize_t)k;
}

static tmsize_t mem_write(thandle_t h, void *buf, tmsize_t n)
{
    (void)h;
    (void)buf;
    (void)n;
    return 0;
}

static toff_t mem_seek(thandle_t h, toff_t off, int whence)
{
    tiff_mem *m = h;
    uint64_t base = whence == SEEK_CUR ? m->pos : whence == SEEK_END ? m->len : 0;
    if (off > UINT64_MAX - base) return (toff_t)-1;
    m->pos = base + off;
    return m->pos;
}

static int mem_close(thandle_t h)
{
    (void)h;
    return 0;
}

static toff_t mem_size(thandle_t h)
{
    return ((tiff_mem *)h)->len;
}

static int mem_map(thandle_t h, void **base, toff_t *size)
{
    tiff_mem *m = h;
    *base = (void *)(uintptr_t)m->data; /* opened read-only: libtiff never writes through it */
    *size = m->len;
    return 1;
}

static void mem_unmap(thandle_t h, void *base, toff_t size)
{
    (void)h;
    (void)base;
    (void)size;
}

static inline unsigned sample_at(const uint8_t *row, size_t s, unsigned bps)
{
    if (bps == 8) return row[s];
    if (bps == 16) {
        uint16_t v; /* libtiff has already swapped to host order */
        memcpy(&v, row + 2 * s, 2);
        return v;
    }
    size_t bit = s * bps;
    unsigned shift = 8 - bps - (unsigned)(bit & 7);
    return (unsigned)(row[bit >> 3] >> shift) & ((1u << bps) - 1);
}

typedef struct {
    uint32_t w, h;
    unsigned bps, spp, ncolour, separate;
    float weight[3], maxv;
} tiff_layout;

/* Adds the colour samples of one decoded strip or tile (origin x0,y0, cw x ch pixels,
 * rows rowbytes apart) into the image. plane: the plane of a separate-planes chunk. */
static void accumulate(const tiff_layout *L, mnt_image *im, const uint8_t *buf, size_t rowbytes, uint32_t x0,
                       uint32_t y0, uint32_t cw, uint32_t ch, unsigned plane)
{
    for (uint32_t y = 0; y < ch; y++) {
        const uint8_t *row = buf + (size_t)y * rowbytes;
        float *o = im->px + (size_t)(y0 + y) * L->w + x0;
        if (L->separate) {
            float k = L->weight[plane] / L->maxv;
            for (uint32_t x = 0; x < cw; x++) o[x] += k * (float)sample_at(row, x, L->bps);
        } else if (L->ncolour == 1) {
            for (uint32_t x = 0; x < cw; x++) o[x] = (float)sample_at(row, (size_t)x * L->spp, L->bps) / L->maxv;
        } else {
            for (uint32_t x = 0; x < cw; x++) {
                size_t s = (size_t)x * L->spp;
                o[x] = (L->weight[0] * (float)sample_at(row, s, L->bps) +
                        L->weight[1] * (float)sample_at(row, s + 1, L->bps) +
                        L->weight[2] * (float)sample_at(row, s + 2, L->bps)) / L->maxv;
            }
        }
    }
}

static const char *photometric_name(unsigned p)
{
    switch (p) {
    case PHOTOMETRIC_PALETTE: return "palette";
    case PHOTOMETRIC_SEPARATED: return "CMYK";
    case PHOTOMETRIC_YCBCR: return "YCbCr";
    case PHOTOMETRIC_CIELAB: return "CIE L*a*b*";
    case PHOTOMETRIC_MASK: return "transparency mask";
    default: return "this";
    }
}

static int read_pixels(TIFF *tif, const tiff_layout *L, mnt_image *im, const tiff_msgs *msgs, mnt_diag *d)
{
    unsigned nplanes = L->separate ? L->ncolour : 1;
    /* a strip or tile never needs more than the whole image's samples plus slack */
    uint64_t bound = (uint64_t)L->w * L->h * L->spp * (L->bps > 8 ? 2 : 1) + (16u << 20);
    uint8_t *buf = NULL;
    int rc = MNT_OK;
    if (TIFFIsTiled(tif)) {
        uint32_t tw = 0, th = 0;
        TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tw);
        TIFFGetField(tif, TIFFTAG_TILELENGTH, &th);
        tmsize_t tsize = TIFFTileSize(tif), rowbytes = TIFFTileRowSize(tif);
        if (tw == 0 || th == 0 || tsize <= 0 || rowbytes <= 0)
            return mnt_fail(d, MNT_ERR_FORMAT, "corrupt TIFF: bad tile size %ux%u", (unsigned)tw, (unsigned)th);
        if ((uint64_t)tsize > bound)
            return mnt_fail(d, MNT_ERR_LIMIT, "TIFF: tile of %ux%u is out of proportion to the %ux%u image",
                            (unsigned)tw, (unsigned)th, (unsigned)L->w, (unsigned)L->h);
        if (!(buf = malloc((size_t)tsize))) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
        for (unsigned p = 0; p < nplanes && !rc; p++)
            for (uint32_t ty = 0; ty < L->h && !rc; ty += th)
                for (uint32_t tx = 0; tx < L->w && !rc; tx += tw) {
                    uint32_t tile = TIFFComputeTile(tif, tx, ty, 0, (uint16_t)p);
                    tmsize_t n = TIFFReadEncodedTile(tif, tile, buf, tsize);
                    if (n < 0)
                        rc = mnt_fail(d, MNT_ERR_FORMAT, "corrupt TIFF: tile %u: %s", (unsigned)tile,
                                      msgs->err[0] ? msgs->err : "cannot be decoded");
                    else if (n < tsize)
                        rc = mnt_fail(d, MNT_ERR_FORMAT, "TIFF: tile %u is truncated (%lld of %lld bytes)",
                                      (unsigned)tile, (long long)n, (long long)tsize);
                    else
                        accumulate(L, im, buf, (size_t)rowbytes, tx, ty, tw < L->w - tx ? tw : L->w - tx,
                                   th < L->h - ty ? th : L->h - ty, p);
                }
    } else {
        uint32_t rps = 0;
        TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &rps);
        if (rps == 0 || rps > L->h) rps = L->h;
        tmsize_t ssize = TIFFStripSize(tif), rowbytes = TIFFScanlineSize(tif);
        if (ssize <= 0 || rowbytes <= 0) return mnt_fail(d, MNT_ERR_FORMAT, "corrupt TIFF: bad strip size");
        if ((uint64_t)ssize > bound || (uint64_t)rowbytes * rps > (uint64_t)ssize + (uint64_t)rowbytes)
            return mnt_fail(d, MNT_ERR_FORMAT, "corrupt TIFF: strip size %lld does not fit the image",
                            (long long)ssize);
        if (!(buf = malloc((size_t)ssize))) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
        for (unsigned p = 0; p < nplanes && !rc; p++)
            for (uint32_t y = 0; y < L->h && !rc; y += rps) {
                uint32_t rows = rps < L->h - y ? rps : L->h - y;
                tmsize_t want = (tmsize_t)rows * rowbytes;
                if (want > ssize) want = ssize;
                uint32_t strip = TIFFComputeStrip(tif, y, (uint16_t)p);
                tmsize_t n = TIFFReadEncodedStrip(tif, strip, buf, want);
                if (n < 0)
                    rc = mnt_fail(d, MNT_ERR_FORMAT, "corrupt TIFF: strip %u: %s", (unsigned)strip,
                                  msgs->err[0] ? msgs->err : "cannot be decoded");
                else if (n < want)
                    rc = mnt_fail(d, MNT_ERR_FORMAT, "TIFF: strip %u is truncated (%lld of %lld bytes)",
                                  (unsigned)strip, (long long)n, (long long)want);
                else
                    accumulate(L, im, buf, (size_t)rowbytes, 0, y, L->w, rows, p);
            }
    }
    free(buf);
    return rc;
}

int mnt_tiff_decode(const uint8_t *data, size_t len, size_t max_pixels, mnt_image *im, mnt_diag *d)
{
    memset(im, 0, sizeof *im);
    if (!mnt_is_tiff(data, len)) return mnt_fail(d, MNT_ERR_FORMAT, "not a TIFF file (bad signature)");
    pthread_once(&silence_once, silence_globals);
    tiff_mem mem = {data, len, 0};
    tiff_msgs msgs = {{0}, {0}};
    TIFFOpenOptions *opts = TIFFOpenOptionsAlloc();
    if (!opts) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    TIFFOpenOptionsSetErrorHandlerExtR(opts, on_error, &msgs);
    TIFFOpenOptionsSetWarningHandlerExtR(opts, on_warning, &msgs);
    TIFFOpenOptionsSetMaxSingleMemAlloc(opts, TIFF_MAX_ALLOC);
    TIFF *tif = TIFFClientOpenExt("TIFF", "r", &mem, mem_read, mem_write, mem_seek, mem_close, mem_size, mem_map,
                                  mem_unmap, opts);
    TIFFOpenOptionsFree(opts);
    if (!tif)
        return mnt_fail(d, MNT_ERR_FORMAT, "corrupt TIFF: %s", msgs.err[0] ? msgs.err : "cannot read the header");

    int rc = MNT_OK;
    uint32_t w = 0, h = 0;
    uint16_t bps = 1, spp = 1, photo = 0, planar = PLANARCONFIG_CONTIG, sfmt = SAMPLEFORMAT_UINT, comp = 1;
    uint16_t unit = RESUNIT_INCH;
    float xres = 0;
    if (!TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w) || !TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h)) {
        rc = mnt_fail(d, MNT_ERR_FORMAT, "corrupt TIFF: no image size");
        goto done;
    }
    TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bps);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
    TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &sfmt);
    TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &comp);
    if (!TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photo)) {
        rc = mnt_fail(d, MNT_ERR_FORMAT, "corrupt TIFF: no photometric interpretation");
        goto done;
    }
    if ((rc = mnt_raster_check_size("TIFF", w, h, max_pixels, d))) goto done;
    if (sfmt != SAMPLEFORMAT_UINT) {
        rc = mnt_fail(d, MNT_ERR_UNSUPPORTED, "TIFF: sample format %u is not supported (unsigned integers only)",
                      (unsigned)sfmt);
        goto done;
    }
    if (bps != 1 && bps != 2 && bps != 4 && bps != 8 && bps != 16) {
        rc = mnt_fail(d, MNT_ERR_UNSUPPORTED, "TIFF: %u bits per sample is not supported (1, 2, 4, 8 or 16)",
                      (unsigned)bps);
        goto done;
    }
    if (photo == PHOTOMETRIC_YCBCR && comp == COMPRESSION_JPEG && TIFFIsCODECConfigured(comp)) {
        /* JPEG-in-TIFF as scanners write it: libjpeg converts YCbCr back to RGB */
        if (!TIFFSetField(tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB)) {
            rc = mnt_fail(d, MNT_ERR_FORMAT, "corrupt TIFF: %s", msgs.err[0] ? msgs.err : "bad JPEG settings");
            goto done;
        }
        photo = PHOTOMETRIC_RGB;
    }
    tiff_layout L = {w, h, bps, spp, 1, planar == PLANARCONFIG_SEPARATE, {1, 0, 0}, (float)((1u << bps) - 1)};
    if (photo == PHOTOMETRIC_RGB) {
        L.ncolour = 3;
        L.weight[0] = MNT_GREY_R;
        L.weight[1] = MNT_GREY_G;
        L.weight[2] = MNT_GREY_B;
    } else if (photo != PHOTOMETRIC_MINISBLACK && photo != PHOTOMETRIC_MINISWHITE) {
        rc = mnt_fail(d, MNT_ERR_UNSUPPORTED,
                      "TIFF: %s photometric interpretation (%u) is not supported (grey or RGB only)",
                      photometric_name(photo), (unsigned)photo);
        goto done;
    }
    if (spp < L.ncolour) {
        rc = mnt_fail(d, MNT_ERR_FORMAT, "corrupt TIFF: %u samples per pixel for %s", (unsigned)spp,
                      L.ncolour == 3 ? "RGB" : "grey");
        goto done;
    }
    if (!TIFFIsCODECConfigured(comp)) {
        rc = mnt_fail(d, MNT_ERR_UNSUPPORTED, "TIFF: compression %u is not available in this libtiff",
                      (unsigned)comp);
        goto done;
    }
    if ((rc = mnt_image_alloc(im, (int)w, (int)h, max_pixels, d))) goto done;
    if ((rc = read_pixels(tif, &L, im, &msgs, d))) goto done;
    size_t n = (size_t)w * h;
    for (size_t i = 0; i < n; i++) {
        float v = im->px[i];
        v = v < 0 ? 0 : v > 1 ? 1 : v;
        im->px[i] = photo == PHOTOMETRIC_MINISWHITE ? 1.0f - v : v;
    }
    if (TIFFGetField(tif, TIFFTAG_XRESOLUTION, &xres)) {
        TIFFGetFieldDefaulted(tif, TIFFTAG_RESOLUTIONUNIT, &unit);
        if (unit == RESUNIT_INCH) im->ppi = mnt_raster_ppi(xres);
        else if (unit == RESUNIT_CENTIMETER) im->ppi = mnt_raster_ppi(xres * 2.54);
    }
    if (!TIFFLastDirectory(tif)) mnt_warn(d, "TIFF: more than one page; the first was read");
    else if (msgs.warn[0]) mnt_warn(d, "TIFF: %s", msgs.warn);

done:
    TIFFClose(tif);
    if (rc) mnt_image_free(im);
    return rc;
}
