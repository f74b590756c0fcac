file(REMOVE_RECURSE
  "../test_bytes"
  "../test_bytes.pdb"
  "CMakeFiles/test_bytes.dir/test_bytes.c.o"
  "CMakeFiles/test_bytes.dir/test_bytes.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_bytes.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
