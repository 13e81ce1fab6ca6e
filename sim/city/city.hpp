// The city as plain data: grids, communities, towns and the city platform with stable ids, base locations and
// residents. Built once per run from the Scenario and shared read-only by every replication; no SimGrid here,
// so layouts can be unit-tested without an engine.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "city/geometry.hpp"
#include "city/random.hpp"
#include "scenario/scenario.hpp"
#include "scenario/unit_codes.hpp"

namespace civicgrid::city {

struct Grid {
  int id = 0;            // row * cols + col; GeoJSON: feature order
  int row = 0;           // GeoJSON: 0
  int col = 0;
  std::string code;      // "G0012"; GeoJSON: the `grid` property
  int community = 0;
  int town = 0;
  Rect area;             // the cell, metres; GeoJSON: the polygon's bounding box
  Point office;          // the grid office: centre of the cell; GeoJSON: bases file, else the polygon's centroid
  Point centroid;        // of the cell or polygon
  double area_m2 = 0;
  scenario::AreaKind kind = scenario::AreaKind::unspecified;
  double residents = 0;
  double migrant_share = 0;
  double key_population_share = 0;
};

struct Community {
  int id = 0;
  std::string code;      // "C03"
  int town = 0;
  Point centre;          // community service centre: centre of its grids' bounding box
  Rect area;             // bounding box of its grids
  std::vector<int> grids;
};

class GeoShapes;   // city/geo_shapes.hpp

struct Town {
  int id = 0;
  std::string code;      // "T01"
  Point centre;          // town (street) service centre
  Rect area;             // bounding box of its grids
  std::vector<int> communities;
};

class City {
 public:
  // The layout of scenario.layout (rectangular or GeoJSON) with population from scenario.population.
  static City build(const scenario::Scenario& scenario);

  bool is_geographic() const { return shapes_ != nullptr; }
  // The grid polygons of a GeoJSON layout, nullptr for a rectangular one (whose cells are Grid::area).
  const GeoShapes* geo_shapes() const { return shapes_.get(); }

  const std::vector<Grid>& grids() const { return grids_; }
  const std::vector<Community>& communities() const { return communities_; }
  const std::vector<Town>& towns() const { return towns_; }
  Point city_platform() const { return city_platform_; }
  const std::string& city_code() const { return city_code_; }
  double total_residents() const;

  // Number of units at a level (grids, communities, towns, 1 city) and, for a unit, its base and code.
  int unit_count(scenario::Level level) const;
  Point unit_base(scenario::Level level, int unit) const;
  Rect unit_area(scenario::Level level, int unit) const;
  const std::string& unit_code(scenario::Level level, int unit) const;
  // The unit of `level` that contains grid `grid` (the grid itself, its community, its town, or 0 for the city).
  int unit_of_grid(scenario::Level level, int grid) const;

  // A uniform point of the unit's area (incident places, patrol positions). Rectangular: two uniforms in the
  // rectangle, x first; GeoJSON: rejection sampling in the bounding box of its polygons, so it stays a
  // function of the stream alone.
  Point random_point_in_unit(scenario::Level level, int unit, RandomStream& stream) const;
  // The grid whose polygon contains the point; outside every grid, the one with the nearest centroid
  // (rectangular: the cell, clamped to the city).
  int grid_at(Point point) const;

 private:
  std::vector<Grid> grids_;
  std::vector<Community> communities_;
  std::vector<Town> towns_;
  Point city_platform_;
  Rect city_area_;
  std::string city_code_{scenario::city_unit_code};
  std::shared_ptr<const GeoShapes> shapes_;   // GeoJSON layouts only; shared by copies of the city
  std::vector<double> unit_fill_share_[4];      // GeoJSON: polygon area / bounding-box area per unit
  std::vector<Point> unit_centroid_[4];         // GeoJSON: area-weighted centroid of the unit's grids
  int rows_ = 0, cols_ = 0;                     // rectangular layout
  double cell_size_m_ = 0;

  static City build_geographic(const scenario::Scenario& scenario);
  static City build_rectangular(const scenario::Scenario& scenario);
  void finish_population(const scenario::Scenario& scenario, Point centre);
};

}  // namespace civicgrid::city
