#include "synth_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yaml_tree.h"

enum { MAX_FIELDS = 128 };

static size_t build_fields(mnt_synth_params *sp, mnt_latent_params *lp, mnt_cfg_field *f, char names[][48])
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
    for (int c = 0; c < MNT_CLASS_COUNT; c++) {
        snprintf(names[n], 48, "print.classes.%s", mnt_class_name((mnt_print_class)c));
        FIELD(names[n], MNT_CFG_NUMBER, &sp->class_weights[c]);
    }
    static const char *const keys[] = {"visible_area", "contrast", "unevenness", "breaks", "smudges", "blur", "noise",
                                       "speckle", "background", "illumination", "p_lines", "p_text", "p_handwriting",
                                       "p_stains", "p_second_print"};
    for (int l = 0; l < MNT_LEVEL_COUNT; l++) {
        mnt_latent_level_params *L = &lp->level[l];
        void *targets[] = {&L->visible_area, &L->contrast, &L->unevenness, &L->breaks, &L->smudges, &L->blur,
                           &L->noise, &L->speckle, &L->background, &L->illumination, &L->p_lines, &L->p_text,
                           &L->p_handwriting, &L->p_stains, &L->p_second_print};
        for (int k = 0; k < 15; k++) {
            snprintf(names[n], 48, "levels.%s.%s", mnt_level_name((mnt_latent_level)l), keys[k]);
            FIELD(names[n], k < 10 ? MNT_CFG_PAIR : MNT_CFG_NUMBER, targets[k]);
        }
    }
    FIELD("hidden.min_contrast", MNT_CFG_NUMBER, &lp->min_contrast);
    FIELD("hidden.border_margin", MNT_CFG_INT, &lp->border_margin);
#undef FIELD
    return n;
}

static int apply(const mnt_ynode *root, mnt_synth_params *sp, mnt_latent_params *lp, mnt_diag *d)
{
    mnt_cfg_field fields[MAX_FIELDS];
    /* storage for the composed key names, alive for this call only */
    char (*local)[48] = malloc(sizeof(char[MAX_FIELDS][48]));
    if (!local) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    size_t n = build_fields(sp, lp, fields, local);
    int rc = mnt_yaml_bind(root, fields, n, d);
    free(local);
    if (rc) return rc;
    if ((rc = mnt_synth_validate(sp, d))) return rc;
    return mnt_latent_validate(lp, d);
}

int mnt_synth_config_parse(const char *text, size_t len, mnt_synth_params *sp, mnt_latent_params *lp, mnt_diag *d)
{
    mnt_ynode *root;
    int rc = mnt_yaml_parse(text, len, &root, d);
    if (rc) return rc;
    rc = apply(root, sp, lp, d);
    mnt_yaml_free(root);
    return rc;
}

int mnt_synth_config_load(const char *path, mnt_synth_params *sp, mnt_latent_params *lp, mnt_diag *d)
{
    mnt_ynode *root;
    int rc = mnt_yaml_load_file(path, &root, d);
    if (rc) return rc == MNT_ERR_FORMAT ? MNT_ERR_CONFIG : rc;
    rc = apply(root, sp, lp, d);
    mnt_yaml_free(root);
    return rc;
}
