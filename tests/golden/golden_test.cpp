// Golden tier: every case of tests/golden/cases.txt run with today's binary must write, byte for byte, the data
// files recorded in tests/golden/data/<case>/ (recorded at 277f7cf, before the engine and policy refactor), so a
// refactor can prove it changed no result. One TEST per case: ctest runs each in its own process, in parallel.
// The only field not compared is the tool version in summary.json (docs/golden-tier.md says why).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/bounded_run.hpp"
#include "support/cli_fixture.hpp"

namespace fs = std::filesystem;

namespace {

using civicgrid::testing::slurp;

const fs::path source_dir = CIVICGRID_SOURCE_DIR;
const fs::path cases_file = source_dir / "tests/golden/cases.txt";
const fs::path recorded_root = source_dir / "tests/golden/data";

struct GoldenCase {
  std::string name;
  std::vector<std::string> arguments;   // after `civicgrid`, without -j, -q and --out (the runner adds them)
};

// The same reading as scripts/golden-record.sh: `<case> <arguments>` split on blanks, `#` lines and blank
// lines skipped. A case listed twice is an error rather than a silent choice between the two lines.
std::vector<GoldenCase> read_cases() {
  std::ifstream in(cases_file);
  if (!in) throw std::runtime_error("cannot read " + cases_file.string());
  std::vector<GoldenCase> cases;
  std::set<std::string> names;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    GoldenCase c;
    if (!(words >> c.name) || c.name[0] == '#') continue;
    for (std::string word; words >> word;) c.arguments.push_back(word);
    if (!names.insert(c.name).second) throw std::runtime_error(cases_file.string() + ": " + c.name + " twice");
    cases.push_back(c);
  }
  return cases;
}

GoldenCase find_case(const std::string& name) {
  for (const auto& c : read_cases())
    if (c.name == name) return c;
  throw std::runtime_error("no case " + name + " in " + cases_file.string());
}

