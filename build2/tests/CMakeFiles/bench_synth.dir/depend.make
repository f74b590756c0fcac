# Empty dependencies file for bench_synth.
# This may be replaced when dependencies are built.
