// The CSV tables a scenario may name (population, bases, travel times) are exported from Excel, WPS or a GIS,
// so one reader serves them all: it takes a UTF-8 byte-order mark, CRLF line ends and RFC 4180 quoting as those
// tools write them, and reports every bad row at its line and column in the scenario's error format.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "scenario/input_file.hpp"

namespace civicgrid::scenario {

struct CsvRow {
  std::vector<std::string> fields;   // unquoted
  std::vector<int> columns;          // 1-based column (in bytes) where each field starts
  int line = 0;                      // 1-based line where the row starts
};

// The problem reporter handed to a row visitor: error(field index, message, hint) at that field's position.
class CsvRowErrors {
 public:
  CsvRowErrors(const CsvRow& row, const std::string& path, const std::string& key_path, std::vector<Diagnostic>& problems)
      : row_(row), path_(path), key_path_(key_path), problems_(problems) {}
  void operator()(std::size_t field, const std::string& message, const std::string& hint) const;

 private:
  const CsvRow& row_;
  const std::string& path_;
  const std::string& key_path_;
  std::vector<Diagnostic>& problems_;
};

struct CsvTableRequest {
  InputFileRequest file;                     // path, named_at, key_path (max_size_bytes: a data file's)
  std::vector<std::string> accepted_headers; // e.g. {"grid,residents", "grid,residents,migrant_share"}
  std::size_t optional_last_fields = 0;      // rows may leave out this many of the header's last columns
};

// Reads the table and calls visit(row, errors) for each non-blank row after the header whose field count
// matches the header's (other rows are reported). Returns the header used, or nothing (with a diagnostic) when
// the file cannot be used or its header is none of the accepted ones.
template <class Visit>
std::optional<std::string> for_each_csv_row(const CsvTableRequest& request, std::vector<Diagnostic>& problems,
                                            Visit visit);

// A number cell: finite, the whole cell; nothing otherwise.
std::optional<double> csv_number(const std::string& text);

namespace detail {
// Splits `text` into rows (quoted fields may hold commas, quotes and line breaks); false after a diagnostic
// for an unterminated quote.
bool split_csv_rows(const std::string& text, const std::string& path, const std::string& key_path,
                    std::vector<CsvRow>& rows, std::vector<Diagnostic>& problems);
std::optional<std::string> check_header(const CsvTableRequest& request, const CsvRow& first,
                                        std::vector<Diagnostic>& problems);
}  // namespace detail

template <class Visit>
std::optional<std::string> for_each_csv_row(const CsvTableRequest& request, std::vector<Diagnostic>& problems,
                                            Visit visit) {
  InputFileRequest file = request.file;
  file.max_size_bytes = max_data_file_bytes;
  const auto text = read_input_text(file, problems);
  if (!text) return std::nullopt;
  std::vector<CsvRow> rows;
  if (!detail::split_csv_rows(*text, file.path, file.key_path, rows, problems)) return std::nullopt;
  if (rows.empty()) rows.push_back({{""}, {1}, 1});
  const auto header = detail::check_header(request, rows.front(), problems);
  if (!header) return std::nullopt;
  const std::size_t field_count = rows.front().fields.size();
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const CsvRow& row = rows[r];
    const CsvRowErrors errors(row, file.path, file.key_path, problems);
    if (row.fields.size() == 1 && row.fields.front().empty()) continue;   // a blank line
    const std::size_t least = field_count - std::min(field_count - 1, request.optional_last_fields);
    if (row.fields.size() < least || row.fields.size() > field_count) {
      const std::string counts =
          least == field_count ? std::to_string(field_count) : std::to_string(least) + " to " + std::to_string(field_count);
      errors(0, "expected " + counts + " fields " + *header + ", got " + std::to_string(row.fields.size()),
             "a comma inside a value needs quotes: \"a,b\"");
      continue;
    }
    visit(row, errors);
  }
  return header;
}

}  // namespace civicgrid::scenario
