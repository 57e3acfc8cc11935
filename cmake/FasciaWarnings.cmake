# Strict warnings (as errors) for the project's own targets, and the sanitizers when
# FASCIA_SANITIZE is on. Third-party headers come in as SYSTEM includes so their warnings never
# break our build.
#
#   fascia_target_defaults(<target> [TOOL])
#
# TOOL marks the asset builders and their tests: they are sanitized only when
# FASCIA_SANITIZE_TOOLS is on too. The anatomy builder is long-running numeric code that
# AddressSanitizer slows several times over; the CI preset builds it optimised without it.
option(FASCIA_SANITIZE_TOOLS "Also sanitize the asset builders (with FASCIA_SANITIZE)" ON)

function(fascia_target_defaults target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "TOOL" "" "")
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Woverloaded-virtual -Wnull-dereference -Wformat=2 -Wimplicit-fallthrough -Werror)
  set(sanitize ${FASCIA_SANITIZE})
  if(ARG_TOOL AND NOT FASCIA_SANITIZE_TOOLS)
    set(sanitize OFF)
  endif()
  if(sanitize)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                             -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
