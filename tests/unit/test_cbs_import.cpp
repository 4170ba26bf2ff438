// The CBS importer (io/cbs_import): the CSV reader for both KWB dialects, column lookup by
// name, error messages with file, line and column, and the scenario it builds.
// Fixtures: tests/fixtures (Bron: CBS, Kerncijfers wijken en buurten 2024 (85984NED)).
// Tests tagged [data] read the CBS tables shipped in data/cbs.
#include <catch2/catch.hpp>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "test_support.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/io/cbs_import.hpp"
#include "wijksim/io/cbs_indicators.hpp"
#include "wijksim/scenario/load.hpp"

using namespace wijksim;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

fs::path fixture(const std::string& name) { return test::source_dir() / "tests" / "fixtures" / name; }
fs::path shipped_data() { return test::source_dir() / "data" / "cbs"; }

using wijksim::test::contains;

std::string input_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

const json* find_code(const json& arr, const std::string& code) {
  for (const auto& x : arr)
    if (x["code"] == code) return &x;
  return nullptr;
}

cbs::KwbData sample() { return cbs::read_kwb(fixture("kwb-2024-sample.csv").string(), cbs::KwbNeeds::population); }

json import(const cbs::KwbData& kwb, const std::string& gemeente, std::vector<std::string> wijken = {},
            const cbs::KwbData* income = nullptr) {
  cbs::ImportOptions o;
  o.gemeente = gemeente;
  o.wijken = std::move(wijken);
  o.income = income;
  return json::parse(cbs::build_scenario(kwb, o).scenario.dump());
}

// Writes the table back as CSV with the given separator and column order.
std::string to_csv(const cbs::CsvTable& t, const std::vector<std::size_t>& order, char sep) {
  std::ostringstream os;
  auto row = [&](const std::vector<std::string>& r) {
    for (std::size_t i = 0; i < order.size(); ++i) os << (i ? std::string(1, sep) : "") << '"' << r[order[i]] << '"';
    os << "\n";
  };
  row(t.header);
  for (const auto& r : t.rows) row(r);
  return os.str();
}

}  // namespace

TEST_CASE("cbs: the fixture reads with BOM, padding and CRLF handled", "[cbs]") {
  const auto table = cbs::read_csv(fixture("kwb-2024-sample.csv").string());
  CHECK(table.separator == ';');
  REQUIRE(table.header.size() == 13);
  CHECK(table.header[0] == "Wijken en buurten");  // BOM stripped
  const auto kwb = cbs::parse_kwb(table, cbs::KwbNeeds::population);
  bool found = false;
  for (const auto& r : kwb.regions)
    if (r.code == "BU01640202") {
      found = true;
      CHECK(r.name == "De Noork");
      CHECK(r.gemeente_name == "Hengelo (O.)");  // padding trimmed
      CHECK(r.kind == cbs::RegionKind::buurt);
      CHECK(r.residents == 2140);
      CHECK(r.age == std::array<int, 5>{290, 320, 715, 530, 280});
    }
  CHECK(found);
  const auto gems = cbs::gemeenten(kwb);
  REQUIRE(gems.size() == 2);
  CHECK(gems[0] == std::make_pair(std::string("GM0164"), std::string("Hengelo (O.)")));
}

TEST_CASE("cbs: Hengelo by name and by code gives WK016402 with De Noork, and it loads", "[cbs]") {
  const auto kwb = sample();
  for (const std::string g : {"Hengelo (O.)", "hengelo (o.)", "GM0164", "0164", "gm0164", "164"}) {
    INFO("--gemeente " << g);
    const json doc = import(kwb, g);
    CHECK(doc["name"] == "hengelo-o");
    CHECK(doc["city"]["code"] == "GM0164");
    CHECK(doc["city"]["name"] == "Hengelo (O.)");
    CHECK(doc["city"]["credit"] == cbs::kCredit);
    CHECK(contains(doc["notes"].get<std::string>(), cbs::kCredit));
    const json* wijk = find_code(doc["city"]["wijken"], "WK016402");
    REQUIRE(wijk);
    CHECK((*wijk)["name"] == "Wijk 02 Noord");
    CHECK((*wijk)["buurten"].size() == 5);
    const json* noork = find_code((*wijk)["buurten"], "BU01640202");
    REQUIRE(noork);
    CHECK((*noork)["name"] == "De Noork");
    CHECK((*noork)["residents"] == 2140);
    CHECK((*noork)["age"]["25-45"] == 715);
    CHECK_FALSE(noork->contains("deprivation"));
    const auto spec = load_scenario_json(doc, "imported.json");
    CHECK(spec.city.wijken.size() == 1);
    CHECK(spec.city.wijken[0].buurten[2].deprivation == Approx(0.4));
  }
}

