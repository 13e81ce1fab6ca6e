// The escalation decision (提级): a case that finds nobody free at its level either goes up the ladder at once
// or waits there, and a waiting case may go up after a time limit. The engine owns the ladder and the lines;
// this small type only answers the two questions, so a rule per incident type can replace it in one place.
#pragma once

#include "scenario/scenario.hpp"

namespace civicgrid::policy {

// The rule of each incident type (scenario::Scenario::escalation_for): its own where it has one, else the
// scenario-wide escalation.when_busy and escalation.after.
class LadderEscalation {
 public:
  explicit LadderEscalation(const scenario::Scenario& scenario) : scenario_(scenario) {}
  // Nobody free at the tier led by `level` (a scenario::Level value): go up now rather than wait there.
  bool goes_up_when_busy(int type, int level) const;
  // How long a case of `type` may wait for a crew at the tier led by `level` before it goes up (0: no limit).
  double wait_limit_s(int type, int level) const;
  // Some case may go up on a time limit (the engine then needs its platform clock).
  bool has_wait_limits() const;

 private:
  const scenario::Scenario& scenario_;
};

}  // namespace civicgrid::policy
