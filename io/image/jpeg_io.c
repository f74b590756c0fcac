#include "jpeg_io.h"

#include <setjmp.h>
#include <stdio.h> /* jpeglib.h needs FILE and size_t */
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include "raster_common.h"

/* libjpeg's own working memory for one image (a progressive image keeps all its
 * coefficients: 128 bytes per pixel per component at worst, within the pixel budget). */
#define JPEG_MAX_MEMORY (1024L << 20)
/* A progressive file can repeat scans without end, each one a pass over the whole
 * coefficient buffer (libjpeg-turbo's advice: cap them). Real encoders write about 10. */
#define JPEG_MAX_SCANS 200

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char msg[JMSG_LENGTH_MAX + 32];
} jpeg_err;

int mnt_is_jpeg(const uint8_t *data, size_t len)
{
    return len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;
}

static void on_error_exit(j_common_ptr cinfo)
{
    jpeg_err *e = (jpeg_err *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, e->msg);
    longjmp(e->jump, 1);
}

/* Level -1 is a warning: in libjpeg every one means corrupt or truncated data (a
 * missing end is silently padded with grey), so it stops the decode like an error.
 * Trace messages (level >= 0) are dropped. */
static void on_emit_message(j_common_ptr cinfo, int level)
{
    if (level >= 0) return;
    jpeg_err *e = (jpeg_err *)cinfo->err;
    cinfo->err->num_warnings++;
    (*cinfo->err->format_message)(cinfo, e->msg);
    longjmp(e->jump, 1);
}

static void on_output_message(j_common_ptr cinfo)
{
    (void)cinfo;
}

static void on_progress(j_common_ptr cinfo)
{
    j_decompress_ptr c = (j_decompress_ptr)cinfo;
    if (c->input_scan_number > JPEG_MAX_SCANS) {
        jpeg_err *e = (jpeg_err *)cinfo->err;
        snprintf(e->msg, sizeof e->msg, "more than %d progressive scans", JPEG_MAX_SCANS);
        longjmp(e->jump, 1);
    }
}

/* What longjmp must not clobber lives behind a pointer. */
typedef struct {
    struct jpeg_decompress_struct cinfo;
    jpeg_err err;
    struct jpeg_progress_mgr progress;
    uint8_t *row;
} jpeg_state;

int mnt_jpeg_decode(const uint8_t *data, size_t len, size_t max_pixels, mnt_image *im, mnt_diag *d)
{
    memset(im, 0, sizeof *im);
    if (!mnt_is_jpeg(data, len)) return mnt_fail(d, MNT_ERR_FORMAT, "not a JPEG file (bad signature)");
    if (len > (size_t)(unsigned long)-1) return mnt_fail(d, MNT_ERR_LIMIT, "JPEG: file too large");
    jpeg_state *st = calloc(1, sizeof *st);
    if (!st) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    st->cinfo.err = jpeg_std_error(&st->err.pub);
    st->err.pub.error_exit = on_error_exit;
    st->err.pub.emit_message = on_emit_message;
    st->err.pub.output_message = on_output_message;
    int rc = MNT_OK;
    if (setjmp(st->err.jump)) {
        rc = mnt_fail(d, MNT_ERR_FORMAT, "corrupt JPEG: %s", st->err.msg);
        goto done;
    }
    jpeg_create_decompress(&st->cinfo);
    st->cinfo.mem->max_memory_to_use = JPEG_MAX_MEMORY;
    st->progress.progress_monitor = on_progress;
    st->cinfo.progress = &st->progress;
    jpeg_mem_src(&st->cinfo, data, (unsigned long)len);
    jpeg_read_header(&st->cinfo, TRUE);

    struct jpeg_decompress_struct *c = &st->cinfo;
    if ((rc = mnt_raster_check_size("JPEG", c->image_width, c->image_height, max_pixels, d))) goto done;
    if (c->num_components == 1) {
        c->out_color_space = JCS_GRAYSCALE;
    } else if (c->num_components == 3 && (c->jpeg_color_space == JCS_YCbCr || c->jpeg_color_space == JCS_RGB)) {
        c->out_color_space = JCS_RGB;
    } else {
        rc = mnt_fail(d, MNT_ERR_UNSUPPORTED, "JPEG: %d components (%s) are not supported (grey or colour only)",
                      c->num_components,
                      c->jpeg_color_space == JCS_CMYK || c->jpeg_color_space == JCS_YCCK ? "CMYK" : "unknown");
        goto done;
    }
    if (c->saw_JFIF_marker && c->X_density > 0) {
        if (c->density_unit == 1) im->ppi = mnt_raster_ppi(c->X_density);
        else if (c->density_unit == 2) im->ppi = mnt_raster_ppi(c->X_density * 2.54);
    }
    double ppi = im->ppi;
    if ((rc = mnt_image_alloc(im, (int)c->image_width, (int)c->image_height, max_pixels, d))) goto done;
    im->ppi = ppi;
    jpeg_start_decompress(c);
    int ch = c->output_components;
    if ((int)c->output_width != im->width || (int)c->output_height != im->height || (ch != 1 && ch != 3)) {
        rc = mnt_fail(d, MNT_ERR_FORMAT, "JPEG: decoder output %ux%ux%d does not match the header",
                      (unsigned)c->output_width, (unsigned)c->output_height, ch);
        goto done;
    }
    st->row = malloc((size_t)im->width * (size_t)ch);
    if (!st->row) {
        rc = mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
        goto done;
    }
    while (c->output_scanline < c->output_height) {
        JSAMPROW rows[1] = {st->row};
        unsigned y = c->output_scanline;
        if (jpeg_read_scanlines(c, rows, 1) != 1) {
            rc = mnt_fail(d, MNT_ERR_FORMAT, "corrupt JPEG: no data at row %u", y);
            goto done;
        }
        float *o = im->px + (size_t)y * (size_t)im->width;
        const uint8_t *r = st->row;
        if (ch == 1)
            for (int x = 0; x < im->width; x++) o[x] = (float)r[x] / 255.0f;
        else
            for (int x = 0; x < im->width; x++) {
                float v = (MNT_GREY_R * r[3 * x] + MNT_GREY_G * r[3 * x + 1] + MNT_GREY_B * r[3 * x + 2]) / 255.0f;
                o[x] = v > 1 ? 1 : v;
            }
    }
    jpeg_finish_decompress(c);

done:
    jpeg_destroy_decompress(&st->cinfo);
    free(st->row);
    free(st);
    if (rc) mnt_image_free(im);
    return rc;
}
