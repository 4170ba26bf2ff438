#include "wijksim/io/cbs_import.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "wijksim/core/error.hpp"
#include "wijksim/io/cbs_indicators.hpp"
#include "wijksim/scenario/load.hpp"

namespace wijksim::cbs {

using ojson = nlohmann::ordered_json;

namespace {

constexpr std::size_t kMaxProblems = 20;

std::string trim(const std::string& s) {
  std::size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r' || s[a] == '\n')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r' || s[b - 1] == '\n')) --b;
  return s.substr(a, b - a);
}

std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

std::string upper(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

std::string line_at(std::size_t line) { return "line " + std::to_string(line); }

char detect_separator(const std::string& text, std::size_t start) {
  std::size_t semi = 0, comma = 0, tab = 0;
  bool quoted = false;
  for (std::size_t i = start; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == '"') quoted = !quoted;
    else if (!quoted && (ch == '\n' || ch == '\r')) break;
    else if (!quoted && ch == ';') ++semi;
    else if (!quoted && ch == ',') ++comma;
    else if (!quoted && ch == '\t') ++tab;
  }
  if (comma > semi && comma >= tab) return ',';
  if (tab > semi && tab > comma) return '\t';
  return ';';
}

// The columns this importer knows, as suffixes of the normalised CBS names (so both
// "Regioaanduiding/Codering (code)" and "Codering (code)" match).
struct ColumnDef {
  const char* label;                 // as CBS writes it, for messages
  std::vector<std::string> suffixes; // normalised
};

const ColumnDef kName{"Wijken en buurten", {"wijkenenbuurten"}};
const ColumnDef kGemeente{"Regioaanduiding/Gemeentenaam (naam)", {"gemeentenaamnaam", "gemeentenaam"}};
const ColumnDef kKind{"Regioaanduiding/Soort regio (omschrijving)", {"soortregioomschrijving", "soortregio"}};
const ColumnDef kCode{"Regioaanduiding/Codering (code)", {"coderingcode", "codering"}};
const ColumnDef kResidents{"Bevolking/Aantal inwoners (aantal)", {"aantalinwonersaantal", "aantalinwoners"}};
const std::array<ColumnDef, cbs_age_group_count> kAge = {
    ColumnDef{"Bevolking/Leeftijdsgroepen/0 tot 15 jaar (aantal)", {"0tot15jaaraantal", "0tot15jaar"}},
    ColumnDef{"Bevolking/Leeftijdsgroepen/15 tot 25 jaar (aantal)", {"15tot25jaaraantal", "15tot25jaar"}},
    ColumnDef{"Bevolking/Leeftijdsgroepen/25 tot 45 jaar (aantal)", {"25tot45jaaraantal", "25tot45jaar"}},
    ColumnDef{"Bevolking/Leeftijdsgroepen/45 tot 65 jaar (aantal)", {"45tot65jaaraantal", "45tot65jaar"}},
    ColumnDef{"Bevolking/Leeftijdsgroepen/65 jaar of ouder (aantal)", {"65jaarofouderaantal", "65jaarofouder"}}};
const ColumnDef kLowIncome{"Inkomen/Inkomen van huishoudens/Huishoudens met een laag inkomen (%)",
                           {"huishoudensmeteenlaaginkomen"}};

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Index of the column, or -1. An exact match of a suffix wins over a longer name ending in it.
int find_column(const std::vector<std::string>& keys, const ColumnDef& def) {
  for (const auto& suf : def.suffixes)
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (keys[i] == suf) return static_cast<int>(i);
  for (const auto& suf : def.suffixes)
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (ends_with(keys[i], suf)) return static_cast<int>(i);
  return -1;
}

RegionKind kind_of(const std::string& kind_text, const std::string& code, bool& ok) {
  ok = true;
  const std::string k = lower(kind_text);
  if (k == "land") return RegionKind::land;
  if (k == "gemeente") return RegionKind::gemeente;
  if (k == "wijk") return RegionKind::wijk;
  if (k == "buurt") return RegionKind::buurt;
  const std::string p = upper(code.substr(0, 2));
  if (p == "NL") return RegionKind::land;
  if (p == "GM") return RegionKind::gemeente;
  if (p == "WK") return RegionKind::wijk;
  if (p == "BU") return RegionKind::buurt;
  ok = false;
  return RegionKind::buurt;
}

