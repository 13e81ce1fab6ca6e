// See visits.hpp. The arithmetic is the engine's original, so results stay byte-identical (tests/golden).
#include "policy/visits.hpp"

#include <algorithm>
#include <cmath>

namespace civicgrid::policy {

int VisitIntervals::households(double residents) const {
  return std::max(1, static_cast<int>(std::lround(residents / programme_.household_size)));
}

int VisitIntervals::key_households(int households) const {
  return static_cast<int>(std::lround(households * programme_.key_population_share));
}

VisitIntervals::Households VisitIntervals::households_of(double residents) const {
  const int count = households(residents);
  return {count, key_households(count)};
}

double VisitIntervals::first_due_s(int household, const Households& grid) const {
  const int key = grid.key;
  if (is_key(household, grid)) return static_cast<double>(household) / key * programme_.key_every_s;
  const double position =
      static_cast<double>(household - std::min(household, key)) / std::max(1, grid.count - key);
  return position * programme_.every_s;
}

double VisitIntervals::next_due_s(int household, const Households& grid, double end_s) const {
  double interval_s = is_key(household, grid) ? programme_.key_every_s : programme_.every_s;
  for (const auto& campaign : programme_.campaigns)
    if (end_s >= campaign.from_s && end_s < campaign.to_s) interval_s = std::min(interval_s, campaign.every_s);
  return end_s + interval_s;
}

}  // namespace civicgrid::policy
