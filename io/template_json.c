/* The project's JSON template:
 * {"image": "NAME.png", "width": W, "height": H, "ppi": R [, "finger_quality": 1..100], "minutiae": [
 *   {"x": .., "y": .., "angle": .., "type": "ending"|"bifurcation"|"other",
 *    "quality": 0..100, "score": 0..1 [, "hidden": true]}]}
 * Unknown keys are ignored; `level` and `class` are kept. `finger_quality` is the
 * view's finger quality of a binary record (written when not 0), so ISO -> JSON -> ISO
 * keeps it. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "template_io.h"

static int get_number(const mnt_json *obj, const char *key, int required, double lo, double hi, double *out,
                      const char *where, mnt_diag *d)
{
    const mnt_json *v = mnt_json_get(obj, key);
    if (!v) {
        if (required) return mnt_fail(d, MNT_ERR_FORMAT, "JSON %s: missing \"%s\"", where, key);
        return 1;
    }
    if (v->kind != MNT_JSON_NUMBER) return mnt_fail(d, MNT_ERR_FORMAT, "JSON %s: \"%s\" is not a number", where, key);
    if (!(v->num >= lo && v->num <= hi))
        return mnt_fail(d, MNT_ERR_FORMAT, "JSON %s: \"%s\" = %g outside %g..%g", where, key, v->num, lo, hi);
    *out = v->num;
    return MNT_OK;
}

static void copy_string(const mnt_json *obj, const char *key, char *dst, size_t cap)
{
    const mnt_json *v = mnt_json_get(obj, key);
    if (v && v->kind == MNT_JSON_STRING) snprintf(dst, cap, "%s", v->str);
}

static int decode_minutia(const mnt_json *e, size_t i, int width, int height, mnt_minutia *m, mnt_diag *d)
{
    char where[48];
    snprintf(where, sizeof where, "minutia %zu", i);
    if (e->kind != MNT_JSON_OBJECT) return mnt_fail(d, MNT_ERR_FORMAT, "JSON %s: not an object", where);
    memset(m, 0, sizeof *m);
    double q = -1;
    int rc;
    if ((rc = get_number(e, "x", 1, 0, width > 0 ? width : 16384, &m->x, where, d)) < 0) return rc;
    if ((rc = get_number(e, "y", 1, 0, height > 0 ? height : 16384, &m->y, where, d)) < 0) return rc;
    if ((rc = get_number(e, "angle", 1, 0, 360, &m->angle, where, d)) < 0) return rc;
    if (m->angle >= 360) return mnt_fail(d, MNT_ERR_FORMAT, "JSON %s: \"angle\" must be below 360", where);
    if ((width > 0 && m->x >= width) || (height > 0 && m->y >= height))
        return mnt_fail(d, MNT_ERR_FORMAT, "JSON %s: position (%g,%g) outside the %dx%d image", where, m->x, m->y, width, height);
    rc = get_number(e, "quality", 0, 0, 100, &q, where, d);
    if (rc < 0) return rc;
    if (rc == 0 && q != floor(q)) return mnt_fail(d, MNT_ERR_FORMAT, "JSON %s: \"quality\" must be an integer", where);
    rc = get_number(e, "score", 0, 0, 1, &m->score, where, d);
    if (rc < 0) return rc;
    m->has_score = rc == 0;
    m->quality = q >= 0 ? (int)q : m->has_score ? (int)lround(100.0 * m->score) : 0;
    const mnt_json *type = mnt_json_get(e, "type");
    m->type = MNT_TYPE_OTHER;
    if (type) {
        if (type->kind != MNT_JSON_STRING || mnt_type_from_name(type->str, &m->type))
            return mnt_fail(d, MNT_ERR_FORMAT, "JSON %s: \"type\" must be \"ending\", \"bifurcation\" or \"other\"", where);
    }
    const mnt_json *hidden = mnt_json_get(e, "hidden");
    if (hidden) {
        if (hidden->kind != MNT_JSON_BOOL) return mnt_fail(d, MNT_ERR_FORMAT, "JSON %s: \"hidden\" must be true or false", where);
        m->hidden = hidden->num != 0;
    }
    return MNT_OK;
}

int mnt_json_template_decode(const char *text, size_t len, mnt_template *t, mnt_diag *d)
{
    mnt_json *root;
    int rc = mnt_json_parse(text, len, &root, d);
    if (rc) return rc;
    rc = mnt_template_init(t);
    if (rc) { mnt_json_free(root); return mnt_fail(d, rc, "out of memory"); }
    if (root->kind != MNT_JSON_OBJECT) { rc = mnt_fail(d, MNT_ERR_FORMAT, "JSON: top level is not an object"); goto done; }
    double w = 0, h = 0, ppi = 0;
    if ((rc = get_number(root, "width", 0, 0, 16383, &w, "record", d)) < 0) goto done;
    if ((rc = get_number(root, "height", 0, 0, 16383, &h, "record", d)) < 0) goto done;
    if ((rc = get_number(root, "ppi", 0, 0, 100000, &ppi, "record", d)) < 0) goto done;
    if (w != floor(w) || h != floor(h)) { rc = mnt_fail(d, MNT_ERR_FORMAT, "JSON record: width/height must be integers"); goto done; }
    double fq = 0;
    if ((rc = get_number(root, "finger_quality", 0, 0, 100, &fq, "record", d)) < 0) goto done;
    if (fq != floor(fq)) { rc = mnt_fail(d, MNT_ERR_FORMAT, "JSON record: \"finger_quality\" must be an integer"); goto done; }
    t->views[0].quality = (int)fq;
    t->width = (int)w;
    t->height = (int)h;
    t->ppi = ppi;
    if (ppi > 0) t->xres = t->yres = mnt_ppi_to_ppcm(ppi);
    copy_string(root, "image", t->image, sizeof t->image);
    copy_string(root, "level", t->level, sizeof t->level);
    copy_string(root, "class", t->cls, sizeof t->cls);
    const mnt_json *arr = mnt_json_get(root, "minutiae");
    if (!arr || arr->kind != MNT_JSON_ARRAY) { rc = mnt_fail(d, MNT_ERR_FORMAT, "JSON record: \"minutiae\" array missing"); goto done; }
    for (size_t i = 0; i < arr->n; i++) {
        mnt_minutia m;
        if ((rc = decode_minutia(&arr->items[i], i, t->width, t->height, &m, d))) goto done;
        if ((rc = mnt_view_push(&t->views[0], &m))) { rc = mnt_fail(d, rc, "too many minutiae"); goto done; }
    }
    rc = MNT_OK;
done:
    mnt_json_free(root);
    if (rc) mnt_template_free(t);
    return rc;
}

/* Shortest fixed-point form with up to `digits` decimals: 12.5, 300, 0.875. */
static void put_num(mnt_buf *b, double v, int digits)
{
    char s[64];
    snprintf(s, sizeof s, "%.*f", digits, v);
    char *dot = strchr(s, '.');
    if (dot) {
        char *e = s + strlen(s) - 1;
        while (e > dot && *e == '0') *e-- = 0;
        if (e == dot) *e = 0;
    }
    if (!strcmp(s, "-0")) strcpy(s, "0");
    mnt_buf_printf(b, "%s", s);
}