// Largest-remainder scaling of the age groups to `total`.
std::array<int, cbs_age_group_count> scale_to(const std::array<int, cbs_age_group_count>& age, int total) {
  long long sum = 0;
  for (int a : age) sum += a;
  std::array<int, cbs_age_group_count> out{};
  std::array<double, cbs_age_group_count> frac{};
  int assigned = 0;
  for (std::size_t g = 0; g < age.size(); ++g) {
    const double exact = static_cast<double>(age[g]) * total / static_cast<double>(sum);
    out[g] = static_cast<int>(std::floor(exact));
    frac[g] = exact - out[g];
    assigned += out[g];
  }
  std::array<std::size_t, cbs_age_group_count> order{};
  for (std::size_t g = 0; g < order.size(); ++g) order[g] = g;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return frac[a] > frac[b]; });
  for (std::size_t i = 0; assigned < total; ++i, ++assigned) ++out[order[i % order.size()]];
  return out;
}

std::string gemeente_code_of(const std::string& code) {  // BU01640202 / WK016402 -> GM0164
  return code.size() >= 6 ? "GM" + upper(code.substr(2, 4)) : std::string();
}
std::string wijk_code_of(const std::string& code) {  // BU01640202 -> WK016402
  return code.size() >= 8 ? "WK" + upper(code.substr(2, 6)) : std::string();
}

struct WijkNode {
  const Region* wijk = nullptr;
  std::vector<const Region*> buurten;
};
struct GemNode {
  std::string code, name;
  std::vector<WijkNode> wijken;
};

std::vector<GemNode> hierarchy(const KwbData& kwb) {
  std::vector<GemNode> gems;
  std::unordered_map<std::string, std::size_t> gem_index;
  std::unordered_map<std::string, std::pair<std::size_t, std::size_t>> wijk_index;
  for (const auto& r : kwb.regions) {
    if (r.kind == RegionKind::gemeente) {
      gem_index[upper(r.code)] = gems.size();
      gems.push_back(GemNode{upper(r.code), r.name, {}});
    } else if (r.kind == RegionKind::wijk) {
      auto it = gem_index.find(gemeente_code_of(r.code));
      std::size_t g = 0;
      if (it != gem_index.end()) g = it->second;
      else if (!gems.empty()) g = gems.size() - 1;  // follows its gemeente in the file
      else {
        gem_index[gemeente_code_of(r.code)] = 0;
        gems.push_back(GemNode{gemeente_code_of(r.code), r.gemeente_name.empty() ? gemeente_code_of(r.code) : r.gemeente_name, {}});
      }
      wijk_index[upper(r.code)] = {g, gems[g].wijken.size()};
      gems[g].wijken.push_back(WijkNode{&r, {}});
    } else if (r.kind == RegionKind::buurt) {
      auto it = wijk_index.find(wijk_code_of(r.code));
      if (it != wijk_index.end()) {
        gems[it->second.first].wijken[it->second.second].buurten.push_back(&r);
      } else if (!gems.empty() && !gems.back().wijken.empty()) {
        gems.back().wijken.back().buurten.push_back(&r);  // follows its wijk in the file
      } else {
        throw InputError(std::vector<Problem>{{kwb.file, line_at(r.line),
                                               "buurt " + r.code + " comes before any wijk, expected a wijk row first"}});
      }
    }
  }
  return gems;
}

std::vector<std::string> nearest_names(const std::string& word, const std::vector<std::string>& names, std::size_t n) {
  std::vector<std::pair<std::size_t, std::string>> scored;
  const std::string w = lower(word);
  for (const auto& name : names) {
    const std::string c = lower(name);
    std::vector<std::size_t> prev(c.size() + 1), cur(c.size() + 1);
    for (std::size_t j = 0; j <= c.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= w.size(); ++i) {
      cur[0] = i;
      for (std::size_t j = 1; j <= c.size(); ++j)
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (w[i - 1] == c[j - 1] ? 0 : 1)});
      std::swap(prev, cur);
    }
    std::size_t d = prev[c.size()];
    // A name that starts with or contains what was typed ("Hengelo" in "Hengelo (O.)") first.
    if (w.size() >= 3 && c.rfind(w, 0) == 0) d = 0;
    else if (w.size() >= 3 && c.find(w) != std::string::npos) d = std::min<std::size_t>(d, 1);
    scored.emplace_back(d, name);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < scored.size() && i < n; ++i) out.push_back(scored[i].second);
  return out;
}

