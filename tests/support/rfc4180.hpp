// A strict RFC 4180 reader for tests, written apart from the product's reader (sim/report/html_util.cpp) so
// that a test checks the files against the standard, not against the code that also writes or reads them.
// Records end with "\n" (the result files' line end); a record that is not closed by one is reported.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace civicgrid::testing {

struct Rfc4180Table {
  std::vector<std::vector<std::string>> records;   // the header first
  std::string error;                               // "" when the text is well-formed
};

inline Rfc4180Table parse_rfc4180(std::string_view text) {
  Rfc4180Table table;
  std::vector<std::string> record;
  std::string field;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '"') {   // quoted field: up to the closing quote, "" is a quote
      ++i;
      while (true) {
        if (i >= text.size()) {
          table.error = "unclosed quote in record " + std::to_string(table.records.size() + 1);
          return table;
        }
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.push_back(text[i++]);
      }
      if (i < text.size() && text[i] != ',' && text[i] != '\n') {
        table.error = "text after a closing quote in record " + std::to_string(table.records.size() + 1);
        return table;
      }
    } else {
      while (i < text.size() && text[i] != ',' && text[i] != '\n') {
        if (text[i] == '"' || text[i] == '\r') {
          table.error = "a quote or CR in an unquoted field of record " + std::to_string(table.records.size() + 1);
          return table;
        }
        field.push_back(text[i++]);
      }
    }
    record.push_back(std::move(field));
    field.clear();
    if (i < text.size() && text[i] == ',') {
      ++i;
      if (i == text.size()) break;
      continue;
    }
    if (i < text.size() && text[i] == '\n') {
      ++i;
      table.records.push_back(std::move(record));
      record.clear();
      continue;
    }
  }
  if (!record.empty()) table.error = "the last record has no line end";
  return table;
}

}  // namespace civicgrid::testing
