#include "wijksim/core/error.hpp"

namespace wijksim {

std::string Problem::format() const {
  std::string s = file.empty() ? std::string("<input>") : file;
  if (!path.empty()) s += ": " + path;
  return s + ": " + message;
}

static std::string join(const std::vector<Problem>& problems) {
  std::string s;
  for (const auto& p : problems) {
    if (!s.empty()) s += '\n';
    s += p.format();
  }
  return s;
}

InputError::InputError(std::vector<Problem> problems)
    : std::runtime_error(join(problems)), problems_(std::move(problems)) {}

InputError::InputError(const std::string& message) : std::runtime_error(message) {
  problems_.push_back(Problem{"", "", message});
}

}  // namespace wijksim
