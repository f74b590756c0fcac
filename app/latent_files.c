#include "latent_files.h"

#include <stdio.h>

#include "fs_util.h"
#include "image_io.h"
#include "template_io.h"

const char *const LATENT_FILE_SUFFIXES[LATENT_FILE_COUNT] = {".png", ".json", ".iso", ".mask.png"};

int latent_files_write(const char *outdir, const char *name, const mnt_image *img, const uint8_t *mask,
                       mnt_template *t, char *err, size_t errcap)
{
    char path[4096] = "";
    mnt_diag d = {0};
    int rc = MNT_ERR_CREATE;
    snprintf(t->image, sizeof t->image, "%s.png", name);
    if (join_path(path, sizeof path, outdir, name, ".png") || (rc = mnt_image_write(path, img, &d))) goto fail;
    if (join_path(path, sizeof path, outdir, name, ".json") ||
        (rc = mnt_template_write_file(path, t, MNT_FMT_JSON, NULL, &d)))
        goto fail;
    /* the ISO truth holds the visible minutiae only */
    mnt_template vis;
    if ((rc = mnt_template_copy_view(t, 0, &vis))) goto fail;
    size_t k = 0;
    for (size_t i = 0; i < vis.views[0].n; i++)
        if (!vis.views[0].m[i].hidden) vis.views[0].m[k++] = vis.views[0].m[i];
    vis.views[0].n = k;
    rc = join_path(path, sizeof path, outdir, name, ".iso") ? MNT_ERR_CREATE
                                                             : mnt_template_write_file(path, &vis, MNT_FMT_ISO2005, NULL, &d);
    mnt_template_free(&vis);
    if (rc) goto fail;
    mnt_image m;
    if ((rc = mnt_image_alloc(&m, img->width, img->height, 0, &d))) goto fail;
    m.ppi = img->ppi;
    for (size_t i = 0; i < (size_t)img->width * img->height; i++) m.px[i] = mask[i] ? 1.0f : 0.0f;
    rc = join_path(path, sizeof path, outdir, name, ".mask.png") ? MNT_ERR_CREATE : mnt_image_write(path, &m, &d);
    mnt_image_free(&m);
    if (rc) goto fail;
    return MNT_OK;
fail:
    snprintf(err, errcap, "%.200s: %.190s", path, mnt_diag_message(&d, rc ? rc : MNT_ERR_CREATE));
    return rc ? rc : MNT_ERR_CREATE;
}
