// The run report's data model (run_report_data): reads the result folder's files and computes what the page
// shows. Statistics the simulator does not write itself (closure rate when absent, grid and resident coverage,
// per-type figures, the response histogram, per-team utilisation) are derived here from the data files only.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include <yaml-cpp/yaml.h>

#include "metrics/summary.hpp"
#include "report/html_i18n.hpp"
#include "report/html_report.hpp"

namespace civicgrid::report {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
using i18n::Lang;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------------------------- small helpers

// 6 significant digits, locale-independent, so the data section is stable and small.
double round6(double value) {
  if (!std::isfinite(value)) return value;
  char buffer[40];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, 6);
  if (error != std::errc()) return value;
  double rounded = value;
  std::from_chars(buffer, end, rounded);
  return rounded == 0 ? 0.0 : rounded;   // no "-0"
}

Json num(double value) { return std::isfinite(value) ? Json(round6(value)) : Json(nullptr); }

double parse_double(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '+')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.remove_suffix(1);
  if (text.empty()) return nan;
  double value = nan;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return nan;
  return value;
}

double json_double(const Json& value) {
  if (value.is_number()) return value.get<double>();
  return nan;
}

std::string json_string(const Json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto found = object.find(key);
  if (found == object.end()) return {};
  if (found->is_string()) return found->get<std::string>();
  if (found->is_number_integer() || found->is_number_unsigned()) return found->dump();
  if (found->is_number()) return found->dump();
  return {};
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Estimate {
  double mean = nan;
  double half_width = nan;
  std::int64_t n = 0;
};

// Mean and Student-t 95% half-width of the defined (non-NaN) values, as summary.json computes them.
Estimate estimate(const std::vector<double>& values) {
  Estimate result;
  double sum = 0;
  for (double value : values)
    if (!std::isnan(value)) {
      sum += value;
      ++result.n;
    }
  if (result.n == 0) return result;
  result.mean = sum / static_cast<double>(result.n);
  if (result.n < 2) return result;
  double squares = 0;
  for (double value : values)
    if (!std::isnan(value)) squares += (value - result.mean) * (value - result.mean);
  const double sd = std::sqrt(squares / static_cast<double>(result.n - 1));
  result.half_width = metrics::student_t_quantile_975(result.n - 1) * sd / std::sqrt(static_cast<double>(result.n));
  return result;
}

// Nearest-rank percentile of sorted values.
double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return nan;
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

// ------------------------------------------------------------------------------------------------------ CSV

// Reads a CSV file with a header row, calling `row` with the fields of each data row (quoted fields, doubled
// quotes and line breaks inside quotes are understood). Returns false if the file cannot be opened.
class CsvReader {
 public:
  explicit CsvReader(const fs::path& path) : in_(path, std::ios::binary) {
    if (in_ && next(header_)) {
      for (std::size_t i = 0; i < header_.size(); ++i) columns_[header_[i]] = static_cast<int>(i);
    }
  }
  bool ok() const { return !header_.empty(); }
  // Index of a column, -1 if absent.
  int column(const std::string& name) const {
    const auto found = columns_.find(name);
    return found == columns_.end() ? -1 : found->second;
  }
  bool next(std::vector<std::string>& fields) {
    fields.clear();
    std::string line;
    if (!std::getline(in_, line)) return false;
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0;; ++i) {
      if (i == line.size()) {
        if (quoted) {   // a line break inside quotes: the field continues on the next line
          std::string more;
          if (!std::getline(in_, more)) break;
          field.push_back('\n');
          line = std::move(more);
          i = static_cast<std::size_t>(-1);
          continue;
        }
        break;
      }
      const char c = line[i];
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field.push_back('"');
            ++i;
          } else {
            quoted = false;
          }
        } else {
          field.push_back(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.push_back(std::move(field));
        field.clear();
      } else if (c != '\r') {
        field.push_back(c);
      }
    }
    fields.push_back(std::move(field));
    return true;
  }

 private:
  std::ifstream in_;
  std::vector<std::string> header_;
  std::map<std::string, int> columns_;
};

const std::string& field(const std::vector<std::string>& fields, int column) {
  static const std::string empty;
  return column >= 0 && static_cast<std::size_t>(column) < fields.size() ? fields[column] : empty;
}

