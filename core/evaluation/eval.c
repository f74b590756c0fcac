#include "eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "assignment.h"

double mnt_eval_confidence(const mnt_minutia *m)
{
    if (m->has_score) return m->score;
    return m->quality > 100 ? 0 : m->quality / 100.0;
}

int mnt_eval_pair(const mnt_view *truth, const mnt_view *pred, const mnt_eval_tolerance *tol, double threshold,
                  mnt_eval_counts *out, double *angle_err, size_t *n_angle)
{
    memset(out, 0, sizeof *out);
    if (n_angle) *n_angle = 0;
    size_t nt = truth->n, np = 0;
    size_t *pidx = malloc((pred->n + 1) * sizeof *pidx);
    if (!pidx) return MNT_ERR_NOMEM;
    for (size_t j = 0; j < pred->n; j++)
        if (mnt_eval_confidence(&pred->m[j]) >= threshold) pidx[np++] = j;
    for (size_t i = 0; i < nt; i++) out->truth += !truth->m[i].hidden;
    out->predicted = np;
    if (nt == 0 || np == 0) {
        out->fp = np;
        out->fn = out->truth;
        free(pidx);
        return MNT_OK;
    }
    /* admissible pairs cost (distance/px + angle/deg) in [0, 2], plus 1 for hidden
     * truth so visible truth is preferred; forbidden pairs cost more than any full
     * matching of admissible ones, so the matching maximises the admissible count */
    const double forbidden = 4.0 * (double)(nt + np) + 10.0;
    double *cost = malloc(nt * np * sizeof *cost);
    long *match = malloc(nt * sizeof *match);
    if (!cost || !match) {
        free(cost);
        free(match);
        free(pidx);
        return MNT_ERR_NOMEM;
    }
    double deg = tol->max_deg >= 180 ? 180 : tol->max_deg;
    for (size_t i = 0; i < nt; i++)
        for (size_t k = 0; k < np; k++) {
            const mnt_minutia *t = &truth->m[i], *p = &pred->m[pidx[k]];
            double dist = hypot(t->x - p->x, t->y - p->y), da = mnt_angle_diff(t->angle, p->angle);
            int ok = dist <= tol->max_px && (tol->max_deg >= 360 || da <= tol->max_deg);
            cost[i * np + k] = ok ? dist / tol->max_px + (deg > 0 ? da / deg : 0) + (t->hidden ? 1.0 : 0.0) : forbidden;
        }
    int rc = mnt_assign(cost, nt, np, match);
    if (rc == MNT_OK) {
        size_t matched_pred = 0;
        for (size_t i = 0; i < nt; i++) {
            if (match[i] < 0 || cost[i * np + (size_t)match[i]] >= forbidden) continue;
            matched_pred++;
            const mnt_minutia *t = &truth->m[i], *p = &pred->m[pidx[match[i]]];
            if (t->hidden) {
                out->ignored++;
                continue;
            }
            out->tp++;
            out->type_correct += t->type == p->type;
            if (angle_err) angle_err[(*n_angle)++] = mnt_angle_diff(t->angle, p->angle);
        }
        out->fp = np - matched_pred;
        out->fn = out->truth - out->tp;
    }
    free(cost);
    free(match);
    free(pidx);
    return rc;
}

void mnt_eval_add(mnt_eval_counts *acc, const mnt_eval_counts *c)
{
    acc->truth += c->truth;
    acc->predicted += c->predicted;
    acc->tp += c->tp;
    acc->fp += c->fp;
    acc->fn += c->fn;
    acc->type_correct += c->type_correct;
    acc->ignored += c->ignored;
}

void mnt_eval_rates(const mnt_eval_counts *c, double *precision, double *recall, double *f1)
{
    double p = c->tp + c->fp ? (double)c->tp / (double)(c->tp + c->fp) : 0;
    double r = c->tp + c->fn ? (double)c->tp / (double)(c->tp + c->fn) : 0;
    if (precision) *precision = p;
    if (recall) *recall = r;
    if (f1) *f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
}
