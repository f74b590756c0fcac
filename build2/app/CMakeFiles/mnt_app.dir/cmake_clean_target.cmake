file(REMOVE_RECURSE
  "libmnt_app.a"
)
