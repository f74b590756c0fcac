file(REMOVE_RECURSE
  "libmnt_io.a"
)
