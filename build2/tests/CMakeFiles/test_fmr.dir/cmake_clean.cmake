file(REMOVE_RECURSE
  "../test_fmr"
  "../test_fmr.pdb"
  "CMakeFiles/test_fmr.dir/test_fmr.c.o"
  "CMakeFiles/test_fmr.dir/test_fmr.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_fmr.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
