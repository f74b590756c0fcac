/* Replays a fuzz target's corpus without libFuzzer: every argument is a file or a
 * folder of files, each fed once to LLVMFuzzerTestOneInput. A crash or sanitizer
 * report fails the test; an empty corpus is an error too (a typo must not pass). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_target.h"

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return -1;
    }
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            uint8_t *nb = realloc(buf, cap *= 2);
            if (!nb) free(buf);
            buf = nb;
        }
    }
    fclose(f);
    if (!buf) {
        fprintf(stderr, "replay: out of memory on %s\n", path);
        return -1;
    }
    /* an exact-size copy so reads past the end are caught by ASan */
    uint8_t *exact = malloc(len ? len : 1);
    if (!exact) {
        free(buf);
        return -1;
    }
    memcpy(exact, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    return 0;
}

int main(int argc, char **argv)
{
    size_t n = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: %s does not exist\n", argv[i]);
            return 1;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (replay_file(argv[i])) return 1;
            n++;
            continue;
        }
        DIR *dir = opendir(argv[i]);
        if (!dir) return 1;
        struct dirent *e;
        while ((e = readdir(dir))) {
            if (e->d_name[0] == '.') continue;
            size_t pl = strlen(argv[i]) + strlen(e->d_name) + 2;
            char *p = malloc(pl);
            if (!p) return 1;
            snprintf(p, pl, "%s/%s", argv[i], e->d_name);
            int rc = replay_file(p);
            free(p);
            if (rc) {
                closedir(dir);
                return 1;
            }
            n++;
        }
        closedir(dir);
    }
    printf("replayed %zu inputs\n", n);
    return n ? 0 : 1;
}
