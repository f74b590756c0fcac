file(REMOVE_RECURSE
  "../test_alloc_failures"
  "../test_alloc_failures.pdb"
  "CMakeFiles/test_alloc_failures.dir/test_alloc_failures.c.o"
  "CMakeFiles/test_alloc_failures.dir/test_alloc_failures.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_alloc_failures.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
