# Empty dependencies file for bench_extract.
# This may be replaced when dependencies are built.
