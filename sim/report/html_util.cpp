// Shared reading, formatting and page skeleton of the HTML reports (see html_util.hpp). Kept in one place so
// the run, sweep, compare and search reports round, format and escape identically.
#include "report/html_util.hpp"

#include "scenario/units.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "metrics/csv_text.hpp"
#include "metrics/summary.hpp"
#include "report/html_assets.hpp"
#include "report/html_report.hpp"

namespace civicgrid::report::detail {

namespace fs = std::filesystem;
using i18n::Lang;

double round6(double value) {
  if (!std::isfinite(value)) return value;
  char buffer[40];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, 6);
  if (error != std::errc()) return value;
  double rounded = value;
  std::from_chars(buffer, end, rounded);
  return rounded == 0 ? 0.0 : rounded;   // no "-0"
}

Json num(double value) { return std::isfinite(value) ? Json(round6(value)) : Json(nullptr); }

double parse_double(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '+')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.remove_suffix(1);
  if (text.empty()) return nan;
  double value = nan;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return nan;
  return value;
}

double json_double(const Json& value) { return value.is_number() ? value.get<double>() : nan; }

std::string json_string(const Json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto found = object.find(key);
  if (found == object.end()) return {};
  if (found->is_string()) return found->get<std::string>();
  if (found->is_number()) return found->dump();
  return {};
}

std::string string_of(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return {};
  return value.dump();
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// ------------------------------------------------------------------------------------------ broken files

void Problems::add(const scenario::InputError& error) {
  for (const scenario::Diagnostic& diagnostic : error.diagnostics()) add(diagnostic);
}

void Problems::add(scenario::Diagnostic diagnostic) {
  const std::string text = diagnostic.format();
  for (const scenario::Diagnostic& known : diagnostics_)
    if (known.format() == text) return;   // a file read by two sections reports its problems once
  diagnostics_.push_back(std::move(diagnostic));
}

void Problems::throw_if_any() const {
  if (!diagnostics_.empty()) throw scenario::InputError(diagnostics_);
}

scenario::InputError file_error(const fs::path& path, const std::string& key, const std::string& message,
                                const std::string& hint) {
  return scenario::InputError({{path.string(), 1, 1, key, message, hint}});
}

std::size_t invalid_utf8_at(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char lead = byte(i);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;   // the range of the second byte (RFC 3629 table)
    if (lead >= 0xC2 && lead <= 0xDF) length = 2;
    else if (lead == 0xE0) length = 3, low = 0xA0;
    else if (lead >= 0xE1 && lead <= 0xEC) length = 3;
    else if (lead == 0xED) length = 3, high = 0x9F;
    else if (lead >= 0xEE && lead <= 0xEF) length = 3;
    else if (lead == 0xF0) length = 4, low = 0x90;
    else if (lead >= 0xF1 && lead <= 0xF3) length = 4;
    else if (lead == 0xF4) length = 4, high = 0x8F;
    else return i;
    if (i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high) return i;
    for (std::size_t k = 2; k < length; ++k)
      if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return i;
    i += length;
  }
  return std::string_view::npos;
}

std::pair<int, int> line_and_column(std::string_view text, std::size_t offset) {
  int line = 1, col = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++col;   // continuation bytes belong to the character before
    }
  }
  return {line, col};
}

namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

const char* const utf8_hint = "result files are UTF-8; re-save the file as UTF-8 (in Excel: CSV UTF-8)";

scenario::Diagnostic invalid_utf8(const fs::path& path, std::string_view text, std::size_t at) {
  const auto [line, col] = line_and_column(text, at);
  char byte[8];
  std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[at]));
  return {path.string(), line, col, "", std::string("invalid UTF-8 (byte ") + byte + ")", utf8_hint};
}

std::string text_of(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw file_error(path, "", "cannot read the file", "check its permissions");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw file_error(path, "", "cannot read the file", "check its permissions");
  std::string content = text.str();
  if (std::string_view(content).substr(0, utf8_bom.size()) == utf8_bom) content.erase(0, utf8_bom.size());
  return content;
}

}  // namespace

std::string read_utf8_file(const fs::path& path) {
  if (!fs::exists(path)) return {};
  std::string text = text_of(path);
  if (const std::size_t bad = invalid_utf8_at(text); bad != std::string::npos)
    throw scenario::InputError({invalid_utf8(path, text, bad)});
  return text;
}

