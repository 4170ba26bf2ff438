#include "wijksim/scenario/load.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "wijksim/core/error.hpp"
#include "wijksim/core/number_text.hpp"
#include "wijksim/core/rng.hpp"
#include "wijksim/scenario/param_table.hpp"
#include "wijksim/scenario/presets.hpp"

namespace wijksim {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

namespace {

std::string describe(const json& v) {
  std::string s;
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case json::value_t::string: s = "\"" + v.get<std::string>() + "\""; break;
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    default: s = v.dump(); break;
  }
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

std::string fmt_num(double v) { return number_text(v); }

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = prev[j - 1] + (std::tolower(a[i - 1]) == std::tolower(b[j - 1]) ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// Collects problems; knows which paths came from --set so messages name the right origin.
class Checker {
 public:
  Checker(std::string file, std::set<std::string> overridden)
      : file_(std::move(file)), overridden_(std::move(overridden)) {}

  void problem(const std::string& path, const std::string& message) {
    std::string origin = file_;
    for (const auto& o : overridden_)
      if (path == o || path.rfind(o + ".", 0) == 0 || path.rfind(o + "[", 0) == 0 || o.rfind(path + ".", 0) == 0 ||
          o.rfind(path + "[", 0) == 0)
        origin = "--set " + o;
    problems_.push_back(Problem{origin, path, message});
  }
  const std::vector<Problem>& problems() const { return problems_; }

  // Unknown keys of obj (at path) are reported with the nearest allowed key.
  void only_keys(const json& obj, const std::string& path, const std::vector<std::string>& allowed) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      if (std::find(allowed.begin(), allowed.end(), it.key()) != allowed.end()) continue;
      std::string msg = "unknown key";
      const std::string near = nearest(it.key(), allowed);
      if (!near.empty()) msg += "; did you mean \"" + near + "\"?";
      else {
        msg += "; expected one of:";
        for (const auto& a : allowed) msg += " " + a;
      }
      problem(join(path, it.key()), msg);
    }
  }

  bool expect_object(const json& v, const std::string& path) {
    if (v.is_object()) return true;
    problem(path, "found " + describe(v) + ", expected an object");
    return false;
  }
  bool expect_array(const json& v, const std::string& path) {
    if (v.is_array()) return true;
    problem(path, "found " + describe(v) + ", expected an array");
    return false;
  }
  std::optional<std::string> get_string(const json& obj, const std::string& key, const std::string& path,
                                        bool required) {
    if (!obj.contains(key)) {
      if (required) problem(join(path, key), "missing, expected a string");
      return std::nullopt;
    }
    const auto& v = obj[key];
    if (!v.is_string()) {
      problem(join(path, key), "found " + describe(v) + ", expected a string");
      return std::nullopt;
    }
    return v.get<std::string>();
  }
  std::optional<double> get_number(const json& obj, const std::string& key, const std::string& path,
                                   double lo, double hi, bool required, bool integer = false) {
    if (!obj.contains(key)) {
      if (required) problem(join(path, key), std::string("missing, expected ") + (integer ? "an integer" : "a number"));
      return std::nullopt;
    }
    return number(obj[key], join(path, key), lo, hi, integer);
  }
  std::optional<double> number(const json& v, const std::string& path, double lo, double hi, bool integer) {
    const std::string want = std::string(integer ? "an integer" : "a number") + " in [" + fmt_num(lo) + ", " + fmt_num(hi) + "]";
    if (!v.is_number() || v.is_boolean()) {
      problem(path, "found " + describe(v) + ", expected " + want);
      return std::nullopt;
    }
    const double x = v.get<double>();
    if (!std::isfinite(x) || x < lo || x > hi || (integer && x != std::floor(x))) {
      problem(path, "found " + describe(v) + ", expected " + want);
      return std::nullopt;
    }
    return x;
  }

  static std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }
  static std::string index(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

 private:
  std::string file_;
  std::set<std::string> overridden_;
  std::vector<Problem> problems_;
};

// Tree of allowed keys for the table-driven sections.
struct KeyNode {
  std::map<std::string, KeyNode> children;
  const ParamDef* leaf = nullptr;
};

KeyNode& param_tree() {
  static KeyNode root = [] {
    KeyNode r;
    for (const auto& d : param_table()) {
      KeyNode* n = &r;
      std::size_t start = 0;
      for (;;) {
        const std::size_t dot = d.path.find('.', start);
        n = &n->children[d.path.substr(start, dot == std::string::npos ? std::string::npos : dot - start)];
        if (dot == std::string::npos) break;
        start = dot + 1;
      }
      n->leaf = &d;
    }
    return r;
  }();
  return root;
}

// Structural keys handled by dedicated code, per table section.
const std::map<std::string, std::vector<std::string>>& structural_keys() {
  static const std::map<std::string, std::vector<std::string>> keys = {
      {"", {"name", "description", "notes", "start_date", "city"}},
      {"programme", {"phases", "start_buurten", "wijken"}},
      {"staff", {"roles"}},
  };
  return keys;
}

void assign_leaf(Checker& c, const ParamDef& d, const json& v, const std::string& path, Params& p) {
  switch (d.kind) {
    case ParamKind::boolean:
      if (!v.is_boolean()) {
        c.problem(path, "found " + describe(v) + ", expected true or false");
        return;
      }
      d.assign(p, v.get<bool>() ? 1 : 0);
      return;
    case ParamKind::choice: {
      if (!v.is_string()) {
        std::string want;
        for (const auto& ch : d.choices) want += (want.empty() ? "" : ", ") + ("\"" + ch + "\"");
        c.problem(path, "found " + describe(v) + ", expected one of " + want);
        return;
      }
      const auto s = v.get<std::string>();
      const auto it = std::find(d.choices.begin(), d.choices.end(), s);
      if (it == d.choices.end()) {
        std::string want;
        for (const auto& ch : d.choices) want += (want.empty() ? "" : ", ") + ("\"" + ch + "\"");
        std::string msg = "found " + describe(v) + ", expected one of " + want;
        const auto near = nearest(s, d.choices);
        if (!near.empty()) msg += " (did you mean \"" + near + "\"?)";
        c.problem(path, msg);
        return;
      }
      d.assign(p, static_cast<double>(it - d.choices.begin()));
      return;
    }
    case ParamKind::integer:
    case ParamKind::real: {
      std::string want = std::string(d.kind == ParamKind::integer ? "an integer" : "a number") + " in [" +
                         fmt_num(d.min) + ", " + fmt_num(d.max) + "]";
      if (d.unit != Unit::none && d.unit != Unit::share) want += " (" + std::string(unit_name(d.unit)) + ")";
      if (!v.is_number() || v.is_boolean()) {
        c.problem(path, "found " + describe(v) + ", expected " + want);
        return;
      }
      const double x = v.get<double>();
      if (!std::isfinite(x) || x < d.min || x > d.max ||
          (d.kind == ParamKind::integer && x != std::floor(x))) {
        c.problem(path, "found " + describe(v) + ", expected " + want);
        return;
      }
      d.assign(p, x);
      return;
    }
  }
}

void walk_params(Checker& c, const json& obj, const KeyNode& node, const std::string& path, Params& p) {
  std::vector<std::string> allowed;
  for (const auto& [k, _] : node.children) allowed.push_back(k);
  if (auto it = structural_keys().find(path); it != structural_keys().end())
    allowed.insert(allowed.end(), it->second.begin(), it->second.end());
  if (path.empty()) allowed.push_back("shocks");
  c.only_keys(obj, path, allowed);
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const auto child = node.children.find(it.key());
    if (child == node.children.end()) continue;  // structural or unknown (reported)
    const std::string sub = Checker::join(path, it.key());
    if (child->second.leaf) {
      assign_leaf(c, *child->second.leaf, it.value(), sub, p);
    } else if (c.expect_object(it.value(), sub)) {
      walk_params(c, it.value(), child->second, sub, p);
    }
  }
}

