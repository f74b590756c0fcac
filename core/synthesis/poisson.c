#include "poisson.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LEVELS 16

typedef struct {
    int w, h;
    double *u, *b, *r; /* unknowns, right-hand side, residual: w*h each */
    uint8_t *fixed;    /* NULL, or 1 where u is held (Dirichlet) */
} level;

/* Right-hand side of the normal equations: deg_i p_i - sum_j p_j = -sum_j t_{i->j}. */
static void build_rhs(const float *gx, const float *gy, int w, int h, double *b)
{
    memset(b, 0, (size_t)w * h * sizeof *b);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            size_t i = (size_t)y * w + x;
            if (x + 1 < w) {
                double t = 0.5 * ((double)gx[i] + gx[i + 1]);
                b[i] -= t;
                b[i + 1] += t;
            }
            if (y + 1 < h) {
                double t = 0.5 * ((double)gy[i] + gy[i + w]);
                b[i] -= t;
                b[i + w] += t;
            }
        }
}

/* Neighbour sum and count of pixel (x, y). */
static inline double neighbours(const double *u, int w, int h, int x, int y, int *deg)
{
    size_t i = (size_t)y * w + x;
    double s = 0;
    int d = 0;
    if (x > 0) s += u[i - 1], d++;
    if (x + 1 < w) s += u[i + 1], d++;
    if (y > 0) s += u[i - w], d++;
    if (y + 1 < h) s += u[i + w], d++;
    *deg = d;
    return s;
}

static void gauss_seidel(level *L, int sweeps)
{
    for (int s = 0; s < sweeps; s++)
        for (int colour = 0; colour < 2; colour++)
            for (int y = 0; y < L->h; y++)
                for (int x = (y + colour) & 1; x < L->w; x += 2) {
                    if (L->fixed && L->fixed[(size_t)y * L->w + x]) continue;
                    int d;
                    double nb = neighbours(L->u, L->w, L->h, x, y, &d);
                    if (d) L->u[(size_t)y * L->w + x] = (L->b[(size_t)y * L->w + x] + nb) / d;
                }
}

static void residual(level *L)
{
    for (int y = 0; y < L->h; y++)
        for (int x = 0; x < L->w; x++) {
            int d;
            size_t i = (size_t)y * L->w + x;
            double nb = neighbours(L->u, L->w, L->h, x, y, &d);
            L->r[i] = L->fixed && L->fixed[i] ? 0 : L->b[i] - (d * L->u[i] - nb);
        }
}

/* Coarse right-hand side: 2x2 sums (the coarse graph Laplacian is 4 times the fine one
 * per unit area, which the sum of four matches). */
static void restrict_sum(const double *fine, int fw, int fh, double *coarse, int cw, int ch)
{
    memset(coarse, 0, (size_t)cw * ch * sizeof *coarse);
    for (int y = 0; y < fh; y++)
        for (int x = 0; x < fw; x++) coarse[(size_t)(y / 2) * cw + x / 2] += fine[(size_t)y * fw + x];
}

/* Bilinear interpolation of cell-centred coarse values at fine cell centres, added to
 * (add = 1) or written over (add = 0) fine. */
/* The two coarse cells around fine cell i (of a grid half as fine) and the weight of
 * the second. */
static void coarse_pair(int i, int n, int *i0, int *i1, double *f)
{
    double c = (i + 0.5) / 2 - 0.5;
    *i0 = c < 0 ? 0 : (int)c;
    if (*i0 > n - 1) *i0 = n - 1;
    *i1 = *i0 + 1 < n ? *i0 + 1 : *i0;
    *f = c - *i0;
    *f = *f < 0 ? 0 : *f > 1 ? 1 : *f;
}

static void prolong(const double *coarse, int cw, int ch, double *fine, int fw, int fh, int add, const uint8_t *fixed)
{
    for (int y = 0; y < fh; y++) {
        int y0, y1;
        double fy;
        coarse_pair(y, ch, &y0, &y1, &fy);
        for (int x = 0; x < fw; x++) {
            int x0, x1;
            double fx;
            coarse_pair(x, cw, &x0, &x1, &fx);
            double v = (1 - fy) * ((1 - fx) * coarse[(size_t)y0 * cw + x0] + fx * coarse[(size_t)y0 * cw + x1]) +
                       fy * ((1 - fx) * coarse[(size_t)y1 * cw + x0] + fx * coarse[(size_t)y1 * cw + x1]);
            size_t i = (size_t)y * fw + x;
            if (fixed && fixed[i]) continue;
            fine[i] = add ? fine[i] + v : v;
        }
    }
}

