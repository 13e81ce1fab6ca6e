// Unit tier: scenario files -> Scenario. Units, model merge with origins, --set, the resolved document, and
// error collection with file:line:col and suggestions.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "city/city.hpp"
#include "scenario/loader.hpp"
#include "scenario/preferences_input.hpp"
#include "scenario/units.hpp"
#include "metrics/standards.hpp"

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

// dispatch.policy: preference_list. valid_scenario's layout has 200 grids (G001 ... G200), 15 communities
// (C01 ... C15) and 6 towns; the teams work at grid and community level.
std::string with_dispatch(const std::string& dispatch) {
  std::string text = valid_scenario;
  text.replace(text.find("dispatch: {policy: own_unit_first}\n"), std::string::npos, dispatch);
  return text;
}

TEST_F(Loader, PreferenceListsFromYamlAndCsv) {
  const auto yaml = load_scenario(write("s.yaml", with_dispatch("dispatch:\n"
                                                               "  policy: preference_list\n"
                                                               "  preferences:\n"
                                                               "    G001: [G001, G002, mediators@C01]\n"
                                                               "    default: [C01]\n")));
  EXPECT_EQ(yaml.dispatch.policy, DispatchPolicyName::preference_list);
  ASSERT_EQ(yaml.dispatch.preferences_by_grid.size(), 200u);
  const std::vector<PreferredUnit> first = {{Level::grid, 0, -1}, {Level::grid, 1, -1}, {Level::community, 0, 1}};
  EXPECT_EQ(yaml.dispatch.preferences_by_grid[0], first);
  EXPECT_TRUE(yaml.dispatch.preferences_by_grid[1].empty());
  EXPECT_EQ(yaml.dispatch.default_preferences, (std::vector<PreferredUnit>{{Level::community, 0, -1}}));
  EXPECT_TRUE(yaml.dispatch.preferences_file.empty());
  const auto reloaded = load_scenario(write("resolved.yaml", yaml.resolved_yaml));
  EXPECT_EQ(reloaded.dispatch.preferences_by_grid[0], first);

  // The same table as CSV, rows in any order (Excel's BOM and CRLF are the CSV reader's, tested there).
  write("prefs.csv", "grid,rank,unit\nG001,3,mediators@C01\nG001,1,G001\ndefault,1,C01\nG001,2,G002\n");
  const auto csv = load_scenario(write("c.yaml", with_dispatch("dispatch: {policy: preference_list, preferences_file: prefs.csv}\n")));
  EXPECT_EQ(csv.dispatch.preferences_by_grid[0], first);
  EXPECT_EQ(csv.dispatch.default_preferences, yaml.dispatch.default_preferences);
  EXPECT_EQ(csv.dispatch.preferences_file, (dir_ / "prefs.csv").string());
  ASSERT_EQ(csv.source_files.size(), 2u);   // the manifest and a sweep's input hash see the table
  EXPECT_EQ(csv.source_files[1], (dir_ / "prefs.csv").string());
  // Lists from both places, each grid in one; the city's own code for the city-level unit.
  std::string text = valid_scenario;
  text.replace(text.find("incidents:\n"), 0, "  - {name: platform, level: city, roles: [grid_worker]}\n");
  text.replace(text.find("dispatch: {policy: own_unit_first}\n"), std::string::npos,
               "dispatch: {policy: preference_list, preferences_file: prefs.csv, preferences: {G200: [G200, CITY]}}\n");
  const auto both = load_scenario(write("b.yaml", text));
  EXPECT_EQ(both.dispatch.preferences_by_grid[199], (std::vector<PreferredUnit>{{Level::grid, 199, -1}, {Level::city, 0, -1}}));
  EXPECT_EQ(both.dispatch.preferences_by_grid[0], first);
}