TEST_CASE("cbs: empty buurten and wijken are left out and counted in notes", "[cbs]") {
  const auto kwb = sample();
  const json doc = import(kwb, "Hengelo (O.)");
  CHECK(find_code(doc["city"]["wijken"], "WK016407") == nullptr);
  const std::string notes = doc["notes"];
  CHECK(contains(notes, "1 buurt with 0 residents left out"));
  CHECK(contains(notes, "1 wijk without residents left out"));
  CHECK(contains(notes, "deprivation is the engine's default (0.4)"));
  // Only the empty wijk: nothing to simulate.
  const std::string err = input_error([&] { import(kwb, "Hengelo (O.)", {"WK016407"}); });
  CHECK(contains(err, "no residents"));
  CHECK(contains(err, "WK016407"));
}

TEST_CASE("cbs: codes with letters and --wijk selection", "[cbs]") {
  const auto kwb = sample();
  const json doc = import(kwb, "Amsterdam", {"wk0363aa"});
  REQUIRE(doc["city"]["wijken"].size() == 1);
  CHECK(doc["city"]["wijken"][0]["code"] == "WK0363AA");
  CHECK(find_code(doc["city"]["wijken"][0]["buurten"], "BU0363AA01"));
  CHECK_NOTHROW(load_scenario_json(doc, "amsterdam.json"));
  const std::string err = input_error([&] { import(kwb, "Hengelo (O.)", {"WK016499"}); });
  CHECK(contains(err, "unknown wijk code \"WK016499\""));
  CHECK(contains(err, "WK016402"));
  CHECK(contains(err, "WK016407"));
}

TEST_CASE("cbs: an unknown gemeente lists the nearest names", "[cbs]") {
  const auto kwb = sample();
  std::string err = input_error([&] { import(kwb, "Amsterdm"); });
  CHECK(contains(err, "unknown gemeente \"Amsterdm\""));
  CHECK(contains(err, "\"Amsterdam\""));
  err = input_error([&] { import(kwb, "GM9999"); });
  CHECK(contains(err, "unknown gemeente"));
  CHECK(contains(err, "nearest names"));
}

TEST_CASE("cbs: columns are found by name in any order and either separator", "[cbs]") {
  const auto table = cbs::read_csv(fixture("kwb-2024-sample.csv").string());
  std::vector<std::size_t> reversed;
  for (std::size_t i = table.header.size(); i-- > 0;) reversed.push_back(i);
  const auto shuffled = cbs::parse_csv(to_csv(table, reversed, ','), "shuffled.csv");
  CHECK(shuffled.separator == ',');
  const auto a = import(sample(), "GM0164");
  const auto b = import(cbs::parse_kwb(shuffled, cbs::KwbNeeds::population), "GM0164");
  CHECK(a == b);
  // R-style names ("Regioaanduiding.Codering..code.") are the same columns.
  CHECK(cbs::column_key("Regioaanduiding.Codering..code.") == cbs::column_key("Regioaanduiding/Codering (code)"));
}

TEST_CASE("cbs: numbers in both dialects", "[cbs]") {
  bool ok = true;
  CHECK(cbs::parse_number("2,1", ok).value() == Approx(2.1));
  CHECK(ok);
  CHECK(cbs::parse_number(" 17942942 ", ok).value() == 17942942);
  CHECK_FALSE(cbs::parse_number("NA", ok).has_value());
  CHECK(ok);
  CHECK_FALSE(cbs::parse_number("         .", ok).has_value());
  CHECK(ok);
  CHECK_FALSE(cbs::parse_number("", ok).has_value());
  CHECK(ok);
  CHECK_FALSE(cbs::parse_number("veel", ok).has_value());
  CHECK_FALSE(ok);
}

