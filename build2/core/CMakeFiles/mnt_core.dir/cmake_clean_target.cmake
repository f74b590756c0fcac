file(REMOVE_RECURSE
  "libmnt_core.a"
)