const GemNode& find_gemeente(const std::vector<GemNode>& gems, const std::string& wanted, const std::string& file) {
  const std::string t = trim(wanted);
  std::string code = upper(t);
  if (code.rfind("GM", 0) != 0 && !code.empty() &&
      std::all_of(code.begin(), code.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); }) &&
      code.size() <= 4)
    code = "GM" + std::string(4 - code.size(), '0') + code;
  for (const auto& g : gems)
    if (g.code == code) return g;
  for (const auto& g : gems)
    if (lower(g.name) == lower(t)) return g;
  std::vector<std::string> names;
  for (const auto& g : gems) names.push_back(g.name);
  std::string msg = "unknown gemeente \"" + t + "\", expected a gemeente name or code (GM0164, 0164)";
  const auto near = nearest_names(t, names, 3);
  if (!near.empty()) {
    msg += "; nearest names:";
    for (std::size_t i = 0; i < near.size(); ++i) msg += (i ? ", \"" : " \"") + near[i] + "\"";
  }
  throw InputError(std::vector<Problem>{{file, "--gemeente", msg}});
}

// Low-income shares of the income export: by buurt code, and by (gemeente, buurt name).
struct IncomeIndex {
  std::unordered_map<std::string, double> by_code;
  std::map<std::pair<std::string, std::string>, std::optional<double>> by_name;  // nullopt: ambiguous
  std::optional<double> find(const std::string& code, const std::string& gemeente, const std::string& name) const {
    if (auto it = by_code.find(upper(code)); it != by_code.end()) return it->second;
    if (auto it = by_name.find({column_key(gemeente), column_key(name)}); it != by_name.end()) return it->second;
    return std::nullopt;
  }
};

IncomeIndex index_income(const KwbData& income) {
  IncomeIndex idx;
  std::unordered_map<std::string, std::string> gem_names;
  for (const auto& r : income.regions)
    if (r.kind == RegionKind::gemeente) gem_names[upper(r.code)] = r.name;
  for (const auto& r : income.regions) {
    if (r.kind != RegionKind::buurt || !r.low_income) continue;
    idx.by_code[upper(r.code)] = *r.low_income;
    std::string gem = r.gemeente_name;
    if (gem.empty())
      if (auto it = gem_names.find(gemeente_code_of(r.code)); it != gem_names.end()) gem = it->second;
    const auto key = std::make_pair(column_key(gem), column_key(r.name));
    auto [it, inserted] = idx.by_name.emplace(key, *r.low_income);
    if (!inserted) it->second = std::nullopt;  // two buurten of that name: do not guess
  }
  return idx;
}

}  // namespace

double deprivation_from_low_income(double share_percent) { return std::clamp(share_percent / 20.0, 0.0, 1.0); }

std::string column_key(const std::string& name) {
  std::string k;
  for (char ch : name) {
    const auto u = static_cast<unsigned char>(ch);
    if (std::isalnum(u) && u < 128) k += static_cast<char>(std::tolower(u));
  }
  return k;
}

std::optional<double> parse_number(const std::string& cell, bool& ok) {
  ok = true;
  std::string s = trim(cell);
  if (s.empty() || s == "." || s == "NA" || s == "na" || s == "-" || s == "x" || s == "?") return std::nullopt;
  if (s.find(',') != std::string::npos && s.find('.') == std::string::npos) std::replace(s.begin(), s.end(), ',', '.');
  double v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) {
    ok = false;
    return std::nullopt;
  }
  return v;
}

