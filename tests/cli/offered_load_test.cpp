// End to end: a scenario whose offered load exceeds its staff (a rate typed per hour instead of per day) is
// warned about on stderr with the figures by `validate` and `run`, even under -q, and still runs with exit 0;
// the scenarios shipped with the repository draw no such warning.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/cli_fixture.hpp"

namespace civicgrid {
namespace {

namespace fs = std::filesystem;
using testing::replaced;
using testing::slurp;

class OfferedLoadCli : public testing::CliFixture {
 protected:
  // small.yaml with the requests' 4/d typed as 4/h: 16 grids x 4/h x (30 min + travel) on 16 grid workers.
  fs::path overloaded() const {
    const std::string text = replaced(slurp(data("small.yaml")), "rate: 4/d", "rate: 4/h");
    EXPECT_FALSE(text.empty()) << "small.yaml no longer has 'rate: 4/d'";
    return write("per-hour.yaml", text);
  }
};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST_F(OfferedLoadCli, ValidateWarnsWithTheFiguresAndExitsZero) {
  const auto outcome = civicgrid("validate " + overloaded().string());
  EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_TRUE(has(outcome.err, "civicgrid: warning: grid_worker at grid level is overloaded: 64.0 incidents/h × "))
      << outcome.err;
  EXPECT_TRUE(has(outcome.err, "against 16.0 staff on duty (16 members, on duty 100 % of the time) (ρ = ")) << outcome.err;
  EXPECT_TRUE(has(outcome.err, "the run will build queues that never empty")) << outcome.err;
  EXPECT_TRUE(has(outcome.err, "from request 100 %")) << outcome.err;
  EXPECT_TRUE(has(outcome.err, "hint: check the rate unit of incidents[0].rate (request): 4.00/h = 96.0/d per grid"))
      << outcome.err;
  EXPECT_TRUE(has(outcome.err, "per-hour.yaml: valid (small)")) << outcome.err;
  // The mediators are not overloaded: only the grid workers are named.
  EXPECT_FALSE(has(outcome.err, "mediator")) << outcome.err;
  EXPECT_EQ(outcome.out, "");
}

TEST_F(OfferedLoadCli, RunWarnsEvenWhenQuietAndStillRuns) {
  const auto folder = scratch_ / "run";
  const auto outcome =
      civicgrid("run " + overloaded().string() + " -q -r 1 --set run.horizon=1d --no-incidents --out " + folder.string());
  EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_TRUE(has(outcome.err, "civicgrid: warning: grid_worker at grid level is overloaded")) << outcome.err;
  EXPECT_TRUE(fs::exists(folder / "summary.json"));
  EXPECT_EQ(outcome.out, folder.string() + "\n");
}

TEST_F(OfferedLoadCli, ValidateBuildsTheCitySoItFindsWhatRunWouldReject) {
  // The estimate needs the city, and building it checks the unit codes of extra_by_unit: validate now reports
  // the same problem as run (exit 2), where it used to call the file valid.
  const auto file = write("extra.yaml", replaced(slurp(data("small.yaml")),
                                                 "{name: mediation, level: community, per_unit: 1, roles: [mediator]}",
                                                 "{name: mediation, level: community, per_unit: 1, roles: [mediator],\n"
                                                 "     extra_by_unit: {C09: 1}}"));
  const auto outcome = civicgrid("validate " + file.string());
  EXPECT_EQ(outcome.exit_code, 2) << outcome.err;
  EXPECT_TRUE(has(outcome.err, "extra.yaml:12:22: teams.1.extra_by_unit.C09: no community 'C09'")) << outcome.err;
  EXPECT_FALSE(has(outcome.err, "valid (")) << outcome.err;
}

TEST_F(OfferedLoadCli, TheRepositoryScenariosAreNotOverloaded) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(CIVICGRID_SOURCE_DIR) / "scenarios"))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  for (const auto& entry : fs::directory_iterator(fs::path(CIVICGRID_SOURCE_DIR) / "tests" / "cli" / "data"))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  int scenarios = 0;
  for (const auto& file : files) {
    const auto outcome = civicgrid("validate " + file.string());
    if (outcome.exit_code == 2 && !has(outcome.err, "valid (")) continue;   // a sweep or search file, not a scenario
    ++scenarios;
    EXPECT_EQ(outcome.exit_code, 0) << file << "\n" << outcome.err;
    EXPECT_FALSE(has(outcome.err, "overloaded")) << file << "\n" << outcome.err;
    EXPECT_FALSE(has(outcome.err, "no tier can form")) << file << "\n" << outcome.err;
  }
  EXPECT_GE(scenarios, 8) << "fewer scenarios than the repository ships were checked";
}

}  // namespace
}  // namespace civicgrid
