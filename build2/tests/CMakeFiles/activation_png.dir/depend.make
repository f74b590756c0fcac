# Empty dependencies file for activation_png.
# This may be replaced when dependencies are built.
