// See csv_text.hpp: the quoting and formula-guard rule of the result files, and its inverse.
#include "metrics/csv_text.hpp"

#include <charconv>
#include <cmath>

namespace civicgrid::metrics {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The characters a spreadsheet takes as the start of a formula (OWASP CSV injection).
bool starts_formula(char c) { return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'; }

bool needs_guard(std::string_view text) {
  const std::size_t first = text.find_first_not_of('\'');
  if (first == std::string_view::npos || !starts_formula(text[first])) return false;
  return !is_plain_number(text);
}

}  // namespace

bool is_plain_number(std::string_view text) {
  std::size_t at = 0;
  if (at < text.size() && (text[at] == '+' || text[at] == '-')) ++at;
  std::size_t digits = 0;
  while (at < text.size() && is_digit(text[at])) ++at, ++digits;
  if (at < text.size() && text[at] == '.') {
    ++at;
    while (at < text.size() && is_digit(text[at])) ++at, ++digits;
  }
  if (digits == 0) return false;
  if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
    ++at;
    if (at < text.size() && (text[at] == '+' || text[at] == '-')) ++at;
    std::size_t exponent_digits = 0;
    while (at < text.size() && is_digit(text[at])) ++at, ++exponent_digits;
    if (exponent_digits == 0) return false;
  }
  return at == text.size();
}

void append_csv_field(std::string& out, std::string_view text) {
  const bool guard = needs_guard(text);
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) {
    if (guard) out.push_back('\'');
    out.append(text);
    return;
  }
  out.push_back('"');
  if (guard) out.push_back('\'');
  for (const char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

std::string csv_field(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  append_csv_field(out, text);
  return out;
}

std::string_view csv_unguard(std::string_view cell) {
  // A guarded cell is an apostrophe followed by text that needs the guard; text that needs none is never
  // written with one more apostrophe, so this is exact.
  if (cell.size() >= 2 && cell.front() == '\'' && needs_guard(cell.substr(1))) cell.remove_prefix(1);
  return cell;
}

void append_csv_number(std::string& out, double value) {
  if (std::isnan(value)) return;
  // std::to_chars never looks at the locale; with precision 10 it prints what printf("%.10g") prints in "C".
  char buffer[40];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, 10);
  if (error == std::errc()) out.append(buffer, end);
}

std::string csv_number(double value) {
  std::string out;
  append_csv_number(out, value);
  return out;
}

}  // namespace civicgrid::metrics