// National age shares (CBS 85984NED, 1 Jan 2024) used where a buurt gives only a total.
constexpr std::array<double, cbs_age_group_count> kNationalAgeShares = {
    2714040.0 / 17942942, 2202159.0 / 17942942, 4586399.0 / 17942942, 4763116.0 / 17942942,
    3677228.0 / 17942942};

std::array<int, cbs_age_group_count> split_by_national_shares(int residents) {
  std::array<int, cbs_age_group_count> out{};
  int assigned = 0;
  for (int g = 0; g < cbs_age_group_count; ++g) {
    out[static_cast<std::size_t>(g)] = static_cast<int>(std::floor(residents * kNationalAgeShares[static_cast<std::size_t>(g)]));
    assigned += out[static_cast<std::size_t>(g)];
  }
  out[2] += residents - assigned;  // rounding remainder to the largest group
  return out;
}

// Unit codes are written unquoted into logs and used as keys everywhere: no separators,
// quotes or control characters.
void check_code(Checker& c, const std::string& path, const std::string& code) {
  for (char ch : code) {
    if (ch == ',' || ch == '"' || ch == ';' || static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) {
      c.problem(Checker::join(path, "code"), "found " + describe(json(code)) +
                                                 ", expected a code without commas, quotes, semicolons, line breaks or other control characters");
      return;
    }
  }
}

void read_buurt(Checker& c, const json& b, const std::string& path, BuurtSpec& out) {
  if (!c.expect_object(b, path)) return;
  c.only_keys(b, path, {"code", "name", "residents", "age", "deprivation", "meeting_places", "owner_occupied",
                        "recorded_crime_per_1000"});
  if (auto s = c.get_string(b, "code", path, true)) {
    out.code = *s;
    check_code(c, path, out.code);
  }
  out.name = c.get_string(b, "name", path, false).value_or(out.code);
  auto total = c.get_number(b, "residents", path, 0, 5e7, false, true);
  bool have_age = false;
  if (b.contains("age")) {
    const std::string apath = Checker::join(path, "age");
    if (c.expect_object(b["age"], apath)) {
      std::vector<std::string> groups(cbs_age_groups.begin(), cbs_age_groups.end());
      c.only_keys(b["age"], apath, groups);
      have_age = true;
      for (int g = 0; g < cbs_age_group_count; ++g) {
        auto v = c.get_number(b["age"], cbs_age_groups[static_cast<std::size_t>(g)], apath, 0, 5e7, true, true);
        if (!v) have_age = false;
        else out.age[static_cast<std::size_t>(g)] = static_cast<int>(*v);
      }
    }
  }
  if (!total && !have_age && !b.contains("residents")) {
    c.problem(Checker::join(path, "residents"), "missing, expected residents (an integer) or age (an object of CBS age groups)");
  }
  if (have_age) {
    int sum = 0;
    for (int a : out.age) sum += a;
    if (total) {
      // CBS rounds every count to a multiple of 5, so the groups may not add up exactly.
      const int tolerance = std::max(25, static_cast<int>(0.05 * *total));
      if (std::abs(sum - static_cast<int>(*total)) > tolerance)
        c.problem(Checker::join(path, "age"), "age groups add up to " + std::to_string(sum) +
                                                  ", expected about residents = " + std::to_string(static_cast<int>(*total)) +
                                                  " (within " + std::to_string(tolerance) + ")");
      out.residents = static_cast<int>(*total);
    } else {
      out.residents = sum;
    }
  } else if (total) {
    out.residents = static_cast<int>(*total);
    out.age = split_by_national_shares(out.residents);
  }
  if (auto d = c.get_number(b, "deprivation", path, 0, 1, false)) out.deprivation = *d;
  if (auto m = c.get_number(b, "meeting_places", path, 0, 1000, false, true)) out.meeting_places = static_cast<int>(*m);
  if (auto o = c.get_number(b, "owner_occupied", path, 0, 1, false)) out.owner_occupied = *o;
  if (auto r = c.get_number(b, "recorded_crime_per_1000", path, 0, 1e5, false)) out.recorded_crime_per_1000 = *r;
}

int class_index(const std::string& s) {
  if (s == "green") return 0;
  if (s == "orange") return 1;
  if (s == "red") return 2;
  return -1;
}

constexpr double kMaxGeneratedBuurten = 100000;  // in the message below too

