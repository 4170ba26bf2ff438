#pragma once
// Shared by the fuzz harnesses and the replay driver.
#include <cstdio>
#include <cstdlib>
#include <string>

namespace wijksim::fuzz {

// A finding that is not a crash by itself (a broken property): report it and abort, which
// libFuzzer records as a crash with the input that caused it.
[[noreturn]] inline void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "wijksim fuzz: %s: %s\n", what, detail.c_str());
  std::abort();
}

}  // namespace wijksim::fuzz
