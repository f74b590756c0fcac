/* The bytes come from embedded_model_blob.S (.incbin of models/default.mnm). */
#include "embedded_model.h"

extern const uint8_t mnt_default_model_start[];
extern const uint8_t mnt_default_model_end[];

int embedded_model(const uint8_t **data, size_t *len)
{
    *data = mnt_default_model_start;
    *len = (size_t)(mnt_default_model_end - mnt_default_model_start);
    return *len > 0;
}
