file(REMOVE_RECURSE
  "../bench_extract"
  "../bench_extract.pdb"
  "CMakeFiles/bench_extract.dir/bench/bench_extract.c.o"
  "CMakeFiles/bench_extract.dir/bench/bench_extract.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/bench_extract.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