TEST_CASE("cbs: a truncated row names file, line and column", "[cbs]") {
  std::string text = test::read_file(fixture("kwb-2024-sample.csv"));
  text = text.substr(0, text.size() - 12);  // cut the last row after a few of its fields
  const std::string err = input_error([&] { cbs::parse_csv(text, "cut.csv"); });
  CHECK(contains(err, "cut.csv"));
  CHECK(contains(err, "line 15"));
  CHECK(contains(err, "column \"Bevolking/Leeftijdsgroepen/"));
  CHECK(contains(err, "truncated"));
  // A file ending inside quotes.
  const std::string err2 = input_error([&] { cbs::parse_csv("\"a\";\"b\"\n\"x\";\"unfinished\n", "q.csv"); });
  CHECK(contains(err2, "q.csv: line 2"));
  CHECK(contains(err2, "unterminated"));
}

TEST_CASE("cbs: a missing column, bad counts and non-KWB files are input errors", "[cbs]") {
  const auto table = cbs::read_csv(fixture("kwb-2024-sample.csv").string());
  std::vector<std::size_t> without_65;
  for (std::size_t i = 0; i + 1 < table.header.size(); ++i) without_65.push_back(i);
  std::string err = input_error([&] {
    cbs::parse_kwb(cbs::parse_csv(to_csv(table, without_65, ';'), "no65.csv"), cbs::KwbNeeds::population);
  });
  CHECK(contains(err, "no65.csv: line 1, column \"Bevolking/Leeftijdsgroepen/65 jaar of ouder (aantal)\""));
  CHECK(contains(err, "missing from the header"));

  auto bad = table;
  bad.file = "bad.csv";
  bad.rows[3][5] = "veel";
  err = input_error([&] { cbs::parse_kwb(bad, cbs::KwbNeeds::population); });
  CHECK(contains(err, "bad.csv: line 5, column \"Bevolking/Aantal inwoners (aantal)\""));
  CHECK(contains(err, "\"veel\""));

  err = input_error([&] { cbs::parse_kwb(cbs::parse_csv("a,b,c\n1,2,3\n", "other.csv"), cbs::KwbNeeds::population); });
  CHECK(contains(err, "other.csv"));
  CHECK(contains(err, "not a CBS Kerncijfers wijken en buurten export"));

  err = input_error([&] { cbs::read_csv("/nonexistent/kwb.csv"); });
  CHECK(contains(err, "/nonexistent/kwb.csv"));
}

TEST_CASE("cbs: age groups far off the total are scaled to it by largest remainder", "[cbs]") {
  const std::string csv =
      "Wijken en buurten;Regioaanduiding/Soort regio (omschrijving);Regioaanduiding/Codering (code);"
      "Bevolking/Aantal inwoners (aantal);Bevolking/Leeftijdsgroepen/0 tot 15 jaar (aantal);"
      "Bevolking/Leeftijdsgroepen/15 tot 25 jaar (aantal);Bevolking/Leeftijdsgroepen/25 tot 45 jaar (aantal);"
      "Bevolking/Leeftijdsgroepen/45 tot 65 jaar (aantal);Bevolking/Leeftijdsgroepen/65 jaar of ouder (aantal)\n"
      "\"Testdorp\";\"Gemeente\";\"GM9990\";1110;0;0;0;0;0\n"
      "\"Wijk 00\";\"Wijk\";\"WK999000\";1110;0;0;0;0;0\n"
      "\"Off\";\"Buurt\";\"BU99900000\";1000;100;100;200;200;200\n"    // sums to 800
      "\"Rounded\";\"Buurt\";\"BU99900001\";100;15;10;30;25;10\n"      // 90: within 25, kept
      "\"No ages\";\"Buurt\";\"BU99900002\";10;.;.;.;.;.\n";
  const auto kwb = cbs::parse_kwb(cbs::parse_csv(csv, "t.csv"), cbs::KwbNeeds::population);
  const json doc = import(kwb, "Testdorp");
  const auto& b = doc["city"]["wijken"][0]["buurten"];
  int sum = 0;
  for (const auto& [k, v] : b[0]["age"].items()) sum += v.get<int>();
  CHECK(sum == 1000);
  CHECK(b[0]["age"]["0-15"] == 125);
  CHECK(b[0]["age"]["65+"] == 250);
  CHECK(b[1]["age"]["0-15"] == 15);
  CHECK_FALSE(b[2].contains("age"));
  const std::string notes = doc["notes"];
  CHECK(contains(notes, "In 1 buurt the CBS age groups"));
  CHECK(contains(notes, "1 buurt without age groups"));
  CHECK_NOTHROW(load_scenario_json(doc, "t.json"));
}

