/* NIST .xyt text: "x y theta [quality]" per line. NIST frame: origin bottom-left
 * (y' = H - y), theta pointing opposite to ISO; M1 frame: top-left, ISO direction.
 * Angles are whole degrees in both frames. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "template_io.h"
#include "text_lines.h"

enum { MAX_XYT_LINES = 100000 };

int mnt_xyt_decode(const char *text, size_t len, int m1, int height, mnt_template *t, mnt_diag *d)
{
    if (!m1 && height <= 0)
        return mnt_fail(d, MNT_ERR_ARG, "a NIST-frame .xyt needs the image height (--height H, or --xyt-frame m1)");
    if (!mnt_is_text(text, len)) return mnt_fail(d, MNT_ERR_FORMAT, "xyt: binary data in a text format");
    int rc = mnt_template_init(t);
    if (rc) return mnt_fail(d, rc, "out of memory");
    t->height = m1 ? 0 : height;
    if (m1 && height > 0) t->height = height;
    mnt_lines it = {text, len, 0, 0, {0}};
    int columns = 0, r;
    while ((r = mnt_lines_next(&it)) != 0) {
        if (r < 0) { rc = mnt_fail(d, MNT_ERR_FORMAT, "xyt line %zu: too long", it.lineno); goto fail; }
        char *tok[MNT_MAX_TOKENS];
        int n = mnt_split_tokens(it.line, tok, MNT_MAX_TOKENS);
        if (n == 0) continue;
        if (n < 3 || n > 4) {
            rc = mnt_fail(d, MNT_ERR_FORMAT, "xyt line %zu: %d columns (3 or 4 expected)", it.lineno, n);
            goto fail;
        }
        if (!columns) columns = n;
        if (n != columns) {
            rc = mnt_fail(d, MNT_ERR_FORMAT, "xyt line %zu: %d columns, earlier lines have %d", it.lineno, n, columns);
            goto fail;
        }
        long v[4] = {0, 0, 0, 0};
        for (int k = 0; k < n; k++)
            if (!mnt_parse_long(tok[k], &v[k])) {
                rc = mnt_fail(d, MNT_ERR_FORMAT, "xyt line %zu: '%s' is not an integer", it.lineno, tok[k]);
                goto fail;
            }
        if (t->views[0].n >= MAX_XYT_LINES) {
            rc = mnt_fail(d, MNT_ERR_LIMIT, "xyt: more than %d minutiae", MAX_XYT_LINES);
            goto fail;
        }
        if (v[0] < 0 || v[0] > 0x3FFF || v[1] < 0 || v[1] > 0x3FFF) {
            rc = mnt_fail(d, MNT_ERR_FORMAT, "xyt line %zu: position (%ld,%ld) out of range", it.lineno, v[0], v[1]);
            goto fail;
        }
        if (v[2] < -180 || v[2] >= 360) {
            rc = mnt_fail(d, MNT_ERR_FORMAT, "xyt line %zu: angle %ld outside -180..359", it.lineno, v[2]);
            goto fail;
        }
        if (n == 4 && (v[3] < 0 || v[3] > 100)) {
            rc = mnt_fail(d, MNT_ERR_FORMAT, "xyt line %zu: quality %ld outside 0..100", it.lineno, v[3]);
            goto fail;
        }
        mnt_minutia m = {0};
        m.x = (double)v[0];
        if (m1) {
            m.y = (double)v[1];
            m.angle = mnt_angle_norm((double)v[2]);
        } else {
            if (v[1] > height) {
                rc = mnt_fail(d, MNT_ERR_FORMAT, "xyt line %zu: y %ld exceeds the image height %d", it.lineno, v[1], height);
                goto fail;
            }
            m.y = (double)(height - v[1]);
            m.angle = mnt_angle_norm((double)v[2] + 180.0);
        }
        m.type = MNT_TYPE_OTHER;
        m.quality = (int)v[3];
        if ((rc = mnt_view_push(&t->views[0], &m))) { rc = mnt_fail(d, rc, "out of memory"); goto fail; }
    }
    return MNT_OK;
fail:
    mnt_template_free(t);
    return rc;
}

int mnt_xyt_encode(const mnt_template *t, int m1, mnt_buf *out, mnt_diag *d)
{
    if (t->nviews < 1) return mnt_fail(d, MNT_ERR_ARG, "no view to write");
    if (!m1 && t->height <= 0) return mnt_fail(d, MNT_ERR_ARG, "the NIST xyt frame needs the image height");
    const mnt_view *v = &t->views[0];
    for (size_t i = 0; i < v->n; i++) {
        const mnt_minutia *m = &v->m[i];
        long x = lround(m->x), y = lround(m->y);
        if (x < 0 || y < 0 || (t->width > 0 && x >= t->width) || (t->height > 0 && y >= t->height))
            return mnt_fail(d, MNT_ERR_FORMAT, "minutia %zu at (%.1f,%.1f) lies outside the image", i, m->x, m->y);
        int q = m->quality > 100 ? 0 : m->quality < 0 ? 0 : m->quality;
        long a = lround(mnt_angle_norm(m->angle)) % 360;
        if (m1)
            mnt_buf_printf(out, "%ld %ld %ld %d\n", x, y, a, q);
        else
            mnt_buf_printf(out, "%ld %ld %ld %d\n", x, (long)t->height - y, (a + 180) % 360, q);
    }
    if (out->failed) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    return MNT_OK;
}
