// The run report page: static HTML for the text and tables (readable without JavaScript, escaped), the data
// model as one JSON blob, ECharts and the page script inlined. See html_report.hpp.
#include "report/html_report.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "report/html_assets.hpp"
#include "report/html_i18n.hpp"
#include "report/html_util.hpp"
#include "report/result_folder.hpp"

namespace civicgrid::report {
namespace {

using Json = nlohmann::ordered_json;
using i18n::Lang;
using detail::fixed;
using detail::format_duration_s;
using detail::shell_quote;
using detail::format_interval;
using detail::format_value;
using detail::grouped;
using detail::number;
using detail::replace_all;
using detail::string_of;
using detail::unit_suffix;

// ----------------------------------------------------------------------------------------------------- page

class Page : public detail::PageWriter {
 public:
  Page(Lang lang, const Json& data, std::string resolved_yaml)
      : PageWriter(lang, data), resolved_yaml_(std::move(resolved_yaml)) {}

  std::string render() {
    const Json& run = data_["run"];
    const std::string scenario = string_of(run["scenario"]);
    head(scenario + " — " + t("doc.title_suffix"), string_of(run["civicgrid_version"]));
    masthead();
    // The brief: what a meeting needs fits the first two A4 pages (the verdict and the headline KPIs with their
    // CIs against the standards, then the map); everything after is the appendix, from page 3.
    summary();
    grid_map();
    kpi_tables();
    response();
    flow();
    teams();
    method();
    tail(string_of(run["civicgrid_version"]), string_of(run["git_revision"]));
    return std::move(out_);
  }

 private:
  void masthead() {
    const Json& run = data_["run"];
    raw("<header class=\"masthead\">\n<div class=\"kicker\">civicgrid</div>\n<h1>").text(t("doc.heading")).raw("</h1>\n");
    raw("<div class=\"scenario\">").text(t("doc.scenario")).raw(lang_ == Lang::zh ? "：" : ": ");
    text(string_of(run["scenario"])).raw("</div>\n");
    if (!string_of(run["description"]).empty())
      raw("<div class=\"description\">").text(string_of(run["description"])).raw("</div>\n");
    raw("<div class=\"facts\">");
    fact("method.model", string_of(run["model"]));   // the management model compared in the meeting, if named
    fact("doc.replications", string_of(run["replications"]));
    fact("method.seed", string_of(run["seed"]));
    fact("method.warmup", string_of(run["warmup"]));
    fact("doc.started", string_of(run["started_utc"]));
    std::string version = string_of(run["civicgrid_version"]);
    if (!string_of(run["git_revision"]).empty()) version += " (" + string_of(run["git_revision"]) + ")";
    fact("doc.version", version);
    raw("</div>\n</header>\n");
  }

  void summary() {
    const Json& headline = data_["headline"];
    heading("summary", 1, "section.summary", false);
    raw("<p class=\"note\">")
        .text(replace_all(t("summary.intro"), "{n}", string_of(data_["run"]["replications"])))
        .raw("</p>\n");
    int judged = 0, passed = 0, straddling = 0;
    bool any_derived = false;
    for (const Json& card : headline) {
      if (card["pass"].is_boolean()) {
        ++judged;
        passed += card["pass"].get<bool>() ? 1 : 0;
        straddling += card["straddles"].get<bool>() ? 1 : 0;
      }
      any_derived = any_derived || card["derived"].get<bool>();
    }
    if (judged > 0) {
      std::string verdict = replace_all(t("summary.verdict"), "{pass}", std::to_string(passed));
      verdict = replace_all(verdict, "{total}", std::to_string(judged));
      raw("<p class=\"verdict\">").text(verdict);
      if (straddling > 0) raw(" ").text(replace_all(t("summary.uncertain"), "{k}", std::to_string(straddling)));
      raw("</p>\n");
    }
    raw("<div class=\"cards\">\n");
    for (const Json& card : headline) headline_card(card);
    raw("</div>\n");
    if (any_derived) raw("<p class=\"note\">* ").text(t("kpis.note")).raw("</p>\n");
    // When in the week the district falls short: in the brief, because it is what explains a failing target.
    if (data_["hours"]["available"].get<bool>()) week_table();
    raw("<noscript><p class=\"note\">").text(t("doc.noscript")).raw("</p></noscript>\n</section>\n");
  }

