# Empty dependencies file for test_text_templates.
# This may be replaced when dependencies are built.
