# Man pages minutiae(1) and minutiae-COMMAND(1), generated at build time from the built
# binary's --help (cmake/manpages.sh + cmake/help2man.awk), so they cannot drift from it.
# The commands are read from app/main.c's table; manpages.sh checks them against --help.
file(STRINGS ${PROJECT_SOURCE_DIR}/app/main.c MNT_COMMAND_LINES REGEX "^[ ]*\\{\"[a-z]+\", cmd_[a-z]+,")
set(MNT_COMMANDS "")
foreach(line IN LISTS MNT_COMMAND_LINES)
  string(REGEX REPLACE "^[ ]*\\{\"([a-z]+)\".*" "\\1" cmd "${line}")
  list(APPEND MNT_COMMANDS ${cmd})
endforeach()
set(MNT_MAN_DIR ${CMAKE_BINARY_DIR}/man)
set(MNT_MAN_PAGES ${MNT_MAN_DIR}/minutiae.1)
foreach(cmd IN LISTS MNT_COMMANDS)
  list(APPEND MNT_MAN_PAGES ${MNT_MAN_DIR}/minutiae-${cmd}.1)
endforeach()
list(JOIN MNT_COMMANDS " " MNT_COMMANDS_TEXT)
add_custom_command(OUTPUT ${MNT_MAN_PAGES}
  COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
          sh ${PROJECT_SOURCE_DIR}/cmake/manpages.sh $<TARGET_FILE:minutiae> ${MNT_MAN_DIR} ${PROJECT_VERSION}
          ${PROJECT_SOURCE_DIR}/cmake/help2man.awk "${MNT_COMMANDS_TEXT}"
  DEPENDS minutiae ${PROJECT_SOURCE_DIR}/cmake/manpages.sh ${PROJECT_SOURCE_DIR}/cmake/help2man.awk
  COMMENT "Man pages from minutiae --help"
  VERBATIM)
add_custom_target(man_pages ALL DEPENDS ${MNT_MAN_PAGES})
install(FILES ${MNT_MAN_PAGES} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
