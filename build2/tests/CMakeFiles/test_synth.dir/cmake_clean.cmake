file(REMOVE_RECURSE
  "../test_synth"
  "../test_synth.pdb"
  "CMakeFiles/test_synth.dir/test_synth.c.o"
  "CMakeFiles/test_synth.dir/test_synth.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_synth.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
