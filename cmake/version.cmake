# Writes ser/version.h with the current source revision. Runs at every build (not only at
# configure time) so that a model file exported after a new commit records that commit; the
# header is rewritten only when its text changes, so nothing recompiles needlessly.
execute_process(COMMAND git describe --always --dirty --abbrev=12
                WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE revision OUTPUT_STRIP_TRAILING_WHITESPACE
                RESULT_VARIABLE failed ERROR_QUIET)
if(failed OR NOT revision)
  set(revision "unknown")
endif()
set(text "#pragma once\n\nnamespace ser {\ninline constexpr const char* version = \"${VERSION}\";\ninline constexpr const char* source_revision = \"${revision}\";\n}  // namespace ser\n")
if(EXISTS ${OUTPUT})
  file(READ ${OUTPUT} old)
endif()
if(NOT "${old}" STREQUAL "${text}")
  file(WRITE ${OUTPUT} "${text}")
endif()
