#include "overlay.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "eval.h"
#include "mnt_math.h"

/* Okabe-Ito, as the review page: vermillion, blue, bluish green by type, sky blue for the
 * region; black for the compare set */
static const mnt_color C_END = {0xD5, 0x5E, 0x00}, C_BIF = {0x00, 0x72, 0xB2}, C_OTHER = {0x00, 0x9E, 0x73},
                       C_ROI = {0x56, 0xB4, 0xE9}, C_CMP = {0, 0, 0}, C_HALO = {255, 255, 255}, C_TEXT = {0, 0, 0},
                       C_RULE = {170, 170, 170}, C_FRAME = {140, 140, 140};

enum { PANEL_CHARS = 27, MAX_AVOID = 1200 };
static const double FAINT_ALPHA = 0.4;

typedef struct {
    double s;      /* ppi / 500 */
    double r;      /* mark radius (square half side) */
    double rc;     /* compare mark radius */
    double halo;   /* halo on each side of a stroke */
    int ls;        /* label font scale */
} geom;

static mnt_color type_color(mnt_minutia_type t)
{
    return t == MNT_TYPE_ENDING ? C_END : t == MNT_TYPE_BIFURCATION ? C_BIF : C_OTHER;
}

/* polygon of a square (4 points) or an upward triangle (3) of "radius" r about (cx, cy) */
static int shape_points(mnt_minutia_type t, double cx, double cy, double r, double *xy)
{
    if (t == MNT_TYPE_BIFURCATION) {
        double p[8] = {cx - r, cy - r, cx + r, cy - r, cx + r, cy + r, cx - r, cy + r};
        memcpy(xy, p, sizeof p);
        return 4;
    }
    /* equilateral, circumradius 1.25 r, centroid at the minutia */
    double R = 1.25 * r, hx = R * 0.8660254037844386;
    double p[6] = {cx, cy - R, cx + hx, cy + R / 2, cx - hx, cy + R / 2};
    memcpy(xy, p, sizeof p);
    return 3;
}

/* distance from the centre to the shape's outline along the unit vector (ux, uy) */
static double edge_distance(mnt_minutia_type t, double r, double ux, double uy)
{
    if (t == MNT_TYPE_ENDING) return r;
    double xy[8];
    int n = shape_points(t, 0, 0, r, xy);
    double best = r;
    int found = 0;
    for (int i = 0; i < n; i++) {
        double ax = xy[2 * i], ay = xy[2 * i + 1], bx = xy[2 * ((i + 1) % n)], by = xy[2 * ((i + 1) % n) + 1];
        double ex = bx - ax, ey = by - ay, den = ux * ey - uy * ex;
        if (fabs(den) < 1e-12) continue;
        double tr = (ax * ey - ay * ex) / den, te = (ax * uy - ay * ux) / den;
        if (tr > 0 && te >= -1e-9 && te <= 1 + 1e-9 && (!found || tr < best)) {
            best = tr;
            found = 1;
        }
    }
    return best;
}

static void draw_shape(mnt_rgb_image *c, mnt_minutia_type t, double cx, double cy, double r, double width, mnt_color col,
                       double alpha)
{
    if (t == MNT_TYPE_ENDING) {
        mnt_draw_circle_alpha(c, cx, cy, r, width, col, alpha);
        return;
    }
    double xy[8];
    int n = shape_points(t, cx, cy, r, xy);
    mnt_draw_polygon(c, xy, n, width, col, alpha);
}

/* One mark: the shape and, when tail > 0, a tail from the outline to `tail` from the
 * centre along angle (degrees, counter-clockwise as displayed). halo: the white pass. */
static void draw_mark(mnt_rgb_image *c, const geom *g, mnt_minutia_type t, double cx, double cy, double r, double angle,
                      double tail, double width, mnt_color col, double alpha, int halo)
{
    if (halo) {
        width += 2 * g->halo;
        col = C_HALO;
    }
    draw_shape(c, t, cx, cy, r, width, col, alpha);
    if (tail > 0) {
        double a = MNT_RAD(angle), ux = cos(a), uy = -sin(a), e = edge_distance(t, r, ux, uy);
        if (tail > e) mnt_draw_line_alpha(c, cx + e * ux, cy + e * uy, cx + tail * ux, cy + tail * uy, width, col, alpha);
    }
}

