// Builds the hierarchy. Rectangular: grids are cells, communities are blocks of grids, towns blocks of
// communities; blocks at the right and bottom edges may be partial; a unit's centre is the centre of the grids
// it really has. GeoJSON: grids are polygons, communities and towns are the grids sharing an ID, bases come
// from the bases file or sit at the (area-weighted) centroid.
#include "city/city.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "city/geo_shapes.hpp"
#include "scenario/loader.hpp"
#include "scenario/unit_codes.hpp"

namespace civicgrid::city {
namespace {

int ceil_div(int a, int b) { return (a + b - 1) / b; }

double key_population_share_of(const scenario::Population& population, int grid) {
  const auto& by_grid = population.key_population_share_by_grid;
  if (grid < static_cast<int>(by_grid.size()) && by_grid[grid] >= 0) return by_grid[grid];
  return population.key_population_share;
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
  City city = scenario.layout.geo ? build_geographic(scenario) : build_rectangular(scenario);
  // Staff added to named units must name units that exist (their codes are known only now).
  std::vector<scenario::Diagnostic> problems;
  for (std::size_t t = 0; t < scenario.teams.size(); ++t)
    for (const auto& extra : scenario.teams[t].extra_by_unit) {
      const auto level = scenario.teams[t].level;
      bool found = false;
      for (int unit = 0; unit < city.unit_count(level) && !found; ++unit) found = city.unit_code(level, unit) == extra.unit;
      if (!found)
        problems.push_back({extra.file, extra.line, extra.col,
                            "teams." + std::to_string(t) + ".extra_by_unit." + extra.unit,
                            std::string("no ") + scenario::to_string(level) + " '" + extra.unit + "'",
                            std::string("use a ") + scenario::to_string(level) + " code of the layout, e.g. " +
                                city.unit_code(level, 0)});
    }
  if (!problems.empty()) throw scenario::InputError(problems);
  return city;
}

City City::build_rectangular(const scenario::Scenario& scenario) {
  const auto& layout = scenario.layout;
  City city;
  city.rows_ = layout.rows;
  city.cols_ = layout.cols;
  city.cell_size_m_ = layout.cell_size_m;
  const int community_cols = ceil_div(layout.cols, layout.community_block_cols);
  const int town_cols = ceil_div(community_cols, layout.town_block_cols);
  const int grid_count = static_cast<int>(scenario::rectangular_unit_count(layout, scenario::Level::grid));
  const int community_count = static_cast<int>(scenario::rectangular_unit_count(layout, scenario::Level::community));
  const int town_count = static_cast<int>(scenario::rectangular_unit_count(layout, scenario::Level::town));
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
      grid.code = scenario::rectangular_unit_code(scenario::Level::grid, grid.id, grid_count);
      const int community_row = row / layout.community_block_rows;
      const int community_col = col / layout.community_block_cols;
      grid.community = community_row * community_cols + community_col;
      grid.town = (community_row / layout.town_block_rows) * town_cols + community_col / layout.town_block_cols;
      grid.area = {col * size, row * size, (col + 1) * size, (row + 1) * size};
      grid.office = grid.area.centre();
      grid.centroid = grid.office;
      grid.area_m2 = size * size;
      grid.residents = residents_at(scenario.population, grid, city_centre, size);
      grid.migrant_share = scenario.population.migrant_share;
      const auto& by_grid = scenario.population.residents_by_grid;
      if (grid.id < static_cast<int>(by_grid.size()) && by_grid[grid.id] >= 0) grid.residents = by_grid[grid.id];
      const auto& share_by_grid = scenario.population.migrant_share_by_grid;
      if (grid.id < static_cast<int>(share_by_grid.size()) && share_by_grid[grid.id] >= 0)
        grid.migrant_share = share_by_grid[grid.id];
      grid.key_population_share = key_population_share_of(scenario.population, grid.id);
      city.communities_[grid.community].grids.push_back(grid.id);
    }
  }
  std::vector<std::vector<const Grid*>> town_members(town_count);
  for (int id = 0; id < community_count; ++id) {
    Community& community = city.communities_[id];
    community.id = id;
    community.code = scenario::rectangular_unit_code(scenario::Level::community, id, community_count);
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
    town.code = scenario::rectangular_unit_code(scenario::Level::town, id, town_count);
    town.area = bounding_box(town_members[id]);
    town.centre = town.area.centre();
  }
  return city;
}