void generate_city(Checker& c, const json& g, const std::string& path, CitySpec& city) {
  if (!c.expect_object(g, path)) return;
  c.only_keys(g, path, {"wijken", "buurten_per_wijk", "residents_per_buurt", "deprivation", "seed"});
  const int wijken = static_cast<int>(c.get_number(g, "wijken", path, 1, 100000, true, true).value_or(0));
  constexpr CityGeneration def = city_generation_defaults;
  double bmin = def.buurten_min, bmax = def.buurten_max;
  if (g.contains("buurten_per_wijk")) {
    const auto p = Checker::join(path, "buurten_per_wijk");
    if (c.expect_array(g["buurten_per_wijk"], p) && g["buurten_per_wijk"].size() == 2) {
      bmin = c.number(g["buurten_per_wijk"][0], Checker::index(p, 0), 1, 1000, true).value_or(bmin);
      bmax = c.number(g["buurten_per_wijk"][1], Checker::index(p, 1), 1, 1000, true).value_or(bmax);
    } else if (g["buurten_per_wijk"].is_array()) {
      c.problem(p, "found " + std::to_string(g["buurten_per_wijk"].size()) + " values, expected [min, max]");
    }
  }
  double median = def.residents_median, sigma = def.residents_sigma, rmin = def.residents_min, rmax = def.residents_max;
  if (g.contains("residents_per_buurt")) {
    const auto p = Checker::join(path, "residents_per_buurt");
    if (c.expect_object(g["residents_per_buurt"], p)) {
      const auto& r = g["residents_per_buurt"];
      c.only_keys(r, p, {"median", "sigma", "min", "max"});
      median = c.get_number(r, "median", p, 1, 1e7, false).value_or(median);
      sigma = c.get_number(r, "sigma", p, 0, 5, false).value_or(sigma);
      rmin = c.get_number(r, "min", p, 0, 1e7, false, true).value_or(rmin);
      rmax = c.get_number(r, "max", p, 0, 1e8, false, true).value_or(rmax);
      if (rmin > rmax) c.problem(p, "min " + fmt_num(rmin) + " exceeds max " + fmt_num(rmax));
    }
  }
  double dlo = def.deprivation_low, dhi = def.deprivation_high;
  if (g.contains("deprivation")) {
    const auto p = Checker::join(path, "deprivation");
    if (c.expect_array(g["deprivation"], p) && g["deprivation"].size() == 2) {
      dlo = c.number(g["deprivation"][0], Checker::index(p, 0), 0, 1, false).value_or(dlo);
      dhi = c.number(g["deprivation"][1], Checker::index(p, 1), 0, 1, false).value_or(dhi);
    } else if (g["deprivation"].is_array()) {
      c.problem(p, "expected [low, high]");
    }
  }
  const auto seed = static_cast<std::uint64_t>(
      c.get_number(g, "seed", path, 0, 2147483647, false, true).value_or(static_cast<double>(def.seed)));
  if (bmin > bmax) c.problem(Checker::join(path, "buurten_per_wijk"), "min exceeds max");
  // Refused before anything is generated: 100000 wijken of 1000 buurten would take gigabytes
  // of buurt specs before the population check could run. The Netherlands has about 14,500.
  if (static_cast<double>(wijken) * bmax > kMaxGeneratedBuurten)
    c.problem(path, "up to " + std::to_string(static_cast<long long>(wijken * bmax)) +
                        " buurten (wijken x buurten_per_wijk max), expected at most 100000");
  if (!c.problems().empty() || wijken <= 0) return;
  // The generated city depends on its own seed only, so it is the same in every replicate.
  const std::uint64_t key = stream_key(seed, 0, Stream::city);
  for (int w = 0; w < wijken; ++w) {
    CounterRng rng(key, EntityId{0, static_cast<std::uint32_t>(w)}, 0);
    WijkSpec wijk;
    char code[32];
    std::snprintf(code, sizeof code, "WK%06d", w);
    wijk.code = code;
    wijk.name = "Wijk " + std::to_string(w + 1);
    const int nb = static_cast<int>(bmin + std::floor(rng.uniform() * (bmax - bmin + 1)));
    const double wijk_dep = dlo + (dhi - dlo) * rng.uniform();
    for (int b = 0; b < nb; ++b) {
      BuurtSpec buurt;
      std::snprintf(code, sizeof code, "BU%06d%02d", w, b);
      buurt.code = code;
      buurt.name = wijk.name + " buurt " + std::to_string(b + 1);
      // Box-Muller on two counter draws: lognormal buurt sizes.
      const double u1 = std::max(rng.uniform(), 1e-12), u2 = rng.uniform();
      const double z = std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
      buurt.residents = static_cast<int>(std::clamp(median * std::exp(sigma * z), rmin, rmax));
      buurt.age = split_by_national_shares(buurt.residents);
      buurt.deprivation = std::clamp(wijk_dep + def.buurt_deprivation_spread * (rng.uniform() - 0.5), 0.0, 1.0);
      wijk.buurten.push_back(buurt);
    }
    city.wijken.push_back(std::move(wijk));
  }
}

void read_city(Checker& c, const json& doc, CitySpec& city) {
  if (!doc.contains("city")) {
    c.problem("city", "missing: a scenario must describe its city (wijken with buurten, or city.generate)");
    return;
  }
  const json& cj = doc["city"];
  if (!c.expect_object(cj, "city")) return;
  c.only_keys(cj, "city", {"code", "name", "credit", "wijken", "generate"});
  city.code = c.get_string(cj, "code", "city", false).value_or("city");
  check_code(c, "city", city.code);
  city.name = c.get_string(cj, "name", "city", false).value_or(city.code);
  city.credit = c.get_string(cj, "credit", "city", false).value_or("");
  if (cj.contains("wijken") && cj.contains("generate"))
    c.problem("city", "both wijken and generate given, expected one of them");
  if (cj.contains("generate")) {
    generate_city(c, cj["generate"], "city.generate", city);
    return;
  }
  if (!cj.contains("wijken")) {
    c.problem("city.wijken", "missing, expected an array of wijken (or city.generate)");
    return;
  }
  if (!c.expect_array(cj["wijken"], "city.wijken")) return;
  if (cj["wijken"].empty()) c.problem("city.wijken", "empty, expected at least one wijk");
  std::set<std::string> codes;
  for (std::size_t w = 0; w < cj["wijken"].size(); ++w) {
    const auto& wj = cj["wijken"][w];
    const std::string wp = Checker::index("city.wijken", w);
    if (!c.expect_object(wj, wp)) continue;
    c.only_keys(wj, wp, {"code", "name", "class", "buurten"});
    WijkSpec wijk;
    if (auto s = c.get_string(wj, "code", wp, true)) {
      wijk.code = *s;
      check_code(c, wp, wijk.code);
    }
    wijk.name = c.get_string(wj, "name", wp, false).value_or(wijk.code);
    if (auto cl = c.get_string(wj, "class", wp, false)) {
      wijk.wijk_class = class_index(*cl);
      if (wijk.wijk_class < 0) {
        std::string msg = "found \"" + *cl + "\", expected one of \"green\", \"orange\", \"red\"";
        const auto near = nearest(*cl, {"green", "orange", "red"});
        if (!near.empty()) msg += " (did you mean \"" + near + "\"?)";
        c.problem(Checker::join(wp, "class"), msg);
      }
    }
    if (!wijk.code.empty() && !codes.insert(wijk.code).second)
      c.problem(Checker::join(wp, "code"), "duplicate code \"" + wijk.code + "\", expected codes to be unique");
    if (!wj.contains("buurten")) {
      c.problem(Checker::join(wp, "buurten"), "missing, expected an array of buurten");
    } else if (c.expect_array(wj["buurten"], Checker::join(wp, "buurten"))) {
      if (wj["buurten"].empty()) c.problem(Checker::join(wp, "buurten"), "empty, expected at least one buurt");
      for (std::size_t b = 0; b < wj["buurten"].size(); ++b) {
        BuurtSpec buurt;
        const std::string bp = Checker::index(Checker::join(wp, "buurten"), b);
        read_buurt(c, wj["buurten"][b], bp, buurt);
        if (!buurt.code.empty() && !codes.insert(buurt.code).second)
          c.problem(Checker::join(bp, "code"), "duplicate code \"" + buurt.code + "\", expected codes to be unique");
        wijk.buurten.push_back(std::move(buurt));
      }
    }
    city.wijken.push_back(std::move(wijk));
  }
}

