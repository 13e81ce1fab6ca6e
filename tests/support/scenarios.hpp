// Scenarios built in code for engine and validation tests, so that those tiers do not depend on the YAML
// loader (which has its own tests) and each test states its model in a few readable lines.
#pragma once

#include "scenario/scenario.hpp"

namespace civicgrid::testing {

inline scenario::Scenario single_grid_queue(int servers, double arrivals_per_min, scenario::Distribution service,
                                            double horizon_h, double warmup_h) {
  scenario::Scenario s;
  s.name = "queue";
  s.run = {horizon_h * 3600, warmup_h * 3600, 1, 1};
  s.layout = {1, 1, 1000.0, 1, 1, 1, 1};
  s.population.residents_per_grid = 1000;
  s.travel = {scenario::TravelMetric::none, 0.0, 1.0, 0.0};
  s.teams = {{"server", scenario::Level::grid, servers, {"server"}}};
  scenario::IncidentType type;
  type.name = "call";
  type.rate_per_grid_per_s = arrivals_per_min / 60.0;
  type.service = service;
  type.target_s = 60;
  type.roles = {"server"};
  s.incidents = {type};
  return s;
}

// A community team of 20 "server"s above single_grid_queue's grid, tiered: whatever goes up is taken at once,
// so the grid's line alone decides who waits.
inline void add_ample_community_tier(scenario::Scenario& s) {
  scenario::Team community;
  community.name = "community_team";
  community.level = scenario::Level::community;
  community.per_unit = 20;
  community.roles = {"server"};
  s.teams.push_back(community);
  s.escalation.mode = scenario::EscalationMode::tiered;
}

inline scenario::Distribution exponential_min(double mean_min) {
  scenario::Distribution d;
  d.kind = scenario::DistributionKind::exponential;
  d.mean_s = mean_min * 60;
  return d;
}

inline scenario::Distribution fixed_min(double value_min) {
  scenario::Distribution d;
  d.kind = scenario::DistributionKind::fixed;
  d.mean_s = value_min * 60;
  return d;
}

}  // namespace civicgrid::testing
