file(REMOVE_RECURSE
  "../test_shared_samples"
  "../test_shared_samples.pdb"
  "CMakeFiles/test_shared_samples.dir/test_shared_samples.c.o"
  "CMakeFiles/test_shared_samples.dir/test_shared_samples.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_shared_samples.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