Json read_json(const fs::path& path) {
  if (!fs::exists(path)) return Json();
  const std::string text = text_of(path);
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw file_error(path, "", "the file is empty", "a result file is never empty: was it cut short?");
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& error) {
    // error.byte: 1-based offset of the character the parser stopped at.
    const std::size_t at = error.byte > 0 ? error.byte - 1 : 0;
    if (const std::size_t bad = invalid_utf8_at(text); bad != std::string::npos && bad <= at)
      throw scenario::InputError({invalid_utf8(path, text, bad)});
    const auto [line, col] = line_and_column(text, std::min(at, text.size()));
    std::string message = error.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..." -> "syntax error ..."
    if (const std::size_t colon = message.find(": "); colon != std::string::npos && message.find("parse error") < colon)
      message.erase(0, colon + 2);
    throw scenario::InputError({{path.string(), line, col, "", "not valid JSON: " + message,
                                 at >= text.size() ? "the file ends too early: was it cut short?" : ""}});
  }
}

Json read_required_json(const fs::path& path) {
  if (!fs::exists(path))
    throw scenario::InputError({{path.string(), 0, 0, "", "missing",
                                 "the folder must hold this file; re-run the command that wrote the folder"}});
  return read_json(path);
}

// summary.json's KPI entries: numbers where numbers belong (null is "undefined"). The position is where the
// KPI's name first appears in the file (the JSON reader keeps none).
void check_summary(const fs::path& path, const Json& summary) {
  std::vector<scenario::Diagnostic> problems;
  std::string text;
  auto report = [&](const std::string& kpi, const std::string& member, const std::string& message) {
    if (text.empty()) text = read_file(path);
    const std::size_t at = text.find(Json(kpi).dump());
    const auto [line, col] = line_and_column(text, at == std::string::npos ? 0 : at);
    problems.push_back({path.string(), line, col, "kpis." + kpi + "." + member, message,
                        "numbers are JSON numbers; null means undefined"});
  };
  for (const auto& [key, entry] : summary["kpis"].items()) {
    if (!entry.is_object()) {
      report(key, "", "expected an object {mean, ci95_half_width, n, unit, per_replication}");
      continue;
    }
    for (const char* member : {"mean", "ci95_half_width", "n"})
      if (entry.contains(member) && !entry[member].is_number() && !entry[member].is_null())
        report(key, member, "expected a number, found " + entry[member].dump());
    if (entry.contains("per_replication")) {
      const Json& values = entry["per_replication"];
      if (!values.is_array()) report(key, "per_replication", "expected a list of numbers");
      else
        for (const Json& value : values)
          if (!value.is_number() && !value.is_null()) {
            report(key, "per_replication", "expected a number, found " + value.dump());
            break;
          }
    }
  }
  if (!problems.empty()) throw scenario::InputError(problems);
}


// The loader's own parsers (scenario/units.hpp): the report reads units exactly as scenarios are read, so a
// bare number is no duration here either.
double duration_min(const std::string& text) {
  const scenario::Quantity parsed = scenario::parse_duration_s(text);
  return parsed.value ? *parsed.value / 60 : nan;
}

double distance_km(const std::string& text) {
  const scenario::Quantity parsed = scenario::parse_distance_m(text);
  return parsed.value ? *parsed.value / 1000 : nan;
}

Estimate estimate(const std::vector<double>& values) {
  Estimate result;
  double sum = 0;
  for (double value : values)
    if (!std::isnan(value)) {
      sum += value;
      ++result.n;
    }
  if (result.n == 0) return result;
  result.mean = sum / static_cast<double>(result.n);
  if (result.n < 2) return result;
  double squares = 0;
  for (double value : values)
    if (!std::isnan(value)) squares += (value - result.mean) * (value - result.mean);
  const double sd = std::sqrt(squares / static_cast<double>(result.n - 1));
  result.half_width = metrics::student_t_quantile_975(result.n - 1) * sd / std::sqrt(static_cast<double>(result.n));
  return result;
}

// ------------------------------------------------------------------------------------------------------ CSV

namespace {

const char* const quoting_hint =
    "a text field holding a comma, a double quote or a line break must be in double quotes, its quotes doubled "
    "(RFC 4180)";

// A field as a message shows it: quoted, line breaks visible, long text cut (at a character boundary).
std::string shown(const std::string& value) {
  std::string text = "\"";
  std::size_t characters = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && ++characters > 40) {
      text += "...";
      break;
    }
    if (c == '\n') text += "\\n";
    else if (c == '\r') text += "\\r";
    else if (c == '\t') text += "\\t";
    else text.push_back(c);
  }
  return text + "\"";
}

