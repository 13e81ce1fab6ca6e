// Points, rectangles and the travel-time model. Travel time is the single place where distance becomes time,
// so that policies, the engine and the analytic tests all agree on it.
#pragma once

#include <cmath>
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
  // Time from being assigned to arriving: turnout (only when starting from standstill) + drive. Inline for
  // the one-mode model, because dispatch evaluates it for every free candidate of every call.
  double response_travel_s(Point from, Point to, bool from_standstill) const {
    if (city_ != nullptr) return response_travel_by_grid_s(from, to, from_standstill);
    const scenario::TravelMode& mode = modes_[0];
    return (from_standstill ? mode.turnout_s : 0.0) + one_mode_drive_s(mode, from, to);
  }

 private:
  // The same arithmetic as drive_from_s without a matrix (kept in step with it: geometry.cpp).
  static double one_mode_drive_s(const scenario::TravelMode& mode, Point a, Point b) {
    if (mode.metric == scenario::TravelMetric::none || mode.speed_mps <= 0) return 0.0;
    const double dx = a.x_m - b.x_m;
    const double dy = a.y_m - b.y_m;
    const double distance_m = mode.metric == scenario::TravelMetric::manhattan ? std::abs(dx) + std::abs(dy)
                                                                               : std::sqrt(dx * dx + dy * dy);
    return distance_m * mode.detour_factor / mode.speed_mps;
  }
  double response_travel_by_grid_s(Point from, Point to, bool from_standstill) const;
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
