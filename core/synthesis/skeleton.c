#include "skeleton.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* neighbours in ring order P2..P9: N, NE, E, SE, S, SW, W, NW */
static const int DX[8] = {0, 1, 1, 1, 0, -1, -1, -1};
static const int DY[8] = {-1, -1, 0, 1, 1, 1, 0, -1};

static int px(const uint8_t *b, int w, int h, int x, int y)
{
    return x >= 0 && y >= 0 && x < w && y < h && b[(size_t)y * w + x];
}

int mnt_thin(uint8_t *bin, int w, int h)
{
    size_t n = (size_t)w * (size_t)h;
    uint8_t *del = malloc(n);
    if (!del) return MNT_ERR_NOMEM;
    int changed = 1;
    while (changed) {
        changed = 0;
        for (int pass = 0; pass < 2; pass++) {
            memset(del, 0, n);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    if (!bin[(size_t)y * w + x]) continue;
                    int p[8], b = 0, a = 0;
                    for (int k = 0; k < 8; k++) b += p[k] = px(bin, w, h, x + DX[k], y + DY[k]);
                    if (b < 2 || b > 6) continue;
                    for (int k = 0; k < 8; k++) a += !p[k] && p[(k + 1) % 8];
                    if (a != 1) continue;
                    if (pass == 0 && ((p[0] && p[2] && p[4]) || (p[2] && p[4] && p[6]))) continue;
                    if (pass == 1 && ((p[0] && p[2] && p[6]) || (p[0] && p[4] && p[6]))) continue;
                    del[(size_t)y * w + x] = 1;
                }
            for (size_t i = 0; i < n; i++)
                if (del[i]) {
                    bin[i] = 0;
                    changed = 1;
                }
        }
    }
    free(del);
    return MNT_OK;
}

static int crossing_number(const uint8_t *s, int w, int h, int x, int y)
{
    int cn = 0;
    for (int k = 0; k < 8; k++)
        cn += abs(px(s, w, h, x + DX[k], y + DY[k]) - px(s, w, h, x + DX[(k + 1) % 8], y + DY[(k + 1) % 8]));
    return cn / 2;
}

/* Follows the skeleton from the branch pixel (fx,fy) of minutia (x0,y0) for up to len
 * pixels, never revisiting a pixel nor entering the other branches' first pixels
 * (listed in avoid); returns the end point. */
static void trace(const uint8_t *s, int w, int h, int x0, int y0, int fx, int fy, const int *avoid, int navoid,
                  int len, double *ex, double *ey)
{
    enum { MAXV = 96 };
    int vx[MAXV], vy[MAXV], nv = 0;
    vx[nv] = x0; vy[nv++] = y0;
    for (int i = 0; i < navoid && nv < MAXV; i++) { vx[nv] = avoid[2 * i]; vy[nv++] = avoid[2 * i + 1]; }
    int cx = fx, cy = fy;
    if (len > MAXV - 12) len = MAXV - 12;
    for (int i = 1; i < len; i++) {
        if (nv < MAXV) { vx[nv] = cx; vy[nv++] = cy; }
        int found = 0, nx = 0, ny = 0;
        /* 4-neighbours first: they continue a thinned line without cutting corners */
        static const int order[8] = {0, 2, 4, 6, 1, 3, 5, 7};
        for (int o = 0; o < 8 && !found; o++) {
            int k = order[o], tx = cx + DX[k], ty = cy + DY[k];
            if (!px(s, w, h, tx, ty)) continue;
            int seen = 0;
            for (int j = 0; j < nv && !seen; j++) seen = vx[j] == tx && vy[j] == ty;
            if (seen) continue;
            nx = tx;
            ny = ty;
            found = 1;
        }
        if (!found) break;
        cx = nx;
        cy = ny;
    }
    *ex = cx;
    *ey = cy;
}

static double angle_of(double dx, double dy)
{
    double a = atan2(-dy, dx) * 180.0 / 3.14159265358979323846;
    return a < 0 ? a + 360.0 : a;
}

int mnt_crossing_minutiae(const uint8_t *skel, int w, int h, const uint8_t *mask, int margin, int len, mnt_view *out)
{
    for (int y = margin; y < h - margin; y++)
        for (int x = margin; x < w - margin; x++) {
            if (!skel[(size_t)y * w + x]) continue;
            if (mask && !mask[(size_t)y * w + x]) continue;
            int cn = crossing_number(skel, w, h, x, y);
            if (cn != 1 && cn != 3) continue;
            /* branch starts: first pixel of each run of set neighbours in ring order */
            int starts[8], ns = 0;
            for (int k = 0; k < 8; k++) {
                int cur = px(skel, w, h, x + DX[k], y + DY[k]);
                int prev = px(skel, w, h, x + DX[(k + 7) % 8], y + DY[(k + 7) % 8]);
                if (cur && !prev) starts[ns++] = k;
            }
            if (ns != cn) continue;
            double ang[3];
            int firsts[6];
            for (int b = 0; b < ns; b++) {
                firsts[2 * b] = x + DX[starts[b]];
                firsts[2 * b + 1] = y + DY[starts[b]];
            }
            for (int b = 0; b < ns; b++) {
                double ex, ey;
                trace(skel, w, h, x, y, firsts[2 * b], firsts[2 * b + 1], firsts, ns, len, &ex, &ey);
                ang[b] = angle_of(ex - x, ey - y);
            }
            mnt_minutia m = {0};
            m.x = x;
            m.y = y;
            m.quality = 50;
            if (cn == 1) {
                m.type = MNT_TYPE_ENDING;
                m.angle = ang[0];
            } else {
                /* the two branches closest in angle enclose the valley */
                int bi = 0, bj = 1;
                double best = 1e9;
                for (int i = 0; i < 3; i++)
                    for (int j = i + 1; j < 3; j++) {
                        double dd = mnt_angle_diff(ang[i], ang[j]);
                        if (dd < best) { best = dd; bi = i; bj = j; }
                    }
                double ax = cos(ang[bi] * 3.14159265358979323846 / 180) + cos(ang[bj] * 3.14159265358979323846 / 180);
                double ay = sin(ang[bi] * 3.14159265358979323846 / 180) + sin(ang[bj] * 3.14159265358979323846 / 180);
                m.type = MNT_TYPE_BIFURCATION;
                m.angle = mnt_angle_norm(atan2(ay, ax) * 180.0 / 3.14159265358979323846);
            }
            int rc = mnt_view_push(out, &m);
            if (rc) return rc;
        }
    return MNT_OK;
}
