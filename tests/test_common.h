/* Helpers shared by the cmocka test programs. */
#ifndef MNT_TEST_COMMON_H
#define MNT_TEST_COMMON_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "bytes.h"
#include "template.h"

/* A minutia with integer position, for golden records. */
static inline mnt_minutia tc_minutia(double x, double y, double angle, mnt_minutia_type type, int quality)
{
    mnt_minutia m = {0};
    m.x = x;
    m.y = y;
    m.angle = angle;
    m.type = type;
    m.quality = quality;
    return m;
}

/* 1 when the crossing-number minutiae in found hold one of t's type within 4 px and
 * 20 degrees: the proof that a synthetic label is where its ridges say it is. */
static inline int tc_crossing_found(const mnt_view *found, const mnt_minutia *t)
{
    for (size_t j = 0; j < found->n; j++) {
        double dx = found->m[j].x - t->x, dy = found->m[j].y - t->y;
        if (dx * dx + dy * dy <= 16 && found->m[j].type == t->type && mnt_angle_diff(found->m[j].angle, t->angle) <= 20)
            return 1;
    }
    return 0;
}

/* Template of one view with n minutiae spread over a w x h image. */
static inline void tc_template(mnt_template *t, int w, int h, size_t n)
{
    assert_int_equal(mnt_template_init(t), 0);
    t->width = w;
    t->height = h;
    t->xres = t->yres = 197;
    for (size_t i = 0; i < n; i++) {
        mnt_minutia m = tc_minutia((double)((i * 37) % (size_t)w), (double)((i * 53) % (size_t)h),
                                   (double)((i * 29) % 360), (mnt_minutia_type)(1 + i % 2), (int)(i % 101));
        assert_int_equal(mnt_view_push(&t->views[0], &m), 0);
    }
}

/* Path of the shared data folder, from the environment (set by ctest), or NULL. */
/* Exit status of a test program with nothing to test here (ctest SKIP_RETURN_CODE). */
enum { TC_SKIP = 77 };

static inline const char *tc_shared_dir(void)
{
    const char *s = getenv("MNT_SHARED_DATA");
    return s && *s ? s : NULL;
}

#endif