// --------------------------------------------------------------------------------------- resolved scenario

// "20min", "1.5 h", "400m", "0.4km": the number and its unit ("" if none).
std::pair<double, std::string> quantity(const std::string& text) {
  std::size_t split = 0;
  while (split < text.size() && (std::isdigit(static_cast<unsigned char>(text[split])) || text[split] == '.' ||
                                 text[split] == '-' || text[split] == '+' || text[split] == 'e' || text[split] == 'E'))
    ++split;
  // "e" could start a unit, not an exponent: back off while the number part does not parse.
  while (split > 0 && std::isnan(parse_double(std::string_view(text).substr(0, split)))) --split;
  std::string unit = text.substr(split);
  unit.erase(0, unit.find_first_not_of(' '));
  return {parse_double(std::string_view(text).substr(0, split)), unit};
}

double duration_min(const std::string& text) {
  const auto [value, unit] = quantity(text);
  if (unit == "s") return value / 60;
  if (unit == "min" || unit.empty()) return value;
  if (unit == "h") return value * 60;
  if (unit == "d") return value * 1440;
  if (unit == "w") return value * 10080;
  return nan;
}

double distance_km(const std::string& text) {
  const auto [value, unit] = quantity(text);
  if (unit == "m" || unit.empty()) return value / 1000;
  if (unit == "km") return value;
  return nan;
}

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
  std::optional<double> within_target_standard;
};

