file(REMOVE_RECURSE
  "../bench_train"
  "../bench_train.pdb"
  "CMakeFiles/bench_train.dir/bench/bench_train.c.o"
  "CMakeFiles/bench_train.dir/bench/bench_train.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/bench_train.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
