// Quantities with units, as written in scenario files ("30min", "1.5km", "15km/h", "2/d"), converted to SI
// (seconds, metres, metres per second, events per second). A bare number is refused with a hint naming the
// suffixes, because a silent default unit is how a 30-minute target becomes 30 seconds.
#pragma once

#include <optional>
#include <string>

namespace civicgrid::scenario {

struct Quantity {
  std::optional<double> value;   // SI value when the text parsed
  std::string error;             // otherwise what is wrong
  std::string hint;              // and what to write instead
};

Quantity parse_duration_s(const std::string& text);   // s, min, h, d, w
Quantity parse_distance_m(const std::string& text);   // m, km
Quantity parse_speed_mps(const std::string& text);    // km/h, m/s
Quantity parse_rate_per_s(const std::string& text);   // /s, /min, /h, /d, /w (e.g. "2/d")

// A standard's or target's bound in the unit of its KPI ("min", "h", "km", "share", or a plain count/rate):
// "30min" for a KPI in minutes, "2h" for hours, "90%" or 0.9 for a share; a bare number for a time is refused.
Quantity parse_kpi_value(const std::string& text, const std::string& kpi_unit);

// An ISO date "YYYY-MM-DD" as days since 1970-01-01; false if it is not a valid calendar date.
bool parse_iso_date(const std::string& text, long long& days_since_epoch);

}  // namespace civicgrid::scenario