CsvTable parse_csv(const std::string& text, const std::string& file_label) {
  CsvTable t;
  t.file = file_label;
  std::size_t i = 0;
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF && static_cast<unsigned char>(text[1]) == 0xBB &&
      static_cast<unsigned char>(text[2]) == 0xBF)
    i = 3;
  if (const std::size_t bad = invalid_utf8_at(text); bad != std::string::npos) {
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<long>(bad), '\n'));
    const std::size_t line_start = text.rfind('\n', bad == 0 ? 0 : bad - 1);
    const std::size_t column = line_start == std::string::npos || bad == 0 ? bad + 1 : bad - line_start;
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(text[bad])));
    throw InputError(std::vector<Problem>{{file_label, line_at(line) + ", column " + std::to_string(column),
                                           std::string("byte ") + byte + " is not UTF-8, expected a UTF-8 file (CBS StatLine "
                                           "exports are UTF-8; re-save a Latin-1 or Windows-1252 file as UTF-8)"}});
  }
  t.separator = detect_separator(text, i);
  const char sep = t.separator;
  std::size_t line = 1;
  std::vector<Problem> problems;
  bool have_header = false;

  while (i < text.size()) {
    const std::size_t row_line = line;
    std::vector<std::string> fields;
    std::string field;
    bool any_quote = false;
    bool row_done = false;
    while (!row_done) {
      // One field.
      field.clear();
      std::size_t j = i;
      while (j < text.size() && (text[j] == ' ' || text[j] == '\t') && text[j] != sep) ++j;
      if (j < text.size() && text[j] == '"') {
        any_quote = true;
        i = j + 1;
        bool closed = false;
        while (i < text.size()) {
          const char ch = text[i];
          if (ch == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            closed = true;
            ++i;
            break;
          }
          if (ch == '\n') ++line;
          field += ch;
          ++i;
        }
        if (!closed) {
          problems.push_back({file_label, line_at(row_line),
                              "unterminated quoted field (the file ends inside quotes; truncated file?)"});
          throw InputError(problems);
        }
        // Anything up to the separator after the closing quote is kept (lenient).
        while (i < text.size() && text[i] != sep && text[i] != '\n' && text[i] != '\r') field += text[i++];
      } else {
        while (i < text.size() && text[i] != sep && text[i] != '\n' && text[i] != '\r') field += text[i++];
      }
      fields.push_back(trim(field));
      if (i >= text.size()) {
        row_done = true;
      } else if (text[i] == sep) {
        ++i;
      } else {  // end of line
        if (text[i] == '\r') ++i;
        if (i < text.size() && text[i] == '\n') ++i;
        ++line;
        row_done = true;
      }
    }
    if (fields.size() == 1 && fields[0].empty() && !any_quote) continue;  // blank line
    if (!have_header) {
      t.header = std::move(fields);
      have_header = true;
      continue;
    }
    if (fields.size() != t.header.size()) {
      if (problems.size() < kMaxProblems) {
        if (fields.size() < t.header.size())
          problems.push_back({file_label, line_at(row_line) + ", column \"" + t.header[fields.size()] + "\"",
                              "missing: the row has " + std::to_string(fields.size()) + " fields, expected " +
                                  std::to_string(t.header.size()) + " (truncated row?)"});
        else
          problems.push_back({file_label, line_at(row_line),
                              "the row has " + std::to_string(fields.size()) + " fields, expected " +
                                  std::to_string(t.header.size()) + " as in the header"});
      }
      continue;
    }
    t.rows.push_back(std::move(fields));
    t.lines.push_back(row_line);
  }
  if (!have_header) problems.push_back({file_label, "line 1", "empty file, expected a CSV header"});
  if (!problems.empty()) throw InputError(problems);
  return t;
}

CsvTable read_csv(const std::string& file) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec))
    throw InputError(std::vector<Problem>{{file, "", "is a directory, expected a CSV file"}});
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(std::vector<Problem>{{file, "", "cannot open the file for reading"}});
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_csv(ss.str(), file);
}