// The loader resolves codes before any city exists; they must be the codes City gives the same units,
// also with partial blocks at the edges and three-digit widths.
TEST(UnitCodes, MatchTheCodesOfTheCity) {
  for (const auto& [rows, cols] : {std::pair{3, 5}, std::pair{12, 11}}) {
    Scenario s;
    s.layout = {rows, cols, 100.0, 2, 2, 1, 2};
    s.population.residents_per_grid = 10;
    const city::City city = city::City::build(s);
    const UnitCodes codes(s.layout);
    for (const Level level : {Level::grid, Level::community, Level::town, Level::city}) {
      ASSERT_EQ(codes.count(level), city.unit_count(level)) << to_string(level);
      for (int unit = 0; unit < city.unit_count(level); ++unit) {
        EXPECT_EQ(codes.code(level, unit), city.unit_code(level, unit));
        EXPECT_EQ(codes.find(level, city.unit_code(level, unit)), unit) << city.unit_code(level, unit);
      }
    }
  }
  Scenario s;
  s.layout = {12, 11, 100.0, 2, 2, 1, 2};   // 132 grids: G001 ... G132
  const UnitCodes codes(s.layout);
  for (const char* wrong : {"G1", "G01", "G000", "G133", "g001", "C001", "G00x", "G0001"})
    EXPECT_FALSE(codes.find(Level::grid, wrong)) << wrong;
  EXPECT_EQ(codes.describe(Level::grid), "G001 to G132");
}

TEST_F(Loader, EveryPreferenceListProblemInYamlAtItsPosition) {
  const auto found = problems(write("s.yaml", with_dispatch("dispatch:\n"                                     // 15
                                                           "  policy: preference_list\n"                      // 16
                                                           "  preferences:\n"                                 // 17
                                                           "    G999: [G001]\n"                               // 18
                                                           "    G001: [G001, G404, G001]\n"                   // 19
                                                           "    G002: []\n"                                   // 20
                                                           "    G003: [T01]\n"                                // 21
                                                           "    G004: [firemen@C01, mediators@C99, G005]\n"   // 22
                                                           "    G005: [C01, mediators@C01]\n"                 // 23
                                                           "    G006: G001\n")));                             // 24
  struct Expected {
    int line, col;
    std::string key_path, fragment;
  };
  const std::vector<Expected> expected = {
      {18, 5, "dispatch.preferences.G999", "unknown grid 'G999'"},
      {18, 5, "dispatch.preferences", "194 grids have no preference list (first: G007, G008, G009)"},
      {19, 18, "dispatch.preferences.G001.1", "unknown unit 'G404'"},
      {19, 24, "dispatch.preferences.G001.2", "'G001' is listed twice for grid G001"},
      {20, 11, "dispatch.preferences.G002", "the preference list is empty"},
      {21, 12, "dispatch.preferences.G003.0", "nobody works at town 'T01'"},
      {22, 12, "dispatch.preferences.G004.0", "no team 'firemen'"},
      {22, 25, "dispatch.preferences.G004.1", "no community 'C99' for team mediators"},
      {23, 17, "dispatch.preferences.G005.1", "'mediators@C01' is already covered by 'C01' (rank 1)"},
      {24, 11, "dispatch.preferences.G006", "expected a list of units"},
  };
  ASSERT_EQ(found.size(), expected.size()) << InputError(found).what();
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(found[i].file, (dir_ / "s.yaml").string());
    EXPECT_EQ(found[i].line, expected[i].line) << found[i].format();
    EXPECT_EQ(found[i].col, expected[i].col) << found[i].format();
    EXPECT_EQ(found[i].key_path, expected[i].key_path) << found[i].format();
    EXPECT_NE(found[i].message.find(expected[i].fragment), std::string::npos) << found[i].format();
    EXPECT_FALSE(found[i].hint.empty()) << found[i].format();
  }
  EXPECT_NE(found[2].hint.find("grids G001 to G200, communities C01 to C15"), std::string::npos) << found[2].hint;
}

