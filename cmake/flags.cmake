# Warning and optimisation flags shared by every target of ours (not by third-party code).

add_library(ser_flags INTERFACE)
target_compile_options(ser_flags INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Wunused)
if(SER_WERROR)
  target_compile_options(ser_flags INTERFACE -Werror)
endif()
# Native and WASM must compute the same numbers: no silent fused multiply-adds in one of them.
target_compile_options(ser_flags INTERFACE -ffp-contract=off)

if(SER_WASM)
  # Errors are exceptions in the core; Emscripten's default turns a throw into an abort.
  # Native wasm exceptions cost nothing on the hot path (unlike the JS invoke wrappers).
  target_compile_options(ser_flags INTERFACE -msimd128 -fwasm-exceptions)
  target_link_options(ser_flags INTERFACE -msimd128 -fwasm-exceptions)
elseif(SER_NATIVE_ARCH)
  target_compile_options(ser_flags INTERFACE -march=native)
endif()
target_compile_definitions(ser_flags INTERFACE $<$<BOOL:${SER_WASM}>:SER_WASM=1>)

# Sanitizer builds (./dev test --sanitize, ./dev fuzz) instrument every target of ours, the
# tests too, in a build folder of their own. Any report fails the run: a finding that only
# prints is a finding nobody reads.
set(SER_SANITIZE "" CACHE STRING "Sanitizers for every target, e.g. address,undefined (build/sanitize)")
option(SER_FUZZ "Build the libFuzzer targets in tests/fuzz too (clang only; ./dev's build/sanitize)" OFF)
if(SER_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "SER_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++-14")
  endif()
  # Coverage feedback from all of our code; the fuzz targets alone link libFuzzer's main.
  add_compile_options(-fsanitize=fuzzer-no-link)
  if(NOT SER_SANITIZE)
    set(SER_SANITIZE address,undefined)
  endif()
endif()
if(SER_SANITIZE)
  # -O1, ASan's usual level, after the build type's -O3: a sanitized file then compiles in
  # about 1.6 times a plain one instead of 2.7, which CI's 20 minutes need (docs/TESTING.md).
  add_compile_options(-O1 -fsanitize=${SER_SANITIZE} -fno-sanitize-recover=all -fno-omit-frame-pointer -g1)
  add_link_options(-fsanitize=${SER_SANITIZE} -fno-sanitize-recover=all)
endif()
