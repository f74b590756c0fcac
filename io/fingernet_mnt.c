/* FingerNet .mnt (read only): line 1 the image name, line 2 "N W H", then N lines
 * "x y theta [score ...]" with theta in radians, (cos, sin) in y-down pixel
 * coordinates, so the canonical angle is -theta in degrees. */
#include <math.h>
#include <stdio.h>

#include "mnt_math.h"
#include "template_io.h"
#include "text_lines.h"

int mnt_fingernet_decode(const char *text, size_t len, mnt_template *t, mnt_diag *d)
{
    if (!mnt_is_text(text, len)) return mnt_fail(d, MNT_ERR_FORMAT, "FingerNet .mnt: binary data in a text format");
    int rc = mnt_template_init(t);
    if (rc) return mnt_fail(d, rc, "out of memory");
    mnt_lines it = {text, len, 0, 0, {0}};
    char *tok[MNT_MAX_TOKENS];
    long n = 0, w = 0, h = 0;
    if (mnt_lines_next(&it) != 1) { rc = mnt_fail(d, MNT_ERR_FORMAT, "FingerNet .mnt: missing image name line"); goto fail; }
    snprintf(t->image, sizeof t->image, "%s", it.line);
    if (mnt_lines_next(&it) != 1 || mnt_split_tokens(it.line, tok, MNT_MAX_TOKENS) != 3 || !mnt_parse_long(tok[0], &n) ||
        !mnt_parse_long(tok[1], &w) || !mnt_parse_long(tok[2], &h) || n < 0 || n > 100000 || w < 0 || w > 16383 ||
        h < 0 || h > 16383) {
        rc = mnt_fail(d, MNT_ERR_FORMAT, "FingerNet .mnt line 2: expected \"N W H\"");
        goto fail;
    }
    t->width = (int)w;
    t->height = (int)h;
    for (long i = 0; i < n; i++) {
        int r = mnt_lines_next(&it);
        if (r != 1) { rc = mnt_fail(d, MNT_ERR_FORMAT, "FingerNet .mnt: %ld minutiae announced, %ld found", n, i); goto fail; }
        int k = mnt_split_tokens(it.line, tok, MNT_MAX_TOKENS);
        double x, y, th, s = -1;
        if (k < 3 || k > MNT_MAX_TOKENS || !mnt_parse_double(tok[0], &x) || !mnt_parse_double(tok[1], &y) ||
            !mnt_parse_double(tok[2], &th) || (k >= 4 && !mnt_parse_double(tok[3], &s))) {
            rc = mnt_fail(d, MNT_ERR_FORMAT, "FingerNet .mnt line %zu: expected \"x y theta [score]\"", it.lineno);
            goto fail;
        }
        if (x < 0 || y < 0 || (w && x >= (double)w) || (h && y >= (double)h)) {
            rc = mnt_fail(d, MNT_ERR_FORMAT, "FingerNet .mnt line %zu: position outside the image", it.lineno);
            goto fail;
        }
        mnt_minutia m = {0};
        m.x = x;
        m.y = y;
        m.angle = mnt_angle_norm(MNT_DEG(-th));
        m.type = MNT_TYPE_OTHER;
        if (s >= 0 && s <= 1) {
            m.score = s;
            m.has_score = 1;
            m.quality = (int)lround(100 * s);
        }
        if ((rc = mnt_view_push(&t->views[0], &m))) { rc = mnt_fail(d, rc, "out of memory"); goto fail; }
    }
    return MNT_OK;
fail:
    mnt_template_free(t);
    return rc;
}
