# Empty dependencies file for mnt_io.
# This may be replaced when dependencies are built.
