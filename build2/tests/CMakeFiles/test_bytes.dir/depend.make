# Empty dependencies file for test_bytes.
# This may be replaced when dependencies are built.