bool read_bool(Checker& c, const json& obj, const std::string& key, const std::string& path, bool fallback) {
  if (!obj.contains(key)) return fallback;
  if (!obj[key].is_boolean()) {
    c.problem(Checker::join(path, key), "found " + describe(obj[key]) + ", expected true or false");
    return fallback;
  }
  return obj[key].get<bool>();
}

PhaseKind phase_kind_of(Checker& c, const std::string& s, const std::string& path, bool& ok) {
  for (std::size_t i = 0; i < phase_kind_names.size(); ++i)
    if (s == phase_kind_names[i]) return static_cast<PhaseKind>(i);
  std::vector<std::string> names(phase_kind_names.begin(), phase_kind_names.end());
  std::string msg = "found \"" + s + "\", expected one of urgentie, uitnodigen, visievorming, randvoorwaarden, uitvoeren";
  const auto near = nearest(s, names);
  if (!near.empty()) msg += " (did you mean \"" + near + "\"?)";
  c.problem(path, msg);
  ok = false;
  return PhaseKind::uitvoeren;
}

void read_phases(Checker& c, const json& arr, std::vector<PhaseSpec>& phases) {
  const std::string path = "programme.phases";
  if (!c.expect_array(arr, path)) return;
  if (arr.empty()) c.problem(path, "empty, expected at least one phase");
  phases.clear();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string p = Checker::index(path, i);
    const auto& pj = arr[i];
    if (!c.expect_object(pj, p)) continue;
    c.only_keys(pj, p, {"name", "kind", "min_weeks", "max_weeks", "exit_reached_share", "activities",
                        "monitoring", "budget_open", "mobilising", "styled", "aligning", "organising"});
    bool ok = true;
    PhaseSpec ph;
    const auto kind = c.get_string(pj, "kind", p, true);
    if (kind) ph.kind = phase_kind_of(c, *kind, Checker::join(p, "kind"), ok);
    // Defaults come from the same kind in the wendbaar plan, so a phase needs only its kind.
    for (const auto& d : preset_phases(PlanPreset::wendbaar))
      if (d.kind == ph.kind) ph = d;
    ph.name = c.get_string(pj, "name", p, false).value_or(kind.value_or("phase"));
    ph.min_weeks = c.get_number(pj, "min_weeks", p, 0, 5200, false).value_or(ph.min_weeks);
    ph.max_weeks = c.get_number(pj, "max_weeks", p, 0, 5200, false).value_or(ph.max_weeks);
    if (pj.contains("exit_reached_share") && pj["exit_reached_share"].is_null()) ph.exit_reached_share = -1;  // no exit condition
    else ph.exit_reached_share = c.get_number(pj, "exit_reached_share", p, 0, 1, false).value_or(ph.exit_reached_share);
    if (ph.max_weeks > 0 && ph.min_weeks > ph.max_weeks)
      c.problem(Checker::join(p, "min_weeks"), "min_weeks " + fmt_num(ph.min_weeks) + " exceeds max_weeks " +
                                                   fmt_num(ph.max_weeks) + ", expected min_weeks <= max_weeks");
    if (pj.contains("activities")) {
      const std::string ap = Checker::join(p, "activities");
      if (c.expect_object(pj["activities"], ap)) {
        const auto& a = pj["activities"];
        c.only_keys(a, ap, {"outreach", "vision", "support", "projects"});
        ph.activities.outreach = c.get_number(a, "outreach", ap, 0, 1, false).value_or(0);
        ph.activities.vision = c.get_number(a, "vision", ap, 0, 1, false).value_or(0);
        ph.activities.support = c.get_number(a, "support", ap, 0, 1, false).value_or(0);
        ph.activities.projects = c.get_number(a, "projects", ap, 0, 1, false).value_or(0);
        const double sum = ph.activities.outreach + ph.activities.vision + ph.activities.support + ph.activities.projects;
        if (sum <= 0) c.problem(ap, "all zero, expected activity weights with a positive sum");
      }
    }
    ph.monitoring = read_bool(c, pj, "monitoring", p, ph.monitoring);
    ph.budget_open = read_bool(c, pj, "budget_open", p, ph.budget_open);
    ph.mobilising = read_bool(c, pj, "mobilising", p, ph.mobilising);
    ph.styled = read_bool(c, pj, "styled", p, ph.styled);
    ph.aligning = read_bool(c, pj, "aligning", p, ph.aligning);
    ph.organising = read_bool(c, pj, "organising", p, ph.organising);
    phases.push_back(ph);
  }
}

