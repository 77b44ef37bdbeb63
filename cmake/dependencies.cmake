# Every dependency comes from a Debian package (or, for Dear ImGui's sources, from
# `apt-get source imgui`, unpacked by ./dev bootstrap into ${SER_DEPS_DIR}).
#
# Emscripten must never see -I/usr/include (host libc headers break its sysroot), so the
# header-only libraries are exposed through a folder of symlinks in the build tree.

set(SER_DEPS_INCLUDE ${CMAKE_BINARY_DIR}/deps/include)
file(MAKE_DIRECTORY ${SER_DEPS_INCLUDE})
foreach(dep kissfft nlohmann doctest)
  if(NOT EXISTS /usr/include/${dep})
    message(FATAL_ERROR "/usr/include/${dep} is missing: run ./dev bootstrap")
  endif()
  file(CREATE_LINK /usr/include/${dep} ${SER_DEPS_INCLUDE}/${dep} SYMBOLIC)
endforeach()
if(NOT EXISTS /usr/include/eigen3/Eigen/Core)
  message(FATAL_ERROR "Eigen is missing: run ./dev bootstrap")
endif()

add_library(ser_header_deps INTERFACE)
target_include_directories(ser_header_deps SYSTEM INTERFACE ${SER_DEPS_INCLUDE} /usr/include/eigen3)
target_compile_definitions(ser_header_deps INTERFACE EIGEN_MPL2_ONLY)

if(NOT SER_WASM)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(SNDFILE REQUIRED IMPORTED_TARGET sndfile)
  pkg_check_modules(SAMPLERATE REQUIRED IMPORTED_TARGET samplerate)
  pkg_check_modules(XXHASH IMPORTED_TARGET GLOBAL libxxhash)
  if(NOT XXHASH_FOUND)
    message(FATAL_ERROR "libxxhash is missing (the feature cache and ser predict --shard hash with it): "
                        "run ./dev bootstrap or apt-get install libxxhash-dev")
  endif()
  # libcsv reads CSV manifests (Debian ships no pkg-config file for it).
  find_path(CSV_INCLUDE_DIR csv.h)
  find_library(CSV_LIBRARY csv)
  if(NOT CSV_INCLUDE_DIR OR NOT CSV_LIBRARY)
    message(FATAL_ERROR "libcsv is missing (ser predict reads CSV manifests with it): "
                        "run ./dev bootstrap or apt-get install libcsv-dev")
  endif()
  find_package(CLI11 CONFIG REQUIRED)
  find_package(Threads REQUIRED)
else()
  # em++'s JS optimizer needs Debian's acorn at -O1 and above (TOOLCHAIN.md, point 1).
  set_property(GLOBAL PROPERTY RULE_LAUNCH_LINK "${CMAKE_COMMAND} -E env NODE_PATH=/usr/share/nodejs")
  set(SER_IMGUI_DIR ${SER_DEPS_DIR}/imgui)
  if(NOT EXISTS ${SER_IMGUI_DIR}/imgui.cpp)
    message(FATAL_ERROR "Dear ImGui sources are missing in ${SER_IMGUI_DIR}: run ./dev bootstrap")
  endif()
endif()
