/* Image inputs from files, folders (optionally recursive) and list files. Folder walks
 * take image files (and ANSI/NIST-ITL transactions .an2 .an2k .eft .nist when
 * `transactions` is set), skipping the project's own outputs (*.mask.png,
 * *.overlay.png, *.prob.png), in sorted order. */
#ifndef MNT_INPUT_LIST_H
#define MNT_INPUT_LIST_H

#include <stddef.h>

typedef struct {
    char *path;   /* as found */
    char *rel;    /* path relative to the folder argument it came from (for -r mirroring) */
    char *error;  /* keep_going lists: why this input cannot be read (NULL when fine) */
    int record;   /* > 0: image record K (1-based) of the ANSI/NIST-ITL transaction at path */
    char label[32]; /* that record's output label (its IDC), NAME.LABEL.* */
} input_item;

typedef struct {
    input_item *items;
    size_t n, cap;
    int keep_going;        /* set by the caller: a missing path or unreadable folder becomes an
                              item with its error instead of failing the call */
    size_t skipped;        /* files of walked folders that are not images, by extension */
    char skipped_example[256];
    size_t loops;          /* folders reached again through a link (walked once) */
    int transactions;      /* set by the caller: walks also take .an2 .an2k .eft .nist */
} input_list;

/* Adds a file, or a folder's images (recursive when recursive != 0). Returns 0, or -1
 * with a message in err when the path does not exist or cannot be read (unless
 * keep_going) or memory runs out. */
int input_list_add(input_list *l, const char *path, int recursive, char *err, size_t errcap);
/* Replaces every ANSI/NIST-ITL transaction (by extension .an2 .an2k .eft .nist, or by
 * content: it starts with 1.001:) by one item per friction-ridge image record. A
 * transaction that does not parse, or has no image record, stays one item (extraction
 * then reports why). Returns 0, or -1 when memory runs out. */
int input_list_expand_transactions(input_list *l, char *err, size_t errcap);
/* Adds every non-empty, non-comment line of a list file (surrounding blanks trimmed). */
int input_list_add_file(input_list *l, const char *listfile, char *err, size_t errcap);
void input_list_free(input_list *l);
int input_is_image_name(const char *name);
/* Masks, overlays and probability maps: skipped by folder walks as documented. */
int input_is_own_output(const char *name);
/* NAME without folder and extension. */
void input_stem(const char *path, char *out, size_t cap);

#endif