  void headline_card(const Json& card) {
    const std::string unit = string_of(card["unit"]);
    const Json& standard = card["standard"];
    const bool judged = card["pass"].is_boolean();
    const bool pass = judged && card["pass"].get<bool>();
    raw("<div class=\"card ").raw(!judged ? "none" : pass ? "pass" : "fail").raw("\" data-kpi=\"");
    text(string_of(card["key"])).raw("\">\n<span class=\"mark\">");
    if (!judged) text(t("card.no_target"));
    else raw(pass ? "✓ " : "✗ ").text(t(pass ? "card.pass" : "card.fail"));
    raw("</span>\n<div class=\"name\">").text(string_of(card["name"])).raw(card["derived"].get<bool>() ? " *" : "");
    raw("</div>\n<div class=\"value\">").text(format_value(number(card["mean"]), unit));
    if (!unit_suffix(lang_, unit).empty()) raw("<span class=\"unit\">").text(unit_suffix(lang_, unit)).raw("</span>");
    raw("</div>\n<div class=\"ci\">").text(t("card.ci")).raw(" ");
    text(format_interval(number(card["mean"]), number(card["ci95_half_width"]), unit)).raw("</div>\n");
    if (std::isfinite(number(standard["value"]))) {
      raw("<div class=\"target\">").text(t("card.target")).raw(" ");
      text(string_of(standard["op"]) == ">=" ? "≥ " : "≤ ").text(format_value(number(standard["value"]), unit));
      if (!unit_suffix(lang_, unit).empty()) raw(" ").text(unit_suffix(lang_, unit));
      if (standard["weighted"].get<bool>()) raw(lang_ == Lang::zh ? "（" : " (").text(t("card.weighted")).raw(lang_ == Lang::zh ? "）" : ")");
      raw("</div>\n");
      if (!string_of(standard["origin"]).empty())
        raw("<div class=\"origin\">").text(t("card.origin")).raw(" ").text(string_of(standard["origin"])).raw("</div>\n");
    }
    if (judged && card["straddles"].get<bool>()) raw("<div class=\"flag\">⚠ ").text(t("card.straddles")).raw("</div>\n");
    raw("</div>\n");
  }

  void kpi_tables() {
    heading("kpis", 3, "section.kpis", true);
    raw("<p class=\"appendix-mark\">").text(t("doc.appendix")).raw("</p>\n");
    raw("<p class=\"note\">").text(t("kpis.note")).raw("</p>\n");
    kpi_table(false);
    bool breakdowns = false;
    for (const Json& kpi : data_["kpis"]) breakdowns = breakdowns || kpi["breakdown"].get<bool>();
    if (breakdowns) {
      raw("<h3>").text(t("kpis.breakdown")).raw("</h3>\n");
      kpi_table(true);
    }
    raw("</section>\n");
  }

  // The KPIs of the whole run, or their breakdowns by incident type and team ("<kpi>@<name>").
  void kpi_table(bool breakdowns) {
    raw("<table class=\"kpis\">\n<thead><tr><th>").text(t("table.kpi")).raw("</th><th class=\"num\">");
    text(t("table.mean")).raw("</th><th class=\"num\">").text(t("table.ci")).raw("</th><th>").text(t("table.unit"));
    raw("</th><th class=\"num\">").text(t("table.n")).raw("</th><th>").text(t("table.description"));
    raw("</th></tr></thead>\n<tbody>\n");
    for (const Json& kpi : data_["kpis"]) {
      if (kpi["breakdown"].get<bool>() != breakdowns) continue;
      const std::string unit = string_of(kpi["unit"]);
      raw("<tr><td>").text(string_of(kpi["name"])).raw(kpi["derived"].get<bool>() ? " *" : "");
      raw("<span class=\"field\">").text(string_of(kpi["key"])).raw("</span></td><td class=\"num\">");
      text(format_value(number(kpi["mean"]), unit)).raw("</td><td class=\"num\">");
      text(format_interval(number(kpi["mean"]), number(kpi["ci95_half_width"]), unit)).raw("</td><td class=\"unit\">");
      text(i18n::unit_name(lang_, unit)).raw("</td><td class=\"num\">").text(string_of(kpi["n"]));
      raw("</td><td class=\"desc\">").text(string_of(kpi["description"])).raw("</td></tr>\n");
    }
    raw("</tbody>\n</table>\n");
  }

