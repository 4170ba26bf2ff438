#pragma once
// The one place where parameters are declared: name (dotted JSON path), meaning, unit,
// default, valid range and source. Loading, validation, --set, `wijksim params` and
// docs/MODEL.md all read this table.
#include <string>
#include <string_view>
#include <vector>

#include "wijksim/core/units.hpp"
#include "wijksim/scenario/params.hpp"

namespace wijksim {

enum class ParamKind { real, integer, boolean, choice };

struct ParamDef {
  std::string path;
  ParamKind kind;
  Unit unit;
  double default_value;  // in the user's unit; for a choice, the index into choices
  double min, max;       // inclusive, in the user's unit
  std::vector<std::string> choices;
  std::string meaning;
  std::string source;
  double* (*real)(Params&) = nullptr;
  int* (*integer)(Params&) = nullptr;
  bool* (*boolean)(Params&) = nullptr;

  // Writes a value given in the user's unit, converting to the model's unit.
  void assign(Params& p, double user_value) const;
  // Reads back in the user's unit (for manifests and the parameter table).
  double read(const Params& p) const;
};

const std::vector<ParamDef>& param_table();
const ParamDef* find_param(std::string_view path);
Params default_params();

// The parameter table rendered for people.
std::string param_table_markdown();
std::string param_table_json();

}  // namespace wijksim
