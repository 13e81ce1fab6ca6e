// See escalation.hpp. A pooled district has one tier, so time limits apply only to a tiered ladder.
#include "policy/escalation.hpp"

#include <algorithm>

namespace civicgrid::policy {

bool LadderEscalation::goes_up_when_busy(int /*type*/, int /*level*/) const {
  return rules_.when_busy == scenario::WhenBusy::escalate;
}

double LadderEscalation::wait_limit_s(int /*type*/, int level) const {
  return rules_.mode == scenario::EscalationMode::tiered ? rules_.after_s[static_cast<std::size_t>(level)] : 0.0;
}

bool LadderEscalation::has_wait_limits() const {
  return rules_.mode == scenario::EscalationMode::tiered &&
         std::any_of(rules_.after_s.begin(), rules_.after_s.end(), [](double t) { return t > 0; });
}

}  // namespace civicgrid::policy
