# Empty dependencies file for test_fmr.
# This may be replaced when dependencies are built.
