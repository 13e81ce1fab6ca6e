// Grid polygons of a GeoJSON layout with what the simulation asks of them: area, centroid, bounding box,
// "which grid is this point in" (a bucket index over bounding boxes, so a lookup tests a few polygons, not
// all of them). Kept out of city.hpp so that only city/ compiles Boost.Geometry.
#pragma once

#include <vector>

#include "city/geometry.hpp"
#include "scenario/geo_polygon.hpp"

namespace civicgrid::city {

class GeoShapes {
 public:
  explicit GeoShapes(const scenario::GeoLayout& layout);

  int grid_count() const { return static_cast<int>(shapes_.size()); }
  double area_m2(int grid) const { return areas_m2_[grid]; }
  Point centroid(int grid) const { return centroids_[grid]; }
  Rect box(int grid) const { return boxes_[grid]; }
  Rect extent() const { return extent_; }
  // The polygon itself, for geometry beyond these questions (which grids share an edge: city/adjacency.hpp).
  const scenario::BgMulti& shape(int grid) const { return shapes_[grid]; }
  // Inside or on the boundary of grid `grid`.
  bool contains(int grid, Point point) const;
  // The first grid (in file order) containing the point, or -1 outside every grid.
  int locate(Point point) const;
  // The grid whose centroid is nearest (Euclidean; ties to the lower index).
  int nearest_centroid(Point point) const;

 private:
  using BgPoint = scenario::BgPoint;
  using BgMulti = scenario::BgMulti;

  std::vector<BgMulti> shapes_;
  std::vector<double> areas_m2_;
  std::vector<Point> centroids_;
  std::vector<Rect> boxes_;
  Rect extent_;
  int buckets_x_ = 1;
  int buckets_y_ = 1;
  std::vector<std::vector<int>> buckets_;   // row-major; grids whose bounding box touches the bucket
};

}  // namespace civicgrid::city
