// Who is on the payroll: every responder the teams of a scenario create, with home unit, base and roles.
// Role names become small integers here so that dispatch decisions compare ints, not strings.
#pragma once

#include <string>
#include <vector>

#include "city/city.hpp"

namespace civicgrid::city {

struct Responder {
  int id = 0;
  int team = 0;                    // index into scenario.teams
  scenario::Level level = scenario::Level::grid;
  int unit = 0;                    // index of its home unit at `level`
  Point base;
  bool patrols = false;            // free and not driving: somewhere in `area`, not at `base`
  Rect area;                       // its home unit (GeoJSON: its bounding box; patrols sample the polygons)
  std::vector<int> roles;          // role ids, sorted
  std::string name;                // "grid_worker@G0012#1"
};

class Roster {
 public:
  Roster(const scenario::Scenario& scenario, const City& city);

  const std::vector<Responder>& responders() const { return responders_; }
  int role_count() const { return static_cast<int>(role_names_.size()); }
  // -1 when no team has the role (the loader reports that as an input error first).
  int role_id(const std::string& role_name) const;
  const std::string& role_name(int role) const { return role_names_[role]; }
  // Responders whose home unit is (level, unit).
  const std::vector<int>& at_unit(scenario::Level level, int unit) const {
    return by_unit_[static_cast<int>(level)][unit];
  }

 private:
  std::vector<Responder> responders_;
  std::vector<std::string> role_names_;
  std::vector<std::vector<std::vector<int>>> by_unit_;  // [level][unit] -> responder ids
};

}  // namespace civicgrid::city
