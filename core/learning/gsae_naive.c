/* Plain-loop reference of mnt_gsae_forward_backward, in double precision: the
 * yardstick for the BLAS path and for finite-difference gradient checks. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gsae.h"

int mnt_gsae_forward_backward_naive(const mnt_gsae *net, const mnt_gsae_batch *bt, const mnt_gsae_terms *terms,
                                    float *grads, mnt_gsae_loss *loss)
{
    const mnt_gsae_config *c = &net->cfg;
    const int B = bt->n, D = c->input, H = c->hidden, P = mnt_gsae_code_input(c), H1 = c->hidden1;
    memset(loss, 0, sizeof *loss);
    memset(grads, 0, net->nparams * sizeof *grads);
    mnt_gsae_tensors g;
    mnt_gsae_tensors_at(c, grads, &g);
    const mnt_gsae_tensors *p = &net->p;
    double *h = calloc((size_t)B * H, sizeof *h), *dh = calloc((size_t)B * H, sizeof *dh);
    double *mask = calloc((size_t)B * H, sizeof *mask);
    /* A: the code layer's input (the patch, or the first layer's output) */
    double *A = calloc((size_t)B * P, sizeof *A), *dA = calloc((size_t)B * P, sizeof *dA);
    if (!h || !dh || !mask || !A || !dA) {
        free(h); free(dh); free(mask); free(A); free(dA);
        return MNT_ERR_NOMEM;
    }
    for (int b = 0; b < B; b++)
        for (int k = 0; k < P; k++) {
            if (!H1) {
                A[b * P + k] = bt->x[b * D + k];
                continue;
            }
            double z = p->b0[k];
            for (int i = 0; i < D; i++) z += (double)p->w0[k * D + i] * bt->x[b * D + i];
            A[b * P + k] = 1 / (1 + exp(-z));
        }
    for (int b = 0; b < B; b++) {
        for (int j = 0; j < H; j++) {
            double z = p->b1[j];
            for (int i = 0; i < P; i++) z += (double)p->w1[j * P + i] * A[b * P + i];
            h[b * H + j] = 1 / (1 + exp(-z));
            mask[b * H + j] = 1;
        }
        if (c->k_sparse > 0 && c->k_sparse < H) { /* keep the k largest */
            for (int j = 0; j < H; j++) {
                int above = 0;
                for (int q = 0; q < H; q++)
                    above += h[b * H + q] > h[b * H + j] || (h[b * H + q] == h[b * H + j] && q < j);
                mask[b * H + j] = above < c->k_sparse;
            }
        }
        for (int j = 0; j < H; j++) h[b * H + j] *= mask[b * H + j];
    }
    if (terms->autoencoder) {
        for (int b = 0; b < B; b++)
            for (int i = 0; i < D; i++) {
                double xr = p->b2[i], target = bt->x[b * D + i], slope = 1;
                for (int j = 0; j < H; j++) xr += (double)p->w2[i * H + j] * h[b * H + j];
                if (c->sigmoid_decoder) {
                    xr = 1 / (1 + exp(-xr));
                    target = (target + 3) / 6;
                    target = target < 0.01 ? 0.01 : target > 0.99 ? 0.99 : target;
                    slope = xr * (1 - xr);
                }
                double diff = xr - target;
                loss->rec += 0.5 * diff * diff / B;
                g.b2[i] += (float)(diff * slope / B);
                for (int j = 0; j < H; j++) {
                    g.w2[i * H + j] += (float)(diff * slope / B * h[b * H + j]);
                    dh[b * H + j] += diff * slope / B * p->w2[i * H + j];
                }
            }
        for (int i = 0; i < H * D; i++) {
            loss->decay += 0.5 * c->lambda * (double)p->w2[i] * p->w2[i];
            g.w2[i] += (float)(c->lambda * p->w2[i]);
        }
        for (int i = 0; i < H * P; i++) loss->decay += 0.5 * c->lambda * (double)p->w1[i] * p->w1[i];
        for (int i = 0; i < H1 * D; i++) loss->decay += 0.5 * c->lambda * (double)p->w0[i] * p->w0[i];
        if (c->beta > 0)
            for (int j = 0; j < H; j++) {
                double rh = 0;
                for (int b = 0; b < B; b++) rh += h[b * H + j] / B;
                rh = rh < 1e-6 ? 1e-6 : rh > 1 - 1e-6 ? 1 - 1e-6 : rh;
                loss->kl += c->beta * (c->rho * log(c->rho / rh) + (1 - c->rho) * log((1 - c->rho) / (1 - rh)));
                for (int b = 0; b < B; b++) dh[b * H + j] += c->beta * (-c->rho / rh + (1 - c->rho) / (1 - rh)) / B;
            }
        if (c->lambda_g > 0 && bt->group)
            for (int cls = 0; cls < 2; cls++)
                for (int j = 0; j < H; j++) {
                    double s = 0;
                    for (int b = 0; b < B; b++)
                        if (bt->group[b] == cls) s += h[b * H + j] * h[b * H + j];
                    double nrm = sqrt(s);
                    loss->group += c->lambda_g * nrm / B;
                    if (nrm > 0)
                        for (int b = 0; b < B; b++)
                            if (bt->group[b] == cls) dh[b * H + j] += c->lambda_g / B * h[b * H + j] / nrm;
                }
    }
    if (terms->heads)
        for (int k = 0; k < MNT_GSAE_HEADS; k++) {
            const int8_t *lab = bt->label[k];
            if (!lab) continue;
            int nl = 0;
            for (int b = 0; b < B; b++) nl += lab[b] >= 0;
            if (!nl) continue;
            for (int b = 0; b < B; b++) {
                if (lab[b] < 0) continue;
                double z[2];
                for (int o = 0; o < 2; o++) {
                    z[o] = p->bh[k][o];
                    for (int j = 0; j < H; j++) z[o] += (double)p->wh[k][o * H + j] * h[b * H + j];
                }
                double m = fmax(z[0], z[1]), e0 = exp(z[0] - m), e1 = exp(z[1] - m);
                double pr[2] = {e0 / (e0 + e1), e1 / (e0 + e1)};
                loss->ce[k] -= c->w_cls * log(pr[lab[b]]) / nl;
                for (int o = 0; o < 2; o++) {
                    double dz = c->w_cls * (pr[o] - (lab[b] == o)) / nl;
                    g.bh[k][o] += (float)dz;
                    for (int j = 0; j < H; j++) {
                        g.wh[k][o * H + j] += (float)(dz * h[b * H + j]);
                        if (terms->through_encoder) dh[b * H + j] += dz * p->wh[k][o * H + j];
                    }
                }
            }
        }
    if (terms->autoencoder || terms->through_encoder) {
        for (int b = 0; b < B; b++)
            for (int j = 0; j < H; j++) {
                double dz = dh[b * H + j] * h[b * H + j] * (1 - h[b * H + j]) * mask[b * H + j];
                g.b1[j] += (float)dz;
                for (int i = 0; i < P; i++) {
                    g.w1[j * P + i] += (float)(dz * A[b * P + i]);
                    dA[b * P + i] += dz * p->w1[j * P + i];
                }
            }
        if (terms->autoencoder)
            for (int i = 0; i < H * P; i++) g.w1[i] += (float)(c->lambda * p->w1[i]);
        for (int b = 0; b < B && H1; b++)
            for (int k = 0; k < H1; k++) {
                double dz0 = dA[b * P + k] * A[b * P + k] * (1 - A[b * P + k]);
                g.b0[k] += (float)dz0;
                for (int i = 0; i < D; i++) g.w0[k * D + i] += (float)(dz0 * bt->x[b * D + i]);
            }
        if (terms->autoencoder)
            for (int i = 0; i < H1 * D; i++) g.w0[i] += (float)(c->lambda * p->w0[i]);
    }
    loss->total = loss->rec + loss->decay + loss->kl + loss->group;
    for (int k = 0; k < MNT_GSAE_HEADS; k++) loss->total += loss->ce[k];
    free(h);
    free(dh);
    free(mask);
    free(A);
    free(dA);
    return MNT_OK;
}
