/* Raster drawing on RGB canvases: lines, circles, rectangles and text in a built-in
 * 5x7 font, for overlays and plots. Everything is clipped to the canvas. */
#ifndef MNT_DRAW_H
#define MNT_DRAW_H

#include <stdint.h>

#include "image.h"

typedef struct { uint8_t r, g, b; } mnt_color;

void mnt_draw_pixel(mnt_rgb_image *c, int x, int y, mnt_color col);
void mnt_draw_blend(mnt_rgb_image *c, int x, int y, mnt_color col, double alpha);
void mnt_draw_line(mnt_rgb_image *c, double x0, double y0, double x1, double y1, double width, mnt_color col);
void mnt_draw_circle(mnt_rgb_image *c, double cx, double cy, double r, double width, mnt_color col);
void mnt_draw_fill_rect(mnt_rgb_image *c, int x, int y, int w, int h, mnt_color col);
void mnt_draw_rect(mnt_rgb_image *c, int x, int y, int w, int h, mnt_color col);
/* Text with its top-left corner at (x, y), glyphs 6*scale pixels apart. */
void mnt_draw_text(mnt_rgb_image *c, int x, int y, const char *text, int scale, mnt_color col);
int mnt_text_width(const char *text, int scale);

#endif
