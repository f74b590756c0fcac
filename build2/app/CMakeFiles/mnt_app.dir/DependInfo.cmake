
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  "ASM"
  )
# The set of files for implicit dependencies of each language:
set(CMAKE_DEPENDS_CHECK_ASM
  "/work/main/build2/app/embedded_model_blob.S" "/work/main/build2/app/CMakeFiles/mnt_app.dir/embedded_model_blob.S.o"
  )
set(CMAKE_ASM_COMPILER_ID "GNU")

# Preprocessor definitions for this target.
set(CMAKE_TARGET_DEFINITIONS_ASM
  "MNT_VERSION=\"0.1.0\""
  "_POSIX_C_SOURCE=200809L"
  )

# The include file search paths:
set(CMAKE_ASM_TARGET_INCLUDE_PATH
  "/work/main/app"
  "/work/main/io"
  "/work/main/core"
  "/usr/include/x86_64-linux-gnu/openblas-pthread"
  "/usr/include"
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/app/batch_report.c" "app/CMakeFiles/mnt_app.dir/batch_report.c.o" "gcc" "app/CMakeFiles/mnt_app.dir/batch_report.c.o.d"
  "/work/main/app/cli.c" "app/CMakeFiles/mnt_app.dir/cli.c.o" "gcc" "app/CMakeFiles/mnt_app.dir/cli.c.o.d"
  "/work/main/app/cmd_calibrate.c" "app/CMakeFiles/mnt_app.dir/cmd_calibrate.c.o" "gcc" "app/CMakeFiles/mnt_app.dir/cmd_calibrate.c.o.d"
  "/work/main/app/cmd_convert.c" "app/CMakeFiles/mnt_app.dir/cmd_convert.c.o" "gcc" "app/CMakeFiles/mnt_app.dir/cmd_convert.c.o.d"
  "/work/main/app/cmd_eval.c" "app/CMakeFiles/mnt_app.dir/cmd_eval.c.o" "gcc" "app/CMakeFiles/mnt_app.dir/cmd_eval.c.o.d"
  "/work/main/app/cmd_extract.c" "app/CMakeFiles/mnt_app.dir/cmd_extract.c.o" "gcc" "app/CMakeFiles/mnt_app.dir/cmd_extract.c.o.d"
  "/work/main/app/cmd_inspect.c" "app/CMakeFiles/mnt_app.dir/cmd_inspect.c.o" "gcc" "app/CMakeFiles/mnt_app.dir/cmd_inspect.c.o.d"
  "/work/main/app/cmd_patches.c" "app/CMakeFiles/mnt_app.dir/cmd_patches.c.o" "gcc" "app/CMakeFiles/mnt_app.dir/cmd_patches.c.o.d"
  "/work/main/app/cmd_synth.c" "app/CMakeFiles/mnt_app.dir/cmd_synth.c.o" "gcc" "app/CMakeFiles/mnt_app.dir/cmd_synth.c.o.d"
  "/work/main/app/cmd_train.c" "app/CMakeFiles/mnt_app.dir/cmd_train.c.o" "gcc" "app/CMakeFiles/mnt_app.dir/cmd_train.c.o.d"
  "/work/main/app/embedded_model.c" "app/CMakeFiles/mnt_app.dir/embedded_model.c.o" "gcc" "app/CMakeFiles/mnt_app.dir/embedded_model.c.o.d"
  "/work/main/app/extract_job.c" "app/CMakeFiles/mnt_app.dir/extract_job.c.o" "gcc" "app/CMakeFiles/mnt_app.dir/extract_job.c.o.d"
  "/work/main/app/fs_util.c" "app/CMakeFiles/mnt_app.dir/fs_util.c.o" "gcc" "app/CMakeFiles/mnt_app.dir/fs_util.c.o.d"
  "/work/main/app/input_list.c" "app/CMakeFiles/mnt_app.dir/input_list.c.o" "gcc" "app/CMakeFiles/mnt_app.dir/input_list.c.o.d"
  "/work/main/app/parallel.c" "app/CMakeFiles/mnt_app.dir/parallel.c.o" "gcc" "app/CMakeFiles/mnt_app.dir/parallel.c.o.d"
  "/work/main/app/template_args.c" "app/CMakeFiles/mnt_app.dir/template_args.c.o" "gcc" "app/CMakeFiles/mnt_app.dir/template_args.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/build2/io/CMakeFiles/mnt_io.dir/DependInfo.cmake"
  "/work/main/build2/core/CMakeFiles/mnt_core.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
