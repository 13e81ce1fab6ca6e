// The HTML reports. The run report (README.md#what-a-run-writes): one self-contained, bilingual HTML file, `report.html` in a result folder, built
// only from the folder's data files, so `civicgrid report DIR` can regenerate it without re-running.
//
//   report::write_run_report(folder, "zh");                      // DIR/report.html, Chinese
//   std::string html = report::render_run_report(folder, "en");  // the same page as a string
//
// The page:
//   - executive summary: up to 6 KPIs (mean, 95% CI) each against its standard, marked as summary.json's verdict
//     judges it (by the mean; flagged where the one-sided bound judges otherwise), with the standard's origin;
//   - KPI table (every KPI of summary.json), response by incident type;
//   - response-time distribution (targets marked), map of the grids coloured by a selectable KPI with community
//     and town boundaries, team utilisation: Apache ECharts charts, SVG renderer;
//   - "how this was obtained": files, resolved parameters (scenario.resolved.yaml shown), seeds, replications,
//     warm-up, version, git revision, wall time (manifest.json).
// Self-contained: ECharts (pinned by package-lock.json, embedded at build time), the style sheet and the page
// script are inlined; a Content-Security-Policy forbids every network request. Every string that comes from the
// result folder is HTML-escaped; the chart data is one JSON blob in
//   <script type="application/json" id="civicgrid-data">...</script>
// with '<', '>' and '&' written as \u003c, \u003e, \u0026 so no scenario string can close the element.
//
// Files read (only summary.json is required; a missing optional file leaves its section with a short note):
//   summary.json, manifest.json, scenario.resolved.yaml (layout, targets, run settings), grids.csv, teams.csv,
//   incidents.csv (response distribution, statistics by type), replications.csv (seeds), layout.geojson (the map of
//   a GeoJSON layout, drawn instead of the rectangular one when present).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace civicgrid::report {

// The report's data model: everything the page shows, as it is embedded in the civicgrid-data element (the
// "data section"). Deterministic: it depends only on the folder's files, the language and the options (numbers
// rounded to 6 significant digits). Throws std::runtime_error if `result_dir` has no readable summary.json, and
// std::invalid_argument for a language other than "zh" or "en".
nlohmann::ordered_json run_report_data(const std::filesystem::path& result_dir, const std::string& lang);

// The whole page. Same exceptions as run_report_data.
std::string render_run_report(const std::filesystem::path& result_dir, const std::string& lang);

// Writes result_dir/report.html atomically (write_text_file) and returns its path.
std::filesystem::path write_run_report(const std::filesystem::path& result_dir, const std::string& lang);

// ---------------------------------------------------------------------------------------------------------------
// Reports of experiment folders, and one entry point for every kind of folder.
//
//   report::write_report(dir, "zh");   // DIR/report.html for a run, sweep, compare or search folder
//
// The kind is told by the files at the top of the folder, first match wins:
//   search.json   search report: the staff-vs-KPI frontier with CIs, the target, feasible points, the recommended
//                 plan and the run counts (search.json as the search writes it; frontier.csv listed)
//   compare.json  compare report: every KPI side by side (mean ± CI per variant, paired difference against the
//                 baseline with its CI and a significance mark), bar charts with error bars for the headline KPIs
//   sweep.csv     sweep report: the selected KPI against each swept parameter (lines with CI bands, parameters
//                 that move in lock-step share a chart), a table of variants, the cheapest feasible variant
//   summary.json  run report (above)
// Variants are judged with the run report's own data model on variants/vNNNN/ (its executive summary's standards
// and pass rule): feasible = every headline KPI with a standard meets it; cheapest = least staff (the `staff` KPI,
// else distinct responders of replication 0 in teams.csv), ties to the lowest variant. Each variant links to
// variants/vNNNN/report.html (relative) when that page exists.
enum class ReportKind { run, sweep, compare, search };

// The kind of folder `dir` is, or nullopt when it has none of the files above.
std::optional<ReportKind> report_kind(const std::filesystem::path& dir);

// The data section of the page for `dir`, whatever its kind ("kind": "run" | "sweep" | "compare" | "search").
// Throws std::runtime_error naming the folder and the files looked for when `dir` is no result folder, or when
// its main file is unreadable; std::invalid_argument for a language other than "zh" or "en".
nlohmann::ordered_json report_data(const std::filesystem::path& dir, const std::string& lang);
nlohmann::ordered_json sweep_report_data(const std::filesystem::path& dir, const std::string& lang);
nlohmann::ordered_json compare_report_data(const std::filesystem::path& dir, const std::string& lang);
nlohmann::ordered_json search_report_data(const std::filesystem::path& dir, const std::string& lang);

// The page for `dir`. Same exceptions as report_data.
std::string render_report(const std::filesystem::path& dir, const std::string& lang);

// Writes dir/report.html atomically (write_text_file) and returns its path. Same exceptions as report_data.
std::filesystem::path write_report(const std::filesystem::path& dir, const std::string& lang);

// Building blocks, public for tests.
// Text for HTML element content and attribute values: & < > " ' escaped.
std::string html_escape(std::string_view text);
// JSON for a <script type="application/json"> element: compact, UTF-8, with < > & U+2028 U+2029 as \u escapes.
std::string script_json(const nlohmann::ordered_json& value);
// The content of the civicgrid-data element of a rendered page (still JSON-escaped); empty if there is none.
std::string extract_report_data(std::string_view html);

}  // namespace civicgrid::report
