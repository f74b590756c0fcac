/* Helpers shared by the files of io/an2k (not part of its interface). */
#ifndef MNT_AN2K_INTERNAL_H
#define MNT_AN2K_INTERNAL_H

#include "an2k.h"

/* Decimal digits [p, p+n) (1..9 of them) into *v; 0 when not. */
int mnt_an2k_uint(const uint8_t *p, size_t n, long *v);
/* One tagged record of type exp_type at pos (index = 0-based record number, for messages). */
int mnt_an2k_parse_tagged(const uint8_t *s, size_t len, size_t pos, int exp_type, size_t index, mnt_an2k_record *r, mnt_diag *d);
/* Item (1-based) of subfield (1-based) of f; 0 when absent. */
int mnt_an2k_item(const uint8_t *s, const mnt_an2k_field *f, int sub, int item, size_t *off, size_t *len);
/* Numeric item within lo..hi, the error naming record w and the field. */
int mnt_an2k_num(const uint8_t *s, const mnt_an2k_record *r, int field, int sub, int item, long lo, long hi, long *v,
                 const char *w, mnt_diag *d);

#endif
