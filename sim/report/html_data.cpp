// The run report's data model (run_report_data): reads the result folder's files and computes what the page
// shows. Statistics the simulator does not write itself (closure rate when absent, grid and resident coverage,
// per-type figures, the response histogram, per-team utilisation) are derived here from the data files only.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <utility>

#include <yaml-cpp/yaml.h>

#include "metrics/histogram.hpp"
#include "metrics/summary.hpp"
#include "report/html_i18n.hpp"
#include "report/html_report.hpp"
#include "report/html_util.hpp"

namespace civicgrid::report {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
using i18n::Lang;
using detail::CsvReader;
using detail::distance_km;
using detail::duration_min;
using detail::Estimate;
using detail::estimate;
using detail::json_double;
using detail::json_string;
using detail::nan;
using detail::num;
using detail::parse_double;
using detail::read_file;

std::string replace_all_words(const std::string& text, const std::string& from, const std::string& to) {
  return detail::replace_all(text, from, to);
}

// ---------------------------------------------------------------------------------------------- small helpers

// --------------------------------------------------------------------------------------- resolved scenario

std::string scalar(const YAML::Node& node) {
  try {
    if (node && node.IsScalar()) return node.as<std::string>();
  } catch (const YAML::Exception&) {
  }
  return {};
}

struct ScenarioFacts {
  bool loaded = false;
  std::string name, description, model, horizon, warmup;
  int rows = 0, cols = 0;
  double cell_km = nan;
  std::vector<std::pair<std::string, double>> targets_min;   // incident type -> response target
};

// Throws InputError for a file that is not valid UTF-8 or not YAML (the page shows it, so it must be text).
ScenarioFacts read_scenario(const fs::path& path) {
  ScenarioFacts facts;
  if (!fs::exists(path)) return facts;
  const std::string text = detail::read_utf8_file(path);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& error) {
    throw scenario::InputError({{path.string(), error.mark.line + 1, error.mark.column + 1, "", "not valid YAML: " + error.msg,
                                 "this is the scenario as the run resolved it; re-run to write it again"}});
  }
  if (!root.IsMap())
    throw detail::file_error(path, "", "not a scenario (expected a mapping of keys)",
                             "this is the scenario as the run resolved it; re-run to write it again");
  facts.loaded = true;
  facts.name = scalar(root["name"]);
  facts.description = scalar(root["description"]);
  facts.model = scalar(root["model"]);
  // The loader merges the model in and drops `model:` from the resolved scenario, keeping only its header
  // comment "# model merged in: <path>": the model is named by that file's stem (e.g. one-net).
  if (facts.model.empty()) {
    const std::string marker = "# model merged in: ";
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.rfind(marker, 0) == 0) {
        facts.model = fs::path(line.substr(marker.size())).stem().string();
        break;
      }
      if (!line.empty() && line[0] != '#') break;   // past the header
    }
  }
  if (const YAML::Node run = root["run"]; run && run.IsMap()) {
    facts.horizon = scalar(run["horizon"]);
    facts.warmup = scalar(run["warmup"]);
  }
  if (const YAML::Node layout = root["layout"]; layout && layout.IsMap()) {
    facts.rows = static_cast<int>(parse_double(scalar(layout["rows"])));
    facts.cols = static_cast<int>(parse_double(scalar(layout["cols"])));
    facts.cell_km = distance_km(scalar(layout["cell_size"]));
    if (std::isnan(parse_double(scalar(layout["rows"]))) || std::isnan(parse_double(scalar(layout["cols"])))) {
      facts.rows = facts.cols = 0;
    }
  }
  if (const YAML::Node incidents = root["incidents"]; incidents && incidents.IsSequence()) {
    for (const YAML::Node& type : incidents) {
      if (!type.IsMap()) continue;
      std::string name = scalar(type["type"]);
      if (name.empty()) name = scalar(type["name"]);
      facts.targets_min.emplace_back(name, duration_min(scalar(type["target"])));
    }
  }
  return facts;
}

// ----------------------------------------------------------------------------------------------- the model

struct Kpi {
  std::string key, unit;
  Estimate value;
  std::vector<double> per_replication;
  bool derived = false;
};

Kpi kpi_from_summary(const std::string& key, const Json& entry) {
  Kpi kpi;
  kpi.key = key;
  kpi.unit = json_string(entry, "unit");
  kpi.value.mean = json_double(entry.value("mean", Json()));
  kpi.value.half_width = json_double(entry.value("ci95_half_width", Json()));
  kpi.value.n = entry.value("n", Json(0)).is_number() ? entry["n"].get<std::int64_t>() : 0;
  if (const auto values = entry.find("per_replication"); values != entry.end() && values->is_array())
    for (const Json& value : *values) kpi.per_replication.push_back(json_double(value));
  return kpi;
}


Json kpi_json(Lang lang, const Kpi& kpi) {
  Json out;
  out["key"] = kpi.key;
  out["name"] = i18n::kpi_name(lang, kpi.key);
  out["unit"] = kpi.unit;
  out["unit_label"] = i18n::unit_name(lang, kpi.unit);
  out["mean"] = num(kpi.value.mean);
  out["ci95_half_width"] = num(kpi.value.half_width);
  out["n"] = kpi.value.n;
  out["derived"] = kpi.derived;
  out["breakdown"] = i18n::kpi_is_breakdown(kpi.key);
  out["description"] = i18n::kpi_description(lang, kpi.key);
  return out;
}

// A grid's figures as metrics summarised them over the replications (grid_summary.csv): mean, ci95 half-width.
struct GridRow {
  std::string id, community, town;
  std::map<std::string, std::pair<double, double>> kpis;   // metrics::grid_kpi_names() -> (mean, ci95)
};

struct GridsData {
  bool loaded = false;
  std::map<int, GridRow> grids;   // by grid index (= row * cols + col)
};

