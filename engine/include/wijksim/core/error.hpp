#pragma once
// Errors that cross the engine's boundary. Input problems (exit code 2) are collected, not
// thrown one at a time, so a user sees every problem in a file at once.
#include <stdexcept>
#include <string>
#include <vector>

namespace wijksim {

struct Problem {
  std::string file;      // scenario file, or "--set" for command-line overrides
  std::string path;      // JSON path, dotted: building_blocks.trust, city.wijken[0].code
  std::string message;   // what was found and what was expected
  std::string format() const;
};

// Thrown when input is invalid: carries every problem found.
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::vector<Problem> problems);
  explicit InputError(const std::string& message);
  const std::vector<Problem>& problems() const noexcept { return problems_; }

 private:
  std::vector<Problem> problems_;
};

// Thrown when a valid input fails while running (I/O, resources).
class RuntimeFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace wijksim
