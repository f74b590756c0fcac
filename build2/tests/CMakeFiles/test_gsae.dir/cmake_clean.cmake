file(REMOVE_RECURSE
  "../test_gsae"
  "../test_gsae.pdb"
  "CMakeFiles/test_gsae.dir/test_gsae.c.o"
  "CMakeFiles/test_gsae.dir/test_gsae.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_gsae.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
