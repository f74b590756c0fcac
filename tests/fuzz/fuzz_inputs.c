/* libFuzzer target over every untrusted-input decoder: templates (all formats, strict
 * and lenient), PNG, images by content (PGM, TIFF, JPEG, JPEG 2000), JSON, YAML
 * configs, patch sets and model files. The first byte picks the decoder. Build:
 * cmake -DMNT_FUZZ=ON with CC=clang; run e.g.
 *   build-fuzz/fuzz_inputs -max_total_time=60 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "image_io.h"
#include "json.h"
#include "model_file.h"
#include "patchset_file.h"
#include "pgm_io.h"
#include "png_io.h"
#include "synth_config.h"
#include "template_io.h"
#include "yaml_tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    unsigned which = data[0] % 8;
    data++;
    size--;
    mnt_diag d = {0};
    switch (which) {
    case 0:
    case 1: {
        mnt_read_opts o = {0};
        o.lenient = which == 1;
        o.height = 512;
        mnt_format f;
        mnt_template t;
        if (mnt_template_detect(data, size, &o, &f, &d) == 0 && mnt_template_decode(data, size, f, &o, &t, &d) == 0) {
            /* whatever was read must encode (or be refused) without harm */
            mnt_buf b = {0};
            mnt_template_encode(&t, MNT_FMT_ISO2005, NULL, &b, &d);
            mnt_buf_free(&b);
            mnt_template_free(&t);
        }
        break;
    }
    case 2: {
        mnt_image im;
        if (mnt_png_decode(data, size, 1u << 22, &im, &d) == 0) mnt_image_free(&im);
        break;
    }
    case 3: {
        mnt_image im;
        if (mnt_image_decode(data, size, 1u << 22, &im, &d) == 0) mnt_image_free(&im);
        break;
    }
    case 4: {
        mnt_json *j;
        if (mnt_json_parse((const char *)data, size, &j, &d) == 0) mnt_json_free(j);
        break;
    }
    case 5: {
        mnt_synth_params sp;
        mnt_latent_params lp;
        mnt_synth_defaults(&sp);
        mnt_latent_defaults(&lp);
        mnt_synth_config_parse((const char *)data, size, &sp, &lp, &d);
        break;
    }
    case 6: {
        mnt_patch_set s;
        if (mnt_patchset_decode(data, size, &s, &d) == 0) mnt_patch_set_free(&s);
        break;
    }
    default: {
        mnt_model m;
        if (mnt_model_decode(data, size, &m, &d) == 0) mnt_model_free(&m);
        break;
    }
    }
    return 0;
}