// At most this many problems per file: the first ones show what is wrong with a broken file of a million rows.
constexpr std::size_t max_problems_per_file = 20;

}  // namespace

CsvReader::CsvReader(const fs::path& path) : path_(path.string()), in_(path, std::ios::binary) {
  if (!fs::exists(path)) return;
  if (!in_) throw file_error(path, "", "cannot read the file", "check its permissions");
  std::vector<Position> starts;
  while (read_row(header_, starts) && header_.size() == 1 && header_.front().empty()) {
  }
  if (header_.empty() || (header_.size() == 1 && header_.front().empty())) {
    header_.clear();
    if (!problems_.empty()) throw scenario::InputError(problems_);
    throw file_error(path, "", "the file is empty", "a result table starts with its header row: was it cut short?");
  }
  for (std::size_t i = 0; i < header_.size(); ++i) columns_.emplace(header_[i], static_cast<int>(i));
}

int CsvReader::column(const std::string& name) const {
  const auto found = columns_.find(name);
  return found == columns_.end() ? -1 : found->second;
}

void CsvReader::require(std::initializer_list<const char*> names) const {
  std::vector<scenario::Diagnostic> missing;
  for (const char* name : names)
    if (column(name) < 0)
      missing.push_back({path_, 1, 1, name, "the header has no column " + std::string(name),
                         "the header row names the columns civicgrid writes; was it edited?"});
  if (!missing.empty()) throw scenario::InputError(missing);
}

void CsvReader::problem(Position at, const std::string& key, const std::string& message, const std::string& hint) {
  if (problems_.size() < max_problems_per_file) problems_.push_back({path_, at.line, at.col, key, message, hint});
  else ++dropped_problems_;
}

// One record: physical lines up to the end of the line that closes the last quote. False at the end of the file.
bool CsvReader::read_row(std::vector<std::string>& fields, std::vector<Position>& starts) {
  fields.clear();
  starts.clear();
  std::string line;
  if (!std::getline(in_, line)) return false;
  ++line_;
  if (line_ == 1 && std::string_view(line).substr(0, 3) == "\xEF\xBB\xBF") line.erase(0, 3);
  bool bad_text = false;
  auto check_utf8 = [&](const std::string& text) {
    if (const std::size_t bad = invalid_utf8_at(text); bad != std::string::npos && !bad_text) {
      bad_text = true;
      char byte[8];
      std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[bad]));
      problem({line_, line_and_column(text, bad).second}, "", std::string("invalid UTF-8 (byte ") + byte + ")",
              utf8_hint);
    }
  };
  check_utf8(line);
  std::string field;
  bool quoted = false;
  Position start{line_, 1};
  int col = 1;   // characters of the current physical line before i
  for (std::size_t i = 0;; ++i) {
    if (i == line.size()) {
      if (quoted) {   // a line break inside quotes: the field goes on on the next line
        std::string more;
        if (!std::getline(in_, more)) {
          problem(start, "", "a quoted field opened here is never closed (the file ends inside it)",
                  "the file may be cut short; " + std::string(quoting_hint));
          fields.clear();   // the row is incomplete: skipped
          starts.clear();
          return true;
        }
        ++line_;
        check_utf8(more);
        field.push_back('\n');
        line = std::move(more);
        i = static_cast<std::size_t>(-1);
        col = 1;
        continue;
      }
      break;
    }
    const char c = line[i];
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && i > 0) ++col;
    if (quoted) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field.push_back(c);
      }
    } else if (c == '"' && field.empty()) {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::string(metrics::csv_unguard(field)));
      starts.push_back(start);
      field.clear();
      start = {line_, col + 1};
    } else if (c != '\r' || i + 1 != line.size()) {
      field.push_back(c);
    }
  }
  fields.push_back(std::string(metrics::csv_unguard(field)));
  starts.push_back(start);
  end_col_ = line.empty() ? 1 : col + 1;
  if (in_.eof()) {   // getline stopped at the end of the file, not at a line break
    problem({line_, col + 1}, "", "the last row does not end with a line break",
            "the file may be cut short; civicgrid ends every row with one");
    fields.clear();   // a cut row's last field may be cut too: do not use it
    starts.clear();
    return true;
  }
  if (bad_text) {
    fields.clear();
    starts.clear();
  }
  return true;
}