GridsData read_grids(const fs::path& path) {
  GridsData data;
  CsvReader csv(path);
  if (!csv.ok()) return data;
  // metrics::grid_kpi_names() and their half-widths.
  csv.require({"grid", "grid_id", "community_id", "town_id", "residents", "residents_ci95", "incidents",
               "incidents_ci95", "responded", "responded_ci95", "within_target_rate", "within_target_rate_ci95",
               "response_min_mean", "response_min_mean_ci95", "static_coverage_rate", "static_coverage_rate_ci95",
               "dynamic_coverage_rate", "dynamic_coverage_rate_ci95", "visit_coverage_rate", "visit_coverage_rate_ci95"});
  data.loaded = true;
  const int c_grid = csv.column("grid"), c_id = csv.column("grid_id"), c_community = csv.column("community_id"),
            c_town = csv.column("town_id");
  while (csv.next()) {
    const double grid_number = csv.number(c_grid);
    if (std::isnan(grid_number)) continue;
    GridRow& grid = data.grids[static_cast<int>(grid_number)];
    grid.id = csv.text(c_id);
    grid.community = csv.text(c_community);
    grid.town = csv.text(c_town);
    for (const std::string& name : metrics::grid_kpi_names())
      grid.kpis[name] = {csv.number(csv.column(name)), csv.number(csv.column(name + "_ci95"))};
  }
  return data;
}

// The map's figures of one grid (null where the grid has none): each KPI's mean, and the ci95 half-width as
// <kpi>_ci95 for the tooltip.
void grid_cell_figures(const GridRow* row, Json& cell) {
  for (const std::string& name : metrics::grid_kpi_names()) {
    const auto found = row != nullptr ? row->kpis.find(name) : decltype(row->kpis)::const_iterator();
    const bool known = row != nullptr && found != row->kpis.end();
    cell[name] = known ? num(found->second.first) : Json(nullptr);
    cell[name + "_ci95"] = known ? num(found->second.second) : Json(nullptr);
  }
}

// The response-time distribution by type: responses.csv (metrics' counts in metrics' bins), pooled over the
// replications, per type in the scenario's order. Shares are of the type's responded incidents, the same
// incidents as within_target_rate@<type>.
Json response_distribution(const fs::path& path, const ScenarioFacts& scenario, int replications) {
  Json out;
  out["source"] = "responses.csv";
  CsvReader csv(path);
  if (!csv.ok()) {
    out["available"] = false;
    return out;
  }
  csv.require({"replication", "type", "lower_min", "upper_min", "responded"});
  const auto upper_min = metrics::response_bin_upper_min();
  const std::size_t bins = metrics::response_bin_count();
  std::vector<std::string> order;
  std::map<std::string, std::vector<double>> counts;
  for (const auto& [type, target] : scenario.targets_min)
    if (counts.emplace(type, std::vector<double>(bins, 0)).second) order.push_back(type);
  const int c_type = csv.column("type"), c_lower = csv.column("lower_min"), c_upper = csv.column("upper_min"),
            c_responded = csv.column("responded");
  std::set<int> seen;
  const int c_replication = csv.column("replication");
  while (csv.next()) {
    const double upper = csv.number(c_upper), lower = csv.number(c_lower), responded = csv.number(c_responded);
    const double replication = csv.number(c_replication);
    if (std::isfinite(replication)) seen.insert(static_cast<int>(replication));
    // The bin whose upper edge this is (empty: the open-ended last one); its lower edge must agree.
    const std::size_t bin =
        std::isnan(upper) ? bins - 1
                          : static_cast<std::size_t>(std::find(upper_min.begin(), upper_min.end(), upper) - upper_min.begin());
    const double expected_lower = bin == 0 ? 0.0 : bin - 1 < upper_min.size() ? upper_min[bin - 1] : nan;
    if (bin >= bins || lower != expected_lower) {
      csv.invalid(c_upper, "no response bin runs from " + csv.text(c_lower) + " to " + csv.text(c_upper) + " min",
                  "responses.csv uses the bins of this civicgrid version (docs/outputs.md); re-run the scenario");
      continue;
    }
    if (!(responded >= 0)) continue;   // a non-number was reported by number()
    auto [found, added] = counts.try_emplace(csv.text(c_type), std::vector<double>(bins, 0));
    if (added) order.push_back(csv.text(c_type));
    found->second[bin] += responded;
  }
  const double per = std::max<double>(1, std::max<int>(replications, static_cast<int>(seen.size())));
  Json bin_list = Json::array();
  for (std::size_t bin = 0; bin < bins; ++bin)
    bin_list.push_back({{"lower_min", num(bin == 0 ? 0.0 : upper_min[bin - 1])},
                        {"upper_min", bin < upper_min.size() ? num(upper_min[bin]) : Json()}});
  const auto shares = [&](const std::vector<double>& by_bin, Json& entry) {
    double total = 0;
    for (double count : by_bin) total += count;
    Json share = Json::array(), cumulative = Json::array();
    double running = 0;
    for (double count : by_bin) {
      running += count;
      share.push_back(num(total > 0 ? count / total : nan));
      cumulative.push_back(num(total > 0 ? running / total : nan));
    }
    entry["responded_per_replication"] = num(total / per);
    entry["share"] = std::move(share);
    entry["cumulative"] = std::move(cumulative);
    return total;
  };
  std::map<std::string, double> target_of(scenario.targets_min.begin(), scenario.targets_min.end());
  std::vector<double> all(bins, 0);
  Json series = Json::array();
  for (const std::string& type : order) {
    const std::vector<double>& by_bin = counts[type];
    Json entry;
    entry["type"] = type;
    const auto target = target_of.find(type);
    entry["target_min"] = num(target == target_of.end() ? nan : target->second);
    if (shares(by_bin, entry) <= 0) continue;
    for (std::size_t bin = 0; bin < bins; ++bin) all[bin] += by_bin[bin];
    series.push_back(std::move(entry));
  }
  Json pooled;
  const double responded = shares(all, pooled);
  out["available"] = responded > 0;
  out["bins"] = std::move(bin_list);
  out["series"] = std::move(series);
  out["all"] = std::move(pooled);
  return out;
}

