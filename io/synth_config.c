#include "synth_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yaml_tree.h"

enum { MAX_FIELDS = 128 };

static size_t build_fields(mnt_synth_params *sp, mnt_latent_params *lp, mnt_real_params *rp, mnt_cfg_field *f,
                           char names[][48])
{
    size_t n = 0;
#define FIELD(p, t, target) (f[n] = (mnt_cfg_field){(p), (t), (target)}, n++)
    FIELD("print.width", MNT_CFG_INT, &sp->width);
    FIELD("print.height", MNT_CFG_INT, &sp->height);
    FIELD("print.period", MNT_CFG_PAIR, &sp->period_min); /* period_min, period_max adjacent */
    FIELD("print.density", MNT_CFG_NUMBER, &sp->density);
    FIELD("print.min_spacing", MNT_CFG_NUMBER, &sp->min_spacing);
    FIELD("print.close_pair_share", MNT_CFG_NUMBER, &sp->close_pair_share);
    FIELD("print.close_pair_spacing", MNT_CFG_NUMBER, &sp->close_pair_spacing);
    FIELD("print.ending_share", MNT_CFG_NUMBER, &sp->ending_share);
    FIELD("print.singular_clearance", MNT_CFG_NUMBER, &sp->singular_clearance);
    FIELD("print.ridge_contrast", MNT_CFG_NUMBER, &sp->ridge_contrast);
    FIELD("print.ridge_width_variation", MNT_CFG_NUMBER, &sp->ridge_width_variation);
    FIELD("print.pores", MNT_CFG_NUMBER, &sp->pores);
    FIELD("print.dots", MNT_CFG_NUMBER, &sp->dots);
    FIELD("print.creases", MNT_CFG_PAIR, &sp->creases_min); /* creases_min, creases_max adjacent */
    for (int c = 0; c < MNT_CLASS_COUNT; c++) {
        snprintf(names[n], 48, "print.classes.%s", mnt_class_name((mnt_print_class)c));
        FIELD(names[n], MNT_CFG_NUMBER, &sp->class_weights[c]);
    }
    /* a name ending in '=' is a [low, high] range */
    static const char *const keys[] = {"visible_area=", "contrast=", "unevenness=", "breaks=", "smudges=", "blur=",
                                       "noise=", "speckle=", "background=", "illumination=", "p_lines", "p_text",
                                       "p_handwriting", "p_stains", "p_second_print", "distortion=", "texture=",
                                       "p_fibre", "p_woven", "p_grating", "blotches=", "p_invert", "p_jpeg",
                                       "jpeg_quality="};
    enum { NKEYS = sizeof keys / sizeof *keys };
    for (int l = 0; l < MNT_LEVEL_COUNT; l++) {
        mnt_latent_level_params *L = &lp->level[l];
        void *targets[] = {&L->visible_area, &L->contrast, &L->unevenness, &L->breaks, &L->smudges, &L->blur,
                           &L->noise, &L->speckle, &L->background, &L->illumination, &L->p_lines, &L->p_text,
                           &L->p_handwriting, &L->p_stains, &L->p_second_print, &L->distortion, &L->texture,
                           &L->p_fibre, &L->p_woven, &L->p_grating, &L->blotches, &L->p_invert, &L->p_jpeg,
                           &L->jpeg_quality};
        _Static_assert(sizeof targets / sizeof *targets == NKEYS, "one target per key");
        for (int k = 0; k < NKEYS; k++) {
            size_t len = strlen(keys[k]);
            int pair = keys[k][len - 1] == '=';
            snprintf(names[n], 48, "levels.%s.%.*s", mnt_level_name((mnt_latent_level)l), (int)(len - (size_t)pair), keys[k]);
            FIELD(names[n], pair ? MNT_CFG_PAIR : MNT_CFG_NUMBER, targets[k]);
        }
    }
    FIELD("hidden.min_contrast", MNT_CFG_NUMBER, &lp->min_contrast);
    FIELD("hidden.border_margin", MNT_CFG_INT, &lp->border_margin);
    FIELD("output.ppi", MNT_CFG_INT, &lp->output_ppi);
    FIELD("real.normalise_sigma", MNT_CFG_NUMBER, &rp->normalise_sigma);
    FIELD("real.foreground_sigma", MNT_CFG_NUMBER, &rp->foreground_sigma);
    FIELD("real.foreground_level", MNT_CFG_NUMBER, &rp->foreground_level);
    FIELD("real.margin", MNT_CFG_INT, &rp->margin);
#undef FIELD
    return n;
}

static int apply(const mnt_ynode *root, mnt_synth_params *sp, mnt_latent_params *lp, mnt_real_params *rp,
                 mnt_diag *d)
{
    /* a section the caller does not use is still checked, against its defaults */
    mnt_synth_params sp0;
    mnt_latent_params lp0;
    mnt_real_params rp0;
    if (!sp) mnt_synth_defaults(sp = &sp0);
    if (!lp) mnt_latent_defaults(lp = &lp0);
    if (!rp) mnt_real_defaults(rp = &rp0);
    mnt_cfg_field fields[MAX_FIELDS];
    /* storage for the composed key names, alive for this call only */
    char (*local)[48] = malloc(sizeof(char[MAX_FIELDS][48]));
    if (!local) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    size_t n = build_fields(sp, lp, rp, fields, local);
    int rc = mnt_yaml_bind(root, fields, n, d);
    free(local);
    if (rc) return rc;
    if ((rc = mnt_synth_validate(sp, d))) return rc;
    if ((rc = mnt_latent_validate(lp, d))) return rc;
    return mnt_real_validate(rp, d);
}

int mnt_latent_config_parse(const char *text, size_t len, mnt_synth_params *sp, mnt_latent_params *lp,
                            mnt_real_params *rp, mnt_diag *d)
{
    mnt_ynode *root;
    int rc = mnt_yaml_parse(text, len, &root, d);
    if (rc) return rc;
    rc = apply(root, sp, lp, rp, d);
    mnt_yaml_free(root);
    return rc;
}

int mnt_latent_config_load(const char *path, mnt_synth_params *sp, mnt_latent_params *lp, mnt_real_params *rp,
                           mnt_diag *d)
{
    mnt_ynode *root;
    int rc = mnt_yaml_load_file(path, &root, d);
    if (rc) return rc == MNT_ERR_FORMAT ? MNT_ERR_CONFIG : rc;
    rc = apply(root, sp, lp, rp, d);
    mnt_yaml_free(root);
    return rc;
}

int mnt_synth_config_parse(const char *text, size_t len, mnt_synth_params *sp, mnt_latent_params *lp, mnt_diag *d)
{
    return mnt_latent_config_parse(text, len, sp, lp, NULL, d);
}

int mnt_synth_config_load(const char *path, mnt_synth_params *sp, mnt_latent_params *lp, mnt_diag *d)
{
    return mnt_latent_config_load(path, sp, lp, NULL, d);
}
