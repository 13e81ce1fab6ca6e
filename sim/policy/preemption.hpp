// The pre-emption decision (dispatch.preemption: by_priority): whom an urgent case takes from less urgent work
// when nobody qualified is free. The engine knows which members are at work and may be interrupted at all
// (their crew complete, their job not ending now, their shift not over); this type decides among them.
#pragma once

#include <algorithm>
#include <limits>
#include <optional>

#include "city/geometry.hpp"
#include "policy/dispatcher.hpp"

namespace civicgrid::policy {

// A member working on a job, as the pre-emption choice sees it.
struct WorkingMember {
  int responder = -1;
  int job_priority = 1;      // the job it would leave (a larger number is less urgent)
  double work_start_s = 0;   // when that job's work began, or will begin once its crew is on scene
  city::Point scene;
};

// Takes the nearest member (from its scene, with a turnout: it stands there) on a strictly less urgent job whose work has
// begun; a crew still on its way carries on, so booked response times never change. Candidates come in a
// fixed order and ties keep the first, so the choice is reproducible.
class ByPriorityPreemption {
 public:
  ByPriorityPreemption(const city::TravelModel& travel, int urgent_priority, city::Point place, double now_s)
      : travel_(travel), urgent_priority_(urgent_priority), place_(place), now_s_(now_s) {}
  // Inline: the engine offers it every working member of the role, for every urgent case nobody free can take.
  void consider(const WorkingMember& member) {
    if (member.job_priority <= urgent_priority_) return;   // as urgent or more: never interrupted for this case
    if (now_s_ < member.work_start_s) {
      retry_at_s_ = std::min(retry_at_s_, member.work_start_s);
      return;
    }
    const double travel_s = travel_.response_travel_s(member.scene, place_, true);
    if (!best_ || travel_s < best_->travel_s) best_ = Assignment{member.responder, travel_s};
  }
  const std::optional<Assignment>& choice() const { return best_; }
  // When the first less urgent crew still on its way begins its work (infinity: none): worth another try then.
  double retry_at_s() const { return retry_at_s_; }

 private:
  const city::TravelModel& travel_;
  int urgent_priority_;
  city::Point place_;
  double now_s_;
  std::optional<Assignment> best_;
  double retry_at_s_ = std::numeric_limits<double>::infinity();
};

}  // namespace civicgrid::policy
