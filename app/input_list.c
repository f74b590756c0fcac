#include "input_list.h"

#include <dirent.h>
#include <ctype.h>
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

int input_is_own_output(const char *name)
{
    static const char *const OWN[] = {".mask.png", ".overlay.png", ".prob.png"};
    for (size_t i = 0; i < sizeof OWN / sizeof *OWN; i++)
        if (ends_with(name, OWN[i])) return 1;
    return 0;
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

static int push(input_list *l, const char *path, const char *rel, const char *error)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        input_item *ni = realloc(l->items, cap * sizeof *ni);
        if (!ni) return -1;
        l->items = ni;
        l->cap = cap;
    }
    input_item *it = &l->items[l->n];
    it->path = dup(path);
    it->rel = dup(rel);
    it->error = error ? dup(error) : NULL;
    if (!it->path || !it->rel || (error && !it->error)) {
        free(it->path);
        free(it->rel);
        free(it->error);
        return -1;
    }
    l->n++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The folders of the walk in progress, by device and inode: a link back to one of
 * them (or to a folder already walked) is not walked again. */
typedef struct {
    dev_t dev[1024];
    ino_t ino[1024];
    size_t n;
} visited_dirs;

static int visit(visited_dirs *v, const struct stat *st)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->dev[i] == st->st_dev && v->ino[i] == st->st_ino) return 0;
    if (v->n < sizeof v->dev / sizeof *v->dev) {
        v->dev[v->n] = st->st_dev;
        v->ino[v->n++] = st->st_ino;
    }
    return 1;
}

static int unreadable(input_list *l, const char *path, const char *rel, const char *why, char *err, size_t errcap)
{
    snprintf(err, errcap, "%s: %s", path, why);
    if (!l->keep_going) return -1;
    if (push(l, path, rel, why)) {
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    return 0;
}

static int walk(input_list *l, visited_dirs *v, const char *dir, const char *rel, int recursive, int depth, char *err,
                size_t errcap)
{
    if (depth > 32) return 0;
    DIR *dp = opendir(dir);
    if (!dp) {
        char why[300];
        snprintf(why, sizeof why, "cannot read folder: %s", strerror(errno));
        return unreadable(l, dir, rel[0] ? rel : dir, why, err, errcap);
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
            if (!recursive) continue;
            if (visit(v, &st)) rc = walk(l, v, path, r, recursive, depth + 1, err, errcap);
            else l->loops++;
        } else if (input_is_image_name(names[i])) {
            rc = push(l, path, r, NULL);
            if (rc) snprintf(err, errcap, "out of memory");
        } else if (!input_is_own_output(names[i])) {
            if (!l->skipped++) snprintf(l->skipped_example, sizeof l->skipped_example, "%.250s", path);
        }
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return rc;
}

int input_list_add(input_list *l, const char *path, int recursive, char *err, size_t errcap)
{
    struct stat st;
    const char *base = strrchr(path, '/');
    if (stat(path, &st) != 0) return unreadable(l, path, base ? base + 1 : path, strerror(errno), err, errcap);
    if (S_ISDIR(st.st_mode)) {
        visited_dirs *v = calloc(1, sizeof *v);
        if (!v) {
            snprintf(err, errcap, "out of memory");
            return -1;
        }
        visit(v, &st);
        int rc = walk(l, v, path, "", recursive, 0, err, errcap);
        free(v);
        return rc;
    }
    if (push(l, path, base ? base + 1 : path, NULL)) {
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
        while (n && isspace((unsigned char)line[n - 1])) line[--n] = 0;
        char *p = line;
        while (isspace((unsigned char)*p)) p++;
        if (!*p || *p == '#') continue;
        rc = input_list_add(l, p, 0, err, errcap);
    }
    fclose(fp);
    return rc;
}

void input_list_free(input_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].path);
        free(l->items[i].rel);
        free(l->items[i].error);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}