TEST_CASE("cbs: deprivation from the low-income share, matched by code or by name", "[cbs]") {
  CHECK(cbs::deprivation_from_low_income(8) == Approx(0.4));
  CHECK(cbs::deprivation_from_low_income(0) == 0);
  CHECK(cbs::deprivation_from_low_income(35) == 1);
  const auto income = cbs::read_kwb(fixture("kwb-2019-amsterdam-sample.csv").string(), cbs::KwbNeeds::income);
  CHECK(income.has_low_income);
  const json doc = import(sample(), "Amsterdam", {}, &income);
  const auto& buurten = doc["city"]["wijken"][0]["buurten"];
  // 2024 codes (BU0363AA01) differ from 2019's (BU03630505): matched by name in Amsterdam,
  // "Planciusbuurt-Noord" and "Planciusbuurt Noord" being the same name.
  for (const auto& b : buurten) {
    INFO(b.dump());
    REQUIRE(b.contains("deprivation"));
    CHECK(b["deprivation"].get<double>() >= 0);
    CHECK(b["deprivation"].get<double>() <= 1);
  }
  CHECK(contains(doc["notes"].get<std::string>(), "low-income households"));
  CHECK_NOTHROW(load_scenario_json(doc, "a.json"));
  // Hengelo is not in the income file: every buurt keeps the default and notes say so.
  const json hengelo = import(sample(), "GM0164", {}, &income);
  CHECK(contains(hengelo["notes"].get<std::string>(), "keep the default 0.4"));
}

TEST_CASE("cbs: slugs", "[cbs]") {
  CHECK(cbs::slug("Hengelo (O.)") == "hengelo-o");
  CHECK(cbs::slug("'s-Hertogenbosch") == "s-hertogenbosch");
  CHECK(cbs::slug("Súdwest-Fryslân") == "sudwest-fryslan");
}

TEST_CASE("cbs: every gemeente of the shipped 2024 file imports and loads", "[cbs][data]") {
  const fs::path file = shipped_data() / "cbs-kwb-2024-bevolking.csv";
  const auto kwb = cbs::read_kwb(file.string(), cbs::KwbNeeds::population);
  const auto gems = cbs::gemeenten(kwb);
  REQUIRE(gems.size() == 342);
  long long residents = 0;
  for (const auto& [code, name] : gems) {
    INFO(code << " " << name);
    cbs::ImportOptions o;
    o.gemeente = code;
    const auto res = cbs::build_scenario(kwb, o);
    residents += res.residents;
    const auto spec = load_scenario_json(json::parse(res.scenario.dump()), code + ".json");
    CHECK(spec.city.code == code);
  }
  CHECK(residents == 17942915);  // the sum over buurten (data/cbs/README.md)

  // Hengelo from the real file.
  cbs::ImportOptions o;
  o.gemeente = "Hengelo (O.)";
  const json doc = json::parse(cbs::build_scenario(kwb, o).scenario.dump());
  const json* wijk = find_code(doc["city"]["wijken"], "WK016402");
  REQUIRE(wijk);
  const json* noork = find_code((*wijk)["buurten"], "BU01640202");
  REQUIRE(noork);
  CHECK((*noork)["residents"] == 2140);
}

TEST_CASE("cbs: --all gives the whole country with unique codes", "[cbs][data]") {
  const fs::path file = shipped_data() / "cbs-kwb-2024-bevolking.csv";
  const auto kwb = cbs::read_kwb(file.string(), cbs::KwbNeeds::population);
  cbs::ImportOptions o;
  o.all = true;
  const auto res = cbs::build_scenario(kwb, o);
  CHECK(res.scenario["city"]["code"] == "NL00");
  CHECK(res.residents == 17942915);
  CHECK(res.empty_buurten == 478);
  std::set<std::string> codes;
  for (const auto& w : res.scenario["city"]["wijken"]) {
    CHECK(codes.insert(w["code"].get<std::string>()).second);
    for (const auto& b : w["buurten"]) CHECK(codes.insert(b["code"].get<std::string>()).second);
  }
}

