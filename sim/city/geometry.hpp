// Points, rectangles and the travel-time model. Travel time is the single place where distance becomes time,
// so that policies, the engine and the analytic tests all agree on it.
#pragma once

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

class TravelModel {
 public:
  explicit TravelModel(const scenario::Travel& travel) : travel_(travel) {}

  // Distance by the metric, before the detour factor; 0 for metric `none`.
  double distance_m(Point a, Point b) const;
  // Distance on the road: metric distance x detour factor.
  double road_distance_m(Point a, Point b) const { return distance_m(a, b) * travel_.detour_factor; }
  // Time on the road: distance x detour factor / speed (no turnout).
  double drive_s(Point a, Point b) const;
  // Time from being assigned to arriving: turnout (only when starting from standstill) + drive.
  double response_travel_s(Point from, Point to, bool from_standstill) const {
    return (from_standstill ? travel_.turnout_s : 0.0) + drive_s(from, to);
  }

 private:
  scenario::Travel travel_;
};

}  // namespace civicgrid::city
