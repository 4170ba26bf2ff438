#pragma once
// CSV and number text for the experiment outputs (the engine's one formatter and quoting,
// core/number_text.hpp and core/csv_text.hpp), and the engine's one atomic writer.
#include <cmath>
#include <string>
#include <type_traits>

#include "wijksim/core/atomic_file.hpp"
#include "wijksim/core/csv_text.hpp"
#include "wijksim/core/number_text.hpp"

namespace wijksim::experiment::csv {

// Shortest round-trip text, so exported numbers read back to the same bits; a non-finite
// value is an empty cell (pandas and R read it as missing).
inline void number(std::string& out, double v) {
  if (std::isfinite(v)) append_number(out, v);
}

// Appends pieces one by one (plain text and integers): cheaper than chains of operator+.
inline void piece(std::string& out, const std::string& s) { out += s; }
inline void piece(std::string& out, const char* s) { out += s; }
template <class T>
  requires std::is_integral_v<T>
inline void piece(std::string& out, T v) {
  out += std::to_string(v);
}
template <class... P>
void append(std::string& out, const P&... p) {
  (piece(out, p), ...);
}

// Quotes a field when it needs it (RFC 4180).
inline void field(std::string& out, const std::string& s) { append_csv_field(out, s); }

using wijksim::AtomicFile;

}  // namespace wijksim::experiment::csv
