// Boost.Geometry does the polygon arithmetic (area, centroid, covered_by); the bucket index is ours because
// it is a dozen lines and keeps lookups deterministic (an R-tree would do as well, with more machinery).
#include "city/geo_shapes.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace civicgrid::city {

namespace bg = boost::geometry;

GeoShapes::GeoShapes(const scenario::GeoLayout& layout) {
  extent_ = {std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(),
             -std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
  for (const auto& grid : layout.grids) {
    BgMulti multi = scenario::to_boost(grid.parts);
    areas_m2_.push_back(bg::area(multi));
    BgPoint centre(0, 0);
    bg::centroid(multi, centre);
    centroids_.push_back({centre.x(), centre.y()});
    // Outer rings bound the shape; computed by hand because GCC 12 warns inside bg::envelope for multi-polygons.
    Rect rect{std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(),
              -std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
    for (const auto& part : grid.parts)
      for (const auto& p : part.outer)
        rect = {std::min(rect.min_x_m, p.x_m), std::min(rect.min_y_m, p.y_m), std::max(rect.max_x_m, p.x_m),
                std::max(rect.max_y_m, p.y_m)};
    boxes_.push_back(rect);
    extent_ = {std::min(extent_.min_x_m, rect.min_x_m), std::min(extent_.min_y_m, rect.min_y_m),
               std::max(extent_.max_x_m, rect.max_x_m), std::max(extent_.max_y_m, rect.max_y_m)};
    shapes_.push_back(std::move(multi));
  }
  // About one bucket per grid, shaped like the extent.
  const double width = std::max(extent_.max_x_m - extent_.min_x_m, 1e-9);
  const double height = std::max(extent_.max_y_m - extent_.min_y_m, 1e-9);
  const double n = std::max<double>(1, static_cast<double>(shapes_.size()));
  buckets_x_ = std::clamp(static_cast<int>(std::ceil(std::sqrt(n * width / height))), 1, 1024);
  buckets_y_ = std::clamp(static_cast<int>(std::ceil(n / buckets_x_)), 1, 1024);
  buckets_.assign(static_cast<std::size_t>(buckets_x_) * buckets_y_, {});
  const auto bucket_x = [&](double x) {
    return std::clamp(static_cast<int>((x - extent_.min_x_m) / width * buckets_x_), 0, buckets_x_ - 1);
  };
  const auto bucket_y = [&](double y) {
    return std::clamp(static_cast<int>((y - extent_.min_y_m) / height * buckets_y_), 0, buckets_y_ - 1);
  };
  for (int grid = 0; grid < grid_count(); ++grid) {
    const Rect& b = boxes_[grid];
    for (int by = bucket_y(b.min_y_m); by <= bucket_y(b.max_y_m); ++by)
      for (int bx = bucket_x(b.min_x_m); bx <= bucket_x(b.max_x_m); ++bx)
        buckets_[static_cast<std::size_t>(by) * buckets_x_ + bx].push_back(grid);
  }
}

bool GeoShapes::contains(int grid, Point point) const {
  const Rect& b = boxes_[grid];
  if (point.x_m < b.min_x_m || point.x_m > b.max_x_m || point.y_m < b.min_y_m || point.y_m > b.max_y_m) return false;
  return bg::covered_by(BgPoint(point.x_m, point.y_m), shapes_[grid]);
}

int GeoShapes::locate(Point point) const {
  if (point.x_m < extent_.min_x_m || point.x_m > extent_.max_x_m || point.y_m < extent_.min_y_m ||
      point.y_m > extent_.max_y_m)
    return -1;
  const double width = std::max(extent_.max_x_m - extent_.min_x_m, 1e-9);
  const double height = std::max(extent_.max_y_m - extent_.min_y_m, 1e-9);
  const int bx = std::clamp(static_cast<int>((point.x_m - extent_.min_x_m) / width * buckets_x_), 0, buckets_x_ - 1);
  const int by = std::clamp(static_cast<int>((point.y_m - extent_.min_y_m) / height * buckets_y_), 0, buckets_y_ - 1);
  for (int grid : buckets_[static_cast<std::size_t>(by) * buckets_x_ + bx])   // grids in file order
    if (contains(grid, point)) return grid;
  return -1;
}

int GeoShapes::nearest_centroid(Point point) const {
  int best = 0;
  double best_d2 = std::numeric_limits<double>::infinity();
  for (int grid = 0; grid < grid_count(); ++grid) {
    const double dx = centroids_[grid].x_m - point.x_m;
    const double dy = centroids_[grid].y_m - point.y_m;
    if (dx * dx + dy * dy < best_d2) {
      best_d2 = dx * dx + dy * dy;
      best = grid;
    }
  }
  return best;
}

}  // namespace civicgrid::city
