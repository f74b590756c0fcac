/* Raster drawing on RGB canvases: lines, circles, polygons, rectangles and text in a
 * built-in 5x7 font (ASCII 32..126), for overlays and plots. Everything is clipped to
 * the canvas. Strokes are anti-aliased from the distance to the shape and blend every
 * pixel once, so a translucent shape has no darker joints. */
#ifndef MNT_DRAW_H
#define MNT_DRAW_H

#include <stdint.h>

#include "image.h"

typedef struct { uint8_t r, g, b; } mnt_color;

void mnt_draw_pixel(mnt_rgb_image *c, int x, int y, mnt_color col);
void mnt_draw_blend(mnt_rgb_image *c, int x, int y, mnt_color col, double alpha);
void mnt_draw_line(mnt_rgb_image *c, double x0, double y0, double x1, double y1, double width, mnt_color col);
void mnt_draw_circle(mnt_rgb_image *c, double cx, double cy, double r, double width, mnt_color col);
/* The same with an opacity 0..1. */
void mnt_draw_line_alpha(mnt_rgb_image *c, double x0, double y0, double x1, double y1, double width, mnt_color col,
                         double alpha);
void mnt_draw_circle_alpha(mnt_rgb_image *c, double cx, double cy, double r, double width, mnt_color col, double alpha);
/* Outline of the closed polygon through n points (xy: x0, y0, x1, y1, ...), n <= 16. */
void mnt_draw_polygon(mnt_rgb_image *c, const double *xy, int n, double width, mnt_color col, double alpha);
void mnt_draw_fill_rect(mnt_rgb_image *c, int x, int y, int w, int h, mnt_color col);
void mnt_draw_rect(mnt_rgb_image *c, int x, int y, int w, int h, mnt_color col);
/* Text with its top-left corner at (x, y), glyphs 6*scale pixels apart. */
void mnt_draw_text(mnt_rgb_image *c, int x, int y, const char *text, int scale, mnt_color col);
/* Text over an image: every glyph pixel surrounded by `scale` pixels of halo colour
 * (legible over dark and light ridges, in colour and in grey), at opacity alpha. */
void mnt_draw_text_halo(mnt_rgb_image *c, int x, int y, const char *text, int scale, mnt_color col, mnt_color halo,
                        double alpha);
/* Advance of text (6*scale per glyph, the last column blank); glyphs are 7*scale high
 * above the baseline, descenders (g, j, p, q, y) one row more. */
int mnt_text_width(const char *text, int scale);
int mnt_text_height(int scale);

#endif
