file(REMOVE_RECURSE
  "../test_image_io"
  "../test_image_io.pdb"
  "CMakeFiles/test_image_io.dir/test_image_io.c.o"
  "CMakeFiles/test_image_io.dir/test_image_io.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_image_io.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
