#include "sections.hpp"

#include <algorithm>
#include <cstdlib>

#include "wijksim/scenario/nearest_key.hpp"

namespace wijksim::scenario_sections {

using json = nlohmann::json;

namespace {

// Unit codes are written unquoted into logs and used as keys everywhere: no separators,
// quotes or control characters.
void check_code(JsonChecker& c, const std::string& path, const std::string& code) {
  for (char ch : code) {
    if (ch == ',' || ch == '"' || ch == ';' || static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) {
      c.problem(JsonChecker::join(path, "code"), "found " + describe(json(code)) +
                                                 ", expected a code without commas, quotes, semicolons, line breaks or other control characters");
      return;
    }
  }
}

void read_buurt(JsonChecker& c, const json& b, const std::string& path, BuurtSpec& out) {
  if (!c.expect_object(b, path)) return;
  c.only_keys(b, path, {"code", "name", "residents", "age", "deprivation", "meeting_places", "owner_occupied",
                        "recorded_crime_per_1000"});
  if (auto s = c.string(b, "code", path, true, true)) {
    out.code = *s;
    check_code(c, path, out.code);
  }
  out.name = c.string(b, "name", path, false, true).value_or(out.code);
  auto total = c.integer(b, "residents", path, 0, 50000000, false);
  bool have_age = false;
  if (b.contains("age")) {
    const std::string apath = JsonChecker::join(path, "age");
    if (c.expect_object(b["age"], apath)) {
      std::vector<std::string> groups(cbs_age_groups.begin(), cbs_age_groups.end());
      c.only_keys(b["age"], apath, groups);
      have_age = true;
      for (int g = 0; g < cbs_age_group_count; ++g) {
        auto v = c.integer(b["age"], cbs_age_groups[static_cast<std::size_t>(g)], apath, 0, 50000000, true);
        if (!v) have_age = false;
        else out.age[static_cast<std::size_t>(g)] = static_cast<int>(*v);
      }
    }
  }
  if (!total && !have_age && !b.contains("residents")) {
    c.problem(JsonChecker::join(path, "residents"), "missing, expected residents (an integer) or age (an object of CBS age groups)");
  }
  if (have_age) {
    int sum = 0;
    for (int a : out.age) sum += a;
    if (total) {
      // CBS rounds every count to a multiple of 5, so the groups may not add up exactly.
      const int tolerance = std::max(25, static_cast<int>(0.05 * static_cast<double>(*total)));
      if (std::abs(sum - static_cast<int>(*total)) > tolerance)
        c.problem(JsonChecker::join(path, "age"), "age groups add up to " + std::to_string(sum) +
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
  if (auto d = c.number(b, "deprivation", path, 0, 1, false)) out.deprivation = *d;
  if (auto m = c.integer(b, "meeting_places", path, 0, 1000, false)) out.meeting_places = static_cast<int>(*m);
  if (auto o = c.number(b, "owner_occupied", path, 0, 1, false)) out.owner_occupied = *o;
  if (auto r = c.number(b, "recorded_crime_per_1000", path, 0, 1e5, false)) out.recorded_crime_per_1000 = *r;
}

int class_index(const std::string& s) {
  if (s == "green") return 0;
  if (s == "orange") return 1;
  if (s == "red") return 2;
  return -1;
}

}  // namespace

void read_city(JsonChecker& c, const json& doc, CitySpec& city) {
  if (!doc.contains("city")) {
    c.problem("city", "missing: a scenario must describe its city (wijken with buurten, or city.generate)");
    return;
  }
  const json& cj = doc["city"];
  if (!c.expect_object(cj, "city")) return;
  c.only_keys(cj, "city", {"code", "name", "credit", "wijken", "generate"});
  city.code = c.string(cj, "code", "city", false, true).value_or("city");
  check_code(c, "city", city.code);
  city.name = c.string(cj, "name", "city", false, true).value_or(city.code);
  city.credit = c.string(cj, "credit", "city", false, true).value_or("");
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
    const std::string wp = JsonChecker::index("city.wijken", w);
    if (!c.expect_object(wj, wp)) continue;
    c.only_keys(wj, wp, {"code", "name", "class", "buurten"});
    WijkSpec wijk;
    if (auto s = c.string(wj, "code", wp, true, true)) {
      wijk.code = *s;
      check_code(c, wp, wijk.code);
    }
    wijk.name = c.string(wj, "name", wp, false, true).value_or(wijk.code);
    if (auto cl = c.string(wj, "class", wp, false, true)) {
      wijk.wijk_class = class_index(*cl);
      if (wijk.wijk_class < 0) {
        std::string msg = "found \"" + *cl + "\", expected one of \"green\", \"orange\", \"red\"";
        const auto near = nearest(*cl, {"green", "orange", "red"});
        if (!near.empty()) msg += " (did you mean \"" + near + "\"?)";
        c.problem(JsonChecker::join(wp, "class"), msg);
      }
    }
    if (!wijk.code.empty() && !codes.insert(wijk.code).second)
      c.problem(JsonChecker::join(wp, "code"), "duplicate code \"" + wijk.code + "\", expected codes to be unique");
    if (!wj.contains("buurten")) {
      c.problem(JsonChecker::join(wp, "buurten"), "missing, expected an array of buurten");
    } else if (c.expect_array(wj["buurten"], JsonChecker::join(wp, "buurten"))) {
      if (wj["buurten"].empty()) c.problem(JsonChecker::join(wp, "buurten"), "empty, expected at least one buurt");
      for (std::size_t b = 0; b < wj["buurten"].size(); ++b) {
        BuurtSpec buurt;
        const std::string bp = JsonChecker::index(JsonChecker::join(wp, "buurten"), b);
        read_buurt(c, wj["buurten"][b], bp, buurt);
        if (!buurt.code.empty() && !codes.insert(buurt.code).second)
          c.problem(JsonChecker::join(bp, "code"), "duplicate code \"" + buurt.code + "\", expected codes to be unique");
        wijk.buurten.push_back(std::move(buurt));
      }
    }
    city.wijken.push_back(std::move(wijk));
  }
}

}  // namespace wijksim::scenario_sections
