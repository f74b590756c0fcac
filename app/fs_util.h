/* Small file-system helpers for the commands. */
#ifndef MNT_FS_UTIL_H
#define MNT_FS_UTIL_H

#include <stddef.h>

/* mkdir -p; 0 on success, -1 with errno set. */
int make_dirs(const char *path);
/* dir + "/" + name (+ suffix) into out; 0 if it fits. */
int join_path(char *out, size_t cap, const char *dir, const char *name, const char *suffix);
int is_directory(const char *path);
int file_exists(const char *path);
/* 1 when both paths exist and name the same file (device and inode). */
int same_file(const char *a, const char *b);

#endif
