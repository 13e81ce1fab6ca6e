// The shift decisions: whether a member's shift runs on a given day (its weekdays or the working calendar,
// and whether the member turned up), and when its last call begins (only urgent work from then on). The
// responder actor passes the time; this type answers the questions, so another rota rule replaces it here.
#pragma once

#include "city/calendar.hpp"
#include "scenario/scenario.hpp"

namespace civicgrid::policy {

class ShiftRules {
 public:
  ShiftRules(const scenario::Shift& shift, const city::WorkingCalendar& calendar) : shift_(shift), calendar_(calendar) {}
  // On duty on calendar day `day`: scheduled then, and present (attendance_draw uniform in [0, 1) below
  // availability). The draw is taken on every day, scheduled or not, by the caller.
  bool works_on(long long day, double attendance_draw, double availability) const;
  bool has_last_call() const { return shift_.last_call_s > 0; }
  // When the last call of a shift ending at duty_end_s begins.
  double last_call_from_s(double duty_end_s) const { return duty_end_s - shift_.last_call_s; }
  bool in_last_call(double now_s, double duty_end_s) const {
    return has_last_call() && now_s >= last_call_from_s(duty_end_s);
  }

 private:
  const scenario::Shift& shift_;
  const city::WorkingCalendar& calendar_;
};

}  // namespace civicgrid::policy
