// Neighbour lists (see adjacency.hpp). Rectangular layouts by arithmetic on rows and columns. GeoJSON: an
// R-tree of boundary segments finds, for each segment, the segments of other grids within the gap, and the
// part of it within the gap is measured exactly (a segment meets the capsule around another segment in one
// interval); an R-tree of grid boxes finds the candidates of within_m, which Boost.Geometry then measures.
// Boost's exact intersection of boundaries is not used for edges: it misses edges whose vertices do not match
// to the last bit, which is the normal case for grids digitised separately.
#include "city/adjacency.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include <boost/geometry/index/rtree.hpp>

#include "city/geo_shapes.hpp"

namespace civicgrid::city {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BgBox = bg::model::box<scenario::BgPoint>;
using BoxEntry = std::pair<BgBox, int>;
using BoxTree = bgi::rtree<BoxEntry, bgi::quadratic<16>>;

void require_non_negative(double value, const char* what) {
  if (!std::isfinite(value) || value < 0)
    throw std::invalid_argument(std::string("neighbour rule: ") + what + " must be finite and >= 0, not " +
                                std::to_string(value));
}

BgBox expanded(Rect rect, double margin_m) {
  return {{rect.min_x_m - margin_m, rect.min_y_m - margin_m}, {rect.max_x_m + margin_m, rect.max_y_m + margin_m}};
}

double rect_distance_m(const Rect& a, const Rect& b) {
  const double dx = std::max({0.0, a.min_x_m - b.max_x_m, b.min_x_m - a.max_x_m});
  const double dy = std::max({0.0, a.min_y_m - b.max_y_m, b.min_y_m - a.max_y_m});
  return std::hypot(dx, dy);
}

// Rows and columns of a rectangular city, from its grids (id = row * cols + col).
std::pair<int, int> rows_cols(const City& city) {
  int rows = 0, cols = 0;
  for (const Grid& grid : city.grids()) {
    rows = std::max(rows, grid.row + 1);
    cols = std::max(cols, grid.col + 1);
  }
  return {rows, cols};
}

std::vector<std::vector<int>> rectangular_adjacent(const City& city, SharedEdgeTolerance tolerance) {
  const auto& grids = city.grids();
  std::vector<std::vector<int>> neighbours(grids.size());
  if (grids.empty()) return neighbours;
  const double side_m = grids[0].area.max_x_m - grids[0].area.min_x_m;
  if (!(side_m > tolerance.min_length_m)) return neighbours;
  const auto [rows, cols] = rows_cols(city);
  for (const Grid& grid : grids) {
    auto& list = neighbours[static_cast<std::size_t>(grid.id)];
    // Ascending ids: above, left, right, below.
    if (grid.row > 0) list.push_back(grid.id - cols);
    if (grid.col > 0) list.push_back(grid.id - 1);
    if (grid.col + 1 < cols) list.push_back(grid.id + 1);
    if (grid.row + 1 < rows) list.push_back(grid.id + cols);
  }
  return neighbours;
}

std::vector<std::vector<int>> rectangular_within(const City& city, double distance_m) {
  const auto& grids = city.grids();
  std::vector<std::vector<int>> neighbours(grids.size());
  if (grids.empty()) return neighbours;
  const double side_m = grids[0].area.max_x_m - grids[0].area.min_x_m;
  const auto [rows, cols] = rows_cols(city);
  // Cells k apart in a direction have a gap of (k - 1) sides, so no cell beyond reach comes within distance_m;
  // the exact distance of the rectangles decides for the others.
  const int reach = side_m > 0 ? static_cast<int>(std::min<double>(std::max(rows, cols), std::floor(distance_m / side_m) + 1))
                               : std::max(rows, cols);
  for (const Grid& grid : grids) {
    auto& list = neighbours[static_cast<std::size_t>(grid.id)];
    for (int row = std::max(0, grid.row - reach); row <= std::min(rows - 1, grid.row + reach); ++row)
      for (int col = std::max(0, grid.col - reach); col <= std::min(cols - 1, grid.col + reach); ++col) {
        const int other = row * cols + col;
        if (other != grid.id && rect_distance_m(grid.area, grids[static_cast<std::size_t>(other)].area) <= distance_m)
          list.push_back(other);
      }
  }
  return neighbours;
}

struct Segment {
  Point from, to;
  int grid = 0;
};

// Fractions [lo, hi] of a segment.
struct Span {
  double lo = 0, hi = 0;
};

// Clips `span` to the fractions u where offset + slope * u lies in [lo, hi]; false when nothing is left.
bool clip(double offset, double slope, double lo, double hi, Span& span) {
  if (slope == 0) return offset >= lo && offset <= hi;
  double a = (lo - offset) / slope, b = (hi - offset) / slope;
  if (a > b) std::swap(a, b);
  span = {std::max(span.lo, a), std::min(span.hi, b)};
  return span.lo <= span.hi;
}

// The fractions of segment p0 -> p1 within reach_m of point q.
std::optional<Span> near_point(Point p0, Point p1, Point q, double reach_m) {
  const double dx = p1.x_m - p0.x_m, dy = p1.y_m - p0.y_m;
  const double wx = p0.x_m - q.x_m, wy = p0.y_m - q.y_m;
  const double a = dx * dx + dy * dy;
  const double b = 2 * (dx * wx + dy * wy);
  const double c = wx * wx + wy * wy - reach_m * reach_m;
  const double discriminant = b * b - 4 * a * c;
  if (a == 0 || discriminant < 0) return std::nullopt;
  const double root = std::sqrt(discriminant);
  Span span{std::max(0.0, (-b - root) / (2 * a)), std::min(1.0, (-b + root) / (2 * a))};
  if (span.lo > span.hi) return std::nullopt;
  return span;
}

// The fractions of segment p0 -> p1 within reach_m of segment q0 -> q1. The points within reach of a segment
// form a capsule, which is convex, so they are one interval: the hull of where p0 -> p1 meets the two end discs
// and the rectangle between them.
std::optional<Span> near_segment(Point p0, Point p1, Point q0, Point q1, double reach_m) {
  std::optional<Span> hull;
  const auto add = [&hull](std::optional<Span> part) {
    if (!part) return;
    hull = hull ? Span{std::min(hull->lo, part->lo), std::max(hull->hi, part->hi)} : *part;
  };
  add(near_point(p0, p1, q0, reach_m));
  add(near_point(p0, p1, q1, reach_m));
  const double ex = q1.x_m - q0.x_m, ey = q1.y_m - q0.y_m;
  const double length = std::hypot(ex, ey);
  if (length > 0) {
    const double ux = ex / length, uy = ey / length;   // along q; the normal is (-uy, ux)
    const double wx = p0.x_m - q0.x_m, wy = p0.y_m - q0.y_m;
    const double dx = p1.x_m - p0.x_m, dy = p1.y_m - p0.y_m;
    Span span{0, 1};
    if (clip(wx * ux + wy * uy, dx * ux + dy * uy, 0, length, span) &&
        clip(-wx * uy + wy * ux, -dx * uy + dy * ux, -reach_m, reach_m, span))
      add(span);
  }
  return hull;
}

std::vector<Segment> boundary_segments(const GeoShapes& shapes) {
  std::vector<Segment> segments;
  const auto add_ring = [&segments](const auto& ring, int grid) {
    for (std::size_t i = 1; i < ring.size(); ++i) {   // Boost rings are closed: the last point repeats the first
      const Point from{ring[i - 1].x(), ring[i - 1].y()}, to{ring[i].x(), ring[i].y()};
      if (from.x_m != to.x_m || from.y_m != to.y_m) segments.push_back({from, to, grid});
    }
  };
  for (int grid = 0; grid < shapes.grid_count(); ++grid)
    for (const auto& polygon : shapes.shape(grid)) {
      add_ring(polygon.outer(), grid);
      for (const auto& hole : polygon.inners()) add_ring(hole, grid);
    }
  return segments;
}

Rect segment_box(const Segment& s) {
  return {std::min(s.from.x_m, s.to.x_m), std::min(s.from.y_m, s.to.y_m), std::max(s.from.x_m, s.to.x_m),
          std::max(s.from.y_m, s.to.y_m)};
}

std::vector<std::vector<int>> geographic_adjacent(const GeoShapes& shapes, SharedEdgeTolerance tolerance) {
  const int grid_count = shapes.grid_count();
  const std::vector<Segment> segments = boundary_segments(shapes);
  std::vector<BoxEntry> entries;
  entries.reserve(segments.size());
  for (std::size_t i = 0; i < segments.size(); ++i) entries.push_back({expanded(segment_box(segments[i]), 0), static_cast<int>(i)});
  const BoxTree tree(entries.begin(), entries.end());   // bulk loading: O(S log S) for S segments

  // shared_m[a]: (b, length of a's boundary within gap_m of b's boundary), ascending b. Segments of a grid are
  // contiguous, so each grid's lengths are complete when its last segment is done.
  std::vector<std::vector<std::pair<int, double>>> shared_m(static_cast<std::size_t>(grid_count));
  std::vector<BoxEntry> hits;
  std::vector<std::pair<int, Span>> parts;            // (other grid, fractions of this segment near it)
  std::vector<std::pair<int, double>> lengths;        // (other grid, metres) of the current grid's segments
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const Segment& s = segments[i];
    hits.clear();
    tree.query(bgi::intersects(expanded(segment_box(s), tolerance.gap_m)), std::back_inserter(hits));
    parts.clear();
    for (const BoxEntry& hit : hits) {
      const Segment& t = segments[static_cast<std::size_t>(hit.second)];
      if (t.grid == s.grid) continue;
      if (const auto span = near_segment(s.from, s.to, t.from, t.to, tolerance.gap_m)) parts.push_back({t.grid, *span});
    }
    // The union of the parts near each other grid (a stretch near two of its segments counts once).
    std::sort(parts.begin(), parts.end(), [](const auto& x, const auto& y) {
      return x.first != y.first ? x.first < y.first : x.second.lo < y.second.lo;
    });
    const double length_m = std::hypot(s.to.x_m - s.from.x_m, s.to.y_m - s.from.y_m);
    for (std::size_t k = 0; k < parts.size();) {
      const int other = parts[k].first;
      double covered = 0;
      Span run = parts[k].second;
      for (; k < parts.size() && parts[k].first == other; ++k) {
        if (parts[k].second.lo > run.hi) {
          covered += run.hi - run.lo;
          run = parts[k].second;
        } else {
          run.hi = std::max(run.hi, parts[k].second.hi);
        }
      }
      covered += run.hi - run.lo;
      lengths.push_back({other, covered * length_m});
    }
    if (i + 1 == segments.size() || segments[i + 1].grid != s.grid) {
      std::sort(lengths.begin(), lengths.end());
      auto& mine = shared_m[static_cast<std::size_t>(s.grid)];
      for (const auto& [other, metres] : lengths) {
        if (!mine.empty() && mine.back().first == other) mine.back().second += metres;
        else mine.push_back({other, metres});
      }
      lengths.clear();
    }
  }