  void types_table() {
    raw("<h3>").text(t("section.types")).raw("</h3>\n");
    const Json& types = data_["types"];
    if (!types.is_array()) {
      raw("<p class=\"missing\">").text(t("types.missing")).raw("</p>\n");
      return;
    }
    raw("<p class=\"note\">").text(t("types.note")).raw("</p>\n<table class=\"types\">\n<thead><tr><th>");
    text(t("types.type")).raw("</th>");
    for (const char* key : {"types.target", "types.incidents", "types.within", "types.mean", "types.p90", "types.closed"})
      raw("<th class=\"num\">").text(t(key)).raw("</th>");
    raw("</tr></thead>\n<tbody>\n");
    std::string minutes(" ");
    minutes += i18n::unit_name(lang_, "min");
    for (const Json& row : types) {
      raw("<tr><td>").text(string_of(row["type"])).raw("</td><td class=\"num\">");
      text(format_value(number(row["target_min"]), "min") + minutes).raw("</td><td class=\"num\">");
      text(format_value(number(row["incidents_per_replication"]), "count")).raw("</td><td class=\"num\">");
      text(format_value(number(row["within_target_rate"]), "share")).raw("</td><td class=\"num\">");
      text(format_value(number(row["response_min_mean"]), "min") + minutes).raw("</td><td class=\"num\">");
      text(format_value(number(row["response_min_p90"]), "min") + minutes).raw("</td><td class=\"num\">");
      text(format_value(number(row["closure_rate"]), "share")).raw("</td></tr>\n");
    }
    raw("</tbody>\n</table>\n");
  }

  void chart(const char* id, const std::string& label_key) { PageWriter::chart(id, t(label_key)); }

  void response() {
    heading("response", 4, "section.response", true);
    if (!data_["response"]["available"].get<bool>()) {
      raw("<p class=\"missing\">").text(t("response.missing")).raw("</p>\n");
      hours();
      types_table();
      raw("</section>\n");
      return;
    }
    raw("<p class=\"note\">").text(t("response.note")).raw("</p>\n");
    chart("chart-response", "section.response");
    hours();
    types_table();
    raw("</section>\n");
  }

  void hours() {
    raw("<h3>").text(t("hours.title")).raw("</h3>\n");
    if (!data_["hours"]["available"].get<bool>()) {
      missing(t("hours.missing"));
      return;
    }
    note(t("hours.note"));
    chart("chart-hours", "hours.title");
  }

  // The weekday x hour view of the within-target rate: what shows a district failing at night and at
  // weekends. A plain table, so it prints as it is; cells below the standard are marked.
  void week_table() {
    const Json& week = data_["hours"]["week"];
    if (!week.is_array() || week.size() != 7) return;
    const double standard = number(data_["hours"]["standard"]);
    raw("<h3>").text(t("week.title")).raw("</h3>\n");
    note(t("week.note"));
    raw("<table class=\"week\">\n<thead><tr><th></th>");
    for (int hour = 0; hour < 24; ++hour) raw("<th>").text(std::to_string(hour)).raw("</th>");
    raw("</tr></thead>\n<tbody>\n");
    for (int day = 0; day < 7; ++day) {
      raw("<tr><th>").text(t("week.day" + std::to_string(day))).raw("</th>");
      for (int hour = 0; hour < 24; ++hour) {
        const double rate = number(week[day][hour]);
        const bool below = std::isfinite(rate) && std::isfinite(standard) && rate < standard - 1e-9;
        raw(below ? "<td class=\"below\">" : "<td>").text(std::isfinite(rate) ? std::to_string(static_cast<int>(std::lround(rate * 100))) : "–").raw("</td>");
      }
      raw("</tr>\n");
    }
    raw("</tbody>\n</table>\n");
  }

  // Backlog over time and the flow of escalations between levels.
  void flow() {
    heading("flow", 5, "section.flow", true);
    raw("<h3>").text(t("backlog.title")).raw("</h3>\n");
    if (data_["backlog"]["available"].get<bool>()) {
      note(t("backlog.note"));
      chart("chart-backlog", "backlog.title");
    } else {
      missing(t("backlog.missing"));
    }
    raw("<h3>").text(t("flow.title")).raw("</h3>\n");
    const Json& flow = data_["flow"];
    if (!flow["available"].get<bool>()) {
      missing(t("flow.missing"));
    } else if (!flow["escalated"].get<bool>()) {
      note(t("flow.none"));
    } else {
      note(t("flow.note"));
      chart("chart-flow", "flow.title");
      raw("<table class=\"levels\">\n<thead><tr><th>").text(t("teams.level")).raw("</th><th class=\"num\">");
      text(t("flow.closed")).raw("</th><th class=\"num\">").text(t("flow.escalated")).raw("</th><th class=\"num\">");
      text(t("flow.routed")).raw("</th></tr></thead>\n<tbody>\n");
      for (const Json& level : flow["levels"]) {
        raw("<tr><td>").text(string_of(level["label"])).raw("</td><td class=\"num\">");
        text(format_value(number(level["closed"]), "count")).raw("</td><td class=\"num\">");
        text(format_value(number(level["escalations_from"]), "count")).raw("</td><td class=\"num\">");
        text(format_value(number(level["routed_off_hours_from"]), "count")).raw("</td></tr>\n");
      }
      raw("</tbody>\n</table>\n");
    }
    raw("</section>\n");
  }