TEST_F(Loader, EveryPreferenceListProblemInCsvAtItsLineAndColumn) {
  write("prefs.csv",
        "grid,rank,unit\n"     // 1
        "G002,1,G002\n"        // 2
        "G002,1,G003\n"        // 3: rank twice
        "G003,3,C01\n"         // 4: gap (rank 2 missing)
        "G003,1,G003\n"        // 5
        "G004,x,G004\n"        // 6: not a rank
        "G999,1,G001\n"        // 7: unknown grid
        "G005,1,G404\n"        // 8: unknown unit
        "G001,1,G002\n"        // 9: G001 has a YAML list
        "G006,1,G006\n"        // 10
        "G006,2,G006\n"        // 11: unit twice
        "G007,2,G007\n"        // 12: no rank 1
        "G008,0,C01\n"         // 13: rank 0
        "G009,1,G009,x\n");    // 14: a field too many
  const auto found = problems(write("s.yaml", with_dispatch("dispatch:\n"
                                                           "  policy: preference_list\n"
                                                           "  preferences: {G001: [G001]}\n"
                                                           "  preferences_file: prefs.csv\n")));
  struct Expected {
    int line, col;
    std::string key_path, fragment;
  };
  const std::string csv = (dir_ / "prefs.csv").string();
  const std::vector<Expected> expected = {
      {3, 6, "dispatch.preferences_file.rank", "rank 1 of grid G002 is given twice"},
      {4, 6, "dispatch.preferences_file.rank", "rank 3 of grid G003 follows rank 1"},
      {6, 6, "dispatch.preferences_file.rank", "rank 'x' is not a whole number"},
      {7, 1, "dispatch.preferences_file.grid", "unknown grid 'G999'"},
      {8, 8, "dispatch.preferences_file.unit", "unknown unit 'G404'"},
      {9, 1, "dispatch.preferences_file.grid", "grid G001 has a list in dispatch.preferences too"},
      {11, 8, "dispatch.preferences_file.unit", "'G006' is listed twice for grid G006"},
      {12, 6, "dispatch.preferences_file.rank", "rank 2 of grid G007 comes first"},
      {13, 6, "dispatch.preferences_file.rank", "rank '0' is not a whole number"},
      {14, 1, "dispatch.preferences_file", "expected 3 fields"},
  };
  // Sorted by file: the table's problems, then the grids it leaves out, reported once at the YAML map (G001 to
  // G008 have rows, usable or not; G009's row has a field too many and G999 is no grid).
  ASSERT_EQ(found.size(), expected.size() + 1) << InputError(found).what();
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const Diagnostic& d = found[i];
    EXPECT_EQ(d.file, csv) << d.format();
    EXPECT_EQ(d.line, expected[i].line) << d.format();
    EXPECT_EQ(d.col, expected[i].col) << d.format();
    EXPECT_EQ(d.key_path, expected[i].key_path) << d.format();
    EXPECT_NE(d.message.find(expected[i].fragment), std::string::npos) << d.format();
  }
  EXPECT_NE(found[0].hint.find("first on line 2"), std::string::npos) << found[0].hint;
  EXPECT_NE(found[1].hint.find("rank 2 is missing"), std::string::npos) << found[1].hint;
  EXPECT_NE(found[6].hint.find("first at line 10"), std::string::npos) << found[6].hint;
  const Diagnostic& left_out = found.back();
  EXPECT_EQ(left_out.file, (dir_ / "s.yaml").string());
  EXPECT_EQ(left_out.key_path, "dispatch.preferences");
  EXPECT_NE(left_out.message.find("192 grids have no preference list (first: G009, G010, G011)"), std::string::npos)
      << left_out.format();

  write("prefs.csv", "grid,unit,rank\nG001,G001,1\n");
  const auto header = problems(write("h.yaml", with_dispatch("dispatch: {policy: preference_list, preferences_file: prefs.csv}\n")));
  ASSERT_EQ(header.size(), 1u) << InputError(header).what();   // no "grids have no list" on top of it
  EXPECT_NE(header[0].message.find("header must be 'grid,rank,unit'"), std::string::npos) << header[0].format();
  fs::remove(dir_ / "prefs.csv");
  const auto missing = problems((dir_ / "h.yaml").string());
  ASSERT_EQ(missing.size(), 1u) << InputError(missing).what();
  EXPECT_EQ(missing[0].key_path, "dispatch.preferences_file");
}

