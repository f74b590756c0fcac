/* Test helper: writes an image the project can read (PNG, ...) as TIFF, JPEG or
 * JPEG 2000 with the libraries' own encoders, keeping its resolution, so the
 * end-to-end tests can feed those formats to the command.
 *   raster_write IN OUT.tif|OUT.jpg|OUT.jp2|OUT.j2k [--quality=Q] [--ppi=N]
 * (--ppi replaces the resolution written; 0 writes none).
 * TIFF: 8-bit grey, LZW, strips of 16 rows, XResolution in inches. JPEG: baseline
 * 8-bit grey, JFIF density in dots per inch. JPEG 2000: JP2, lossless 8-bit grey (no
 * resolution box: OpenJPEG does not write one). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <openjpeg.h>
#include <tiffio.h>

#include "image_io.h"

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static uint8_t level(float v)
{
    v = v < 0 ? 0 : v > 1 ? 1 : v;
    return (uint8_t)lrintf(v * 255.0f);
}

static int write_tiff(const mnt_image *im, const char *path)
{
    TIFF *t = TIFFOpen(path, "w");
    if (!t) return 1;
    TIFFSetField(t, TIFFTAG_IMAGEWIDTH, (uint32_t)im->width);
    TIFFSetField(t, TIFFTAG_IMAGELENGTH, (uint32_t)im->height);
    TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, (uint16_t)8);
    TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, (uint16_t)1);
    TIFFSetField(t, TIFFTAG_PHOTOMETRIC, (uint16_t)PHOTOMETRIC_MINISBLACK);
    TIFFSetField(t, TIFFTAG_COMPRESSION, (uint16_t)COMPRESSION_LZW);
    TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, (uint32_t)16);
    if (im->ppi > 0) {
        TIFFSetField(t, TIFFTAG_XRESOLUTION, (float)im->ppi);
        TIFFSetField(t, TIFFTAG_YRESOLUTION, (float)im->ppi);
        TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, (uint16_t)RESUNIT_INCH);
    }
    uint8_t *row = malloc((size_t)im->width);
    int rc = 0;
    for (int y = 0; y < im->height && !rc; y++) {
        for (int x = 0; x < im->width; x++) row[x] = level(im->px[(size_t)y * (size_t)im->width + (size_t)x]);
        if (TIFFWriteScanline(t, row, (uint32_t)y, 0) < 0) rc = 1;
    }
    free(row);
    TIFFClose(t);
    return rc;
}

static int write_jpeg(const mnt_image *im, const char *path, int quality)
{
    FILE *f = fopen(path, "wb");
    if (!f) return 1;
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr e;
    c.err = jpeg_std_error(&e);
    jpeg_create_compress(&c);
    jpeg_stdio_dest(&c, f);
    c.image_width = (JDIMENSION)im->width;
    c.image_height = (JDIMENSION)im->height;
    c.input_components = 1;
    c.in_color_space = JCS_GRAYSCALE;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, quality, TRUE);
    if (im->ppi > 0) {
        c.density_unit = 1;
        c.X_density = c.Y_density = (UINT16)lround(im->ppi);
    }
    jpeg_start_compress(&c, TRUE);
    uint8_t *row = malloc((size_t)im->width);
    for (int y = 0; y < im->height; y++) {
        for (int x = 0; x < im->width; x++) row[x] = level(im->px[(size_t)y * (size_t)im->width + (size_t)x]);
        JSAMPROW r[1] = {row};
        jpeg_write_scanlines(&c, r, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(row);
    return fclose(f) != 0;
}

static int write_jp2(const mnt_image *im, const char *path, int raw)
{
    opj_cparameters_t p;
    opj_set_default_encoder_parameters(&p);
    p.tcp_numlayers = 1;
    p.tcp_rates[0] = 0;
    p.cp_disto_alloc = 1;
    opj_image_cmptparm_t cp;
    memset(&cp, 0, sizeof cp);
    cp.dx = cp.dy = 1;
    cp.w = (OPJ_UINT32)im->width;
    cp.h = (OPJ_UINT32)im->height;
    cp.prec = 8;
    opj_image_t *img = opj_image_create(1, &cp, OPJ_CLRSPC_GRAY);
    if (!img) return 1;
    img->x1 = (OPJ_UINT32)im->width;
    img->y1 = (OPJ_UINT32)im->height;
    size_t n = (size_t)im->width * (size_t)im->height;
    for (size_t i = 0; i < n; i++) img->comps[0].data[i] = level(im->px[i]);
    opj_codec_t *codec = opj_create_compress(raw ? OPJ_CODEC_J2K : OPJ_CODEC_JP2);
    opj_stream_t *s = opj_stream_create_default_file_stream(path, OPJ_FALSE);
    int ok = codec && s && opj_setup_encoder(codec, &p, img) && opj_start_compress(codec, img, s) &&
             opj_encode(codec, s) && opj_end_compress(codec, s);
    if (s) opj_stream_destroy(s);
    if (codec) opj_destroy_codec(codec);
    opj_image_destroy(img);
    return !ok;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: raster_write IN OUT.tif|OUT.jpg|OUT.jp2|OUT.j2k [--quality=Q] [--ppi=N]\n");
        return 64;
    }
    mnt_image im;
    mnt_diag d = {0};
    if (mnt_image_read(argv[1], 0, &im, &d)) {
        fprintf(stderr, "raster_write: %s: %s\n", argv[1], d.msg);
        return 65;
    }
    const char *out = argv[2];
    int quality = 95;
    for (int i = 3; i < argc; i++) {
        if (strncmp(argv[i], "--quality=", 10) == 0) quality = atoi(argv[i] + 10);
        else if (strncmp(argv[i], "--ppi=", 6) == 0) im.ppi = atof(argv[i] + 6);
    }
    int rc = ends_with(out, ".tif")   ? write_tiff(&im, out)
             : ends_with(out, ".jpg") ? write_jpeg(&im, out, quality)
             : ends_with(out, ".jp2") ? write_jp2(&im, out, 0)
             : ends_with(out, ".j2k") ? write_jp2(&im, out, 1)
                                      : 64;
    mnt_image_free(&im);
    if (rc) fprintf(stderr, "raster_write: cannot write %s\n", out);
    return rc;
}
