# ecoest_install_pkgconfig(TEMPLATE NAME): installs NAME.pc made from
# TEMPLATE at install time, so that the file names the prefix of that
# install (cmake --install build --prefix P gives -IP/include, -LP/lib), not
# the one configured. DESTDIR staging still works (file(INSTALL) applies it).
# The template sees @ECOEST_PC_PREFIX@, @ECOEST_PC_LIBDIR@,
# @ECOEST_PC_INCLUDEDIR@ and @ECOEST_PC_DATADIR@ (absolute: under the
# prefix, unless the build set an absolute CMAKE_INSTALL_<dir>), and every
# variable set when this function is called (@PROJECT_VERSION@, ...).
function(ecoest_install_pkgconfig template name)
  set(staged ${CMAKE_CURRENT_BINARY_DIR}/${name}.pc.staged)
  # fill in what is known now; keep the paths for the install step
  foreach(d PREFIX LIBDIR INCLUDEDIR DATADIR)
    set(ECOEST_PC_${d} "@ECOEST_PC_${d}@")
  endforeach()
  configure_file(${template} ${staged} @ONLY)
  set(code "set(ECOEST_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")\n")
  foreach(d LIBDIR INCLUDEDIR DATADIR)
    if(IS_ABSOLUTE "${CMAKE_INSTALL_${d}}")
      string(APPEND code "set(ECOEST_PC_${d} \"${CMAKE_INSTALL_${d}}\")\n")
    else()
      string(APPEND code
        "set(ECOEST_PC_${d} \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_${d}}\")\n")
    endif()
  endforeach()
  string(APPEND code
    "configure_file(\"${staged}\" \"${CMAKE_CURRENT_BINARY_DIR}/${name}.pc\" @ONLY)\n"
    "file(INSTALL DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig\"\n"
    "     TYPE FILE FILES \"${CMAKE_CURRENT_BINARY_DIR}/${name}.pc\")\n")
  install(CODE "${code}")
endfunction()