TEST_F(Loader, PreferencesAndThePolicyGoTogether) {
  write("prefs.csv", "grid,rank,unit\ndefault,1,C01\n");
  auto found = problems(write("a.yaml", with_dispatch("dispatch: {policy: own_unit_first, preferences: {default: [C01]}}\n")));
  ASSERT_EQ(found.size(), 1u) << InputError(found).what();
  EXPECT_EQ(found[0].key_path, "dispatch.preferences");
  EXPECT_NE(found[0].message.find("not own_unit_first"), std::string::npos) << found[0].format();
  found = problems(write("b.yaml", with_dispatch("dispatch: {preferences_file: prefs.csv}\n")));   // nearest_idle by default
  ASSERT_EQ(found.size(), 1u) << InputError(found).what();
  EXPECT_EQ(found[0].key_path, "dispatch.preferences_file");
  EXPECT_NE(found[0].message.find("not nearest_idle"), std::string::npos) << found[0].format();
  found = problems(write("c.yaml", with_dispatch("dispatch: {policy: preference_list}\n")));
  ASSERT_EQ(found.size(), 1u) << InputError(found).what();
  EXPECT_EQ(found[0].key_path, "dispatch.policy");
  EXPECT_NE(found[0].message.find("preference_list needs the lists"), std::string::npos) << found[0].format();
  // A misspelt policy is one problem, not also a mismatch.
  found = problems(write("d.yaml", with_dispatch("dispatch: {policy: preference_lists, preferences: {default: [C01]}}\n")));
  ASSERT_EQ(found.size(), 1u) << InputError(found).what();
  EXPECT_NE(found[0].hint.find("did you mean 'preference_list'"), std::string::npos) << found[0].format();
  // --set can switch a scenario to its lists.
  const auto s = load_scenario(write("e.yaml", with_dispatch("dispatch: {policy: own_unit_first}\n")),
                               {{"dispatch.policy=preference_list", "dispatch.preferences.default=[C01, G001]"}});
  EXPECT_EQ(s.dispatch.default_preferences, (std::vector<PreferredUnit>{{Level::community, 0, -1}, {Level::grid, 0, -1}}));
}

// Tiered and waiting at the grid tier with no time limit: a grid whose list names no grid would keep its calls
// there for ever (the community's staff do not serve the grid tier's line), so the loader refuses it.
TEST_F(Loader, ListsThatCouldNeverServeTheFirstTierAreRefused) {
  const std::string lists = "  policy: preference_list\n  preferences: {G001: [C01], G002: [mediators@C01, G002], default: [C01]}\n";
  auto found = problems(write("s.yaml", with_dispatch("dispatch:\n" + lists + "escalation: {mode: tiered}\n")));
  ASSERT_EQ(found.size(), 1u) << InputError(found).what();
  EXPECT_EQ(found[0].key_path, "dispatch.preferences");
  EXPECT_EQ(found[0].line, 17);
  EXPECT_NE(found[0].message.find("199 grids' lists name no grid unit (first: G001, G003, G004)"), std::string::npos)
      << found[0].format();
  EXPECT_NE(found[0].hint.find("escalation.after.grid"), std::string::npos) << found[0].format();
  // Calls that go on up, or after a while, or lists that reach the grid tier are fine; so is a pooled service.
  for (const char* escalation : {"escalation: {mode: tiered, when_busy: escalate}\n",
                                 "escalation: {mode: tiered, after: {grid: 2h}}\n", "escalation: {mode: pooled}\n"})
    EXPECT_NO_THROW(load_scenario(write("ok.yaml", with_dispatch("dispatch:\n" + lists + escalation)))) << escalation;
  EXPECT_NO_THROW(load_scenario(write("ok.yaml", with_dispatch("dispatch: {policy: preference_list, preferences: "
                                                               "{default: [C01, G001]}}\nescalation: {mode: tiered}\n"))));
}

}  // namespace
}  // namespace civicgrid::scenario

