// Which escalation rule an incident type follows, resolved in one place so that the engine's escalation
// policy and the offered-load estimate (city/offered_load.cpp) can never read different rules.
#include "scenario/scenario.hpp"

namespace civicgrid::scenario {

EscalationRule Scenario::escalation_for(int /*type*/) const { return {escalation.when_busy, escalation.after_s}; }

}  // namespace civicgrid::scenario
