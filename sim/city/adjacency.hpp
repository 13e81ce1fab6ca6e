// Which grids neighbour which, for dispatch rules that lend an idle member of one grid to a case of the grid
// next door (mutual aid between neighbouring grids, 横向对接、联调联防). Computed once per city and looked up per
// case, so a dispatcher never touches polygons. Shared edges rather than bounding boxes or centroid distance:
// two grids whose corners touch have no common boundary to cross.
#pragma once

#include <vector>

#include "city/city.hpp"

namespace civicgrid::city {

// When two GeoJSON boundaries count as sharing an edge. Grids digitised separately do not meet exactly (slivers
// of gap or overlap, vertices of one grid not on the other's edge), so a stretch of one boundary counts as
// shared where it lies within gap_m of the other boundary, and two grids are adjacent when each has more than
// min_length_m of its boundary shared with the other (the smaller of the two lengths decides, so the relation
// is symmetric by construction).
struct SharedEdgeTolerance {
  double gap_m = 0;
  double min_length_m = 0;
};

// The tolerance for real grid boundaries. gap_m = 1 m: grid boundaries follow streets and walls on large-scale
// base maps (1:500 to 1:2000), whose features sit within about a metre, so gaps and overlaps between grids
// digitised separately are of that size; a wider gap would start to bridge a real alley or canal between grids.
// min_length_m = 10 m: a contact at a single point also puts some boundary within gap_m of the other grid,
// max(gap, gap / sin(angle)) along each edge leaving the point at that angle to the other grid's boundary: 2 m
// in all for the right-angled corners of a block pattern, and one edge reaches 10 m only below about 6 degrees,
// while edges that grids really share are street frontages of tens to hundreds of metres.
inline constexpr SharedEdgeTolerance digitising_tolerance{1.0, 10.0};

// What makes two grids neighbours; std::invalid_argument for negative or non-finite parameters.
class NeighbourRule {
 public:
  // Grids sharing an edge of positive length. Rectangular layouts are exact: cells sharing a side (the
  // 4-neighbourhood; corner contact does not count) when the side, cell_size_m, is longer than
  // tolerance.min_length_m. GeoJSON: see SharedEdgeTolerance.
  static NeighbourRule adjacent(SharedEdgeTolerance tolerance);
  // Grids whose areas come within distance_m of each other (Euclidean distance between the cells or polygons,
  // 0 where they touch or overlap). within_m(0) on a rectangular layout is the 8-neighbourhood.
  static NeighbourRule within_m(double distance_m);

 private:
  enum class Kind { adjacent, within };
  NeighbourRule(Kind kind, SharedEdgeTolerance tolerance, double distance_m)
      : kind_(kind), tolerance_(tolerance), distance_m_(distance_m) {}
  Kind kind_;
  SharedEdgeTolerance tolerance_;
  double distance_m_;
  friend class GridNeighbours;
};

// The neighbour lists of every grid of a city under one rule. Construction is O(n log n) in the number of
// grids (GeoJSON: boundary segments): R-trees find the candidates, so only nearby pairs are measured.
class GridNeighbours {
 public:
  GridNeighbours(const City& city, const NeighbourRule& rule);

  int grid_count() const { return static_cast<int>(neighbours_.size()); }
  // The neighbours of `grid`, ascending ids, never `grid` itself; std::out_of_range for an unknown grid.
  const std::vector<int>& of(int grid) const { return neighbours_.at(static_cast<std::size_t>(grid)); }

 private:
  std::vector<std::vector<int>> neighbours_;
};

}  // namespace civicgrid::city
