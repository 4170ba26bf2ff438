#pragma once
// CSV and number text for the experiment outputs, and writing a file under a temporary name
// so a crash never leaves a half-written file under the final name.
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <type_traits>

#include "wijksim/core/error.hpp"

namespace wijksim::experiment::csv {

// Shortest round-trip text, so exported numbers read back to the same bits.
inline void number(std::string& out, double v) {
  if (!std::isfinite(v)) return;  // empty cell: pandas and R read it as missing
  char buf[32];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, p);
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
inline void field(std::string& out, const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) {
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

class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path target)
      : target_(std::move(target)), tmp_(target_.string() + ".tmp-" + std::to_string(getpid())), out_(tmp_, std::ios::binary) {
    if (!out_) throw RuntimeFailure("cannot write " + tmp_.string());
  }
  ~AtomicFile() {
    if (!committed_) {
      out_.close();
      std::error_code ec;
      std::filesystem::remove(tmp_, ec);
    }
  }
  void write(const std::string& s) { out_.write(s.data(), static_cast<std::streamsize>(s.size())); }
  void commit() {
    out_.close();
    if (!out_) throw RuntimeFailure("write failed for " + tmp_.string() + " (disk full?)");
    std::filesystem::rename(tmp_, target_);
    committed_ = true;
  }

 private:
  std::filesystem::path target_, tmp_;
  std::ofstream out_;
  bool committed_ = false;
};

}  // namespace wijksim::experiment::csv
