// Reach lists and the covered-resident sums of coverage.hpp. A base group's reach is computed once; a
// sample then only walks the reach lists of the groups with someone available, so its cost follows the
// number of bases in use, not the size of the city times the roster.
#include "metrics/coverage.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

#include "city/geo_shapes.hpp"

namespace civicgrid::metrics {
namespace {

// The nearest point of a rectangle: it minimises |dx| and |dy| at once, so any metric's distance from it is a
// lower bound for the rectangle's points.
city::Point clamp_to(const city::Rect& rect, city::Point point) {
  return {std::clamp(point.x_m, rect.min_x_m, rect.max_x_m), std::clamp(point.y_m, rect.min_y_m, rect.max_y_m)};
}

}  // namespace

CoverageMap::CoverageMap(const scenario::Scenario& scenario, const city::City& city, const city::Roster& roster) {
  const int role_count = roster.role_count();
  // The roles some type needs, each with its coverage time.
  std::vector<double> time_of_role_s(role_count, std::numeric_limits<double>::infinity());
  std::vector<char> needed(role_count, 0);
  for (const auto& type : scenario.incidents)
    for (const auto& name : type.roles) {
      const int role = roster.role_id(name);
      if (role < 0) continue;
      needed[role] = 1;
      time_of_role_s[role] = std::min(time_of_role_s[role], type.target_s);
    }
  if (scenario.coverage.within_s)
    for (int role = 0; role < role_count; ++role) time_of_role_s[role] = *scenario.coverage.within_s;

  // The lattice: k x k points over each grid's box, those inside its polygon (GeoJSON), else its centroid.
  const int k = std::max(1, scenario.coverage.points_per_side);
  const auto& grids = city.grids();
  std::vector<city::Point> points;
  std::vector<int> point_grid;
  const city::GeoShapes* shapes = city.geo_shapes();
  for (const auto& grid : grids) {
    const std::size_t first = points.size();
    const double width_m = grid.area.max_x_m - grid.area.min_x_m;
    const double height_m = grid.area.max_y_m - grid.area.min_y_m;
    for (int i = 0; i < k; ++i)
      for (int j = 0; j < k; ++j) {
        const city::Point point{grid.area.min_x_m + (i + 0.5) * width_m / k, grid.area.min_y_m + (j + 0.5) * height_m / k};
        if (shapes == nullptr || shapes->contains(grid.id, point)) points.push_back(point);
      }
    if (points.size() == first) points.push_back(grid.centroid);
    const std::size_t count = points.size() - first;
    for (std::size_t p = first; p < points.size(); ++p) {
      point_grid.push_back(grid.id);
      point_residents_.push_back(grid.residents / static_cast<double>(count));
    }
    residents_ += grid.residents;
    grid_residents_.push_back(grid.residents);
  }

  // Base groups: one per (role, level, base), for needed roles.
  std::map<std::tuple<int, int, double, double>, int> group_of;
  for (const auto& responder : roster.responders())
    for (int role : responder.roles) {
      if (!needed[role]) continue;
      const auto key = std::make_tuple(role, static_cast<int>(responder.level), responder.base.x_m, responder.base.y_m);
      auto [it, inserted] = group_of.emplace(key, static_cast<int>(groups_.size()));
      if (inserted) groups_.push_back({role, static_cast<int>(responder.level), {}});
      groups_[it->second].members.push_back(responder.id);
    }
  first_point_of_grid_.assign(grids.size() + 1, 0);
  for (std::size_t p = 0, g = 0; g <= grids.size(); ++g) {
    while (p < point_grid.size() && point_grid[p] < static_cast<int>(g)) ++p;
    first_point_of_grid_[g] = static_cast<int>(p);
  }
  const city::TravelModel travel(scenario.travel, city);
  // Rectangular cities drive one mode by coordinates, so a grid whose nearest point is out of reach can be
  // skipped whole; GeoJSON cities may have a matrix or other modes, so every point is asked.
  const bool can_skip_grids = !city.is_geographic();
  // Per role: (grid, group) pairs reached whole, and (point, group) pairs reached alone.
  std::vector<std::vector<std::pair<int, int>>> full(role_count), partial(role_count);
  std::vector<int> reached;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const BaseGroup& group = groups_[g];
    const city::Point base = roster.responders()[group.members.front()].base;
    const double limit_s = time_of_role_s[group.role];
    for (std::size_t grid = 0; grid < grids.size(); ++grid) {
      if (can_skip_grids && travel.response_travel_s(base, clamp_to(grids[grid].area, base), true) > limit_s) continue;
      reached.clear();
      for (int p = first_point_of_grid_[grid]; p < first_point_of_grid_[grid + 1]; ++p)
        if (travel.response_travel_s(base, points[p], true) <= limit_s) reached.push_back(p);
      if (static_cast<int>(reached.size()) == first_point_of_grid_[grid + 1] - first_point_of_grid_[grid])
        full[group.role].emplace_back(static_cast<int>(grid), static_cast<int>(g));
      else
        for (int p : reached) partial[group.role].emplace_back(p, static_cast<int>(g));
    }
  }
  const auto compress = [](std::vector<std::pair<int, int>>& pairs, std::size_t rows, std::vector<int>& offsets,
                           std::vector<int>& values) {
    std::sort(pairs.begin(), pairs.end());
    offsets.assign(rows + 1, 0);
    for (const auto& pair : pairs) ++offsets[pair.first + 1];
    for (std::size_t row = 0; row < rows; ++row) offsets[row + 1] += offsets[row];
    values.clear();
    for (const auto& pair : pairs) values.push_back(pair.second);
  };
  reach_of_role_.resize(role_count);
  for (int role = 0; role < role_count; ++role) {
    compress(full[role], grids.size(), reach_of_role_[role].full_offsets, reach_of_role_[role].full_groups);
    compress(partial[role], points.size(), reach_of_role_[role].partial_offsets, reach_of_role_[role].partial_groups);
    Reach& reach = reach_of_role_[role];
    reach.grid_partial.assign(grids.size(), 0);
    for (std::size_t grid = 0; grid < grids.size(); ++grid)
      reach.grid_partial[grid] = reach.partial_offsets[first_point_of_grid_[grid + 1]] >
                                 reach.partial_offsets[first_point_of_grid_[grid]];
  }

