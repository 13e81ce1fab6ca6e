// End-to-end tier for `civicgrid export`: the workbook of a run, compare, sweep and search folder read back by
// openpyxl (tests/cli/check_xlsx.py) against the files it copies, its bytes reproducible; the CSV copies with a
// byte-order mark; the folder's own files and seal untouched; bad input exiting 2 with nothing written.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/column_labels.hpp"
#include "report/result_folder.hpp"
#include "support/cli_fixture.hpp"
#include "support/csv.hpp"

namespace fs = std::filesystem;

namespace {

using civicgrid::testing::Outcome;
using civicgrid::testing::replaced;
using civicgrid::testing::slurp;
using civicgrid::report::i18n::Lang;

const std::string bom = "\xEF\xBB\xBF";

// Every file under `root` with its content, by relative path (folders as "<dir>").
std::map<std::string, std::string> snapshot(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root))
    files[entry.path().lexically_relative(root).string()] = entry.is_regular_file() ? slurp(entry.path()) : "<dir>";
  return files;
}

class Export : public civicgrid::testing::CliFixture {
 protected:
  fs::path run_small(const std::string& name, const std::string& options = "") {
    const fs::path folder = scratch_ / name;
    const auto outcome = civicgrid("run " + data("small.yaml") + " -q " + options + " --out " + folder.string());
    EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
    return folder;
  }

  // The first python3 that has openpyxl: the one on PATH, else Debian's (a pyenv or venv python3 first on PATH
  // does not see python3-openpyxl). Empty if none has it.
  static const std::string& python() {
    static const std::string found = [] {
      for (const char* candidate : {"python3", "/usr/bin/python3"})
        if (std::system((std::string(candidate) + " -c 'import openpyxl' >/dev/null 2>&1").c_str()) == 0)
          return std::string(candidate);
      return std::string();
    }();
    return found;
  }
  static bool have_openpyxl() { return !python().empty(); }

  // What the workbook's header rows must say: column_label of each key of each sheet the folder can have.
  fs::path expected_labels(const fs::path& folder) const {
    nlohmann::ordered_json labels;
    const auto add = [&](const std::string& sheet, const std::vector<std::string>& keys) {
      auto& entry = labels[sheet];
      entry["keys"] = keys;
      for (const auto& key : keys) {
        entry["zh"].push_back(civicgrid::report::column_label(key, Lang::zh));
        entry["en"].push_back(civicgrid::report::column_label(key, Lang::en));
      }
    };
    for (const char* sheet : {"levels", "grids", "teams", "types", "sweep", "paired", "runs", "compare", "frontier"})
      if (fs::exists(folder / (std::string(sheet) + ".csv")))
        add(sheet, civicgrid::testing::read_csv(folder / (std::string(sheet) + ".csv")).header);
    add("summary", {"key", "name_zh", "name_en", "unit", "mean", "ci95_half_width", "n"});
    add("search", {"field", "value"});
    labels["kpi_names"] = nlohmann::ordered_json::object();
    if (fs::exists(folder / "summary.json")) {
      const auto summary = nlohmann::ordered_json::parse(slurp(folder / "summary.json"));
      for (const auto& [kpi, entry] : summary["kpis"].items())
        labels["kpi_names"][kpi] = nlohmann::ordered_json::array(
            {civicgrid::report::column_label(kpi, Lang::zh), civicgrid::report::column_label(kpi, Lang::en)});
    }
    const fs::path path = scratch_ / ("labels-" + folder.filename().string() + ".json");
    std::ofstream(path) << labels.dump(1);
    return path;
  }

  // check_xlsx.py on the workbook; its report goes to the test's output.
  void expect_workbook_matches(const fs::path& workbook, const fs::path& folder) {
    const auto out = scratch_ / "check.txt";
    const std::string command = python() + " " + std::string(CIVICGRID_SOURCE_DIR) + "/tests/cli/check_xlsx.py " +
                                workbook.string() + " " + folder.string() + " " + expected_labels(folder).string() +
                                " >" + out.string() + " 2>&1";
    const int status = std::system(command.c_str());
    const std::string report = slurp(out);
    std::printf("%s", report.c_str());
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << report;
  }
};

#define SKIP_WITHOUT_OPENPYXL()                                                                              \
  if (!have_openpyxl())                                                                                       \
  GTEST_SKIP() << "python3 with openpyxl reads the workbook back: apt-get install python3-openpyxl "          \
                  "(scripts/setup.sh --tests installs it)"