TEST_CASE("cbs: Amsterdam with deprivation from the 2019 income export", "[cbs][data]") {
  const fs::path file = shipped_data() / "cbs-kwb-2024-bevolking.csv";
  const fs::path income_file = shipped_data() / "cbs-kwb-2019-amsterdam.csv";
  const auto kwb = cbs::read_kwb(file.string(), cbs::KwbNeeds::population);
  const auto income = cbs::read_kwb(income_file.string(), cbs::KwbNeeds::income);
  cbs::ImportOptions o;
  o.gemeente = "Amsterdam";
  o.income = &income;
  const auto res = cbs::build_scenario(kwb, o);
  CHECK(res.deprivation_matched > res.buurten / 2);
  CHECK_NOTHROW(load_scenario_json(json::parse(res.scenario.dump()), "amsterdam.json"));
}

TEST_CASE("cbs: a partial gemeente name suggests the full one first", "[cbs]") {
  const std::string err = input_error([&] { import(sample(), "Hengelo"); });
  CHECK(contains(err, "nearest names: \"Hengelo (O.)\""));
}

// ---- real places: deprivation and crime from data/cbs/cbs-buurt-2024-indicators.csv ----------

namespace {
const cbs::IndicatorTable& shipped_indicators() {
  static const cbs::IndicatorTable t = cbs::read_indicators((shipped_data() / "cbs-buurt-2024-indicators.csv").string());
  return t;
}
const cbs::KwbData& shipped_kwb() {
  static const cbs::KwbData k = cbs::read_kwb((shipped_data() / "cbs-kwb-2024-bevolking.csv").string(), cbs::KwbNeeds::population);
  return k;
}
json import_real(const std::string& gemeente, std::vector<std::string> wijken = {}) {
  cbs::ImportOptions o;
  o.gemeente = gemeente;
  o.wijken = std::move(wijken);
  o.indicators = &shipped_indicators();
  return json::parse(cbs::build_scenario(shipped_kwb(), o).scenario.dump());
}
}  // namespace

TEST_CASE("cbs indicators: the national resident-weighted mean deprivation is the engine's centre 0.4", "[cbs][data]") {
  cbs::ImportOptions o;
  o.all = true;
  o.indicators = &shipped_indicators();
  const auto res = cbs::build_scenario(shipped_kwb(), o);
  double sum = 0, residents = 0;
  int low = 0, high = 0;
  for (const auto& w : res.scenario["city"]["wijken"])
    for (const auto& b : w["buurten"]) {
      const double d = b["deprivation"].get<double>();
      sum += d * b["residents"].get<double>();
      residents += b["residents"].get<double>();
      low += d < 0.1;
      high += d > 0.9;
    }
  // Exact by construction only over the buurten with housing data; the suppressed ones take
  // their wijk's value, so a small deviation remains.
  CHECK(sum / residents == Approx(0.4).margin(0.01));
  CHECK(low > 500);   // the spread is real: both ends are populated
  CHECK(high > 500);
  CHECK(res.housing_from_buurt > 12000);
  CHECK(res.housing_from_wijk + res.housing_from_gemeente > 0);
  CHECK(shipped_indicators().national_crime_per_1000 == Approx(43.2).margin(0.1));
}

TEST_CASE("cbs indicators: Hengelo-Noord's buurten are ranked as their housing data say", "[cbs][data]") {
  // De Noork: WOZ EUR 207k against a national buurt median of about 402k, 34% owner-occupied;
  // 't Rot: WOZ 476k, 70% owner-occupied; Klein Driene: 204k, 6% owner-occupied.
  const json doc = import_real("GM0164", {"WK016402"});
  const json* wijk = find_code(doc["city"]["wijken"], "WK016402");
  REQUIRE(wijk);
  auto dep = [&](const char* code) { return (*find_code((*wijk)["buurten"], code))["deprivation"].get<double>(); };
  CHECK(dep("BU01640202") > 0.85);              // De Noork
  CHECK(dep("BU01640204") < 0.3);               // 't Rot
  CHECK(dep("BU01640203") > dep("BU01640202"));  // Klein Driene: cheaper and almost all rented
  const json& noork = *find_code((*wijk)["buurten"], "BU01640202");
  CHECK(noork["owner_occupied"].get<double>() == Approx(0.34));
  // 48 crimes per 1,000 in the raw figures, pulled a little toward the wijk's rate.
  CHECK(noork["recorded_crime_per_1000"].get<double>() == Approx(46).margin(3));
  CHECK(contains(doc["notes"].get<std::string>(), "5 buurten from their own figures"));
  CHECK(contains(doc["city"]["credit"].get<std::string>(), "Politie"));
  CHECK_NOTHROW(load_scenario_json(doc, "hengelo.json"));
}

