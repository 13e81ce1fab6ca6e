// See escalation.hpp. A pooled district has one tier, so time limits apply only to a tiered ladder.
#include "policy/escalation.hpp"

#include <algorithm>

namespace civicgrid::policy {

bool LadderEscalation::goes_up_when_busy(int type, int /*level*/) const {
  return scenario_.escalation_for(type).when_busy == scenario::WhenBusy::escalate;
}

double LadderEscalation::wait_limit_s(int type, int level) const {
  if (scenario_.escalation.mode != scenario::EscalationMode::tiered) return 0.0;
  return scenario_.escalation_for(type).after_s[static_cast<std::size_t>(level)];
}

bool LadderEscalation::has_wait_limits() const {
  if (scenario_.escalation.mode != scenario::EscalationMode::tiered) return false;
  for (int type = 0; type < static_cast<int>(scenario_.incidents.size()); ++type) {
    const auto& after_s = scenario_.escalation_for(type).after_s;
    if (std::any_of(after_s.begin(), after_s.end(), [](double t) { return t > 0; })) return true;
  }
  return false;
}

}  // namespace civicgrid::policy