void read_roles(Checker& c, const json& arr, std::vector<RoleSpec>& roles) {
  const std::string path = "staff.roles";
  if (!c.expect_array(arr, path)) return;
  roles.clear();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string p = Checker::index(path, i);
    const auto& rj = arr[i];
    if (!c.expect_object(rj, p)) continue;
    c.only_keys(rj, p, {"role", "employer", "domain", "fte_per_10k", "programme", "visible", "leader", "coordinator"});
    RoleSpec r;
    r.role = c.get_string(rj, "role", p, true).value_or("");
    r.employer = c.get_string(rj, "employer", p, false).value_or(role_defaults.employer);
    r.domain = c.get_string(rj, "domain", p, false).value_or(role_defaults.domain);
    r.fte_per_10k = c.get_number(rj, "fte_per_10k", p, 0, 1000, false).value_or(role_defaults.fte_per_10k);
    r.programme = read_bool(c, rj, "programme", p, role_defaults.programme);
    r.visible = read_bool(c, rj, "visible", p, role_defaults.visible);
    r.leader = read_bool(c, rj, "leader", p, role_defaults.leader);
    r.coordinator = read_bool(c, rj, "coordinator", p, role_defaults.coordinator);
    if (r.leader && r.coordinator) c.problem(Checker::join(p, "coordinator"), "a role is either the process leader or a coordinator, not both");
    if (r.leader && !r.programme) c.problem(Checker::join(p, "leader"), "a process leader must be a programme role (programme: true)");
    roles.push_back(r);
  }
}

void read_shocks(Checker& c, const json& arr, std::vector<ShockSpec>& shocks, const CitySpec& city) {
  const std::string path = "shocks";
  if (!c.expect_array(arr, path)) return;
  std::set<std::string> wijk_codes;
  for (const auto& w : city.wijken) wijk_codes.insert(w.code);
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string p = Checker::index(path, i);
    const auto& sj = arr[i];
    if (!c.expect_object(sj, p)) continue;
    c.only_keys(sj, p, {"kind", "year", "week", "magnitude", "duration_weeks", "wijken"});
    ShockSpec s;
    if (auto k = c.get_string(sj, "kind", p, true)) {
      bool found = false;
      for (std::size_t j = 0; j < shock_kind_names.size(); ++j)
        if (*k == shock_kind_names[j]) {
          s.kind = static_cast<ShockKind>(j);
          found = true;
        }
      if (!found) {
        std::vector<std::string> names(shock_kind_names.begin(), shock_kind_names.end());
        std::string msg = "found \"" + *k + "\", expected one of budget_cut, incident_wave, staff_change, stop";
        const auto near = nearest(*k, names);
        if (!near.empty()) msg += " (did you mean \"" + near + "\"?)";
        c.problem(Checker::join(p, "kind"), msg);
      }
    }
    if (sj.contains("year") && sj.contains("week")) c.problem(p, "both year and week given, expected one");
    if (auto y = c.get_number(sj, "year", p, 0, 100, false)) s.week = *y * weeks_per_year;
    else if (auto w = c.get_number(sj, "week", p, 0, 5200, false, true)) s.week = *w;
    else if (!sj.contains("year") && !sj.contains("week")) c.problem(Checker::join(p, "year"), "missing, expected year or week of the shock");
    const ShockPreset& preset = shock_presets[static_cast<std::size_t>(s.kind)];
    s.magnitude = c.get_number(sj, "magnitude", p, 0, 100, false).value_or(preset.magnitude);
    s.duration_weeks = c.get_number(sj, "duration_weeks", p, 0, 5200, false).value_or(preset.duration_weeks);
    if ((s.kind == ShockKind::budget_cut || s.kind == ShockKind::staff_change) && s.magnitude > 1)
      c.problem(Checker::join(p, "magnitude"), "found " + fmt_num(s.magnitude) + ", expected a share in [0, 1] for " + shock_kind_names[static_cast<std::size_t>(s.kind)]);
    if (sj.contains("wijken") && c.expect_array(sj["wijken"], Checker::join(p, "wijken"))) {
      for (std::size_t j = 0; j < sj["wijken"].size(); ++j) {
        const auto& v = sj["wijken"][j];
        const auto wp = Checker::index(Checker::join(p, "wijken"), j);
        if (!v.is_string()) c.problem(wp, "found " + describe(v) + ", expected a wijk code");
        else if (!wijk_codes.count(v.get<std::string>()))
          c.problem(wp, "unknown wijk \"" + v.get<std::string>() + "\", expected a code from city.wijken");
        else s.wijken.push_back(v.get<std::string>());
      }
    }
    shocks.push_back(s);
  }
}

std::vector<std::string> read_codes(Checker& c, const json& obj, const std::string& key, const std::string& path,
                                    const std::set<std::string>& valid, const char* what) {
  std::vector<std::string> out;
  if (!obj.contains(key)) return out;
  const std::string p = Checker::join(path, key);
  if (!c.expect_array(obj[key], p)) return out;
  std::vector<std::string> cands(valid.begin(), valid.end());
  for (std::size_t i = 0; i < obj[key].size(); ++i) {
    const auto& v = obj[key][i];
    const auto ip = Checker::index(p, i);
    if (!v.is_string()) {
      c.problem(ip, "found " + describe(v) + ", expected a " + what + " code");
      continue;
    }
    const auto s = v.get<std::string>();
    if (!valid.count(s)) {
      std::string msg = "unknown " + std::string(what) + " \"" + s + "\", expected a code from city";
      const auto near = nearest(s, cands);
      if (!near.empty()) msg += " (did you mean \"" + near + "\"?)";
      c.problem(ip, msg);
      continue;
    }
    out.push_back(s);
  }
  return out;
}

bool valid_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  const int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

ojson phase_json(const PhaseSpec& p) {
  ojson j = {{"name", p.name}, {"kind", phase_kind_names[static_cast<std::size_t>(p.kind)]},
             {"min_weeks", p.min_weeks}, {"max_weeks", p.max_weeks}};
  j["exit_reached_share"] = p.exit_reached_share >= 0 ? ojson(p.exit_reached_share) : ojson(nullptr);  // null: none
  j["activities"] = {{"outreach", p.activities.outreach}, {"vision", p.activities.vision},
                     {"support", p.activities.support}, {"projects", p.activities.projects}};
  j["monitoring"] = p.monitoring;
  j["budget_open"] = p.budget_open;
  j["mobilising"] = p.mobilising;
  j["styled"] = p.styled;
  j["aligning"] = p.aligning;
  j["organising"] = p.organising;
  return j;
}

ojson role_json(const RoleSpec& ro) {
  return {{"role", ro.role}, {"employer", ro.employer}, {"domain", ro.domain}, {"fte_per_10k", ro.fte_per_10k},
          {"programme", ro.programme}, {"visible", ro.visible}, {"leader", ro.leader}, {"coordinator", ro.coordinator}};
}

