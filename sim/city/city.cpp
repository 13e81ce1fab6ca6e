// Builds the rectangular hierarchy: grids are cells, communities are blocks of grids, towns blocks of communities.
// Blocks at the right and bottom edges may be partial; a unit's centre is the centre of the grids it really has.
#include "city/city.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace civicgrid::city {
namespace {

int ceil_div(int a, int b) { return (a + b - 1) / b; }

std::string make_code(char prefix, int id, int count) {
  int width = 1;
  for (int n = count; n >= 10; n /= 10) ++width;
  width = std::min(std::max(width, 2), 12);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%c%0*d", prefix, width, id + 1);
  return buffer;
}

Rect bounding_box(const std::vector<const Grid*>& members) {
  Rect box{1e300, 1e300, -1e300, -1e300};
  for (const Grid* grid : members) {
    box.min_x_m = std::min(box.min_x_m, grid->area.min_x_m);
    box.min_y_m = std::min(box.min_y_m, grid->area.min_y_m);
    box.max_x_m = std::max(box.max_x_m, grid->area.max_x_m);
    box.max_y_m = std::max(box.max_y_m, grid->area.max_y_m);
  }
  return box;
}

double residents_at(const scenario::Population& population, const Grid& grid, Point city_centre,
                    double cell_size_m) {
  const double dx = grid.office.x_m - city_centre.x_m;
  const double dy = grid.office.y_m - city_centre.y_m;
  const double distance_km = std::sqrt(dx * dx + dy * dy) / 1000.0;
  double residents = population.residents_per_grid * std::max(0.0, 1.0 + population.gradient_per_km * distance_km);
  for (const auto& hotspot : population.hotspots) {
    const double hx = (hotspot.col + 0.5) * cell_size_m - grid.office.x_m;
    const double hy = (hotspot.row + 0.5) * cell_size_m - grid.office.y_m;
    const double d2 = hx * hx + hy * hy;
    const double r2 = hotspot.radius_m * hotspot.radius_m;
    residents += r2 > 0 ? hotspot.extra_residents * std::exp(-d2 / (2 * r2))
                        : (d2 == 0 ? hotspot.extra_residents : 0.0);
  }
  return residents;
}

}  // namespace

City City::build(const scenario::Scenario& scenario) {
  const auto& layout = scenario.layout;
  City city;
  const int community_rows = ceil_div(layout.rows, layout.community_block_rows);
  const int community_cols = ceil_div(layout.cols, layout.community_block_cols);
  const int town_rows = ceil_div(community_rows, layout.town_block_rows);
  const int town_cols = ceil_div(community_cols, layout.town_block_cols);
  const int grid_count = layout.rows * layout.cols;
  const int community_count = community_rows * community_cols;
  const int town_count = town_rows * town_cols;
  const double size = layout.cell_size_m;
  const Point city_centre{layout.cols * size / 2, layout.rows * size / 2};
  city.city_platform_ = city_centre;
  city.city_area_ = {0, 0, layout.cols * size, layout.rows * size};

  city.grids_.resize(grid_count);
  city.communities_.resize(community_count);
  city.towns_.resize(town_count);
  for (int row = 0; row < layout.rows; ++row) {
    for (int col = 0; col < layout.cols; ++col) {
      Grid& grid = city.grids_[row * layout.cols + col];
      grid.id = row * layout.cols + col;
      grid.row = row;
      grid.col = col;
      grid.code = make_code('G', grid.id, grid_count);
      const int community_row = row / layout.community_block_rows;
      const int community_col = col / layout.community_block_cols;
      grid.community = community_row * community_cols + community_col;
      grid.town = (community_row / layout.town_block_rows) * town_cols + community_col / layout.town_block_cols;
      grid.area = {col * size, row * size, (col + 1) * size, (row + 1) * size};
      grid.office = grid.area.centre();
      grid.residents = residents_at(scenario.population, grid, city_centre, size);
      grid.migrant_share = scenario.population.migrant_share;
      const auto& by_grid = scenario.population.residents_by_grid;
      if (grid.id < static_cast<int>(by_grid.size()) && by_grid[grid.id] >= 0) grid.residents = by_grid[grid.id];
      const auto& share_by_grid = scenario.population.migrant_share_by_grid;
      if (grid.id < static_cast<int>(share_by_grid.size()) && share_by_grid[grid.id] >= 0)
        grid.migrant_share = share_by_grid[grid.id];
      city.communities_[grid.community].grids.push_back(grid.id);
    }
  }
  std::vector<std::vector<const Grid*>> town_members(town_count);
  for (int id = 0; id < community_count; ++id) {
    Community& community = city.communities_[id];
    community.id = id;
    community.code = make_code('C', id, community_count);
    std::vector<const Grid*> members;
    for (int grid : community.grids) members.push_back(&city.grids_[grid]);
    community.area = bounding_box(members);
    community.centre = community.area.centre();
    community.town = city.grids_[community.grids.front()].town;
    city.towns_[community.town].communities.push_back(id);
    town_members[community.town].insert(town_members[community.town].end(), members.begin(), members.end());
  }
  for (int id = 0; id < town_count; ++id) {
    Town& town = city.towns_[id];
    town.id = id;
    town.code = make_code('T', id, town_count);
    town.area = bounding_box(town_members[id]);
    town.centre = town.area.centre();
  }
  return city;
}

double City::total_residents() const {
  return std::accumulate(grids_.begin(), grids_.end(), 0.0,
                         [](double sum, const Grid& grid) { return sum + grid.residents; });
}

int City::unit_count(scenario::Level level) const {
  switch (level) {
    case scenario::Level::grid: return static_cast<int>(grids_.size());
    case scenario::Level::community: return static_cast<int>(communities_.size());
    case scenario::Level::town: return static_cast<int>(towns_.size());
    case scenario::Level::city: return 1;
  }
  return 0;
}

Point City::unit_base(scenario::Level level, int unit) const {
  switch (level) {
    case scenario::Level::grid: return grids_[unit].office;
    case scenario::Level::community: return communities_[unit].centre;
    case scenario::Level::town: return towns_[unit].centre;
    case scenario::Level::city: return city_platform_;
  }
  return city_platform_;
}

Rect City::unit_area(scenario::Level level, int unit) const {
  switch (level) {
    case scenario::Level::grid: return grids_[unit].area;
    case scenario::Level::community: return communities_[unit].area;
    case scenario::Level::town: return towns_[unit].area;
    case scenario::Level::city: return city_area_;
  }
  return city_area_;
}

const std::string& City::unit_code(scenario::Level level, int unit) const {
  switch (level) {
    case scenario::Level::grid: return grids_[unit].code;
    case scenario::Level::community: return communities_[unit].code;
    case scenario::Level::town: return towns_[unit].code;
    case scenario::Level::city: return city_code_;
  }
  return city_code_;
}

int City::unit_of_grid(scenario::Level level, int grid) const {
  switch (level) {
    case scenario::Level::grid: return grid;
    case scenario::Level::community: return grids_[grid].community;
    case scenario::Level::town: return grids_[grid].town;
    case scenario::Level::city: return 0;
  }
  return 0;
}

}  // namespace civicgrid::city
