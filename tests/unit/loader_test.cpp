// Unit tier: scenario files -> Scenario. Units, model merge with origins, --set, the resolved document, and
// error collection with file:line:col and suggestions.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "scenario/loader.hpp"
#include "scenario/units.hpp"

namespace civicgrid::scenario {
namespace {

namespace fs = std::filesystem;

class Loader : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("civicgrid-loader-" + std::to_string(getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_ / "models");
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  std::vector<Diagnostic> problems(const std::string& path, const LoadOptions& options = {}) {
    try {
      load_scenario(path, options);
    } catch (const InputError& error) {
      return error.diagnostics();
    }
    ADD_FAILURE() << "no InputError for " << path;
    return {};
  }
  fs::path dir_;
};

const char* valid_scenario =
    "version: 1\n"
    "name: riverside\n"
    "description: test\n"
    "run: {horizon: 30d, warmup: 2d, replications: 10, seed: 7}\n"
    "layout: {rows: 20, cols: 10, cell_size: 0.5km, community_block: [4, 4], town_block: [2, 2]}\n"
    "population: {residents_per_grid: 1000, migrant_share: 0.3}\n"
    "travel: {metric: euclidean, speed: 18km/h, detour_factor: 1.25, turnout: 90s}\n"
    "teams:\n"
    "  - {name: grid_worker, level: grid, per_unit: 1, roles: [grid_worker]}\n"
    "  - {name: mediators, level: community, per_unit: 2, roles: [mediator, grid_worker]}\n"
    "incidents:\n"
    "  - {type: dispute, rate: 2/d, service: {distribution: exponential, mean: 45min}, target: 30min, roles: [mediator]}\n"
    "  - {type: request, rate_per_1000_residents: 0.5/h, service: {distribution: erlang, mean: 1h, k: 3},\n"
    "     target: 1h, roles: [grid_worker]}\n"
    "dispatch: {policy: own_unit_first}\n";

TEST(Units, EveryUnitAndItsErrors) {
  EXPECT_DOUBLE_EQ(*parse_duration_s("45s").value, 45);
  EXPECT_DOUBLE_EQ(*parse_duration_s("30min").value, 1800);
  EXPECT_DOUBLE_EQ(*parse_duration_s("1.5h").value, 5400);
  EXPECT_DOUBLE_EQ(*parse_duration_s("2d").value, 172800);
  EXPECT_DOUBLE_EQ(*parse_duration_s("1w").value, 604800);
  EXPECT_DOUBLE_EQ(*parse_distance_m("500m").value, 500);
  EXPECT_DOUBLE_EQ(*parse_distance_m("1.2km").value, 1200);
  EXPECT_DOUBLE_EQ(*parse_speed_mps("36km/h").value, 10);
  EXPECT_DOUBLE_EQ(*parse_speed_mps("4m/s").value, 4);
  EXPECT_DOUBLE_EQ(*parse_rate_per_s("2/d").value, 2.0 / 86400);
  EXPECT_DOUBLE_EQ(*parse_rate_per_s("3/min").value, 0.05);
  EXPECT_DOUBLE_EQ(*parse_rate_per_s("0.5/h").value, 0.5 / 3600);
  const auto bare = parse_duration_s("30");
  EXPECT_FALSE(bare.value);
  EXPECT_NE(bare.hint.find("s, min, h, d or w"), std::string::npos) << bare.hint;
  EXPECT_FALSE(parse_duration_s("-5min").value);
  EXPECT_NE(parse_duration_s("-5min").error.find("negative"), std::string::npos);
  EXPECT_FALSE(parse_speed_mps("15kmh").value);
  EXPECT_NE(parse_speed_mps("15kmh").hint.find("km/h"), std::string::npos);
  EXPECT_FALSE(parse_rate_per_s("many").value);
  EXPECT_FALSE(parse_distance_m("").value);
}

TEST_F(Loader, ValidScenarioInSiUnits) {
  const auto s = load_scenario(write("s.yaml", valid_scenario));
  EXPECT_EQ(s.name, "riverside");
  EXPECT_DOUBLE_EQ(s.run.horizon_s, 30 * 86400);
  EXPECT_DOUBLE_EQ(s.run.warmup_s, 2 * 86400);
  EXPECT_EQ(s.run.replications, 10);
  EXPECT_EQ(s.run.seed, 7u);
  EXPECT_EQ(s.layout.rows, 20);
  EXPECT_DOUBLE_EQ(s.layout.cell_size_m, 500);
  EXPECT_EQ(s.layout.community_block_cols, 4);
  EXPECT_DOUBLE_EQ(s.population.migrant_share, 0.3);
  EXPECT_EQ(s.travel.metric, TravelMetric::euclidean);
  EXPECT_DOUBLE_EQ(s.travel.speed_mps, 5);
  EXPECT_DOUBLE_EQ(s.travel.turnout_s, 90);
  ASSERT_EQ(s.teams.size(), 2u);
  EXPECT_EQ(s.teams[1].level, Level::community);
  EXPECT_EQ(s.teams[1].per_unit, 2);
  ASSERT_EQ(s.incidents.size(), 2u);
  EXPECT_DOUBLE_EQ(s.incidents[0].rate_per_grid_per_s, 2.0 / 86400);
  EXPECT_DOUBLE_EQ(s.incidents[1].rate_per_1000_residents_per_s, 0.5 / 3600);
  EXPECT_EQ(s.incidents[1].service.kind, DistributionKind::erlang);
  EXPECT_DOUBLE_EQ(s.incidents[1].service.shape, 3);
  EXPECT_DOUBLE_EQ(s.incidents[0].target_s, 1800);
  EXPECT_EQ(s.dispatch.policy, DispatchPolicyName::own_unit_first);
}

TEST_F(Loader, ResolvedDocumentReloadsToTheSameScenario) {
  const auto first = load_scenario(write("s.yaml", valid_scenario), {{"teams.mediators.per_unit=3"}});
  const auto second = load_scenario(write("resolved.yaml", first.resolved_yaml));
  EXPECT_EQ(second.teams[1].per_unit, 3);
  EXPECT_EQ(second.resolved_yaml.substr(second.resolved_yaml.find("version")),
            first.resolved_yaml.substr(first.resolved_yaml.find("version")));
  EXPECT_DOUBLE_EQ(second.incidents[1].service.mean_s, first.incidents[1].service.mean_s);
}

TEST_F(Loader, ModelMergesUnderTheScenarioAndErrorsPointIntoTheModel) {
  write("models/m.yaml",
        "teams:\n  - {name: grid_worker, level: grid, per_unit: 1, roles: [grid_worker]}\n"
        "travel: {metric: manhattan, speed: 12km/h, turnout: 2min}\n"
        "dispatch: {policy: own_unit_first}\n");
  std::string text = valid_scenario;
  text.replace(text.find("travel:"), text.find("teams:") - text.find("travel:"), "travel: {speed: 20km/h}\n");
  text.replace(text.find("teams:"), text.find("incidents:") - text.find("teams:"), "");
  text.replace(text.find("roles: [mediator]"), 17, "roles: [grid_worker]");
  text = "model: models/m.yaml\n" + text;
  const auto s = load_scenario(write("s.yaml", text));
  EXPECT_DOUBLE_EQ(s.travel.speed_mps, 20 / 3.6);          // the scenario's value wins
  EXPECT_DOUBLE_EQ(s.travel.turnout_s, 120);               // the model fills the rest of the map
  EXPECT_EQ(s.teams.size(), 1u);                           // lists come from the model
  EXPECT_EQ(s.source_files.size(), 2u);
  EXPECT_EQ(s.resolved_yaml.find("\nmodel:"), std::string::npos);
  // A bad value in the model is reported at the model's line.
  write("models/m.yaml", "teams:\n  - {name: grid_worker, level: grid, per_unit: -1, roles: [grid_worker]}\n");
  const auto found = problems((dir_ / "s.yaml").string());
  ASSERT_FALSE(found.empty());
  EXPECT_NE(found[0].file.find("m.yaml"), std::string::npos) << found[0].format();
  EXPECT_EQ(found[0].line, 2);
  EXPECT_EQ(found[0].key_path, "teams.0.per_unit");
}

TEST_F(Loader, SetOverridesByIndexNameAndNewKey) {
  const auto path = write("s.yaml", valid_scenario);
  const auto s = load_scenario(path, {{"teams.0.per_unit=4", "incidents.dispute.rate=5/d", "run.replications=3",
                                       "layout.community_block=[2, 5]", "population.gradient_per_km=-0.1"}});
  EXPECT_EQ(s.teams[0].per_unit, 4);
  EXPECT_DOUBLE_EQ(s.incidents[0].rate_per_grid_per_s, 5.0 / 86400);
  EXPECT_EQ(s.run.replications, 3);
  EXPECT_EQ(s.layout.community_block_cols, 5);
  EXPECT_DOUBLE_EQ(s.population.gradient_per_km, -0.1);
  const auto bad = problems(path, {{"teams.9.per_unit=1", "run.horizon", "name.x=1"}});
  ASSERT_EQ(bad.size(), 3u);
  EXPECT_EQ(bad[0].file, "--set");
  EXPECT_EQ(bad[0].line, 1);
  EXPECT_EQ(bad[1].line, 2);
  EXPECT_NE(bad[1].message.find("path.to.key=value"), std::string::npos);
  EXPECT_NE(bad[2].message.find("cannot descend"), std::string::npos);
}

TEST_F(Loader, EveryProblemIsCollectedWithPositionAndHint) {
  std::string text = valid_scenario;
  text.replace(text.find("replications: 10"), 16, "replicatoins: 10");
  text.replace(text.find("target: 30min"), 13, "target: 30");
  text.replace(text.find("rate: 2/d"), 9, "rate: -2/d");
  text.replace(text.find("roles: [mediator]"), 17, "roles: [firefighter]");
  text.replace(text.find("policy: own_unit_first"), 22, "policy: nearest");
  const auto found = problems(write("s.yaml", text));
  ASSERT_EQ(found.size(), 5u);
  for (std::size_t i = 1; i < found.size(); ++i) EXPECT_LE(found[i - 1].line, found[i].line);
  EXPECT_EQ(found[0].key_path, "run.replicatoins");
  EXPECT_EQ(found[0].line, 4);
  EXPECT_EQ(found[0].col, 33);
  EXPECT_NE(found[0].hint.find("did you mean 'replications'"), std::string::npos);
  EXPECT_EQ(found[1].key_path, "incidents.0.rate");
  EXPECT_NE(found[1].message.find("negative"), std::string::npos);
  EXPECT_EQ(found[2].key_path, "incidents.0.target");
  EXPECT_NE(found[2].hint.find("min"), std::string::npos);
  EXPECT_EQ(found[3].key_path, "incidents.0.roles.0");
  EXPECT_NE(found[3].message.find("no team has role 'firefighter'"), std::string::npos);
  EXPECT_EQ(found[4].key_path, "dispatch.policy");
  EXPECT_NE(found[4].hint.find("nearest_idle"), std::string::npos);
  EXPECT_EQ(found[4].format().rfind((dir_ / "s.yaml").string() + ":15:", 0), 0u) << found[4].format();
}

TEST_F(Loader, SyntaxErrorsMissingFilesAndAbsurdSizes) {
  auto found = problems(write("s.yaml", "version: 1\nrun: {horizon: [30d,\n"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].message.find("YAML syntax error"), std::string::npos);
  EXPECT_GE(found[0].line, 2);
  found = problems((dir_ / "missing.yaml").string());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].message.find("cannot open"), std::string::npos);
  std::string text = valid_scenario;
  text.replace(text.find("rows: 20, cols: 10"), 18, "rows: 100000, cols: 100000");
  found = problems(write("big.yaml", text));
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0].key_path, "layout");
  EXPECT_NE(found[0].hint.find("1000000"), std::string::npos);
  text = valid_scenario;
  text.replace(text.find("per_unit: 1"), 11, "per_unit: 999");   // 200 grids x 999 grid workers
  found = problems(write("staff.yaml", text));
  ASSERT_FALSE(found.empty());
  EXPECT_NE(found[0].message.find("responders"), std::string::npos);
}

