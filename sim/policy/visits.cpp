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

bool VisitIntervals::is_key(int household, int households) const {
  return household < key_households(households) && programme_.key_every_s > 0;
}

double VisitIntervals::first_due_s(int household, int households) const {
  const int key = key_households(households);
  if (is_key(household, households)) return static_cast<double>(household) / key * programme_.key_every_s;
  const double position =
      static_cast<double>(household - std::min(household, key)) / std::max(1, households - key);
  return position * programme_.every_s;
}

double VisitIntervals::next_due_s(int household, int households, double end_s) const {
  double interval_s = is_key(household, households) ? programme_.key_every_s : programme_.every_s;
  for (const auto& campaign : programme_.campaigns)
    if (end_s >= campaign.from_s && end_s < campaign.to_s) interval_s = std::min(interval_s, campaign.every_s);
  return end_s + interval_s;
}

}  // namespace civicgrid::policy
