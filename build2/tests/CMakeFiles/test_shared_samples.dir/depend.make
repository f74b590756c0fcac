# Empty dependencies file for test_shared_samples.
# This may be replaced when dependencies are built.
