// See writers.hpp for the files and their shape.
#include "report/writers.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

#include <nlohmann/json.hpp>

#include "scenario/scenario.hpp"

namespace civicgrid::report {
namespace {

using Json = nlohmann::ordered_json;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

Json number_or_null(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }

double ratio(double numerator, double denominator) { return denominator > 0 ? numerator / denominator : nan; }

std::string hostname() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

// Builds one CSV line field by field.
class Row {
 public:
  explicit Row(std::string& out) : out_(out) {}
  ~Row() { out_.push_back('\n'); }
  Row& text(std::string_view value) {
    separate();
    metrics::append_csv_field(out_, value);
    return *this;
  }
  Row& number(double value) {
    separate();
    metrics::append_csv_number(out_, value);
    return *this;
  }
  Row& integer(std::int64_t value) { return raw(std::to_string(value)); }
  Row& unsigned_integer(std::uint64_t value) { return raw(std::to_string(value)); }

 private:
  void separate() {
    if (!first_) out_.push_back(',');
    first_ = false;
  }
  Row& raw(const std::string& field) {
    separate();
    out_.append(field);
    return *this;
  }
  std::string& out_;
  bool first_ = true;
};

std::string human_number(double value) {
  if (std::isnan(value)) return "-";
  char buffer[32];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, 5);
  return error == std::errc() ? std::string(buffer, end) : std::string("?");
}

// Shortest decimal that reads back as the same double: exact round trip of the scenario's coordinates, and no
// locale (to_chars never consults it).
// Fixed notation reads like the GIS file ("500000", not "5e+05"); general only for the absurd magnitudes fixed would
// not fit.
void append_coordinate(std::string& out, double value) {
  if (!std::isfinite(value)) value = 0;
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  if (result.ec != std::errc()) result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

void append_ring(std::string& out, const std::vector<scenario::GeoPoint>& ring) {
  out.push_back('[');
  for (std::size_t i = 0; i < ring.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.push_back('[');
    append_coordinate(out, ring[i].x_m);
    out.push_back(',');
    append_coordinate(out, ring[i].y_m);
    out.push_back(']');
  }
  out.push_back(']');
}

void append_polygon(std::string& out, const scenario::GeoPolygon& polygon) {
  out.push_back('[');
  append_ring(out, polygon.outer);
  for (const auto& hole : polygon.holes) {
    out.push_back(',');
    append_ring(out, hole);
  }
  out.push_back(']');
}

// A JSON string literal (nlohmann escapes quotes, backslashes and control characters).
std::string json_text(const std::string& text) { return Json(text).dump(); }

}  // namespace

std::string summary_json(const RunInfo& info, const std::vector<metrics::KpiSummary>& summaries) {
  Json json;
  json["civicgrid_version"] = info.tool_version;
  json["scenario"] = info.scenario_name;
  json["replications"] = info.replications;
  json["seed"] = info.seed;
  Json kpis = Json::object();
  for (const metrics::KpiSummary& summary : summaries) {
    Json kpi;
    kpi["mean"] = number_or_null(summary.mean);
    kpi["ci95_half_width"] = number_or_null(summary.ci95_half_width);
    kpi["n"] = summary.n;
    kpi["unit"] = summary.unit;
    Json values = Json::array();
    for (double value : summary.per_replication) values.push_back(number_or_null(value));
    kpi["per_replication"] = std::move(values);
    kpis[summary.name] = std::move(kpi);
  }
  json["kpis"] = std::move(kpis);
  if (!info.verdict.is_null()) json["verdict"] = info.verdict;
  return json.dump(2) + "\n";
}

std::string replications_csv(const std::vector<metrics::ReplicationResult>& results) {
  const std::vector<std::string> names = metrics::kpi_names_of(results);
  std::string out;
  {
    Row header(out);
    header.text("replication").text("seed");
    for (const std::string& name : names) header.text(name);
  }
  for (const metrics::ReplicationResult& result : results) {
    Row row(out);
    row.integer(result.replication).unsigned_integer(result.seed);
    for (const std::string& name : names) {
      const auto found = std::find_if(result.kpis.begin(), result.kpis.end(),
                                      [&](const auto& kpi) { return kpi.first == name; });
      row.number(found == result.kpis.end() ? nan : found->second);
    }
  }
  return out;
}

std::string grids_csv(const std::vector<metrics::ReplicationResult>& results) {
  // The assist columns only for runs with mutual aid, so that other results keep their columns.
  const bool mutual_aid = std::any_of(results.begin(), results.end(), [](const auto& r) { return r.mutual_aid; });
  std::string out =
      "replication,grid,grid_id,community_id,town_id,residents,incidents,responded,within_target,"
      "within_target_rate,response_min_mean,static_coverage_rate,dynamic_coverage_rate,visit_coverage_rate";
  out += mutual_aid ? ",assists_given,assists_received\n" : "\n";
  for (const metrics::ReplicationResult& result : results)
    for (const metrics::GridTally& grid : result.grids) {
      const auto responded = static_cast<double>(grid.responded);
      Row row(out);
      row
          .integer(result.replication)
          .integer(grid.grid)
          .text(grid.grid_id)
          .text(grid.community_id)
          .text(grid.town_id)
          .number(grid.residents)
          .integer(grid.incidents)
          .integer(grid.responded)
          .integer(grid.within_target)
          .number(ratio(static_cast<double>(grid.within_target), responded))
          .number(ratio(grid.response_min_sum, responded))
          .number(grid.static_coverage_rate)
          .number(grid.dynamic_coverage_rate)
          .number(grid.visit_coverage_rate);
      if (mutual_aid) row.integer(grid.assists_given).integer(grid.assists_received);
    }
  return out;
}

std::string grid_summary_csv(const std::vector<metrics::ReplicationResult>& results) {
  std::string out = "grid,grid_id,community_id,town_id";
  for (const std::string& name : metrics::grid_kpi_names()) out += "," + name + "," + name + "_ci95," + name + "_n";
  out += "\n";
  for (const metrics::GridSummary& grid : metrics::summarise_grids(results)) {
    Row row(out);
    row.integer(grid.grid).text(grid.grid_id).text(grid.community_id).text(grid.town_id);
    for (const metrics::KpiSummary& kpi : grid.kpis) row.number(kpi.mean).number(kpi.ci95_half_width).integer(kpi.n);
  }
  return out;
}

std::string teams_csv(const std::vector<metrics::ReplicationResult>& results) {
  std::string out =
      "replication,responder,team,level,unit,incidents_served,travel_min,on_scene_min,return_min,idle_min,"
      "on_duty_min,utilization\n";
  for (const metrics::ReplicationResult& result : results)
    for (const metrics::ResponderTally& responder : result.responders) {
      const double busy_min = responder.travel_min + responder.on_scene_min + responder.return_min;
      Row(out)
          .integer(result.replication)
          .integer(responder.responder)
          .text(responder.team)
          .text(responder.level)
          .text(responder.unit)
          .integer(responder.incidents_served)
          .number(responder.travel_min)
          .number(responder.on_scene_min)
          .number(responder.return_min)
          .number(responder.idle_min)
          .number(responder.on_duty_min)
          .number(ratio(busy_min, responder.on_duty_min));
    }
  return out;
}

std::string manifest_json(const RunInfo& info) {
  Json json;
  json["civicgrid_version"] = info.tool_version;
  json["git_revision"] = info.git_revision;
  json["scenario"] = info.scenario_name;
  json["scenario_path"] = info.scenario_path;
  json["source_files"] = info.source_files;
  json["argv"] = info.argv;
  json["seed"] = info.seed;
  json["replications"] = info.replications;
  json["jobs"] = info.jobs;
  json["started_utc"] = info.started_utc;
  json["wall_time_s"] = number_or_null(info.wall_time_s);
  json["output_dir"] = info.output_dir;
  json["hostname"] = hostname();
  return json.dump(2) + "\n";
}

void write_summary_json(const std::filesystem::path& dir, const RunInfo& info,
                        const std::vector<metrics::KpiSummary>& summaries) {
  write_text_file(dir / "summary.json", summary_json(info, summaries));
}

void write_replications_csv(const std::filesystem::path& dir, const std::vector<metrics::ReplicationResult>& results) {
  write_text_file(dir / "replications.csv", replications_csv(results));
}

void write_grids_csv(const std::filesystem::path& dir, const std::vector<metrics::ReplicationResult>& results) {
  write_text_file(dir / "grids.csv", grids_csv(results));
}

void write_grid_summary_csv(const std::filesystem::path& dir, const std::vector<metrics::ReplicationResult>& results) {
  write_text_file(dir / "grid_summary.csv", grid_summary_csv(results));
}

void write_teams_csv(const std::filesystem::path& dir, const std::vector<metrics::ReplicationResult>& results) {
  write_text_file(dir / "teams.csv", teams_csv(results));
}

void write_manifest_json(const std::filesystem::path& dir, const RunInfo& info) {
  write_text_file(dir / "manifest.json", manifest_json(info));
}

std::string format_kpi_table(const std::vector<metrics::KpiSummary>& summaries) {
  struct Line {
    std::string name, mean, half_width, unit;
  };
  std::vector<Line> lines;
  lines.push_back({"KPI", "mean", "ci95", "unit"});
  for (const metrics::KpiSummary& summary : summaries)
    lines.push_back({summary.name, human_number(summary.mean), human_number(summary.ci95_half_width), summary.unit});
  std::size_t name_width = 0, mean_width = 0, half_width_width = 0;
  for (const Line& line : lines) {
    name_width = std::max(name_width, line.name.size());
    mean_width = std::max(mean_width, line.mean.size());
    half_width_width = std::max(half_width_width, line.half_width.size());
  }
  std::string table;
  for (const Line& line : lines) {
    table.append(line.name).append(name_width - line.name.size() + 2, ' ');
    table.append(mean_width - line.mean.size(), ' ').append(line.mean);
    table.append("  \u00b1 ");   // "±"
    table.append(half_width_width - line.half_width.size(), ' ').append(line.half_width);
    table.append("  ").append(line.unit);
    while (!table.empty() && table.back() == ' ') table.pop_back();
    table.push_back('\n');
  }
  return table;
}

std::string layout_geojson(const scenario::Scenario& scenario) {
  if (!scenario.layout.geo) return {};
  const scenario::GeoLayout& geo = *scenario.layout.geo;
  auto name = [](const std::vector<std::string>& names, int index) {
    return index >= 0 && static_cast<std::size_t>(index) < names.size() ? names[static_cast<std::size_t>(index)]
                                                                         : std::string();
  };
  std::string out = "{\"type\":\"FeatureCollection\",\"features\":[\n";
  for (std::size_t g = 0; g < geo.grids.size(); ++g) {
    const scenario::GeoGrid& grid = geo.grids[g];
    const int town = grid.community >= 0 && static_cast<std::size_t>(grid.community) < geo.community_town.size()
                         ? geo.community_town[static_cast<std::size_t>(grid.community)]
                         : -1;
    out += "{\"type\":\"Feature\",\"properties\":{\"grid\":" + json_text(grid.id) +
           ",\"community\":" + json_text(name(geo.community_ids, grid.community)) +
           ",\"town\":" + json_text(name(geo.town_ids, town)) + ",\"kind\":" +
           json_text(grid.kind == scenario::AreaKind::unspecified ? "" : scenario::to_string(grid.kind)) +
           "},\"geometry\":{\"type\":";
    if (grid.parts.size() == 1) {
      out += "\"Polygon\",\"coordinates\":";
      append_polygon(out, grid.parts.front());
    } else {
      out += "\"MultiPolygon\",\"coordinates\":[";
      for (std::size_t p = 0; p < grid.parts.size(); ++p) {
        if (p > 0) out.push_back(',');
        append_polygon(out, grid.parts[p]);
      }
      out.push_back(']');
    }
    out += g + 1 < geo.grids.size() ? "}},\n" : "}}\n";
  }
  out += "]}\n";
  return out;
}

void write_layout_geojson(const std::filesystem::path& dir, const scenario::Scenario& scenario) {
  if (!scenario.layout.geographic()) return;
  write_text_file(dir / "layout.geojson", layout_geojson(scenario));
}

}  // namespace civicgrid::report
