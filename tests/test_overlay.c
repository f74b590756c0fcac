/* The examiner's overlay at the pixel level: the image unaltered inside a margin, shape
 * by type (also in grey), numbers drawn, the 1 mm bar, the score visible, halos over
 * dark and light ridges, the compare set and its pair count, marks outside the image. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "overlay.h"
#include "test_common.h"

/* ---- helpers ---- */

/* w x h image of sample k/255 (k from fn), so the expected grey is exactly k */
static mnt_image image_of(int w, int h, double ppi, int (*fn)(int x, int y))
{
    mnt_image im;
    assert_int_equal(mnt_image_alloc(&im, w, h, 0, NULL), 0);
    im.ppi = ppi;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) im.px[(size_t)y * w + x] = (float)fn(x, y) / 255.0f;
    return im;
}

static int pattern(int x, int y) { return (x * 7 + y * 3) % 256; }
static int light(int x, int y) { (void)x; (void)y; return 200; }
static int dark(int x, int y) { (void)x; (void)y; return 30; }

static mnt_minutia mark(double x, double y, double angle, mnt_minutia_type t, double score)
{
    mnt_minutia m = tc_minutia(x, y, angle, t, (int)lround(100 * score));
    m.score = score;
    m.has_score = 1;
    return m;
}

static const uint8_t *px(const mnt_rgb_image *c, int x, int y)
{
    assert_true(x >= 0 && y >= 0 && x < c->width && y < c->height);
    return c->rgb + 3 * ((size_t)y * c->width + x);
}

static double luma(const uint8_t *p) { return 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2]; }
static int chroma(const uint8_t *p)
{
    int mx = p[0] > p[1] ? p[0] : p[1], mn = p[0] < p[1] ? p[0] : p[1];
    mx = mx > p[2] ? mx : p[2];
    mn = mn < p[2] ? mn : p[2];
    return mx - mn;
}

static void draw(const mnt_overlay_desc *d, mnt_rgb_image *out, mnt_overlay_info *info)
{
    mnt_diag diag = {0};
    int rc = mnt_overlay_draw(d, out, info, &diag);
    if (rc) fail_msg("overlay: %s", diag.msg);
}

/* ---- tests ---- */

static void image_area_is_the_input_inside_a_margin(void **state)
{
    (void)state;
    mnt_image im = image_of(300, 260, 500, pattern);
    mnt_view v = {0};
    mnt_minutia a = mark(40, 40, 30, MNT_TYPE_ENDING, 0.9), b = mark(250, 200, 200, MNT_TYPE_BIFURCATION, 0.8);
    assert_int_equal(mnt_view_push(&v, &a), 0);
    assert_int_equal(mnt_view_push(&v, &b), 0);
    mnt_overlay_desc d = {.image = &im, .marks = &v, .threshold = 0.67, .file_name = "t.png", .model = "test model"};
    mnt_rgb_image out;
    mnt_overlay_info info;
    draw(&d, &out, &info);
    /* a margin all round and a panel to the right */
    assert_true(info.image_x > 0 && info.image_y > 0);
    assert_true(info.panel_x >= info.image_x + im.width);
    assert_true(out.width >= info.panel_x + 100 && out.height >= info.image_y + im.height);
    for (int x = 0; x < out.width; x++) assert_int_equal(px(&out, x, 0)[0], 255); /* top margin row: no image */
    /* the legend is in the panel: text there, and none of it over the image */
    size_t ink = 0;
    for (int y = 0; y < out.height; y++)
        for (int x = info.panel_x; x < out.width; x++) ink += px(&out, x, y)[0] < 128;
    assert_true(ink > 500);
    /* away from the marks the image is the input, unaltered grey */
    double keep = 4 * info.mark_radius + 12;
    size_t checked = 0;
    for (int y = 0; y < im.height; y++)
        for (int x = 0; x < im.width; x++) {
            if (hypot(x - a.x, y - a.y) < keep || hypot(x - b.x, y - b.y) < keep) continue;
            const uint8_t *p = px(&out, info.image_x + x, info.image_y + y);
            int want = pattern(x, y);
            if (p[0] != want || p[1] != want || p[2] != want)
                fail_msg("image pixel (%d, %d) is %d,%d,%d, input %d", x, y, p[0], p[1], p[2], want);
            checked++;
        }
    assert_true(checked > 60000);
    mnt_rgb_free(&out);
    mnt_image_free(&im);
    free(v.m);
}

