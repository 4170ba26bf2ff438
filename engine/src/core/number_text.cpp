#include "wijksim/core/number_text.hpp"

#include <charconv>
#include <cmath>

namespace wijksim {

void append_number(std::string& out, double v) {
  char buf[32];
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) {
    // -0.0 prints as 0: the same number for every reader.
    const auto [p, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v));
    out.append(buf, p);
    return;
  }
  const auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, p);
}

std::string number_text(double v) {
  std::string s;
  append_number(s, v);
  return s;
}

}  // namespace wijksim
