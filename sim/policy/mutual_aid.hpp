// Mutual aid between neighbouring grids (横向对接、联调联防, dispatch.mutual_aid): which grids lend their idle
// members to a case of the grid next door, and after how long. A small value the dispatcher consults when a
// case's reach has widened; the neighbour lists are computed once per city (city/adjacency.hpp), so a
// decision never touches polygons.
#pragma once

#include <vector>

#include "city/adjacency.hpp"
#include "scenario/scenario.hpp"

namespace civicgrid::policy {

class MutualAid {
 public:
  // std::invalid_argument for a rule the city cannot measure (a negative or non-finite distance).
  MutualAid(const scenario::MutualAid& rules, const city::City& city);

  // How long a case waits for its own grid's staff before the neighbours' may help (0: at once).
  double after_s() const { return after_s_; }
  // The grids whose members may help a case of `grid`, ascending ids, never `grid` itself.
  const std::vector<int>& helpers_of(int grid) const { return neighbours_.of(grid); }
  bool helps(int helper_grid, int grid) const;

 private:
  static city::NeighbourRule rule_of(const scenario::MutualAid& rules);
  double after_s_;
  city::GridNeighbours neighbours_;
};

}  // namespace civicgrid::policy
