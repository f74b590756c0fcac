/* Image inputs from files, folders (optionally recursive) and list files. Folder walks
 * take .png and .pgm files, skipping the project's own outputs (*.mask.png,
 * *.overlay.png, *.prob.png), in sorted order. */
#ifndef MNT_INPUT_LIST_H
#define MNT_INPUT_LIST_H

#include <stddef.h>

typedef struct {
    char *path;   /* as found */
    char *rel;    /* path relative to the folder argument it came from (for -r mirroring) */
} input_item;

typedef struct {
    input_item *items;
    size_t n, cap;
} input_list;

/* Adds a file, or a folder's images (recursive when recursive != 0). Returns 0, or -1
 * with a message in err when the path does not exist or cannot be read. */
int input_list_add(input_list *l, const char *path, int recursive, char *err, size_t errcap);
/* Adds every non-empty, non-comment line of a list file. */
int input_list_add_file(input_list *l, const char *listfile, char *err, size_t errcap);
void input_list_free(input_list *l);
int input_is_image_name(const char *name);
/* NAME without folder and extension. */
void input_stem(const char *path, char *out, size_t cap);

#endif
