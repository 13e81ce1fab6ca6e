// Pieces shared by the four HTML reports (run, sweep, compare, search; html_report.hpp): reading the result
// files (CSV, JSON, durations), rounding for the data section, formatting values for people, and the page
// skeleton (head with the Content-Security-Policy, inlined assets) so that every report escapes and locks down
// the same way. Internal to sim/report.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/html_i18n.hpp"
#include "scenario/loader.hpp"

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

// ------------------------------------------------------------------------ result files that may be broken
//
// A result folder can be hand-edited, cut short or saved by a spreadsheet, so every reader reports what is wrong
// as scenario::InputError (`FILE:LINE:COL: key: message (hint)`, exit 2 in the CLI) instead of drawing garbage.
// A missing optional file is no error: its section says so.

// Collects the problems of several files, so that one `civicgrid report` lists every broken file at once.
class Problems {
 public:
  // Runs `read`; an InputError it throws is kept and reading goes on with the next file.
  template <class Read>
  void collect(Read&& read) {
    try {
      read();
    } catch (const scenario::InputError& error) {
      add(error);
    }
  }
  void add(const scenario::InputError& error);
  void add(scenario::Diagnostic diagnostic);
  // Throws one InputError with everything collected (duplicates once), if anything was.
  void throw_if_any() const;

 private:
  std::vector<scenario::Diagnostic> diagnostics_;
};

// The byte offset of the first invalid UTF-8 sequence in `text` (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF), or npos when it is all valid.
std::size_t invalid_utf8_at(std::string_view text);
// Line and column (1-based; the column counts characters) of byte `offset` in `text`.
std::pair<int, int> line_and_column(std::string_view text, std::size_t offset);
// A text file that must be valid UTF-8 (a UTF-8 byte-order mark is dropped); "" for a missing file. Throws
// InputError at the first invalid byte.
std::string read_utf8_file(const std::filesystem::path& path);
// A JSON file, or null if it is missing. Throws InputError (with the line and column) if it exists but is
// empty, not JSON, or not valid UTF-8.
Json read_json(const std::filesystem::path& path);
// The same, for a file the folder cannot do without: a missing file is an InputError too.
Json read_required_json(const std::filesystem::path& path);
// summary.json's "kpis" entries (`summary` holds a "kpis" object): mean, ci95_half_width, n and per_replication
// are numbers or null. Throws InputError with every entry that is not, at the line of the KPI's name.
void check_summary(const std::filesystem::path& path, const Json& summary);
// An InputError about a whole file (line 1, column 1).
scenario::InputError file_error(const std::filesystem::path& path, const std::string& key, const std::string& message,
                                const std::string& hint);

// "20min", "3d": minutes; "400m", "0.4km": kilometres. The loader's parsers (scenario/units.hpp), so a bare
// number is refused (NaN) here as in scenarios.
double duration_min(const std::string& text);
double distance_km(const std::string& text);

struct Estimate {
  double mean = nan;
  double half_width = nan;
  std::int64_t n = 0;
};
// Mean and Student-t 95% half-width of the defined (non-NaN) values, as summary.json computes them.
Estimate estimate(const std::vector<double>& values);

// Reads a CSV result file as the writers write it (docs/outputs.md): RFC 4180 (quoted fields, doubled quotes,
// commas and line breaks inside quotes), "\n" or "\r\n" line ends, an optional UTF-8 byte-order mark (Excel's
// "CSV UTF-8"), the formula guard's apostrophe removed again (metrics::csv_unguard). Blank lines are skipped.
//
//   CsvReader csv(dir / "grids.csv");
//   if (csv.ok()) { csv.require({"replication", "grid"}); while (csv.next()) use(csv.text(c), csv.number(c)); }
//
// A missing file: ok() is false. An empty file, or one that cannot be read: the constructor throws InputError.
// Row problems (a row with more or fewer fields than the header, invalid UTF-8, an unclosed quote or a last row
// without its line break, i.e. a file cut short, a non-number where number() expects one) are collected and
// next() throws them together when it reaches the end of the file; the row with a problem is skipped.
class CsvReader {
 public:
  explicit CsvReader(const std::filesystem::path& path);
  bool ok() const { return !header_.empty(); }
  const std::vector<std::string>& header() const { return header_; }
  // Index of a column, -1 if absent.
  int column(const std::string& name) const;
  // Throws InputError naming every column of `names` the header lacks.
  void require(std::initializer_list<const char*> names) const;
  // The next data row; false at the end (or throws the file's problems there).
  bool next();
  const std::vector<std::string>& fields() const { return fields_; }
  // The field in `column`, "" if the column is absent (-1).
  const std::string& text(int column) const;
  // The field in `column` as a number: NaN when it is empty or the column absent; a field that is not a
  // number is a problem of the file (and gives NaN).
  double number(int column);
  // A problem of the current row's field in `column` that only the caller can see (e.g. a value no bin has).
  void invalid(int column, const std::string& message, const std::string& hint);

 private:
  struct Position {
    int line, col;
  };
  bool read_row(std::vector<std::string>& fields, std::vector<Position>& starts);
  void problem(Position at, const std::string& key, const std::string& message, const std::string& hint);

  std::string path_;
  std::ifstream in_;
  int line_ = 0;      // physical lines read so far
  int end_col_ = 1;   // the column just after the current row
  std::vector<std::string> header_;
  std::map<std::string, int> columns_;
  std::vector<std::string> fields_;
  std::vector<Position> starts_;   // where each field of the current row starts
  std::vector<scenario::Diagnostic> problems_;
  std::size_t dropped_problems_ = 0;
};

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