namespace {

struct WeightedCentre {
  double area_m2 = 0, x_sum = 0, y_sum = 0;
  Rect box{1e300, 1e300, -1e300, -1e300};
  void add(const Grid& grid) {
    area_m2 += grid.area_m2;
    x_sum += grid.centroid.x_m * grid.area_m2;
    y_sum += grid.centroid.y_m * grid.area_m2;
    box = {std::min(box.min_x_m, grid.area.min_x_m), std::min(box.min_y_m, grid.area.min_y_m),
           std::max(box.max_x_m, grid.area.max_x_m), std::max(box.max_y_m, grid.area.max_y_m)};
  }
  // The centroid of the grids' union when they do not overlap.
  Point centre() const { return {x_sum / area_m2, y_sum / area_m2}; }
  double fill_share() const {
    const double box_m2 = (box.max_x_m - box.min_x_m) * (box.max_y_m - box.min_y_m);
    return box_m2 > 0 ? std::min(1.0, area_m2 / box_m2) : 0.0;
  }
};

Point base_or(const std::vector<std::optional<scenario::GeoPoint>>& bases, int unit, Point fallback) {
  if (unit < static_cast<int>(bases.size()) && bases[unit]) return {bases[unit]->x_m, bases[unit]->y_m};
  return fallback;
}

}  // namespace

City City::build_geographic(const scenario::Scenario& scenario) {
  const auto& geo = *scenario.layout.geo;
  City city;
  auto shapes = std::make_shared<const GeoShapes>(geo);
  const int grid_count = static_cast<int>(geo.grids.size());
  city.grids_.resize(grid_count);
  city.communities_.resize(geo.community_ids.size());
  city.towns_.resize(geo.town_ids.size());
  std::vector<WeightedCentre> by_community(city.communities_.size()), by_town(city.towns_.size());
  WeightedCentre everything;
  for (int id = 0; id < grid_count; ++id) {
    Grid& grid = city.grids_[id];
    grid.id = id;
    grid.code = geo.grids[id].id;
    grid.community = geo.grids[id].community;
    grid.town = geo.community_town[grid.community];
    grid.area = shapes->box(id);
    grid.centroid = shapes->centroid(id);
    grid.area_m2 = shapes->area_m2(id);
    grid.kind = geo.grids[id].kind;
    grid.office = base_or(geo.bases[0], id, grid.centroid);
    city.communities_[grid.community].grids.push_back(id);
    by_community[grid.community].add(grid);
    by_town[grid.town].add(grid);
    everything.add(grid);
    city.unit_fill_share_[0].push_back(std::min(1.0, grid.area_m2 / std::max(1e-300, (grid.area.max_x_m - grid.area.min_x_m) *
                                                                                      (grid.area.max_y_m - grid.area.min_y_m))));
    city.unit_centroid_[0].push_back(grid.centroid);
  }
  for (int id = 0; id < static_cast<int>(city.communities_.size()); ++id) {
    Community& community = city.communities_[id];
    community.id = id;
    community.code = geo.community_ids[id];
    community.town = geo.community_town[id];
    community.area = by_community[id].box;
    community.centre = base_or(geo.bases[1], id, by_community[id].centre());
    city.towns_[community.town].communities.push_back(id);
    city.unit_fill_share_[1].push_back(by_community[id].fill_share());
    city.unit_centroid_[1].push_back(by_community[id].centre());
  }
  for (int id = 0; id < static_cast<int>(city.towns_.size()); ++id) {
    Town& town = city.towns_[id];
    town.id = id;
    town.code = geo.town_ids[id];
    town.area = by_town[id].box;
    town.centre = base_or(geo.bases[2], id, by_town[id].centre());
    city.unit_fill_share_[2].push_back(by_town[id].fill_share());
    city.unit_centroid_[2].push_back(by_town[id].centre());
  }
  city.city_area_ = everything.box;
  city.city_platform_ = base_or(geo.bases[3], 0, everything.centre());
  city.unit_fill_share_[3].push_back(everything.fill_share());
  city.unit_centroid_[3].push_back(everything.centre());
  city.shapes_ = std::move(shapes);

  // Residents: the GeoJSON's own number, else residents_per_grid with the gradient from the city's centroid;
  // population.csv and by_grid (the override mechanism, also for --set) replace either.
  const auto& population = scenario.population;
  const Point centre = everything.centre();
  for (Grid& grid : city.grids_) {
    const auto& feature = geo.grids[grid.id];
    const double dx = grid.centroid.x_m - centre.x_m;
    const double dy = grid.centroid.y_m - centre.y_m;
    const double distance_km = std::sqrt(dx * dx + dy * dy) / 1000.0;
    grid.residents = feature.residents.value_or(population.residents_per_grid *
                                                std::max(0.0, 1.0 + population.gradient_per_km * distance_km));
    grid.migrant_share = feature.migrant_share.value_or(population.migrant_share);
    const auto& by_grid = population.residents_by_grid;
    if (grid.id < static_cast<int>(by_grid.size()) && by_grid[grid.id] >= 0) grid.residents = by_grid[grid.id];
    const auto& share_by_grid = population.migrant_share_by_grid;
    if (grid.id < static_cast<int>(share_by_grid.size()) && share_by_grid[grid.id] >= 0)
      grid.migrant_share = share_by_grid[grid.id];
    grid.key_population_share = key_population_share_of(population, grid.id);
  }
  return city;
}

