// Distance metrics and travel times (see geometry.hpp).
#include "city/geometry.hpp"

#include <cmath>

namespace civicgrid::city {

Point interpolate(Point from, Point to, double fraction) {
  return {from.x_m + (to.x_m - from.x_m) * fraction, from.y_m + (to.y_m - from.y_m) * fraction};
}

double TravelModel::distance_m(Point a, Point b) const {
  const double dx = a.x_m - b.x_m;
  const double dy = a.y_m - b.y_m;
  switch (travel_.metric) {
    case scenario::TravelMetric::manhattan:
      return std::abs(dx) + std::abs(dy);
    case scenario::TravelMetric::euclidean:
      return std::sqrt(dx * dx + dy * dy);
    case scenario::TravelMetric::none:
      return 0.0;
  }
  return 0.0;
}

double TravelModel::drive_s(Point a, Point b) const {
  if (travel_.metric == scenario::TravelMetric::none || travel_.speed_mps <= 0) return 0.0;
  return distance_m(a, b) * travel_.detour_factor / travel_.speed_mps;
}

}  // namespace civicgrid::city
