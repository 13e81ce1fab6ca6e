// See preemption.hpp.
#include "policy/preemption.hpp"

#include <algorithm>

namespace civicgrid::policy {

void ByPriorityPreemption::consider(const WorkingMember& member) {
  if (member.job_priority <= urgent_priority_) return;   // as urgent or more: never interrupted for this case
  if (now_s_ < member.work_start_s) {
    retry_at_s_ = std::min(retry_at_s_, member.work_start_s);
    return;
  }
  const double travel_s = travel_.response_travel_s(member.scene, place_, true);
  if (!best_ || travel_s < best_->travel_s) best_ = Assignment{member.responder, travel_s};
}

}  // namespace civicgrid::policy
