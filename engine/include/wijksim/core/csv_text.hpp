#pragma once
// CSV text shared by every CSV the engine writes (RFC 4180 quoting; numbers by number_text).
#include <string>
#include <string_view>

#include "wijksim/core/number_text.hpp"

namespace wijksim {

// Appends s, quoted when it holds a comma, quote or line break.
inline void append_csv_field(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace wijksim
