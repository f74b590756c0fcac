#include "png_io.h"

#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const uint8_t *data;
    size_t len, pos;
    mnt_diag *d;
    char err[200];
} png_mem_src;

static void on_error(png_structp png, png_const_charp msg)
{
    png_mem_src *src = png_get_error_ptr(png);
    if (src) snprintf(src->err, sizeof src->err, "%s", msg);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg; /* warnings (bad CRC in ancillary chunks etc.) are not fatal */
}

static void mem_read(png_structp png, png_bytep out, size_t n)
{
    png_mem_src *src = png_get_io_ptr(png);
    if (n > src->len - src->pos) png_error(png, "file is truncated");
    memcpy(out, src->data + src->pos, n);
    src->pos += n;
}

int mnt_is_png(const uint8_t *data, size_t len)
{
    return len >= 8 && png_sig_cmp(data, 0, 8) == 0;
}

/* Everything touched after setjmp lives in this struct so longjmp cannot clobber it. */
typedef struct {
    png_structp png;
    png_infop info;
    uint8_t *rows;
    png_bytep *rowp;
} png_read_state;

int mnt_png_decode(const uint8_t *data, size_t len, size_t max_pixels, mnt_image *im, mnt_diag *d)
{
    memset(im, 0, sizeof *im);
    if (!mnt_is_png(data, len)) return mnt_fail(d, MNT_ERR_FORMAT, "not a PNG file (bad signature)");
    /* The size from IHDR, checked here so a PNG over the limit gets the same message as
     * any other image (libpng would call it "Invalid IHDR data"); sizes PNG itself
     * forbids (0, over 2^31-1) are left to libpng. */
    if (len >= 24 && memcmp(data + 12, "IHDR", 4) == 0) {
        uint32_t w = (uint32_t)data[16] << 24 | (uint32_t)data[17] << 16 | (uint32_t)data[18] << 8 | data[19];
        uint32_t h = (uint32_t)data[20] << 24 | (uint32_t)data[21] << 16 | (uint32_t)data[22] << 8 | data[23];
        if (w >= 1 && h >= 1 && w <= 0x7FFFFFFFu && h <= 0x7FFFFFFFu) {
            int rc = mnt_image_check_size((int)w, (int)h, max_pixels, d);
            if (rc) return rc;
        }
    }
    png_mem_src src = {data, len, 8, d, {0}};
    volatile png_read_state st = {0};
    st.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, on_error, on_warning);
    if (!st.png) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    st.info = png_create_info_struct(st.png);
    if (!st.info) {
        png_destroy_read_struct((png_structpp)&st.png, NULL, NULL);
        return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    }
    int rc = MNT_OK;
    if (setjmp(png_jmpbuf(st.png))) {
        rc = mnt_fail(d, MNT_ERR_FORMAT, "corrupt PNG: %s", src.err);
        goto cleanup;
    }
    png_set_read_fn(st.png, &src, mem_read);
    png_set_sig_bytes(st.png, 8);
    png_set_user_limits(st.png, MNT_MAX_DIM, MNT_MAX_DIM);
    png_set_chunk_malloc_max(st.png, 8u << 20);
    png_read_info(st.png, st.info);

    png_uint_32 w, h;
    int depth, ctype, interlace;
    png_get_IHDR(st.png, st.info, &w, &h, &depth, &ctype, &interlace, NULL, NULL);
    if (max_pixels && (size_t)w * h > max_pixels) {
        rc = mnt_fail(d, MNT_ERR_LIMIT, "image of %ux%u pixels exceeds the budget of %zu pixels",
                      (unsigned)w, (unsigned)h, max_pixels);
        goto cleanup;
    }
    if (ctype == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(st.png);
    if (ctype == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(st.png);
    if (png_get_valid(st.png, st.info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(st.png);
    if (ctype & PNG_COLOR_MASK_COLOR || ctype == PNG_COLOR_TYPE_PALETTE)
        png_set_rgb_to_gray_fixed(st.png, 1, 21268, 71514); /* BT.709 */
    png_set_strip_alpha(st.png);
    if (interlace != PNG_INTERLACE_NONE) png_set_interlace_handling(st.png);
    png_read_update_info(st.png, st.info);

    size_t rowbytes = png_get_rowbytes(st.png, st.info);
    int outdepth = png_get_bit_depth(st.png, st.info);
    int channels = png_get_channels(st.png, st.info);
    if (channels != 1 || (outdepth != 8 && outdepth != 16)) {
        rc = mnt_fail(d, MNT_ERR_UNSUPPORTED, "unsupported PNG layout (%d channels, %d bits)", channels, outdepth);
        goto cleanup;
    }
    rc = mnt_image_alloc(im, (int)w, (int)h, max_pixels, d);
    if (rc) goto cleanup;
    size_t total = mnt_checked_size(rowbytes, h, 1);
    st.rows = total ? malloc(total) : NULL;
    st.rowp = malloc(h * sizeof(png_bytep));
    if (!st.rows || !st.rowp) {
        rc = mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (png_uint_32 y = 0; y < h; y++) st.rowp[y] = st.rows + y * rowbytes;
    png_read_image(st.png, st.rowp);
    png_read_end(st.png, NULL);

    for (png_uint_32 y = 0; y < h; y++) {
        const uint8_t *r = st.rowp[y];
        float *o = im->px + (size_t)y * w;
        if (outdepth == 8)
            for (png_uint_32 x = 0; x < w; x++) o[x] = r[x] / 255.0f;
        else
            for (png_uint_32 x = 0; x < w; x++) o[x] = (float)(r[2 * x] << 8 | r[2 * x + 1]) / 65535.0f;
    }
    png_uint_32 resx, resy;
    int unit;
    if (png_get_pHYs(st.png, st.info, &resx, &resy, &unit) && unit == PNG_RESOLUTION_METER && resx > 0)
        im->ppi = round(resx * 0.0254 * 10.0) / 10.0;

cleanup:
    free(st.rows);
    free(st.rowp);
    png_destroy_read_struct((png_structpp)&st.png, (png_infopp)&st.info, NULL);
    if (rc) mnt_image_free(im);
    return rc;
}

typedef struct {
    mnt_buf *out;
    char err[200];
} png_mem_dst;

static void on_write_error(png_structp png, png_const_charp msg)
{
    png_mem_dst *dst = png_get_error_ptr(png);
    if (dst) snprintf(dst->err, sizeof dst->err, "%s", msg);
    png_longjmp(png, 1);
}

static void mem_write(png_structp png, png_bytep p, size_t n)
{
    png_mem_dst *dst = png_get_io_ptr(png);
    mnt_buf_put(dst->out, p, n);
    if (dst->out->failed) png_error(png, "out of memory");
}

static void mem_flush(png_structp png)
{
    (void)png;
}

/* rows: width*channels bytes each; one encoder for both layouts. */
static int encode(const uint8_t *pixels, int width, int height, int channels, double ppi,
                  mnt_buf *out, mnt_diag *d)
{
    png_mem_dst dst = {out, {0}};
    volatile png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &dst, on_write_error, on_warning);
    if (!png) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct((png_structpp)&png, NULL);
        return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct((png_structpp)&png, &info);
        return mnt_fail(d, MNT_ERR_IO, "PNG encoding failed: %s", dst.err);
    }
    png_set_write_fn(png, &dst, mem_write, mem_flush);
    png_set_compression_level(png, 1);
    png_set_filter(png, 0, PNG_FILTER_SUB);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8,
                 channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (ppi > 0) {
        png_uint_32 ppm = (png_uint_32)lround(ppi / 0.0254);
        png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    }
    png_write_info(png, info);
    size_t stride = (size_t)width * (size_t)channels;
    for (int y = 0; y < height; y++) png_write_row(png, pixels + (size_t)y * stride);
    png_write_end(png, NULL);
    png_destroy_write_struct((png_structpp)&png, &info);
    if (out->failed) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    return MNT_OK;
}

int mnt_png_encode_grey(const mnt_image *im, mnt_buf *out, mnt_diag *d)
{
    size_t n = mnt_checked_size((size_t)im->width, (size_t)im->height, 1);
    if (!n || !im->px) return mnt_fail(d, MNT_ERR_ARG, "empty image");
    uint8_t *g = malloc(n);
    if (!g) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        float v = im->px[i];
        v = v < 0 ? 0 : v > 1 ? 1 : v;
        g[i] = (uint8_t)lrintf(v * 255.0f);
    }
    int rc = encode(g, im->width, im->height, 1, im->ppi, out, d);
    free(g);
    return rc;
}

int mnt_png_encode_rgb(const mnt_rgb_image *im, mnt_buf *out, mnt_diag *d)
{
    if (!im->rgb || im->width <= 0 || im->height <= 0) return mnt_fail(d, MNT_ERR_ARG, "empty image");
    return encode(im->rgb, im->width, im->height, 3, im->ppi, out, d);
}
