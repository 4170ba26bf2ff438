#pragma once
// Scenario files: strict JSON loading. Every problem is collected and reported at once with
// file, JSON path, what was found and what was expected.
#include <string>
#include <vector>

#include "wijksim/scenario/spec.hpp"

namespace wijksim {

struct Override {
  std::string path;   // dotted, array indices as numbers: programme.phases.1.max_weeks
  std::string value;  // parsed as JSON; a bare word is a string
  std::string text() const { return path + "=" + value; }
};

// Parses "PATH=VALUE"; throws InputError on a malformed argument.
Override parse_override(const std::string& arg);

// Reads, overrides, validates and resolves. Throws InputError with every problem.
ScenarioSpec load_scenario_file(const std::string& file, const std::vector<Override>& overrides = {});
ScenarioSpec load_scenario_json(const nlohmann::json& doc, const std::string& file_label,
                                const std::vector<Override>& overrides = {});

// Reads a JSON file with line/column on syntax errors (InputError).
nlohmann::json read_json_file(const std::string& file);
// The same checks on text already read (BOM, depth limit, syntax with line/column); file_label
// names the source in problems. read_json_file and the fuzz harnesses share it.
nlohmann::json parse_json_text(std::string text, const std::string& file_label);

// An override's dotted path in the spelling problems use: indices in brackets
// (programme.phases.1.max_weeks -> programme.phases[1].max_weeks).
std::string checker_path(const std::string& dotted);

// Offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlong
// forms, surrogates or code points above U+10FFFF), or npos. Text that ends up in JSON must be
// UTF-8: nlohmann::json refuses to write anything else.
std::size_t invalid_utf8_at(const std::string& text);

// Nearest candidate by edit distance, or "" if none is close.
std::string nearest(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace wijksim