  void grid_map() {
    heading("map", 2, "section.map", true);
    const Json& map = data_["map"];
    if (!map["available"].get<bool>()) {
      raw("<p class=\"missing\">").text(t("map.missing")).raw("</p>\n</section>\n");
      return;
    }
    const bool geo = map.contains("geo") && map["geo"].get<bool>();
    raw("<p class=\"note\">").text(t(geo ? "map.note_geo" : "map.note")).raw("</p>\n<div class=\"controls\"><label for=\"map-metric\">");
    text(t("map.select")).raw("</label><select id=\"map-metric\">");
    for (const Json& metric : map["metrics"]) {
      raw("<option value=\"").text(string_of(metric["key"])).raw("\">").text(string_of(metric["name"]));
      raw("</option>");
    }
    raw("</select></div>\n");
    chart("chart-map", "section.map");
    raw("</section>\n");
  }

  void teams() {
    heading("teams", 6, "section.teams", true);
    const Json& teams = data_["teams"];
    if (!teams["available"].get<bool>() || teams["teams"].empty()) {
      raw("<p class=\"missing\">").text(t("teams.missing")).raw("</p>\n</section>\n");
      return;
    }
    raw("<p class=\"note\">").text(t("teams.note")).raw("</p>\n");
    chart("chart-teams", "section.teams");
    raw("<table class=\"teams\">\n<thead><tr><th>").text(t("teams.team")).raw("</th><th>").text(t("teams.level"));
    raw("</th>");
    for (const char* key : {"teams.responders", "teams.util", "teams.min", "teams.max", "teams.served"})
      raw("<th class=\"num\">").text(t(key)).raw("</th>");
    raw("</tr></thead>\n<tbody>\n");
    for (const Json& team : teams["teams"]) {
      raw("<tr><td>").text(string_of(team["team"])).raw("</td><td>").text(string_of(team["level_label"]));
      raw("</td><td class=\"num\">").text(string_of(team["responders"])).raw("</td><td class=\"num\">");
      text(format_value(number(team["utilization"]), "share")).raw("</td><td class=\"num\">");
      text(format_value(number(team["utilization_min"]), "share")).raw("</td><td class=\"num\">");
      text(format_value(number(team["utilization_max"]), "share")).raw("</td><td class=\"num\">");
      text(format_value(number(team["served_per_responder"]), "count")).raw("</td></tr>\n");
    }
    raw("</tbody>\n</table>\n</section>\n");
  }

  void row(const std::string& key, const std::string& value, bool code = false) {
    raw("<tr><th>").text(t(key)).raw("</th><td").raw(code ? " class=\"code\"" : "").raw(">");
    text(value.empty() ? t("method.not_recorded") : value).raw("</td></tr>\n");
  }

