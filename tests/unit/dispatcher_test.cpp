// Unit tier: the dispatch policies' choices on a small hand-checked city (no engine needed).
#include <gtest/gtest.h>

#include "city/city.hpp"
#include "city/roster.hpp"
#include "policy/dispatcher.hpp"
#include "support/scenarios.hpp"

namespace civicgrid {
namespace {

struct Fixture {
  scenario::Scenario s;
  city::City city;
  city::Roster roster;
  city::TravelModel travel;
  policy::Dispatcher dispatcher;

  explicit Fixture(scenario::DispatchPolicyName policy)
      : s(make(policy)), city(city::City::build(s)), roster(s, city), travel(s.travel),
        dispatcher(s.dispatch, city, roster, travel) {
    for (const auto& r : roster.responders()) dispatcher.make_available(r.id, {r.base, r.base, 0, 0});
  }
  static scenario::Scenario make(scenario::DispatchPolicyName policy) {
    // 1 x 4 grids of 1 km, one community of 1 x 2 grids per half; a worker per grid, a mediator per community.
    auto s = testing::single_grid_queue(1, 1.0, testing::exponential_min(10), 24, 0);
    s.layout = {1, 4, 1000.0, 1, 2, 1, 2};
    s.teams = {{"worker", scenario::Level::grid, 1, {"worker"}},
               {"mediator", scenario::Level::community, 1, {"mediator", "worker"}}};
    s.travel = {scenario::TravelMetric::manhattan, 1000.0 / 60, 1.0, 60};   // 1 km/min, 1 min turnout
    s.dispatch.policy = policy;
    return s;
  }
};

TEST(Dispatcher, NearestIdleTakesTheClosestQualifiedResponder) {
  Fixture f(scenario::DispatchPolicyName::nearest_idle);
  const int worker = f.roster.role_id("worker");
  // An incident at x = 900 m in grid 0: the mediator of community 0 sits at x = 1000 m (100 m away),
  // the grid worker of grid 0 at x = 500 m.
  auto choice = f.dispatcher.choose(worker, 0, {900, 500}, 0);
  ASSERT_TRUE(choice);
  EXPECT_EQ(f.roster.responders()[choice->responder].name, "mediator@C01#1");
  EXPECT_DOUBLE_EQ(choice->travel_s, 60 + 6);
  f.dispatcher.make_busy(choice->responder);
  choice = f.dispatcher.choose(worker, 0, {900, 500}, 0);
  ASSERT_TRUE(choice);
  EXPECT_EQ(f.roster.responders()[choice->responder].name, "worker@G01#1");
}

TEST(Dispatcher, OwnUnitFirstPrefersTheGridsOwnWorker) {
  Fixture f(scenario::DispatchPolicyName::own_unit_first);
  const int worker = f.roster.role_id("worker");
  auto choice = f.dispatcher.choose(worker, 0, {900, 500}, 0);
  ASSERT_TRUE(choice);
  EXPECT_EQ(f.roster.responders()[choice->responder].name, "worker@G01#1");
  f.dispatcher.make_busy(choice->responder);
  // Next tier: the community's mediator, who also has the worker role.
  choice = f.dispatcher.choose(worker, 0, {900, 500}, 0);
  ASSERT_TRUE(choice);
  EXPECT_EQ(f.roster.responders()[choice->responder].name, "mediator@C01#1");
  f.dispatcher.make_busy(choice->responder);
  // No own unit left: the nearest anywhere, i.e. grid 1's worker at x = 1500 m.
  choice = f.dispatcher.choose(worker, 0, {900, 500}, 0);
  ASSERT_TRUE(choice);
  EXPECT_EQ(f.roster.responders()[choice->responder].name, "worker@G02#1");
}

TEST(Dispatcher, RoleFilterAndExhaustion) {
  Fixture f(scenario::DispatchPolicyName::nearest_idle);
  const int mediator = f.roster.role_id("mediator");
  for (int k = 0; k < 2; ++k) {
    const auto choice = f.dispatcher.choose(mediator, 3, {3500, 500}, 0);
    ASSERT_TRUE(choice);
    EXPECT_EQ(f.roster.responders()[choice->responder].team, 1);
    f.dispatcher.make_busy(choice->responder);
  }
  EXPECT_FALSE(f.dispatcher.choose(mediator, 3, {3500, 500}, 0));
}

TEST(Dispatcher, ResponderDrivingBackIsRedirectedFromWhereItIsWithoutTurnout) {
  Fixture f(scenario::DispatchPolicyName::nearest_idle);
  // Grid 3's worker is on a 2 km trip back from x = 1500 m to its
  // base at x = 3500 m, leaving at t = 0, arriving at t = 120 s; at t = 60 s it is at x = 2500 m.
  const int id = f.roster.at_unit(scenario::Level::grid, 3).front();
  f.dispatcher.make_available(id, {{1500, 500}, {3500, 500}, 0, 120});
  EXPECT_DOUBLE_EQ(f.dispatcher.travel_from_current_s(id, {2500, 500}, 60), 0.0);
  EXPECT_DOUBLE_EQ(f.dispatcher.travel_from_current_s(id, {2500, 500}, 120), 60 + 60);   // home, standing
}

}  // namespace
}  // namespace civicgrid
