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
