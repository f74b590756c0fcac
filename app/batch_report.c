#include "batch_report.h"

#include <stdio.h>
#include <string.h>

#include "bytes.h"

static const char *status_name(const batch_entry *e)
{
    return e->not_run ? "not run" : e->r.skipped ? "skipped" : e->r.status ? "failed" : "ok";
}

/* A relative path as a URL path: every byte outside the unreserved set and '/' is
 * percent-encoded (names with '#', '?', '%' or spaces would break the links). */
static void url_path(mnt_buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-._~/", c))
            mnt_buf_u8(b, c);
        else
            mnt_buf_printf(b, "%%%02X", c);
    }
}

static void html_escape(mnt_buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '<') mnt_buf_printf(b, "&lt;");
        else if (*s == '>') mnt_buf_printf(b, "&gt;");
        else if (*s == '&') mnt_buf_printf(b, "&amp;");
        else if (*s == '"') mnt_buf_printf(b, "&quot;");
        else mnt_buf_u8(b, (unsigned char)*s);
    }
}

/* CSV field: quoted when it holds a comma, quote or newline */
static void csv_field(mnt_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\n")) {
        mnt_buf_printf(b, "%s", s);
        return;
    }
    mnt_buf_u8(b, '"');
    for (; *s; s++) {
        if (*s == '"') mnt_buf_u8(b, '"');
        mnt_buf_u8(b, (unsigned char)*s);
    }
    mnt_buf_u8(b, '"');
}

