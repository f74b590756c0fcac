/* Writes the seed corpus of the fuzz targets with the project's own writers:
 *   make_corpus SAMPLES_DIR OUT_DIR   (OUT_DIR/<target>/ must exist)
 * Small inputs only: a few tiny images, the sample templates in every format, a tiny
 * model and patch set. The YAML seeds are the sample configs, copied by the script
 * tests/fuzz/make_corpus.sh. The template seeds carry the harness's leading option
 * byte (see fuzz_template.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_io.h"
#include "model_file.h"
#include "patchset_file.h"
#include "pgm_io.h"
#include "png_io.h"
#include "template_io.h"

static void put(const char *out, const char *target, const char *name, const void *data, size_t len, int optbyte)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s/%s", out, target, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(1);
    }
    if (optbyte >= 0) fputc(optbyte, f);
    fwrite(data, 1, len, f);
    fclose(f);
}

static void check(int rc, const mnt_diag *d, const char *what)
{
    if (rc) {
        fprintf(stderr, "%s: %s\n", what, d->msg);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) return 2;
    const char *samples = argv[1], *out = argv[2];
    mnt_diag d = {0};
    mnt_image im;
    check(mnt_image_alloc(&im, 12, 9, 0, &d), &d, "image");
    for (int i = 0; i < 12 * 9; i++) im.px[i] = (float)((i * 37) % 256) / 255.0f;
    im.ppi = 500;
    mnt_buf b = {0};
    check(mnt_png_encode_grey(&im, &b, &d), &d, "png");
    put(out, "png", "grey_12x9.png", b.data, b.len, -1);
    mnt_buf_free(&b);
    mnt_rgb_image rgb;
    check(mnt_rgb_alloc(&rgb, 5, 4, &d), &d, "rgb");
    for (int i = 0; i < 5 * 4 * 3; i++) rgb.rgb[i] = (uint8_t)(i * 11);
    b = (mnt_buf){0};
    check(mnt_png_encode_rgb(&rgb, &b, &d), &d, "png rgb");
    put(out, "png", "rgb_5x4.png", b.data, b.len, -1);
    mnt_buf_free(&b);
    mnt_rgb_free(&rgb);
    static const struct { int maxval, ascii; const char *name; } pgms[] = {
        {255, 0, "p5_8bit.pgm"}, {65535, 0, "p5_16bit.pgm"}, {255, 1, "p2_ascii.pgm"}};
    for (size_t i = 0; i < 3; i++) {
        b = (mnt_buf){0};
        check(mnt_pgm_encode(&im, pgms[i].maxval, pgms[i].ascii, &b, &d), &d, "pgm");
        put(out, "pgm", pgms[i].name, b.data, b.len, -1);
        mnt_buf_free(&b);
    }

    /* templates: the sample latents' ISO records and the sample JSON, in every format */
    static const char *const srcs[] = {"latents/latent_000001.iso", "latents/latent_000003.iso", "latents/latent_000005.iso",
                                       "templates/two_minutiae.json"};
    static const struct { mnt_format f; const char *target, *ext; } fmts[] = {
        {MNT_FMT_ISO2005, "iso2005", "iso"}, {MNT_FMT_ANSI378, "ansi378", "ansi"}, {MNT_FMT_ISO2011, "iso2011", "iso2011"},
        {MNT_FMT_XYT, "xyt", "xyt"},         {MNT_FMT_JSON, "json_template", "json"}};
    for (size_t s = 0; s < sizeof srcs / sizeof *srcs; s++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", samples, srcs[s]);
        mnt_read_opts ro = {0};
        ro.height = 512;
        mnt_template t;
        check(mnt_template_read_file(path, &ro, NULL, &t, &d), &d, path);
        for (size_t k = 0; k < sizeof fmts / sizeof *fmts; k++) {
            b = (mnt_buf){0};
            check(mnt_template_encode(&t, fmts[k].f, NULL, &b, &d), &d, fmts[k].target);
            char name[64];
            snprintf(name, sizeof name, "sample%zu.%s", s, fmts[k].ext);
            put(out, fmts[k].target, name, b.data, b.len, fmts[k].f == MNT_FMT_XYT ? 2 : 0);
            put(out, "template_detect", name, b.data, b.len, -1);
            if (fmts[k].f == MNT_FMT_JSON) put(out, "json", name, b.data, b.len, -1);
            if (fmts[k].f == MNT_FMT_XYT) { /* the xyt points as a FingerNet .mnt */
                mnt_buf fn = {0};
                mnt_buf_printf(&fn, "sample%zu\n%zu %d %d\n", s, t.views[0].n, t.width, t.height);
                for (size_t i = 0; i < t.views[0].n; i++)
                    mnt_buf_printf(&fn, "%.0f %.0f %.6f\n", t.views[0].m[i].x, t.views[0].m[i].y,
                                   t.views[0].m[i].angle * 3.14159265358979 / 180);
                put(out, "fingernet", name, fn.data, fn.len, 0);
                mnt_buf_free(&fn);
            }
            mnt_buf_free(&b);
        }
        mnt_template_free(&t);
    }

    /* a tiny model, with and without training state, and one with a context window
     * (twice the inputs) */
    for (int context = 0; context <= 2; context += 2) {
        mnt_model m;
        memset(&m, 0, sizeof m);
        mnt_gsae_config cfg = {context ? 32 : 16, 4, 1e-4, 0.5, 0.05, 0.05, 0, 1.0, 1.0, 0, 0};
        check(mnt_gsae_new(&m.net, &cfg, 1, &d), &d, "gsae");
        m.patch_size = 16;
        m.grid = 4;
        m.context = context;
        m.threshold = 0.5;
        m.stride = 4;
        m.nms_radius = 8;
        m.orientation_sigma = 4;
        m.roi_margin = 8;
        check(mnt_model_make_card(&m, "training:\n  note: fuzz seed\n", &d), &d, "card");
        for (int st = 0; st < (context ? 1 : 2); st++) {
            b = (mnt_buf){0};
            check(mnt_model_encode(&m, st, &b, &d), &d, "model");
            put(out, "model", context ? "tiny_context.mnm" : st ? "tiny_state.mnm" : "tiny.mnm", b.data, b.len, -1);
            mnt_buf_free(&b);
        }
        mnt_model_free(&m);
    }

    /* a tiny patch set: two patches of a 4x4 grid from one source */
    mnt_patch_set ps;
    mnt_patch_set_init(&ps, 16, 4);
    uint32_t src;
    check(mnt_patch_set_add_source(&ps, "seed.png", &src), &d, "source");
    float px[16];
    for (int i = 0; i < 16; i++) px[i] = (float)i / 15.0f;
    mnt_patch p = {0};
    p.cls = 1;
    p.type = 1;
    p.angle = 45;
    p.source = src;
    p.x = 10;
    p.y = 12;
    check(mnt_patch_set_push(&ps, px, &p), &d, "push");
    p.cls = 0;
    p.type = 0;
    check(mnt_patch_set_push(&ps, px, &p), &d, "push");
    b = (mnt_buf){0};
    check(mnt_patchset_encode(&ps, &b, &d), &d, "patchset");
    put(out, "patchset", "two.mnp", b.data, b.len, -1);
    mnt_buf_free(&b);
    mnt_patch_set_free(&ps);
    /* the same with a context window: 32 values per patch */
    mnt_patch_set_init(&ps, 16, 4);
    ps.context = 2;
    check(mnt_patch_set_add_source(&ps, "seed.png", &src), &d, "source");
    float px2[32];
    for (int i = 0; i < 32; i++) px2[i] = (float)i / 31.0f;
    p.cls = 1;
    p.type = 2;
    check(mnt_patch_set_push(&ps, px2, &p), &d, "push");
    b = (mnt_buf){0};
    check(mnt_patchset_encode(&ps, &b, &d), &d, "patchset");
    put(out, "patchset", "one_context.mnp", b.data, b.len, -1);
    mnt_buf_free(&b);
    mnt_patch_set_free(&ps);
    mnt_image_free(&im);
    return 0;
}
