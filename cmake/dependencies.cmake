# The fixed libraries, found the way CMake users expect. A missing one stops
# configuration with the Debian package that provides it.
find_package(PkgConfig)
if(NOT PkgConfig_FOUND)
  message(FATAL_ERROR "pkg-config not found: apt-get install -y pkg-config")
endif()

find_package(ZLIB)
if(NOT ZLIB_FOUND)
  message(FATAL_ERROR "zlib not found: apt-get install -y zlib1g-dev")
endif()

find_package(PNG)
if(NOT PNG_FOUND)
  message(FATAL_ERROR "libpng not found: apt-get install -y libpng-dev")
endif()

pkg_check_modules(YAML IMPORTED_TARGET yaml-0.1)
if(NOT YAML_FOUND)
  message(FATAL_ERROR "libyaml not found: apt-get install -y libyaml-dev")
endif()

# Raster inputs: TIFF, JPEG and JPEG 2000 (io/image/).
pkg_check_modules(TIFF IMPORTED_TARGET libtiff-4>=4.5)
if(NOT TIFF_FOUND)
  message(FATAL_ERROR "libtiff >= 4.5 not found: apt-get install -y libtiff-dev")
endif()

pkg_check_modules(JPEG IMPORTED_TARGET libjpeg)
if(NOT JPEG_FOUND)
  message(FATAL_ERROR "libjpeg not found: apt-get install -y libjpeg62-turbo-dev")
endif()

pkg_check_modules(OPENJP2 IMPORTED_TARGET libopenjp2>=2.5)
if(NOT OPENJP2_FOUND)
  message(FATAL_ERROR "OpenJPEG >= 2.5 not found: apt-get install -y libopenjp2-7-dev")
endif()

# OpenBLAS by its own pkg-config name, never the generic "blas": Debian also ships
# the slow reference BLAS, which must not be linked by accident.
pkg_check_modules(OPENBLAS IMPORTED_TARGET openblas)
if(NOT OPENBLAS_FOUND)
  message(FATAL_ERROR "OpenBLAS not found: apt-get install -y libopenblas-dev")
endif()

find_library(MATH_LIBRARY m REQUIRED)
find_package(Threads REQUIRED)

if(MNT_BUILD_TESTS)
  pkg_check_modules(CMOCKA IMPORTED_TARGET cmocka)
  if(NOT CMOCKA_FOUND)
    message(FATAL_ERROR "cmocka not found: apt-get install -y libcmocka-dev (or -DMNT_BUILD_TESTS=OFF)")
  endif()
endif()

# Optional: MPI for data-parallel training (-DMNT_MPI=ON).
if(MNT_MPI)
  find_package(MPI COMPONENTS C)
  if(NOT MPI_C_FOUND)
    message(FATAL_ERROR "MPI not found (-DMNT_MPI=ON): apt-get install -y libopenmpi-dev openmpi-bin")
  endif()
  find_program(MNT_MPIEXEC NAMES mpirun mpiexec HINTS ${MPIEXEC_EXECUTABLE})
  if(NOT MNT_MPIEXEC)
    message(FATAL_ERROR "mpirun not found (-DMNT_MPI=ON): apt-get install -y openmpi-bin")
  endif()
endif()