int batch_format_reports(const batch_run *run, const batch_entry *e, size_t n, mnt_buf *json, mnt_buf *csv, mnt_buf *html,
                         mnt_diag *d)
{
    size_t ok = 0, failed = 0, skipped = 0, not_run = 0;
    for (size_t i = 0; i < n; i++) {
        if (e[i].not_run) not_run++;
        else if (e[i].r.skipped) skipped++;
        else if (e[i].r.status) failed++;
        else ok++;
    }
    mnt_buf j = {0}, c = {0}, h = {0}; /* handed to the caller at the end */
    mnt_buf_printf(&j, "{\n  \"tool\": \"minutiae %s\",\n  \"model\": ", run->version);
    mnt_buf_json_string(&j, run->model_name);
    mnt_buf_printf(&j, ",\n  \"model_sha256\": \"%s\",\n  \"settings_sha256\": \"%s\",\n  \"config\": {\"threshold\": %.4f, \"quality_weight\": %.2f, "
                       "\"direction_weight\": %.2f, \"region\": \"%s\", \"region_threshold\": %.2f, \"roi_margin\": %.2f, \"ridge_smoothing\": %.2f, \"stride\": %d, \"nms_radius\": %.2f, "
                       "\"patch_size\": %d, \"grid\": %d, \"context\": %d, \"formats\": \"%s\", \"ppi\": %s%.0f%s, \"mirror\": %s, \"invert\": %s, \"jobs\": %d},\n",
                   run->model_sha256, run->settings_sha256 ? run->settings_sha256 : "", run->threshold, run->quality_weight, run->direction_weight,
                   run->region_threshold > 0 ? "foreground head" : "segmented", run->region_threshold, run->roi_margin,
                   run->ridge_smoothing, run->stride, run->nms_radius, run->patch_size, run->grid, run->context, run->formats,
                   run->ppi_option > 0 ? "" : "\"from file, else 500 (", run->ppi_option > 0 ? run->ppi_option : 500,
                   run->ppi_option > 0 ? "" : ")\"", run->mirror ? "true" : "false", run->invert ? "true" : "false", run->jobs);
    mnt_buf_printf(&j, "  \"summary\": {\"images\": %zu, \"ok\": %zu, \"failed\": %zu, \"skipped\": %zu, \"not_run\": %zu, "
                       "\"interrupted\": %s, \"files_not_images\": %zu},\n",
                   n, ok, failed, skipped, not_run, run->interrupted ? "true" : "false", run->skipped_files);
    if (run->shard_n) mnt_buf_printf(&j, "  \"shard\": {\"k\": %d, \"n\": %d},\n", run->shard_k, run->shard_n);
    mnt_buf_printf(&j, "  \"images\": [");
    mnt_buf_printf(&c, "input,output,status,minutiae,ms,ppi,ppi_assumed,sha256,error\n");
    for (size_t i = 0; i < n; i++) {
        const extract_result *r = &e[i].r;
        mnt_buf_printf(&j, "%s\n    {\"input\": ", i ? "," : "");
        mnt_buf_json_string(&j, e[i].input);
        mnt_buf_printf(&j, ", \"output\": ");
        mnt_buf_json_string(&j, e[i].rel);
        mnt_buf_printf(&j, ", \"status\": \"%s\", \"minutiae\": %zu, \"ms\": %.1f, \"ppi\": %.1f, \"ppi_assumed\": %s, \"sha256\": \"%s\", \"error\": ",
                       status_name(&e[i]), r->minutiae, r->ms, r->ppi, r->ppi_assumed ? "true" : "false", r->sha256);
        mnt_buf_json_string(&j, r->error);
        if (r->warning[0]) {
            mnt_buf_printf(&j, ", \"warning\": ");
            mnt_buf_json_string(&j, r->warning);
        }
        mnt_buf_printf(&j, "}");
        csv_field(&c, e[i].input);
        mnt_buf_u8(&c, ',');
        csv_field(&c, e[i].rel);
        mnt_buf_printf(&c, ",%s,%zu,%.1f,%.1f,%d,%s,", status_name(&e[i]), r->minutiae, r->ms, r->ppi, r->ppi_assumed, r->sha256);
        csv_field(&c, r->error);
        mnt_buf_u8(&c, '\n');
    }
    mnt_buf_printf(&j, "\n  ]\n}\n");

    mnt_buf_printf(&h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>minutiae batch</title>\n"
                       "<style>body{font-family:sans-serif;margin:1em;background:#f6f6f6}figure{display:inline-block;margin:6px;"
                       "padding:6px;background:#fff;border:1px solid #ccc;vertical-align:top}figure img{width:300px;display:block}"
                       "figcaption{font-size:13px;max-width:300px;word-wrap:break-word}.fail{color:#b00}table{border-collapse:collapse}"
                       "td,th{border:1px solid #ccc;padding:3px 6px;font-size:13px}</style></head><body>\n");
    mnt_buf_printf(&h, "<h1>minutiae batch</h1>\n<p>%zu images: %zu ok, %zu failed, %zu kept from an earlier run%s. Model ", n, ok,
                   failed, skipped, run->interrupted ? " (interrupted: the rest were not run)" : "");
    html_escape(&h, run->model_name);
    mnt_buf_printf(&h, ", threshold %.2f. Red circles: ridge endings; blue: bifurcations; tails point along the minutia direction.</p>\n",
                   run->threshold);
    if (failed) {
        mnt_buf_printf(&h, "<h2 class=\"fail\">Failures</h2>\n<table><tr><th>input</th><th>error</th></tr>\n");
        for (size_t i = 0; i < n; i++) {
            if (!e[i].r.status || e[i].r.skipped || e[i].not_run) continue;
            mnt_buf_printf(&h, "<tr><td>");
            html_escape(&h, e[i].input);
            mnt_buf_printf(&h, "</td><td class=\"fail\">");
            html_escape(&h, e[i].r.error);
            mnt_buf_printf(&h, "</td></tr>\n");
        }
        mnt_buf_printf(&h, "</table>\n");
    }
    int review = strstr(run->formats, "review") != NULL;
    mnt_buf_printf(&h, "<h2>Overlays</h2>\n");
    for (size_t i = 0; i < n; i++) {
        if (e[i].r.status || e[i].not_run) continue;
        mnt_buf_printf(&h, "<figure><a href=\"");
        url_path(&h, e[i].rel);
        mnt_buf_printf(&h, "%s\"><img loading=\"lazy\" src=\"", review ? ".review.html" : ".overlay.png");
        url_path(&h, e[i].rel);
        mnt_buf_printf(&h, ".overlay.png\" alt=\"overlay\"></a><figcaption>");
        html_escape(&h, e[i].rel);
        if (review) {
            mnt_buf_printf(&h, " &middot; <a href=\"");
            url_path(&h, e[i].rel);
            mnt_buf_printf(&h, ".review.html\">review</a> &middot; <a href=\"");
            url_path(&h, e[i].rel);
            mnt_buf_printf(&h, ".overlay.png\">overlay</a>");
        }
        mnt_buf_printf(&h, "<br>%zu minutiae%s</figcaption></figure>\n", e[i].r.minutiae, e[i].r.skipped ? " (earlier run)" : "");
    }
    mnt_buf_printf(&h, "</body></html>\n");
    if (j.failed || c.failed || h.failed) {
        mnt_buf_free(&j);
        mnt_buf_free(&c);
        mnt_buf_free(&h);
        return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    }
    *json = j;
    *csv = c;
    *html = h;
    return MNT_OK;
}
