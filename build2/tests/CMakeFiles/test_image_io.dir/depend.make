# Empty dependencies file for test_image_io.
# This may be replaced when dependencies are built.
