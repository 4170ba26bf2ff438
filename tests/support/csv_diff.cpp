#include "csv_diff.hpp"

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <unordered_map>

namespace wijksim::test {

namespace {

struct Row {
  std::string key, value;
};

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

Row split_row(const std::string& line) {
  const std::size_t comma = line.rfind(',');
  if (comma == std::string::npos) return {line, ""};
  return {line.substr(0, comma), line.substr(comma + 1)};
}

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

std::string difference(const std::string& a, const std::string& b) {
  char* ea = nullptr;
  char* eb = nullptr;
  const double x = std::strtod(a.c_str(), &ea), y = std::strtod(b.c_str(), &eb);
  if (a.empty() || b.empty() || *ea != '\0' || *eb != '\0') return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%+.6g", y - x);
  return buf;
}

}  // namespace

CsvDiff diff_timeseries(const std::string& golden, const std::string& fresh, std::size_t max_examples,
                        const std::string& left, const std::string& right) {
  CsvDiff d;
  d.left = left;
  d.right = right;
  d.identical = golden == fresh;
  const auto g = split_lines(golden), n = split_lines(fresh);
  d.golden_rows = g.empty() ? 0 : g.size() - 1;
  d.new_rows = n.empty() ? 0 : n.size() - 1;
  if (d.identical) return d;
  d.header_differs = g.empty() || n.empty() || g[0] != n[0];
  const std::size_t key_width = 48;
  auto example = [&](const std::string& key, const std::string& gv, const std::string& nv) {
    if (d.examples.size() >= max_examples) return;
    d.examples.push_back("  " + pad(key, key_width) + " " + pad(gv, 24) + " " + pad(nv, 24) + " " + difference(gv, nv));
  };
  std::unordered_map<std::string, std::size_t> new_index;  // key -> line number in the new file
  for (std::size_t i = 1; i < n.size(); ++i) new_index.emplace(split_row(n[i]).key, i);
  std::unordered_map<std::string, bool> seen;
  for (std::size_t i = 1; i < g.size(); ++i) {
    const Row gr = split_row(g[i]);
    seen[gr.key] = true;
    const auto it = new_index.find(gr.key);
    if (it == new_index.end()) {
      ++d.only_golden;
      example(gr.key, gr.value, "(missing)");
      continue;
    }
    const Row nr = split_row(n[it->second]);
    if (nr.value != gr.value) {
      ++d.differing;
      example(gr.key, gr.value, nr.value);
    }
  }
  for (std::size_t i = 1; i < n.size(); ++i) {
    const Row nr = split_row(n[i]);
    if (!seen.count(nr.key)) {
      ++d.only_new;
      example(nr.key, "(missing)", nr.value);
    }
  }
  d.order_differs = !d.header_differs && d.differing == 0 && d.only_golden == 0 && d.only_new == 0;
  return d;
}

std::string CsvDiff::report() const {
  std::ostringstream os;
  if (identical) {
    os << "identical (" << golden_rows << " rows)\n";
    return os.str();
  }
  os << "timeseries differs (" << left << " vs " << right << "): " << differing << " of " << golden_rows
     << " rows have a different value";
  if (only_golden) os << ", " << only_golden << " rows only in " << left;
  if (only_new) os << ", " << only_new << " rows only in " << right;
  os << " (" << left << " " << golden_rows << " rows, " << right << " " << new_rows << " rows)\n";
  if (header_differs) os << "  the header line differs\n";
  if (order_differs) os << "  same rows and values, but in a different order or with different line endings\n";
  if (!examples.empty()) {
    os << "  " << pad("replicate,week,level,unit,metric", 48) << " " << pad(left, 24) << " " << pad(right, 24) << " "
       << right << " - " << left << "\n";
    for (const auto& e : examples) os << e << "\n";
    const std::size_t total = differing + only_golden + only_new;
    if (total > examples.size()) os << "  ... and " << total - examples.size() << " more\n";
  }
  return os.str();
}

}  // namespace wijksim::test