bool CsvReader::next() {
  while (true) {
    if (!read_row(fields_, starts_)) {
      if (!problems_.empty()) {
        std::vector<scenario::Diagnostic> problems = std::move(problems_);
        problems_.clear();
        if (dropped_problems_ > 0)
          problems.back().hint += "; " + std::to_string(dropped_problems_) + " more problems in this file not shown";
        throw scenario::InputError(std::move(problems));
      }
      return false;
    }
    if (fields_.empty()) continue;                                   // a row with a problem: skipped
    if (fields_.size() == 1 && fields_.front().empty()) continue;   // a blank line
    if (fields_.size() != header_.size()) {
      const bool short_row = fields_.size() < header_.size();
      const Position at = short_row ? Position{line_, end_col_} : starts_[header_.size()];
      problem(at, short_row ? header_[fields_.size()] : header_.back(),
              "the row has " + std::to_string(fields_.size()) + " fields, the header " +
                  std::to_string(header_.size()),
              quoting_hint);
      continue;
    }
    return true;
  }
}

const std::string& CsvReader::text(int column) const {
  static const std::string empty;
  return column >= 0 && static_cast<std::size_t>(column) < fields_.size() ? fields_[column] : empty;
}

double CsvReader::number(int column) {
  const std::string& value = text(column);
  if (value.empty()) return nan;
  const double parsed = parse_double(value);
  if (std::isnan(parsed) && value != "nan" && value != "NaN")
    problem(starts_[static_cast<std::size_t>(column)], header_[static_cast<std::size_t>(column)],
            "expected a number, found " + shown(value),
            "this column holds numbers (\".\" as the decimal point, no thousands separators); empty means undefined");
  return parsed;
}

void CsvReader::invalid(int column, const std::string& message, const std::string& hint) {
  if (column < 0 || static_cast<std::size_t>(column) >= starts_.size()) return;
  problem(starts_[static_cast<std::size_t>(column)], header_[static_cast<std::size_t>(column)], message, hint);
}

// ------------------------------------------------------------------------------------------------ formatting

std::string fixed(double value, int decimals) {
  char buffer[64];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals);
  return error == std::errc() ? std::string(buffer, end) : std::string("?");
}

std::string grouped(const std::string& number) {
  const std::size_t start = !number.empty() && number.front() == '-' ? 1 : 0;
  std::size_t point = number.find('.');
  if (point == std::string::npos) point = number.size();
  std::string out(number, 0, start);
  for (std::size_t i = start; i < number.size(); ++i) {
    if (i > start && i < point && (point - i) % 3 == 0) out.push_back(',');
    out.push_back(number[i]);
  }
  return out;
}

double number(const Json& value) { return value.is_number() ? value.get<double>() : nan; }

namespace {

int decimals_for(double value, const std::string& unit) {
  const double magnitude = std::fabs(value);
  if (unit == "count" || unit == "residents" || unit == "persons") {
    if (magnitude >= 1000 || value == std::round(value)) return 0;
    return magnitude >= 10 ? 1 : 2;
  }
  if (magnitude >= 100) return 0;
  return magnitude >= 10 ? 1 : 2;
}

}  // namespace

std::string format_value(double value, const std::string& unit) {
  if (!std::isfinite(value)) return "–";
  if (unit == "share") return fixed(value * 100, 1) + "%";
  return grouped(fixed(value, decimals_for(value, unit)));
}

std::string unit_suffix(Lang lang, const std::string& unit) {
  if (unit == "share" || unit.empty()) return {};
  return i18n::unit_name(lang, unit);
}

std::string format_interval(double mean, double half, const std::string& unit) {
  if (!std::isfinite(mean) || !std::isfinite(half)) return "–";
  double low = mean - half, high = mean + half;
  static const char* const non_negative[] = {"share", "count", "min", "s", "h", "d", "per h", "per d", "m", "km",
                                             "residents", "persons"};
  for (const char* kind : non_negative)
    if (unit == kind) low = std::max(low, 0.0);
  if (unit == "share") high = std::min(high, 1.0);
  // Both ends with the precision of the mean, so "3.90 – 4.06", not "3.9 – 4.06".
  const int decimals = unit == "share" ? 1 : decimals_for(mean, unit);
  auto end = [&](double v) { return unit == "share" ? fixed(v * 100, 1) + "%" : grouped(fixed(v, decimals)); };
  std::string text = end(low);
  text += " – ";
  text += end(high);
  return text;
}

