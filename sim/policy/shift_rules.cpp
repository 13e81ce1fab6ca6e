// See shift_rules.hpp.
#include "policy/shift_rules.hpp"

#include <cstddef>

namespace civicgrid::policy {

bool ShiftRules::works_on(long long day, double attendance_draw, double availability) const {
  const bool scheduled =
      shift_.follows_calendar ? calendar_.working_day(day) : shift_.days[static_cast<std::size_t>(day % 7)];
  return scheduled && attendance_draw < availability;
}

}  // namespace civicgrid::policy