// The table by type: summary.json's per-type breakdowns (metrics), so every figure is the KPI list's estimator
// (the mean over replications) with the headline's denominators; only the target comes from the scenario.
Json types_table(const std::vector<Kpi>& kpis, const ScenarioFacts& scenario) {
  const auto mean_of = [&](const std::string& key) {
    for (const Kpi& kpi : kpis)
      if (kpi.key == key) return kpi.value.mean;
    return nan;
  };
  Json rows = Json::array();
  for (const auto& [type, target_min] : scenario.targets_min) {
    if (std::isnan(mean_of("incidents@" + type)) && std::isnan(mean_of("within_target_rate@" + type))) continue;
    Json row;
    row["type"] = type;
    row["target_min"] = num(target_min);
    row["incidents_per_replication"] = num(mean_of("incidents@" + type));
    row["responded_per_replication"] = num(mean_of("responded@" + type));
    row["within_target_rate"] = num(mean_of("within_target_rate@" + type));
    row["response_min_mean"] = num(mean_of("response_min_mean@" + type));
    row["response_min_p90"] = num(mean_of("response_min_p90@" + type));
    row["closure_rate"] = num(mean_of("closure_rate@" + type));
    rows.push_back(std::move(row));
  }
  return rows;
}

// Within-target rate by hour of day of t_known, pooled over replications like the table by type: the same
// incidents as within_target_rate (responded ones; never responded ones have no response to judge).
Json hour_of_day(const fs::path& result_dir, double standard) {
  // hours.csv (metrics' tallies by weekday and hour of becoming known), pooled over the replications.
  std::array<double, 7 * 24> responded{}, within{};
  bool loaded = false;
  if (CsvReader csv(result_dir / "hours.csv"); csv.ok()) {
    csv.require({"replication", "weekday", "hour", "responded", "within_target"});
    const int c_day = csv.column("weekday"), c_hour = csv.column("hour"), c_responded = csv.column("responded"),
              c_within = csv.column("within_target");
    while (csv.next()) {
      const double day = csv.number(c_day), hour = csv.number(c_hour);
      if (!(day >= 0 && day < 7 && hour >= 0 && hour < 24)) continue;
      const auto k = static_cast<std::size_t>(day) * 24 + static_cast<std::size_t>(hour);
      const double n = csv.number(c_responded), w = csv.number(c_within);
      if (!std::isnan(n)) responded[k] += n;
      if (!std::isnan(w)) within[k] += w;
      loaded = true;
    }
  }
  Json out;
  double total = 0;
  for (double count : responded) total += count;
  out["available"] = loaded && total > 0;
  out["standard"] = num(standard);
  if (!out["available"].get<bool>()) return out;
  Json rates = Json::array(), counts = Json::array(), week = Json::array();
  for (std::size_t hour = 0; hour < 24; ++hour) {
    double n = 0, w = 0;
    for (std::size_t day = 0; day < 7; ++day) {
      n += responded[day * 24 + hour];
      w += within[day * 24 + hour];
    }
    rates.push_back(num(n > 0 ? w / n : nan));
    counts.push_back(static_cast<std::int64_t>(n));
  }
  for (std::size_t day = 0; day < 7; ++day) {
    Json row = Json::array();
    for (std::size_t hour = 0; hour < 24; ++hour) {
      const double n = responded[day * 24 + hour];
      row.push_back(num(n > 0 ? within[day * 24 + hour] / n : nan));
    }
    week.push_back(std::move(row));
  }
  out["within_target_rate"] = std::move(rates);
  out["responded"] = std::move(counts);
  out["week"] = std::move(week);   // [weekday 0 = Monday][hour]: the within-target rate, null where none responded
  return out;
}

// The backlog curve: backlog.csv, metrics' count of cases known and not yet closed at each sample time
// (whenever they occurred, so what the warm-up left behind is included), averaged over replications.
Json backlog(const fs::path& result_dir) {
  Json out;
  std::map<double, std::pair<double, int>> by_time;   // t_h -> (sum of open, replications sampled)
  std::set<int> replications;
  if (CsvReader csv(result_dir / "backlog.csv"); csv.ok()) {
    csv.require({"replication", "t_h", "open_known"});
    const int c_rep = csv.column("replication"), c_t = csv.column("t_h"), c_open = csv.column("open_known");
    while (csv.next()) {
      const double replication = csv.number(c_rep), t_h = csv.number(c_t), open = csv.number(c_open);
      if (std::isnan(replication) || std::isnan(t_h) || std::isnan(open)) continue;
      auto& entry = by_time[t_h];
      entry.first += open;
      entry.second += 1;
      replications.insert(static_cast<int>(replication));
    }
  }
  out["available"] = !by_time.empty();
  if (by_time.empty()) return out;
  Json times = Json::array(), values = Json::array();
  double peak = 0;
  for (const auto& [t_h, entry] : by_time) {
    const double mean = entry.first / entry.second;
    times.push_back(num(t_h));
    values.push_back(num(mean));
    peak = std::max(peak, mean);
  }
  out["step_h"] = by_time.size() > 1 ? num(std::next(by_time.begin())->first - by_time.begin()->first) : Json();
  out["time_h"] = std::move(times);
  out["open"] = std::move(values);
  out["peak"] = num(peak);
  out["replications"] = static_cast<int>(replications.size());
  return out;
}

// Position in grid -> community -> town -> city; 4 for anything else.
int level_rank(const std::string& level) {
  static const char* const order[] = {"grid", "community", "town", "city"};
  for (int i = 0; i < 4; ++i)
    if (level == order[i]) return i;
  return 4;
}