ScenarioFacts read_scenario(const fs::path& path) {
  ScenarioFacts facts;
  if (!fs::exists(path)) return facts;
  YAML::Node root;
  try {
    root = YAML::LoadFile(path.string());
  } catch (const YAML::Exception&) {
    return facts;
  }
  if (!root.IsMap()) return facts;
  facts.loaded = true;
  facts.name = scalar(root["name"]);
  facts.description = scalar(root["description"]);
  facts.model = scalar(root["model"]);
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
  if (const YAML::Node report = root["report"]; report && report.IsMap()) {
    const double standard = parse_double(scalar(report["within_target_standard"]));
    if (std::isfinite(standard)) facts.within_target_standard = standard;
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

Kpi derived_kpi(const std::string& key, const std::string& unit, std::vector<double> per_replication) {
  Kpi kpi;
  kpi.key = key;
  kpi.unit = unit;
  kpi.value = estimate(per_replication);
  kpi.per_replication = std::move(per_replication);
  kpi.derived = true;
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

struct GridRow {
  std::string id, community, town;
  double residents_sum = 0;
  double incidents_sum = 0;
  double responded_sum = 0;
  double within_sum = 0;
  double response_min_sum = 0;
  int replications = 0;
};

struct GridsData {
  bool loaded = false;
  std::map<int, GridRow> grids;                 // by grid index (= row * cols + col)
  std::vector<double> coverage_per_rep;         // share of grids (with responses) meeting the standard
  std::vector<double> residents_per_rep;        // share of residents of those grids living in meeting grids
};

GridsData read_grids(const fs::path& path, double standard, int replications) {
  GridsData data;
  CsvReader csv(path);
  if (!csv.ok()) return data;
  data.loaded = true;
  const int c_rep = csv.column("replication"), c_grid = csv.column("grid"), c_id = csv.column("grid_id"),
            c_community = csv.column("community_id"), c_town = csv.column("town_id"),
            c_residents = csv.column("residents"), c_incidents = csv.column("incidents"),
            c_responded = csv.column("responded"), c_within = csv.column("within_target"),
            c_mean = csv.column("response_min_mean");
  struct Tally {
    double grids = 0, meeting = 0, residents = 0, residents_meeting = 0;
  };
  std::map<int, Tally> by_replication;
  std::vector<std::string> fields;
  while (csv.next(fields)) {
    const double grid_number = parse_double(field(fields, c_grid));
    const double replication = parse_double(field(fields, c_rep));
    if (std::isnan(grid_number) || std::isnan(replication)) continue;
    GridRow& grid = data.grids[static_cast<int>(grid_number)];
    grid.id = field(fields, c_id);
    grid.community = field(fields, c_community);
    grid.town = field(fields, c_town);
    const double residents = parse_double(field(fields, c_residents));
    const double responded = parse_double(field(fields, c_responded));
    const double within = parse_double(field(fields, c_within));
    const double mean = parse_double(field(fields, c_mean));
    if (!std::isnan(residents)) grid.residents_sum += residents;
    const double incidents = parse_double(field(fields, c_incidents));
    if (!std::isnan(incidents)) grid.incidents_sum += incidents;
    if (!std::isnan(responded) && responded > 0) {
      grid.responded_sum += responded;
      if (!std::isnan(within)) grid.within_sum += within;
      if (!std::isnan(mean)) grid.response_min_sum += mean * responded;
      Tally& tally = by_replication[static_cast<int>(replication)];
      tally.grids += 1;
      tally.residents += std::isnan(residents) ? 0 : residents;
      if (!std::isnan(within) && within / responded >= standard - 1e-12) {
        tally.meeting += 1;
        tally.residents_meeting += std::isnan(residents) ? 0 : residents;
      }
    }
    ++grid.replications;
  }
  const int count = std::max(replications, by_replication.empty() ? 0 : by_replication.rbegin()->first + 1);
  for (int replication = 0; replication < count; ++replication) {
    const auto found = by_replication.find(replication);
    if (found == by_replication.end() || found->second.grids == 0) {
      data.coverage_per_rep.push_back(nan);
      data.residents_per_rep.push_back(nan);
      continue;
    }
    const Tally& tally = found->second;
    data.coverage_per_rep.push_back(tally.meeting / tally.grids);
    data.residents_per_rep.push_back(tally.residents > 0 ? tally.residents_meeting / tally.residents : nan);
  }
  return data;
}

struct TypeStats {
  std::string type;
  double target_min = nan;
  double incidents = 0, responded = 0, within = 0, closed = 0;
  std::vector<double> responses;
};

struct IncidentsData {
  bool loaded = false;
  std::vector<TypeStats> types;   // in the scenario's order, then in order of appearance
  double target_sum = 0;          // sum of target_min over responded incidents (for the weighted target)
};

IncidentsData read_incidents(const fs::path& path, const ScenarioFacts& scenario) {
  IncidentsData data;
  CsvReader csv(path);
  if (!csv.ok()) return data;
  data.loaded = true;
  std::map<std::string, std::size_t> index;
  for (const auto& [type, target] : scenario.targets_min) {
    if (index.count(type)) continue;
    index[type] = data.types.size();
    data.types.push_back({type, target, 0, 0, 0, 0, {}});
  }
  const int c_type = csv.column("type"), c_response = csv.column("response_min"), c_target = csv.column("target_min"),
            c_within = csv.column("within_target"), c_status = csv.column("status");
  std::vector<std::string> fields;
  while (csv.next(fields)) {
    if (fields.size() < 2) continue;
    const std::string& type = field(fields, c_type);
    auto found = index.find(type);
    if (found == index.end()) {
      found = index.emplace(type, data.types.size()).first;
      data.types.push_back({type, nan, 0, 0, 0, 0, {}});
    }
    TypeStats& stats = data.types[found->second];
    stats.incidents += 1;
    const double target = parse_double(field(fields, c_target));
    if (std::isnan(stats.target_min) && !std::isnan(target)) stats.target_min = target;
    const double response = parse_double(field(fields, c_response));
    if (!std::isnan(response)) {
      stats.responded += 1;
      stats.responses.push_back(response);
      if (field(fields, c_within) == "1") stats.within += 1;
      data.target_sum += std::isnan(target) ? stats.target_min : target;
    }
    if (field(fields, c_status) == "closed") stats.closed += 1;
  }
  for (TypeStats& stats : data.types) std::sort(stats.responses.begin(), stats.responses.end());
  return data;
}

// The histogram of pooled response times: a "nice" bin width so that about 40 bins reach past the largest
// target and the 99th percentile; what lies beyond goes to one overflow bin.
Json response_histogram(const IncidentsData& incidents) {
  Json out;
  std::vector<double> all;
  double max_target = 0;
  for (const TypeStats& stats : incidents.types) {
    all.insert(all.end(), stats.responses.begin(), stats.responses.end());
    if (std::isfinite(stats.target_min)) max_target = std::max(max_target, stats.target_min);
  }
  out["available"] = incidents.loaded && !all.empty();
  out["responded"] = all.size();
  if (all.empty()) return out;
  std::sort(all.begin(), all.end());
  const double reach = std::max({percentile(all, 0.99), max_target * 1.25, 1.0});
  const double widths[] = {0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 20, 30, 60, 120, 240, 480, 1440};
  double width = widths[std::size(widths) - 1];
  for (double candidate : widths)
    if (std::ceil(reach / candidate) <= 40) {
      width = candidate;
      break;
    }
  // Bins [0, w), [w, 2w), ... up to the one that holds `reach` itself.
  const auto bins = static_cast<std::size_t>(std::floor(reach / width)) + 1;
  const bool overflow = all.back() >= static_cast<double>(bins) * width;
  const std::size_t slots = bins + (overflow ? 1 : 0);
  const auto total = static_cast<double>(all.size());
  Json edges = Json::array();
  for (std::size_t i = 0; i <= slots; ++i) edges.push_back(num(static_cast<double>(i) * width));
  out["bin_width_min"] = num(width);
  out["edges_min"] = std::move(edges);
  out["overflow"] = overflow;
  std::vector<double> cumulative(slots, 0);
  Json series = Json::array();
  for (const TypeStats& stats : incidents.types) {
    if (stats.responses.empty()) continue;
    std::vector<double> counts(slots, 0);
    for (double response : stats.responses) {
      const auto bin = static_cast<std::size_t>(std::max(0.0, std::floor(response / width)));
      counts[std::min(bin, slots - 1)] += 1;
    }
    Json shares = Json::array();
    for (std::size_t i = 0; i < slots; ++i) {
      shares.push_back(num(counts[i] / total));
      cumulative[i] += counts[i];
    }
    Json entry;
    entry["type"] = stats.type;
    entry["target_min"] = num(stats.target_min);
    entry["share"] = std::move(shares);
    series.push_back(std::move(entry));
  }
  out["series"] = std::move(series);
  Json running = Json::array();
  double sum = 0;
  for (double count : cumulative) {
    sum += count;
    running.push_back(num(sum / total));
  }
  out["cumulative"] = std::move(running);
  // One marker per distinct target, naming the types that share it.
  std::map<double, std::vector<std::string>> targets;
  for (const TypeStats& stats : incidents.types)
    if (std::isfinite(stats.target_min) && !stats.responses.empty()) targets[stats.target_min].push_back(stats.type);
  Json markers = Json::array();
  for (const auto& [target, types] : targets) markers.push_back({{"target_min", num(target)}, {"types", types}});
  out["targets"] = std::move(markers);
  return out;
}

Json types_table(const IncidentsData& incidents, int replications) {
  Json rows = Json::array();
  for (const TypeStats& stats : incidents.types) {
    Json row;
    row["type"] = stats.type;
    row["target_min"] = num(stats.target_min);
    row["incidents_per_replication"] = num(replications > 0 ? stats.incidents / replications : nan);
    row["responded"] = static_cast<std::int64_t>(stats.responded);
    row["within_target_rate"] = num(stats.responded > 0 ? stats.within / stats.responded : nan);
    double sum = 0;
    for (double response : stats.responses) sum += response;
    row["response_min_mean"] = num(stats.responded > 0 ? sum / stats.responded : nan);
    row["response_min_p90"] = num(percentile(stats.responses, 0.9));
    row["closure_rate"] = num(stats.incidents > 0 ? stats.closed / stats.incidents : nan);
    rows.push_back(std::move(row));
  }
  return rows;
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
  metric("incidents", "count", false);
  metric("residents", "residents", true);
  out["metrics"] = std::move(metrics);
  std::vector<const GridRow*> cells(static_cast<std::size_t>(rows * cols), nullptr);
  Json list = Json::array();
  for (const auto& [index, grid] : grids.grids) {
    cells[static_cast<std::size_t>(index)] = &grid;
    const double replications = std::max(1, grid.replications);
    Json cell;
    cell["grid"] = index;
    cell["id"] = grid.id;
    cell["community"] = grid.community;
    cell["town"] = grid.town;
    cell["row"] = index / cols;
    cell["col"] = index % cols;
    cell["residents"] = num(grid.residents_sum / replications);
    cell["incidents"] = num(grid.incidents_sum / replications);
    cell["responded"] = num(grid.responded_sum);
    cell["within_target_rate"] = num(grid.responded_sum > 0 ? grid.within_sum / grid.responded_sum : nan);
    cell["response_min_mean"] = num(grid.responded_sum > 0 ? grid.response_min_sum / grid.responded_sum : nan);
    list.push_back(std::move(cell));
  }
  out["grids"] = std::move(list);
  Json community_lines = Json::array(), town_lines = Json::array();
  boundaries(cells, rows, cols, scenario.cell_km, community_lines, town_lines);
  out["community_lines"] = std::move(community_lines);
  out["town_lines"] = std::move(town_lines);
  return out;
}

Json team_utilisation(Lang lang, const fs::path& path, int replications, double ceiling) {
  Json out;
  CsvReader csv(path);
  out["available"] = csv.ok();
  out["ceiling"] = num(ceiling);
  if (!csv.ok()) return out;
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
  std::vector<std::string> fields;
  while (csv.next(fields)) {
    const std::string& name = field(fields, c_team);
    auto team = std::find_if(teams.begin(), teams.end(), [&](const Team& t) { return t.name == name; });
    if (team == teams.end()) {
      teams.push_back({name, field(fields, c_level), 0, 0, 0, {}});
      team = teams.end() - 1;
    }
    auto value = [&](int column) {
      const double parsed = parse_double(field(fields, column));
      return std::isnan(parsed) ? 0.0 : parsed;
    };
    const double busy = value(c_travel) + value(c_scene) + value(c_return);
    const double duty = value(c_duty);
    team->busy += busy;
    team->duty += duty;
    team->served += value(c_served);
    Responder& responder = team->responders[static_cast<long>(value(c_responder))];
    responder.unit = field(fields, c_unit);
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

Json run_report_data(const fs::path& result_dir, const std::string& lang_code, const RunReportOptions& options) {
  const Lang lang = i18n::parse_lang(lang_code);
  const fs::path summary_path = result_dir / "summary.json";
  Json summary;
  try {
    summary = Json::parse(read_file(summary_path));
  } catch (const Json::exception& error) {
    throw std::runtime_error(summary_path.string() + ": not a readable summary.json (" + error.what() + ")");
  }
  if (!summary.is_object() || !summary.contains("kpis") || !summary["kpis"].is_object())
    throw std::runtime_error(summary_path.string() + ": no \"kpis\" object: is " + result_dir.string() +
                             " a civicgrid result folder?");
  Json manifest = Json::object();
  if (fs::exists(result_dir / "manifest.json")) {
    try {
      manifest = Json::parse(read_file(result_dir / "manifest.json"));
    } catch (const Json::exception&) {
      manifest = Json::object();
    }
    if (!manifest.is_object()) manifest = Json::object();
  }
  const ScenarioFacts scenario = read_scenario(result_dir / "scenario.resolved.yaml");
  const double standard = options.within_target_standard.value_or(scenario.within_target_standard.value_or(0.9));
  const int replications = summary.value("replications", Json(0)).is_number_integer()
                               ? summary["replications"].get<int>()
                               : manifest.value("replications", Json(0)).is_number_integer()
                                     ? manifest["replications"].get<int>()
                                     : 0;

  // KPIs: summary.json's, then the derived ones.
  std::vector<Kpi> kpis;
  for (const auto& [key, entry] : summary["kpis"].items()) kpis.push_back(kpi_from_summary(key, entry));
  auto find = [&](const std::string& key) -> const Kpi* {
    for (const Kpi& kpi : kpis)
      if (kpi.key == key) return &kpi;
    return nullptr;
  };
  if (find("closure_rate") == nullptr && find("closed") != nullptr && find("incidents") != nullptr) {
    const Kpi& closed = *find("closed");
    const Kpi& incidents = *find("incidents");
    std::vector<double> rates;
    for (std::size_t i = 0; i < std::min(closed.per_replication.size(), incidents.per_replication.size()); ++i)
      rates.push_back(incidents.per_replication[i] > 0 ? closed.per_replication[i] / incidents.per_replication[i]
                                                       : nan);
    kpis.push_back(derived_kpi("closure_rate", "share", std::move(rates)));
  }
  const GridsData grids = read_grids(result_dir / "grids.csv", standard, replications);
  if (grids.loaded && find("grid_coverage_rate") == nullptr)
    kpis.push_back(derived_kpi("grid_coverage_rate", "share", grids.coverage_per_rep));
  if (grids.loaded && find("resident_coverage_rate") == nullptr)
    kpis.push_back(derived_kpi("resident_coverage_rate", "share", grids.residents_per_rep));
  const IncidentsData incidents = read_incidents(result_dir / "incidents.csv", scenario);

  Json data;
  data["schema"] = 1;
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
  std::vector<std::string> seeds;
  if (CsvReader csv(result_dir / "replications.csv"); csv.ok()) {
    std::vector<std::string> fields;
    const int c_seed = csv.column("seed");
    while (csv.next(fields))
      if (!field(fields, c_seed).empty()) seeds.push_back(field(fields, c_seed));
  }
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
  for (const char* name : {"summary.json", "manifest.json", "scenario.resolved.yaml", "replications.csv", "grids.csv",
                           "teams.csv", "incidents.csv"})
    files[name] = fs::exists(result_dir / name);
  run["files"] = std::move(files);
  data["run"] = std::move(run);

  // Standards and the headline.
  double weighted_target = nan;
  if (incidents.loaded) {
    double responded = 0;
    for (const TypeStats& stats : incidents.types) responded += stats.responded;
    if (responded > 0) weighted_target = incidents.target_sum / responded;
  } else if (!scenario.targets_min.empty()) {
    const double first = scenario.targets_min.front().second;
    const bool same = std::all_of(scenario.targets_min.begin(), scenario.targets_min.end(),
                                  [&](const auto& entry) { return entry.second == first; });
    if (same) weighted_target = first;
  }
  struct Standard {
    const char* kpi;
    const char* op;
    double value;
  };
  const Standard standards[] = {
      {"within_target_rate", ">=", standard},
      {"closure_rate", ">=", options.closure_rate_standard},
      {"on_time_closure_rate", ">=", options.on_time_closure_rate_standard},
      {"valid_report_rate", ">=", options.valid_report_rate_standard},
      {"response_min_mean", "<=", weighted_target},
      {"grid_coverage_rate", ">=", options.grid_coverage_standard},
      {"utilization", "<=", options.utilization_ceiling},
  };
  Json standards_json = Json::array();
  Json headline = Json::array();
  for (const Standard& s : standards) {
    const Kpi* kpi = find(s.kpi);
    if (kpi == nullptr) continue;
    Json entry;
    entry["kpi"] = s.kpi;
    entry["name"] = i18n::kpi_name(lang, s.kpi);
    entry["op"] = s.op;
    entry["value"] = num(s.value);
    entry["unit"] = kpi->unit;
    entry["weighted"] = std::string(s.kpi) == "response_min_mean";
    standards_json.push_back(entry);
    // A KPI undefined in every replication (e.g. on-time closure without deadlines) stays in the table only.
    if (headline.size() >= 6 || !std::isfinite(kpi->value.mean)) continue;
    Json card = kpi_json(lang, *kpi);
    card["standard"] = entry;
    const double mean = kpi->value.mean, half = kpi->value.half_width;
    const bool comparable = std::isfinite(mean) && std::isfinite(s.value);
    if (comparable) {
      const bool at_least = std::string(s.op) == ">=";
      // A tolerance far below the 6 digits shown, so 0.9 computed as 0.8999999999 still passes 90%.
      const double tolerance = 1e-9 * std::max(1.0, std::fabs(s.value));
      card["pass"] = at_least ? mean >= s.value - tolerance : mean <= s.value + tolerance;
      card["straddles"] = std::isfinite(half) && mean - half < s.value && s.value < mean + half;
    } else {
      card["pass"] = nullptr;
      card["straddles"] = false;
    }
    headline.push_back(std::move(card));
  }
  data["standards"] = std::move(standards_json);
  data["headline"] = std::move(headline);
  Json kpi_list = Json::array();
  for (const Kpi& kpi : kpis) kpi_list.push_back(kpi_json(lang, kpi));
  data["kpis"] = std::move(kpi_list);

  data["types"] = incidents.loaded ? types_table(incidents, replications) : Json(nullptr);
  data["response"] = response_histogram(incidents);
  data["map"] = grid_map(lang, scenario, grids, standard);
  data["teams"] = team_utilisation(lang, result_dir / "teams.csv", replications, options.utilization_ceiling);
  return data;
}

}  // namespace civicgrid::report
