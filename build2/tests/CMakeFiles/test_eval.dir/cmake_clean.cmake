file(REMOVE_RECURSE
  "../test_eval"
  "../test_eval.pdb"
  "CMakeFiles/test_eval.dir/test_eval.c.o"
  "CMakeFiles/test_eval.dir/test_eval.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_eval.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