  std::vector<std::vector<int>> neighbours(static_cast<std::size_t>(grid_count));
  for (int a = 0; a < grid_count; ++a)
    for (const auto& [b, a_near_b_m] : shared_m[static_cast<std::size_t>(a)]) {
      if (b < a) continue;   // each pair once, so both lists get the same verdict
      const auto& theirs = shared_m[static_cast<std::size_t>(b)];
      const auto found = std::lower_bound(theirs.begin(), theirs.end(), std::pair<int, double>{a, -1.0});
      const double b_near_a_m = found != theirs.end() && found->first == a ? found->second : 0.0;
      if (std::min(a_near_b_m, b_near_a_m) > tolerance.min_length_m) {
        neighbours[static_cast<std::size_t>(a)].push_back(b);
        neighbours[static_cast<std::size_t>(b)].push_back(a);
      }
    }
  for (auto& list : neighbours) std::sort(list.begin(), list.end());
  return neighbours;
}

std::vector<std::vector<int>> geographic_within(const GeoShapes& shapes, double distance_m) {
  const int grid_count = shapes.grid_count();
  std::vector<BoxEntry> entries;
  entries.reserve(static_cast<std::size_t>(grid_count));
  for (int grid = 0; grid < grid_count; ++grid) entries.push_back({expanded(shapes.box(grid), 0), grid});
  const BoxTree tree(entries.begin(), entries.end());
  std::vector<std::vector<int>> neighbours(static_cast<std::size_t>(grid_count));
  std::vector<BoxEntry> hits;
  for (int a = 0; a < grid_count; ++a) {
    hits.clear();
    // Boxes farther apart than distance_m hold polygons farther apart still.
    tree.query(bgi::intersects(expanded(shapes.box(a), distance_m)), std::back_inserter(hits));
    for (const BoxEntry& hit : hits) {
      const int b = hit.second;
      if (b <= a) continue;   // each pair once
      if (bg::distance(shapes.shape(a), shapes.shape(b)) <= distance_m) {
        neighbours[static_cast<std::size_t>(a)].push_back(b);
        neighbours[static_cast<std::size_t>(b)].push_back(a);
      }
    }
  }
  for (auto& list : neighbours) std::sort(list.begin(), list.end());
  return neighbours;
}

}  // namespace

NeighbourRule NeighbourRule::adjacent(SharedEdgeTolerance tolerance) {
  require_non_negative(tolerance.gap_m, "gap_m");
  require_non_negative(tolerance.min_length_m, "min_length_m");
  return NeighbourRule(Kind::adjacent, tolerance, 0);
}

NeighbourRule NeighbourRule::within_m(double distance_m) {
  require_non_negative(distance_m, "distance_m");
  return NeighbourRule(Kind::within, {}, distance_m);
}

GridNeighbours::GridNeighbours(const City& city, const NeighbourRule& rule) {
  const GeoShapes* shapes = city.geo_shapes();
  if (rule.kind_ == NeighbourRule::Kind::adjacent)
    neighbours_ = shapes ? geographic_adjacent(*shapes, rule.tolerance_) : rectangular_adjacent(city, rule.tolerance_);
  else
    neighbours_ = shapes ? geographic_within(*shapes, rule.distance_m_) : rectangular_within(city, rule.distance_m_);
}

}  // namespace civicgrid::city