// The TEST name of a case: gtest names are C++ identifiers, case names use '-'.
std::string test_name_of(const std::string& case_name) {
  std::string name = case_name;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

bool is_data_file(const fs::path& path) {
  // manifest.json: wall time, start time, host name, command line, output path, git revision and checksums
  // that include report.html. report.html: a rendering of the data files showing the same provenance.
  const auto file = path.filename();
  return file != "manifest.json" && file != "report.html";
}

// Every data file under `folder` (any depth: a comparison has variants/vNNNN/), relative and sorted; an entry
// that is neither a regular file nor a folder goes to `strange`, which the test reports.
std::vector<std::string> data_files(const fs::path& folder, std::vector<std::string>& strange) {
  std::vector<std::string> files;
  if (!fs::is_directory(folder)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    const auto relative = entry.path().lexically_relative(folder).generic_string();
    if (entry.is_symlink() || (!entry.is_regular_file() && !entry.is_directory()))
      strange.push_back(relative);
    else if (entry.is_regular_file() && is_data_file(entry.path()))
      files.push_back(relative);
  }
  std::sort(files.begin(), files.end());
  return files;
}

// summary.json opens with the tool version ("civicgrid_version": "0.1.0", from CMake's project VERSION): the one
// provenance field in a data file. It changes with a release, not with results, so it is blanked in both versions
// before comparing. The field must be there exactly once at the top level: if it moves or vanishes the blanking
// rule is out of date, and the test says so instead of comparing something else.
constexpr const char* version_field = "\n  \"civicgrid_version\": \"";

bool blank_tool_version(std::string& text, std::string& problem) {
  const auto at = text.find(version_field);
  if (at == std::string::npos || text.find(version_field, at + 1) != std::string::npos) {
    problem = "expected exactly one top-level \"civicgrid_version\" field (docs/golden-tier.md, provenance)";
    return false;
  }
  const auto value_begin = at + std::char_traits<char>::length(version_field);
  const auto value_end = text.find('"', value_begin);
  if (value_end == std::string::npos) {
    problem = "\"civicgrid_version\" has no closing quote";
    return false;
  }
  text.replace(value_begin, value_end - value_begin, "<tool version, not compared>");
  return true;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::string::size_type begin = 0;
  while (begin <= text.size()) {
    const auto end = text.find('\n', begin);
    if (end == std::string::npos) {
      if (begin < text.size()) lines.push_back(text.substr(begin));
      break;
    }
    lines.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return lines;
}

std::string shown(const std::string& line) {
  constexpr std::size_t shown_chars = 400;
  return line.size() <= shown_chars ? line : line.substr(0, shown_chars) + "… (" + std::to_string(line.size()) + " bytes)";
}

// Where two different texts first differ, as a message naming the line and quoting both versions.
std::string first_difference(const std::string& recorded, const std::string& produced) {
  const auto a = lines_of(recorded);
  const auto b = lines_of(produced);
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const bool in_a = i < a.size(), in_b = i < b.size();
    if (in_a && in_b && a[i] == b[i]) continue;
    return "first difference at line " + std::to_string(i + 1) + " (of " + std::to_string(a.size()) +
           " recorded, " + std::to_string(b.size()) + " produced)\n  recorded: " +
           (in_a ? shown(a[i]) : "<end of file>") + "\n  produced: " + (in_b ? shown(b[i]) : "<end of file>");
  }
  return "the lines are equal but the bytes are not (" + std::to_string(recorded.size()) + " recorded, " +
         std::to_string(produced.size()) + " produced): a line end or the final newline differs";
}

class Golden : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    scratch_ = fs::temp_directory_path() / ("civicgrid-golden-" + std::string(info->name()) + "-" +
                                            std::to_string(::getpid()));
    fs::remove_all(scratch_);
    fs::create_directories(scratch_);
  }
  // A failed case keeps what it produced, so `diff -r` against tests/golden/data/<case> can show everything.
  void TearDown() override {
    if (HasFailure())
      std::cerr << "golden: the produced folder is kept in " << (scratch_ / "out").string() << "\n";
    else
      fs::remove_all(scratch_);
  }

  void check_case(const std::string& name) {
    const GoldenCase c = find_case(name);
    const fs::path recorded = recorded_root / name;
    ASSERT_TRUE(fs::is_directory(recorded)) << recorded << " is missing: record it with scripts/golden-record.sh " << name;

    // Paths in the arguments are relative to the repository root, as scripts/golden-record.sh runs them, because
    // scenario.resolved.yaml quotes the scenario and model paths as typed.
    const fs::path out = scratch_ / "out";
    std::vector<std::string> arguments = c.arguments;
    arguments.insert(arguments.end(), {"-j", "1", "-q", "--out", out.string()});
    const fs::path working_dir = fs::current_path();
    fs::current_path(source_dir);
    civicgrid::testing::BoundedLimits limits;
    limits.deadline = std::chrono::seconds(120);   // a case takes about a second; this only stops a hang
    const auto outcome = civicgrid::testing::run_bounded(arguments, scratch_, limits);
    fs::current_path(working_dir);
    ASSERT_EQ(outcome.exit_code, 0) << "case " << name << (outcome.timed_out ? " timed out" : " failed") << "\n"
                                    << outcome.err;

    std::vector<std::string> strange;
    const auto recorded_files = data_files(recorded, strange);
    const auto produced_files = data_files(out, strange);
    for (const auto& entry : strange) ADD_FAILURE() << entry << ": neither a regular file nor a folder";
    ASSERT_FALSE(recorded_files.empty()) << recorded << " holds no data file";

    for (const auto& file : produced_files)
      if (!std::binary_search(recorded_files.begin(), recorded_files.end(), file))
        ADD_FAILURE() << "case " << name << ": the run wrote " << file << ", which is not recorded";
    for (const auto& file : recorded_files) {
      if (!std::binary_search(produced_files.begin(), produced_files.end(), file)) {
        ADD_FAILURE() << "case " << name << ": the run did not write the recorded " << file;
        continue;
      }
      std::string want = slurp(recorded / file);
      std::string got = slurp(out / file);
      if (fs::path(file).filename() == "summary.json") {
        std::string problem;
        if (!blank_tool_version(want, problem)) ADD_FAILURE() << "recorded " << file << ": " << problem;
        if (!blank_tool_version(got, problem)) ADD_FAILURE() << "produced " << file << ": " << problem;
      }
      if (want != got)
        ADD_FAILURE() << "case " << name << ": " << file << " differs from the recorded one; "
                      << first_difference(want, got);
    }
  }

  fs::path scratch_;
};

