# Empty dependencies file for mnt_core.
# This may be replaced when dependencies are built.