namespace civicgrid::scenario {
namespace {

// standards: and coverage: are read in their KPIs' units, every problem at its position; the catalogue comes
// from metrics/ through LoadOptions (the loader sits below it).
TEST_F(Loader, StandardsAndCoverageInTheirUnits) {
  LoadOptions options = metrics::load_options();
  const std::string good = std::string(valid_scenario) +
                           "standards:\n"
                           "  - {kpi: within_target_rate, at_least: 92%}\n"
                           "  - {kpi: response_min_p90, at_most: 1.5h}\n"
                           "  - {kpi: closure_h_mean, at_most: 90min}\n"
                           "  - {kpi: travel_km_mean, at_most: 800m}\n"
                           "  - {kpi: staff, at_most: 40}\n"
                           "coverage: {within: 15min, sample_every: 1h, points_per_side: 4}\n";
  const Scenario s = load_scenario(write("good.yaml", good), options);
  ASSERT_TRUE(s.standards.has_value());
  ASSERT_EQ(s.standards->size(), 5u);
  EXPECT_DOUBLE_EQ((*s.standards)[0].value, 0.92);
  EXPECT_EQ((*s.standards)[0].bound, Bound::at_least);
  EXPECT_DOUBLE_EQ((*s.standards)[1].value, 90.0);   // minutes: the unit of response_min_p90
  EXPECT_DOUBLE_EQ((*s.standards)[2].value, 1.5);    // hours: the unit of closure_h_mean
  EXPECT_DOUBLE_EQ((*s.standards)[3].value, 0.8);    // km
  EXPECT_DOUBLE_EQ((*s.standards)[4].value, 40.0);
  EXPECT_EQ((*s.standards)[1].origin, (dir_ / "good.yaml").string() + ":18:5");
  EXPECT_DOUBLE_EQ(*s.coverage.within_s, 900.0);
  EXPECT_DOUBLE_EQ(s.coverage.sample_every_s, 3600.0);
  EXPECT_EQ(s.coverage.points_per_side, 4);
  // Without the section: the defaults (metrics/standards.hpp), no scenario list.
  EXPECT_FALSE(load_scenario(write("plain.yaml", valid_scenario), options).standards.has_value());

  const std::string bad = std::string(valid_scenario) +
                          "standards:\n"
                          "  - {kpi: speed, at_least: 1}\n"                          // 17: unknown KPI
                          "  - {kpi: response_min_mean, at_most: 30}\n"              // 18: a time without unit
                          "  - {kpi: closure_rate, at_least: 1.2}\n"                 // 19: share above 1
                          "  - {kpi: closure_rate, at_least: 0.9, at_most: 1}\n"     // 20: both bounds
                          "  - {kpi: within_target_rate@dispute, at_least: 0.9}\n"   // 21: a breakdown
                          "  - {kpi: staff, at_most: 10}\n"
                          "  - {kpi: staff, at_most: 12}\n"                          // 23: twice
                          "  - {kpi: staff, upto: 12}\n"                              // 24: unknown key
                          "coverage: {within: 0s, sample_every: 10s, points: 4}\n";  // 25: three problems
  const auto found = problems(write("bad.yaml", bad), options);
  std::vector<std::string> formatted;
  for (const auto& d : found) formatted.push_back(d.format());
  const auto has = [&](const std::string& position, const std::string& words) {
    return std::any_of(formatted.begin(), formatted.end(), [&](const std::string& f) {
      return f.find("bad.yaml:" + position) != std::string::npos && f.find(words) != std::string::npos;
    });
  };
  EXPECT_TRUE(has("17:", "unknown KPI 'speed'"));
  EXPECT_TRUE(has("18:", "no unit"));
  EXPECT_TRUE(has("19:", "between 0 and 1"));
  EXPECT_TRUE(has("20:", "exactly one of at_least and at_most"));
  EXPECT_TRUE(has("21:", "unknown KPI 'within_target_rate@dispute'"));
  EXPECT_TRUE(has("23:", "a second at_most standard for staff"));
  EXPECT_TRUE(has("24:", "unknown key 'upto'"));
  EXPECT_TRUE(has("25:", "coverage.points"));
  EXPECT_TRUE(has("25:", "coverage time must be positive"));
  EXPECT_TRUE(has("25:", "once a simulated minute"));
  EXPECT_EQ(found.size(), 11u) << ::testing::PrintToString(formatted);   // line 24 also lacks a bound
}

// A standard on a renamed KPI names its new key, which metrics/ hands down (LoadOptions::kpi_renamed).
TEST_F(Loader, RenamedKpiInAStandardNamesItsNewKey) {
  const LoadOptions options = metrics::load_options();
  const std::string text = std::string(valid_scenario) + "standards:\n  - {kpi: valid_report_rate, at_least: 0.9}\n";
  const auto found = problems(write("renamed.yaml", text), options);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].format().find("renamed: it is now reported_share_of_closed"), std::string::npos) << found[0].format();
}

