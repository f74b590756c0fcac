# Empty dependencies file for minutiae.
# This may be replaced when dependencies are built.