int mnt_json_template_encode(const mnt_template *t, mnt_buf *out, mnt_diag *d)
{
    if (t->nviews < 1) return mnt_fail(d, MNT_ERR_ARG, "no view to write");
    mnt_buf_printf(out, "{\n  \"image\": ");
    mnt_buf_json_string(out, t->image);
    mnt_buf_printf(out, ",\n  \"width\": %d,\n  \"height\": %d,\n  \"ppi\": ", t->width, t->height);
    put_num(out, mnt_template_ppi(t), 2);
    if (t->level[0]) {
        mnt_buf_printf(out, ",\n  \"level\": ");
        mnt_buf_json_string(out, t->level);
    }
    if (t->cls[0]) {
        mnt_buf_printf(out, ",\n  \"class\": ");
        mnt_buf_json_string(out, t->cls);
    }
    const mnt_view *v = &t->views[0];
    if (v->quality > 0 && v->quality <= 100) mnt_buf_printf(out, ",\n  \"finger_quality\": %d", v->quality);
    mnt_buf_printf(out, ",\n  \"minutiae\": [");
    for (size_t i = 0; i < v->n; i++) {
        const mnt_minutia *m = &v->m[i];
        if (!isfinite(m->x) || !isfinite(m->y) || !isfinite(m->angle) || m->x < 0 || m->y < 0)
            return mnt_fail(d, MNT_ERR_FORMAT, "minutia %zu has an invalid position or angle", i);
        int q = m->quality > 100 ? 0 : m->quality;
        double score = m->has_score ? m->score : q / 100.0;
        mnt_buf_printf(out, "%s\n    {\"x\": ", i ? "," : "");
        put_num(out, m->x, 2);
        mnt_buf_printf(out, ", \"y\": ");
        put_num(out, m->y, 2);
        mnt_buf_printf(out, ", \"angle\": ");
        double a = mnt_angle_norm(m->angle);
        if (a >= 359.995) a = 0; /* would print as 360.00 */
        put_num(out, a, 2);
        mnt_buf_printf(out, ", \"type\": \"%s\", \"quality\": %d, \"score\": ", mnt_type_name(m->type), q);
        put_num(out, score, 4);
        if (m->hidden) mnt_buf_printf(out, ", \"hidden\": true");
        mnt_buf_printf(out, "}");
    }
    mnt_buf_printf(out, "%s]\n}\n", v->n ? "\n  " : "");
    if (out->failed) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    return MNT_OK;
}
