// Mutual aid (see mutual_aid.hpp). Adjacency uses the digitising tolerance of real grid boundaries
// (city::digitising_tolerance: shared edges within 1 m over more than 10 m), which is exact for rectangular
// layouts whose cells are longer than 10 m.
#include "policy/mutual_aid.hpp"

#include <algorithm>

namespace civicgrid::policy {

city::NeighbourRule MutualAid::rule_of(const scenario::MutualAid& rules) {
  if (rules.neighbours == scenario::NeighbourKind::within) return city::NeighbourRule::within_m(rules.within_m);
  return city::NeighbourRule::adjacent(city::digitising_tolerance);
}

MutualAid::MutualAid(const scenario::MutualAid& rules, const city::City& city)
    : after_s_(rules.after_s), neighbours_(city, rule_of(rules)) {}

bool MutualAid::helps(int helper_grid, int grid) const {
  const auto& helpers = neighbours_.of(grid);
  return std::binary_search(helpers.begin(), helpers.end(), helper_grid);
}

}  // namespace civicgrid::policy