std::string format_difference(double value, const std::string& unit) {
  if (!std::isfinite(value)) return "–";
  // U+2212 minus: a hyphen is easily lost next to the interval's dash.
  std::string sign = value > 0 ? "+" : value < 0 ? "−" : "±";
  if (unit == "share") return sign + fixed(std::fabs(value) * 100, 1) + " pp";
  return sign + grouped(fixed(std::fabs(value), decimals_for(std::fabs(value), unit)));
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

std::string format_duration_s(i18n::Lang lang, double seconds) {
  if (!std::isfinite(seconds)) return i18n::text(lang, "method.not_recorded");
  if (seconds < 120) return fixed(seconds, seconds < 10 ? 2 : 1) + " " + i18n::text(lang, "unit.s");
  if (seconds < 7200) return fixed(seconds / 60, 1) + " " + i18n::unit_name(lang, "min");
  return fixed(seconds / 3600, 2) + " " + i18n::unit_name(lang, "h");
}

std::string shell_quote(const std::string& argument) {
  if (!argument.empty() && argument.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                                      "0123456789_-./=:,@%+") == std::string::npos)
    return argument;
  std::string quoted(1, '\'');
  quoted += replace_all(argument, "'", "'\\''");
  quoted.push_back('\'');
  return quoted;
}

// ----------------------------------------------------------------------------------------------------- page

namespace {

// An inline script must not contain "</script" or "<!--" (they would end or confuse the element).
std::string_view checked_script(std::string_view script) {
  std::string lower(script);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.find("</script") != std::string::npos || lower.find("<!--") != std::string::npos)
    throw std::logic_error("an inlined report script contains </script or <!--");
  return script;
}

}  // namespace

PageWriter& PageWriter::text(std::string_view text) {
  out_.append(html_escape(text));
  return *this;
}

std::string PageWriter::parenthesised(const std::string& inner) const {
  return lang_ == Lang::zh ? "（" + inner + "）" : " (" + inner + ")";
}

void PageWriter::head(const std::string& title, const std::string& generator_version) {
  raw("<!DOCTYPE html>\n<html lang=\"").raw(i18n::html_lang(lang_)).raw("\">\n<head>\n<meta charset=\"utf-8\">\n");
  raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
  // Self-contained by construction: the browser refuses every request (scripts and styles are inline).
  raw("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; "
      "style-src 'unsafe-inline'; img-src data: blob:; font-src data:\">\n");
  raw("<meta name=\"generator\" content=\"civicgrid ").text(generator_version).raw("\">\n");
  raw("<title>").text(title).raw("</title>\n");
  raw("<style>\n").raw(assets::report_css()).raw("</style>\n</head>\n<body>\n<main class=\"report\">\n");
}

void PageWriter::tail(const std::string& version, const std::string& revision) {
  raw("<footer>civicgrid ").text(version);
  if (!revision.empty()) raw(" (").text(revision).raw(")");
  raw(" · ").text(t("doc.generated")).raw(" · Apache ECharts (Apache-2.0)</footer>\n</main>\n");
  raw("<script type=\"application/json\" id=\"civicgrid-data\">").raw(script_json(data_)).raw("</script>\n");
  raw("<script>").raw(checked_script(assets::echarts_js())).raw("</script>\n");
  raw("<script>\n").raw(checked_script(assets::report_js())).raw("</script>\n</body>\n</html>\n");
}

void PageWriter::heading(const char* id, int number, const std::string& key, bool page_break) {
  raw("<section id=\"").raw(id).raw("\"").raw(page_break ? " class=\"page\"" : "").raw(">\n<h2>");
  raw(std::to_string(number)).raw(" ").text(t(key)).raw("</h2>\n");
}

void PageWriter::chart(const std::string& id, const std::string& label) {
  raw("<div class=\"chart-box\"><div class=\"chart\" id=\"").text(id).raw("\" role=\"img\" aria-label=\"");
  text(label).raw("\"></div></div>\n");
}

void PageWriter::fact(const std::string& key, const std::string& value) {
  if (value.empty()) return;
  raw("<span>").text(t(key)).raw(" <b>").text(value).raw("</b></span>");
}

std::string PageWriter::standard_text(const Json& standard) const {
  if (!standard.is_object() || !std::isfinite(number(standard.value("value", Json())))) return {};
  const std::string unit = string_of(standard.value("unit", Json()));
  std::string words = string_of(standard["op"]) == ">=" ? "≥ " : "≤ ";
  words += format_value(number(standard["value"]), unit);
  if (!unit_suffix(lang_, unit).empty()) words += " " + unit_suffix(lang_, unit);
  return words;
}

}  // namespace civicgrid::report::detail