TEST_CASE("cbs indicators: a buurt CBS suppressed takes its wijk's value and the notes say so", "[cbs][data]") {
  // Find a buurt with residents but no published WOZ value, and import its gemeente.
  std::string gemeente, code;
  for (const auto& r : shipped_kwb().regions) {
    if (r.kind != cbs::RegionKind::buurt || r.residents < 50) continue;
    auto it = shipped_indicators().buurten.find(r.code);
    if (it != shipped_indicators().buurten.end() && !it->second.woz) {
      code = r.code;
      gemeente = "GM" + r.code.substr(2, 4);
      break;
    }
  }
  REQUIRE(!code.empty());
  INFO(code);
  const json doc = import_real(gemeente);
  bool found = false;
  for (const auto& w : doc["city"]["wijken"])
    for (const auto& b : w["buurten"])
      if (b["code"] == code) {
        found = true;
        CHECK(b.contains("deprivation"));
        CHECK(b.contains("recorded_crime_per_1000"));
      }
  CHECK(found);
  CHECK(contains(doc["notes"].get<std::string>(), "suppressed by CBS"));
}

TEST_CASE("cbs indicators: crime of a buurt with few residents is pooled with its wijk", "[cbs]") {
  // A business park: 20 residents and 300 crimes a year would be 15,000 per 1,000 on its own.
  cbs::IndicatorTable t;
  t.file = "indicators.csv";
  t.years = {"2021", "2024"};
  cbs::BuurtIndicators park, homes;
  park.residents = 20;
  park.crimes_per_year = 300;
  park.woz = 300;
  park.owner_occupied = 50;
  homes.residents = 4000;
  homes.crimes_per_year = 120;  // 30 per 1,000
  homes.woz = 300;
  homes.owner_occupied = 50;
  t.buurten["BU01640200"] = homes;
  t.buurten["BU01640202"] = park;
  t.woz.add(300, 1);
  t.woz.finish();
  t.rental.add(50, 1);
  t.rental.finish();
  t.score.add(0.5, 1);
  t.score.finish();
  t.national_crime_per_1000 = 43;
  cbs::ImportOptions o;
  o.gemeente = "GM0164";
  o.indicators = &t;
  const json doc = json::parse(cbs::build_scenario(sample(), o).scenario.dump());
  const json* wijk = find_code(doc["city"]["wijken"], "WK016402");
  REQUIRE(wijk);
  const double park_rate = (*find_code((*wijk)["buurten"], "BU01640202"))["recorded_crime_per_1000"].get<double>();
  // (300 + 500 x wijk rate) / (20 + 500), wijk rate = 420 / 4020 per resident.
  CHECK(park_rate == Approx((300 + 500 * 420.0 / 4020) / 520 * 1000).margin(0.1));
  CHECK(park_rate < 1000);
}

TEST_CASE("cbs indicators: a missing column names the file and the column", "[cbs]") {
  test::TempDir dir("cbs-indicators-bad");
  const fs::path f = dir.path() / "ind.csv";
  std::ofstream(f) << "buurtcode,inwoners,wozWaarde\nBU01640202,2140,207\n";
  const std::string err = input_error([&] { cbs::read_indicators(f.string()); });
  CHECK(contains(err, f.string()));
  CHECK(contains(err, "koopwoningen"));
  CHECK(contains(err, "misdrijven_2021"));
}

TEST_CASE("cbs indicators: the shipped scenarios carry what import-cbs derives today", "[cbs][data]") {
  // tools/scenarios/refresh_real_places.py writes them; a changed formula must be re-run.
  const json shipped = json::parse(test::read_file(test::source_dir() / "scenarios" / "hengelo-noord.json"));
  const json fresh = import_real("GM0164", {"WK016402"});
  for (const auto& b : shipped["city"]["wijken"][0]["buurten"]) {
    INFO(b["code"]);
    const json* f = find_code(fresh["city"]["wijken"][0]["buurten"], b["code"].get<std::string>());
    REQUIRE(f);
    for (const char* key : {"deprivation", "owner_occupied", "recorded_crime_per_1000"}) CHECK(b[key] == (*f)[key]);
  }
}