TEST_F(Export, RunWorkbookCopiesSummaryAndTablesWithBilingualHeaders) {
  const auto folder = run_small("run");
  const auto before = snapshot(folder);
  const auto outcome = civicgrid("export " + folder.string() + " --xlsx");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const fs::path workbook = folder / "run.xlsx";
  EXPECT_EQ(outcome.out, workbook.string() + "\n");   // stdout: the workbook's absolute path
  ASSERT_TRUE(fs::exists(workbook));
  EXPECT_EQ(slurp(workbook).substr(0, 2), "PK");      // a ZIP container, as every .xlsx
  // The folder's own files are as they were, its seal still holds, and no temporary file is left.
  auto after = snapshot(folder);
  after.erase("run.xlsx");
  EXPECT_EQ(after, before);
  EXPECT_EQ(civicgrid::report::sealed_folder_problem(folder), std::nullopt);
  SKIP_WITHOUT_OPENPYXL();
  expect_workbook_matches(workbook, folder);
}

TEST_F(Export, HostileNamesArriveAsTheTextTheScenarioWrote) {
  // A team named like a formula (the CSVs guard it with an apostrophe) and a type with a comma, quotes and a
  // line break (quoted in the CSVs, part of the breakdown KPIs' keys in summary.json).
  std::string text = replaced(slurp(data("small.yaml")), "name: grid_worker, level: grid",
                              "name: \"=cmd|' /C calc'!A0\", level: grid");
  text = replaced(text, "{type: request,", "{type: \"burst, \\\"main\\\"\\npipe\",");
  ASSERT_FALSE(text.empty());
  const auto scenario = write("hostile.yaml", text);
  const auto folder = scratch_ / "hostile";
  ASSERT_EQ(civicgrid("run " + scenario.string() + " -q -r 2 --out " + folder.string()).exit_code, 0);
  ASSERT_NE(slurp(folder / "teams.csv").find("'=cmd|' /C calc'!A0"), std::string::npos);
  const auto outcome = civicgrid("export " + folder.string() + " --xlsx");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  SKIP_WITHOUT_OPENPYXL();
  expect_workbook_matches(folder / "run.xlsx", folder);
}

TEST_F(Export, WorkbookBytesDependOnlyOnTheDataFiles) {
  const auto folder = run_small("run");
  const auto a = scratch_ / "a.xlsx";
  const auto b = scratch_ / "b.xlsx";
  ASSERT_EQ(civicgrid("export " + folder.string() + " --xlsx --out " + a.string()).exit_code, 0);
  ASSERT_EQ(civicgrid("export " + folder.string() + " --xlsx --out " + b.string()).exit_code, 0);
  EXPECT_EQ(slurp(a), slurp(b));
  // Into the folder, twice: the second export replaces the first; same bytes as anywhere else.
  ASSERT_EQ(civicgrid("export " + folder.string() + " --xlsx").exit_code, 0);
  ASSERT_EQ(civicgrid("export " + folder.string() + " --xlsx").exit_code, 0);
  EXPECT_EQ(slurp(folder / "run.xlsx"), slurp(a));
  // A second run with the same seed: other manifest and report, same data files, same workbook.
  const auto again = run_small("again");
  ASSERT_EQ(civicgrid("export " + again.string() + " --xlsx").exit_code, 0);
  EXPECT_EQ(slurp(again / "run.xlsx"), slurp(a));
  for (const auto& entry : fs::directory_iterator(folder))
    EXPECT_EQ(entry.path().string().find(".tmp"), std::string::npos) << entry.path();
}

TEST_F(Export, CsvBomCopiesAreTheFilesAfterAByteOrderMark) {
  const auto folder = run_small("run");
  const auto before = snapshot(folder);
  const auto outcome = civicgrid("export " + folder.string() + " --csv-bom");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_EQ(outcome.out, (folder / "excel").string() + "\n");
  std::set<std::string> originals;
  for (const auto& entry : fs::directory_iterator(folder))
    if (entry.path().extension() == ".csv") originals.insert(entry.path().filename().string());
  // backlog, events, grids, grid_summary, hours, incidents, levels, replications, responses, teams
  EXPECT_EQ(originals.size(), 10u);
  std::set<std::string> copies;
  for (const auto& entry : fs::directory_iterator(folder / "excel")) copies.insert(entry.path().filename().string());
  EXPECT_EQ(copies, originals);
  for (const auto& name : originals) {
    const std::string copy = slurp(folder / "excel" / name);
    ASSERT_GE(copy.size(), 3u) << name;
    EXPECT_EQ(copy.substr(0, 3), bom) << name;
    EXPECT_TRUE(copy.substr(3) == slurp(folder / name)) << name << ": the rest differs from the original";
  }
  // The canonical files are byte for byte what they were, and the folder still verifies.
  auto after = snapshot(folder);
  std::erase_if(after, [](const auto& entry) { return entry.first.rfind("excel", 0) == 0; });
  EXPECT_EQ(after, before);
  EXPECT_EQ(civicgrid::report::sealed_folder_problem(folder), std::nullopt);
  // The report still reads the folder.
  EXPECT_EQ(civicgrid("report " + folder.string()).exit_code, 0);
  EXPECT_EQ(civicgrid::report::sealed_folder_problem(folder), std::nullopt);

  // A file that already has a byte-order mark (re-saved by Excel) is copied as it is, not given a second one.
  const auto resaved = run_small("resaved");
  std::ofstream(resaved / "teams.csv", std::ios::binary | std::ios::trunc) << bom << slurp(folder / "teams.csv");
  ASSERT_EQ(civicgrid("export " + resaved.string() + " --csv-bom").exit_code, 0);
  EXPECT_EQ(slurp(resaved / "excel" / "teams.csv"), bom + slurp(folder / "teams.csv"));
}