/* the corners of the square's box hold the bifurcation's stroke; the ending's and the
 * other's do not. grey: judge by luminance only (a greyscale print) */
static void check_shapes(int grey)
{
    mnt_image im = image_of(300, 120, 500, light);
    mnt_view v = {0};
    /* tails point up: away from the corners sampled */
    mnt_minutia m[3] = {mark(50, 60, 90, MNT_TYPE_ENDING, 0.95), mark(150, 60, 90, MNT_TYPE_BIFURCATION, 0.95),
                        mark(250, 60, 90, MNT_TYPE_OTHER, 0.95)};
    for (int i = 0; i < 3; i++) assert_int_equal(mnt_view_push(&v, &m[i]), 0);
    mnt_overlay_desc d = {.image = &im, .marks = &v};
    mnt_rgb_image out;
    mnt_overlay_info info;
    draw(&d, &out, &info);
    double r = info.mark_radius;
    int corner_ink[3] = {0};
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 4; k++) {
            int x = (int)lround(info.image_x + m[i].x + (k & 1 ? r : -r));
            int y = (int)lround(info.image_y + m[i].y + (k & 2 ? r : -r));
            const uint8_t *p = px(&out, x, y);
            int ink = grey ? luma(p) < 200 - 60 : chroma(p) > 80;
            corner_ink[i] += ink;
        }
    assert_int_equal(corner_ink[1], 4); /* square: all four corners */
    assert_int_equal(corner_ink[0], 0); /* circle: none */
    assert_true(corner_ink[2] <= 2);    /* triangle: not its top corners */
    /* and the outline passes through the circle's top and the square's edge midpoints */
    const uint8_t *left_of_circle = px(&out, (int)lround(info.image_x + 50 - r), info.image_y + 60);
    assert_true(grey ? luma(left_of_circle) < 140 : chroma(left_of_circle) > 80);
    mnt_rgb_free(&out);
    mnt_image_free(&im);
    free(v.m);
}

static void shape_differs_by_type(void **state)
{
    (void)state;
    check_shapes(0);
}

static void grey_print_keeps_types_apart(void **state)
{
    (void)state;
    check_shapes(1);
}

/* over dark ridges a light halo surrounds the stroke; over light ones the stroke is dark:
 * luminance contrast either way */
static void halo_gives_contrast_on_dark_and_light(void **state)
{
    (void)state;
    int (*bg[2])(int, int) = {dark, light};
    for (int k = 0; k < 2; k++) {
        mnt_image im = image_of(120, 120, 500, bg[k]);
        mnt_view v = {0};
        mnt_minutia m = mark(60, 60, 90, MNT_TYPE_ENDING, 0.8);
        assert_int_equal(mnt_view_push(&v, &m), 0);
        mnt_overlay_desc d = {.image = &im, .marks = &v};
        mnt_rgb_image out;
        mnt_overlay_info info;
        draw(&d, &out, &info);
        double lo = 255, hi = 0, back = bg[k](0, 0);
        /* along a ray from the centre to the left, across the stroke and its halo */
        for (double t = 0; t < info.mark_radius + 5; t += 0.5) {
            double l = luma(px(&out, (int)lround(info.image_x + 60 - t), info.image_y + 60));
            lo = l < lo ? l : lo;
            hi = l > hi ? l : hi;
        }
        if ((k == 0 && !(hi > back + 150)) || (k == 1 && !(lo < back - 70)))
            fail_msg("background %.0f: luminance %.0f..%.0f across the mark (no halo or no contrast)", back, lo, hi);
        mnt_rgb_free(&out);
        mnt_image_free(&im);
        free(v.m);
    }
}

/* ink of the label left of a mark whose tail points right */
static void label_box(const mnt_overlay_info *info, double cx, double cy, int *x0, int *x1, int *y0, int *y1)
{
    double r = info->mark_radius;
    *x0 = (int)floor(info->image_x + cx - r - 4 - 3 * 6);
    *x1 = (int)ceil(info->image_x + cx - r - 2);
    *y0 = (int)floor(info->image_y + cy - 6);
    *y1 = (int)ceil(info->image_y + cy + 6);
}