/* ---- marks ---- */

typedef struct {
    double x, y;          /* canvas */
    double conf;          /* 0..1 */
    int faint, skip;      /* skip: outside or hidden by hide_below */
} mark_state;

typedef struct { int x, y, w, h; } box;

static int boxes_overlap(const box *a, const box *b)
{
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

static double box_dist2(const box *b, double px, double py)
{
    double dx = px < b->x ? b->x - px : px > b->x + b->w ? px - (b->x + b->w) : 0;
    double dy = py < b->y ? b->y - py : py > b->y + b->h ? py - (b->y + b->h) : 0;
    return dx * dx + dy * dy;
}

typedef struct {
    const mark_state *st[2];
    const mnt_view *v[2];
    double radius[2];
    box *placed;
    size_t nplaced;
    int avoid;            /* few enough marks to test every candidate */
    int limit_w, limit_h; /* labels stay left of the panel */
} label_ctx;

static int label_free(const label_ctx *L, const box *b)
{
    if (b->x < 0 || b->y < 0 || b->x + b->w > L->limit_w || b->y + b->h > L->limit_h) return 0;
    if (!L->avoid) return 1;
    for (size_t i = 0; i < L->nplaced; i++)
        if (boxes_overlap(b, &L->placed[i])) return 0;
    for (int s = 0; s < 2; s++) {
        if (!L->v[s]) continue;
        double rr = L->radius[s] * L->radius[s];
        for (size_t i = 0; i < L->v[s]->n; i++) {
            const mark_state *m = &L->st[s][i];
            if (!m->skip && box_dist2(b, m->x, m->y) < rr) return 0;
        }
    }
    return 1;
}

/* A label box of w x h beside the mark at (x, y), on the side opposite its tail, else
 * the nearest free side; the first candidate (kept inside the canvas) when none is free. */
static box place_label(label_ctx *L, double x, double y, double angle, double clear, int w, int h)
{
    static const double OFFS[] = {0, 45, -45, 90, -90, 135, -135};
    box first = {0, 0, w, h};
    for (size_t k = 0; k < sizeof OFFS / sizeof *OFFS; k++) {
        double a = MNT_RAD(angle + 180 + OFFS[k]), ux = cos(a), uy = -sin(a);
        double dd = clear + 0.5 * (fabs(ux) * w + fabs(uy) * h);
        box b = {(int)lround(x + ux * dd - w / 2.0), (int)lround(y + uy * dd - h / 2.0), w, h};
        if (k == 0) first = b;
        if (label_free(L, &b)) return b;
    }
    if (first.x < 0) first.x = 0;
    if (first.y < 0) first.y = 0;
    if (first.x + w > L->limit_w) first.x = L->limit_w - w;
    if (first.y + h > L->limit_h) first.y = L->limit_h - h;
    return first;
}

static void label_text(char *buf, size_t cap, size_t k, double conf, int with_score)
{
    if (!with_score) snprintf(buf, cap, "%zu", k);
    else if (conf >= 0.995) snprintf(buf, cap, "%zu 1.0", k);
    else snprintf(buf, cap, "%zu .%02d", k, (int)lround(100 * conf));
}

/* ---- the legend panel ---- */

typedef struct {
    mnt_rgb_image *c; /* NULL while measuring */
    const geom *g;
    int x, y, w;      /* text column, current top, usable width */
    int sc, lh;
} panel;

static void ptext(panel *p, int indent, const char *text, mnt_color col)
{
    int maxc = (p->w - indent) / (6 * p->sc);
    if (maxc < 4) maxc = 4;
    if (maxc > 200) maxc = 200;
    size_t n = strlen(text), at = 0;
    for (int line = 0; at < n && line < 4; line++) {
        size_t take = n - at;
        char buf[256];
        if (take > (size_t)maxc) {
            take = (size_t)maxc;
            /* break at a space, else after a path or name separator */
            for (size_t k = take; k > (size_t)maxc / 2; k--)
                if (text[at + k] == ' ' || strchr("/_.-", text[at + k - 1])) {
                    take = k;
                    break;
                }
        }
        memcpy(buf, text + at, take);
        buf[take] = 0;
        if (line == 3 && at + take < n && take >= 3) memcpy(buf + take - 3, "...", 4);
        if (p->c) mnt_draw_text(p->c, p->x + indent, p->y, buf, p->sc, col);
        p->y += p->lh;
        at += take;
        while (at < n && text[at] == ' ') at++;
    }
}

static int icon_width(const panel *p)
{
    return (int)ceil(3.9 * p->g->rc) + 4;
}

static int icon_height(const panel *p)
{
    int ih = (int)ceil(2 * 1.25 * p->g->rc + 2 * p->g->halo) + 4;
    return ih > p->lh ? ih : p->lh;
}

/* a legend row: a mark (kind: type, or -1 for the region line) then text */
static void picon(panel *p, int kind, int compare, double width, double alpha, double tail, const char *text,
                  mnt_color tcol)
{
    int h = icon_height(p), iw = icon_width(p);
    const geom *g = p->g;
    double r = compare ? g->rc : g->r, cx = p->x + g->rc + g->halo + 1, cy = p->y + h / 2.0;
    if (p->c) {
        if (kind < 0) {
            int len = iw - 6, th = g->s >= 1.5 ? 2 : 1;
            mnt_draw_fill_rect(p->c, p->x, (int)cy - th / 2, len, th, C_ROI);
        } else {
            mnt_minutia_type t = (mnt_minutia_type)kind;
            mnt_color col = compare ? C_CMP : type_color(t);
            draw_mark(p->c, g, t, cx, cy, r, 0, tail, width, col, alpha, 1);
            draw_mark(p->c, g, t, cx, cy, r, 0, tail, width, col, alpha, 0);
        }
    }
    int save = p->y, lines_y = p->y + (h - mnt_text_height(p->sc)) / 2;
    p->y = lines_y;
    ptext(p, iw, text, tcol);
    p->y = p->y - lines_y > h ? p->y : save + h;
}

static void prule(panel *p)
{
    if (p->c) mnt_draw_fill_rect(p->c, p->x, p->y + p->lh / 4, p->w, p->sc > 1 ? p->sc / 2 : 1, C_RULE);
    p->y += p->lh * 2 / 3;
}

typedef struct {
    const mnt_overlay_desc *d;
    double ppi, lo;       /* stroke widths run from lo to 1 */
    int has_conf;
    size_t ntype[3], faint, not_drawn, outside, hidden, cmp_outside, cmp_hidden;
    long pairs;
    double pair_px;
} summary;

static double stroke_width(const geom *g, const summary *s, double conf)
{
    if (!s->has_conf) return 2.0 * g->s;
    double f = s->lo < 1 ? (conf - s->lo) / (1 - s->lo) : 1;
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    double w = g->s * (1.0 + 2.5 * f);
    return w < 1 ? 1 : w;
}

/* Lays out (c NULL) or draws the panel from its top-left corner; returns its bottom. */
static int draw_panel(mnt_rgb_image *c, const geom *g, const summary *S, int x, int y, int sc, int width,
                      mnt_overlay_info *info)
{
    const mnt_overlay_desc *d = S->d;
    panel p = {c, g, x, y, width, sc, 10 * sc};
    char b[512];
    if (d->heading && d->heading[0]) {
        ptext(&p, 0, d->heading, C_TEXT);
        p.y += p.lh / 3;
    }
    snprintf(b, sizeof b, "file: %s", d->file_name && d->file_name[0] ? d->file_name : "(not named)");
    ptext(&p, 0, b, C_TEXT);
    snprintf(b, sizeof b, "%d x %d px, %.0f ppi%s", d->image->width, d->image->height, S->ppi,
             d->ppi_assumed ? " (assumed)" : "");
    ptext(&p, 0, b, C_TEXT);
    if (d->model && d->model[0]) {
        snprintf(b, sizeof b, "model: %s", d->model);
        ptext(&p, 0, b, C_TEXT);
    }
    if (d->threshold > 0) {
        snprintf(b, sizeof b, "threshold %.2f", d->threshold);
        ptext(&p, 0, b, C_TEXT);
    }
    size_t n = d->marks->n;
    if (d->compare || d->marks_label) {
        snprintf(b, sizeof b, "%zu minutiae: %s", n, d->marks_label ? d->marks_label : "marks");
    } else if (d->threshold > 0 && S->faint + S->not_drawn) {
        snprintf(b, sizeof b, "%zu minutiae, %zu below threshold", n, S->faint + S->not_drawn - S->hidden);
    } else {
        snprintf(b, sizeof b, "%zu minutiae", n);
    }
    ptext(&p, 0, b, C_TEXT);
    prule(&p);
    double mid = S->has_conf ? (S->lo + 1) / 2 : 1;
    static const char *const NAMES[3] = {"other", "ending", "bifurcation"};
    static const int ORDER[3] = {MNT_TYPE_ENDING, MNT_TYPE_BIFURCATION, MNT_TYPE_OTHER};
    for (int k = 0; k < 3; k++) {
        int t = ORDER[k];
        snprintf(b, sizeof b, "%s: %zu", NAMES[t], S->ntype[t]);
        picon(&p, t, 0, stroke_width(g, S, mid), 1, 0, b, C_TEXT);
    }
    picon(&p, MNT_TYPE_ENDING, 0, stroke_width(g, S, mid), 1, 2.7 * g->r, "tail: direction", C_TEXT);
    ptext(&p, 0, "number: row in the template's minutiae, from 0", C_TEXT);
    if (S->has_conf) {
        snprintf(b, sizeof b, "line width: score%s", d->show_scores ? " (also after the number)" : "");
        ptext(&p, 0, b, C_TEXT);
        /* three marks in a row: lo, mid, 1 */
        int h = icon_height(&p), cx = p.x;
        double vals[3] = {S->lo, mid, 1};
        for (int k = 0; k < 3; k++) {
            double r = g->r, mx = cx + g->r + g->halo + 1, my = p.y + h / 2.0;
            if (c) {
                draw_mark(c, g, MNT_TYPE_ENDING, mx, my, r, 0, 0, stroke_width(g, S, vals[k]), C_END, 1, 1);
                draw_mark(c, g, MNT_TYPE_ENDING, mx, my, r, 0, 0, stroke_width(g, S, vals[k]), C_END, 1, 0);
            }
            snprintf(b, sizeof b, "%.2f", vals[k]);
            int tx = (int)ceil(mx + r + g->halo + 3 * g->s + 2 * sc);
            if (c) mnt_draw_text(c, tx, p.y + (h - mnt_text_height(sc)) / 2, b, sc, C_TEXT);
            cx = tx + mnt_text_width(b, sc) + 4 * sc;
        }
        p.y += h;
    } else {
        ptext(&p, 0, "no scores in the template: one line width", C_TEXT);
    }
    if (d->threshold > 0 && S->faint + S->not_drawn > S->hidden) {
        snprintf(b, sizeof b, "below %.2f: %s (%zu)", d->threshold, d->hide_below ? "not drawn" : "faint",
                 d->hide_below ? S->not_drawn : S->faint - S->hidden);
        picon(&p, MNT_TYPE_ENDING, 0, g->s, FAINT_ALPHA, 0, b, C_TEXT);
    }
    if (S->hidden) {
        snprintf(b, sizeof b, "hidden in the truth: faint (%zu)", S->hidden);
        picon(&p, MNT_TYPE_ENDING, 0, g->s, FAINT_ALPHA, 0, b, C_TEXT);
    }
    if (d->region) picon(&p, -1, 0, 0, 1, 0, "region of interest", C_TEXT);
    if (d->compare) {
        prule(&p);
        snprintf(b, sizeof b, "coloured: %s (%zu)", d->marks_label ? d->marks_label : "marks", n);
        picon(&p, MNT_TYPE_ENDING, 0, stroke_width(g, S, mid), 1, 0, b, C_TEXT);
        snprintf(b, sizeof b, "large black: %s (%zu)", d->compare_label ? d->compare_label : "compare", d->compare->n);
        picon(&p, MNT_TYPE_ENDING, 1, 1.5 * g->s, 1, 0, b, C_TEXT);
        if (S->cmp_hidden) {
            snprintf(b, sizeof b, "of which hidden (truth): faint (%zu)", S->cmp_hidden);
            picon(&p, MNT_TYPE_ENDING, 1, 1.5 * g->s, FAINT_ALPHA, 0, b, C_TEXT);
        }
        if (S->pairs >= 0) {
            snprintf(b, sizeof b, "pairs within %.0f px and 30 deg: %ld", S->pair_px, S->pairs);
            ptext(&p, 0, b, C_TEXT);
        }
    }
    if (S->outside || S->cmp_outside) {
        prule(&p);
        if (S->outside) {
            snprintf(b, sizeof b, "%zu minutiae outside the image: not drawn", S->outside);
            ptext(&p, 0, b, C_END);
        }
        if (S->cmp_outside) {
            snprintf(b, sizeof b, "%zu compare minutiae outside the image: not drawn", S->cmp_outside);
            ptext(&p, 0, b, C_END);
        }
    }
    prule(&p);
    /* 1 mm scale bar */
    int len = (int)lround(S->ppi / 25.4), bh = (int)lround(4 * g->s);
    if (bh < 3) bh = 3;
    int th = mnt_text_height(sc), rowh = th > bh ? th : bh, by = p.y + (rowh - bh) / 2;
    if (c) {
        mnt_draw_fill_rect(c, p.x, by, len, bh, C_TEXT);
        mnt_draw_text(c, p.x + len + 6 * sc, p.y + (rowh - th) / 2, "1 mm", sc, C_TEXT);
    }
    if (info) {
        info->scale_x = p.x;
        info->scale_y = by;
        info->scale_len = len;
        info->scale_h = bh;
    }
    p.y += rowh + p.lh / 2;
    return p.y;
}

/* ---- the whole overlay ---- */

static void classify(const mnt_overlay_desc *d, const mnt_view *v, int compare, int ox, int oy, mark_state *st,
                     summary *S)
{
    int w = d->image->width, h = d->image->height;
    for (size_t i = 0; i < v->n; i++) {
        const mnt_minutia *m = &v->m[i];
        mark_state *s = &st[i];
        double conf = mnt_eval_confidence(m);
        s->conf = isfinite(conf) ? (conf < 0 ? 0 : conf > 1 ? 1 : conf) : 0;
        s->x = ox + m->x;
        s->y = oy + m->y;
        s->faint = s->skip = 0;
        if (!(m->x >= -0.5 && m->x < w - 0.5 && m->y >= -0.5 && m->y < h - 0.5)) {
            s->skip = 1;
            if (compare) S->cmp_outside++;
            else S->outside++;
            continue;
        }
        if (compare) {
            s->faint = m->hidden;
            S->cmp_hidden += m->hidden != 0;
            continue;
        }
        S->ntype[m->type == MNT_TYPE_ENDING ? 1 : m->type == MNT_TYPE_BIFURCATION ? 2 : 0]++;
        if (m->hidden) {
            s->faint = 1;
            S->hidden++;
            S->faint++;
        } else if (d->threshold > 0 && s->conf < d->threshold) {
            if (d->hide_below) {
                s->skip = 1;
                S->not_drawn++;
            } else {
                s->faint = 1;
                S->faint++;
            }
        }
    }
}

int mnt_overlay_draw(const mnt_overlay_desc *d, mnt_rgb_image *out, mnt_overlay_info *info, mnt_diag *diag)
{
    memset(out, 0, sizeof *out);
    if (!d || !d->image || !d->image->px || !d->marks || d->image->width <= 0 || d->image->height <= 0)
        return mnt_fail(diag, MNT_ERR_ARG, "overlay: no image or no minutiae given");
    const mnt_image *im = d->image;
    int w = im->width, h = im->height;
    summary S;
    memset(&S, 0, sizeof S);
    S.d = d;
    S.ppi = d->ppi > 0 ? d->ppi : im->ppi > 0 ? im->ppi : 500;
    S.lo = d->threshold > 0 && d->threshold < 1 ? d->threshold : 0;
    S.pairs = -1;
    for (size_t i = 0; i < d->marks->n && !S.has_conf; i++)
        S.has_conf = d->marks->m[i].has_score || d->marks->m[i].quality != 0;
    geom g;
    g.s = S.ppi / 500.0;
    g.r = 6.5 * g.s < 4 ? 4 : 6.5 * g.s;
    g.rc = 1.7 * g.r;
    g.halo = g.s < 1 ? 1 : g.s;
    g.ls = (int)lround(g.s) < 1 ? 1 : (int)lround(g.s);
    int sc = (int)lround(2 * g.s);
    sc = sc < 1 ? 1 : sc > 4 ? 4 : sc;
    int pad = (int)ceil(3.2 * g.r) + 2, pad_t = 6 * sc, panel_w = PANEL_CHARS * 6 * sc + 2 * pad_t;
    int ox = pad, oy = pad, panel_x = pad + w + pad;

    size_t nm = d->marks->n, nc = d->compare ? d->compare->n : 0;
    mark_state *st = malloc(sizeof *st * (nm + nc + 1));
    box *placed = malloc(sizeof *placed * (nm + nc + 1));
    if (!st || !placed) {
        free(st);
        free(placed);
        return mnt_fail(diag, MNT_ERR_NOMEM, "out of memory");
    }
    mark_state *sm = st, *scmp = st + nm;
    int rc;
    classify(d, d->marks, 0, ox, oy, sm, &S);
    if (d->compare) {
        classify(d, d->compare, 1, ox, oy, scmp, &S);
        mnt_eval_tolerance tol = {15.0 * g.s, 30.0};
        mnt_eval_counts cnt;
        S.pair_px = tol.max_px;
        if ((rc = mnt_eval_pair(d->compare, d->marks, &tol, d->threshold > 0 ? d->threshold : 0, &cnt, NULL, NULL))) {
            free(st);
            free(placed);
            return mnt_fail(diag, rc == MNT_ERR_NOMEM ? MNT_ERR_NOMEM : rc, "overlay: cannot pair the two sets");
        }
        S.pairs = (long)cnt.tp;
    }

    int panel_bottom = draw_panel(NULL, &g, &S, panel_x + pad_t, pad, sc, panel_w - 2 * pad_t, NULL);
    int cw = panel_x + panel_w, ch = pad + h + pad;
    if (panel_bottom + pad > ch) ch = panel_bottom + pad;
    rc = mnt_rgb_alloc(out, cw, ch, diag);
    if (rc) {
        free(st);
        free(placed);
        return rc;
    }
    out->ppi = S.ppi;
    memset(out->rgb, 255, (size_t)cw * ch * 3);
    /* the image, unaltered */
    for (int y = 0; y < h; y++) {
        const float *src = im->px + (size_t)y * w;
        uint8_t *dst = out->rgb + 3 * ((size_t)(y + oy) * cw + ox);
        for (int x = 0; x < w; x++) {
            float v = src[x];
            v = v > 0 ? (v < 1 ? v : 1) : 0; /* NaN to 0 */
            uint8_t q = (uint8_t)lrintf(255.0f * v);
            dst[3 * x] = dst[3 * x + 1] = dst[3 * x + 2] = q;
        }
    }
    mnt_draw_rect(out, ox - 2, oy - 2, w + 4, h + 4, C_FRAME);
    if (d->region) {
        const uint8_t *roi = d->region;
        int thick = g.s >= 1.5;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                size_t i = (size_t)y * w + x;
                if (!roi[i]) continue;
                if (x == 0 || y == 0 || x == w - 1 || y == h - 1 || !roi[i - 1] || !roi[i + 1] || !roi[i - w] || !roi[i + w]) {
                    mnt_draw_pixel(out, ox + x, oy + y, C_ROI);
                    if (thick) {
                        if (x + 1 < w) mnt_draw_pixel(out, ox + x + 1, oy + y, C_ROI);
                        if (y + 1 < h) mnt_draw_pixel(out, ox + x, oy + y + 1, C_ROI);
                    }
                }
            }
    }
    /* marks: faint ones first, then halos, then the compare set, then the marks */
    for (int pass = 0; pass < 3; pass++) {
        int halo = pass == 1;
        if (d->compare && pass > 0)
            for (size_t i = 0; i < nc; i++) {
                const mark_state *s = &scmp[i];
                if (s->skip) continue;
                const mnt_minutia *m = &d->compare->m[i];
                double alpha = s->faint ? FAINT_ALPHA : 1, a = isfinite(m->angle) ? m->angle : 0;
                draw_mark(out, &g, m->type, s->x, s->y, g.rc, a, g.rc + 1.7 * g.r, 1.5 * g.s, C_CMP, alpha, halo);
            }
        for (size_t i = 0; i < nm; i++) {
            const mark_state *s = &sm[i];
            if (s->skip || (pass == 0) != (s->faint != 0)) continue;
            if (pass == 1 && s->faint) continue;
            const mnt_minutia *m = &d->marks->m[i];
            double a = isfinite(m->angle) ? m->angle : 0;
            if (s->faint) {
                draw_mark(out, &g, m->type, s->x, s->y, g.r, a, 2.7 * g.r, g.s < 1 ? 1 : g.s, type_color(m->type),
                          FAINT_ALPHA, 1);
                draw_mark(out, &g, m->type, s->x, s->y, g.r, a, 2.7 * g.r, g.s < 1 ? 1 : g.s, type_color(m->type),
                          FAINT_ALPHA, 0);
            } else {
                draw_mark(out, &g, m->type, s->x, s->y, g.r, a, 2.7 * g.r, stroke_width(&g, &S, s->conf),
                          type_color(m->type), 1, halo);
            }
        }
    }
    /* numbers */
    label_ctx L = {{sm, scmp}, {d->marks, d->compare}, {g.r + g.halo, g.rc + g.halo}, placed, 0, nm + nc <= MAX_AVOID,
                   panel_x, ch};
    for (int set = 0; set < 2; set++) {
        const mnt_view *v = set ? d->compare : d->marks;
        const mark_state *ss = set ? scmp : sm;
        if (!v) continue;
        for (size_t i = 0; i < v->n; i++) {
            if (ss[i].skip) continue;
            char t[48];
            label_text(t, sizeof t, i, ss[i].conf, d->show_scores && !set);
            int bw = mnt_text_width(t, g.ls) - g.ls + 2 * g.ls, bh = mnt_text_height(g.ls) + 2 * g.ls;
            double r = set ? g.rc : g.r, a = isfinite(v->m[i].angle) ? v->m[i].angle : 0;
            box b = place_label(&L, ss[i].x, ss[i].y, a, (v->m[i].type == MNT_TYPE_ENDING ? r : 1.25 * r) + g.halo + 1, bw, bh);
            L.placed[L.nplaced++] = b;
            mnt_color col = set ? C_CMP : type_color(v->m[i].type);
            mnt_draw_text_halo(out, b.x + g.ls, b.y + g.ls, t, g.ls, col, C_HALO, ss[i].faint ? 0.55 : 1);
        }
    }
    draw_panel(out, &g, &S, panel_x + pad_t, pad, sc, panel_w - 2 * pad_t, info);
    if (info) {
        info->image_x = ox;
        info->image_y = oy;
        info->panel_x = panel_x;
        info->mark_radius = g.r;
        info->drawn = nm - S.faint - S.not_drawn - S.outside;
        info->faint = S.faint;
        info->not_drawn = S.not_drawn;
        info->outside = S.outside;
        info->compare_outside = S.cmp_outside;
        info->pairs = S.pairs;
    }
    free(st);
    free(placed);
    return MNT_OK;
}

int mnt_overlay_render(const mnt_image *im, const uint8_t *roi, const mnt_view *m, double threshold, mnt_rgb_image *out,
                       mnt_diag *d)
{
    mnt_overlay_desc desc;
    memset(&desc, 0, sizeof desc);
    desc.image = im;
    desc.region = roi;
    desc.marks = m;
    desc.threshold = threshold;
    return mnt_overlay_draw(&desc, out, NULL, d);
}