  // The questions.
  std::vector<int> needed_roles;
  for (int role = 0; role < role_count; ++role)
    if (needed[role]) needed_roles.push_back(role);
  questions_.push_back({"", -1, needed_roles});
  static const char* level_names[4] = {"grid", "community", "town", "city"};
  for (int level = 0; level < 4; ++level) {
    std::vector<int> staffed;
    for (int role : needed_roles)
      if (std::any_of(groups_.begin(), groups_.end(),
                      [&](const BaseGroup& group) { return group.level == level && group.role == role; }))
        staffed.push_back(role);
    const bool has_members = std::any_of(roster.responders().begin(), roster.responders().end(),
                                         [&](const city::Responder& r) { return static_cast<int>(r.level) == level; });
    if (has_members) questions_.push_back({std::string("@level:") + level_names[level], level, staffed});
  }
  for (int role : needed_roles) questions_.push_back({"@role:" + roster.role_name(role), -1, {role}});

  active_.assign(groups_.size(), 0);
  grid_full_.assign(role_count, 0);
  std::vector<char> everyone(roster.responders().size(), 1);
  static_by_grid_.assign(grids.size(), 0.0);
  covered(everyone, static_covered_, &static_by_grid_);
}

void CoverageMap::covered(const std::vector<char>& available, std::vector<double>& per_question,
                          std::vector<double>* per_grid) const {
  for (std::size_t g = 0; g < groups_.size(); ++g)
    active_[g] = std::any_of(groups_[g].members.begin(), groups_[g].members.end(),
                             [&](int member) { return available[member] != 0; });
  per_question.assign(questions_.size(), 0.0);
  const int grids = static_cast<int>(grid_residents_.size());
  for (std::size_t q = 0; q < questions_.size(); ++q) {
    const Question& question = questions_[q];
    if (question.roles.empty()) continue;   // a level that staffs no needed role covers nobody
    double sum = 0;
    for (int grid = 0; grid < grids; ++grid) {
      bool whole = true;
      bool reachable = true;   // every role not reached whole reaches some single point of the grid
      for (std::size_t k = 0; k < question.roles.size(); ++k) {
        const Reach& reach = reach_of_role_[question.roles[k]];
        grid_full_[k] = any_active(reach.full_groups, reach.full_offsets[grid], reach.full_offsets[grid + 1], question.level);
        whole = whole && grid_full_[k] != 0;
        reachable = reachable && (grid_full_[k] != 0 || reach.grid_partial[grid] != 0);
      }
      double covered_here = 0;
      if (!reachable) {
        // Some role reaches no point of this grid in time: nobody here is covered, no point needs asking.
      } else if (whole) {
        covered_here = grid_residents_[grid];
      } else {
        for (int p = first_point_of_grid_[grid]; p < first_point_of_grid_[grid + 1]; ++p) {
          bool all_roles = true;
          for (std::size_t k = 0; k < question.roles.size() && all_roles; ++k) {
            if (grid_full_[k] != 0) continue;
            const Reach& reach = reach_of_role_[question.roles[k]];
            all_roles = any_active(reach.partial_groups, reach.partial_offsets[p], reach.partial_offsets[p + 1], question.level);
          }
          if (all_roles) covered_here += point_residents_[p];
        }
      }
      sum += covered_here;
      if (q == 0 && per_grid != nullptr) (*per_grid)[grid] += covered_here;
    }
    per_question[q] = sum;
  }
}

}  // namespace civicgrid::metrics