TEST_F(Golden, demo) { check_case("demo"); }
TEST_F(Golden, bench_m2) { check_case("bench-m2"); }
TEST_F(Golden, bench_tiny) { check_case("bench-tiny"); }
TEST_F(Golden, district_geo) { check_case("district-geo"); }
TEST_F(Golden, district_one_needle) { check_case("district-one-needle"); }
TEST_F(Golden, district_one_net) { check_case("district-one-net"); }
TEST_F(Golden, district_tiered_platform) { check_case("district-tiered-platform"); }
TEST_F(Golden, district_shift_rules) { check_case("district-shift-rules"); }
TEST_F(Golden, compare_district) { check_case("compare-district"); }
TEST_F(Golden, cli_small) { check_case("cli-small"); }
TEST_F(Golden, validation_mmc) { check_case("validation-mmc"); }
TEST_F(Golden, validation_three_communities) { check_case("validation-three-communities"); }

// The list of cases, the TESTs above and the recorded folders must name the same cases: a case without a TEST
// would never be checked, a recorded folder without a case would be dead weight that looks like coverage.
TEST(GoldenCoverage, CasesTestsAndRecordedFoldersAgree) {
  std::set<std::string> tests;
  const auto* unit = ::testing::UnitTest::GetInstance();
  for (int s = 0; s < unit->total_test_suite_count(); ++s) {
    const auto* suite = unit->GetTestSuite(s);
    if (std::string(suite->name()) != "Golden") continue;
    for (int t = 0; t < suite->total_test_count(); ++t) tests.insert(suite->GetTestInfo(t)->name());
  }
  std::set<std::string> case_tests, folders;
  for (const auto& c : read_cases()) {
    case_tests.insert(test_name_of(c.name));
    EXPECT_TRUE(tests.count(test_name_of(c.name))) << "case " << c.name << " has no TEST_F(Golden, "
                                                   << test_name_of(c.name) << ")";
    EXPECT_TRUE(fs::is_directory(recorded_root / c.name)) << "case " << c.name << " is not recorded";
  }
  for (const auto& test : tests) EXPECT_TRUE(case_tests.count(test)) << "TEST " << test << " names no case";
  for (const auto& entry : fs::directory_iterator(recorded_root)) {
    const auto name = entry.path().filename().string();
    bool listed = false;
    for (const auto& c : read_cases()) listed = listed || c.name == name;
    EXPECT_TRUE(listed) << recorded_root / name << " belongs to no case of " << cases_file;
  }
}

// Every scenario of the repository is run by some case, so none can change behaviour unnoticed. Not scenarios:
// sweep and search files (they name scenarios that are covered), and the scenario.resolved.yaml files inside the
// report tests' hand-written result folders under tests/unit/data (they do not load on their own) and in this
// tier's recorded folders.
TEST(GoldenCoverage, EveryScenarioAndModelIsRun) {
  std::string all_arguments;
  for (const auto& c : read_cases())
    for (const auto& a : c.arguments) all_arguments += " " + a + " ";
  for (const char* root : {"scenarios", "tests"}) {
    for (const auto& entry : fs::recursive_directory_iterator(source_dir / root)) {
      const auto path = entry.path();
      if (!entry.is_regular_file() || path.extension() != ".yaml") continue;
      const auto name = path.filename().string();
      const auto relative = path.lexically_relative(source_dir).generic_string();
      if (name.ends_with(".sweep.yaml") || name.ends_with(".search.yaml")) continue;
      if (name == "scenario.resolved.yaml" && relative.starts_with("tests/unit/data/")) continue;
      if (relative.starts_with("tests/golden/data/")) continue;   // this tier's own recorded outputs
      EXPECT_NE(all_arguments.find(" " + relative + " "), std::string::npos)
          << relative << " is run by no case of " << cases_file;
    }
  }
  // A model is covered when a recorded run merged it in (the header of its scenario.resolved.yaml says so).
  std::string headers;
  for (const auto& entry : fs::recursive_directory_iterator(recorded_root))
    if (entry.path().filename() == "scenario.resolved.yaml") {
      std::istringstream text(slurp(entry.path()));
      for (std::string line; std::getline(text, line) && line.starts_with("#");)
        if (line.starts_with("# model merged in: "))
          headers += fs::path(line.substr(19)).lexically_normal().generic_string() + "\n";
    }
  for (const auto& entry : fs::directory_iterator(source_dir / "models")) {
    if (entry.path().extension() != ".yaml") continue;
    const auto relative = entry.path().lexically_relative(source_dir).generic_string();
    EXPECT_NE(headers.find(relative + "\n"), std::string::npos) << relative << " is merged into no recorded run";
  }
}

}  // namespace
