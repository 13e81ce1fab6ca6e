// Working-time arithmetic of calendar.hpp: walk day by day through working windows.
#include "city/calendar.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace civicgrid::city {

WorkingCalendar::WorkingCalendar(const scenario::Calendar& calendar) : calendar_(calendar) {
  std::sort(calendar_.holidays.begin(), calendar_.holidays.end());
  std::sort(calendar_.extra_working_days.begin(), calendar_.extra_working_days.end());
}

bool WorkingCalendar::working_day(long long day) const {
  if (day < 0) return false;
  if (std::binary_search(calendar_.holidays.begin(), calendar_.holidays.end(), day)) return false;
  if (std::binary_search(calendar_.extra_working_days.begin(), calendar_.extra_working_days.end(), day)) return true;
  return calendar_.working_weekdays[static_cast<std::size_t>(day % 7)];
}

double WorkingCalendar::add_working_s(double t_s, double working_s) const {
  constexpr double day_s = 86400.0;
  double remaining = working_s;
  auto day = static_cast<long long>(std::floor(t_s / day_s));
  double t = t_s;
  // A calendar without a single working day in ten years cannot fall due: refuse rather than loop.
  for (int guard = 0; guard < 3660; ++guard, ++day) {
    if (working_day(day)) {
      const double open = static_cast<double>(day) * day_s + calendar_.work_from_s;
      const double close = static_cast<double>(day) * day_s + calendar_.work_to_s;
      const double from = std::max(t, open);
      if (from < close) {
        if (remaining <= close - from) return from + remaining;
        remaining -= close - from;
      }
    }
    t = static_cast<double>(day + 1) * day_s;
  }
  throw std::runtime_error("the calendar has no working time within ten years of t = " + std::to_string(t_s) + " s");
}

double WorkingCalendar::due_s(double t_s, const scenario::TimeLimit& limit) const {
  switch (limit.kind) {
    case scenario::TimeLimit::Kind::none: return std::numeric_limits<double>::infinity();
    case scenario::TimeLimit::Kind::clock: return t_s + limit.amount;
    case scenario::TimeLimit::Kind::working_days: return add_working_s(t_s, limit.amount * working_day_length_s());
    case scenario::TimeLimit::Kind::working_hours: return add_working_s(t_s, limit.amount * 3600.0);
  }
  return std::numeric_limits<double>::infinity();
}

}  // namespace civicgrid::city
