file(REMOVE_RECURSE
  "../minutiae"
  "../minutiae.pdb"
  "CMakeFiles/minutiae.dir/main.c.o"
  "CMakeFiles/minutiae.dir/main.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/minutiae.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
