# Empty dependencies file for test_patches.
# This may be replaced when dependencies are built.
