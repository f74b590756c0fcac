# Empty dependencies file for test_gsae.
# This may be replaced when dependencies are built.
