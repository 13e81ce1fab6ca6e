// The HTML run report (report/html_report.hpp): a golden test of its data section for a hand-written result
// folder (tests/unit/data/report_fixture), escaping of hostile scenario strings, both languages, missing files,
// self-containment. The browser-side checks (charts drawn, no request, no console error) are in tests/browser/.
//
// To accept an intended change of the data section: CIVICGRID_UPDATE_GOLDEN=1 ctest --test-dir build -R 'unit\.ReportHtml', then review
// the diff of tests/unit/data/report/golden/.
#include <gtest/gtest.h>

#include "metrics/standards.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "report/html_assets.hpp"
#include "report/html_i18n.hpp"
#include "report/html_report.hpp"
#include "scenario/loader.hpp"

namespace fs = std::filesystem;
using civicgrid::report::extract_report_data;
using civicgrid::report::render_run_report;
using civicgrid::report::run_report_data;
using Json = nlohmann::ordered_json;

namespace {

const fs::path source_dir = CIVICGRID_SOURCE_DIR;
const fs::path fixture = source_dir / "tests/unit/data/report_fixture";
const fs::path golden_dir = source_dir / "tests/unit/data/report/golden";

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void spit(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The page without the inlined ECharts library (whose code has markup-like strings of its own).
std::string without_echarts(std::string html) {
  const std::string_view echarts = civicgrid::report::assets::echarts_js();
  const std::size_t at = html.find(echarts);
  if (at != std::string::npos) html.erase(at, echarts.size());
  return html;
}

// The static part of the page: everything before the first script element.
std::string static_part(const std::string& html) { return html.substr(0, html.find("<script")); }

// A private copy of the fixture, removed at the end of the test.
class FixtureCopy {
 public:
  FixtureCopy() {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("civicgrid-report-" + std::string(test->name()) + "-" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::copy(fixture, path_, fs::copy_options::recursive);
  }
  ~FixtureCopy() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

Json data_section(const std::string& html) {
  const std::string blob = extract_report_data(html);
  EXPECT_FALSE(blob.empty()) << "no civicgrid-data element";
  return Json::parse(blob);
}

void check_golden(const std::string& lang) {
  const std::string html = render_run_report(fixture, lang);
  const std::string actual = data_section(html).dump(2) + "\n";
  const fs::path golden = golden_dir / ("run_report_data." + lang + ".json");
  if (const char* update = std::getenv("CIVICGRID_UPDATE_GOLDEN"); update != nullptr && std::string(update) == "1") {
    fs::create_directories(golden_dir);
    spit(golden, actual);
  }
  ASSERT_TRUE(fs::exists(golden)) << golden << " is missing (CIVICGRID_UPDATE_GOLDEN=1 writes it)";
  const std::string expected = slurp(golden);
  if (actual == expected) return;
  // Name the first differing line instead of printing two long documents; keep the actual one for a diff.
  const fs::path kept = fs::temp_directory_path() / ("run_report_data." + lang + ".actual.json");
  spit(kept, actual);
  std::istringstream a(actual), e(expected);
  std::string actual_line, expected_line;
  int line = 0;
  while (true) {
    ++line;
    const bool more_actual = static_cast<bool>(std::getline(a, actual_line));
    const bool more_expected = static_cast<bool>(std::getline(e, expected_line));
    if (!more_actual && !more_expected) break;
    if (more_actual != more_expected || actual_line != expected_line) {
      ADD_FAILURE() << "data section differs from " << golden << " at line " << line << ":\n  expected: "
                    << (more_expected ? expected_line : "<end>") << "\n  actual:   "
                    << (more_actual ? actual_line : "<end>") << "\nwhole actual data section: " << kept
                    << "\n(if intended: CIVICGRID_UPDATE_GOLDEN=1, then review the diff)";
      return;
    }
  }
}

const Json* find_by(const Json& list, const char* field, const std::string& value) {
  for (const Json& entry : list)
    if (entry.contains(field) && entry[field] == value) return &entry;
  return nullptr;
}

}  // namespace

TEST(ReportHtml, DataSectionMatchesGoldenEnglish) { check_golden("en"); }

TEST(ReportHtml, DataSectionMatchesGoldenChinese) { check_golden("zh"); }

// A resolved scenario has no `model:` key (the loader merged the model in and dropped it), only its header
// comment: the report names the model by that file's stem instead of "not recorded".
TEST(ReportHtml, ModelNamedFromTheResolvedScenarioHeader) {
  FixtureCopy copy;
  std::string yaml = slurp(copy.path() / "scenario.resolved.yaml");
  const std::string line = "model: ../models/basic-grid-service.yaml\n";
  ASSERT_NE(yaml.find(line), std::string::npos);
  yaml.erase(yaml.find(line), line.size());
  spit(copy.path() / "scenario.resolved.yaml",
       "# civicgrid resolved scenario: scenarios/district/a.yaml\n# model merged in: scenarios/district/../../models/one-net.yaml\n" + yaml);
  EXPECT_EQ(run_report_data(copy.path(), "en")["run"]["model"], "one-net");
}

TEST(ReportHtml, DataSectionIsTheModel) {
  const std::string html = render_run_report(fixture, "en");
  EXPECT_EQ(data_section(html), run_report_data(fixture, "en"));
}

// The numbers the golden file holds, checked against hand calculation from the fixture's files. Closure and
// coverage rates are metrics' figures in summary.json, shown as they are (the report derives no KPI).
TEST(ReportHtml, DerivedFiguresAreRight) {
  const Json data = run_report_data(fixture, "en");
  const Json* closure = find_by(data["kpis"], "key", "closure_rate");
  ASSERT_NE(closure, nullptr);
  EXPECT_FALSE((*closure)["derived"].get<bool>());
  EXPECT_NEAR((*closure)["mean"].get<double>(), (4.0 / 6 + 5.0 / 5) / 2, 1e-5);
  const Json* coverage = find_by(data["kpis"], "key", "grid_coverage_rate");
  ASSERT_NE(coverage, nullptr);
  EXPECT_NEAR((*coverage)["mean"].get<double>(), (3.0 / 5 + 4.0 / 5) / 2, 1e-9);
  const Json* residents = find_by(data["kpis"], "key", "resident_coverage_rate");
  ASSERT_NE(residents, nullptr);
  EXPECT_NEAR((*residents)["mean"].get<double>(), (2380.0 / 4130 + 3370.0 / 4130) / 2, 1e-5);

  // Headline: within-target 70% against 90% fails by the mean and by the one-sided bound (no flag).
  const Json* within = find_by(data["headline"], "key", "within_target_rate");
  ASSERT_NE(within, nullptr);
  EXPECT_FALSE((*within)["pass"].get<bool>());
  EXPECT_FALSE((*within)["straddles"].get<bool>());
  // No standard on mean response unless a scenario sets one: the report no longer invents a weighted target.
  EXPECT_EQ(find_by(data["headline"], "key", "response_min_mean"), nullptr);
  EXPECT_GE(data["headline"].size(), 4u);
  EXPECT_LE(data["headline"].size(), 6u);

  // By type: summary.json's breakdowns, means over the two replications (the KPI list's estimator). Request:
  // 3 and 4 responded of 4 and 4; p90 30 and 24 min; closed 3 of 4 known and 4 of 4.
  const Json* request = find_by(data["types"], "type", "request");
  ASSERT_NE(request, nullptr);
  EXPECT_DOUBLE_EQ((*request)["responded_per_replication"].get<double>(), 3.5);
  EXPECT_DOUBLE_EQ((*request)["incidents_per_replication"].get<double>(), 4.0);
  EXPECT_DOUBLE_EQ((*request)["response_min_p90"].get<double>(), 27.0);
  EXPECT_DOUBLE_EQ((*request)["closure_rate"].get<double>(), 0.875);
  const Json* listed = find_by(data["kpis"], "key", "within_target_rate@request");
  ASSERT_NE(listed, nullptr);
  EXPECT_EQ((*request)["within_target_rate"], (*listed)["mean"]) << "the table by type and the KPI list must agree";

  // responses.csv pooled: each type's shares add up to 1 and its cumulative share ends at 1; request has 7
  // responses in 2 replications, 5 of them at or below its 20 min target.
  for (const Json& series : data["response"]["series"]) {
    double total = 0;
    for (const Json& share : series["share"]) total += share.get<double>();
    EXPECT_NEAR(total, 1.0, 1e-5) << series["type"];   // the page's numbers carry 6 significant digits
    EXPECT_NEAR(series["cumulative"].back().get<double>(), 1.0, 1e-12) << series["type"];
  }
  const Json& response_request = data["response"]["series"][0];
  EXPECT_EQ(response_request["type"], "request");
  EXPECT_DOUBLE_EQ(response_request["responded_per_replication"].get<double>(), 3.5);
  std::size_t twenty = 0;
  while (!(data["response"]["bins"][twenty]["upper_min"] == 20)) ++twenty;
  EXPECT_NEAR(response_request["cumulative"][twenty].get<double>(), 5.0 / 7, 1e-6);
  EXPECT_NEAR(data["response"]["all"]["cumulative"].back().get<double>(), 1.0, 1e-12);

  // Map: 2 x 3 grids of 0.5 km; G6 had nothing to respond to; C1 | C2 and the town line between cols 2 and 3.
  const Json& map = data["map"];
  ASSERT_TRUE(map["available"].get<bool>());
  EXPECT_EQ(map["grids"].size(), 6u);
  EXPECT_TRUE(map["grids"][5]["within_target_rate"].is_null());
  EXPECT_DOUBLE_EQ(map["grids"][3]["within_target_rate"].get<double>(), 0.5);   // G4: 0 of 1, then 1 of 1
  EXPECT_FALSE(map["town_lines"].empty());
  EXPECT_FALSE(map["community_lines"].empty());

  // Teams: grid_worker busy (35 + 52 + 86 + 38 + 55 + 64) / (6 x 600).
  const Json* workers = find_by(data["teams"]["teams"], "team", "grid_worker");
  ASSERT_NE(workers, nullptr);
  EXPECT_NEAR((*workers)["utilization"].get<double>(), 330.0 / 3600, 1e-6);
  EXPECT_EQ((*workers)["responders"].get<int>(), 3);
}

TEST(ReportHtml, EscapesEveryScenarioString) {
  FixtureCopy copy;
  const std::string hostile = "<script>alert(1)</script>";
  Json summary = Json::parse(slurp(copy.path() / "summary.json"));
  summary["scenario"] = hostile;
  // The type's name reaches the page through summary.json's breakdowns and the resolved scenario.
  Json renamed = Json::object();
  for (const auto& [key, value] : summary["kpis"].items()) {
    const auto at = key.find("@dispute");
    renamed[at == std::string::npos ? key : key.substr(0, at) + "@</script>dispute"] = value;
  }
  summary["kpis"] = renamed;
  spit(copy.path() / "summary.json", summary.dump(2));
  Json manifest = Json::parse(slurp(copy.path() / "manifest.json"));
  manifest["scenario_path"] = "\"><img src=x onerror=alert(2)>";
  manifest["git_revision"] = "</script><script>alert(3)</script>";
  manifest["argv"].push_back("--set=name=<b>&amp;</b>");
  spit(copy.path() / "manifest.json", manifest.dump(2));
  std::string yaml = slurp(copy.path() / "scenario.resolved.yaml");
  yaml.replace(yaml.find("description: Hand-written result folder for the report tests"),
               std::string("description: Hand-written result folder for the report tests").size(),
               "description: \"</script><img src=x onerror=alert(4)> & 'quotes'\"");
  yaml.replace(yaml.find("{type: dispute,"), std::string("{type: dispute,").size(), "{type: \"</script>dispute\",");
  spit(copy.path() / "scenario.resolved.yaml", yaml);
  std::string teams = slurp(copy.path() / "teams.csv");
  for (std::size_t at = teams.find("mediation"); at != std::string::npos; at = teams.find("mediation", at + 1))
    teams.replace(at, 9, "<img src=y onerror=alert(5)>");
  spit(copy.path() / "teams.csv", teams);
  for (const char* file : {"incidents.csv", "responses.csv"}) {
    std::string rows = slurp(copy.path() / file);
    for (std::size_t at = rows.find(",dispute,"); at != std::string::npos; at = rows.find(",dispute,", at + 1))
      rows.replace(at, 9, ",</script>dispute,");
    spit(copy.path() / file, rows);
  }

  for (const char* lang : {"en", "zh"}) {
    const std::string html = without_echarts(render_run_report(copy.path(), lang));
    EXPECT_EQ(count(html, "<script"), 3u) << "data, ECharts and the page script only";
    EXPECT_EQ(html.find("alert(1)</script>"), std::string::npos);
    EXPECT_EQ(html.find("<img"), std::string::npos);
    EXPECT_EQ(html.find("<b>&amp;"), std::string::npos);
    EXPECT_EQ(count(html, "</script>"), 3u);
    EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos) << "shown as text";
    EXPECT_NE(html.find("<title>&lt;script&gt;alert(1)&lt;/script&gt; — "), std::string::npos);
    EXPECT_NE(html.find("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"), std::string::npos);
    EXPECT_NE(html.find("&lt;/script&gt;&lt;img src=x onerror=alert(4)&gt; &amp; &#39;quotes&#39;"), std::string::npos);
    // The data section carries the strings unchanged, with < > & as \u escapes.
    const std::string blob = extract_report_data(html);
    EXPECT_EQ(blob.find_first_of("<>&"), std::string::npos);
    EXPECT_NE(blob.find("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"), std::string::npos);
    const Json data = Json::parse(blob);
    EXPECT_EQ(data["run"]["scenario"], hostile);
    EXPECT_NE(find_by(data["teams"]["teams"], "team", "<img src=y onerror=alert(5)>"), nullptr);
    EXPECT_NE(find_by(data["types"], "type", "</script>dispute"), nullptr);
  }
}

TEST(ReportHtml, ScriptJsonEscapesBreakouts) {
  Json value = {{"a", "</script><!-- & \xE2\x80\xA8 \xE2\x80\xA9"}};
  const std::string text = civicgrid::report::script_json(value);
  EXPECT_EQ(text, "{\"a\":\"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028 \\u2029\"}");
  EXPECT_EQ(Json::parse(text), value);
  EXPECT_EQ(civicgrid::report::html_escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

TEST(ReportHtml, ChineseAndEnglishLabels) {
  const std::string zh = render_run_report(fixture, "zh");
  const std::string en = render_run_report(fixture, "en");
  EXPECT_NE(zh.find("<html lang=\"zh-CN\">"), std::string::npos);
  EXPECT_NE(en.find("<html lang=\"en\">"), std::string::npos);
  for (const char* words : {"网格化管理运行评估报告", "执行摘要", "指标总表", "响应时间分布", "网格地图", "团队利用率",
                            "数据来源与方法", "响应达标率", "结案率", "平均响应时间", "达标网格覆盖率", "人员利用率",
                            "未达标", "分钟", "95% 置信区间", "社区", "完整参数（scenario.resolved.yaml）"})
    EXPECT_NE(zh.find(words), std::string::npos) << words;
  for (const char* words : {"Grid management run report", "Executive summary", "Key performance indicators",
                            "Response-time distribution", "Map of the grids", "Team utilisation",
                            "How this was obtained", "Within-target response rate", "Closure rate",
                            "Mean response time", "Staff utilisation", "Fail", "95% CI", "community"})
    EXPECT_NE(en.find(words), std::string::npos) << words;
  // No Chinese in the English page's own text (ECharts' bundled locales aside), no English headings in Chinese.
  EXPECT_EQ(static_part(en).find("响应"), std::string::npos);
  EXPECT_EQ(static_part(zh).find("Executive summary"), std::string::npos);
  // The page script gets its words in the page's language.
  EXPECT_EQ(data_section(zh)["text"]["response_axis"], "响应时间（分钟）");
  EXPECT_EQ(data_section(en)["text"]["response_axis"], "Response time (min)");
  // Breakdowns by incident type and team ("<kpi>@<name>") in their own table, named in the page's language.
  EXPECT_NE(zh.find("分事件类型、团队与层级指标"), std::string::npos);
  EXPECT_NE(zh.find("响应达标率（request）"), std::string::npos);
  EXPECT_NE(en.find("By incident type, team and level"), std::string::npos);
  EXPECT_NE(en.find("Staff utilisation (mediation)"), std::string::npos);
  // An unknown KPI keeps its name rather than vanishing.
  EXPECT_NE(en.find("custom_metric"), std::string::npos);
  EXPECT_THROW(render_run_report(fixture, "fr"), std::invalid_argument);
}

// Per-level KPIs ("<kpi>@level:<level>", levels.csv) are named by the level in the page's language.
TEST(ReportHtml, LevelBreakdownsNameTheLevel) {
  using civicgrid::report::i18n::Lang;
  using civicgrid::report::i18n::kpi_description;
  using civicgrid::report::i18n::kpi_name;
  EXPECT_EQ(kpi_name(Lang::en, "closure_rate@level:grid"), "Closure rate (grid level)");
  EXPECT_EQ(kpi_name(Lang::zh, "escalation_rate@level:town"), kpi_name(Lang::zh, "escalation_rate") + "（街道（镇）层）");
  EXPECT_NE(kpi_description(Lang::en, "closure_h_mean@level:community").find("; only cases at level community"),
            std::string::npos);
  EXPECT_EQ(kpi_name(Lang::en, "reached@level:city"), "Cases received (city level)");
}

TEST(ReportHtml, SelfContainedPage) {
  const std::string html = render_run_report(fixture, "en");
  const std::string head = static_part(html);
  EXPECT_NE(head.find("Content-Security-Policy\" content=\"default-src 'none';"), std::string::npos);
  EXPECT_EQ(head.find(" src="), std::string::npos);
  EXPECT_EQ(head.find("<link"), std::string::npos);
  EXPECT_EQ(head.find("url("), std::string::npos);
  EXPECT_EQ(head.find("@import"), std::string::npos);
  for (const char* id : {"id=\"chart-response\"", "id=\"chart-map\"", "id=\"chart-teams\"", "id=\"map-metric\""})
    EXPECT_NE(head.find(id), std::string::npos) << id;
  // ECharts is inlined whole, and every chart is drawn with the SVG renderer.
  const std::string_view echarts = civicgrid::report::assets::echarts_js();
  EXPECT_GT(echarts.size(), 500000u);
  EXPECT_NE(html.find(echarts), std::string::npos);
  EXPECT_NE(html.find("renderer: 'svg'"), std::string::npos);
  EXPECT_EQ(html.find("renderer: 'canvas'"), std::string::npos);
  EXPECT_NE(html.find("saveAsImage"), std::string::npos);
  // Print: A4 pages, a break before sections, no chart cut across pages.
  EXPECT_NE(html.find("@page { size: A4"), std::string::npos);
  EXPECT_NE(html.find("break-before: page"), std::string::npos);
  EXPECT_NE(html.find(".chart-box { break-inside: avoid"), std::string::npos);
  // The resolved scenario is shown.
  EXPECT_NE(head.find("<pre class=\"yaml\">version: 1\nname: fixture"), std::string::npos);
}

TEST(ReportHtml, HowThisWasObtained) {
  const std::string html = static_part(render_run_report(fixture, "en"));
  for (const char* words : {"tests/unit/data/fixture.yaml", "../models/basic-grid-service.yaml", "abc123def456",
                            "0.1.0", "1.25 s", "1h", "1d", "0: 7, 1: 7", "2026-11-25T08:00:00Z",
                            "civicgrid run tests/unit/data/fixture.yaml --out results/fixture"})
    EXPECT_NE(html.find(words), std::string::npos) << words;
}

TEST(ReportHtml, DeterministicAndWrittenAtomically) {
  FixtureCopy copy;
  const fs::path written = civicgrid::report::write_run_report(copy.path(), "zh");
  EXPECT_EQ(written, copy.path() / "report.html");
  EXPECT_EQ(slurp(written), render_run_report(copy.path(), "zh"));
  EXPECT_EQ(render_run_report(copy.path(), "zh"), render_run_report(copy.path(), "zh"));
  for (const auto& entry : fs::directory_iterator(copy.path()))
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
}

TEST(ReportHtml, MissingOptionalFilesLeaveNotes) {
  FixtureCopy copy;
  for (const char* name : {"incidents.csv", "responses.csv", "grids.csv", "grid_summary.csv", "teams.csv", "scenario.resolved.yaml",
                           "manifest.json", "replications.csv"})
    fs::remove(copy.path() / name);
  const std::string html = render_run_report(copy.path(), "en");
  const Json data = data_section(html);
  EXPECT_FALSE(data["response"]["available"].get<bool>());
  EXPECT_FALSE(data["map"]["available"].get<bool>());
  EXPECT_FALSE(data["teams"]["available"].get<bool>());
  EXPECT_NE(html.find("no distribution to show"), std::string::npos);
  EXPECT_NE(html.find("no map to show"), std::string::npos);
  EXPECT_NE(html.find("No teams.csv"), std::string::npos);
  EXPECT_EQ(html.find("id=\"chart-map\""), std::string::npos);
  EXPECT_NE(html.find("missing"), std::string::npos);
}

// The report judges nothing: its standards and marks are summary.json's verdict, which is exactly what the one
// verdict function (metrics::judge) gives for the fixture's KPIs; a `report:` key the loader would refuse has
// no effect any more.
TEST(ReportHtml, StandardsComeFromTheVerdictInSummary) {
  const Json summary = Json::parse(slurp(fixture / "summary.json"));
  std::vector<civicgrid::metrics::KpiSummary> summaries;
  for (const auto& [key, entry] : summary["kpis"].items()) {
    civicgrid::metrics::KpiSummary kpi;
    kpi.name = key;
    for (const auto& value : entry["per_replication"])
      kpi.per_replication.push_back(value.is_null() ? std::nan("") : value.get<double>());
    summaries.push_back(kpi);
  }
  const Json expected = civicgrid::metrics::verdict_json(
      civicgrid::metrics::judge(summaries, civicgrid::metrics::default_standards()));
  ASSERT_EQ(expected["standards"].size(), summary["verdict"]["standards"].size());
  for (std::size_t i = 0; i < expected["standards"].size(); ++i)
    for (const char* field : {"kpi", "bound", "value", "by_mean", "by_bound", "n", "origin"})
      EXPECT_EQ(expected["standards"][i][field], summary["verdict"]["standards"][i][field]) << i << " " << field;

  const Json data = run_report_data(fixture, "en");
  EXPECT_EQ(data["verdict"]["shown"], "by_mean");
  EXPECT_EQ(data["verdict"]["by_mean"], "not_met");
  const Json* within = find_by(data["headline"], "key", "within_target_rate");
  ASSERT_NE(within, nullptr);
  EXPECT_FALSE((*within)["pass"].get<bool>());
  EXPECT_EQ((*within)["standard"]["origin"], "default");
  EXPECT_TRUE((*find_by(data["headline"], "key", "utilization"))["pass"].get<bool>());
  EXPECT_DOUBLE_EQ(data["map"]["standard"].get<double>(), 0.9);

  FixtureCopy copy;
  std::ofstream(copy.path() / "scenario.resolved.yaml", std::ios::app) << "report: {within_target_standard: 0.6}\n";
  const Json ignored = run_report_data(copy.path(), "en");
  EXPECT_DOUBLE_EQ((*find_by(ignored["headline"], "key", "within_target_rate"))["standard"]["value"].get<double>(), 0.9);

  // A scenario's own standard, as summary.json records it, is what the page shows, with its origin.
  Json edited = summary;
  edited["verdict"]["standards"][0]["value"] = 0.5;
  edited["verdict"]["standards"][0]["by_mean"] = "met";
  edited["verdict"]["standards"][0]["origin"] = "district.yaml:40:5";
  spit(copy.path() / "summary.json", edited.dump(2));
  const Json local = run_report_data(copy.path(), "en");
  const Json* card = find_by(local["headline"], "key", "within_target_rate");
  EXPECT_TRUE((*card)["pass"].get<bool>());
  EXPECT_EQ((*card)["standard"]["origin"], "district.yaml:40:5");
  EXPECT_NE(render_run_report(copy.path(), "en").find("district.yaml:40:5"), std::string::npos);
}

TEST(ReportHtml, NotAResultFolder) {
  FixtureCopy copy;
  fs::remove(copy.path() / "summary.json");
  EXPECT_THROW(render_run_report(copy.path(), "en"), std::runtime_error);
  spit(copy.path() / "summary.json", "{\"scenario\": \"x\"}");
  EXPECT_THROW(render_run_report(copy.path(), "en"), std::runtime_error);
  EXPECT_THROW(render_run_report(copy.path() / "nowhere", "en"), std::runtime_error);
}

// ------------------------------------------------------------------------------ run report: time and levels

namespace {

// A scratch folder removed at the end of the test.
class ScratchDir {
 public:
  ScratchDir() {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("civicgrid-report-" + std::string(test->name()) + "-" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

const fs::path report_data_dir = source_dir / "tests/unit/data/report";

// A copy of tests/unit/data/report/<name> (fixtures stay clean of report.html).
fs::path copy_fixture(const ScratchDir& scratch, const std::string& name) {
  const fs::path to = scratch.path() / name;
  fs::copy(report_data_dir / name, to, fs::copy_options::recursive);
  return to;
}

}  // namespace

// Two replications, warm-up 1 h, horizon 5 h. Times in minutes.
//   rep 0: a known 70 (hour 1), responded within, closed 130, closed at grid, no escalation
//          b known 100 (hour 1), responded late, closed 250 at community after 1 escalation
//          c known 190 (hour 3), responded within, never closed (open at the horizon), held at grid
//   rep 1: d known 1500 (hour 25 = hour 1 of day 2), responded within, closed 1530 at town, 2 escalations
//          e never known
TEST(ReportHtml, HourOfDayBacklogFlowAndResponsesFromMetricsFiles) {
  ScratchDir scratch;
  const fs::path dir = scratch.path();
  spit(dir / "summary.json", R"({"scenario": "tiny", "replications": 2, "seed": 1, "kpis": {
         "within_target_rate": {"mean": 0.75, "ci95_half_width": 0.1, "n": 2, "unit": "share"}},
         "verdict": {"confidence": 0.95, "by_mean": "not_met", "by_bound": "not_met", "standards": [
           {"kpi": "within_target_rate", "bound": "at_least", "value": 0.9, "unit": "share", "origin": "default",
            "mean": 0.75, "confidence_bound": 0.7, "n": 2, "by_mean": "not_met", "by_bound": "not_met"}]}})");
  spit(dir / "scenario.resolved.yaml", "name: tiny\nrun: {horizon: 5h, warmup: 1h}\n");
  spit(dir / "incidents.csv",
       "replication,incident,type,t_known_min,t_on_scene_min,t_closed_min,response_min,target_min,within_target,"
       "level,escalations,status\n"
       "0,1,request,70,80,130,10,20,1,grid,0,closed\n"
       "0,2,request,100,130,250,30,20,0,community,1,closed\n"
       "0,3,request,190,200,,10,20,1,grid,0,open\n"
       "1,4,request,1500,1510,1530,10,20,1,town,2,closed\n"
       "1,5,request,,,,,20,,grid,0,never_known\n");
  // metrics' tallies of the same incidents by weekday and hour of t_known (the hours view reads only these).
  spit(dir / "hours.csv",
       "replication,weekday,hour,responded,within_target,within_target_rate\n"
       "0,0,1,2,1,0.5\n0,0,3,1,1,1\n1,1,1,1,1,1\n");
  // metrics' backlog samples: known and not yet closed at 1 h .. 5 h (replication 1 has nothing open then).
  spit(dir / "backlog.csv",
       "replication,t_h,open_known\n"
       "0,1,0\n0,2,2\n0,3,1\n0,4,2\n0,5,1\n1,1,0\n1,2,0\n1,3,0\n1,4,0\n1,5,0\n");
  const Json data = run_report_data(dir, "en");

  const Json& hours = data["hours"];
  ASSERT_TRUE(hours["available"].get<bool>());
  EXPECT_EQ(hours["responded"][1].get<int>(), 3);                       // a, b and d (1500 min = day 2, 01:00)
  EXPECT_NEAR(hours["within_target_rate"][1].get<double>(), 2.0 / 3, 1e-5);
  EXPECT_EQ(hours["responded"][3].get<int>(), 1);
  EXPECT_DOUBLE_EQ(hours["within_target_rate"][3].get<double>(), 1.0);
  EXPECT_TRUE(hours["within_target_rate"][0].is_null());
  EXPECT_DOUBLE_EQ(hours["standard"].get<double>(), 0.9);
  EXPECT_DOUBLE_EQ(hours["week"][0][1].get<double>(), 0.5);   // Monday 01h
  EXPECT_DOUBLE_EQ(hours["week"][1][1].get<double>(), 1.0);   // Tuesday 01h (1500 min)
  EXPECT_TRUE(hours["week"][6][23].is_null());

  // backlog.csv's samples, averaged over the 2 replications (the report counts nothing itself).
  const Json& backlog = data["backlog"];
  ASSERT_TRUE(backlog["available"].get<bool>());
  EXPECT_EQ(backlog["time_h"], Json({1, 2, 3, 4, 5}));
  EXPECT_EQ(backlog["open"], Json({0, 1, 0.5, 1, 0.5}));
  EXPECT_EQ(backlog["replications"], 2);

  // The flow comes from levels.csv only: incidents.csv's levels and escalations are not counted again here.
  const Json& flow = data["flow"];
  EXPECT_FALSE(flow["available"].get<bool>());
  // Nor the response distribution: without responses.csv there is none, whatever incidents.csv holds.
  EXPECT_FALSE(data["response"]["available"].get<bool>());

  // metrics' counts by response bin, pooled over the replications: a 10 min (7.5-10], b 30 min (25-30], c, d.
  spit(dir / "responses.csv",
       "replication,type,lower_min,upper_min,responded\n"
       "0,request,7.5,10,2\n0,request,25,30,1\n1,request,7.5,10,1\n");
  spit(dir / "levels.csv",
       "replication,level,closed,escalations_from,responders,on_duty_min,busy_min,utilization\n"
       "0,grid,1,1,1,1,1,1\n0,community,1,0,1,1,1,1\n0,town,0,0,1,1,1,1\n0,city,0,0,0,0,0,\n"
       "1,grid,0,1,1,1,1,1\n1,community,0,1,1,1,1,1\n1,town,1,0,1,1,1,1\n1,city,0,0,0,0,0,\n");
  const Json with_files = run_report_data(dir, "en");
  const Json& response = with_files["response"];
  ASSERT_TRUE(response["available"].get<bool>());
  ASSERT_EQ(response["series"].size(), 1u);
  EXPECT_DOUBLE_EQ(response["series"][0]["responded_per_replication"].get<double>(), 2.0);
  const Json& bins = response["bins"];
  std::size_t ten = 0;
  while (ten < bins.size() && !(bins[ten]["upper_min"] == 10)) ++ten;
  ASSERT_LT(ten, bins.size());
  EXPECT_EQ(bins[ten]["lower_min"], 7.5);
  EXPECT_TRUE(bins.back()["upper_min"].is_null()) << "the last bin is open-ended";
  EXPECT_DOUBLE_EQ(response["series"][0]["share"][ten].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(response["series"][0]["cumulative"][ten].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(response["all"]["cumulative"].back().get<double>(), 1.0);
  // b grid -> community, d grid -> community -> town, as levels.csv counts them.
  const Json& counted = with_files["flow"];
  ASSERT_TRUE(counted["available"].get<bool>());
  EXPECT_EQ(counted["source"], "levels.csv");
  EXPECT_DOUBLE_EQ(counted["levels"][0]["escalations_from"].get<double>(), 1.0);   // (b + d) / 2
  EXPECT_DOUBLE_EQ(counted["levels"][1]["escalations_from"].get<double>(), 0.5);   // d
  EXPECT_DOUBLE_EQ(counted["levels"][0]["closed"].get<double>(), 0.5);             // a (c is still open)
  EXPECT_DOUBLE_EQ(counted["levels"][2]["closed"].get<double>(), 0.5);             // d
  const Json* grid_to_community = nullptr;
  for (const Json& link : counted["links"])
    if (link["source"] == "grid" && link["target"] == "community") grid_to_community = &link;
  ASSERT_NE(grid_to_community, nullptr);
  EXPECT_DOUBLE_EQ((*grid_to_community)["value"].get<double>(), 1.0);

  // A bin this version does not write is the file's problem, at its line and column.
  spit(dir / "responses.csv", "replication,type,lower_min,upper_min,responded\n0,request,7,11,2\n");
  try {
    run_report_data(dir, "en");
    ADD_FAILURE() << "a response bin of another layout was accepted";
  } catch (const civicgrid::scenario::InputError& error) {
    EXPECT_NE(std::string(error.what()).find("responses.csv:2:13: upper_min: no response bin runs from 7 to 11 min"),
              std::string::npos)
        << error.what();
  }
  spit(dir / "responses.csv",
       "replication,type,lower_min,upper_min,responded\n"
       "0,request,7.5,10,2\n0,request,25,30,1\n1,request,7.5,10,1\n");

  const std::string html = render_run_report(dir, "en");
  for (const char* id : {"id=\"chart-hours\"", "id=\"chart-backlog\"", "id=\"chart-flow\""})
    EXPECT_NE(html.find(id), std::string::npos) << id;
  const std::string zh = render_run_report(dir, "zh");
  for (const char* words : {"分时段响应达标率", "积压事件随时间变化", "层级间提级流向", "网格结案"})
    EXPECT_NE(zh.find(words), std::string::npos) << words;
}

// levels.csv is the simulator's own count; every move up (escalations and off-hours routing, told apart on the
// link) goes to the next staffed level.
TEST(ReportHtml, EscalationFlowFromLevelsCsv) {
  ScratchDir scratch;
  const fs::path dir = scratch.path();
  spit(dir / "summary.json", R"({"scenario": "tiny", "replications": 2, "kpis": {}})");
  spit(dir / "levels.csv",
       "replication,level,closed,escalations_from,routed_off_hours_from,responders,on_duty_min,busy_min,utilization\n"
       "0,grid,10,4,1,5,1,1,1\n0,community,0,0,0,0,0,0,\n0,town,5,0,0,1,1,1,1\n0,city,0,0,0,0,0,0,\n"
       "1,grid,12,2,3,5,1,1,1\n1,community,0,0,0,0,0,0,\n1,town,5,0,0,1,1,1,1\n1,city,0,0,0,0,0,0,\n");
  const Json flow = run_report_data(dir, "en")["flow"];
  EXPECT_EQ(flow["source"], "levels.csv");
  ASSERT_TRUE(flow["escalated"].get<bool>());
  EXPECT_EQ(flow["links"], Json::parse(R"([{"source": "grid", "target": "closed at grid", "value": 11.0},
                                           {"source": "grid", "target": "town", "value": 5.0, "escalated": 3.0,
                                            "routed_off_hours": 2.0},
                                           {"source": "town", "target": "closed at town", "value": 5.0}])"));
  EXPECT_EQ(flow["levels"][0]["escalations_from"], 3.0);
  EXPECT_EQ(flow["levels"][0]["routed_off_hours_from"], 2.0);
  // No escalation at all: a one-line note instead of the chart.
  spit(dir / "levels.csv",
       "replication,level,closed,escalations_from,responders,on_duty_min,busy_min,utilization\n0,grid,10,0,5,1,1,1\n");
  const std::string html = render_run_report(dir, "en");
  EXPECT_NE(html.find("No incident was escalated"), std::string::npos);
  EXPECT_EQ(html.find("id=\"chart-flow\""), std::string::npos);
  // Without incidents.csv: notes, never an error.
  EXPECT_NE(html.find("no figures by hour of day"), std::string::npos);
  EXPECT_NE(html.find("no backlog curve"), std::string::npos);
  EXPECT_EQ(html.find("id=\"chart-backlog\""), std::string::npos);
}

// ------------------------------------------------------------------------------------ experiment folders

TEST(ReportHtml, SweepReportFindsTheCheapestFeasibleVariant) {
  const Json data = civicgrid::report::sweep_report_data(report_data_dir / "sweep", "en");
  EXPECT_EQ(data["kind"], "sweep");
  ASSERT_EQ(data["parameters"].size(), 2u);
  EXPECT_EQ(data["parameters"][1]["path"], "travel.speed");
  EXPECT_TRUE(data["parameters"][1]["numeric"].get<bool>());
  EXPECT_EQ(data["parameters"][1]["unit"], "km/h");
  EXPECT_EQ(data["groups"].size(), 2u);   // a grid, not a zip: one chart per parameter
  ASSERT_EQ(data["variants"].size(), 4u);
  // No staff KPI in sweep.csv: distinct responders of replication 0 in each variant's teams.csv.
  EXPECT_DOUBLE_EQ(data["variants"][0]["staff"].get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(data["variants"][1]["staff"].get<double>(), 3.0);
  // v0000 fails the 90% within-target standard; v0001 and v0002 pass with 3 staff each: the lower one wins;
  // v0003 has no variant folder, so it cannot be judged.
  EXPECT_FALSE(data["variants"][0]["feasible"].get<bool>());
  EXPECT_TRUE(data["variants"][1]["feasible"].get<bool>());
  EXPECT_TRUE(data["variants"][3]["feasible"].is_null());
  EXPECT_EQ(data["cheapest"], "v0001");
  EXPECT_EQ(data["default_kpi"], "within_target_rate");
  const std::string html = civicgrid::report::render_report(report_data_dir / "sweep", "zh");
  EXPECT_NE(html.find("参数扫描评估报告"), std::string::npos);
  EXPECT_NE(html.find("id=\"chart-sweep-0\""), std::string::npos);
  EXPECT_NE(html.find("id=\"chart-sweep-1\""), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"cheapest\">"), std::string::npos);
  EXPECT_NE(html.find("id=\"sweep-kpi\""), std::string::npos);
}

// Golden test of the compare report's data section; the hostile scenario name is escaped everywhere.
TEST(ReportHtml, CompareReportGoldenAndEscaped) {
  const fs::path dir = report_data_dir / "compare";
  const std::string html = civicgrid::report::render_report(dir, "en");
  const std::string actual = data_section(html).dump(2) + "\n";
  const fs::path golden = golden_dir / "compare_report_data.en.json";
  if (const char* update = std::getenv("CIVICGRID_UPDATE_GOLDEN"); update != nullptr && std::string(update) == "1")
    spit(golden, actual);
  ASSERT_TRUE(fs::exists(golden)) << golden << " is missing (CIVICGRID_UPDATE_GOLDEN=1 writes it)";
  EXPECT_EQ(actual, slurp(golden)) << "if intended: CIVICGRID_UPDATE_GOLDEN=1, then review the diff";

  const Json data = data_section(html);
  EXPECT_EQ(data["headline"], Json({"within_target_rate", "response_min_mean", "utilization"}));
  const Json* within = find_by(data["kpis"], "key", "within_target_rate");
  ASSERT_NE(within, nullptr);
  EXPECT_FALSE((*within)["values"][0]["pass"].get<bool>());   // 85% < 90%
  EXPECT_TRUE((*within)["values"][1]["pass"].get<bool>());
  EXPECT_TRUE((*within)["values"][1]["significant"].get<bool>());
  EXPECT_DOUBLE_EQ(data["variants"][1]["staff"].get<double>(), 4.0);
  EXPECT_EQ(data["variants"][1]["scenario"], "<script>alert(1)</script>");

  const std::string page = without_echarts(html);
  EXPECT_EQ(count(page, "<script"), 3u);
  EXPECT_EQ(page.find("alert(1)</script>"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(extract_report_data(page).find_first_of("<>&"), std::string::npos);
  for (int i = 0; i < 3; ++i)
    EXPECT_NE(html.find("id=\"chart-compare-" + std::to_string(i) + "\""), std::string::npos);
  EXPECT_NE(html.find("+8.0 pp *"), std::string::npos);   // a significant paired difference, in points
}

// The report is rendered inside "<name>.tmp-<pid>" before the rename: its title is compare.json's name, and
// with compare.json's all-pairs table the significance marks are Holm's (issue 12).
TEST(ReportHtml, CompareReportTitledByItsNameAndMarkedByHolm) {
  const fs::path dir = fs::temp_directory_path() / ("compare-small-big.tmp-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::copy(report_data_dir / "compare", dir, fs::copy_options::recursive);
  Json compare = Json::parse(slurp(dir / "compare.json"));
  compare["name"] = "compare-small-big";
  // Holm says the baseline-v0001 difference in within_target_rate is not significant (the interval alone says it is).
  compare["pairs"]["within_target_rate"] = {
      {"unit", "share"},
      {"pairs", Json::array({Json{{"variant_a", "v0000"}, {"variant_b", "v0001"}, {"diff_b_minus_a", 0.08},
                                  {"diff_ci95_half_width", 0.02}, {"p_value", 0.03}, {"holm_p_value", 0.09},
                                  {"significant_holm", false}}})}};
  spit(dir / "compare.json", compare.dump(2));
  const std::string html = civicgrid::report::render_report(dir, "en");
  const Json data = data_section(html);
  fs::remove_all(dir);
  EXPECT_EQ(data["title"], "compare-small-big");
  EXPECT_EQ(data["compare"]["name"], "compare-small-big");
  EXPECT_EQ(html.find(".tmp-"), std::string::npos);
  const Json* within = find_by(data["kpis"], "key", "within_target_rate");
  ASSERT_NE(within, nullptr);
  EXPECT_FALSE((*within)["values"][1]["significant"].get<bool>());
  EXPECT_DOUBLE_EQ((*within)["values"][1]["holm_p_value"].get<double>(), 0.09);
  EXPECT_NE(html.find("Holm-adjusted"), std::string::npos);
}

TEST(ReportHtml, SearchReportFrontierAndRecommendation) {
  const fs::path dir = report_data_dir / "search";
  const Json data = civicgrid::report::search_report_data(dir, "en");
  EXPECT_EQ(data["kind"], "search");
  EXPECT_EQ(data["search"]["unit"], "share");
  EXPECT_EQ(data["search"]["runs"]["ran"], 12);
  ASSERT_EQ(data["frontier"].size(), 4u);
  EXPECT_TRUE(data["frontier"][2]["recommended"].get<bool>());
  EXPECT_FALSE(data["frontier"][1]["feasible"].get<bool>());
  EXPECT_EQ(data["frontier"][2]["values"], Json({"2", "1"}));
  EXPECT_EQ(data["recommended"]["variant"], "v0002");
  const std::string html = civicgrid::report::render_report(dir, "en");
  EXPECT_NE(html.find("Recommended plan: v0002 (teams.grid_worker.per_unit = 2, teams.mediation.per_unit = 1) with "
                      "36 staff"),
            std::string::npos);
  EXPECT_NE(html.find("16 runs: 4 reused, 12 run now."), std::string::npos);
  EXPECT_NE(html.find("id=\"chart-search\""), std::string::npos);
  const std::string page = without_echarts(html);
  EXPECT_EQ(page.find("alert(1)</script>"), std::string::npos);
  EXPECT_NE(page.find("<title>&lt;script&gt;alert(1)&lt;/script&gt; — "), std::string::npos);

  // No recommendation: the sentence says so.
  ScratchDir scratch;
  const fs::path copy = copy_fixture(scratch, "search");
  Json search = Json::parse(slurp(copy / "search.json"));
  search["recommended"] = nullptr;
  spit(copy / "search.json", search.dump());
  EXPECT_NE(civicgrid::report::render_report(copy, "en").find("No plan meets the target ≥ 90.0% at 95% confidence."),
            std::string::npos);
}

TEST(ReportHtml, WriteReportDispatchesOnTheFolderKind) {
  using civicgrid::report::ReportKind;
  ScratchDir scratch;
  const std::pair<const char*, ReportKind> kinds[] = {
      {"sweep", ReportKind::sweep}, {"compare", ReportKind::compare}, {"search", ReportKind::search}};
  for (const auto& [name, kind] : kinds) {
    const fs::path dir = copy_fixture(scratch, name);
    EXPECT_EQ(civicgrid::report::report_kind(dir), kind) << name;
    const fs::path written = civicgrid::report::write_report(dir, "en");
    EXPECT_EQ(written, dir / "report.html");
    EXPECT_EQ(data_section(slurp(written))["kind"], name);
    EXPECT_EQ(slurp(written), civicgrid::report::render_report(dir, "en"));
  }
  FixtureCopy run;
  EXPECT_EQ(civicgrid::report::report_kind(run.path()), ReportKind::run);
  EXPECT_EQ(slurp(civicgrid::report::write_report(run.path(), "zh")), render_run_report(run.path(), "zh"));

  // search.json outranks the others (a search folder also holds variants with their summaries).
  const fs::path both = copy_fixture(scratch, "search");
  fs::copy_file(report_data_dir / "compare/compare.json", both / "compare.json");
  EXPECT_EQ(civicgrid::report::report_kind(both), ReportKind::search);

  const fs::path empty = scratch.path() / "empty";
  fs::create_directories(empty);
  EXPECT_FALSE(civicgrid::report::report_kind(empty).has_value());
  try {
    civicgrid::report::write_report(empty, "en");
    ADD_FAILURE() << "no exception for a folder of no known kind";
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(empty.string()), std::string::npos) << message;
    for (const char* file : {"search.json", "compare.json", "sweep.csv", "summary.json"})
      EXPECT_NE(message.find(file), std::string::npos) << message;
  }
  EXPECT_FALSE(fs::exists(empty / "report.html"));
  EXPECT_THROW(civicgrid::report::render_report(report_data_dir / "compare", "fr"), std::invalid_argument);
}

// "How this was obtained" of a sweep (manifest of the first variant, runs.csv, the resolved scenario folded) and
// the paired differences against the first variant (paired.csv), both escaped.
TEST(ReportHtml, SweepReportHowObtainedAndPairedDifferences) {
  const fs::path dir = report_data_dir / "sweep";
  const Json data = civicgrid::report::sweep_report_data(dir, "en");
  const Json& method = data["method"];
  EXPECT_EQ(method["inputs"], Json({"tests/cli/data/staffing.sweep.yaml"}));
  EXPECT_EQ(method["overrides"], Json({"run.horizon=2d"}));
  EXPECT_EQ(method["base"]["variant"], "v0000");
  EXPECT_EQ(method["base"]["scenario_path"], "tests/cli/data/small.yaml");
  EXPECT_EQ(method["resolved"]["file"], "variants/v0000/scenario.resolved.yaml");
  EXPECT_TRUE(method["resolved"]["present"].get<bool>());
  EXPECT_EQ(method["seeds"], Json({"5"}));
  EXPECT_EQ(method["replications"]["min"], 1);   // runs.csv: one run per variant
  EXPECT_EQ(method["replications"]["max"], 1);
  EXPECT_EQ(method["runs"]["total"], 4);
  EXPECT_EQ(method["runs"]["variants"], 4);
  ASSERT_EQ(method["varied"].size(), 2u);
  EXPECT_EQ(method["varied"][1]["path"], "travel.speed");
  EXPECT_EQ(method["varied"][1]["values"], Json({"10km/h", "20km/h"}));
  EXPECT_EQ(method["versions"], Json({"0.1.0"}));
  EXPECT_EQ(method["git_revisions"], Json({"abc123def456"}));
  EXPECT_TRUE(method["wall_time_s"].is_null());   // assembled variants record 0 s: not a wall time
  EXPECT_EQ(method["manifests"]["found"], 1);

  const Json& paired = data["paired"];
  ASSERT_TRUE(paired["available"].get<bool>());
  EXPECT_EQ(paired["first"], "v0000");
  ASSERT_EQ(paired["kpis"].size(), 2u);   // headline KPIs only, in the executive summary's order
  EXPECT_EQ(paired["kpis"][0]["key"], "within_target_rate");
  EXPECT_EQ(paired["kpis"][1]["key"], "utilization");
  ASSERT_EQ(paired["variants"].size(), 2u);
  EXPECT_EQ(paired["variants"][0]["variant"], "v0001");
  EXPECT_DOUBLE_EQ(paired["variants"][0]["values"]["within_target_rate"]["diff"].get<double>(), 0.12);
  EXPECT_TRUE(paired["variants"][0]["values"]["within_target_rate"]["significant"].get<bool>());
  EXPECT_FALSE(paired["variants"][1]["values"]["within_target_rate"]["significant"].get<bool>());

  const std::string html = civicgrid::report::render_report(dir, "en");
  const std::string page = without_echarts(html);
  for (const char* words : {"id=\"sweep-paired\"", "id=\"paired-table\"", "+12.0 pp *", "−5.0 pp *",
                            "id=\"method\"", "Sweep file", "tests/cli/data/staffing.sweep.yaml",
                            "teams.grid_worker.per_unit: 1, 2", "Replications per variant",
                            "5 (the same in every variant: common random numbers)", "4 runs of 4 variants.",
                            "1 of 4 variants have a manifest.json", "not recorded (variants assembled from runs",
                            "<details id=\"method-resolved\"><summary>Show variants/v0000/scenario.resolved.yaml",
                            "note: &quot;&lt;script&gt;alert(2)&lt;/script&gt;&quot;",
                            "&#39;results/&lt;b&gt;sweep&lt;/b&gt;&#39;", "<li><code>paired.csv</code> <span class=\"present\">"})
    EXPECT_NE(page.find(words), std::string::npos) << words;
  EXPECT_EQ(page.find("alert(2)</script>"), std::string::npos);
  EXPECT_EQ(page.find("<b>sweep</b>"), std::string::npos);
  const std::string zh = civicgrid::report::render_report(dir, "zh");
  for (const char* words : {"与首个方案的配对差值", "数据来源与方法", "扫描文件", "各方案相同：公共随机数"})
    EXPECT_NE(zh.find(words), std::string::npos) << words;
}

// Without paired.csv, manifests and the resolved scenario: short notes, never an error.
TEST(ReportHtml, SweepReportWithoutPairedOrManifestsLeavesNotes) {
  ScratchDir scratch;
  const fs::path dir = copy_fixture(scratch, "sweep");
  fs::remove(dir / "paired.csv");
  fs::remove(dir / "runs.csv");
  fs::remove(dir / "variants/v0000/manifest.json");
  fs::remove(dir / "variants/v0000/scenario.resolved.yaml");
  const Json data = civicgrid::report::sweep_report_data(dir, "en");
  EXPECT_FALSE(data["paired"]["available"].get<bool>());
  EXPECT_TRUE(data["method"]["runs"]["total"].is_null());
  EXPECT_TRUE(data["method"]["replications"].is_null());
  const std::string html = civicgrid::report::render_report(dir, "en");
  EXPECT_NE(html.find("This folder has no paired.csv"), std::string::npos);
  EXPECT_EQ(html.find("id=\"paired-table\""), std::string::npos);
  EXPECT_NE(html.find("No readable manifest.json under variants/"), std::string::npos);
  EXPECT_NE(html.find("variants/v0000/scenario.resolved.yaml is missing"), std::string::npos);
  EXPECT_NE(html.find("id=\"method\""), std::string::npos);
}

// The search's method, confidence and bound rule; replications and candidate values from the frontier when
// search.json does not list them.
TEST(ReportHtml, SearchAndCompareReportsSayHowTheyWereObtained) {
  ScratchDir scratch;
  const fs::path dir = copy_fixture(scratch, "search");
  Json search = Json::parse(slurp(dir / "search.json"));
  search["method"] = "greedy marginal allocation";
  spit(dir / "search.json", search.dump());
  const Json data = civicgrid::report::search_report_data(dir, "en");
  const Json& method = data["method"];
  EXPECT_EQ(method["replications"]["min"], 3);
  EXPECT_EQ(method["replications"]["max"], 5);
  EXPECT_EQ(method["runs"]["total"], 16);
  EXPECT_EQ(method["varied"][0]["values"], Json({"1", "2"}));
  EXPECT_EQ(method["base"]["variant"], "v0000");
  const std::string html = civicgrid::report::render_report(dir, "en");
  for (const char* words : {"id=\"method\"", "Greedy marginal allocation", "Feasibility rule",
                            "one-sided lower bound = mean − t(0.95, n−1) · s / √n must meet the target ≥ 90.0%",
                            "16 runs: 4 reused, 12 run now. 4 variants.", "Replications per variant</th><td>3–5",
                            "No readable manifest.json under variants/"})
    EXPECT_NE(html.find(words), std::string::npos) << words;
  search["direction"] = "at_most";
  spit(dir / "search.json", search.dump());
  EXPECT_NE(civicgrid::report::render_report(dir, "zh").find("单侧置信上界"), std::string::npos);

  const Json compare = civicgrid::report::compare_report_data(report_data_dir / "compare", "en");
  EXPECT_EQ(compare["method"]["seeds"], Json({"5"}));
  EXPECT_EQ(compare["method"]["replications"]["min"], 3);
  EXPECT_TRUE(compare["method"]["scenarios"].empty());   // no manifests in the fixture
  const std::string compare_html = civicgrid::report::render_report(report_data_dir / "compare", "en");
  EXPECT_NE(compare_html.find("Compared scenario files"), std::string::npos);
  EXPECT_NE(compare_html.find("v0001: &lt;script&gt;alert(1)&lt;/script&gt; — file not recorded"), std::string::npos);
  EXPECT_NE(compare_html.find("id=\"method\""), std::string::npos);
}

// ----------------------------------------------------------------------- broken experiment and run folders

namespace {

// The formatted diagnostics of rendering `dir`, "" if it renders.
std::string problems_of(const fs::path& dir) {
  try {
    civicgrid::report::render_report(dir, "en");
  } catch (const civicgrid::scenario::InputError& error) {
    return error.what();
  }
  return "";
}

void append_to(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::app) << text; }

}  // namespace

// Every broken file of a sweep folder is named in one go: sweep.csv, a variant's files, runs.csv, paired.csv.
TEST(ReportHtml, BrokenSweepFolderListsEveryProblem) {
  ScratchDir scratch;
  const fs::path dir = copy_fixture(scratch, "sweep");
  ASSERT_EQ(problems_of(dir), "");
  append_to(dir / "sweep.csv", "v0002,3,20km/h,utilization,share,high,0.02,3\n");
  append_to(dir / "variants/v0001/teams.csv", "0,9,\xCD\xF8,grid,G1,1,1,1,1,1,1,1\n");
  append_to(dir / "runs.csv", "v0002,1,5\n");
  append_to(dir / "paired.csv", "utilization,share,v0002,small");   // cut short
  const std::string problems = problems_of(dir);
  for (const fs::path& file : {dir / "sweep.csv", dir / "variants/v0001/teams.csv", dir / "runs.csv", dir / "paired.csv"})
    EXPECT_NE(problems.find(file.string() + ":"), std::string::npos) << file << "\n" << problems;
  EXPECT_NE(problems.find("mean: expected a number, found \"high\""), std::string::npos) << problems;
  EXPECT_NE(problems.find("invalid UTF-8"), std::string::npos) << problems;
  EXPECT_FALSE(fs::exists(dir / "report.html"));
}

TEST(ReportHtml, BrokenCompareAndSearchFolders) {
  ScratchDir scratch;
  const fs::path compare = copy_fixture(scratch, "compare");
  ASSERT_EQ(problems_of(compare), "");
  std::ofstream(compare / "variants/v0000/summary.json") << "{\"kpis\": {\"incidents\": {\"mean\": }}}";
  EXPECT_NE(problems_of(compare).find((compare / "variants/v0000/summary.json").string() + ":1:"), std::string::npos);
  std::ofstream(compare / "compare.json") << "";
  EXPECT_NE(problems_of(compare).find((compare / "compare.json").string() + ":1:1: the file is empty"),
            std::string::npos);

  const fs::path search = copy_fixture(scratch, "search");
  ASSERT_EQ(problems_of(search), "");
  std::ofstream(search / "search.json") << "{\"kpi\": \"\xB1\xB8\"}";
  EXPECT_NE(problems_of(search).find((search / "search.json").string() + ":1:10: invalid UTF-8 (byte 0xB1)"),
            std::string::npos);
}

// A run folder with several broken files: every one named, each with its position.
TEST(ReportHtml, BrokenRunFolderListsEveryProblem) {
  FixtureCopy copy;
  append_to(copy.path() / "grid_summary.csv", "7,G8,C1,T1,lots,0,2,1,0,2,1,0,2,1,0,2,5,0,2,,,0,,,0,,,0\n");
  append_to(copy.path() / "responses.csv", "0,request\n");
  std::ofstream(copy.path() / "manifest.json") << "{\"seed\": 5,}";
  const std::string problems = problems_of(copy.path());
  EXPECT_NE(problems.find((copy.path() / "grid_summary.csv").string() + ":"), std::string::npos) << problems;
  EXPECT_NE(problems.find("residents: expected a number, found \"lots\""), std::string::npos) << problems;
  EXPECT_NE(problems.find((copy.path() / "responses.csv").string() + ":"), std::string::npos) << problems;
  EXPECT_NE(problems.find("the row has 2 fields, the header 5"), std::string::npos) << problems;
  EXPECT_NE(problems.find((copy.path() / "manifest.json").string() + ":1:12: not valid JSON"), std::string::npos)
      << problems;
}
