file(REMOVE_RECURSE
  "../test_text_templates"
  "../test_text_templates.pdb"
  "CMakeFiles/test_text_templates.dir/test_text_templates.c.o"
  "CMakeFiles/test_text_templates.dir/test_text_templates.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_text_templates.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