TEST_F(Export, BothOptionsWithOutWriteOneFolder) {
  const auto folder = run_small("run");
  const auto out = scratch_ / "for-excel";
  const auto outcome = civicgrid("export " + folder.string() + " --xlsx --csv-bom --out " + out.string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_EQ(outcome.out, (out / "run.xlsx").string() + "\n" + out.string() + "\n");
  EXPECT_TRUE(fs::exists(out / "run.xlsx"));
  EXPECT_EQ(slurp(out / "grids.csv"), bom + slurp(folder / "grids.csv"));
  EXPECT_FALSE(fs::exists(folder / "run.xlsx"));
  EXPECT_FALSE(fs::exists(folder / "excel"));
}

TEST_F(Export, BadInputExitsTwoAndWritesNothing) {
  // No such folder.
  auto outcome = civicgrid("export " + (scratch_ / "nope").string() + " --xlsx --csv-bom");
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_NE(outcome.err.find((scratch_ / "nope").string() + ": no such folder (hint: "), std::string::npos)
      << outcome.err;
  EXPECT_FALSE(fs::exists(scratch_ / "nope"));
  // A folder that is no result folder.
  fs::create_directories(scratch_ / "empty");
  outcome = civicgrid("export " + (scratch_ / "empty").string() + " --xlsx --csv-bom");
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_NE(outcome.err.find("empty: not a result folder (hint: "), std::string::npos) << outcome.err;
  EXPECT_TRUE(fs::is_empty(scratch_ / "empty"));
  // Neither --xlsx nor --csv-bom; --xlsx with another command.
  const auto folder = run_small("run");
  EXPECT_EQ(civicgrid("export " + folder.string()).exit_code, 2);
  EXPECT_EQ(civicgrid("report " + folder.string() + " --xlsx").exit_code, 2);
  // --out that exists is never replaced.
  const auto taken = write("taken.xlsx", "mine");
  outcome = civicgrid("export " + folder.string() + " --xlsx --out " + taken.string());
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_NE(outcome.err.find("taken.xlsx: already exists"), std::string::npos) << outcome.err;
  EXPECT_EQ(slurp(taken), "mine");

  // Broken files: every one is named at its line, and neither the workbook nor a copy appears.
  const auto broken = run_small("broken");
  const auto before = snapshot(broken);
  std::ofstream(broken / "grids.csv", std::ios::app) << "0,99,G99\n";                 // a ragged row
  std::ofstream(broken / "teams.csv", std::ios::app) << "0,9,grid_worker,grid,G\xCD\x01,1,1,1,1,1,1,1\n";   // GBK
  outcome = civicgrid("export " + broken.string() + " --xlsx --csv-bom");
  EXPECT_EQ(outcome.exit_code, 2) << outcome.err;
  EXPECT_NE(outcome.err.find("grids.csv:" + std::to_string(3 * 16 + 2) + ":"), std::string::npos) << outcome.err;
  EXPECT_NE(outcome.err.find("teams.csv:"), std::string::npos) << outcome.err;
  EXPECT_NE(outcome.err.find("invalid UTF-8"), std::string::npos) << outcome.err;
  EXPECT_NE(outcome.err.find("nothing was written"), std::string::npos) << outcome.err;
  EXPECT_FALSE(fs::exists(broken / "run.xlsx"));
  EXPECT_FALSE(fs::exists(broken / "excel"));
  // summary.json cut short, and a table that is a folder.
  const auto cut = run_small("cut");
  const std::string summary = slurp(cut / "summary.json");
  std::ofstream(cut / "summary.json", std::ios::trunc) << summary.substr(0, summary.size() / 2);
  fs::remove(cut / "levels.csv");
  fs::create_directory(cut / "levels.csv");
  outcome = civicgrid("export " + cut.string() + " --xlsx --out " + (scratch_ / "cut.xlsx").string());
  EXPECT_EQ(outcome.exit_code, 2) << outcome.err;
  EXPECT_NE(outcome.err.find("summary.json:"), std::string::npos) << outcome.err;
  EXPECT_NE(outcome.err.find("levels.csv: not a regular file"), std::string::npos) << outcome.err;
  EXPECT_FALSE(fs::exists(scratch_ / "cut.xlsx"));
  for (const auto& entry : fs::directory_iterator(scratch_))
    EXPECT_EQ(entry.path().string().find(".tmp"), std::string::npos) << entry.path();
}

TEST_F(Export, CompareWorkbookHoldsTheComparisonTable) {
  const auto out = scratch_ / "cmp";
  const auto b = write("more.yaml", replaced(replaced(slurp(data("small.yaml")), "name: small", "name: more"),
                                             "name: mediation, level: community, per_unit: 1",
                                             "name: mediation, level: community, per_unit: 2"));
  ASSERT_EQ(civicgrid("compare " + data("small.yaml") + " " + b.string() + " -q -r 2 --out " + out.string()).exit_code,
            0);
  const auto outcome = civicgrid("export " + out.string() + " --xlsx");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_EQ(outcome.out, (out / "compare.xlsx").string() + "\n");
  EXPECT_EQ(civicgrid::report::sealed_folder_problem(out), std::nullopt);
  // A variant folder of a comparison is a run folder of its own.
  ASSERT_EQ(civicgrid("export " + (out / "variants" / "v0002").string() + " --xlsx").exit_code, 0);
  SKIP_WITHOUT_OPENPYXL();
  expect_workbook_matches(out / "compare.xlsx", out);
  expect_workbook_matches(out / "variants" / "v0002" / "run.xlsx", out / "variants" / "v0002");
}

TEST_F(Export, SweepAndSearchFoldersExportOnlyElsewhere) {
  const auto sweep = scratch_ / "sweep";
  ASSERT_EQ(civicgrid("sweep " + data("staffing.sweep.yaml") + " -q --out " + sweep.string()).exit_code, 0);
  const auto before = snapshot(sweep);
  // The default would put a file into the work folder, which `sweep --resume` refuses as foreign.
  for (const auto& dir : {sweep, sweep / "variants" / "v0003"}) {
    const auto refused = civicgrid("export " + dir.string() + " --xlsx --csv-bom");
    EXPECT_EQ(refused.exit_code, 2) << refused.err;
    EXPECT_NE(refused.err.find("sweep or search folder " + sweep.string()), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("--out"), std::string::npos) << refused.err;
  }
  EXPECT_EQ(snapshot(sweep), before);
  auto outcome = civicgrid("export " + sweep.string() + " --xlsx --out " + (scratch_ / "sweep.xlsx").string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  ASSERT_EQ(civicgrid("export " + (sweep / "variants" / "v0003").string() + " --xlsx --out " +
                      (scratch_ / "v0003.xlsx").string()).exit_code, 0);
  // The sweep can still be resumed: nothing foreign went into it.
  outcome = civicgrid("sweep " + data("staffing.sweep.yaml") + " -q --resume --out " + sweep.string());
  EXPECT_EQ(outcome.exit_code, 0) << outcome.err;

  const auto plan = write("least.search.yaml",
                          "version: 1\nname: least\nscenario: " + data("small.yaml") +
                              "\nreplications: 2\ntarget: {kpi: within_target_rate, at_least: 0.5}\n"
                              "vary:\n  teams.grid_worker.per_unit: {from: 1, to: 2, step: 1}\n");
  const auto search = scratch_ / "search";
  ASSERT_EQ(civicgrid("search " + plan.string() + " -q --out " + search.string()).exit_code, 0);
  EXPECT_EQ(civicgrid("export " + search.string() + " --xlsx").exit_code, 2);
  outcome = civicgrid("export " + search.string() + " --xlsx --out " + (scratch_ / "search.xlsx").string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  SKIP_WITHOUT_OPENPYXL();
  expect_workbook_matches(scratch_ / "sweep.xlsx", sweep);
  expect_workbook_matches(scratch_ / "v0003.xlsx", sweep / "variants" / "v0003");
  expect_workbook_matches(scratch_ / "search.xlsx", search);
}

}  // namespace