// Closures and escalations per level, per replication, from levels.csv (metrics' own count). An escalation goes
// to the next level above that has staff (docs/scenario.md: one tier per staffed level), which is how the flow's
// links are drawn.
Json escalation_flow(Lang lang, const fs::path& result_dir, int replications) {
  static const char* const order[] = {"grid", "community", "town", "city"};
  std::map<std::string, double> closed, escalated, routed, responders;
  std::string source;
  int count = replications;
  if (CsvReader csv(result_dir / "levels.csv"); csv.ok() && csv.column("escalations_from") >= 0) {
    source = "levels.csv";
    csv.require({"replication", "level"});
    const int c_rep = csv.column("replication"), c_level = csv.column("level"), c_closed = csv.column("closed"),
              c_escalations = csv.column("escalations_from"), c_responders = csv.column("responders"),
              c_routed = csv.column("routed_off_hours_from");
    std::set<int> seen;
    while (csv.next()) {
      const std::string& level = csv.text(c_level);
      auto add = [&](std::map<std::string, double>& to, int column) {
        const double value = csv.number(column);
        if (std::isfinite(value)) to[level] += value;
      };
      add(closed, c_closed);
      add(escalated, c_escalations);
      if (c_routed >= 0) add(routed, c_routed);
      add(responders, c_responders);
      const double replication = csv.number(c_rep);
      if (std::isfinite(replication)) seen.insert(static_cast<int>(replication));
    }
    count = std::max<int>(count, static_cast<int>(seen.size()));
  }
  Json out;
  out["available"] = !source.empty() && count > 0;
  out["source"] = source;
  if (!out["available"].get<bool>()) return out;

  // Staffed levels in order; without staff figures, every level.
  std::vector<std::string> chain;
  for (const char* level : order)
    if (responders.empty() || responders[level] > 0) chain.push_back(level);
  double total_escalations = 0, total_routed = 0;
  for (const auto& [level, value] : escalated) total_escalations += value;
  for (const auto& [level, value] : routed) total_routed += value;
  // The chart draws every move up; escalations (提级) and off-hours routing are told apart in its levels.
  out["escalated"] = total_escalations + total_routed > 0;
  out["escalations_per_replication"] = num(total_escalations / count);

  auto closed_name = [&](const std::string& level) {
    return replace_all_words(i18n::text(lang, "flow.closed_at"), "{level}", i18n::level_name(lang, level));
  };
  Json levels = Json::array(), nodes = Json::array(), links = Json::array();
  for (const char* level : order) {
    const double c = closed[level] / count, escalations = escalated[level] / count, r = routed[level] / count;
    const double e = escalations + r;   // every move up from the level: the link to the next one
    levels.push_back({{"level", level},
                      {"label", i18n::level_name(lang, level)},
                      {"closed", num(c)},
                      {"escalations_from", num(escalations)},
                      {"routed_off_hours_from", num(r)}});
    if (c <= 0 && e <= 0 && std::find(chain.begin(), chain.end(), level) == chain.end()) continue;
    if (c > 0) links.push_back({{"source", i18n::level_name(lang, level)}, {"target", closed_name(level)}, {"value", num(c)}});
    if (e > 0) {
      // The next staffed level above; the next level at all when none is staffed above.
      std::string next;
      for (const std::string& above : chain)
        if (level_rank(above) > level_rank(level)) {
          next = above;
          break;
        }
      if (next.empty() && level_rank(level) + 1 < 4) next = order[level_rank(level) + 1];
      if (!next.empty())
        links.push_back({{"source", i18n::level_name(lang, level)}, {"target", i18n::level_name(lang, next)},
                         {"value", num(e)}, {"escalated", num(escalations)}, {"routed_off_hours", num(r)}});
    }
  }
  // Nodes: the levels any link touches, then their "closed at" sinks, in hierarchy order.
  std::set<std::string> used;
  for (const Json& link : links) {
    used.insert(link["source"].get<std::string>());
    used.insert(link["target"].get<std::string>());
  }
  for (const char* level : order)
    if (used.count(i18n::level_name(lang, level))) nodes.push_back({{"name", i18n::level_name(lang, level)}, {"kind", "level"}, {"level", level}});
  for (const char* level : order)
    if (used.count(closed_name(level))) nodes.push_back({{"name", closed_name(level)}, {"kind", "closed"}, {"level", level}});
  out["levels"] = std::move(levels);
  out["nodes"] = std::move(nodes);
  out["links"] = std::move(links);
  out["replications"] = count;
  return out;
}

// Boundary segments between grids of different communities (or towns), merged along each grid line, in km.
// Towns outrank communities; the outline of the city counts as a town boundary.
void boundaries(const std::vector<const GridRow*>& cells, int rows, int cols, double cell, Json& community_lines,
                Json& town_lines) {
  auto at = [&](int row, int col) -> const GridRow* {
    if (row < 0 || col < 0 || row >= rows || col >= cols) return nullptr;
    return cells[static_cast<std::size_t>(row * cols + col)];
  };
  // 0 none, 1 community, 2 town, between two cells (either may be outside the city).
  auto kind = [](const GridRow* a, const GridRow* b) {
    if (a == nullptr && b == nullptr) return 0;
    if (a == nullptr || b == nullptr) return 2;
    if (a->town != b->town) return 2;
    if (a->community != b->community) return 1;
    return 0;
  };
  auto emit = [&](int type, double x1, double y1, double x2, double y2) {
    Json segment = {num(x1 * cell), num(y1 * cell), num(x2 * cell), num(y2 * cell)};
    (type == 2 ? town_lines : community_lines).push_back(std::move(segment));
  };
  // Vertical lines x = col, running over rows.
  for (int col = 0; col <= cols; ++col) {
    int start = 0, current = 0;
    for (int row = 0; row <= rows; ++row) {
      const int type = row < rows ? kind(at(row, col - 1), at(row, col)) : -1;
      if (type != current) {
        if (current > 0) emit(current, col, start, col, row);
        current = type;
        start = row;
      }
    }
  }
  // Horizontal lines y = row, running over columns.
  for (int row = 0; row <= rows; ++row) {
    int start = 0, current = 0;
    for (int col = 0; col <= cols; ++col) {
      const int type = col < cols ? kind(at(row - 1, col), at(row, col)) : -1;
      if (type != current) {
        if (current > 0) emit(current, start, row, col, row);
        current = type;
        start = col;
      }
    }
  }
}