Point City::random_point_in_unit(scenario::Level level, int unit, RandomStream& stream) const {
  const Rect area = unit_area(level, unit);
  Point point;
  if (!shapes_) {
    // Two statements, x first: the order every existing result was drawn in.
    point.x_m = stream.uniform(area.min_x_m, area.max_x_m);
    point.y_m = stream.uniform(area.min_y_m, area.max_y_m);
    return point;
  }
  const auto index = static_cast<std::size_t>(level);
  // Acceptance probability is the fill share p (the loader rejects p < 1e-3 for a grid); 60 / p draws fail
  // with probability about e^-60, so hitting the cap means a bug, not bad luck.
  const double share = unit_fill_share_[index][static_cast<std::size_t>(unit)];
  const double cap = share > 0 ? std::max(1000.0, std::ceil(60.0 / share)) : 1000.0;
  for (double attempt = 0; attempt < cap; ++attempt) {
    point.x_m = stream.uniform(area.min_x_m, area.max_x_m);
    point.y_m = stream.uniform(area.min_y_m, area.max_y_m);
    if (level == scenario::Level::grid) {
      if (shapes_->contains(unit, point)) return point;
    } else if (const int grid = shapes_->locate(point); grid >= 0 && unit_of_grid(level, grid) == unit) {
      return point;
    }
  }
  static std::atomic<bool> reported{false};
  if (!reported.exchange(true))
    std::fprintf(stderr,
                 "civicgrid: internal error: no point of %s %s found in %.0f draws (degenerate polygon?); "
                 "using its centroid\n",
                 scenario::to_string(level), unit_code(level, unit).c_str(), cap);
  return unit_centroid_[index][static_cast<std::size_t>(unit)];
}

int City::grid_at(Point point) const {
  if (shapes_) {
    const int grid = shapes_->locate(point);
    return grid >= 0 ? grid : shapes_->nearest_centroid(point);
  }
  if (rows_ <= 0 || cols_ <= 0 || cell_size_m_ <= 0) return 0;
  const int col = std::clamp(static_cast<int>(std::floor(point.x_m / cell_size_m_)), 0, cols_ - 1);
  const int row = std::clamp(static_cast<int>(std::floor(point.y_m / cell_size_m_)), 0, rows_ - 1);
  return row * cols_ + col;
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
