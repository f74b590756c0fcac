#include "review_page.h"

#include <math.h>
#include <string.h>

#include "png_io.h"

extern const char mnt_review_html_start[], mnt_review_html_end[];

static const char MARKER[] = "/*MINUTIAE_DATA*/";

static void base64(mnt_buf *b, const uint8_t *p, size_t n)
{
    static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
        char q[4] = {A[v >> 18 & 63], A[v >> 12 & 63], i + 1 < n ? A[v >> 6 & 63] : '=', i + 2 < n ? A[v & 63] : '='};
        mnt_buf_put(b, q, 4);
    }
}

/* JSON text inside <script>: "</" would end the element early. */
static void script_safe(mnt_buf *b, const mnt_buf *json)
{
    for (size_t i = 0; i < json->len; i++) {
        if (json->data[i] == '<' && i + 1 < json->len && json->data[i + 1] == '/') mnt_buf_printf(b, "<\\");
        else mnt_buf_u8(b, json->data[i]);
    }
}

static void marks(mnt_buf *b, const mnt_view *v)
{
    mnt_buf_u8(b, '[');
    for (size_t i = 0; v && i < v->n; i++) {
        const mnt_minutia *m = &v->m[i];
        double score = m->has_score ? m->score : m->quality / 100.0;
        mnt_buf_printf(b, "%s{\"x\": %.2f, \"y\": %.2f, \"angle\": %.2f, \"type\": \"%s\", \"quality\": %d, \"score\": %.4f}",
                       i ? ", " : "", m->x, m->y, mnt_angle_norm(m->angle), mnt_type_name(m->type), m->quality, score);
    }
    mnt_buf_u8(b, ']');
}

int review_page_render(const review_page_input *in, mnt_buf *html, mnt_diag *d)
{
    const char *tpl = mnt_review_html_start, *at = strstr(tpl, MARKER);
    if (!at || at > mnt_review_html_end) return mnt_fail(d, MNT_ERR_ARG, "review page template without its data marker");
    mnt_buf png = {0}, data = {0};
    int rc = mnt_png_encode_grey(in->image, &png, d);
    if (rc) return rc;
    mnt_buf_printf(&data, "{\"file\": ");
    mnt_buf_json_string(&data, in->file);
    mnt_buf_printf(&data, ", \"model\": ");
    mnt_buf_json_string(&data, in->model ? in->model : "");
    mnt_buf_printf(&data, ", \"width\": %d, \"height\": %d, \"ppi\": %.0f, \"threshold\": %.4f, \"floor\": %.4f, \"minutiae\": ",
                   in->image->width, in->image->height, in->ppi, in->threshold, in->floor);
    marks(&data, in->minutiae);
    mnt_buf_printf(&data, ", \"candidates\": ");
    marks(&data, in->candidates);
    mnt_buf_printf(&data, ", \"image\": \"data:image/png;base64,");
    base64(&data, png.data, png.len);
    mnt_buf_printf(&data, "\"}");
    mnt_buf_put(html, tpl, (size_t)(at - tpl));
    script_safe(html, &data);
    size_t tail = (size_t)(mnt_review_html_end - at) - (sizeof MARKER - 1);
    mnt_buf_put(html, at + sizeof MARKER - 1, tail);
    if (data.failed || html->failed) rc = mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    mnt_buf_free(&png);
    mnt_buf_free(&data);
    return rc;
}
