// See csv_input.hpp. The whole file is split first (it is at most max_data_file_bytes), so a quoted field
// that spans lines is one field and every row knows the line it starts on.
#include "scenario/csv_input.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace civicgrid::scenario {

void CsvRowErrors::operator()(std::size_t field, const std::string& message, const std::string& hint) const {
  const std::size_t at = std::min(field, row_.columns.size() - 1);
  problems_.push_back({path_, row_.line, row_.columns[at], key_path_, message, hint});
}

std::optional<double> csv_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || !std::isfinite(value)) return std::nullopt;
  return value;
}

namespace detail {

bool split_csv_rows(const std::string& text, const std::string& path, const std::string& key_path,
                    std::vector<CsvRow>& rows, std::vector<Diagnostic>& problems) {
  int line = 1;
  int col = 1;
  std::size_t i = 0;
  while (i < text.size()) {
    CsvRow row;
    row.line = line;
    while (true) {   // one field per turn
      row.columns.push_back(col);
      std::string field;
      if (i < text.size() && text[i] == '"') {
        const int quote_line = line, quote_col = col;
        ++i, ++col;
        bool closed = false;
        while (i < text.size()) {
          const char c = text[i];
          if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2, col += 2;
          } else if (c == '"') {
            ++i, ++col;
            closed = true;
            break;
          } else {
            field += c;
            ++i;
            if (c == '\n') ++line, col = 1;
            else ++col;
          }
        }
        if (!closed) {
          problems.push_back({path, quote_line, quote_col, key_path, "a quoted field is never closed",
                              "quotes inside a quoted field are written twice (\"\")"});
          return false;
        }
      }
      // Unquoted text (or what follows a closing quote, kept as Excel does) up to the comma or line end.
      while (i < text.size() && text[i] != ',' && text[i] != '\n') {
        if (!(text[i] == '\r' && (i + 1 == text.size() || text[i + 1] == '\n'))) field += text[i];
        ++i, ++col;
      }
      row.fields.push_back(std::move(field));
      if (i < text.size() && text[i] == ',') {
        ++i, ++col;
        continue;
      }
      break;
    }
    if (i < text.size() && text[i] == '\n') ++i, ++line, col = 1;
    rows.push_back(std::move(row));
  }
  return true;
}

std::optional<std::string> check_header(const CsvTableRequest& request, const CsvRow& first,
                                        std::vector<Diagnostic>& problems) {
  std::string header;
  for (std::size_t k = 0; k < first.fields.size(); ++k) header += (k ? "," : "") + first.fields[k];
  for (const auto& accepted : request.accepted_headers)
    if (header == accepted) return header;
  // Show what is unusual in the header, so that a stray space or a non-breaking space is visible.
  std::string shown;
  for (const unsigned char c : header) {
    if (c < 0x20 || c == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02X", c);
      shown += escaped;
    } else {
      shown += static_cast<char>(c);
    }
  }
  std::string expected;
  for (std::size_t k = 0; k < request.accepted_headers.size(); ++k)
    expected += (k ? "' or '" : "'") + request.accepted_headers[k] + "'";
  problems.push_back({request.file.path, first.line, 1, request.file.key_path, "header must be " + expected,
                      "got '" + shown + "' (" + std::to_string(first.fields.size()) + " fields)"});
  return std::nullopt;
}

}  // namespace detail
}  // namespace civicgrid::scenario
