#pragma once
// --set PATH=VALUE overrides: parsing, writing them into a scenario document, and the paths
// they wrote (so problems name "--set PATH" as their origin, see JsonChecker).
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wijksim/core/error.hpp"

namespace wijksim {

struct Override {
  std::string path;   // dotted, array indices as numbers: programme.phases.1.max_weeks
  std::string value;  // parsed as JSON; a bare word is a string
  std::string text() const { return path + "=" + value; }
};

// Parses "PATH=VALUE"; throws InputError on a malformed argument.
Override parse_override(const std::string& arg);

// An override's dotted path in the spelling problems use: indices in brackets
// (programme.phases.1.max_weeks -> programme.phases[1].max_weeks).
std::string checker_path(const std::string& dotted);

// Writes every override into doc (a scenario document, an object). An override into one phase
// or role of a preset first writes the preset out, so there is an array to index into.
// Problems with an override go to `problems`; returns the overridden paths in checker spelling.
std::set<std::string> apply_overrides(nlohmann::json& doc, const std::vector<Override>& overrides,
                                      std::vector<Problem>& problems);

}  // namespace wijksim
