// The result tables are plain comma-separated files without quoting (names carry no commas), so the tests read
// them with a few lines rather than a CSV library; columns are looked up by header name, so a test names what
// it checks and survives new columns.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace civicgrid::testing {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  // Index of a column; a missing column fails the test that asked for it.
  std::size_t column(const std::string& name) const {
    const auto it = std::find(header.begin(), header.end(), name);
    EXPECT_NE(it, header.end()) << "no column " << name;
    return static_cast<std::size_t>(it - header.begin());
  }
};

inline std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream split(line);
  for (std::string field; std::getline(split, field, ',');) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();   // a trailing empty field
  return fields;
}

inline CsvTable read_csv(const std::filesystem::path& path) {
  CsvTable table;
  std::ifstream in(path);
  std::string line;
  if (std::getline(in, line)) table.header = split_csv_line(line);
  while (std::getline(in, line)) table.rows.push_back(split_csv_line(line));
  return table;
}

}  // namespace civicgrid::testing
