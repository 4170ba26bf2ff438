# One INTERFACE target carries the warning flags, so every target opts in the same way.
add_library(wijksim_warnings INTERFACE)
add_library(wijksim::warnings ALIAS wijksim_warnings)
target_compile_options(wijksim_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Wnon-virtual-dtor>)
