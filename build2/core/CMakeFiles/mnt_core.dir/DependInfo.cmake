
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/core/assignment.c" "core/CMakeFiles/mnt_core.dir/assignment.c.o" "gcc" "core/CMakeFiles/mnt_core.dir/assignment.c.o.d"
  "/work/main/core/detect.c" "core/CMakeFiles/mnt_core.dir/detect.c.o" "gcc" "core/CMakeFiles/mnt_core.dir/detect.c.o.d"
  "/work/main/core/eval.c" "core/CMakeFiles/mnt_core.dir/eval.c.o" "gcc" "core/CMakeFiles/mnt_core.dir/eval.c.o.d"
  "/work/main/core/filter.c" "core/CMakeFiles/mnt_core.dir/filter.c.o" "gcc" "core/CMakeFiles/mnt_core.dir/filter.c.o.d"
  "/work/main/core/gsae.c" "core/CMakeFiles/mnt_core.dir/gsae.c.o" "gcc" "core/CMakeFiles/mnt_core.dir/gsae.c.o.d"
  "/work/main/core/gsae_naive.c" "core/CMakeFiles/mnt_core.dir/gsae_naive.c.o" "gcc" "core/CMakeFiles/mnt_core.dir/gsae_naive.c.o.d"
  "/work/main/core/image.c" "core/CMakeFiles/mnt_core.dir/image.c.o" "gcc" "core/CMakeFiles/mnt_core.dir/image.c.o.d"
  "/work/main/core/latent.c" "core/CMakeFiles/mnt_core.dir/latent.c.o" "gcc" "core/CMakeFiles/mnt_core.dir/latent.c.o.d"
  "/work/main/core/mnt_error.c" "core/CMakeFiles/mnt_core.dir/mnt_error.c.o" "gcc" "core/CMakeFiles/mnt_core.dir/mnt_error.c.o.d"
  "/work/main/core/orientation.c" "core/CMakeFiles/mnt_core.dir/orientation.c.o" "gcc" "core/CMakeFiles/mnt_core.dir/orientation.c.o.d"
  "/work/main/core/patches.c" "core/CMakeFiles/mnt_core.dir/patches.c.o" "gcc" "core/CMakeFiles/mnt_core.dir/patches.c.o.d"
  "/work/main/core/rng.c" "core/CMakeFiles/mnt_core.dir/rng.c.o" "gcc" "core/CMakeFiles/mnt_core.dir/rng.c.o.d"
  "/work/main/core/segment.c" "core/CMakeFiles/mnt_core.dir/segment.c.o" "gcc" "core/CMakeFiles/mnt_core.dir/segment.c.o.d"
  "/work/main/core/sha256.c" "core/CMakeFiles/mnt_core.dir/sha256.c.o" "gcc" "core/CMakeFiles/mnt_core.dir/sha256.c.o.d"
  "/work/main/core/skeleton.c" "core/CMakeFiles/mnt_core.dir/skeleton.c.o" "gcc" "core/CMakeFiles/mnt_core.dir/skeleton.c.o.d"
  "/work/main/core/synth.c" "core/CMakeFiles/mnt_core.dir/synth.c.o" "gcc" "core/CMakeFiles/mnt_core.dir/synth.c.o.d"
  "/work/main/core/synth_carrier.c" "core/CMakeFiles/mnt_core.dir/synth_carrier.c.o" "gcc" "core/CMakeFiles/mnt_core.dir/synth_carrier.c.o.d"
  "/work/main/core/template.c" "core/CMakeFiles/mnt_core.dir/template.c.o" "gcc" "core/CMakeFiles/mnt_core.dir/template.c.o.d"
  "/work/main/core/trainer.c" "core/CMakeFiles/mnt_core.dir/trainer.c.o" "gcc" "core/CMakeFiles/mnt_core.dir/trainer.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