static void vcycle(level *lv, int k, int nlev)
{
    level *L = &lv[k];
    if (k == nlev - 1) {
        gauss_seidel(L, 60);
        return;
    }
    gauss_seidel(L, 2);
    residual(L);
    level *C = &lv[k + 1];
    restrict_sum(L->r, L->w, L->h, C->b, C->w, C->h);
    memset(C->u, 0, (size_t)C->w * C->h * sizeof *C->u);
    vcycle(lv, k + 1, nlev);
    prolong(C->u, C->w, C->h, L->u, L->w, L->h, 1, L->fixed);
    gauss_seidel(L, 2);
}

static void free_levels(level *lv, int n)
{
    for (int k = 0; k < n; k++) {
        free(lv[k].u);
        free(lv[k].b);
        free(lv[k].r);
        free(lv[k].fixed);
    }
}

static void store_zero_mean(const double *u, size_t n, float *p)
{
    double mean = 0;
    for (size_t i = 0; i < n; i++) mean += u[i];
    mean /= (double)n;
    for (size_t i = 0; i < n; i++) p[i] = (float)(u[i] - mean);
}

/* Allocates the level pyramid down to 4 pixels a side; with `fixed`, a coarse pixel is
 * held when any of its fine pixels is (corrections there are 0). */
static int alloc_levels(int w, int h, const uint8_t *fixed, level *lv, int *nlev)
{
    *nlev = 0;
    for (int cw = w, ch = h; *nlev < MAX_LEVELS; cw = (cw + 1) / 2, ch = (ch + 1) / 2) {
        size_t n = (size_t)cw * ch;
        level *L = &lv[(*nlev)++];
        *L = (level){cw, ch, calloc(n, sizeof(double)), calloc(n, sizeof(double)), calloc(n, sizeof(double)), NULL};
        if (!L->u || !L->b || !L->r) return MNT_ERR_NOMEM;
        if (fixed) {
            if (!(L->fixed = calloc(n, 1))) return MNT_ERR_NOMEM;
            if (*nlev == 1) memcpy(L->fixed, fixed, n);
            else
                for (int y = 0; y < L[-1].h; y++)
                    for (int x = 0; x < L[-1].w; x++)
                        if (L[-1].fixed[(size_t)y * L[-1].w + x]) L->fixed[(size_t)(y / 2) * cw + x / 2] = 1;
        }
        if (cw <= 4 || ch <= 4) break;
    }
    return MNT_OK;
}

int mnt_integrate_gradient(const float *gx, const float *gy, int w, int h, int vcycles, float *p)
{
    if (w < 1 || h < 1) return MNT_ERR_ARG;
    level lv[MAX_LEVELS] = {{0}};
    int nlev = 0, rc = alloc_levels(w, h, NULL, lv, &nlev);
    if (rc) goto done;
    build_rhs(gx, gy, w, h, lv[0].b);
    for (int k = 1; k < nlev; k++) restrict_sum(lv[k - 1].b, lv[k - 1].w, lv[k - 1].h, lv[k].b, lv[k].w, lv[k].h);
    /* full multigrid: solve the coarsest, then each finer level from the one below */
    gauss_seidel(&lv[nlev - 1], 60);
    for (int k = nlev - 2; k >= 0; k--) {
        prolong(lv[k + 1].u, lv[k + 1].w, lv[k + 1].h, lv[k].u, lv[k].w, lv[k].h, 0, NULL);
        for (int c = 0; c < vcycles; c++) vcycle(lv, k, nlev);
    }
    store_zero_mean(lv[0].u, (size_t)w * h, p);
done:
    free_levels(lv, nlev);
    return rc;
}

int mnt_integrate_gradient_fixed(const float *gx, const float *gy, int w, int h, const uint8_t *fixed, int vcycles,
                                 float *p)
{
    if (w < 1 || h < 1 || !fixed) return MNT_ERR_ARG;
    level lv[MAX_LEVELS] = {{0}};
    int nlev = 0, rc = alloc_levels(w, h, fixed, lv, &nlev);
    if (rc) goto done;
    build_rhs(gx, gy, w, h, lv[0].b);
    for (size_t i = 0; i < (size_t)w * h; i++) lv[0].u[i] = p[i];
    for (int c = 0; c < vcycles; c++) vcycle(lv, 0, nlev);
    for (size_t i = 0; i < (size_t)w * h; i++) p[i] = (float)lv[0].u[i];
done:
    free_levels(lv, nlev);
    return rc;
}

int mnt_integrate_gradient_naive(const float *gx, const float *gy, int w, int h, int sweeps, float *p)
{
    if (w < 1 || h < 1) return MNT_ERR_ARG;
    size_t n = (size_t)w * h;
    level L = {w, h, calloc(n, sizeof(double)), calloc(n, sizeof(double)), NULL, NULL};
    int rc = MNT_OK;
    if (!L.u || !L.b) {
        rc = MNT_ERR_NOMEM;
        goto done;
    }
    build_rhs(gx, gy, w, h, L.b);
    gauss_seidel(&L, sweeps);
    store_zero_mean(L.u, n, p);
done:
    free(L.u);
    free(L.b);
    return rc;
}