KwbData parse_kwb(const CsvTable& table, KwbNeeds needs) {
  KwbData out;
  out.file = table.file;
  std::vector<std::string> keys;
  for (const auto& h : table.header) keys.push_back(column_key(h));
  const int c_code = find_column(keys, kCode);
  const int c_name = find_column(keys, kName);
  if (c_code < 0 && c_name < 0)
    throw InputError(std::vector<Problem>{
        {table.file, "line 1",
         "not a CBS Kerncijfers wijken en buurten export: expected columns \"" + std::string(kName.label) + "\" and \"" +
             kCode.label + "\" in the header"}});
  const int c_gem = find_column(keys, kGemeente);
  const int c_kind = find_column(keys, kKind);
  const int c_res = find_column(keys, kResidents);
  std::array<int, cbs_age_group_count> c_age{};
  for (std::size_t g = 0; g < kAge.size(); ++g) c_age[g] = find_column(keys, kAge[g]);
  const int c_low = find_column(keys, kLowIncome);

  std::vector<Problem> problems;
  auto require = [&](int col, const ColumnDef& def) {
    if (col < 0) problems.push_back({table.file, "line 1, column \"" + std::string(def.label) + "\"", "missing from the header, expected a column of that name"});
  };
  require(c_code, kCode);
  require(c_name, kName);
  if (needs == KwbNeeds::population) {
    require(c_res, kResidents);
    for (std::size_t g = 0; g < kAge.size(); ++g) require(c_age[g], kAge[g]);
  } else {
    require(c_low, kLowIncome);
  }
  if (!problems.empty()) throw InputError(problems);
  out.has_age = std::all_of(c_age.begin(), c_age.end(), [](int c) { return c >= 0; });
  out.has_low_income = c_low >= 0;

  auto count = [&](const std::vector<std::string>& row, std::size_t line, int col, int& value) -> bool {
    if (col < 0) return false;
    bool ok = true;
    const auto v = parse_number(row[static_cast<std::size_t>(col)], ok);
    // 5e7: the scenario loader's limit per buurt and age group (the Netherlands has 18 million).
    if (!ok || (v && (*v < 0 || *v != std::floor(*v) || *v > 5e7))) {
      if (problems.size() < kMaxProblems)
        problems.push_back({table.file, line_at(line) + ", column \"" + table.header[static_cast<std::size_t>(col)] + "\"",
                            "found \"" + row[static_cast<std::size_t>(col)] + "\", expected a whole non-negative count up to 50000000 (or . / NA for missing)"});
      return false;
    }
    if (!v) return false;
    value = static_cast<int>(*v);
    return true;
  };

  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    const std::size_t line = table.lines[r];
    Region reg;
    reg.line = line;
    reg.code = upper(row[static_cast<std::size_t>(c_code)]);
    reg.name = row[static_cast<std::size_t>(c_name)];
    if (c_gem >= 0) reg.gemeente_name = row[static_cast<std::size_t>(c_gem)];
    bool ok = true;
    reg.kind = kind_of(c_kind >= 0 ? row[static_cast<std::size_t>(c_kind)] : std::string(), reg.code, ok);
    // CBS codes are ASCII letters and digits; gemeente and wijk codes are cut out of them by
    // byte position, which would split a multi-byte character (found by fuzz/fuzz_cbs_import).
    ok = ok && std::all_of(reg.code.begin(), reg.code.end(), [](char ch) {
      const auto u = static_cast<unsigned char>(ch);
      return u < 128 && std::isalnum(u);
    });
    if (!ok) {
      if (problems.size() < kMaxProblems)
        problems.push_back({table.file, line_at(line) + ", column \"" + table.header[static_cast<std::size_t>(c_code)] + "\"",
                            "found \"" + reg.code + "\", expected a region code of ASCII letters and digits starting with NL, GM, WK or BU"});
      continue;
    }
    reg.residents_known = count(row, line, c_res, reg.residents);
    if (out.has_age) {
      reg.age_known = true;
      for (std::size_t g = 0; g < c_age.size(); ++g)
        if (!count(row, line, c_age[g], reg.age[g])) reg.age_known = false;
    }
    if (c_low >= 0) {
      bool num_ok = true;
      const auto v = parse_number(row[static_cast<std::size_t>(c_low)], num_ok);
      if (!num_ok || (v && (*v < 0 || *v > 100))) {
        if (problems.size() < kMaxProblems)
          problems.push_back({table.file, line_at(line) + ", column \"" + table.header[static_cast<std::size_t>(c_low)] + "\"",
                              "found \"" + row[static_cast<std::size_t>(c_low)] + "\", expected a percentage in [0, 100]"});
      } else {
        reg.low_income = v;
      }
    }
    out.regions.push_back(std::move(reg));
  }
  if (!problems.empty()) throw InputError(problems);
  if (std::none_of(out.regions.begin(), out.regions.end(), [](const Region& x) { return x.kind == RegionKind::buurt; }))
    throw InputError(std::vector<Problem>{{table.file, "", "no buurt rows (codes BU...), expected a wijken-en-buurten export"}});
  return out;
}

KwbData read_kwb(const std::string& file, KwbNeeds needs) { return parse_kwb(read_csv(file), needs); }

std::vector<std::pair<std::string, std::string>> gemeenten(const KwbData& kwb) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& g : hierarchy(kwb)) out.emplace_back(g.code, g.name);
  return out;
}

