# Empty dependencies file for bench_train.
# This may be replaced when dependencies are built.
