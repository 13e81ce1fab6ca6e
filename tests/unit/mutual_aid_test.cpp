// Unit tier: mutual aid between neighbouring grids (dispatch.mutual_aid): the loader's forms and errors, and
// the dispatcher's choices before and after a case's reach widens, on a 1 x 4 row of grids (no engine).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include "city/city.hpp"
#include "city/roster.hpp"
#include "policy/dispatcher.hpp"
#include "scenario/loader.hpp"
#include "support/scenarios.hpp"

namespace civicgrid {
namespace {

namespace fs = std::filesystem;
using policy::Dispatcher;
using policy::Reach;

// 1 x 4 grids of 1 km (G01..G04 left to right), one community per two grids; a worker per grid and a mediator
// per community; 1 km/min, no turnout.
scenario::Scenario row_of_four(std::optional<scenario::MutualAid> aid) {
  auto s = testing::single_grid_queue(1, 1.0, testing::exponential_min(10), 24, 0);
  s.layout = {1, 4, 1000.0, 1, 2, 1, 2};
  s.teams = {{"worker", scenario::Level::grid, 1, {"worker"}},
             {"mediator", scenario::Level::community, 1, {"mediator"}}};
  s.travel = {scenario::TravelMetric::manhattan, 1000.0 / 60, 1.0, 0};
  s.dispatch.policy = scenario::DispatchPolicyName::own_unit_only;
  s.dispatch.mutual_aid = aid;
  return s;
}

struct Fixture {
  scenario::Scenario s;
  city::City city;
  city::Roster roster;
  city::TravelModel travel;
  Dispatcher dispatcher;
  explicit Fixture(scenario::Scenario scenario)
      : s(std::move(scenario)), city(city::City::build(s)), roster(s, city), travel(s.travel),
        dispatcher(s.dispatch, city, roster, travel) {
    for (const auto& r : roster.responders()) dispatcher.make_available(r.id, {r.base, r.base, 0, 0});
  }
  int id(const std::string& name) const {
    for (const auto& r : roster.responders())
      if (r.name == name) return r.id;
    ADD_FAILURE() << "no responder " << name;
    return -1;
  }
  std::string chosen(int grid, Reach reach, Dispatcher::LevelMask levels = 1u) const {
    const auto choice = dispatcher.choose(roster.role_id("worker"), grid, city.grids()[grid].centroid, 0, levels, {}, reach);
    return choice ? roster.responders()[choice->responder].name : "nobody";
  }
};

TEST(MutualAid, AWidenedCaseTakesTheNearestFreeNeighbourAfterItsOwnGrid) {
  Fixture f(row_of_four(scenario::MutualAid{scenario::NeighbourKind::adjacent, 0, 600}));
  EXPECT_EQ(f.chosen(1, Reach::widened), "worker@G02#1");   // its own grid first, widened or not
  f.dispatcher.make_busy(f.id("worker@G02#1"));
  EXPECT_EQ(f.chosen(1, Reach::own), "nobody");             // before the delay: own grid only
  EXPECT_EQ(f.chosen(1, Reach::widened), "worker@G01#1");   // G01 and G03 both 1 km away: the lower id
  f.dispatcher.make_busy(f.id("worker@G01#1"));
  EXPECT_EQ(f.chosen(1, Reach::widened), "worker@G03#1");
  f.dispatcher.make_busy(f.id("worker@G03#1"));
  EXPECT_EQ(f.chosen(1, Reach::widened), "nobody");         // G04 is not adjacent to G02
  // The delay applies at every tier that draws on grid staff, and only there.
  EXPECT_DOUBLE_EQ(f.dispatcher.widening_delay_s(1u), 600);
  EXPECT_DOUBLE_EQ(f.dispatcher.widening_delay_s(3u), 600);
  EXPECT_TRUE(std::isinf(f.dispatcher.widening_delay_s(2u)));
}

TEST(MutualAid, NeighboursWithinADistance) {
  // within: 1500 m of G01's cell reaches G02 (touching) and G03 (1 km away), not G04 (2 km).
  Fixture f(row_of_four(scenario::MutualAid{scenario::NeighbourKind::within, 1500, 0}));
  for (const char* busy : {"worker@G01#1", "worker@G02#1"}) f.dispatcher.make_busy(f.id(busy));
  EXPECT_EQ(f.chosen(0, Reach::widened), "worker@G03#1");
  f.dispatcher.make_busy(f.id("worker@G03#1"));
  EXPECT_EQ(f.chosen(0, Reach::widened), "nobody");
  EXPECT_DOUBLE_EQ(f.dispatcher.widening_delay_s(1u), 0);
}

TEST(MutualAid, WhoMayServeAndWhichCasesCompete) {
  Fixture f(row_of_four(scenario::MutualAid{scenario::NeighbourKind::adjacent, 0, 600}));
  const int g1 = f.id("worker@G01#1");
  EXPECT_TRUE(f.dispatcher.may_serve(g1, 0, Reach::own));
  EXPECT_FALSE(f.dispatcher.may_serve(g1, 1, Reach::own));
  EXPECT_TRUE(f.dispatcher.may_serve(g1, 1, Reach::widened));
  EXPECT_FALSE(f.dispatcher.may_serve(g1, 2, Reach::widened));
  EXPECT_FALSE(f.dispatcher.may_serve(f.id("mediator@C01#1"), 2, Reach::widened));   // grid staff only
  // Two cases compete for grid staff when the grids whose members may serve them meet.
  EXPECT_FALSE(f.dispatcher.could_share_staff(0, Reach::own, 1, Reach::own, 1u));
  EXPECT_TRUE(f.dispatcher.could_share_staff(0, Reach::widened, 1, Reach::own, 1u));
  EXPECT_TRUE(f.dispatcher.could_share_staff(0, Reach::own, 1, Reach::widened, 1u));
  EXPECT_FALSE(f.dispatcher.could_share_staff(0, Reach::widened, 2, Reach::own, 1u));
  EXPECT_TRUE(f.dispatcher.could_share_staff(0, Reach::widened, 2, Reach::widened, 1u));   // both may take G02's
  EXPECT_FALSE(f.dispatcher.could_share_staff(0, Reach::widened, 3, Reach::widened, 1u));
  EXPECT_FALSE(f.dispatcher.could_share_staff(0, Reach::widened, 2, Reach::widened, 2u));  // no grid staff there
}

TEST(MutualAid, WithoutTheRuleNothingWidens) {
  Fixture f(row_of_four(std::nullopt));
  EXPECT_TRUE(std::isinf(f.dispatcher.widening_delay_s(Dispatcher::all_levels)));
  f.dispatcher.make_busy(f.id("worker@G02#1"));
  EXPECT_EQ(f.chosen(1, Reach::widened), "nobody");
  EXPECT_FALSE(f.dispatcher.may_serve(f.id("worker@G01#1"), 1, Reach::widened));
}

TEST(MutualAid, ScenariosBuiltInCodeNeedOwnUnitOnly) {
  auto s = row_of_four(scenario::MutualAid{scenario::NeighbourKind::adjacent, 0, 600});
  s.dispatch.policy = scenario::DispatchPolicyName::own_unit_first;
  const auto city = city::City::build(s);
  const city::Roster roster(s, city);
  const city::TravelModel travel(s.travel);
  EXPECT_THROW(Dispatcher(s.dispatch, city, roster, travel), std::invalid_argument);
}

class MutualAidLoader : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("civicgrid-mutual-aid-" + std::to_string(getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& dispatch) {
    const auto path = dir_ / "s.yaml";
    std::ofstream(path) << "version: 1\n"
                           "name: aid\n"
                           "run: {horizon: 2d, warmup: 0d, replications: 1, seed: 1}\n"
                           "layout: {rows: 2, cols: 2, cell_size: 1km, community_block: [2, 2], town_block: [1, 1]}\n"
                           "population: {residents_per_grid: 1000}\n"
                           "travel: {metric: manhattan, speed: 15km/h}\n"
                           "teams:\n"
                           "  - {name: worker, level: grid, per_unit: 1, roles: [worker]}\n"
                           "incidents:\n"
                           "  - {type: request, rate: 2/d, service: {distribution: exponential, mean: 1h}, target: 1h, roles: [worker]}\n"
                        << dispatch;
    return path.string();
  }
  std::vector<scenario::Diagnostic> problems(const std::string& dispatch) {
    try {
      scenario::load_scenario(write(dispatch), {});
    } catch (const scenario::InputError& error) {
      return error.diagnostics();
    }
    ADD_FAILURE() << "no InputError for " << dispatch;
    return {};
  }
  fs::path dir_;
};

TEST_F(MutualAidLoader, BothNeighbourFormsAndTheDelay) {
  auto s = scenario::load_scenario(write("dispatch: {policy: own_unit_only, mutual_aid: {neighbours: adjacent, after: 10min}}\n"), {});
  ASSERT_TRUE(s.dispatch.mutual_aid);
  EXPECT_EQ(s.dispatch.mutual_aid->neighbours, scenario::NeighbourKind::adjacent);
  EXPECT_DOUBLE_EQ(s.dispatch.mutual_aid->after_s, 600);
  s = scenario::load_scenario(
      write("dispatch:\n  policy: own_unit_only\n  mutual_aid: {neighbours: {within: 1.5km}, after: 0s}\n"), {});
  ASSERT_TRUE(s.dispatch.mutual_aid);
  EXPECT_EQ(s.dispatch.mutual_aid->neighbours, scenario::NeighbourKind::within);
  EXPECT_DOUBLE_EQ(s.dispatch.mutual_aid->within_m, 1500);
  EXPECT_DOUBLE_EQ(s.dispatch.mutual_aid->after_s, 0);
  s = scenario::load_scenario(write("dispatch: {policy: own_unit_only}\n"), {});
  EXPECT_FALSE(s.dispatch.mutual_aid);
}

TEST_F(MutualAidLoader, EveryMistakeIsCollectedWithItsPlace) {
  const auto wrong = problems(
      "dispatch:\n"
      "  policy: own_unit_first\n"
      "  mutual_aid: {neighbours: nearby, after: 10, radius: 1km}\n");
  // All four, in the order they stand on line 13 (the mutual_aid line of the file write() makes).
  ASSERT_EQ(wrong.size(), 4u);
  std::vector<std::string> keys;
  for (const auto& d : wrong) {
    EXPECT_EQ(d.line, 13) << d.format();
    keys.push_back(d.key_path);
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"dispatch.mutual_aid", "dispatch.mutual_aid.neighbours",
                                            "dispatch.mutual_aid.after", "dispatch.mutual_aid.radius"}));
  EXPECT_NE(wrong[0].hint.find("own_unit_only"), std::string::npos) << wrong[0].format();
  EXPECT_NE(wrong[1].hint.find("adjacent"), std::string::npos) << wrong[1].format();
  EXPECT_NE(wrong[2].hint.find("min"), std::string::npos) << wrong[2].format();

  const auto missing = problems("dispatch: {policy: own_unit_only, mutual_aid: {neighbours: {within: -1km}}}\n");
  ASSERT_EQ(missing.size(), 2u);
  EXPECT_EQ(missing[0].key_path, "dispatch.mutual_aid.after");   // missing: reported where the map starts
  EXPECT_EQ(missing[1].key_path, "dispatch.mutual_aid.neighbours.within");
}

}  // namespace
}  // namespace civicgrid
