// The sampler: dynamic coverage is a time average of who could reach residents in time, and the backlog a
// curve over time, so an actor of its own looks at the world on a fixed clock. It changes nothing, so
// sampling never alters a run.
#include "engine/world.hpp"

namespace civicgrid::engine {

void World::sample_coverage() {
  const double every_s = observer_.coverage_sample_every_s();
  const double warmup_s = scenario_.run.warmup_s;
  const double horizon_s = scenario_.run.horizon_s;
  available_scratch_.assign(roster_.responders().size(), 0);
  // Half an interval off the window's start, so samples never coincide with whole-hour shift changes.
  for (std::int64_t k = 0;; ++k) {
    const double t_s = warmup_s + (static_cast<double>(k) + 0.5) * every_s;
    if (t_s >= horizon_s) return;
    pass_time_until(t_s);
    // At rest: free for dispatch and not driving back (a member on the way home covers nobody yet).
    for (std::size_t r = 0; r < available_scratch_.size(); ++r) {
      const int responder = static_cast<int>(r);
      available_scratch_[r] = dispatcher_.is_available(responder) && !dispatcher_.whereabouts(responder).moving_at(t_s);
    }
    observer_.coverage_sampled(t_s, available_scratch_);
    // The backlog at the same instants: cases known and not yet closed, whenever they occurred.
    std::int64_t open_known = 0;
    for (std::size_t slot = 0; slot < incidents_.size(); ++slot)
      open_known += slot_in_use_[slot] && incidents_[slot].stage != Stage::unknown && incidents_[slot].stage != Stage::closed;
    observer_.backlog_sampled(t_s, open_known);
  }
}

}  // namespace civicgrid::engine
