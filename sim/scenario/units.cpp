// Unit suffix tables and the number+suffix split shared by all quantities (see units.hpp).
#include "scenario/units.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>
#include <vector>

namespace civicgrid::scenario {
namespace {

using Suffixes = std::vector<std::pair<const char*, double>>;

std::string trim(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  const auto end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

// `largest_si` is the value past which a quantity of this kind is a typing error whatever it means (a century,
// the Earth's circumference): it keeps 1e308 out of the clock, where SimGrid aborts on infinite durations.
Quantity parse_with(const std::string& raw, const Suffixes& suffixes, const char* kind, const char* example,
                    double largest_si, const char* largest_text) {
  std::string names;
  for (std::size_t i = 0; i < suffixes.size(); ++i)
    names += std::string(i == 0 ? "" : (i + 1 == suffixes.size() ? " or " : ", ")) + suffixes[i].first;
  Quantity quantity;
  const std::string text = trim(raw);
  const char* begin = text.c_str();
  char* end = nullptr;
  const double number = std::strtod(begin, &end);
  if (text.empty() || end == begin) {
    quantity.error = "expected a " + std::string(kind) + " such as " + example + ", got '" + raw + "'";
    quantity.hint = "a number followed by a unit: " + names;
    return quantity;
  }
  const std::string suffix = trim(std::string(end));
  if (suffix.empty()) {
    quantity.error = std::string(kind) + " '" + raw + "' has no unit";
    quantity.hint = "add a unit: " + names + " (e.g. " + example + ")";
    return quantity;
  }
  for (const auto& [name, factor] : suffixes) {
    if (suffix != name) continue;
    if (!std::isfinite(number)) {
      quantity.error = std::string(kind) + " '" + raw + "' is not a finite number";
      return quantity;
    }
    if (number < 0) {
      quantity.error = std::string(kind) + " '" + raw + "' is negative";
      quantity.hint = "use a value >= 0";
      return quantity;
    }
    if (!(number * factor <= largest_si)) {
      quantity.error = std::string(kind) + " '" + raw + "' is implausibly large";
      quantity.hint = std::string("at most ") + largest_text;
      return quantity;
    }
    quantity.value = number * factor;
    return quantity;
  }
  quantity.error = "unknown unit '" + suffix + "' in " + kind + " '" + raw + "'";
  quantity.hint = "use one of " + names;
  return quantity;
}

}  // namespace

Quantity parse_duration_s(const std::string& text) {
  static const Suffixes suffixes = {{"s", 1.0}, {"min", 60.0}, {"h", 3600.0}, {"d", 86400.0}, {"w", 604800.0}};
  return parse_with(text, suffixes, "duration", "30min", 100 * 365.25 * 86400.0, "100 years");
}

Quantity parse_distance_m(const std::string& text) {
  static const Suffixes suffixes = {{"m", 1.0}, {"km", 1000.0}};
  return parse_with(text, suffixes, "distance", "500m", 40'075e3, "40075km, the Earth's circumference");
}

Quantity parse_speed_mps(const std::string& text) {
  static const Suffixes suffixes = {{"km/h", 1000.0 / 3600.0}, {"m/s", 1.0}};
  return parse_with(text, suffixes, "speed", "15km/h", 1000 / 3.6, "1000km/h");
}

Quantity parse_rate_per_s(const std::string& text) {
  static const Suffixes suffixes = {{"/s", 1.0}, {"/min", 1.0 / 60}, {"/h", 1.0 / 3600}, {"/d", 1.0 / 86400},
                                    {"/w", 1.0 / 604800}};
  return parse_with(text, suffixes, "rate", "2/d", 1e6, "1000000/s");
}

Quantity parse_kpi_value(const std::string& text, const std::string& kpi_unit) {
  if (kpi_unit == "min" || kpi_unit == "h") {
    Quantity duration = parse_duration_s(text);
    if (duration.value) *duration.value /= kpi_unit == "min" ? 60.0 : 3600.0;
    return duration;
  }
  if (kpi_unit == "km") {
    Quantity distance = parse_distance_m(text);
    if (distance.value) *distance.value /= 1000.0;
    return distance;
  }
  Quantity result;
  const bool percent = kpi_unit == "share" && !text.empty() && text.back() == '%';
  const std::string digits = percent ? text.substr(0, text.size() - 1) : text;
  char* end = nullptr;
  const double number = std::strtod(digits.c_str(), &end);
  if (digits.empty() || end == digits.c_str() || *end != '\0' || !std::isfinite(number)) {
    result.error = "expected a number for a KPI in " + kpi_unit + ", got '" + text + "'";
    result.hint = kpi_unit == "share" ? "a share such as 0.9 or 90%" : "a plain number such as 3";
    return result;
  }
  const double value = percent ? number / 100.0 : number;
  if (kpi_unit == "share" && !(value >= 0 && value <= 1)) {
    result.error = "a share must lie between 0 and 1, got '" + text + "'";
    result.hint = "e.g. 0.9 or 90%";
    return result;
  }
  if (value < 0) {
    result.error = "a " + kpi_unit + " bound cannot be negative, got '" + text + "'";
    result.hint = "a number of 0 or more";
    return result;
  }
  result.value = value;
  return result;
}

bool parse_iso_date(const std::string& text, long long& days_since_epoch) {
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%d-%u-%u%c", &year, &month, &day, &tail) != 3) return false;
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  if (!date.ok()) return false;
  days_since_epoch = std::chrono::sys_days{date}.time_since_epoch().count();
  return true;
}

}  // namespace civicgrid::scenario
