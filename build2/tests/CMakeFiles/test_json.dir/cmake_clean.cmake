file(REMOVE_RECURSE
  "../test_json"
  "../test_json.pdb"
  "CMakeFiles/test_json.dir/test_json.c.o"
  "CMakeFiles/test_json.dir/test_json.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_json.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
