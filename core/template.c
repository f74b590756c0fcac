#include "template.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int mnt_template_init(mnt_template *t)
{
    memset(t, 0, sizeof *t);
    mnt_view *v;
    return mnt_template_add_view(t, &v);
}

void mnt_template_free(mnt_template *t)
{
    if (!t) return;
    for (size_t i = 0; i < t->nviews; i++) free(t->views[i].m);
    free(t->views);
    memset(t, 0, sizeof *t);
}

int mnt_template_add_view(mnt_template *t, mnt_view **out)
{
    if (t->nviews >= 255) return MNT_ERR_LIMIT;
    mnt_view *nv = realloc(t->views, (t->nviews + 1) * sizeof *nv);
    if (!nv) return MNT_ERR_NOMEM;
    t->views = nv;
    mnt_view *v = &t->views[t->nviews++];
    memset(v, 0, sizeof *v);
    memset(v->x2011.datetime, 0xFF, sizeof v->x2011.datetime);
    v->x2011.minutia_size = 6;
    if (out) *out = v;
    return MNT_OK;
}

int mnt_view_push(mnt_view *v, const mnt_minutia *m)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 32;
        if (cap > (size_t)1 << 24) return MNT_ERR_LIMIT;
        mnt_minutia *nm = realloc(v->m, cap * sizeof *nm);
        if (!nm) return MNT_ERR_NOMEM;
        v->m = nm;
        v->cap = cap;
    }
    v->m[v->n++] = *m;
    return MNT_OK;
}

int mnt_template_copy_view(const mnt_template *src, size_t view, mnt_template *dst)
{
    if (view >= src->nviews) return MNT_ERR_ARG;
    mnt_template t = *src;
    t.nviews = 0;
    t.views = NULL;
    mnt_view *v;
    int rc = mnt_template_add_view(&t, &v);
    if (rc) return rc;
    const mnt_view *sv = &src->views[view];
    *v = *sv;
    v->m = NULL;
    v->n = v->cap = 0;
    for (size_t i = 0; i < sv->n; i++) {
        rc = mnt_view_push(v, &sv->m[i]);
        if (rc) {
            mnt_template_free(&t);
            return rc;
        }
    }
    *dst = t;
    return MNT_OK;
}

static int quality_rank(int q)
{
    /* 254/255 mean "no quality": rank below every measured value. */
    return q > 100 ? -1 : q;
}

void mnt_view_keep_best(mnt_view *v, size_t keep)
{
    if (v->n <= keep) return;
    /* Drop the lowest-quality minutia (last one among equals) until few enough;
     * n is at most a few thousand, so the quadratic cost does not matter. */
    while (v->n > keep) {
        size_t worst = 0;
        for (size_t i = 1; i < v->n; i++) {
            int qi = quality_rank(v->m[i].quality), qw = quality_rank(v->m[worst].quality);
            double si = v->m[i].has_score ? v->m[i].score : 0, sw = v->m[worst].has_score ? v->m[worst].score : 0;
            if (qi < qw || (qi == qw && si <= sw)) worst = i;
        }
        memmove(&v->m[worst], &v->m[worst + 1], (v->n - worst - 1) * sizeof *v->m);
        v->n--;
    }
}

int mnt_ppi_to_ppcm(double ppi)
{
    return (int)floor((ppi * 100.0 + 50.0) / 254.0);
}

double mnt_ppcm_to_ppi(int ppcm)
{
    return ppcm * 2.54;
}

double mnt_template_ppi(const mnt_template *t)
{
    if (t->ppi > 0) return t->ppi;
    if (t->xres > 0) return round(t->xres * 2.54);
    return 0;
}

double mnt_angle_norm(double deg)
{
    double a = fmod(deg, 360.0);
    if (a < 0) a += 360.0;
    if (a >= 360.0) a -= 360.0;
    return a;
}

double mnt_angle_diff(double a, double b)
{
    double d = fabs(mnt_angle_norm(a) - mnt_angle_norm(b));
    return d > 180.0 ? 360.0 - d : d;
}

int mnt_angle_to_iso(double deg)
{
    return (int)lround(mnt_angle_norm(deg) * 256.0 / 360.0) % 256;
}

double mnt_angle_from_iso(int a)
{
    return a * 360.0 / 256.0;
}

int mnt_angle_to_ansi(double deg)
{
    return (int)lround(mnt_angle_norm(deg) / 2.0) % 180;
}

double mnt_angle_from_ansi(int a)
{
    return a * 2.0;
}

const char *mnt_type_name(mnt_minutia_type t)
{
    switch (t) {
    case MNT_TYPE_ENDING: return "ending";
    case MNT_TYPE_BIFURCATION: return "bifurcation";
    default: return "other";
    }
}

int mnt_type_from_name(const char *s, mnt_minutia_type *out)
{
    if (!strcmp(s, "ending")) *out = MNT_TYPE_ENDING;
    else if (!strcmp(s, "bifurcation")) *out = MNT_TYPE_BIFURCATION;
    else if (!strcmp(s, "other")) *out = MNT_TYPE_OTHER;
    else return MNT_ERR_FORMAT;
    return MNT_OK;
}
