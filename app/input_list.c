#include "input_list.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int input_is_image_name(const char *name)
{
    if (ends_with(name, ".mask.png") || ends_with(name, ".overlay.png") || ends_with(name, ".prob.png")) return 0;
    static const char *const ext[] = {".png", ".pgm", ".tif", ".tiff", ".jpg", ".jpeg", ".jp2", ".j2k", ".j2c", ".wsq"};
    const char *dot = strrchr(name, '.');
    if (!dot) return 0;
    for (size_t i = 0; i < sizeof ext / sizeof *ext; i++)
        if (strcasecmp(dot, ext[i]) == 0) return 1;
    return 0;
}

void input_stem(const char *path, char *out, size_t cap)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    snprintf(out, cap, "%s", base);
    char *dot = strrchr(out, '.');
    if (dot && dot != out) *dot = 0;
}

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *o = malloc(n);
    if (o) memcpy(o, s, n);
    return o;
}

static int push(input_list *l, const char *path, const char *rel)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        input_item *ni = realloc(l->items, cap * sizeof *ni);
        if (!ni) return -1;
        l->items = ni;
        l->cap = cap;
    }
    l->items[l->n].path = dup(path);
    l->items[l->n].rel = dup(rel);
    if (!l->items[l->n].path || !l->items[l->n].rel) return -1;
    l->n++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(input_list *l, const char *dir, const char *rel, int recursive, int depth, char *err, size_t errcap)
{
    if (depth > 32) return 0;
    DIR *dp = opendir(dir);
    if (!dp) {
        snprintf(err, errcap, "%s: cannot read folder: %s", dir, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dp))) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) break;
            names = nn;
        }
        names[n] = dup(e->d_name);
        if (names[n]) n++;
    }
    closedir(dp);
    if (n) qsort(names, n, sizeof *names, cmp_str);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        char path[4096], r[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        snprintf(r, sizeof r, "%s%s%s", rel, rel[0] ? "/" : "", names[i]);
        struct stat st;
        if (stat(path, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) {
            if (recursive) rc = walk(l, path, r, recursive, depth + 1, err, errcap);
        } else if (input_is_image_name(names[i])) {
            rc = push(l, path, r);
            if (rc) snprintf(err, errcap, "out of memory");
        }
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return rc;
}

int input_list_add(input_list *l, const char *path, int recursive, char *err, size_t errcap)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errcap, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) return walk(l, path, "", recursive, 0, err, errcap);
    const char *base = strrchr(path, '/');
    if (push(l, path, base ? base + 1 : path)) {
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    return 0;
}

int input_list_add_file(input_list *l, const char *listfile, char *err, size_t errcap)
{
    FILE *fp = fopen(listfile, "r");
    if (!fp) {
        snprintf(err, errcap, "%s: %s", listfile, strerror(errno));
        return -1;
    }
    char line[4096];
    int rc = 0;
    while (!rc && fgets(line, sizeof line, fp)) {
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ')) line[--n] = 0;
        if (!n || line[0] == '#') continue;
        rc = input_list_add(l, line, 0, err, errcap);
    }
    fclose(fp);
    return rc;
}

void input_list_free(input_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].path);
        free(l->items[i].rel);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}
