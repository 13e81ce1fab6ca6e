// The city as plain data: grids, communities, towns and the city platform with stable ids, base locations and
// residents. Built once per run from the Scenario and shared read-only by every replication; no SimGrid here,
// so layouts can be unit-tested without an engine.
#pragma once

#include <string>
#include <vector>

#include "city/geometry.hpp"
#include "scenario/scenario.hpp"

namespace civicgrid::city {

struct Grid {
  int id = 0;            // row * cols + col
  int row = 0;
  int col = 0;
  std::string code;      // "G0012"
  int community = 0;
  int town = 0;
  Rect area;             // the cell, metres
  Point office;          // the grid office: centre of the cell
  double residents = 0;
  double migrant_share = 0;
};

struct Community {
  int id = 0;
  std::string code;      // "C03"
  int town = 0;
  Point centre;          // community service centre: centre of its grids' bounding box
  Rect area;             // bounding box of its grids
  std::vector<int> grids;
};

struct Town {
  int id = 0;
  std::string code;      // "T01"
  Point centre;          // town (street) service centre
  Rect area;             // bounding box of its grids
  std::vector<int> communities;
};

class City {
 public:
  // Rectangular layout of scenario.layout with population from scenario.population.
  static City build(const scenario::Scenario& scenario);

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

 private:
  std::vector<Grid> grids_;
  std::vector<Community> communities_;
  std::vector<Town> towns_;
  Point city_platform_;
  Rect city_area_;
  std::string city_code_ = "CITY";
};

}  // namespace civicgrid::city
