#pragma once
// JSON text hygiene for every input file (scenario, experiment, calibration): reading, a BOM,
// UTF-8, a nesting limit, and syntax errors and overflowing numbers with line and column.
#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace wijksim {

// Reads a JSON file with line/column on syntax errors (InputError).
nlohmann::json read_json_file(const std::string& file);
// The same checks on text already read (BOM, depth limit, syntax with line/column); file_label
// names the source in problems. read_json_file and the fuzz harnesses share it.
nlohmann::json parse_json_text(std::string text, const std::string& file_label);

// Offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlong
// forms, surrogates or code points above U+10FFFF), or npos. Text that ends up in JSON must be
// UTF-8: nlohmann::json refuses to write anything else.
std::size_t invalid_utf8_at(const std::string& text);

// nlohmann::json parses iteratively, but copying, comparing and dumping a value recurse once
// per level: a hostile file of a million nested arrays would overflow the stack. Scenarios
// are a few levels deep, so anything deeper than this is refused before it is parsed.
inline constexpr std::size_t kMaxJsonDepth = 256;

// Where `text` first nests deeper than kMaxJsonDepth (brackets inside strings do not count),
// as "line L, column C", or empty when it stays within the limit.
std::string too_deep_at(const std::string& text);

}  // namespace wijksim
