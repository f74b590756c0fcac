# Empty dependencies file for test_alloc_failures.
# This may be replaced when dependencies are built.
