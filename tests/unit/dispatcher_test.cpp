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

  explicit Fixture(scenario::DispatchPolicyName policy) : Fixture(make(policy)) {}
  explicit Fixture(scenario::Scenario scenario)
      : s(std::move(scenario)), city(city::City::build(s)), roster(s, city), travel(s.travel),
        dispatcher(s.dispatch, city, roster, travel) {
    for (const auto& r : roster.responders()) dispatcher.make_available(r.id, {r.base, r.base, 0, 0});
  }
  const std::string& name(int responder) const { return roster.responders()[responder].name; }
  int id(const std::string& name) const {
    for (const auto& r : roster.responders())
      if (r.name == name) return r.id;
    ADD_FAILURE() << "no responder " << name;
    return -1;
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

// Preference lists on the same city plus a second community team, `helper` (team 2, role worker), based
// with the mediator at the community centre. Grid G01's list: G03 first (far away), then C01's mediator only,
// then G01 itself; G03's list: C01 (any team); every other grid takes the default row, G02.
using scenario::Level;
using policy::Dispatcher;

scenario::Scenario listed_city() {
  auto s = Fixture::make(scenario::DispatchPolicyName::preference_list);
  s.teams.push_back({"helper", Level::community, 1, {"worker"}});
  s.dispatch.preferences_by_grid.resize(4);
  s.dispatch.preferences_by_grid[0] = {{Level::grid, 2, -1}, {Level::community, 0, 1}, {Level::grid, 0, -1}};
  s.dispatch.preferences_by_grid[2] = {{Level::community, 0, -1}};
  s.dispatch.default_preferences = {{Level::grid, 1, -1}};
  return s;
}

TEST(Dispatcher, PreferenceListTriesTheListedUnitsInOrderAndNoOneElse) {
  Fixture f(listed_city());
  const int worker = f.roster.role_id("worker");
  // G03's worker although the mediator (100 m) and G01's own worker (400 m) are nearer: the list decides.
  auto choice = f.dispatcher.choose(worker, 0, {900, 500}, 0);
  ASSERT_TRUE(choice);
  EXPECT_EQ(f.name(choice->responder), "worker@G03#1");
  EXPECT_DOUBLE_EQ(choice->travel_s, 60 + 96);   // 1 min turnout + 1.6 km at 1 km/min
  f.dispatcher.make_busy(choice->responder);
  // Then C01, but only its mediator (helper@C01 stands at the same spot and is not listed for G01).
  choice = f.dispatcher.choose(worker, 0, {900, 500}, 0);
  ASSERT_TRUE(choice);
  EXPECT_EQ(f.name(choice->responder), "mediator@C01#1");
  f.dispatcher.make_busy(choice->responder);
  choice = f.dispatcher.choose(worker, 0, {900, 500}, 0);
  ASSERT_TRUE(choice);
  EXPECT_EQ(f.name(choice->responder), "worker@G01#1");
  f.dispatcher.make_busy(choice->responder);
  // Nobody listed is free: no one, although G02's and G04's workers and the helper are.
  EXPECT_FALSE(f.dispatcher.choose(worker, 0, {900, 500}, 0));
  EXPECT_TRUE(f.dispatcher.is_available(f.id("helper@C01#1")));
}

TEST(Dispatcher, PreferenceListHonoursLevelsExclusionsAndRoles) {
  Fixture f(listed_city());
  const int worker = f.roster.role_id("worker");
  const int mediator = f.roster.role_id("mediator");
  // A grid tier passes over C01 and goes on down the list.
  const Dispatcher::LevelMask grid_only = 1u << 0;
  f.dispatcher.make_busy(f.id("worker@G03#1"));
  auto choice = f.dispatcher.choose(worker, 0, {900, 500}, 0, grid_only);
  ASSERT_TRUE(choice);
  EXPECT_EQ(f.name(choice->responder), "worker@G01#1");
  // An excluded member is passed over like a busy one.
  choice = f.dispatcher.choose(worker, 0, {900, 500}, 0, Dispatcher::all_levels, {f.id("mediator@C01#1")});
  ASSERT_TRUE(choice);
  EXPECT_EQ(f.name(choice->responder), "worker@G01#1");
  // The role: G03 and G01 have no mediator, C01's mediator is the only one listed.
  f.dispatcher.make_available(f.id("worker@G03#1"), {{2500, 500}, {2500, 500}, 0, 0});
  choice = f.dispatcher.choose(mediator, 0, {900, 500}, 0);
  ASSERT_TRUE(choice);
  EXPECT_EQ(f.name(choice->responder), "mediator@C01#1");
  // G03's list names C01 without a team: the nearest of its two, the mediator (lower id) on a tie.
  choice = f.dispatcher.choose(worker, 2, {2500, 500}, 0);
  ASSERT_TRUE(choice);
  EXPECT_EQ(f.name(choice->responder), "mediator@C01#1");
  f.dispatcher.make_busy(choice->responder);
  choice = f.dispatcher.choose(worker, 2, {2500, 500}, 0);
  ASSERT_TRUE(choice);
  EXPECT_EQ(f.name(choice->responder), "helper@C01#1");
  // G02 and G04 have no list of their own: the default row, G02's worker, even for G04.
  choice = f.dispatcher.choose(worker, 3, {3500, 500}, 0);
  ASSERT_TRUE(choice);
  EXPECT_EQ(f.name(choice->responder), "worker@G02#1");
}

TEST(Dispatcher, PreferenceListDecidesWhoMayServeAndWhichCasesShareStaff) {
  Fixture f(listed_city());
  EXPECT_TRUE(f.dispatcher.may_serve(f.id("worker@G03#1"), 0));
  EXPECT_TRUE(f.dispatcher.may_serve(f.id("mediator@C01#1"), 0));
  EXPECT_FALSE(f.dispatcher.may_serve(f.id("helper@C01#1"), 0));   // G01 lists mediator@C01 only
  EXPECT_FALSE(f.dispatcher.may_serve(f.id("worker@G02#1"), 0));
  EXPECT_TRUE(f.dispatcher.may_serve(f.id("helper@C01#1"), 2));
  EXPECT_FALSE(f.dispatcher.may_serve(f.id("worker@G03#1"), 2));   // G03 does not list itself
  EXPECT_TRUE(f.dispatcher.may_serve(f.id("worker@G02#1"), 3));    // the default row
  const auto all = Dispatcher::all_levels;
  EXPECT_TRUE(f.dispatcher.could_share_staff(0, 2, all));           // C01: mediator@C01 and any team there
  EXPECT_FALSE(f.dispatcher.could_share_staff(0, 2, 1u << 0));      // ... but not at a grid tier
  EXPECT_FALSE(f.dispatcher.could_share_staff(0, 1, all));          // G01's list and the default share nobody
  EXPECT_TRUE(f.dispatcher.could_share_staff(1, 3, all));           // both on the default row
  EXPECT_TRUE(f.dispatcher.could_share_staff(2, 2, all));
}

TEST(Dispatcher, PreferenceListTeamsNeverMeetAcrossTeams) {
  auto s = listed_city();
  s.dispatch.preferences_by_grid[2] = {{Level::community, 0, 2}};   // helper@C01 only
  Fixture f(std::move(s));
  EXPECT_FALSE(f.dispatcher.could_share_staff(0, 2, Dispatcher::all_levels));   // mediator@C01 vs helper@C01
}

TEST(Dispatcher, PreferenceListBuiltInCodeMustCoverEveryGrid) {
  auto s = listed_city();
  s.dispatch.default_preferences.clear();
  EXPECT_THROW(Fixture{std::move(s)}, std::invalid_argument);
  s = listed_city();
  s.dispatch.preferences_by_grid[0].push_back({Level::community, 2, -1});   // there are two communities
  EXPECT_THROW(Fixture{std::move(s)}, std::invalid_argument);
  s = listed_city();
  s.dispatch.preferences_by_grid[0].push_back({Level::grid, 1, 1});   // the mediators work at community level
  EXPECT_THROW(Fixture{std::move(s)}, std::invalid_argument);
}

}  // namespace
}  // namespace civicgrid