// The KPIs a map can be coloured by (rectangular and geographic maps alike).
Json map_metrics(Lang lang) {
  Json metrics = Json::array();
  auto metric = [&](const char* key, const std::string& unit, bool higher_is_better) {
    metrics.push_back({{"key", key},
                       {"name", i18n::text(lang, std::string("map.metric.") + key)},
                       {"unit", unit},
                       {"unit_label", i18n::unit_name(lang, unit)},
                       {"higher_is_better", higher_is_better}});
  };
  metric("within_target_rate", "share", true);
  metric("response_min_mean", "min", false);
  metric("static_coverage_rate", "share", true);    // the coverage layers: residents within reach of a base
  metric("dynamic_coverage_rate", "share", true);   // ... of an idle, on-duty member
  metric("visit_coverage_rate", "share", true);     // 入户覆盖率: households visited in the window
  metric("incidents", "count", false);
  metric("residents", "residents", true);
  return metrics;
}

Json grid_map(Lang lang, const ScenarioFacts& scenario, const GridsData& grids, double standard) {
  Json out;
  const int rows = scenario.rows, cols = scenario.cols;
  const bool available = grids.loaded && rows > 0 && cols > 0 && std::isfinite(scenario.cell_km) &&
                         scenario.cell_km > 0 && !grids.grids.empty() &&
                         grids.grids.rbegin()->first < rows * cols && grids.grids.begin()->first >= 0;
  out["available"] = available;
  if (!available) return out;
  out["rows"] = rows;
  out["cols"] = cols;
  out["cell_km"] = num(scenario.cell_km);
  out["standard"] = num(standard);
  out["metrics"] = map_metrics(lang);
  std::vector<const GridRow*> cells(static_cast<std::size_t>(rows * cols), nullptr);
  Json list = Json::array();
  for (const auto& [index, grid] : grids.grids) {
    cells[static_cast<std::size_t>(index)] = &grid;
    Json cell;
    cell["grid"] = index;
    cell["id"] = grid.id;
    cell["community"] = grid.community;
    cell["town"] = grid.town;
    cell["row"] = index / cols;
    cell["col"] = index % cols;
    grid_cell_figures(&grid, cell);
    list.push_back(std::move(cell));
  }
  out["grids"] = std::move(list);
  Json community_lines = Json::array(), town_lines = Json::array();
  boundaries(cells, rows, cols, scenario.cell_km, community_lines, town_lines);
  out["community_lines"] = std::move(community_lines);
  out["town_lines"] = std::move(town_lines);
  return out;
}

// ------------------------------------------------------------------------------------------ geographic map

// The map of a GeoJSON layout, from the folder's layout.geojson (written by the run from the resolved scenario):
// the grids' polygons go to the page as a FeatureCollection for echarts.registerMap, with coordinates shifted to
// the layout's south-west corner and rounded to 0.1 m (small numbers, and vertices that grids share stay equal),
// plus community and town outlines as polylines. Outlines are the edges that two grids of the same community
// (town) do not share; that needs grids that share vertices along common borders, as a topologically clean GIS
// layer has (the scenario loader does not insist, so a sloppy layer shows some inner edges as boundaries).
using Point = std::pair<double, double>;

struct GeoFeature {
  std::string grid, community, town, kind;
  std::vector<std::vector<std::vector<Point>>> parts;   // polygon -> rings (outer first) -> points
};

std::vector<Point> ring_points(const Json& ring) {
  std::vector<Point> points;
  if (!ring.is_array()) return points;
  for (const Json& point : ring) {
    if (!point.is_array() || point.size() < 2 || !point[0].is_number() || !point[1].is_number()) continue;
    const double x = point[0].get<double>(), y = point[1].get<double>();
    if (std::isfinite(x) && std::isfinite(y)) points.emplace_back(x, y);
  }
  return points;
}

std::vector<GeoFeature> read_geo_features(const fs::path& path) {
  std::vector<GeoFeature> features;
  const Json collection = detail::read_json(path);
  if (!collection.is_object() || !collection.contains("features") || !collection["features"].is_array())
    return features;
  for (const Json& feature : collection["features"]) {
    if (!feature.is_object() || !feature.contains("geometry") || !feature["geometry"].is_object()) continue;
    const Json& geometry = feature["geometry"];
    const std::string type = json_string(geometry, "type");
    if (!geometry.contains("coordinates") || !geometry["coordinates"].is_array()) continue;
    std::vector<const Json*> polygons;
    if (type == "Polygon") polygons.push_back(&geometry["coordinates"]);
    if (type == "MultiPolygon")
      for (const Json& polygon : geometry["coordinates"]) polygons.push_back(&polygon);
    GeoFeature out;
    const Json properties = feature.contains("properties") ? feature["properties"] : Json();
    out.grid = json_string(properties, "grid");
    out.community = json_string(properties, "community");
    out.town = json_string(properties, "town");
    out.kind = json_string(properties, "kind");
    for (const Json* polygon : polygons) {
      if (!polygon->is_array()) continue;
      std::vector<std::vector<Point>> rings;
      for (const Json& ring : *polygon)
        if (auto points = ring_points(ring); points.size() >= 3) rings.push_back(std::move(points));
      if (!rings.empty()) out.parts.push_back(std::move(rings));
    }
    if (!out.parts.empty()) features.push_back(std::move(out));
  }
  return features;
}

