file(REMOVE_RECURSE
  "../test_patches"
  "../test_patches.pdb"
  "CMakeFiles/test_patches.dir/test_patches.c.o"
  "CMakeFiles/test_patches.dir/test_patches.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_patches.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
