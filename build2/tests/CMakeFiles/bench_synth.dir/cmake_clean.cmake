file(REMOVE_RECURSE
  "../bench_synth"
  "../bench_synth.pdb"
  "CMakeFiles/bench_synth.dir/bench/bench_synth.c.o"
  "CMakeFiles/bench_synth.dir/bench/bench_synth.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/bench_synth.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