static void render_numbered(size_t row, mnt_rgb_image *out, mnt_overlay_info *info, mnt_image *im)
{
    mnt_view v = {0};
    /* rows before `row` far away in the bottom right, then the one looked at */
    for (size_t i = 0; i < row; i++) {
        mnt_minutia f = mark(330 + (double)(i % 4) * 20, 170 + (double)(i / 4) * 20, 0, MNT_TYPE_ENDING, 0.9);
        assert_int_equal(mnt_view_push(&v, &f), 0);
    }
    mnt_minutia m = mark(100, 60, 0, MNT_TYPE_ENDING, 0.9);
    assert_int_equal(mnt_view_push(&v, &m), 0);
    mnt_overlay_desc d = {.image = im, .marks = &v};
    draw(&d, out, info);
    free(v.m);
}

static void numbers_are_drawn_beside_marks(void **state)
{
    (void)state;
    mnt_image im = image_of(420, 260, 500, light);
    mnt_rgb_image a, b;
    mnt_overlay_info ia, ib;
    render_numbered(7, &a, &ia, &im);
    render_numbered(8, &b, &ib, &im);
    int x0, x1, y0, y1;
    label_box(&ia, 100, 60, &x0, &x1, &y0, &y1);
    size_t ink = 0, differ = 0;
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++) {
            const uint8_t *p = px(&a, x, y), *q = px(&b, x, y);
            ink += chroma(p) > 80 || luma(p) < 120;
            differ += memcmp(p, q, 3) != 0;
        }
    assert_true(ink >= 8);    /* the digit's strokes */
    assert_true(differ >= 4); /* "7" and "8" are different glyphs */
    mnt_rgb_free(&a);
    mnt_rgb_free(&b);
    mnt_image_free(&im);
}

/* the longest run of black pixels in the panel, on a row where it is at least 3 rows high */
static int longest_bar(const mnt_rgb_image *c, int x_from)
{
    int best = 0;
    for (int y = 0; y + 2 < c->height; y++) {
        int run = 0;
        for (int x = x_from; x < c->width; x++) {
            int black = 1;
            for (int k = 0; k < 3; k++) black &= px(c, x, y + k)[0] < 40 && px(c, x, y + k)[1] < 40;
            run = black ? run + 1 : 0;
            if (run > best) best = run;
        }
    }
    return best;
}

static void scale_bar_is_one_millimetre(void **state)
{
    (void)state;
    const double ppis[2] = {500, 1000};
    for (int k = 0; k < 2; k++) {
        mnt_image im = image_of(400, 400, ppis[k], light);
        mnt_view v = {0};
        mnt_overlay_desc d = {.image = &im, .marks = &v, .file_name = "bar.png"};
        mnt_rgb_image out;
        mnt_overlay_info info;
        draw(&d, &out, &info);
        double want = ppis[k] / 25.4;
        int len = longest_bar(&out, info.panel_x);
        if (fabs(len - want) > 1) fail_msg("%.0f ppi: bar of %d px, 1 mm is %.2f px", ppis[k], len, want);
        assert_true(fabs(info.scale_len - want) <= 1);
        assert_true(info.scale_x >= info.panel_x);
        assert_true(out.ppi == ppis[k]);
        mnt_rgb_free(&out);
        mnt_image_free(&im);
    }
}

static size_t mark_ink(double score, double threshold, double *max_chroma)
{
    mnt_image im = image_of(120, 120, 500, light);
    mnt_view v = {0};
    mnt_minutia m = mark(60, 60, 0, MNT_TYPE_ENDING, score);
    assert_int_equal(mnt_view_push(&v, &m), 0);
    mnt_overlay_desc d = {.image = &im, .marks = &v, .threshold = threshold};
    mnt_rgb_image out;
    mnt_overlay_info info;
    draw(&d, &out, &info);
    size_t n = 0;
    *max_chroma = 0;
    for (int y = 0; y < im.height; y++)
        for (int x = 0; x < im.width; x++) {
            int c = chroma(px(&out, info.image_x + x, info.image_y + y));
            n += c > 80;
            if (c > *max_chroma) *max_chroma = c;
        }
    mnt_rgb_free(&out);
    mnt_image_free(&im);
    free(v.m);
    return n;
}

static void score_changes_the_drawing(void **state)
{
    (void)state;
    double c74, c95, c50;
    size_t n74 = mark_ink(0.74, 0.67, &c74), n95 = mark_ink(0.95, 0.67, &c95), n50 = mark_ink(0.50, 0.67, &c50);
    assert_true(n74 > 20);
    assert_true((double)n95 > 1.4 * (double)n74); /* a 0.95 mark is drawn bolder than a 0.74 one */
    assert_true(c50 < 0.6 * c95 && n50 < n74);    /* below the threshold: faint */
}

