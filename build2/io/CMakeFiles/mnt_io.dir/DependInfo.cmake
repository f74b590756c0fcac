
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/io/bytes.c" "io/CMakeFiles/mnt_io.dir/bytes.c.o" "gcc" "io/CMakeFiles/mnt_io.dir/bytes.c.o.d"
  "/work/main/io/draw.c" "io/CMakeFiles/mnt_io.dir/draw.c.o" "gcc" "io/CMakeFiles/mnt_io.dir/draw.c.o.d"
  "/work/main/io/file_io.c" "io/CMakeFiles/mnt_io.dir/file_io.c.o" "gcc" "io/CMakeFiles/mnt_io.dir/file_io.c.o.d"
  "/work/main/io/fingernet_mnt.c" "io/CMakeFiles/mnt_io.dir/fingernet_mnt.c.o" "gcc" "io/CMakeFiles/mnt_io.dir/fingernet_mnt.c.o.d"
  "/work/main/io/fmr_common.c" "io/CMakeFiles/mnt_io.dir/fmr_common.c.o" "gcc" "io/CMakeFiles/mnt_io.dir/fmr_common.c.o.d"
  "/work/main/io/fmr_iso2011.c" "io/CMakeFiles/mnt_io.dir/fmr_iso2011.c.o" "gcc" "io/CMakeFiles/mnt_io.dir/fmr_iso2011.c.o.d"
  "/work/main/io/fmr_v2004.c" "io/CMakeFiles/mnt_io.dir/fmr_v2004.c.o" "gcc" "io/CMakeFiles/mnt_io.dir/fmr_v2004.c.o.d"
  "/work/main/io/image_io.c" "io/CMakeFiles/mnt_io.dir/image_io.c.o" "gcc" "io/CMakeFiles/mnt_io.dir/image_io.c.o.d"
  "/work/main/io/json.c" "io/CMakeFiles/mnt_io.dir/json.c.o" "gcc" "io/CMakeFiles/mnt_io.dir/json.c.o.d"
  "/work/main/io/model_file.c" "io/CMakeFiles/mnt_io.dir/model_file.c.o" "gcc" "io/CMakeFiles/mnt_io.dir/model_file.c.o.d"
  "/work/main/io/overlay.c" "io/CMakeFiles/mnt_io.dir/overlay.c.o" "gcc" "io/CMakeFiles/mnt_io.dir/overlay.c.o.d"
  "/work/main/io/patchset_file.c" "io/CMakeFiles/mnt_io.dir/patchset_file.c.o" "gcc" "io/CMakeFiles/mnt_io.dir/patchset_file.c.o.d"
  "/work/main/io/pgm_io.c" "io/CMakeFiles/mnt_io.dir/pgm_io.c.o" "gcc" "io/CMakeFiles/mnt_io.dir/pgm_io.c.o.d"
  "/work/main/io/plot.c" "io/CMakeFiles/mnt_io.dir/plot.c.o" "gcc" "io/CMakeFiles/mnt_io.dir/plot.c.o.d"
  "/work/main/io/png_io.c" "io/CMakeFiles/mnt_io.dir/png_io.c.o" "gcc" "io/CMakeFiles/mnt_io.dir/png_io.c.o.d"
  "/work/main/io/synth_config.c" "io/CMakeFiles/mnt_io.dir/synth_config.c.o" "gcc" "io/CMakeFiles/mnt_io.dir/synth_config.c.o.d"
  "/work/main/io/template_io.c" "io/CMakeFiles/mnt_io.dir/template_io.c.o" "gcc" "io/CMakeFiles/mnt_io.dir/template_io.c.o.d"
  "/work/main/io/template_json.c" "io/CMakeFiles/mnt_io.dir/template_json.c.o" "gcc" "io/CMakeFiles/mnt_io.dir/template_json.c.o.d"
  "/work/main/io/text_lines.c" "io/CMakeFiles/mnt_io.dir/text_lines.c.o" "gcc" "io/CMakeFiles/mnt_io.dir/text_lines.c.o.d"
  "/work/main/io/train_config.c" "io/CMakeFiles/mnt_io.dir/train_config.c.o" "gcc" "io/CMakeFiles/mnt_io.dir/train_config.c.o.d"
  "/work/main/io/xyt.c" "io/CMakeFiles/mnt_io.dir/xyt.c.o" "gcc" "io/CMakeFiles/mnt_io.dir/xyt.c.o.d"
  "/work/main/io/yaml_tree.c" "io/CMakeFiles/mnt_io.dir/yaml_tree.c.o" "gcc" "io/CMakeFiles/mnt_io.dir/yaml_tree.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/build2/core/CMakeFiles/mnt_core.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