// A real parameter in the user's unit as recorded and hashed: the shortest decimal that, assigned
// back, gives the very double the model uses. Unit conversions add noise in the last digits
// (0.1 years read back as 0.09999999999999999), which this removes; values that differ in the
// model keep different text (no rounding to a fixed number of digits).
// `probe` is a scratch copy of p, left as it was.
double recorded_value(const ParamDef& d, const Params& p, Params& probe) {
  const double v = d.read(p);
  if (!std::isfinite(v)) return v;
  const double used = *d.real(const_cast<Params&>(p));
  double found = v;
  for (int digits = 1; digits <= 17; ++digits) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    const double candidate = std::strtod(buf, nullptr);
    d.assign(probe, candidate);
    if (std::memcmp(d.real(probe), &used, sizeof used) == 0) {
      found = candidate;
      break;
    }
  }
  *d.real(probe) = used;
  return found;
}

// Every value in the user's units, for the manifest and the hash.
ojson resolve(const ScenarioSpec& s) {
  ojson r;
  Params probe = s.params;
  r["name"] = s.name;
  if (!s.description.empty()) r["description"] = s.description;
  r["start_date"] = s.start_date;
  for (const auto& d : param_table()) {
    ojson* node = &r;
    std::size_t start = 0;
    for (;;) {
      const std::size_t dot = d.path.find('.', start);
      const std::string key = d.path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      if (dot == std::string::npos) {
        const double v = d.read(s.params);
        switch (d.kind) {
          case ParamKind::boolean: (*node)[key] = v != 0; break;
          case ParamKind::choice: (*node)[key] = d.choices.at(static_cast<std::size_t>(v)); break;
          case ParamKind::integer: (*node)[key] = static_cast<long long>(v); break;
          case ParamKind::real: (*node)[key] = recorded_value(d, s.params, probe); break;
        }
        break;
      }
      node = &(*node)[key];
      start = dot + 1;
    }
  }
  ojson phases = ojson::array();
  for (const auto& p : s.phases) phases.push_back(phase_json(p));
  r["programme"]["phases"] = phases;
  r["programme"]["start_buurten"] = s.programme_start_buurten;
  r["programme"]["wijken"] = s.programme_wijken;
  ojson roles = ojson::array();
  for (const auto& ro : s.roles) roles.push_back(role_json(ro));
  r["staff"]["roles"] = roles;
  ojson shocks = ojson::array();
  for (const auto& sh : s.shocks)
    shocks.push_back({{"kind", shock_kind_names[static_cast<std::size_t>(sh.kind)]}, {"week", sh.week},
                      {"magnitude", sh.magnitude}, {"duration_weeks", sh.duration_weeks}, {"wijken", sh.wijken}});
  r["shocks"] = shocks;
  ojson city;
  city["code"] = s.city.code;
  city["name"] = s.city.name;
  if (!s.city.credit.empty()) city["credit"] = s.city.credit;
  ojson wijken = ojson::array();
  const char* classes[] = {"green", "orange", "red"};
  for (const auto& w : s.city.wijken) {
    ojson wj;
    wj["code"] = w.code;
    wj["name"] = w.name;
    if (w.wijk_class >= 0) wj["class"] = classes[w.wijk_class];
    ojson bs = ojson::array();
    for (const auto& b : w.buurten) {
      ojson age;
      for (int g = 0; g < cbs_age_group_count; ++g) age[cbs_age_groups[static_cast<std::size_t>(g)]] = b.age[static_cast<std::size_t>(g)];
      ojson bj = {{"code", b.code}, {"name", b.name}, {"residents", b.residents}, {"age", age},
                  {"deprivation", b.deprivation}, {"meeting_places", b.meeting_places}};
      if (b.owner_occupied >= 0) bj["owner_occupied"] = b.owner_occupied;
      if (b.recorded_crime_per_1000 >= 0) bj["recorded_crime_per_1000"] = b.recorded_crime_per_1000;
      bs.push_back(bj);
    }
    wj["buurten"] = bs;
    wijken.push_back(wj);
  }
  city["wijken"] = wijken;
  r["city"] = city;
  return r;
}

// nlohmann::json parses iteratively, but copying, comparing and dumping a value recurse once
// per level: a hostile file of a million nested arrays would overflow the stack. Scenarios
// are a few levels deep, so anything deeper than this is refused before it is parsed.
constexpr std::size_t kMaxJsonDepth = 256;

// Where `text` first nests deeper than kMaxJsonDepth (brackets inside strings do not count),
// as "line L, column C", or empty when it stays within the limit.
std::string too_deep_at(const std::string& text) {
  std::size_t depth = 0, line = 1, col = 0;
  bool in_string = false, escaped = false;
  for (char ch : text) {
    if (ch == '\n') {
      ++line;
      col = 0;
    } else {
      ++col;
    }
    if (in_string) {
      if (escaped) escaped = false;
      else if (ch == '\\') escaped = true;
      else if (ch == '"') in_string = false;
      continue;
    }
    if (ch == '"') in_string = true;
    else if (ch == '[' || ch == '{') {
      if (++depth > kMaxJsonDepth) return "line " + std::to_string(line) + ", column " + std::to_string(col);
    } else if ((ch == ']' || ch == '}') && depth > 0) {
      --depth;
    }
  }
  return {};
}

// Applies one --set to the document; array indices are written as numbers in the path.
void apply_override(json& doc, const Override& o, std::vector<Problem>& problems) {
  json value;
  if (!too_deep_at(o.value).empty()) {
    problems.push_back({"--set " + o.path, o.path, "value nested deeper than " + std::to_string(kMaxJsonDepth) +
                                                       " levels, expected a number, string or small object"});
    return;
  }
  try {
    value = json::parse(o.value);
  } catch (const json::exception&) {
    // A bare word is a string: --set programme.plan=hengelo. It must be UTF-8 like any JSON
    // string, or writing the resolved scenario would fail later.
    if (invalid_utf8_at(o.value) != std::string::npos) {
      problems.push_back({"--set " + o.path, o.path, "value is not UTF-8 text, expected a number, true/false, JSON or UTF-8 text"});
      return;
    }
    value = o.value;
  }
  json* node = &doc;
  std::size_t start = 0;
  std::string walked;
  for (;;) {
    const std::size_t dot = o.path.find('.', start);
    const std::string key = o.path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    const bool last = dot == std::string::npos;
    if (key.empty()) {
      problems.push_back({"--set " + o.text(), o.path, "empty path segment, expected a dotted path like building_blocks.trust"});
      return;
    }
    if (node->is_array()) {
      // from_chars, not stoul: an index too long for 64 bits is bad input, not std::out_of_range.
      std::size_t index = 0;
      const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), index);
      if (ec != std::errc() || end != key.data() + key.size() || index >= node->size()) {
        problems.push_back({"--set " + o.text(), walked + "." + key,
                            "expected an index below " + std::to_string(node->size()) + " into " + walked});
        return;
      }
      node = &(*node)[index];
    } else {
      if (!node->is_object()) *node = json::object();
      if (last) {
        (*node)[key] = value;
        return;
      }
      node = &(*node)[key];
    }
    if (last) {
      *node = value;
      return;
    }
    walked += (walked.empty() ? "" : ".") + key;
    start = dot + 1;
  }
}

}  // namespace