static void compare_set_pairs_and_outside(void **state)
{
    (void)state;
    mnt_image im = image_of(300, 200, 500, light);
    mnt_view v = {0}, c = {0};
    mnt_minutia m[3] = {mark(60, 60, 0, MNT_TYPE_ENDING, 0.9), mark(200, 120, 90, MNT_TYPE_BIFURCATION, 0.9),
                        mark(-30, 10, 0, MNT_TYPE_ENDING, 0.9)};
    for (int i = 0; i < 3; i++) assert_int_equal(mnt_view_push(&v, &m[i]), 0);
    /* one examiner mark 5 px from the first, one 60 px from the second */
    mnt_minutia e[2] = {tc_minutia(65, 60, 10, MNT_TYPE_ENDING, 0), tc_minutia(260, 120, 90, MNT_TYPE_BIFURCATION, 0)};
    for (int i = 0; i < 2; i++) assert_int_equal(mnt_view_push(&c, &e[i]), 0);
    mnt_overlay_desc d = {.image = &im, .marks = &v, .compare = &c, .compare_label = "examiner"};
    mnt_rgb_image out;
    mnt_overlay_info info;
    draw(&d, &out, &info);
    assert_int_equal(info.pairs, 1);
    assert_int_equal(info.outside, 1);
    /* the compare mark: a larger black outline (right of the second examiner mark) */
    double rc = 1.5 * info.mark_radius;
    int dark_found = 0;
    for (double t = rc; t < 2.2 * info.mark_radius; t += 0.5)
        dark_found |= luma(px(&out, (int)lround(info.image_x + 260 + t), info.image_y + 120)) < 60;
    assert_true(dark_found);
    /* nothing drawn where the outside mark would be (in the margin left of the image) */
    for (int y = 0; y < info.image_y + 30; y++)
        for (int x = 0; x < info.image_x - 3; x++) assert_int_equal(px(&out, x, y)[0], 255);
    mnt_rgb_free(&out);
    mnt_image_free(&im);
    free(v.m);
    free(c.m);
}

static void region_outline_and_old_entry_point(void **state)
{
    (void)state;
    mnt_image im = image_of(100, 80, 500, light);
    uint8_t *roi = calloc(100 * 80, 1);
    for (int y = 20; y < 60; y++)
        for (int x = 20; x < 80; x++) roi[y * 100 + x] = 1;
    mnt_view v = {0};
    mnt_rgb_image out;
    assert_int_equal(mnt_overlay_render(&im, roi, &v, 0.5, &out, NULL), 0);
    assert_true(out.width > im.width && out.height >= im.height);
    /* find the image origin: the first pixel of value 200 on a row through the image */
    mnt_overlay_desc d = {.image = &im, .marks = &v, .region = roi};
    mnt_rgb_image o2;
    mnt_overlay_info info;
    draw(&d, &o2, &info);
    const uint8_t *edge = px(&o2, info.image_x + 20, info.image_y + 40), *inside = px(&o2, info.image_x + 50, info.image_y + 40);
    assert_true(edge[2] > edge[0] + 100 && edge[1] > edge[0] + 60); /* sky blue */
    assert_int_equal(inside[0], 200);
    mnt_rgb_free(&out);
    mnt_rgb_free(&o2);
    mnt_image_free(&im);
    free(roi);
}

static void refuses_missing_arguments(void **state)
{
    (void)state;
    mnt_rgb_image out;
    mnt_overlay_desc d = {0};
    assert_int_equal(mnt_overlay_draw(&d, &out, NULL, NULL), MNT_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(image_area_is_the_input_inside_a_margin),
        cmocka_unit_test(shape_differs_by_type),
        cmocka_unit_test(grey_print_keeps_types_apart),
        cmocka_unit_test(halo_gives_contrast_on_dark_and_light),
        cmocka_unit_test(numbers_are_drawn_beside_marks),
        cmocka_unit_test(scale_bar_is_one_millimetre),
        cmocka_unit_test(score_changes_the_drawing),
        cmocka_unit_test(compare_set_pairs_and_outside),
        cmocka_unit_test(region_outline_and_old_entry_point),
        cmocka_unit_test(refuses_missing_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