  void method() {
    const Json& run = data_["run"];
    heading("method", 7, "section.method", true);
    raw("<p>").text(t("method.intro")).raw("</p>\n<table class=\"kv\">\n<tbody>\n");
    row("method.scenario", string_of(run["scenario"]));
    if (!string_of(run["description"]).empty()) row("method.description", string_of(run["description"]));
    row("method.scenario_file", string_of(run["scenario_path"]), true);
    row("method.model", string_of(run["model"]), true);
    raw("<tr><th>").text(t("method.source_files")).raw("</th><td class=\"code\">");
    if (run["source_files"].empty()) text(t("method.not_recorded"));
    for (std::size_t i = 0; i < run["source_files"].size(); ++i)
      raw(i > 0 ? "<br>" : "").text(string_of(run["source_files"][i]));
    raw("</td></tr>\n");
    row("method.replications", string_of(run["replications"]));
    row("method.seed", string_of(run["seed"]));
    std::string seeds;
    for (std::size_t i = 0; i < run["replication_seeds"].size(); ++i) {
      if (i > 0) seeds += ", ";
      seeds += std::to_string(i);
      seeds += ": ";
      seeds += string_of(run["replication_seeds"][i]);
    }
    row("method.rep_seeds", seeds);
    row("method.horizon", string_of(run["horizon"]));
    row("method.warmup", string_of(run["warmup"]));
    row("method.version", string_of(run["civicgrid_version"]));
    row("method.git", string_of(run["git_revision"]), true);
    row("method.wall", run["wall_time_s"].is_number() ? format_duration_s(lang_, number(run["wall_time_s"])) : "");
    row("method.jobs", string_of(run["jobs"]));
    row("method.started", string_of(run["started_utc"]));
    std::string command;
    for (const Json& argument : run["argv"]) {
      if (!command.empty()) command.push_back(' ');
      command += shell_quote(string_of(argument));
    }
    row("method.command", command, true);
    raw("</tbody>\n</table>\n");

    raw("<h3>").text(t("method.standards")).raw("</h3>\n<p class=\"note\">").text(t("method.standards_note"));
    raw("</p>\n<table class=\"kv\">\n<tbody>\n");
    for (const Json& standard : data_["standards"]) {
      const std::string unit = string_of(standard["unit"]);
      raw("<tr><th>").text(string_of(standard["name"])).raw("</th><td>");
      if (std::isfinite(number(standard["value"]))) {
        text(string_of(standard["op"]) == ">=" ? "≥ " : "≤ ").text(format_value(number(standard["value"]), unit));
        if (!unit_suffix(lang_, unit).empty()) raw(" ").text(unit_suffix(lang_, unit));
        if (standard["weighted"].get<bool>()) raw(lang_ == Lang::zh ? "（" : " (").text(t("card.weighted")).raw(lang_ == Lang::zh ? "）" : ")");
        if (!string_of(standard["origin"]).empty())
          raw(lang_ == Lang::zh ? "（" : " (").text(t("card.origin")).raw(" ").text(string_of(standard["origin"])).raw(lang_ == Lang::zh ? "）" : ")");
      } else {
        text(t("card.no_target"));
      }
      raw("</td></tr>\n");
    }
    raw("</tbody>\n</table>\n");
    raw("<h3>").text(t("method.ci")).raw("</h3>\n<p>").text(t("method.ci_text")).raw("</p>\n");

    raw("<h3>").text(t("method.files")).raw("</h3>\n<ul class=\"files\">\n");
    for (const auto& [name, present] : run["files"].items()) {
      raw("<li><code>").text(name).raw("</code> ");
      if (present.get<bool>()) raw("<span class=\"present\">✓</span>");
      else raw("<span class=\"absent\">✗ ").text(t("method.missing_file")).raw("</span>");
      raw("</li>\n");
    }
    raw("</ul>\n<h3>").text(t("method.resolved")).raw("</h3>\n");
    if (resolved_yaml_.empty()) raw("<p class=\"missing\">").text(t("method.not_recorded")).raw("</p>\n");
    else raw("<pre class=\"yaml\">").text(resolved_yaml_).raw("</pre>\n");
    raw("</section>\n");
  }

  std::string resolved_yaml_;
};

}  // namespace

std::string html_escape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': escaped += "&amp;"; break;
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '"': escaped += "&quot;"; break;
      case '\'': escaped += "&#39;"; break;
      default: escaped.push_back(c);
    }
  }
  return escaped;
}

std::string script_json(const nlohmann::ordered_json& value) {
  const std::string text = value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  std::string escaped;
  escaped.reserve(text.size() + text.size() / 16);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '<') escaped += "\\u003c";
    else if (c == '>') escaped += "\\u003e";
    else if (c == '&') escaped += "\\u0026";
    else if (c == '\xE2' && i + 2 < text.size() && text[i + 1] == '\x80' && (text[i + 2] == '\xA8' || text[i + 2] == '\xA9')) {
      escaped += text[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      escaped.push_back(c);
    }
  }
  return escaped;
}

std::string extract_report_data(std::string_view html) {
  const std::string_view open = "<script type=\"application/json\" id=\"civicgrid-data\">";
  const std::size_t start = html.find(open);
  if (start == std::string_view::npos) return {};
  const std::size_t from = start + open.size();
  const std::size_t end = html.find("</script>", from);
  if (end == std::string_view::npos) return {};
  return std::string(html.substr(from, end - from));
}

std::string render_run_report(const std::filesystem::path& result_dir, const std::string& lang) {
  const Json data = run_report_data(result_dir, lang);
  return Page(i18n::parse_lang(lang), data, detail::read_file(result_dir / "scenario.resolved.yaml")).render();
}

std::filesystem::path write_run_report(const std::filesystem::path& result_dir, const std::string& lang) {
  const std::filesystem::path path = result_dir / "report.html";
  write_text_file(path, render_run_report(result_dir, lang));
  return path;
}

}  // namespace civicgrid::report