// Joins segments that meet end to end into polylines (fewer SVG paths); deterministic for the same segments.
Json polylines(const std::vector<std::pair<Point, Point>>& segments) {
  std::multimap<Point, std::size_t> at;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    at.emplace(segments[i].first, i);
    at.emplace(segments[i].second, i);
  }
  std::vector<bool> used(segments.size(), false);
  auto take = [&](const Point& from) -> std::optional<Point> {
    for (auto [it, end] = at.equal_range(from); it != end; ++it) {
      if (used[it->second]) continue;
      used[it->second] = true;
      const auto& segment = segments[it->second];
      return segment.first == from ? segment.second : segment.first;
    }
    return std::nullopt;
  };
  Json lines = Json::array();
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (used[i]) continue;
    used[i] = true;
    std::vector<Point> line = {segments[i].first, segments[i].second};
    while (auto next = take(line.back())) line.push_back(*next);
    std::vector<Point> before;
    while (auto next = take(before.empty() ? line.front() : before.back())) before.push_back(*next);
    line.insert(line.begin(), before.rbegin(), before.rend());
    Json points = Json::array();
    for (const Point& point : line) points.push_back({point.first, point.second});
    lines.push_back(std::move(points));
  }
  return lines;
}

Json geo_map(Lang lang, const std::vector<GeoFeature>& features, const GridsData& grids, double standard,
             Json metrics) {
  Json out;
  out["available"] = grids.loaded && !features.empty();
  if (!out["available"].get<bool>()) return out;
  out["geo"] = true;
  double x0 = std::numeric_limits<double>::infinity(), y0 = x0, x1 = -x0, y1 = -x0;
  for (const GeoFeature& feature : features)
    for (const auto& part : feature.parts)
      for (const auto& ring : part)
        for (const auto& [x, y] : ring) {
          x0 = std::min(x0, x), x1 = std::max(x1, x);
          y0 = std::min(y0, y), y1 = std::max(y1, y);
        }
  auto shift = [&](const Point& p) -> Point {
    return {std::round((p.first - x0) * 10) / 10, std::round((p.second - y0) * 10) / 10};
  };
  out["origin_m"] = {x0, y0};
  out["extent_m"] = {std::round((x1 - x0) * 10) / 10, std::round((y1 - y0) * 10) / 10};
  out["standard"] = num(standard);
  out["metrics"] = std::move(metrics);

  std::map<std::string, const GridRow*> by_id;
  for (const auto& [index, grid] : grids.grids) by_id.emplace(grid.id, &grid);
  Json list = Json::array(), shapes = Json::array();
  // Every edge with the grids that have it (normally one or two).
  std::map<std::pair<Point, Point>, std::vector<std::size_t>> edges;
  for (std::size_t f = 0; f < features.size(); ++f) {
    const GeoFeature& feature = features[f];
    Json cell;
    cell["grid"] = f;
    cell["id"] = feature.grid;
    cell["community"] = feature.community;
    cell["town"] = feature.town;
    cell["kind"] = feature.kind;
    cell["kind_label"] = feature.kind == "urban" || feature.kind == "rural"
                             ? i18n::text(lang, "map.kind." + feature.kind)
                             : feature.kind;
    const auto found = by_id.find(feature.grid);
    const GridRow* row = found == by_id.end() ? nullptr : found->second;
    grid_cell_figures(row, cell);
    list.push_back(std::move(cell));

    Json polygons = Json::array();
    for (const auto& part : feature.parts) {
      Json rings = Json::array();
      for (const auto& ring : part) {
        Json points = Json::array();
        for (std::size_t i = 0; i < ring.size(); ++i) {
          const Point a = shift(ring[i]);
          points.push_back({a.first, a.second});
          const Point b = shift(ring[(i + 1) % ring.size()]);   // closes an unclosed ring too
          if (a != b) edges[std::minmax(a, b)].push_back(f);
        }
        rings.push_back(std::move(points));
      }
      polygons.push_back(std::move(rings));
    }
    // The grid index as the region name: ids are free text and need not be unique across a sloppy file.
    shapes.push_back({{"type", "Feature"},
                      {"properties", {{"name", std::to_string(f)}}},
                      {"geometry", {{"type", "MultiPolygon"}, {"coordinates", std::move(polygons)}}}});
  }
  out["grids"] = std::move(list);
  out["features"] = {{"type", "FeatureCollection"}, {"features", std::move(shapes)}};

  // Towns outrank communities; an edge of one grid only is the outline of the city, a town boundary too.
  std::vector<std::pair<Point, Point>> community_segments, town_segments;
  for (const auto& [edge, owners] : edges) {
    std::set<std::string> towns, communities;
    for (const std::size_t f : owners) {
      towns.insert(features[f].town);
      communities.insert(features[f].town + '\n' + features[f].community);
    }
    if (owners.size() < 2 || towns.size() > 1)
      town_segments.push_back(edge);
    else if (communities.size() > 1)
      community_segments.push_back(edge);
  }
  out["community_lines"] = polylines(community_segments);
  out["town_lines"] = polylines(town_segments);
  return out;
}