// The platform's staffed steps and their limits: read with their units, and every misuse named at its place.
TEST_F(Loader, CaseFlowDesksAndStepLimits) {
  const std::string teams_and_flow = std::string(valid_scenario) +
      "calendar: {start_date: 2026-10-05, working_hours: {from: 9h, to: 17h}}\n";
  std::string good = teams_and_flow;
  good.replace(good.find("  - {name: mediators"), 0, "  - {name: operators, level: city, per_unit: 2, roles: [operator]}\n");
  good.replace(good.find("target: 1h, roles: [grid_worker]}"), 0,
               "case_flow: {registration: {distribution: exponential, mean: 5min}, registration_by: operator,\n"
               "                registration_limit: 30min, check: {distribution: exponential, mean: 1h},\n"
               "                check_by: operator, check_limit: 2 working hours},\n     ");
  const Scenario s = load_scenario(write("desk.yaml", good));
  const auto& flow = *s.incidents[1].case_flow;
  EXPECT_EQ(flow.registration_by, "operator");
  EXPECT_EQ(flow.check_by, "operator");
  EXPECT_EQ(flow.registration_limit.kind, TimeLimit::Kind::clock);
  EXPECT_DOUBLE_EQ(flow.registration_limit.amount, 1800);
  EXPECT_EQ(flow.check_limit.kind, TimeLimit::Kind::working_hours);
  EXPECT_DOUBLE_EQ(flow.check_limit.amount, 2);

  std::string bad = std::string(valid_scenario);
  bad.replace(bad.find("target: 1h, roles: [grid_worker]}"), 0,
              "case_flow: {registration_by: clerk, check_limit: 1h},\n     ");
  bad.replace(bad.find("roles: [mediator, grid_worker]}"), 0, "roles: [operator, mediator, grid_worker]} #");
  bad.replace(bad.find("roles: [mediator]}"), 0, "case_flow: {registration: {distribution: exponential, mean: 5min}, "
                                                 "registration_by: operator, registration_limit: 1wd}, ");
  std::vector<std::string> formatted;
  for (const auto& d : problems(write("bad-desk.yaml", bad))) formatted.push_back(d.format());
  const auto has = [&](const std::string& words) {
    return std::any_of(formatted.begin(), formatted.end(), [&](const std::string& f) { return f.find(words) != std::string::npos; });
  };
  EXPECT_TRUE(has("case_flow.registration_by: a registration by a role needs the registration time"))
      << ::testing::PrintToString(formatted);
  EXPECT_TRUE(has("case_flow.check_limit: a limit for a step the case flow does not have"));
  EXPECT_TRUE(has("case_flow.registration_by: no team has role 'clerk'"));
  EXPECT_TRUE(has("case_flow.registration_limit: working time needs a calendar"));
  EXPECT_TRUE(has("is also sent to them"));   // the mediators register and go out on cases
}

}  // namespace
}  // namespace civicgrid::scenario
