/* Example program for libminutiae: reads an 8-bit binary PGM (P5), extracts its
 * minutiae with the embedded default model, prints them and writes an ISO/IEC
 * 19794-2:2005 template.
 *
 *   extract_example IN.pgm OUT.iso [PPI]
 *
 * Build against an installed libminutiae:
 *   cc extract_example.c -o extract_example $(pkg-config --cflags --libs minutiae)
 * or with CMake: find_package(minutiae) and link minutiae::minutiae (CMakeLists.txt here). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <minutiae.h>

/* The next header number of a PGM, skipping white space and # comments. */
static long pgm_number(FILE *f)
{
    int c = fgetc(f);
    for (;;) {
        while (c != EOF && isspace(c)) c = fgetc(f);
        if (c != '#') break;
        while (c != EOF && c != '\n') c = fgetc(f);
    }
    long v = 0;
    int digits = 0;
    while (c != EOF && isdigit(c) && v < 1000000) {
        v = v * 10 + (c - '0');
        digits++;
        c = fgetc(f);
    }
    return digits && (c == EOF || isspace(c)) ? v : -1; /* one white space ends the header */
}

/* A tiny PGM reader: binary P5, maxval 255. Returns the pixels (free them) or NULL. */
static uint8_t *read_pgm(const char *path, int *width, int *height)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return NULL;
    }
    uint8_t *px = NULL;
    char magic[2];
    long w, h, maxval;
    if (fread(magic, 1, 2, f) != 2 || memcmp(magic, "P5", 2) || (w = pgm_number(f)) <= 0 || (h = pgm_number(f)) <= 0 ||
        (maxval = pgm_number(f)) != 255 || w > 16384 || h > 16384) {
        fprintf(stderr, "%s: not an 8-bit binary PGM (P5, maxval 255)\n", path);
    } else if (!(px = malloc((size_t)w * (size_t)h))) {
        fprintf(stderr, "%s: out of memory\n", path);
    } else if (fread(px, 1, (size_t)w * (size_t)h, f) != (size_t)w * (size_t)h) {
        fprintf(stderr, "%s: truncated\n", path);
        free(px);
        px = NULL;
    } else {
        *width = (int)w;
        *height = (int)h;
    }
    fclose(f);
    return px;
}

static const char *type_name(minutiae_type t)
{
    return t == MINUTIAE_TYPE_ENDING ? "ending" : t == MINUTIAE_TYPE_BIFURCATION ? "bifurcation" : "other";
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s IN.pgm OUT.iso [PPI]\n", argv[0]);
        return 2;
    }
    double ppi = argc == 4 ? atof(argv[3]) : 500;
    int width, height;
    uint8_t *pixels = read_pgm(argv[1], &width, &height);
    if (!pixels) return 1;

    int err;
    minutiae_ctx *ctx = minutiae_new_default(&err);
    if (!ctx) {
        fprintf(stderr, "minutiae_new_default: %s (%s)\n", minutiae_last_error(NULL), minutiae_strerror(err));
        free(pixels);
        return 1;
    }
    minutiae_result *result = NULL;
    err = minutiae_extract(ctx, pixels, width, height, width, ppi, &result);
    free(pixels);
    if (err) {
        fprintf(stderr, "%s: %s (%s)\n", argv[1], minutiae_last_error(ctx), minutiae_strerror(err));
        minutiae_free(ctx);
        return 1;
    }
    size_t n = minutiae_result_count(result);
    printf("# libminutiae %s, threshold %.3f: %zu minutiae\n# x y angle type quality score\n", minutiae_version(),
           minutiae_get_threshold(ctx), n);
    for (size_t i = 0; i < n; i++) {
        minutiae_minutia m;
        minutiae_result_get(result, i, &m);
        printf("%.2f %.2f %.2f %s %d %.4f\n", m.x, m.y, m.angle, type_name(m.type), m.quality, m.score);
    }

    uint8_t *iso = NULL;
    size_t len = 0;
    err = minutiae_encode(result, MINUTIAE_FORMAT_ISO2005, 0, 0, 0, &iso, &len);
    int status = 0;
    if (err) {
        fprintf(stderr, "encode: %s\n", minutiae_strerror(err));
        status = 1;
    } else {
        FILE *f = fopen(argv[2], "wb");
        if (!f || fwrite(iso, 1, len, f) != len || fclose(f) != 0) {
            perror(argv[2]);
            status = 1;
        }
    }
    minutiae_buffer_free(iso);
    minutiae_result_free(result);
    minutiae_free(ctx);
    return status;
}
