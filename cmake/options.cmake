# One interface target carries the project's warnings, definitions and sanitizers;
# every project target links it, third-party code never sees it. Warnings apply to C
# sources only (the embedded model is an assembler file).
add_library(mnt_options INTERFACE)
target_compile_definitions(mnt_options INTERFACE _POSIX_C_SOURCE=200809L)
target_compile_options(mnt_options INTERFACE
  $<$<COMPILE_LANGUAGE:C>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla>)
if(MNT_WERROR)
  target_compile_options(mnt_options INTERFACE $<$<COMPILE_LANGUAGE:C>:-Werror>)
endif()
if(MNT_SANITIZE)
  target_compile_options(mnt_options INTERFACE
    $<$<COMPILE_LANGUAGE:C>:-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer>)
  target_link_options(mnt_options INTERFACE -fsanitize=address,undefined)
endif()
