// Unit tier: sweep files expand into the documented run table (grid = cartesian product, zip = lock-step,
// ranges with units) and bad sweep files report the sweep file's own line and column.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "experiment/sweep_plan.hpp"

namespace civicgrid {
namespace {

std::filesystem::path write_sweep(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / ("civicgrid-sweep-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "base.yaml") << "version: 1\n";
  std::ofstream(dir / name) << text;
  return dir / name;
}

TEST(SweepPlan, GridTimesZipInOrder) {
  const auto plan = experiment::load_sweep(
      write_sweep("a.yaml", "version: 1\nscenario: base.yaml\nreplications: 3\ngrid:\n  a: [1, 2]\n  b: [x, y, z]\n"
                            "zip:\n  c: {from: 10min, to: 20min, step: 10min}\n  d: [p, q]\n"));
  ASSERT_EQ(plan.parameters.size(), 4u);
  ASSERT_EQ(plan.variants.size(), 2u * 3u * 2u);
  EXPECT_EQ(plan.replications, 3);
  // Last grid axis fastest, then zip rows fastest of all.
  EXPECT_EQ(plan.variants[0].overrides, (std::vector<std::string>{"a=1", "b=x", "c=10min", "d=p"}));
  EXPECT_EQ(plan.variants[1].overrides, (std::vector<std::string>{"a=1", "b=x", "c=20min", "d=q"}));
  EXPECT_EQ(plan.variants[2].overrides, (std::vector<std::string>{"a=1", "b=y", "c=10min", "d=p"}));
  EXPECT_EQ(plan.variants[11].overrides, (std::vector<std::string>{"a=2", "b=z", "c=20min", "d=q"}));
  EXPECT_EQ(experiment::variant_label(11), "v0012");
}

TEST(SweepPlan, NumericRangeIncludesItsEnd) {
  const auto plan = experiment::load_sweep(
      write_sweep("b.yaml", "version: 1\nscenario: base.yaml\ngrid:\n  n: {from: 0.5, to: 1.5, step: 0.25}\n"));
  ASSERT_EQ(plan.variants.size(), 5u);
  EXPECT_EQ(plan.variants[4].values[0], "1.5");
}

void expect_error(const std::string& text, const std::string& position, const std::string& words) {
  try {
    experiment::load_sweep(write_sweep("bad.yaml", text));
    ADD_FAILURE() << "no error for:\n" << text;
  } catch (const scenario::InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("bad.yaml:" + position), std::string::npos) << message;
    EXPECT_NE(message.find(words), std::string::npos) << message;
  }
}

TEST(SweepPlan, BadFilesPointAtTheProblem) {
  expect_error("version: 1\nscenario: base.yaml\ngrid:\n  n: {from: 5, to: 1, step: 1}\n", "4:6", "empty range");
  expect_error("version: 1\nscenario: base.yaml\ngrid:\n  n: {from: 1, to: 5, step: 0}\n", "4:", "step must be positive");
  expect_error("version: 1\nscenario: base.yaml\nzip:\n  a: [1, 2]\n  b: [1, 2, 3]\n", "5:6", "equal lengths");
  expect_error("version: 1\nscenario: base.yaml\ngird:\n  a: [1]\n", "3:1", "unknown key");
  expect_error("version: 1\nscenario: missing.yaml\n", "2:11", "no such file");
  expect_error("version: 1\nscenario: base.yaml\ngrid:\n  a: []\n", "4:6", "no values");
  expect_error("version: 1\nscenario: base.yaml\ngrid:\n  a: {from: 1km, to: 5min, step: 1}\n", "4:6", "same unit");
}

void expect_search_error(const std::string& text, const std::string& position, const std::string& words) {
  try {
    experiment::load_search(write_sweep("bad.search.yaml", text));
    ADD_FAILURE() << "no error for:\n" << text;
  } catch (const scenario::InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("bad.search.yaml:" + position), std::string::npos) << message;
    EXPECT_NE(message.find(words), std::string::npos) << message;
  }
}

TEST(SearchPlan, ReadsTargetAndCandidates) {
  const auto plan = experiment::load_search(write_sweep(
      "s.yaml", "version: 1\nscenario: base.yaml\nreplications: 12\ntarget: {kpi: response_min_p90, at_most: 30min}\n"
                "confidence: 0.9\nvary:\n  teams.a.per_unit: {from: 1, to: 4, step: 1}\n  teams.b.per_unit: [0, 2]\n"));
  EXPECT_EQ(plan.target.kpi, "response_min_p90");
  EXPECT_FALSE(plan.target.at_least);
  EXPECT_DOUBLE_EQ(plan.target.value, 30);
  EXPECT_DOUBLE_EQ(plan.confidence, 0.9);
  EXPECT_EQ(plan.replications, 12);
  ASSERT_EQ(plan.parameters.size(), 2u);
  EXPECT_EQ(plan.parameters[0].values, (std::vector<std::string>{"1", "2", "3", "4"}));
}

TEST(SearchPlan, BadFilesPointAtTheProblem) {
  const std::string head = "version: 1\nscenario: base.yaml\n";
  expect_search_error(head + "target: {kpi: speed, at_least: 1}\nvary: {a: [1]}\n", "3:15", "unknown KPI 'speed'");
  // A KPI whose old key suggested a standard's meaning says what it is called now.
  expect_search_error(head + "target: {kpi: valid_report_rate, at_least: 0.9}\nvary: {a: [1]}\n", "3:15",
                      "renamed: it is now reported_share_of_closed");
  expect_search_error(head + "target: {kpi: staff, at_least: 1, at_most: 2}\nvary: {a: [1]}\n", "3:9", "exactly one");
  expect_search_error(head + "replications: 1\ntarget: {kpi: staff, at_most: 2}\nvary: {a: [1]}\n", "3:15", "from 2");
  expect_search_error(head + "target: {kpi: staff, at_most: 2}\n", "1:1", "missing the staff to vary");
  expect_search_error(head + "target: {kpi: staff, at_most: 2}\nvary: {a: [1]}\nconfidence: 1.5\n", "5:13", "probability");
  // A time without its unit is refused, as in scenarios: a bare 30 must not silently mean 30 minutes.
  expect_search_error(head + "target: {kpi: response_min_p90, at_most: 30}\nvary: {a: [1]}\n", "3:42", "no unit");
  expect_search_error(head + "target: {kpi: within_target_rate, at_least: 1.5}\nvary: {a: [1]}\n", "3:45", "between 0 and 1");
  // Shares may be written as percentages.
  const auto percent = experiment::load_search(write_sweep(
      "p.yaml", head + "target: {kpi: within_target_rate, at_least: 90%}\nvary:\n  teams.a.per_unit: [1, 2]\n"));
  EXPECT_DOUBLE_EQ(percent.target.value, 0.9);
}

}  // namespace
}  // namespace civicgrid