std::size_t invalid_utf8_at(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return i;
      const auto b = static_cast<unsigned char>(s[i + k]);
      if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return i;
    }
    i += n + 1;
  }
  return std::string::npos;
}

std::string checker_path(const std::string& dotted) {
  std::string out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = dotted.find('.', start);
    const std::string key = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    const bool numeric = !key.empty() && std::all_of(key.begin(), key.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); });
    if (numeric) out += "[" + key + "]";
    else out += (out.empty() ? "" : ".") + key;
    if (dot == std::string::npos) return out;
    start = dot + 1;
  }
}

std::string nearest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = std::string::npos;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  return best_d <= limit ? best : std::string();
}

Override parse_override(const std::string& arg) {
  const auto eq = arg.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError(std::vector<Problem>{{"--set", arg, "expected PATH=VALUE, e.g. building_blocks.trust=0.3"}});
  return Override{arg.substr(0, eq), arg.substr(eq + 1)};
}

json read_json_file(const std::string& file) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (invalid_utf8_at(file) != std::string::npos)
    throw InputError(std::vector<Problem>{{file, "", "the file name is not valid UTF-8, expected a UTF-8 name (outputs record it in JSON); rename the file"}});
  if (!fs::exists(file, ec)) throw InputError(std::vector<Problem>{{file, "", "no such file"}});
  if (fs::is_directory(file, ec)) throw InputError(std::vector<Problem>{{file, "", "is a directory, expected a JSON file"}});
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(std::vector<Problem>{{file, "", "cannot be read"}});
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse_json_text(std::move(text), file);
}

namespace {

// Line and JSON path (city.wijken[0].residents) of the first number in `text` too large for a
// double; line 0 if none. The parser reports such a number without saying where it is.
std::pair<std::size_t, std::string> locate_overflow(const std::string& text) {
  struct Frame {
    bool object;
    std::string key;
    std::size_t index = 0;
  };
  std::vector<Frame> stack;
  std::size_t line = 1;
  bool in_key = false;
  auto path = [&] {
    std::string p;
    for (const auto& f : stack) {
      if (f.object) p += (p.empty() ? "" : ".") + f.key;
      else p += "[" + std::to_string(f.index) + "]";
    }
    return p;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == '\n') {
      ++line;
    } else if (ch == '"') {
      std::string str;
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
        else str += text[i];
      }
      if (in_key && !stack.empty() && stack.back().object) stack.back().key = str;
    } else if (ch == '{') {
      stack.push_back({true, "", 0});
      in_key = true;
    } else if (ch == '[') {
      stack.push_back({false, "", 0});
    } else if (ch == '}' || ch == ']') {
      if (!stack.empty()) stack.pop_back();
    } else if (ch == ',') {
      if (!stack.empty() && stack.back().object) in_key = true;
      else if (!stack.empty()) ++stack.back().index;
    } else if (ch == ':') {
      in_key = false;
    } else if (ch == '-' || (ch >= '0' && ch <= '9')) {
      std::size_t end = i;
      while (end < text.size() && std::strchr("+-0123456789.eE", text[end]) && text[end] != 0) ++end;
      const double v = std::strtod(text.substr(i, end - i).c_str(), nullptr);
      if (!std::isfinite(v)) return {line, path()};
      i = end - 1;
    }
  }
  return {0, ""};
}

}  // namespace

json parse_json_text(std::string text, const std::string& file) {
  // A UTF-8 byte-order mark is common in files saved on Windows: accept it.
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  if (const std::string at = too_deep_at(text); !at.empty())
    throw InputError(std::vector<Problem>{{file, "", "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels at " + at +
                                                         ", expected a scenario a few levels deep"}});
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    std::size_t line = 1, col = 1;
    const std::size_t end = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    for (std::size_t i = 0; i < end; ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    std::string what = e.what();
    const auto pos = what.find("syntax error");
    if (pos != std::string::npos) what = what.substr(pos);
    throw InputError(std::vector<Problem>{{file, "", "invalid JSON at line " + std::to_string(line) + ", column " +
                                                         std::to_string(col) + ": " + what}});
  } catch (const json::out_of_range& e) {
    // A number too large for a double (1e999): the parser names it but not where it is.
    std::string what = e.what();
    const auto pos = what.find("number overflow");
    if (pos != std::string::npos) what = what.substr(pos);
    const auto [line, path] = locate_overflow(text);
    if (line > 0)
      throw InputError(std::vector<Problem>{{file, path, "at line " + std::to_string(line) + ": " + what +
                                                             ", expected a finite number (at most about 1.8e308)"}});
    throw InputError(std::vector<Problem>{{file, "", "invalid JSON: " + what + ", expected a finite number"}});
  }
}

ScenarioSpec load_scenario_file(const std::string& file, const std::vector<Override>& overrides) {
  return load_scenario_json(read_json_file(file), file, overrides);
}

