# `ser features`, run as a user runs it (native only: included after the WASM early return).
ser_add_test_suite(cli_features SOURCES features_cli_test.cpp ../features/golden_support.cpp NATIVE_ONLY
                   LIBS PkgConfig::SNDFILE)
target_compile_definitions(test_cli_features PRIVATE SER_BINARY="$<TARGET_FILE:ser>")
add_dependencies(test_cli_features ser)
