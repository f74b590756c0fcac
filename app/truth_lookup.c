#include "truth_lookup.h"

#include "fs_util.h"

static const char *const TRUTH_EXTS[] = {".json", ".iso", ".ansi", ".iso2011", ".xyt", ".mnt"};

int truth_lookup(const char *dir, const char *stem, const mnt_read_opts *ro, int width, int height, mnt_template *t,
                 char *path, size_t cap, mnt_diag *d)
{
    for (size_t k = 0; k < sizeof TRUTH_EXTS / sizeof *TRUTH_EXTS; k++) {
        if (join_path(path, cap, dir, stem, TRUTH_EXTS[k]) || !file_exists(path)) continue;
        mnt_read_opts o = *ro;
        o.height = height;
        o.width = width;
        int rc = mnt_template_read_file(path, &o, NULL, t, d);
        return rc ? rc : 1;
    }
    return 0;
}
