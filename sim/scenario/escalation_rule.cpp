// Which escalation rule an incident type follows, resolved in one place so that the engine's escalation
// policy and the offered-load estimate (city/offered_load.cpp) can never read different rules.
#include "scenario/scenario.hpp"

namespace civicgrid::scenario {

EscalationRule Scenario::escalation_for(int type) const {
  EscalationRule rule{escalation.when_busy, escalation.after_s};
  if (const auto& own = incidents[static_cast<std::size_t>(type)].escalation) {
    if (own->when_busy) rule.when_busy = *own->when_busy;
    if (own->after_s) rule.after_s = *own->after_s;
  }
  return rule;
}

}  // namespace civicgrid::scenario