ScenarioSpec load_scenario_json(const json& input, const std::string& file, const std::vector<Override>& overrides) {
  json doc = input;
  std::vector<Problem> set_problems;
  std::set<std::string> overridden;
  if (!doc.is_object())
    throw InputError(std::vector<Problem>{{file, "", "found " + describe(doc) + " at the top level, expected an object"}});
  // An override into one phase or role of a preset (programme.phases.1.max_weeks) needs the
  // preset written out first, so there is an array to index into.
  auto preset_plan = [&] {
    std::string plan = "wendbaar";
    if (doc.contains("programme") && doc["programme"].is_object() && doc["programme"].contains("plan") &&
        doc["programme"]["plan"].is_string())
      plan = doc["programme"]["plan"].get<std::string>();
    for (const auto& o : overrides)
      if (o.path == "programme.plan") plan = o.value.size() > 1 && o.value.front() == '"' ? o.value.substr(1, o.value.size() - 2) : o.value;
    return plan == "hengelo" ? PlanPreset::hengelo : plan == "top-down" ? PlanPreset::top_down : PlanPreset::wendbaar;
  };
  for (const auto& o : overrides) {
    const bool into_phases = o.path.rfind("programme.phases.", 0) == 0;
    const bool into_roles = o.path.rfind("staff.roles.", 0) == 0;
    if (into_phases && !(doc.contains("programme") && doc["programme"].is_object() && doc["programme"].contains("phases"))) {
      json arr = json::array();
      for (const auto& ph : preset_phases(preset_plan())) arr.push_back(json(phase_json(ph)));
      if (!doc.contains("programme") || !doc["programme"].is_object()) doc["programme"] = json::object();
      doc["programme"]["phases"] = arr;
    }
    if (into_roles && !(doc.contains("staff") && doc["staff"].is_object() && doc["staff"].contains("roles"))) {
      json arr = json::array();
      for (const auto& ro : default_roles()) arr.push_back(json(role_json(ro)));
      if (!doc.contains("staff") || !doc["staff"].is_object()) doc["staff"] = json::object();
      doc["staff"]["roles"] = arr;
    }
  }
  for (const auto& o : overrides) {
    apply_override(doc, o, set_problems);
    overridden.insert(checker_path(o.path));
  }
  Checker c(file, overridden);
  ScenarioSpec s;
  s.source_file = file;
  s.params = default_params();
  s.name = c.get_string(doc, "name", "", false).value_or(std::filesystem::path(file).stem().string());
  s.description = c.get_string(doc, "description", "", false).value_or("");
  (void)c.get_string(doc, "notes", "", false);
  if (auto d = c.get_string(doc, "start_date", "", false)) {
    if (!valid_date(*d)) c.problem("start_date", "found \"" + *d + "\", expected a calendar date YYYY-MM-DD (year 1 or later)");
    else s.start_date = *d;
  }
  walk_params(c, doc, param_tree(), "", s.params);
  read_city(c, doc, s.city);

  std::set<std::string> buurt_codes, wijk_codes;
  for (const auto& w : s.city.wijken) {
    wijk_codes.insert(w.code);
    for (const auto& b : w.buurten) buurt_codes.insert(b.code);
  }
  const auto& prog = doc.contains("programme") && doc["programme"].is_object() ? doc["programme"] : json::object();
  if (prog.contains("phases")) read_phases(c, prog["phases"], s.phases);
  else s.phases = preset_phases(static_cast<PlanPreset>(s.params.programme.plan));
  s.programme_start_buurten = read_codes(c, prog, "start_buurten", "programme", buurt_codes, "buurt");
  s.programme_wijken = read_codes(c, prog, "wijken", "programme", wijk_codes, "wijk");
  const auto& staff = doc.contains("staff") && doc["staff"].is_object() ? doc["staff"] : json::object();
  if (staff.contains("roles")) read_roles(c, staff["roles"], s.roles);
  else s.roles = default_roles();
  if (doc.contains("shocks")) read_shocks(c, doc["shocks"], s.shocks, s.city);

  // Contradictions between values that are each valid alone.
  const auto& p = s.params;
  if (p.network.ties_min > p.network.ties_max)
    c.problem("network.ties_min", "ties_min " + fmt_num(p.network.ties_min) + " exceeds ties_max " + fmt_num(p.network.ties_max));
  if (p.initiatives.cost_min > p.initiatives.cost_max)
    c.problem("initiatives.cost_min", "cost_min exceeds cost_max");
  if (p.initiatives.theme_physical + p.initiatives.theme_social > 1 + 1e-9)
    c.problem("initiatives.theme_social", "theme_physical + theme_social = " +
                                              fmt_num(p.initiatives.theme_physical + p.initiatives.theme_social) + ", expected at most 1");
  if (p.classes[0].deprivation_max > p.classes[1].deprivation_max)
    c.problem("classes.green.deprivation_max", "exceeds classes.orange.deprivation_max, expected green <= orange");
  if (p.governance.first_election_after > p.governance.election_interval + 1e-9)
    c.problem("governance.first_election_after", "later than one election interval, expected at most governance.election_interval");
  if (p.governance.decision_weeks_anchored > p.governance.decision_weeks_unanchored)
    c.problem("governance.decision_weeks_anchored", "exceeds decision_weeks_unanchored, expected anchoring to speed decisions up");
  if (p.incidents.disorder_min > p.incidents.disorder_max)
    c.problem("incidents.disorder_min", "exceeds incidents.disorder_max");
  if (!s.phases.empty()) {
    double before_execution = 0;
    for (const auto& ph : s.phases) before_execution += ph.kind == PhaseKind::uitvoeren ? 0 : ph.min_weeks;
    if (s.params.programme.enabled && before_execution > s.params.building_blocks.long_breath + 1e-9 &&
        s.params.building_blocks.long_breath > 0)
      c.problem("programme.phases", "the phases before uitvoeren need at least " + fmt_num(before_execution) +
                                        " weeks but building_blocks.long_breath is " +
                                        fmt_num(s.params.building_blocks.long_breath) + " weeks, expected a plan that fits the programme");
  }
  if (s.params.programme.rollout_after > 0 && s.programme_start_buurten.empty())
    c.problem("programme.rollout_after", "set, but programme.start_buurten is empty: expected start buurten to roll out from");
  long long adults = 0;
  for (const auto& w : s.city.wijken)
    for (const auto& b : w.buurten) adults += b.adults();
  if (c.problems().empty() && adults == 0 && !s.city.wijken.empty())
    c.problem("city", "no residents aged 15+ in any buurt, expected at least one to simulate");
  // Residents are numbered with 32-bit rows.
  if (adults > 200'000'000LL) c.problem("city", "has " + std::to_string(adults) + " residents aged 15+, expected at most 200,000,000");

  std::vector<Problem> all = set_problems;
  all.insert(all.end(), c.problems().begin(), c.problems().end());
  if (!all.empty()) throw InputError(all);
  s.resolved = resolve(s);
  const std::string dump = s.resolved.dump();
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a64(dump.data(), dump.size())));
  s.hash = hex;
  return s;
}

}  // namespace wijksim
