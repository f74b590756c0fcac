# The fuzz targets: tests/fuzz/fuzz_<name>.c, seed corpus tests/fuzz/corpus/<name>/.
set(MNT_FUZZ_TARGETS
  png pgm wsq tiff jpeg jp2
  iso2005 ansi378 iso2011 xyt json_template fingernet template_detect
  json synth_config train_config model patchset)
