#pragma once
// REQUIRE_EXIT(result, code): a CLI run (test::run_cli) ended with `code`; on failure it prints
// the command, stdout and stderr. Evaluates `result` more than once: pass a variable.
#include <catch2/catch.hpp>

#define REQUIRE_EXIT(result, code)                                                            \
  do {                                                                                        \
    INFO((result).command << "\nstdout:\n" << (result).out << "\nstderr:\n" << (result).err); \
    REQUIRE((result).exit_code == (code));                                                    \
  } while (false)
