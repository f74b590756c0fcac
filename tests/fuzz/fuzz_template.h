/* One template format, strict and lenient (the first byte chooses), then whatever was
 * read is encoded again in every writable format (or refused) without harm. */
#ifndef MNT_FUZZ_TEMPLATE_H
#define MNT_FUZZ_TEMPLATE_H

#include "fuzz_target.h"
#include "template_io.h"

static inline int mnt_fuzz_template(const uint8_t *data, size_t size, mnt_format fmt)
{
    if (size < 1) return 0;
    mnt_read_opts o = {0};
    o.lenient = data[0] & 1;
    o.height = data[0] & 2 ? 512 : 0;
    data++;
    size--;
    mnt_diag d = {0};
    mnt_template t;
    if (mnt_template_decode(data, size, fmt, &o, &t, &d) == 0) {
        static const mnt_format out[] = {MNT_FMT_ISO2005, MNT_FMT_ANSI378, MNT_FMT_ISO2011, MNT_FMT_XYT, MNT_FMT_JSON};
        for (size_t i = 0; i < sizeof out / sizeof *out; i++) {
            mnt_buf b = {0};
            mnt_template_encode(&t, out[i], NULL, &b, &d);
            mnt_buf_free(&b);
        }
        mnt_template_free(&t);
    }
    return 0;
}

#endif