Json team_utilisation(Lang lang, const fs::path& path, int replications, double ceiling) {
  Json out;
  CsvReader csv(path);
  out["available"] = csv.ok();
  out["ceiling"] = num(ceiling);
  if (!csv.ok()) return out;
  csv.require({"replication", "responder", "team", "level", "unit", "incidents_served", "travel_min", "on_scene_min",
               "return_min", "on_duty_min"});
  const int c_responder = csv.column("responder"), c_team = csv.column("team"), c_level = csv.column("level"),
            c_unit = csv.column("unit"), c_served = csv.column("incidents_served"), c_travel = csv.column("travel_min"),
            c_scene = csv.column("on_scene_min"), c_return = csv.column("return_min"),
            c_duty = csv.column("on_duty_min");
  struct Responder {
    std::string unit;
    double busy = 0, duty = 0;
  };
  struct Team {
    std::string name, level;
    double busy = 0, duty = 0, served = 0;
    std::map<long, Responder> responders;
  };
  std::vector<Team> teams;
  while (csv.next()) {
    const std::string& name = csv.text(c_team);
    auto team = std::find_if(teams.begin(), teams.end(), [&](const Team& t) { return t.name == name; });
    if (team == teams.end()) {
      teams.push_back({name, csv.text(c_level), 0, 0, 0, {}});
      team = teams.end() - 1;
    }
    auto value = [&](int column) {
      const double parsed = csv.number(column);
      return std::isnan(parsed) ? 0.0 : parsed;
    };
    const double busy = value(c_travel) + value(c_scene) + value(c_return);
    const double duty = value(c_duty);
    team->busy += busy;
    team->duty += duty;
    team->served += value(c_served);
    Responder& responder = team->responders[static_cast<long>(value(c_responder))];
    responder.unit = csv.text(c_unit);
    responder.busy += busy;
    responder.duty += duty;
  }
  Json list = Json::array();
  for (const Team& team : teams) {
    Json entry;
    entry["team"] = team.name;
    entry["level"] = team.level;
    entry["level_label"] = i18n::level_name(lang, team.level);
    entry["responders"] = team.responders.size();
    entry["utilization"] = num(team.duty > 0 ? team.busy / team.duty : nan);
    Json values = Json::array();
    double low = nan, high = nan;
    for (const auto& [id, responder] : team.responders) {
      const double utilisation = responder.duty > 0 ? responder.busy / responder.duty : nan;
      values.push_back(num(utilisation));
      if (std::isnan(utilisation)) continue;
      low = std::isnan(low) ? utilisation : std::min(low, utilisation);
      high = std::isnan(high) ? utilisation : std::max(high, utilisation);
    }
    entry["utilization_min"] = num(low);
    entry["utilization_max"] = num(high);
    const double per = static_cast<double>(team.responders.size()) * std::max(1, replications);
    entry["served_per_responder"] = num(per > 0 ? team.served / per : nan);
    entry["responder_utilization"] = std::move(values);
    list.push_back(std::move(entry));
  }
  out["teams"] = std::move(list);
  return out;
}

}  // namespace

