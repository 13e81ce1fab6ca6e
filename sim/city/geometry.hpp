// Points, rectangles and the travel-time model. Travel time is the single place where distance becomes time,
// so that policies, the engine and the analytic tests all agree on it.
#pragma once

#include <limits>
#include <map>
#include <vector>

#include "scenario/scenario.hpp"

namespace civicgrid::city {

struct Point {
  double x_m = 0;
  double y_m = 0;
};

struct Rect {
  double min_x_m = 0;
  double min_y_m = 0;
  double max_x_m = 0;
  double max_y_m = 0;
  Point centre() const { return {(min_x_m + max_x_m) / 2, (min_y_m + max_y_m) / 2}; }
};

// A point on the straight segment from `from` to `to`, `fraction` of the way along (0 = from, 1 = to).
// Straight-line interpolation keeps Manhattan distances consistent too: any monotone path has the L1 length.
Point interpolate(Point from, Point to, double fraction);

class City;

class TravelModel {
 public:
  // One mode for every trip, from coordinates (rectangular layouts, and tests without a city).
  explicit TravelModel(const scenario::Travel& travel);
  // GeoJSON cities add the urban and rural modes (the grid where a trip starts decides) and the grid-to-grid
  // matrix; for a rectangular city this is the constructor above. `city` must outlive the model.
  TravelModel(const scenario::Travel& travel, const City& city);

  // Distance by the metric, before the detour factor; 0 for metric `none`.
  double distance_m(Point a, Point b) const;
  // Distance on the road: metric distance x detour factor (also with a matrix, which holds no distances).
  double road_distance_m(Point a, Point b) const;
  // Time on the road: the matrix's time between the two points' grids if it has the pair, else distance x
  // detour factor / speed (no turnout).
  double drive_s(Point a, Point b) const;
  // Time from being assigned to arriving: turnout (only when starting from standstill) + drive.
  double response_travel_s(Point from, Point to, bool from_standstill) const;

 private:
  // The mode of the grid the trip starts in; `from_grid` is that grid (-1 when the model has no city).
  const scenario::TravelMode& mode_at(Point from, int& from_grid) const;
  double drive_from_s(const scenario::TravelMode& mode, int from_grid, Point a, Point b) const;

  // The grid of a point through a small direct-mapped cache: most trips start or end at a base, a fixed
  // point, and locating it in the polygons costs more than the rest of a travel-time evaluation.
  int grid_of(Point point) const;

  scenario::TravelMode modes_[3];   // by scenario::AreaKind: unspecified (the travel keys), urban, rural
  const City* city_ = nullptr;      // only when the city is geographic and has modes or a matrix
  std::map<long long, double> matrix_s_;
  long long grids_ = 0;
  struct CachedGrid {
    Point point{std::numeric_limits<double>::quiet_NaN(), 0};
    int grid = -1;
  };
  mutable std::vector<CachedGrid> grid_cache_;
};

}  // namespace civicgrid::city