TEST_F(Loader, PopulationFromCsvWithPositionsOfBadCells) {
  write("pop.csv", "grid,residents,migrant_share\n0,1500,0.5\n3,abc\n");
  std::string text = valid_scenario;
  text.replace(text.find("population: {residents_per_grid: 1000, migrant_share: 0.3}"), 58,
               "population: {residents_per_grid: 1000, csv: pop.csv}");
  const auto found = problems(write("s.yaml", text));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].file.find("pop.csv"), std::string::npos);
  EXPECT_EQ(found[0].line, 3);
  EXPECT_EQ(found[0].col, 3);
  write("pop.csv", "grid,residents,migrant_share\n0,1500,0.5\n3,200\n");
  const auto s = load_scenario((dir_ / "s.yaml").string());
  EXPECT_DOUBLE_EQ(s.population.residents_by_grid[0], 1500);
  EXPECT_DOUBLE_EQ(s.population.residents_by_grid[3], 200);
  EXPECT_DOUBLE_EQ(s.population.residents_by_grid[1], -1);
  EXPECT_DOUBLE_EQ(s.population.migrant_share_by_grid[0], 0.5);
}

TEST_F(Loader, WorkflowKeys) {
  std::string text = valid_scenario;
  text.replace(text.find("target: 30min"), 13,
               "target: 30min, priority: 2, min_level: community, failure_probability: 0.2, deadline: 2d,"
               " discovery: {report_probability: 0.7, report_delay: {distribution: fixed, mean: 1h}},"
               " reporting: {delay: {distribution: exponential, mean: 4h}, on_time_limit: 1d,"
               " not_reported: {handled: 0.1, could_not_handle: 0.2, sensitive: 0.05}}");
  text += "escalation: {mode: tiered, when_busy: escalate}\n";
  const auto s = load_scenario(write("s.yaml", text));
  const auto& type = s.incidents[0];
  EXPECT_EQ(type.priority, 2);
  EXPECT_EQ(type.min_level, Level::community);
  EXPECT_DOUBLE_EQ(type.failure_probability, 0.2);
  EXPECT_EQ(type.deadline.kind, scenario::TimeLimit::Kind::clock);
  EXPECT_DOUBLE_EQ(type.deadline.amount, 2 * 86400);
  EXPECT_DOUBLE_EQ(type.report_probability, 0.7);
  ASSERT_TRUE(type.report_delay);
  EXPECT_DOUBLE_EQ(type.report_delay->mean_s, 3600);
  ASSERT_TRUE(type.reporting);
  EXPECT_DOUBLE_EQ(type.reporting->on_time_limit_s, 86400);
  EXPECT_DOUBLE_EQ(type.reporting->not_reported_could_not_handle, 0.2);
  EXPECT_EQ(s.escalation.mode, EscalationMode::tiered);
  EXPECT_EQ(s.escalation.when_busy, WhenBusy::escalate);
  EXPECT_FALSE(s.incidents[1].reporting);
  EXPECT_DOUBLE_EQ(s.incidents[1].report_probability, 1.0);
}

