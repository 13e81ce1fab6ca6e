// Expands teams (per_unit responders in every unit of their level) into individual responders, in a fixed
// order (team, unit, index) so that responder ids are stable across runs and variants.
#include "city/roster.hpp"

#include <algorithm>

namespace civicgrid::city {

Roster::Roster(const scenario::Scenario& scenario, const City& city) {
  for (const auto& team : scenario.teams)
    for (const auto& role : team.roles)
      if (std::find(role_names_.begin(), role_names_.end(), role) == role_names_.end()) role_names_.push_back(role);

  by_unit_.resize(4);
  for (int level = 0; level < 4; ++level)
    by_unit_[level].resize(city.unit_count(static_cast<scenario::Level>(level)));

  for (int team_index = 0; team_index < static_cast<int>(scenario.teams.size()); ++team_index) {
    const auto& team = scenario.teams[team_index];
    std::vector<int> roles;
    for (const auto& role : team.roles) roles.push_back(role_id(role));
    std::sort(roles.begin(), roles.end());
    roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
    const int units = city.unit_count(team.level);
    for (int unit = 0; unit < units; ++unit) {
      int members = team.per_unit;
      for (const auto& extra : team.extra_by_unit)
        if (extra.unit == city.unit_code(team.level, unit)) members += extra.extra;
      for (int k = 0; k < members; ++k) {
        Responder responder;
        responder.id = static_cast<int>(responders_.size());
        responder.team = team_index;
        responder.level = team.level;
        responder.unit = unit;
        responder.base = city.unit_base(team.level, unit);
        responder.patrols = team.patrols_when_idle;
        responder.area = city.unit_area(team.level, unit);
        responder.roles = roles;
        responder.name = team.name + "@" + city.unit_code(team.level, unit) + "#" + std::to_string(k + 1);
        by_unit_[static_cast<int>(team.level)][unit].push_back(responder.id);
        responders_.push_back(std::move(responder));
      }
    }
  }
}

int Roster::role_id(const std::string& role_name) const {
  const auto it = std::find(role_names_.begin(), role_names_.end(), role_name);
  return it == role_names_.end() ? -1 : static_cast<int>(it - role_names_.begin());
}

}  // namespace civicgrid::city
