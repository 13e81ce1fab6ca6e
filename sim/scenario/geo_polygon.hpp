// The one conversion of a grid's GeoJSON parts (outer rings and holes, projected metres) into a Boost.Geometry
// multi-polygon with the winding Boost expects. The loader validates shapes with it and city/ measures and
// locates with it, so both see the very same geometry.
#pragma once

#include <vector>

#include <boost/geometry.hpp>
#include <boost/geometry/geometries/point_xy.hpp>

#include "scenario/scenario.hpp"

namespace civicgrid::scenario {

using BgPoint = boost::geometry::model::d2::point_xy<double>;
using BgPolygon = boost::geometry::model::polygon<BgPoint>;
using BgMulti = boost::geometry::model::multi_polygon<BgPolygon>;

// RFC 7946 asks for counter-clockwise outer rings but tells readers to accept either: the winding is fixed
// (bg::correct), nothing else is changed.
inline BgMulti to_boost(const std::vector<GeoPolygon>& parts) {
  BgMulti multi;
  for (const auto& part : parts) {
    BgPolygon polygon;
    for (const auto& p : part.outer) polygon.outer().push_back({p.x_m, p.y_m});
    for (const auto& hole : part.holes) {
      polygon.inners().emplace_back();
      for (const auto& p : hole) polygon.inners().back().push_back({p.x_m, p.y_m});
    }
    multi.push_back(std::move(polygon));
  }
  boost::geometry::correct(multi);
  return multi;
}

}  // namespace civicgrid::scenario
