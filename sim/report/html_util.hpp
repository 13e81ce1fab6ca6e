// Pieces shared by the four HTML reports (run, sweep, compare, search; html_report.hpp): reading the result
// files (CSV, JSON, durations), rounding for the data section, formatting values for people, and the page
// skeleton (head with the Content-Security-Policy, inlined assets) so that every report escapes and locks down
// the same way. Internal to sim/report.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/html_i18n.hpp"

namespace civicgrid::report::detail {

using Json = nlohmann::ordered_json;
inline constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------------------------------- input

// 6 significant digits, locale-independent, so the data section is stable and small.
double round6(double value);
// A rounded number, or null when undefined.
Json num(double value);
// A whole decimal number (spaces, a leading '+' and a trailing '\r' tolerated); NaN if it is not one.
double parse_double(std::string_view text);
double json_double(const Json& value);
// A string or number member as text; "" if absent or of another type.
std::string json_string(const Json& object, const char* key);
// Any JSON value as text: strings as they are, null as "", others dumped.
std::string string_of(const Json& value);
std::string read_file(const std::filesystem::path& path);
// A JSON file, or null if it is missing or unreadable.
Json read_json(const std::filesystem::path& path);
// "20min", "1.5 h", "3d": minutes (a bare number is minutes); NaN if not a duration.
double duration_min(const std::string& text);
// "400m", "0.4km": kilometres (a bare number is metres); NaN if not a distance.
double distance_km(const std::string& text);

struct Estimate {
  double mean = nan;
  double half_width = nan;
  std::int64_t n = 0;
};
// Mean and Student-t 95% half-width of the defined (non-NaN) values, as summary.json computes them.
Estimate estimate(const std::vector<double>& values);

// Reads a CSV file with a header row (quoted fields, doubled quotes and line breaks inside quotes understood).
class CsvReader {
 public:
  explicit CsvReader(const std::filesystem::path& path);
  bool ok() const { return !header_.empty(); }
  const std::vector<std::string>& header() const { return header_; }
  // Index of a column, -1 if absent.
  int column(const std::string& name) const;
  // The next data row; false at the end.
  bool next(std::vector<std::string>& fields);

 private:
  std::ifstream in_;
  std::vector<std::string> header_;
  std::map<std::string, int> columns_;
};

// The field in `column`, "" if the column is absent (-1) or the row is short.
const std::string& field(const std::vector<std::string>& fields, int column);

// ------------------------------------------------------------------------------------------------- formatting

std::string fixed(double value, int decimals);
// 12345.6 -> "12,345.6"
std::string grouped(const std::string& number);
double number(const Json& value);
// A value for people: shares as percentages, other units with a few decimals; "–" when undefined.
std::string format_value(double value, const std::string& unit);
// A unit after a formatted value ("" for shares: the % is in the value).
std::string unit_suffix(i18n::Lang lang, const std::string& unit);
// The 95% CI as "low – high", clipped to what the quantity can be.
std::string format_interval(double mean, double half, const std::string& unit);
// A signed difference "+1.2" / "−3.4%" (shares in percentage points).
std::string format_difference(double value, const std::string& unit);
std::string replace_all(std::string text, const std::string& from, const std::string& to);
// "1.25 s", "3.5 min", "2.10 h"; "not recorded" when undefined.
std::string format_duration_s(i18n::Lang lang, double seconds);
// An argument as a POSIX shell would need it (single-quoted unless plainly safe), for showing command lines.
std::string shell_quote(const std::string& argument);

// --------------------------------------------------------------------------------------------------- page

// The skeleton every report shares; subclasses write the body between head() and tail().
class PageWriter {
 public:
  PageWriter(i18n::Lang lang, const Json& data) : lang_(lang), data_(data) {}

  // Public so that chained calls (raw(...).text(...)) work from subclasses.
  PageWriter& raw(std::string_view text) {
    out_.append(text);
    return *this;
  }
  PageWriter& text(std::string_view text);

 protected:
  const std::string& t(const std::string& key) const { return i18n::text(lang_, key); }
  // "（x）" in Chinese, " (x)" in English.
  std::string parenthesised(const std::string& inner) const;
  // <!DOCTYPE> to <main>: CSP, title, the inlined style sheet.
  void head(const std::string& title, const std::string& generator_version);
  // Footer, the data section, ECharts and the page script, </html>.
  void tail(const std::string& version, const std::string& revision);
  void heading(const char* id, int number, const std::string& key, bool page_break);
  void chart(const std::string& id, const std::string& label);
  void fact(const std::string& key, const std::string& value);
  void note(const std::string& words) { raw("<p class=\"note\">").text(words).raw("</p>\n"); }
  void missing(const std::string& words) { raw("<p class=\"missing\">").text(words).raw("</p>\n"); }
  // "≥ 90%" / "≤ 26 min" for a standard entry {"op", "value", "unit"}.
  std::string standard_text(const Json& standard) const;

  i18n::Lang lang_;
  const Json& data_;
  std::string out_;
};

}  // namespace civicgrid::report::detail
