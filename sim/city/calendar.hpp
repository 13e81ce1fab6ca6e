// Working time (工作日历): which days are working days and when a time limit counted in working days or
// working hours falls due. Deadlines such as 处置时限 "2 working days" are set this way in practice, so an
// incident reported on a Friday evening or before a holiday has longer on the clock than one on a Tuesday.
// Plain C++ (no SimGrid) so the arithmetic is unit-tested directly.
#pragma once

#include <string>

#include "scenario/scenario.hpp"

namespace civicgrid::city {

class WorkingCalendar {
 public:
  explicit WorkingCalendar(const scenario::Calendar& calendar);

  // Day 0 is the calendar's start date (a Monday); negative days are not working days.
  bool working_day(long long day) const;
  // The moment at which `working_s` seconds of working time have passed after t_s.
  double add_working_s(double t_s, double working_s) const;
  // When a limit counted from t_s falls due (t_s + amount on the clock; working time via the calendar).
  double due_s(double t_s, const scenario::TimeLimit& limit) const;
  double working_day_length_s() const { return calendar_.work_to_s - calendar_.work_from_s; }

 private:
  scenario::Calendar calendar_;
};

}  // namespace civicgrid::city
