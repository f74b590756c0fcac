/* The WSQ decomposition: where each of the 20 synthesis steps and each of the 64
 * subbands lies in a width x height image. An odd length splits into a longer first
 * part, except after a spectral inversion, where the (high) first part is shorter. */
#include <string.h>

#include "wsq_internal.h"

static void split(int n, int small_first, int *first, int *second)
{
    if (n % 2 == 0) {
        *first = *second = n / 2;
    } else if (small_first) {
        *first = (n - 1) / 2;
        *second = (n + 1) / 2;
    } else {
        *first = (n + 1) / 2;
        *second = (n - 1) / 2;
    }
}

static wsq_wnode wrect(int x, int y, int lenx, int leny)
{
    wsq_wnode r = {x, y, lenx, leny, 0, 0};
    return r;
}

/* Nodes first..first+3 = the quadrants TL, TR, BL, BR of parent (BR left out when
 * three_only: the first level's HH quadrant is never coded). */
static void w_children(wsq_wnode *w, const wsq_wnode *parent, int first, int xsmall, int ysmall, int three_only)
{
    int fx, sx, fy, sy;
    split(parent->lenx, xsmall, &fx, &sx);
    split(parent->leny, ysmall, &fy, &sy);
    w[first] = wrect(parent->x, parent->y, fx, fy);
    w[first + 1] = wrect(parent->x + fx, parent->y, sx, fy);
    w[first + 2] = wrect(parent->x, parent->y + fy, fx, sy);
    if (!three_only) w[first + 3] = wrect(parent->x + fx, parent->y + fy, sx, sy);
}

/* Subbands first..first+3: the 2 x 2 split of a rectangle. */
static void q_quad(wsq_band *q, int first, int x, int y, int lenx, int leny, int xsmall, int ysmall)
{
    int fx, sx, fy, sy;
    split(lenx, xsmall, &fx, &sx);
    split(leny, ysmall, &fy, &sy);
    wsq_band b[4] = {{x, y, fx, fy}, {x + fx, y, sx, fy}, {x, y + fy, fx, sy}, {x + fx, y + fy, sx, sy}};
    memcpy(q + first, b, sizeof b);
}

/* Subbands first..first+15: a 4 x 4 split of node n; inv_x / inv_y mark the node's own
 * first split as inverted, the inner splits follow the quadrant they are in. */
static void q_sixteen(wsq_band *q, int first, const wsq_wnode *n, int inv_x, int inv_y)
{
    int fx, sx, fy, sy;
    split(n->lenx, inv_x, &fx, &sx);
    split(n->leny, inv_y, &fy, &sy);
    q_quad(q, first, n->x, n->y, fx, fy, 0, 0);
    q_quad(q, first + 4, n->x + fx, n->y, sx, fy, 1, 0);
    q_quad(q, first + 8, n->x, n->y + fy, fx, sy, 0, 1);
    q_quad(q, first + 12, n->x + fx, n->y + fy, sx, sy, 1, 1);
}

void wsq_build_trees(int width, int height, wsq_wnode w[WSQ_W_NODES], wsq_band q[WSQ_SUBBANDS])
{
    memset(w, 0, WSQ_W_NODES * sizeof *w);
    memset(q, 0, WSQ_SUBBANDS * sizeof *q);
    /* level 1: the image; its LL quadrant (node 1) splits into nodes 14, 4, 5 and one
     * coded subband (51) */
    w[0] = wrect(0, 0, width, height);
    w_children(w, &w[0], 1, 0, 0, 1);
    int lx, lx2, ly, ly2;
    split(w[1].lenx, 0, &lx, &lx2);
    split(w[1].leny, 0, &ly, &ly2);
    w[4] = wrect(lx, 0, lx2, ly);
    w[5] = wrect(0, ly, lx, ly2);
    w[14] = wrect(0, 0, lx, ly);
    w_children(w, &w[4], 6, 1, 0, 0);
    w_children(w, &w[5], 10, 0, 1, 0);
    w_children(w, &w[14], 15, 0, 0, 0);
    w[19] = wrect(0, 0, (w[15].lenx + 1) / 2, (w[15].leny + 1) / 2);
    static const int inv_rw[] = {2, 4, 7, 9, 11, 13, 16, 18}, inv_cl[] = {3, 5, 8, 9, 12, 13, 17, 18};
    for (size_t i = 0; i < sizeof inv_rw / sizeof *inv_rw; i++) w[inv_rw[i]].inv_rw = 1;
    for (size_t i = 0; i < sizeof inv_cl / sizeof *inv_cl; i++) w[inv_cl[i]].inv_cl = 1;

    /* subbands; later groups overwrite the first entries of earlier ones (3, 48..50),
     * which are split further */
    q_sixteen(q, 3, &w[14], 0, 0);
    q_sixteen(q, 19, &w[4], 1, 0);
    q_sixteen(q, 48, &w[0], 0, 0);
    q_sixteen(q, 35, &w[5], 0, 1);
    q_quad(q, 0, w[19].x, w[19].y, w[19].lenx, w[19].leny, 0, 0);
    for (int b = WSQ_CODED_SUBBANDS; b < WSQ_SUBBANDS; b++) q[b].x = q[b].y = q[b].lenx = q[b].leny = 0;
}