// incidents[].escalation replaces the scenario-wide when_busy and/or after for its type alone (the engine reads
// it through Scenario::escalation_for); it needs a tiered ladder, and every problem is collected.
TEST_F(Loader, EscalationRulePerIncidentType) {
  std::string text = valid_scenario;
  text.replace(text.find("target: 30min"), 13, "target: 30min, escalation: {when_busy: escalate}");
  text.replace(text.find("target: 1h"), 10, "target: 1h, escalation: {after: {grid: 2h}}");
  text += "escalation: {mode: tiered, when_busy: wait, after: {grid: 30min, community: 4h}}\n";
  const auto s = load_scenario(write("s.yaml", text));
  EXPECT_EQ(s.escalation_for(0).when_busy, WhenBusy::escalate);
  EXPECT_DOUBLE_EQ(s.escalation_for(0).after_s[0], 1800);   // when_busy only: the scenario's after stays
  EXPECT_DOUBLE_EQ(s.escalation_for(0).after_s[1], 4 * 3600);
  EXPECT_EQ(s.escalation_for(1).when_busy, WhenBusy::wait);
  EXPECT_DOUBLE_EQ(s.escalation_for(1).after_s[0], 7200);   // its own after replaces the whole map
  EXPECT_DOUBLE_EQ(s.escalation_for(1).after_s[1], 0);

  std::string bad = valid_scenario;
  bad.replace(bad.find("target: 30min"), 13, "target: 30min, escalation: {when_busy: later, afterr: 1h}");
  bad.replace(bad.find("target: 1h"), 10, "target: 1h, escalation: {after: {grid: 0s, street: 1h}}");
  auto found = problems(write("bad.yaml", bad + "escalation: {mode: tiered}\n"));
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[0].key_path, "incidents.0.escalation.when_busy");
  EXPECT_NE(found[0].hint.find("escalate"), std::string::npos);
  EXPECT_EQ(found[1].key_path, "incidents.0.escalation.afterr");
  EXPECT_NE(found[1].hint.find("did you mean 'after'"), std::string::npos);
  EXPECT_EQ(found[2].key_path, "incidents.1.escalation.after.grid");
  EXPECT_NE(found[2].message.find("positive"), std::string::npos);
  EXPECT_EQ(found[3].key_path, "incidents.1.escalation.after.street");
  // Pooled (the default mode) has no levels to go up to; an empty rule says nothing.
  bad = valid_scenario;
  bad.replace(bad.find("target: 30min"), 13, "target: 30min, escalation: {when_busy: escalate}");
  bad.replace(bad.find("target: 1h"), 10, "target: 1h, escalation: {}");
  found = problems(write("pooled.yaml", bad));
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].key_path, "incidents.0.escalation");
  EXPECT_NE(found[0].message.find("mode: tiered"), std::string::npos);
  EXPECT_EQ(found[1].key_path, "incidents.1.escalation");
  EXPECT_NE(found[1].message.find("neither"), std::string::npos);
  EXPECT_EQ(found[2].key_path, "incidents.1.escalation");
  EXPECT_NE(found[2].message.find("mode: tiered"), std::string::npos);
}

TEST_F(Loader, HourlyProfileIsNormalisedAndChecked) {
  std::string text = valid_scenario;
  text.replace(text.find("target: 30min"), 13,
               "target: 30min, hourly_profile: [2,2,2,2,2,2,2,2,2,2,2,2,0,0,0,0,0,0,0,0,0,0,0,0]");
  const auto s = load_scenario(write("s.yaml", text));
  ASSERT_EQ(s.incidents[0].hourly_profile.size(), 24u);
  EXPECT_DOUBLE_EQ(s.incidents[0].hourly_profile[0], 2.0);   // mean 1 over the day
  text.replace(text.find("[2,2,2"), 6, "[2,2");   // 23 values
  const auto found = problems(write("bad.yaml", text));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].message.find("exactly 24"), std::string::npos);
}

}  // namespace
}  // namespace civicgrid::scenario
