file(REMOVE_RECURSE
  "../activation_png"
  "../activation_png.pdb"
  "CMakeFiles/activation_png.dir/bench/activation_png.c.o"
  "CMakeFiles/activation_png.dir/bench/activation_png.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/activation_png.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
