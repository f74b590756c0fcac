/* The image of a friction-ridge record, with the existing decoders. */
#include <stdio.h>
#include <string.h>

#include "an2k.h"
#include "jp2_io.h"
#include "jpeg_io.h"
#include "png_io.h"
#include "wsq.h"

int mnt_an2k_decode_image(const mnt_an2k *t, size_t k, size_t max_pixels, mnt_image *im, mnt_diag *d)
{
    memset(im, 0, sizeof *im);
    if (k >= t->nrec || !t->rec[k].is_image) return mnt_fail(d, MNT_ERR_ARG, "record %zu is not an image record", k + 1);
    const mnt_an2k_record *r = &t->rec[k];
    const uint8_t *p = t->data + r->img_off;
    size_t n = r->img_len;
    const char *c = r->compression;
    int rc;
    if (!strcmp(c, "NONE")) {
        if (r->bpx != 8)
            return mnt_fail(d, MNT_ERR_UNSUPPORTED, "Type-%d record %zu: uncompressed image of %d bits per pixel (only 8 is read)", r->type,
                            k + 1, r->bpx);
        size_t want = (size_t)r->width * (size_t)r->height;
        if (n != want)
            return mnt_fail(d, MNT_ERR_FORMAT, "Type-%d record %zu: uncompressed image data is %zu bytes, HLL x VLL = %dx%d needs %zu",
                            r->type, k + 1, n, r->width, r->height, want);
        if ((rc = mnt_image_alloc(im, r->width, r->height, max_pixels, d))) return rc;
        for (size_t i = 0; i < n; i++) im->px[i] = p[i] / 255.0f;
    } else {
        if (!strcmp(c, "WSQ20")) rc = mnt_is_wsq(p, n) ? mnt_wsq_decode(p, n, max_pixels, im, d) : -1;
        else if (!strcmp(c, "JPEGB") || !strcmp(c, "JPEGL")) rc = mnt_is_jpeg(p, n) ? mnt_jpeg_decode(p, n, max_pixels, im, d) : -1;
        else if (!strcmp(c, "JP2") || !strcmp(c, "JP2L")) rc = mnt_is_jp2(p, n) ? mnt_jp2_decode(p, n, max_pixels, im, d) : -1;
        else rc = mnt_is_png(p, n) ? mnt_png_decode(p, n, max_pixels, im, d) : -1;
        if (rc == -1) return mnt_fail(d, MNT_ERR_FORMAT, "Type-%d record %zu: image data is not %s as its compression field says", r->type, k + 1, c);
        if (rc) {
            char why[320];
            snprintf(why, sizeof why, "%s", d ? d->msg : "");
            return mnt_fail(d, rc, "Type-%d record %zu: %s image: %.250s", r->type, k + 1, c, why);
        }
        if (im->width != r->width || im->height != r->height) {
            int w = im->width, h = im->height;
            mnt_image_free(im);
            return mnt_fail(d, MNT_ERR_FORMAT, "Type-%d record %zu: %s image is %dx%d, HLL x VLL say %dx%d", r->type, k + 1, c, w, h,
                            r->width, r->height);
        }
    }
    im->ppi = r->ppi; /* the record's resolution rules over the embedded file's */
    return MNT_OK;
}
