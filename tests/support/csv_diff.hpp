#pragma once
// A readable comparison of two timeseries.csv files (replicate,week,level,unit,metric,value):
// rows are matched by their key (the first five columns) and the values set side by side.
#include <cstddef>
#include <string>
#include <vector>

namespace wijksim::test {

struct CsvDiff {
  bool identical = false;      // byte-for-byte equal
  bool header_differs = false;
  bool order_differs = false;  // same rows and values, different order or line endings
  std::size_t golden_rows = 0, new_rows = 0;
  std::size_t differing = 0;   // rows in both with a different value
  std::size_t only_golden = 0, only_new = 0;
  std::vector<std::string> examples;  // the first differing rows, formatted
  std::string left = "golden", right = "new";  // what the two files are, for the report
  std::string report() const;          // summary plus the examples, for a failure message
};

// `left` and `right` name the two files in the report ("golden" and "new" by default).
CsvDiff diff_timeseries(const std::string& golden, const std::string& fresh, std::size_t max_examples = 20,
                        const std::string& left = "golden", const std::string& right = "new");

}  // namespace wijksim::test