Json run_report_data(const fs::path& result_dir, const std::string& lang_code) {
  const Lang lang = i18n::parse_lang(lang_code);
  // Every file is read before anything is judged, so a broken folder is reported in one go (InputError).
  detail::Problems problems;
  const fs::path summary_path = result_dir / "summary.json";
  Json summary = Json::object();
  problems.collect([&] {
    summary = detail::read_required_json(summary_path);
    if (!summary.is_object() || !summary.contains("kpis") || !summary["kpis"].is_object())
      throw detail::file_error(summary_path, "kpis", "no \"kpis\" object",
                               "is " + result_dir.string() + " a civicgrid result folder?");
    detail::check_summary(summary_path, summary);
  });
  if (!summary.is_object() || !summary.contains("kpis") || !summary["kpis"].is_object())
    summary = {{"kpis", Json::object()}};
  Json manifest = Json::object();
  problems.collect([&] {
    manifest = detail::read_json(result_dir / "manifest.json");
    if (!manifest.is_null() && !manifest.is_object())
      throw detail::file_error(result_dir / "manifest.json", "", "expected a JSON object", "re-run to write it again");
  });
  if (!manifest.is_object()) manifest = Json::object();
  ScenarioFacts scenario;
  problems.collect([&] { scenario = read_scenario(result_dir / "scenario.resolved.yaml"); });
  // The standards and their verdict are what metrics wrote into summary.json (metrics/standards.hpp): the report
  // judges nothing itself. A folder written before verdicts existed shows its KPIs unjudged.
  const Json verdict = summary.contains("verdict") && summary["verdict"].is_object() ? summary["verdict"] : Json();
  double standard = nan;         // the within-target bar of the map and the hours chart
  double utilisation_ceiling = nan;
  if (verdict.is_object() && verdict.contains("standards") && verdict["standards"].is_array())
    for (const Json& item : verdict["standards"]) {
      if (!item.is_object() || !item.contains("value") || !item["value"].is_number()) continue;
      const std::string kpi = json_string(item, "kpi"), bound = json_string(item, "bound");
      if (kpi == "within_target_rate" && bound == "at_least") standard = item["value"].get<double>();
      if (kpi == "utilization" && bound == "at_most") utilisation_ceiling = item["value"].get<double>();
    }
  const auto integer_member = [](const Json& object, const char* key) -> std::optional<int> {
    const auto found = object.find(key);
    if (found == object.end() || !found->is_number_integer()) return std::nullopt;
    return found->get<int>();
  };
  const int replications =
      integer_member(summary, "replications").value_or(integer_member(manifest, "replications").value_or(0));
  GridsData grids;
  problems.collect([&] { grids = read_grids(result_dir / "grid_summary.csv"); });
  Json response;
  problems.collect([&] { response = response_distribution(result_dir / "responses.csv", scenario, replications); });
  Json map, teams, flow;
  problems.collect([&] {
    if (const fs::path layout = result_dir / "layout.geojson"; fs::exists(layout))
      map = geo_map(lang, read_geo_features(layout), grids, standard, map_metrics(lang));
    else
      map = grid_map(lang, scenario, grids, standard);
  });
  problems.collect(
      [&] { teams = team_utilisation(lang, result_dir / "teams.csv", replications, utilisation_ceiling); });
  problems.collect([&] { flow = escalation_flow(lang, result_dir, replications); });
  std::vector<std::string> seeds;
  problems.collect([&] {
    CsvReader csv(result_dir / "replications.csv");
    if (!csv.ok()) return;
    csv.require({"replication", "seed"});
    const int c_seed = csv.column("seed");
    while (csv.next()) {
      for (int column = 0; column < static_cast<int>(csv.header().size()); ++column) csv.number(column);
      if (!csv.text(c_seed).empty()) seeds.push_back(csv.text(c_seed));
    }
  });
  problems.throw_if_any();

  // KPIs: summary.json's, then the derived ones.
  std::vector<Kpi> kpis;
  for (const auto& [key, entry] : summary["kpis"].items()) kpis.push_back(kpi_from_summary(key, entry));
  auto find = [&](const std::string& key) -> const Kpi* {
    for (const Kpi& kpi : kpis)
      if (kpi.key == key) return &kpi;
    return nullptr;
  };
  Json data;
  data["schema"] = 1;
  data["kind"] = "run";
  data["lang"] = i18n::lang_code(lang);
  Json text = Json::object();
  for (const auto& [key, words] : i18n::texts_with_prefix(lang, "js.")) text[key.substr(3)] = words;
  data["text"] = std::move(text);

  // What was run, and how.
  Json run;
  run["scenario"] = summary.contains("scenario") ? json_string(summary, "scenario") : scenario.name;
  run["description"] = scenario.description;
  run["civicgrid_version"] = !json_string(summary, "civicgrid_version").empty()
                                 ? json_string(summary, "civicgrid_version")
                                 : json_string(manifest, "civicgrid_version");
  run["git_revision"] = json_string(manifest, "git_revision");
  run["replications"] = replications;
  run["seed"] = summary.contains("seed") ? json_string(summary, "seed") : json_string(manifest, "seed");
  run["replication_seeds"] = seeds;
  run["horizon"] = scenario.horizon;
  run["warmup"] = scenario.warmup;
  run["model"] = scenario.model;
  run["scenario_path"] = json_string(manifest, "scenario_path");
  run["source_files"] = manifest.contains("source_files") && manifest["source_files"].is_array()
                            ? manifest["source_files"]
                            : Json::array();
  run["argv"] = manifest.contains("argv") && manifest["argv"].is_array() ? manifest["argv"] : Json::array();
  run["jobs"] = manifest.contains("jobs") ? manifest["jobs"] : Json(nullptr);
  run["started_utc"] = json_string(manifest, "started_utc");
  run["wall_time_s"] = manifest.contains("wall_time_s") ? num(json_double(manifest["wall_time_s"])) : Json(nullptr);
  Json files = Json::object();
  for (const char* name : {"summary.json", "manifest.json", "scenario.resolved.yaml", "replications.csv", "grids.csv", "grid_summary.csv",
                           "teams.csv", "levels.csv", "hours.csv", "backlog.csv", "responses.csv", "incidents.csv"})
    files[name] = fs::exists(result_dir / name);
  // Only when present, so the data of rectangular layouts stays as it was.
  if (fs::exists(result_dir / "layout.geojson")) files["layout.geojson"] = true;
  run["files"] = std::move(files);
  data["run"] = std::move(run);

  // Standards and the headline: one card per standard (at most six), judged as summary.json's verdict says.
  // The card's mark is the verdict by the mean; a flag says where the one-sided bound judges otherwise.
  Json standards_json = Json::array();
  Json headline = Json::array();
  if (verdict.is_object() && verdict.contains("standards") && verdict["standards"].is_array())
    for (const Json& item : verdict["standards"]) {
      if (!item.is_object()) continue;
      const std::string key = json_string(item, "kpi");
      Json entry;
      entry["kpi"] = key;
      entry["name"] = i18n::kpi_name(lang, key);
      entry["op"] = json_string(item, "bound") == "at_most" ? "<=" : ">=";
      entry["value"] = item.contains("value") && item["value"].is_number() ? num(item["value"].get<double>()) : Json();
      entry["unit"] = json_string(item, "unit");
      entry["weighted"] = false;
      entry["origin"] = json_string(item, "origin");
      entry["by_mean"] = json_string(item, "by_mean");
      entry["by_bound"] = json_string(item, "by_bound");
      entry["confidence_bound"] = item.contains("confidence_bound") && item["confidence_bound"].is_number()
                                      ? num(item["confidence_bound"].get<double>())
                                      : Json();
      standards_json.push_back(entry);
      const Kpi* kpi = find(key);
      // A KPI undefined in every replication (e.g. on-time closure without deadlines) stays in the table only.
      if (kpi == nullptr || headline.size() >= 6 || !std::isfinite(kpi->value.mean)) continue;
      Json card = kpi_json(lang, *kpi);
      card["standard"] = entry;
      const std::string by_mean = entry["by_mean"], by_bound = entry["by_bound"];
      card["pass"] = by_mean == "met" ? Json(true) : by_mean == "not_met" ? Json(false) : Json();
      card["straddles"] = by_mean != "undefined" && by_bound != "undefined" && by_mean != by_bound;
      headline.push_back(std::move(card));
    }
  data["verdict"] = verdict.is_object()
                        ? Json{{"shown", "by_mean"},
                               {"by_mean", json_string(verdict, "by_mean")},
                               {"by_bound", json_string(verdict, "by_bound")},
                               {"confidence", verdict.contains("confidence") ? verdict["confidence"] : Json()}}
                        : Json();
  data["standards"] = std::move(standards_json);
  data["headline"] = std::move(headline);
  Json kpi_list = Json::array();
  for (const Kpi& kpi : kpis) kpi_list.push_back(kpi_json(lang, kpi));
  data["kpis"] = std::move(kpi_list);

  data["types"] = !scenario.targets_min.empty() ? types_table(kpis, scenario) : Json(nullptr);
  data["response"] = std::move(response);
  data["map"] = std::move(map);
  data["teams"] = std::move(teams);
  data["hours"] = hour_of_day(result_dir, standard);
  data["backlog"] = backlog(result_dir);
  data["flow"] = std::move(flow);
  return data;
}

}  // namespace civicgrid::report
