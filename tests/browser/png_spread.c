/* Prints "WIDTHxHEIGHT mean stddev" of an image's grey levels (0..1): the browser test
 * uses it to tell a rendered page from a blank screenshot. */
#include <math.h>
#include <stdio.h>

#include "image_io.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: png_spread IMAGE\n");
        return 64;
    }
    mnt_image im;
    mnt_diag d = {0};
    int rc = mnt_image_read(argv[1], (size_t)1 << 26, &im, &d);
    if (rc) {
        fprintf(stderr, "png_spread: %s: %s\n", argv[1], mnt_diag_message(&d, rc));
        return 65;
    }
    double s = 0, s2 = 0, n = (double)im.width * im.height;
    for (size_t i = 0; i < (size_t)im.width * im.height; i++) {
        s += im.px[i];
        s2 += (double)im.px[i] * im.px[i];
    }
    double mean = s / n, sd = sqrt(fmax(0, s2 / n - mean * mean));
    printf("%dx%d %.4f %.4f\n", im.width, im.height, mean, sd);
    mnt_image_free(&im);
    return 0;
}
