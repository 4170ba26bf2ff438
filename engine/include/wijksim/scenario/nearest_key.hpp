#pragma once
// Nearest-key suggestions for problems: "unknown key "trsut"; did you mean "trust"?".
#include <string>
#include <vector>

namespace wijksim {

// Nearest candidate by edit distance (case-insensitive), or "" if none is close: within two
// edits, or a third of the word's length for longer words.
std::string nearest(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace wijksim
