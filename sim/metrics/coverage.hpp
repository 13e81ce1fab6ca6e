// Static and dynamic coverage (覆盖率), the planner's "who could be reached in time": the share of residents
// within a coverage time T of a base with a qualified member (static), and of an idle, on-duty qualified
// member at rest (dynamic, sampled on the simulated clock). Residents are spread uniformly over each grid and
// stand on a lattice of points_per_side^2 points per grid; time is the engine's travel model, turnout included.
// docs/coverage.md gives the definitions and the derivations the validation tier checks.
#pragma once

#include <string>
#include <vector>

#include "city/city.hpp"
#include "city/geometry.hpp"
#include "city/roster.hpp"
#include "scenario/scenario.hpp"

namespace civicgrid::metrics {

class CoverageMap {
 public:
  // The roles the incident types need, each with its coverage time: coverage.within, else the shortest target
  // of the types that need it. Reach lists are built once here.
  CoverageMap(const scenario::Scenario& scenario, const city::City& city, const city::Roster& roster);

  // What coverage is asked of: the whole service (index 0: every member, every needed role), each level that
  // has members (its members, the needed roles it staffs), and each needed role alone (every member).
  struct Question {
    std::string suffix;        // "" | "@level:<level>" | "@role:<role>" (the KPI key's breakdown)
    int level = -1;            // scenario::Level of the members counted; -1: all
    std::vector<int> roles;    // role ids, each needed within its time
  };
  const std::vector<Question>& questions() const { return questions_; }
  double residents() const { return residents_; }

  // Residents covered per question when the members with available[r] != 0 count; `per_grid` (may be null)
  // receives question 0's covered residents per grid, added to what it holds.
  void covered(const std::vector<char>& available, std::vector<double>& per_question, std::vector<double>* per_grid) const;

  // covered() with every member counted (whoever is on duty), computed once.
  const std::vector<double>& static_covered() const { return static_covered_; }
  const std::vector<double>& static_covered_by_grid() const { return static_by_grid_; }

 private:
  struct BaseGroup {            // the members of one level with one role at one base: they cover the same points
    int role = 0;
    int level = 0;
    std::vector<int> members;
  };
  // Per role, which groups reach a point in time: those that reach the whole of its grid (one list per grid,
  // so a grid within reach costs one test per sample, not one per point) and those that reach only part of it
  // (one list per point). Compressed rows: offsets into one array of group ids.
  struct Reach {
    std::vector<int> full_offsets;      // grids + 1
    std::vector<int> full_groups;
    std::vector<int> partial_offsets;   // points + 1
    std::vector<int> partial_groups;
    std::vector<char> grid_partial;     // per grid: some point of it is reached alone (else no point is, or all)
  };
  bool any_active(const std::vector<int>& groups, int begin, int end, int level) const {
    for (int i = begin; i < end; ++i)
      if (active_[groups[i]] != 0 && (level < 0 || groups_[groups[i]].level == level)) return true;
    return false;
  }
  std::vector<Question> questions_;
  std::vector<BaseGroup> groups_;
  std::vector<Reach> reach_of_role_;
  std::vector<int> first_point_of_grid_;   // grids + 1
  std::vector<double> point_residents_;
  std::vector<double> grid_residents_;
  double residents_ = 0;
  std::vector<double> static_covered_;
  std::vector<double> static_by_grid_;
  mutable std::vector<char> active_;       // covered()'s scratch: per group, someone available
  mutable std::vector<char> grid_full_;    // ... per role of the question, the grid is reached whole
};

}  // namespace civicgrid::metrics