std::string slug(const std::string& name) {
  static const std::vector<std::pair<std::string, char>> kLatin = {
      {"á", 'a'}, {"à", 'a'}, {"â", 'a'}, {"ä", 'a'}, {"é", 'e'}, {"è", 'e'}, {"ê", 'e'}, {"ë", 'e'},
      {"í", 'i'}, {"ì", 'i'}, {"î", 'i'}, {"ï", 'i'}, {"ó", 'o'}, {"ò", 'o'}, {"ô", 'o'}, {"ö", 'o'},
      {"ú", 'u'}, {"ù", 'u'}, {"û", 'u'}, {"ü", 'u'}, {"ý", 'y'}, {"ÿ", 'y'}, {"ñ", 'n'}, {"ç", 'c'},
      {"Á", 'a'}, {"É", 'e'}, {"Í", 'i'}, {"Ó", 'o'}, {"Ú", 'u'}, {"Ü", 'u'}, {"Ö", 'o'}, {"Ë", 'e'}};
  std::string out;
  for (std::size_t i = 0; i < name.size();) {
    const auto u = static_cast<unsigned char>(name[i]);
    char ch = 0;
    std::size_t len = 1;
    if (u < 128) {
      ch = std::isalnum(u) ? static_cast<char>(std::tolower(u)) : '-';
    } else {
      for (const auto& [from, to] : kLatin)
        if (name.compare(i, from.size(), from) == 0) {
          ch = to;
          len = from.size();
          break;
        }
      if (!ch) {  // other non-ASCII: skip the whole UTF-8 sequence
        len = u >= 0xF0 ? 4 : u >= 0xE0 ? 3 : u >= 0xC0 ? 2 : 1;
        ch = '-';
      }
    }
    i += len;
    if (ch == '-' && (out.empty() || out.back() == '-')) continue;
    out += ch;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "city" : out;
}

namespace {

// Real-place values of one buurt from the indicator table, with the fallbacks of
// docs/MODEL.md §5.3: a buurt whose housing data CBS suppressed takes its wijk's
// resident-weighted housing score, then its gemeente's; crime is shrunk toward the wijk's rate.
struct Pooled {
  double score_sum = 0, score_weight = 0, crimes = 0, crime_residents = 0;
  void add(const BuurtIndicators& b, const IndicatorTable& t) {
    const double res = b.residents.value_or(0);
    if (res <= 0) return;
    if (b.woz && b.owner_occupied) {
      score_sum += housing_score(t, *b.woz, *b.owner_occupied) * res;
      score_weight += res;
    }
    if (b.crimes_per_year) {
      crimes += *b.crimes_per_year;
      crime_residents += res;
    }
  }
  std::optional<double> score() const { return score_weight > 0 ? std::optional<double>(score_sum / score_weight) : std::nullopt; }
  std::optional<double> crime_per_resident() const {
    return crime_residents > 0 ? std::optional<double>(crimes / crime_residents) : std::nullopt;
  }
};

const BuurtIndicators* indicators_of(const IndicatorTable& t, const std::string& code) {
  auto it = t.buurten.find(upper(code));
  return it == t.buurten.end() ? nullptr : &it->second;
}

// Rounds to `decimals` places so the JSON shows the short decimal (40.3, not 40.300000000000004).
double round_to(double x, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(x * scale) / scale;
}

}  // namespace

ImportResult build_scenario(const KwbData& kwb, const ImportOptions& options) {
  const auto gems = hierarchy(kwb);
  ImportResult res;
  std::vector<const GemNode*> selected;
  std::string city_code, city_name;
  if (options.all) {
    for (const auto& g : gems) selected.push_back(&g);
    city_code = "NL00";
    city_name = "Nederland";
    for (const auto& r : kwb.regions)
      if (r.kind == RegionKind::land) {
        city_code = r.code;
        city_name = r.name;
        break;
      }
  } else {
    const GemNode& g = find_gemeente(gems, options.gemeente, kwb.file);
    selected.push_back(&g);
    city_code = g.code;
    city_name = g.name;
  }

  std::set<std::string> wanted;
  if (!options.wijken.empty()) {
    std::set<std::string> have;
    for (const auto* g : selected)
      for (const auto& w : g->wijken) have.insert(upper(w.wijk->code));
    std::vector<Problem> problems;
    for (const auto& w : options.wijken) {
      const std::string code = upper(trim(w));
      if (have.count(code)) {
        wanted.insert(code);
        continue;
      }
      std::string list;
      for (const auto& h : have) list += (list.empty() ? "" : ", ") + h;
      problems.push_back({kwb.file, "--wijk", "unknown wijk code \"" + trim(w) + "\" in " + city_name + ", expected one of: " + list});
    }
    if (!problems.empty()) throw InputError(problems);
  }

  std::optional<IncomeIndex> income;
  if (options.income) income = index_income(*options.income);
  const IndicatorTable* ind = options.indicators;

  ojson wijken = ojson::array();
  std::set<std::string> codes;
  long long adults_min = 0, adults_max = 0;  // bounds where age groups are unknown
  for (const auto* g : selected) {
    Pooled gem_pool;
    if (ind)
      for (const auto& w : g->wijken)
        for (const auto* b : w.buurten)
          if (const auto* bi = indicators_of(*ind, b->code)) gem_pool.add(*bi, *ind);
    for (const auto& w : g->wijken) {
      if (!wanted.empty() && !wanted.count(upper(w.wijk->code))) continue;
      Pooled wijk_pool;
      if (ind)
        for (const auto* b : w.buurten)
          if (const auto* bi = indicators_of(*ind, b->code)) wijk_pool.add(*bi, *ind);
      // The wijk's code first: a wijk dropped after its buurten were counted left residents
      // without wijken (a scenario that does not load; found by fuzz/fuzz_cbs_import).
      if (!codes.insert(w.wijk->code).second) continue;  // CBS codes are unique; never emit a duplicate
      ojson buurten = ojson::array();
      for (const auto* b : w.buurten) {
        if (b->residents <= 0) {
          ++res.empty_buurten;
          continue;
        }
        if (!codes.insert(b->code).second) continue;  // CBS codes are unique; never emit a duplicate
        ojson bj;
        bj["code"] = b->code;
        bj["name"] = b->name.empty() ? b->code : b->name;
        bj["residents"] = b->residents;
        std::array<int, cbs_age_group_count> age = b->age;
        long long sum = 0;
        for (int a : age) sum += a;
        if (b->age_known && sum > 0) {
          const int tolerance = std::max(25, static_cast<int>(0.05 * b->residents));
          if (std::llabs(sum - b->residents) > tolerance) {
            age = scale_to(age, b->residents);
            ++res.rescaled;
          }
          ojson aj;
          for (std::size_t k = 0; k < age.size(); ++k) aj[cbs_age_groups[k]] = age[k];
          bj["age"] = aj;
          adults_min += age[1] + age[2] + age[3] + age[4];
          adults_max += age[1] + age[2] + age[3] + age[4];
        } else {
          ++res.no_age;     // the loader splits the total by national shares
          adults_min += 1;  // ... and gives any remainder to 25-45: at least one adult
          adults_max += b->residents;
        }
        bool deprivation_set = false;
        if (income) {
          if (auto share = income->find(b->code, g->name, b->name)) {
            bj["deprivation"] = std::round(deprivation_from_low_income(*share) * 1000) / 1000;
            ++res.deprivation_matched;
            deprivation_set = true;
          } else if (!ind) {
            ++res.deprivation_default;
          }
        }
        if (ind) {
          const BuurtIndicators* bi = indicators_of(*ind, b->code);
          std::optional<double> score;
          if (bi && bi->woz && bi->owner_occupied) {
            score = housing_score(*ind, *bi->woz, *bi->owner_occupied);
            ++res.housing_from_buurt;
          } else if ((score = wijk_pool.score())) {
            ++res.housing_from_wijk;
          } else if ((score = gem_pool.score())) {
            ++res.housing_from_gemeente;
          } else {
            ++res.deprivation_default;
          }
          if (score && !deprivation_set) bj["deprivation"] = round_to(deprivation_from_score(*ind, *score), 3);
          if (bi && bi->owner_occupied) bj["owner_occupied"] = round_to(*bi->owner_occupied / 100.0, 3);
          // Crime: the buurt's recorded crimes shrunk toward its wijk's rate (else gemeente,
          // else national) with a pseudo-population of kCrimePseudoResidents.
          const double prior = wijk_pool.crime_per_resident().value_or(
              gem_pool.crime_per_resident().value_or(ind->national_crime_per_1000 / 1000.0));
          double crimes = 0, population = 0;
          if (bi && bi->crimes_per_year && bi->residents.value_or(0) > 0) {
            crimes = *bi->crimes_per_year;
            population = *bi->residents;
            ++res.crime_from_buurt;
          } else {
            ++res.crime_pooled;
          }
          const double rate = (crimes + kCrimePseudoResidents * prior) / (population + kCrimePseudoResidents);
          bj["recorded_crime_per_1000"] = round_to(rate * 1000.0, 1);
        }
        res.residents += b->residents;
        ++res.buurten;
        buurten.push_back(bj);
      }
      if (buurten.empty()) {
        ++res.empty_wijken;
        continue;
      }
      ojson wj;
      wj["code"] = w.wijk->code;
      wj["name"] = options.all ? g->name + " / " + w.wijk->name : w.wijk->name;
      wj["buurten"] = buurten;
      wijken.push_back(wj);
      ++res.wijken;
    }
  }
  // The loader refuses these: say so here, with the selection, instead of failing to validate.
  if (res.residents <= 0 || adults_min <= 0 || adults_max > 200'000'000LL) {
    std::string what = options.all ? "the file" : city_name + " (" + city_code + ")";
    if (!wanted.empty()) {
      what += ", wijken";
      for (const auto& w : wanted) what += " " + w;
    }
    const std::string problem = res.residents <= 0 ? "has no residents, expected at least one buurt with residents"
                                : adults_min <= 0  ? "has no residents aged 15+, expected at least one to simulate"
                                                   : "has up to " + std::to_string(adults_max) +
                                                         " residents aged 15+, expected at most 200000000 (the engine's limit)";
    const char* flag = !options.wijken.empty() ? "--wijk" : options.all ? "--all" : "--gemeente";
    throw InputError(std::vector<Problem>{{kwb.file, flag, "the selection " + what + " " + problem}});
  }

  std::ostringstream notes;
  notes << "Residents and CBS age groups per buurt: " << kCredit << ", 1 January 2024; imported by wijksim import-cbs.";
  if (res.empty_buurten)
    notes << " " << res.empty_buurten << " buurt" << (res.empty_buurten == 1 ? "" : "en")
          << " with 0 residents left out (industrial estates, water).";
  if (res.empty_wijken)
    notes << " " << res.empty_wijken << " wijk" << (res.empty_wijken == 1 ? "" : "en")
          << " without residents left out.";
  if (res.rescaled)
    notes << " In " << res.rescaled << " buurt" << (res.rescaled == 1 ? "" : "en")
          << " the CBS age groups (rounded to multiples of 5) differed from the total by more than max(25, 5%) and were "
             "scaled to the total (largest remainder).";
  if (res.no_age)
    notes << " " << res.no_age << " buurt" << (res.no_age == 1 ? "" : "en")
          << " without age groups: the loader splits their residents by national age shares.";
  if (income) {
    notes << " Deprivation per buurt from the share of low-income households in " << options.income->file
          << " (deprivation = clamp(share / 20%, 0, 1): the national share of about 8% gives 0.4) for "
          << res.deprivation_matched << " buurten, matched by code or by name within the gemeente";
    if (res.deprivation_default) notes << "; " << res.deprivation_default << " buurten without a match keep the default 0.4";
    notes << ".";
  }
  if (ind) {
    notes << " Deprivation per buurt from housing (" << kIndicatorCredit << "; "
          << std::filesystem::path(ind->file).filename().string()
          << "): the mean of the buurt's national percentile of low mean WOZ value and of the share of rented "
             "dwellings, ranked again nationally (P) and set to P^1.5, so the resident-weighted national mean is 0.4 "
             "(docs/MODEL.md, real places): "
          << res.housing_from_buurt << " buurten from their own figures";
    if (res.housing_from_wijk) notes << ", " << res.housing_from_wijk << " suppressed by CBS and given their wijk's value";
    if (res.housing_from_gemeente) notes << ", " << res.housing_from_gemeente << " given their gemeente's value";
    notes << ". Recorded crime per 1,000 residents per year: police-recorded crimes per buurt, mean of "
          << ind->years.front() << "-" << ind->years.back() << ", pooled with the wijk's rate over "
          << static_cast<int>(kCrimePseudoResidents) << " pseudo-residents (national rate "
          << round_to(ind->national_crime_per_1000, 1) << " per 1,000)";
    if (res.crime_pooled) notes << "; " << res.crime_pooled << " buurten without published crime take the wijk's rate";
    notes << "; it scales the buurt's incident base rate relative to the national rate.";
  } else if (!income) {
    notes << " No housing or income data: deprivation is the engine's default (0.4) in every buurt.";
  }

  ojson doc;
  doc["name"] = options.all ? "nederland" : slug(city_name);
  std::ostringstream desc;
  desc << (options.all ? std::string("The Netherlands") : city_name) << ": " << res.wijken << " wijk"
       << (res.wijken == 1 ? "" : "en") << " with " << res.buurten << " buurt" << (res.buurten == 1 ? "" : "en")
       << " and " << res.residents << " residents, imported from CBS Kerncijfers wijken en buurten 2024; programme and "
       << "building blocks at the engine's defaults.";
  doc["description"] = desc.str();
  doc["notes"] = notes.str();
  doc["city"] = ojson{{"code", city_code}, {"name", city_name}, {"credit", ind ? kIndicatorCredit : kCredit}, {"wijken", wijken}};
  res.scenario = std::move(doc);
  return res;
}

}  // namespace wijksim::cbs
