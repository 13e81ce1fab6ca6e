// Validation of a resolved document into a Scenario. One Reader walks the tree; each section has a function
// that knows its keys, so an unknown key is reported with the nearest valid one, and every problem is
// collected before anything is thrown.
#include "scenario/loader.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <set>
#include <sstream>

#include "scenario/document.hpp"
#include "scenario/csv_input.hpp"
#include "scenario/geo_input.hpp"
#include "scenario/preferences_input.hpp"
#include "scenario/units.hpp"

namespace civicgrid::scenario {
namespace {

constexpr long long max_grids = 1'000'000;
constexpr long long max_responders = 30'000;
constexpr double max_horizon_s = 10 * 365.25 * 86400;
constexpr double max_expected_incidents = 2e8;
constexpr double min_travel_speed_mps = 3 / 3.6;
constexpr double max_turnout_s = 86400;
constexpr double max_cell_size_m = 100e3;

// A count for a message, in scientific notation once it is too large to print as a whole number.
std::string expected_text(double count) {
  std::ostringstream text;
  if (count < 1e10) text << std::fixed << std::setprecision(0) << count;
  else text << std::setprecision(3) << count;
  return text.str();
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string join(const std::vector<std::string>& words) {
  std::string text;
  for (std::size_t i = 0; i < words.size(); ++i) text += (i ? ", " : "") + words[i];
  return text;
}

std::string suggestion(const std::string& word, const std::vector<std::string>& valid) {
  std::string best;
  std::size_t best_distance = 4;
  for (const auto& candidate : valid) {
    const std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  if (!best.empty() && best_distance <= std::max<std::size_t>(2, word.size() / 3))
    return "did you mean '" + best + "'?";
  return "valid keys here: " + join(valid);
}

class Reader {
 public:
  explicit Reader(std::vector<Diagnostic>& problems) : problems_(problems) {}

  void error(const Origin& at, const std::string& path, const std::string& message, const std::string& hint = "") {
    problems_.push_back({at.file, at.line, at.col, path, message, hint});
  }

  // Reports keys of `map` not in `valid`; false if `map` is not a map at all.
  bool keys(const DocNode& map, const std::string& path, const std::vector<std::string>& valid) {
    if (!map.is_map()) {
      error(map.origin, path, "expected a map (key: value pairs)");
      return false;
    }
    for (std::size_t i = 0; i < map.entries.size(); ++i) {
      const std::string& key = map.entries[i].first;
      if (std::find(valid.begin(), valid.end(), key) == valid.end())
        error(map.key_origins[i], join_path(path, key), "unknown key '" + key + "'", suggestion(key, valid));
    }
    return true;
  }

  const DocNode* need(const DocNode& map, const std::string& path, const std::string& key, const std::string& hint) {
    const DocNode* node = map.is_map() ? map.find(key) : nullptr;
    if (node == nullptr || node->kind == DocNode::Kind::null) {
      error(node != nullptr ? node->origin : map.origin, join_path(path, key), "missing required key '" + key + "'", hint);
      return nullptr;
    }
    return node;
  }

  static const DocNode* maybe(const DocNode& map, const std::string& key) {
    const DocNode* node = map.is_map() ? map.find(key) : nullptr;
    return node != nullptr && node->kind != DocNode::Kind::null ? node : nullptr;
  }

  std::optional<std::string> text(const DocNode& node, const std::string& path) {
    if (!node.is_scalar()) {
      error(node.origin, path, "expected a single value, not a list or map");
      return std::nullopt;
    }
    return node.scalar;
  }

  std::optional<double> number(const DocNode& node, const std::string& path, double low, double high) {
    const auto value = text(node, path);
    if (!value) return std::nullopt;
    char* end = nullptr;
    const double number = std::strtod(value->c_str(), &end);
    if (value->empty() || end == value->c_str() || *end != '\0' || !std::isfinite(number)) {
      error(node.origin, path, "expected a number, got '" + *value + "'");
      return std::nullopt;
    }
    if (number < low || number > high) {
      std::ostringstream range;
      range << "between " << low << " and " << high;
      error(node.origin, path, "value " + *value + " is out of range", "use a value " + range.str());
      return std::nullopt;
    }
    return number;
  }

  std::optional<long long> integer(const DocNode& node, const std::string& path, long long low, long long high) {
    const auto value = text(node, path);
    if (!value) return std::nullopt;
    std::size_t used = 0;
    long long number = 0;
    try {
      number = std::stoll(*value, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != value->size()) {
      error(node.origin, path, "expected a whole number, got '" + *value + "'");
      return std::nullopt;
    }
    if (number < low || number > high) {
      error(node.origin, path, "value " + *value + " is out of range",
            "use a whole number from " + std::to_string(low) + " to " + std::to_string(high));
      return std::nullopt;
    }
    return number;
  }

  std::optional<double> quantity(const DocNode& node, const std::string& path, Quantity (*parse)(const std::string&)) {
    const auto value = text(node, path);
    if (!value) return std::nullopt;
    const Quantity parsed = parse(*value);
    if (!parsed.value) error(node.origin, path, parsed.error, parsed.hint);
    return parsed.value;
  }

  template <class Enum>
  std::optional<Enum> choice(const DocNode& node, const std::string& path, const std::vector<std::pair<std::string, Enum>>& options) {
    const auto value = text(node, path);
    if (!value) return std::nullopt;
    std::vector<std::string> names;
    for (const auto& [name, option] : options) {
      if (name == *value) return option;
      names.push_back(name);
    }
    const std::string hint = suggestion(*value, names);
    error(node.origin, path, "'" + *value + "' is not a valid value",
          hint.rfind("did you", 0) == 0 ? hint + " (one of " + join(names) + ")" : "one of " + join(names));
    return std::nullopt;
  }

  std::vector<std::string> names(const DocNode& node, const std::string& path) {
    std::vector<std::string> result;
    if (!node.is_sequence() || node.items.empty()) {
      error(node.origin, path, "expected a non-empty list of names", "e.g. [grid_worker]");
      return result;
    }
    for (std::size_t i = 0; i < node.items.size(); ++i)
      if (auto value = text(node.items[i], join_path(path, std::to_string(i)))) result.push_back(*value);
    return result;
  }

  std::optional<std::pair<int, int>> pair_of_counts(const DocNode& node, const std::string& path) {
    if (!node.is_sequence() || node.items.size() != 2) {
      error(node.origin, path, "expected [rows, cols]", "e.g. [4, 4]");
      return std::nullopt;
    }
    const auto rows = integer(node.items[0], join_path(path, "0"), 1, 1'000'000);
    const auto cols = integer(node.items[1], join_path(path, "1"), 1, 1'000'000);
    if (!rows || !cols) return std::nullopt;
    return std::make_pair(static_cast<int>(*rows), static_cast<int>(*cols));
  }

  // Quantities that are typing errors long before they overflow anything: staff slower than walking pace, a
  // turnout of days, a grid wider than a district. The message carries the figure as the planner wrote it.
  std::optional<double> travel_speed_mps(const DocNode& node, const std::string& path) {
    const auto value = quantity(node, path, parse_speed_mps);
    if (!value) return std::nullopt;
    if (*value <= 0) {
      error(node.origin, path, "speed must be positive");
      return std::nullopt;
    }
    if (*value < min_travel_speed_mps) {
      error(node.origin, path, "speed " + node.scalar + " is under walking pace",
            "at least 3km/h; slow routes are a detour_factor or a travel matrix");
      return std::nullopt;
    }
    return value;
  }

  std::optional<double> turnout_s(const DocNode& node, const std::string& path) {
    const auto value = quantity(node, path, parse_duration_s);
    if (value && *value > max_turnout_s) {
      error(node.origin, path, "turnout " + node.scalar + " is over a day", "the time to set out, e.g. turnout: 2min");
      return std::nullopt;
    }
    return value;
  }

  // The horizon once run: is read, so that a duration longer than the whole run can be called a typing error.
  void note_horizon_s(double horizon_s) { horizon_s_ = horizon_s; }
  std::optional<double> horizon_s() const { return horizon_s_; }

  static std::string join_path(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

  // For readers of other file formats (geo_input.hpp) that report into the same list.
  std::vector<Diagnostic>& problems() { return problems_; }

 private:
  std::vector<Diagnostic>& problems_;
  std::optional<double> horizon_s_;
};

void read_run(Reader& r, const DocNode& node, Scenario& s) {
  if (!r.keys(node, "run", {"horizon", "warmup", "replications", "seed"})) return;
  if (const auto* horizon = r.need(node, "run", "horizon", "e.g. horizon: 30d"))
    if (auto value = r.quantity(*horizon, "run.horizon", parse_duration_s)) {
      s.run.horizon_s = *value;
      if (*value <= 0) r.error(horizon->origin, "run.horizon", "horizon must be positive");
      if (*value > max_horizon_s) r.error(horizon->origin, "run.horizon", "horizon is over 10 years", "shorten it");
      if (*value > 0) r.note_horizon_s(*value);
    }
  if (const auto* warmup = Reader::maybe(node, "warmup")) {
    if (auto value = r.quantity(*warmup, "run.warmup", parse_duration_s)) {
      s.run.warmup_s = *value;
      if (s.run.horizon_s > 0 && *value >= s.run.horizon_s)
        r.error(warmup->origin, "run.warmup", "warm-up must be shorter than the horizon");
    }
  }
  if (const auto* replications = Reader::maybe(node, "replications"))
    if (auto value = r.integer(*replications, "run.replications", 1, 10000)) s.run.replications = static_cast<int>(*value);
  if (const auto* seed = Reader::maybe(node, "seed"))
    if (auto value = r.integer(*seed, "run.seed", 0, 9'223'372'036'854'775'807LL)) s.run.seed = static_cast<std::uint64_t>(*value);
}

// layout: {geojson: FILE, bases: FILE}: grids are the polygons of a GeoJSON file (geo_input.hpp).
void read_geo_layout(Reader& r, const DocNode& node, const std::filesystem::path& base_dir, Scenario& s) {
  if (!r.keys(node, "layout", {"geojson", "bases"})) return;
  const DocNode* file = r.need(node, "layout", "geojson", "e.g. geojson: district/grids.geojson");
  const auto name = file != nullptr ? r.text(*file, "layout.geojson") : std::nullopt;
  if (!name) return;
  auto geo = read_geojson_layout((base_dir / *name).string(), file->origin, r.problems());
  if (!geo) return;
  if (static_cast<long long>(geo->grids.size()) > max_grids)
    r.error(file->origin, "layout.geojson", std::to_string(geo->grids.size()) + " grids is too many",
            "at most " + std::to_string(max_grids) + " grids");
  if (const auto* bases = Reader::maybe(node, "bases"))
    if (const auto bases_name = r.text(*bases, "layout.bases"))
      read_bases_csv((base_dir / *bases_name).string(), bases->origin, *geo, r.problems());
  s.layout.geo = std::move(geo);
}

void read_layout(Reader& r, const DocNode& node, const std::filesystem::path& base_dir, Scenario& s) {
  if (node.is_map() && node.find("geojson") != nullptr) return read_geo_layout(r, node, base_dir, s);
  if (!r.keys(node, "layout", {"rows", "cols", "cell_size", "community_block", "town_block", "geojson", "bases"})) return;
  if (const auto* n = Reader::maybe(node, "bases"))
    r.error(n->origin, "layout.bases", "bases need a GeoJSON layout", "add geojson: FILE, or drop bases");
  std::optional<long long> rows, cols;
  if (const auto* n = r.need(node, "layout", "rows", "e.g. rows: 20")) rows = r.integer(*n, "layout.rows", 1, 1'000'000'000);
  if (const auto* n = r.need(node, "layout", "cols", "e.g. cols: 20")) cols = r.integer(*n, "layout.cols", 1, 1'000'000'000);
  if (rows && cols) {
    if (*rows * *cols > max_grids) {
      r.error(node.origin, "layout", std::to_string(*rows) + " x " + std::to_string(*cols) + " = " +
                                         std::to_string(*rows * *cols) + " grids is too many",
              "at most " + std::to_string(max_grids) + " grids");
    } else {
      s.layout.rows = static_cast<int>(*rows);
      s.layout.cols = static_cast<int>(*cols);
    }
  }
  if (const auto* n = r.need(node, "layout", "cell_size", "e.g. cell_size: 500m"))
    if (auto value = r.quantity(*n, "layout.cell_size", parse_distance_m)) {
      s.layout.cell_size_m = *value;
      if (*value <= 0) r.error(n->origin, "layout.cell_size", "cell size must be positive");
      if (*value > max_cell_size_m)
        r.error(n->origin, "layout.cell_size", "cell size " + n->scalar + " is over 100km", "a grid is a few hundred metres across");
    }
  if (const auto* n = Reader::maybe(node, "community_block"))
    if (auto block = r.pair_of_counts(*n, "layout.community_block")) {
      s.layout.community_block_rows = block->first;
      s.layout.community_block_cols = block->second;
    }
  if (const auto* n = Reader::maybe(node, "town_block"))
    if (auto block = r.pair_of_counts(*n, "layout.town_block")) {
      s.layout.town_block_rows = block->first;
      s.layout.town_block_cols = block->second;
    }
}

// A GeoJSON grid named by its ID (population tables of a GeoJSON layout), as an index into the grids.
std::optional<long long> geo_grid(Reader& r, const DocNode& node, const std::string& path, const GeoLayout& geo) {
  const auto id = r.text(node, path);
  if (!id) return std::nullopt;
  const auto found = geo.grid_index.find(*id);
  if (found != geo.grid_index.end()) return found->second;
  r.error(node.origin, path, "unknown grid '" + *id + "'", "a grid ID of " + geo.geojson_file);
  return std::nullopt;
}

void read_population_csv(Reader& r, const DocNode& node, const std::filesystem::path& base_dir, Scenario& s) {
  const auto name = r.text(node, "population.csv");
  if (!name) return;
  const std::string path = (base_dir / *name).string();
  const long long grids = s.layout.grid_count();
  s.population.residents_by_grid.assign(static_cast<std::size_t>(grids), -1);
  s.population.migrant_share_by_grid.assign(static_cast<std::size_t>(grids), -1);
  const CsvTableRequest request{{path, max_data_file_bytes, node.origin, "population.csv"},
                                {"grid,residents", "grid,residents,migrant_share"}, 1};
  for_each_csv_row(request, r.problems(), [&](const CsvRow& row, const CsvRowErrors&) {
    // Cells go through the Reader like YAML values, so ranges and messages are the same as in by_grid.
    const auto cell = [&](std::size_t k) {
      DocNode value;
      value.kind = DocNode::Kind::scalar;
      value.origin = {path, row.line, row.columns[k]};
      value.scalar = row.fields[k];
      return value;
    };
    const auto grid = s.layout.geo ? geo_grid(r, cell(0), "population.csv.grid", *s.layout.geo)
                                   : r.integer(cell(0), "population.csv.grid", 0, grids - 1);
    const auto residents = r.number(cell(1), "population.csv.residents", 0, 1e7);
    std::optional<double> share;
    if (row.fields.size() == 3) share = r.number(cell(2), "population.csv.migrant_share", 0, 1);
    if (grid && residents) s.population.residents_by_grid[static_cast<std::size_t>(*grid)] = *residents;
    if (grid && share) s.population.migrant_share_by_grid[static_cast<std::size_t>(*grid)] = *share;
  });
}

// `geojson`: the layout names a GeoJSON file (s.layout.geo stays empty if that file could not be used; its
// problems are reported already, so checks that need its grids are skipped rather than misreported).
void read_population(Reader& r, const DocNode& node, const std::filesystem::path& base_dir, bool geojson, Scenario& s) {
  if (!r.keys(node, "population", {"residents_per_grid", "migrant_share", "gradient_per_km", "hotspots", "by_grid", "csv",
                                   "key_population_share"}))
    return;
  // A GeoJSON layout may carry every grid's residents; whether each grid got a number is checked at the end.
  const DocNode* per_grid = geojson ? Reader::maybe(node, "residents_per_grid")
                                         : r.need(node, "population", "residents_per_grid", "e.g. residents_per_grid: 1000");
  if (per_grid != nullptr)
    if (auto value = r.number(*per_grid, "population.residents_per_grid", 0, 1e7)) s.population.residents_per_grid = *value;
  if (const auto* n = Reader::maybe(node, "migrant_share"))
    if (auto value = r.number(*n, "population.migrant_share", 0, 1)) s.population.migrant_share = *value;
  if (const auto* n = Reader::maybe(node, "key_population_share"))
    if (auto value = r.number(*n, "population.key_population_share", 0, 1)) s.population.key_population_share = *value;
  if (const auto* n = Reader::maybe(node, "gradient_per_km"))
    if (auto value = r.number(*n, "population.gradient_per_km", -1e3, 1e3)) s.population.gradient_per_km = *value;
  if (const auto* n = Reader::maybe(node, "hotspots"); n != nullptr && geojson) {
    r.error(n->origin, "population.hotspots", "hotspots are placed by [row, col] and need a rectangular layout",
            "give the grids' residents in the GeoJSON, population.csv or population.by_grid");
  } else if (n != nullptr) {
    if (!n->is_sequence()) r.error(n->origin, "population.hotspots", "expected a list of {at: [row, col], extra_residents, radius}");
    for (std::size_t i = 0; n->is_sequence() && i < n->items.size(); ++i) {
      const std::string path = "population.hotspots." + std::to_string(i);
      const DocNode& item = n->items[i];
      if (!r.keys(item, path, {"at", "extra_residents", "radius"})) continue;
      PopulationHotspot hotspot;
      if (const auto* at = r.need(item, path, "at", "e.g. at: [3, 4] (row, col)"))
        if (auto cell = r.pair_of_counts(*at, path + ".at")) {
          hotspot.row = cell->first;
          hotspot.col = cell->second;
          if (hotspot.row >= s.layout.rows || hotspot.col >= s.layout.cols)
            r.error(at->origin, path + ".at", "outside the layout", "rows and cols count from 0");
        }
      if (const auto* extra = r.need(item, path, "extra_residents", "e.g. extra_residents: 2000"))
        if (auto value = r.number(*extra, path + ".extra_residents", 0, 1e8)) hotspot.extra_residents = *value;
      if (const auto* radius = Reader::maybe(item, "radius"))
        if (auto value = r.quantity(*radius, path + ".radius", parse_distance_m)) hotspot.radius_m = *value;
      s.population.hotspots.push_back(hotspot);
    }
  }
  const long long grids = s.layout.grid_count();
  if (geojson && !s.layout.geo) return;
  if (const auto* n = Reader::maybe(node, "csv")) read_population_csv(r, *n, base_dir, s);
  if (const auto* n = Reader::maybe(node, "by_grid")) {
    if (s.population.residents_by_grid.empty()) {
      s.population.residents_by_grid.assign(static_cast<std::size_t>(grids), -1);
      s.population.migrant_share_by_grid.assign(static_cast<std::size_t>(grids), -1);
    }
    if (!n->is_sequence()) r.error(n->origin, "population.by_grid", "expected a list of {grid, residents, migrant_share}");
    for (std::size_t i = 0; n->is_sequence() && i < n->items.size(); ++i) {
      const std::string path = "population.by_grid." + std::to_string(i);
      const DocNode& item = n->items[i];
      if (!r.keys(item, path, {"grid", "residents", "migrant_share", "key_population_share"})) continue;
      std::optional<long long> grid;
      if (const auto* g = r.need(item, path, "grid", s.layout.geo ? "the grid's ID in the GeoJSON" : "the grid number, row * cols + col"))
        grid = s.layout.geo ? geo_grid(r, *g, path + ".grid", *s.layout.geo) : r.integer(*g, path + ".grid", 0, grids - 1);
      if (const auto* res = Reader::maybe(item, "residents"))
        if (auto value = r.number(*res, path + ".residents", 0, 1e7); value && grid)
          s.population.residents_by_grid[static_cast<std::size_t>(*grid)] = *value;
      if (const auto* share = Reader::maybe(item, "migrant_share"))
        if (auto value = r.number(*share, path + ".migrant_share", 0, 1); value && grid)
          s.population.migrant_share_by_grid[static_cast<std::size_t>(*grid)] = *value;
      if (const auto* share = Reader::maybe(item, "key_population_share"))
        if (auto value = r.number(*share, path + ".key_population_share", 0, 1); value && grid) {
          if (s.population.key_population_share_by_grid.empty())
            s.population.key_population_share_by_grid.assign(static_cast<std::size_t>(grids), -1);
          s.population.key_population_share_by_grid[static_cast<std::size_t>(*grid)] = *value;
        }
    }
  }
  if (s.layout.geo && per_grid == nullptr) {
    std::vector<std::string> missing;
    const auto& by_grid = s.population.residents_by_grid;
    for (std::size_t g = 0; g < s.layout.geo->grids.size(); ++g)
      if (!s.layout.geo->grids[g].residents && (g >= by_grid.size() || by_grid[g] < 0)) missing.push_back(s.layout.geo->grids[g].id);
    if (!missing.empty())
      r.error(node.origin, "population", std::to_string(missing.size()) + " grids have no residents (first: " + missing.front() + ")",
              "add 'residents' to their GeoJSON properties, population.csv or by_grid, or set residents_per_grid");
  }
}

// travel.urban / travel.rural: the keys of travel itself, each one not given inherited from travel.
void read_travel_mode(Reader& r, const DocNode& node, const std::string& path, const Travel& travel,
                      std::optional<TravelMode>& mode) {
  if (!r.keys(node, path, {"metric", "speed", "detour_factor", "turnout"})) return;
  TravelMode result = travel.base_mode();
  if (const auto* n = Reader::maybe(node, "metric"))
    if (auto value = r.choice<TravelMetric>(*n, path + ".metric", {{"manhattan", TravelMetric::manhattan},
                                                                    {"euclidean", TravelMetric::euclidean},
                                                                    {"none", TravelMetric::none}}))
      result.metric = *value;
  if (const auto* n = Reader::maybe(node, "speed"))
    if (auto value = r.travel_speed_mps(*n, path + ".speed")) result.speed_mps = *value;
  if (result.metric != TravelMetric::none && result.speed_mps <= 0 && Reader::maybe(node, "speed") == nullptr)
    r.error(node.origin, path, "needs a speed (travel has none to inherit)", "e.g. speed: 5km/h");
  if (const auto* n = Reader::maybe(node, "detour_factor"))
    if (auto value = r.number(*n, path + ".detour_factor", 1, 10)) result.detour_factor = *value;
  if (const auto* n = Reader::maybe(node, "turnout"))
    if (auto value = r.turnout_s(*n, path + ".turnout")) result.turnout_s = *value;
  mode = result;
}

void read_travel(Reader& r, const DocNode& node, const std::filesystem::path& base_dir, bool geojson, Scenario& s) {
  if (!r.keys(node, "travel", {"metric", "speed", "detour_factor", "turnout", "urban", "rural", "matrix"})) return;
  if (const auto* n = Reader::maybe(node, "metric"))
    if (auto value = r.choice<TravelMetric>(*n, "travel.metric", {{"manhattan", TravelMetric::manhattan},
                                                                   {"euclidean", TravelMetric::euclidean},
                                                                   {"none", TravelMetric::none}}))
      s.travel.metric = *value;
  if (s.travel.metric != TravelMetric::none) {
    if (const auto* n = r.need(node, "travel", "speed", "e.g. speed: 15km/h (or metric: none)"))
      if (auto value = r.travel_speed_mps(*n, "travel.speed")) s.travel.speed_mps = *value;
  } else if (const auto* n = Reader::maybe(node, "speed")) {
    if (auto value = r.quantity(*n, "travel.speed", parse_speed_mps)) s.travel.speed_mps = *value;
  }
  if (const auto* n = Reader::maybe(node, "detour_factor"))
    if (auto value = r.number(*n, "travel.detour_factor", 1, 10)) s.travel.detour_factor = *value;
  if (const auto* n = Reader::maybe(node, "turnout"))
    if (auto value = r.turnout_s(*n, "travel.turnout")) s.travel.turnout_s = *value;
  const char* geo_only_hint = "urban, rural and matrix need a GeoJSON layout (layout: {geojson: FILE})";
  for (const char* key : {"urban", "rural"}) {
    const auto* n = Reader::maybe(node, key);
    if (n == nullptr) continue;
    if (!geojson) r.error(n->origin, std::string("travel.") + key, "no grid has a kind in a rectangular layout", geo_only_hint);
    else if (s.layout.geo) read_travel_mode(r, *n, std::string("travel.") + key, s.travel, key[0] == 'u' ? s.travel.urban : s.travel.rural);
  }
  if (const auto* n = Reader::maybe(node, "matrix")) {
    if (!geojson) r.error(n->origin, "travel.matrix", "a travel matrix is keyed by GeoJSON grid IDs", geo_only_hint);
    else if (const auto name = r.text(*n, "travel.matrix"); name && s.layout.geo)
      read_travel_matrix_csv((base_dir / *name).string(), n->origin, *s.layout.geo, s.travel, r.problems());
  }
}

void read_shift(Reader& r, const DocNode& node, const std::string& path, Team& team) {
  if (!r.keys(node, path, {"start", "length", "days", "last_call", "at_end"})) return;
  Shift shift;
  if (const auto* n = r.need(node, path, "start", "time of day, e.g. start: 8h"))
    if (auto value = r.quantity(*n, path + ".start", parse_duration_s)) {
      shift.start_s = *value;
      if (*value >= 86400) r.error(n->origin, path + ".start", "a shift starts within the day", "use a value below 24h");
    }
  if (const auto* n = r.need(node, path, "length", "e.g. length: 8h"))
    if (auto value = r.quantity(*n, path + ".length", parse_duration_s)) {
      shift.length_s = *value;
      if (*value <= 0 || *value > 86400) r.error(n->origin, path + ".length", "a shift lasts more than 0 and at most 24h");
    }
  if (const auto* n = Reader::maybe(node, "last_call"))
    if (auto value = r.quantity(*n, path + ".last_call", parse_duration_s)) {
      shift.last_call_s = *value;
      if (*value < 0 || *value >= shift.length_s)
        r.error(n->origin, path + ".last_call", "must be shorter than the shift", "e.g. last_call: 30min");
    }
  if (const auto* n = Reader::maybe(node, "at_end"))
    if (auto value = r.choice<Shift::AtEnd>(*n, path + ".at_end", {{"finish", Shift::AtEnd::finish}, {"hand_over", Shift::AtEnd::hand_over}}))
      shift.at_end = *value;
  if (const auto* n = Reader::maybe(node, "days"); n != nullptr && n->is_scalar() && n->scalar == "working") {
    shift.follows_calendar = true;
  } else if (const auto* n = Reader::maybe(node, "days")) {
    static const std::vector<std::string> names = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    shift.days.fill(false);
    for (const auto& day : r.names(*n, path + ".days")) {
      const auto it = std::find(names.begin(), names.end(), day);
      if (it == names.end()) r.error(n->origin, path + ".days", "'" + day + "' is not a day", "use mon, tue, wed, thu, fri, sat, sun");
      else shift.days[static_cast<std::size_t>(it - names.begin())] = true;
    }
  }
  team.shift = shift;
}

void read_distribution(Reader& r, const DocNode& node, const std::string& path, Distribution& d);

// "3d" on the clock, or "2 working days" / "2wd", "16 working hours" / "16wh" in the calendar's working time.
void read_time_limit(Reader& r, const DocNode& node, const std::string& path, TimeLimit& limit) {
  const auto text = r.text(node, path);
  if (!text) return;
  for (const auto& [suffixes, kind] : std::vector<std::pair<std::vector<std::string>, TimeLimit::Kind>>{
           {{"working days", "working day", "wd"}, TimeLimit::Kind::working_days},
           {{"working hours", "working hour", "wh"}, TimeLimit::Kind::working_hours}})
    for (const auto& suffix : suffixes)
      if (text->size() > suffix.size() && text->compare(text->size() - suffix.size(), suffix.size(), suffix) == 0) {
        char* end = nullptr;
        const std::string number = text->substr(0, text->size() - suffix.size());
        const double amount = std::strtod(number.c_str(), &end);
        while (end != nullptr && *end == ' ') ++end;
        if (end == number.c_str() || (end != nullptr && *end != '\0') || !(amount > 0)) {
          r.error(node.origin, path, "expected a positive number before '" + suffix + "'", "e.g. 2 working days");
          return;
        }
        limit = {kind, amount};
        return;
      }
  const Quantity parsed = parse_duration_s(*text);
  if (!parsed.value) {
    r.error(node.origin, path, parsed.error, "a duration (3d) or working time (2 working days, 16 working hours)");
    return;
  }
  limit = {TimeLimit::Kind::clock, *parsed.value};
}

std::optional<long long> read_day_index(Reader& r, const DocNode& node, const std::string& path, long long start_day) {
  const auto text = r.text(node, path);
  if (!text) return std::nullopt;
  long long day = 0;
  if (!parse_iso_date(*text, day)) {
    r.error(node.origin, path, "'" + *text + "' is not a date", "write YYYY-MM-DD, e.g. 2026-10-01");
    return std::nullopt;
  }
  return day - start_day;
}

void read_calendar(Reader& r, const DocNode& node, Scenario& s) {
  if (!r.keys(node, "calendar", {"start_date", "working_hours", "working_days", "holidays", "extra_working_days"})) return;
  Calendar& c = s.calendar;
  c.defined = true;
  long long start_day = 0;
  if (const auto* n = r.need(node, "calendar", "start_date", "the date of simulated day 0, a Monday, e.g. 2026-10-05"))
    if (auto value = r.text(*n, "calendar.start_date")) {
      c.start_date = *value;
      if (!parse_iso_date(*value, start_day)) r.error(n->origin, "calendar.start_date", "'" + *value + "' is not a date", "write YYYY-MM-DD");
      else if ((start_day + 3) % 7 != 0)   // 1970-01-01 was a Thursday
        r.error(n->origin, "calendar.start_date", "day 0 must be a Monday (shifts count weekdays from it)",
                "choose the Monday of the week to simulate");
    }
  if (const auto* n = Reader::maybe(node, "working_hours")) {
    if (r.keys(*n, "calendar.working_hours", {"from", "to"})) {
      if (const auto* p = r.need(*n, "calendar.working_hours", "from", "e.g. from: 9h"))
        if (auto value = r.quantity(*p, "calendar.working_hours.from", parse_duration_s)) c.work_from_s = *value;
      if (const auto* p = r.need(*n, "calendar.working_hours", "to", "e.g. to: 17h"))
        if (auto value = r.quantity(*p, "calendar.working_hours.to", parse_duration_s)) c.work_to_s = *value;
      if (!(c.work_from_s >= 0 && c.work_from_s < c.work_to_s && c.work_to_s <= 86400))
        r.error(n->origin, "calendar.working_hours", "need 0 <= from < to <= 24h");
    }
  }
  if (const auto* n = Reader::maybe(node, "working_days")) {
    static const std::vector<std::string> names = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    c.working_weekdays.fill(false);
    for (const auto& day : r.names(*n, "calendar.working_days")) {
      const auto it = std::find(names.begin(), names.end(), day);
      if (it == names.end()) r.error(n->origin, "calendar.working_days", "'" + day + "' is not a day", "use mon ... sun");
      else c.working_weekdays[static_cast<std::size_t>(it - names.begin())] = true;
    }
  }
  for (const auto& [key, days] : {std::pair<const char*, std::vector<long long>*>{"holidays", &c.holidays},
                                  std::pair<const char*, std::vector<long long>*>{"extra_working_days", &c.extra_working_days}})
    if (const auto* n = Reader::maybe(node, key)) {
      if (!n->is_sequence()) {
        r.error(n->origin, std::string("calendar.") + key, "expected a list of dates", "e.g. [2026-10-01, 2026-10-02]");
        continue;
      }
      for (std::size_t k = 0; k < n->items.size(); ++k)
        if (auto day = read_day_index(r, n->items[k], std::string("calendar.") + key + "." + std::to_string(k), start_day))
          days->push_back(*day);
    }
}

void read_visits(Reader& r, const DocNode& node, const std::string& path, Team& team) {
  if (!r.keys(node, path, {"every", "household_size", "key_population", "time_per_household", "campaigns", "yield"}))
    return;
  VisitProgramme visits;
  if (const auto* n = r.need(node, path, "every", "each household every so long, e.g. every: 30d"))
    if (auto value = r.quantity(*n, path + ".every", parse_duration_s)) {
      visits.every_s = *value;
      if (*value <= 0) r.error(n->origin, path + ".every", "must be positive");
    }
  if (const auto* n = Reader::maybe(node, "household_size"))
    if (auto value = r.number(*n, path + ".household_size", 0.5, 20)) visits.household_size = *value;
  if (const auto* n = Reader::maybe(node, "key_population")) {
    const std::string sub = path + ".key_population";
    if (r.keys(*n, sub, {"share", "every"})) {
      if (const auto* p = r.need(*n, sub, "share", "share of households, e.g. share: 0.05"))
        if (auto value = r.number(*p, sub + ".share", 0, 1)) visits.key_population_share = *value;
      if (const auto* p = r.need(*n, sub, "every", "e.g. every: 7d"))
        if (auto value = r.quantity(*p, sub + ".every", parse_duration_s)) {
          visits.key_every_s = *value;
          if (*value <= 0) r.error(p->origin, sub + ".every", "must be positive");
        }
    }
  }
  if (const auto* n = r.need(node, path, "time_per_household", "e.g. time_per_household: {distribution: fixed, mean: 15min}"))
    read_distribution(r, *n, path + ".time_per_household", visits.time_per_household);
  if (const auto* n = Reader::maybe(node, "campaigns")) {
    if (!n->is_sequence()) r.error(n->origin, path + ".campaigns", "expected a list", "e.g. - {from: 30d, to: 44d, every: 7d}");
    else
      for (std::size_t k = 0; k < n->items.size(); ++k) {
        const std::string sub = path + ".campaigns." + std::to_string(k);
        const DocNode& c = n->items[k];
        if (!r.keys(c, sub, {"from", "to", "every"})) continue;
        VisitCampaign campaign;
        if (const auto* p = r.need(c, sub, "from", "e.g. from: 30d (simulated time)"))
          if (auto value = r.quantity(*p, sub + ".from", parse_duration_s)) campaign.from_s = *value;
        if (const auto* p = r.need(c, sub, "to", "e.g. to: 44d"))
          if (auto value = r.quantity(*p, sub + ".to", parse_duration_s)) campaign.to_s = *value;
        if (const auto* p = r.need(c, sub, "every", "e.g. every: 7d"))
          if (auto value = r.quantity(*p, sub + ".every", parse_duration_s)) campaign.every_s = *value;
        if (campaign.to_s <= campaign.from_s || campaign.every_s <= 0)
          r.error(c.origin, sub, "a campaign needs from < to and a positive every");
        visits.campaigns.push_back(campaign);
      }
  }
  if (const auto* n = Reader::maybe(node, "yield"))
    if (auto value = r.choice<bool>(*n, path + ".yield", {{"preempt", true}, {"finish", false}}))
      visits.preempted_by_incidents = *value;
  team.visits = visits;
}

void read_teams(Reader& r, const DocNode& node, Scenario& s) {
  if (!node.is_sequence() || node.items.empty()) {
    r.error(node.origin, "teams", "expected a non-empty list of teams", "e.g. - {name: grid_worker, level: grid, per_unit: 1, roles: [grid_worker]}");
    return;
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const std::string path = "teams." + std::to_string(i);
    const DocNode& item = node.items[i];
    if (!r.keys(item, path, {"name", "level", "per_unit", "roles", "shift", "availability", "idle", "patrol_round",
                             "visits", "extra_by_unit"}))
      continue;
    Team team;
    if (const auto* n = r.need(item, path, "name", "e.g. name: grid_worker"))
      if (auto value = r.text(*n, path + ".name")) {
        team.name = *value;
        if (!seen.insert(team.name).second) r.error(n->origin, path + ".name", "team '" + team.name + "' is defined twice");
      }
    if (const auto* n = r.need(item, path, "level", "one of grid, community, town, city"))
      if (auto value = r.choice<Level>(*n, path + ".level", {{"grid", Level::grid}, {"community", Level::community},
                                                             {"town", Level::town}, {"city", Level::city}}))
        team.level = *value;
    if (const auto* n = Reader::maybe(item, "per_unit"))
      if (auto value = r.integer(*n, path + ".per_unit", 0, 1000)) team.per_unit = static_cast<int>(*value);
    if (const auto* n = r.need(item, path, "roles", "e.g. roles: [grid_worker]")) team.roles = r.names(*n, path + ".roles");
    if (const auto* n = Reader::maybe(item, "shift")) read_shift(r, *n, path + ".shift", team);
    if (const auto* n = Reader::maybe(item, "idle"))
      if (auto value = r.choice<bool>(*n, path + ".idle", {{"at_base", false}, {"patrol", true}}))
        team.patrols_when_idle = *value;
    if (const auto* n = Reader::maybe(item, "availability"))
      if (auto value = r.number(*n, path + ".availability", 0, 1)) {
        team.availability = *value;
      }
    if (const auto* n = Reader::maybe(item, "patrol_round"))
      if (auto value = r.quantity(*n, path + ".patrol_round", parse_duration_s)) {
        team.patrol_round_s = *value;
        if (*value <= 0) r.error(n->origin, path + ".patrol_round", "a patrol round takes some time", "e.g. patrol_round: 2h");
        if (!team.patrols_when_idle) r.error(n->origin, path + ".patrol_round", "patrol rounds need idle: patrol");
      }
    if (const auto* n = Reader::maybe(item, "visits")) read_visits(r, *n, path + ".visits", team);
    if (const auto* n = Reader::maybe(item, "extra_by_unit")) {
      if (!n->is_map()) {
        r.error(n->origin, path + ".extra_by_unit", "expected a map of unit: extra members", "e.g. extra_by_unit: {C07: 2}");
      } else {
        for (std::size_t k = 0; k < n->entries.size(); ++k) {
          const auto& [unit, value] = n->entries[k];
          if (auto extra = r.integer(value, path + ".extra_by_unit." + unit, 0, 1000))
            team.extra_by_unit.push_back({unit, static_cast<int>(*extra), n->key_origins[k].file, n->key_origins[k].line,
                                          n->key_origins[k].col});
        }
      }
    }
    s.teams.push_back(team);
  }
}

void read_distribution(Reader& r, const DocNode& node, const std::string& path, Distribution& d) {
  if (!node.is_map()) {
    r.error(node.origin, path, "expected {distribution: ..., mean: ...}", "e.g. {distribution: exponential, mean: 45min}");
    return;
  }
  const auto* kind_node = r.need(node, path, "distribution", "one of exponential, fixed, uniform, lognormal, gamma, erlang");
  if (kind_node == nullptr) return;
  const auto kind = r.choice<DistributionKind>(*kind_node, path + ".distribution",
                                                {{"exponential", DistributionKind::exponential}, {"fixed", DistributionKind::fixed},
                                                 {"uniform", DistributionKind::uniform}, {"lognormal", DistributionKind::lognormal},
                                                 {"gamma", DistributionKind::gamma}, {"erlang", DistributionKind::erlang}});
  if (!kind) return;
  d.kind = *kind;
  auto duration = [&](const char* key, const char* hint) -> std::optional<double> {
    if (const auto* n = r.need(node, path, key, hint)) return r.quantity(*n, path + "." + key, parse_duration_s);
    return std::nullopt;
  };
  // A time that outlasts the whole run is a unit typed wrong (min for h, d for min), not a plan.
  auto within_horizon = [&](const char* key, double value_s) {
    if (r.horizon_s() && value_s > *r.horizon_s())
      r.error(node.find(key)->origin, path + "." + key,
              std::string(key) + " " + node.find(key)->scalar + " is longer than the run's horizon",
              "check the unit: s, min, h, d");
  };
  auto positive_mean = [&] {
    if (auto mean = duration("mean", "e.g. mean: 45min")) {
      d.mean_s = *mean;
      if (*mean <= 0) r.error(node.find("mean")->origin, path + ".mean", "mean must be positive");
      within_horizon("mean", *mean);
    }
  };
  switch (d.kind) {
    case DistributionKind::exponential:
    case DistributionKind::fixed:
      r.keys(node, path, {"distribution", "mean"});
      positive_mean();
      break;
    case DistributionKind::uniform: {
      r.keys(node, path, {"distribution", "min", "max"});
      const auto low = duration("min", "e.g. min: 10min");
      const auto high = duration("max", "e.g. max: 40min");
      if (low && high) {
        d.min_s = *low;
        d.max_s = *high;
        d.mean_s = (*low + *high) / 2;
        if (*high <= *low) r.error(node.origin, path, "max must be greater than min");
        within_horizon("max", *high);
      }
      break;
    }
    case DistributionKind::lognormal:
      r.keys(node, path, {"distribution", "mean", "sd"});
      positive_mean();
      if (auto sd = duration("sd", "e.g. sd: 15min")) d.sd_s = *sd;
      break;
    case DistributionKind::gamma:
      r.keys(node, path, {"distribution", "mean", "shape"});
      positive_mean();
      if (const auto* n = r.need(node, path, "shape", "e.g. shape: 2"))
        if (auto shape = r.number(*n, path + ".shape", 1e-3, 1e4)) d.shape = *shape;
      break;
    case DistributionKind::erlang:
      r.keys(node, path, {"distribution", "mean", "k"});
      positive_mean();
      if (const auto* n = r.need(node, path, "k", "e.g. k: 3"))
        if (auto k = r.integer(*n, path + ".k", 1, 1000)) d.shape = static_cast<double>(*k);
      break;
  }
}

void read_discovery(Reader& r, const DocNode& node, const std::string& path, IncidentType& type) {
  if (!r.keys(node, path, {"report_probability", "report_delay", "visit_detection", "patrol_detection"})) return;
  if (const auto* n = Reader::maybe(node, "visit_detection"))
    if (auto value = r.number(*n, path + ".visit_detection", 0, 1)) type.visit_detection_probability = *value;
  if (const auto* n = Reader::maybe(node, "patrol_detection"))
    if (auto value = r.number(*n, path + ".patrol_detection", 0, 1)) type.patrol_detection_probability = *value;
  if (const auto* n = Reader::maybe(node, "report_probability"))
    if (auto value = r.number(*n, path + ".report_probability", 0, 1)) type.report_probability = *value;
  if (const auto* n = Reader::maybe(node, "report_delay")) {
    Distribution delay;
    read_distribution(r, *n, path + ".report_delay", delay);
    type.report_delay = delay;
  }
}

void read_reporting(Reader& r, const DocNode& node, const std::string& path, IncidentType& type) {
  if (!r.keys(node, path, {"delay", "on_time_limit", "not_reported"})) return;
  IncidentType::Reporting reporting;
  if (const auto* n = Reader::maybe(node, "delay")) {
    Distribution delay;
    read_distribution(r, *n, path + ".delay", delay);
    reporting.delay = delay;
  }
  if (const auto* n = Reader::maybe(node, "on_time_limit"))
    if (auto value = r.quantity(*n, path + ".on_time_limit", parse_duration_s)) reporting.on_time_limit_s = *value;
  if (const auto* n = Reader::maybe(node, "not_reported")) {
    const std::string sub = path + ".not_reported";
    if (r.keys(*n, sub, {"handled", "could_not_handle", "sensitive"})) {
      if (const auto* p = Reader::maybe(*n, "handled"))
        if (auto value = r.number(*p, sub + ".handled", 0, 1)) reporting.not_reported_handled = *value;
      if (const auto* p = Reader::maybe(*n, "could_not_handle"))
        if (auto value = r.number(*p, sub + ".could_not_handle", 0, 1)) reporting.not_reported_could_not_handle = *value;
      if (const auto* p = Reader::maybe(*n, "sensitive"))
        if (auto value = r.number(*p, sub + ".sensitive", 0, 1)) reporting.not_reported_sensitive = *value;
    }
  }
  type.reporting = reporting;
}

// escalation.after and incidents[].escalation.after: how long a case may wait at each level before it goes up.
void read_wait_limits(Reader& r, const DocNode& node, const std::string& path, std::array<double, 4>& after_s) {
  if (!r.keys(node, path, {"grid", "community", "town"})) return;
  const char* levels[3] = {"grid", "community", "town"};
  for (int level = 0; level < 3; ++level)
    if (const auto* t = Reader::maybe(node, levels[level]))
      if (auto value = r.quantity(*t, path + "." + levels[level], parse_duration_s)) {
        after_s[static_cast<std::size_t>(level)] = *value;
        if (*value <= 0) r.error(t->origin, path + "." + levels[level], "must be positive", "leave the level out: never by time");
      }
}

std::optional<WhenBusy> read_when_busy(Reader& r, const DocNode& node, const std::string& path) {
  return r.choice<WhenBusy>(node, path, {{"wait", WhenBusy::wait}, {"escalate", WhenBusy::escalate}});
}

// incidents[].escalation: the type's own when_busy and/or after, replacing the scenario-wide ones.
void read_type_escalation(Reader& r, const DocNode& node, const std::string& path, IncidentType& type) {
  if (!r.keys(node, path, {"when_busy", "after"})) return;
  IncidentType::EscalationOverride own;
  if (const auto* busy = Reader::maybe(node, "when_busy")) own.when_busy = read_when_busy(r, *busy, path + ".when_busy");
  if (const auto* after = Reader::maybe(node, "after")) {
    std::array<double, 4> after_s{0, 0, 0, 0};
    read_wait_limits(r, *after, path + ".after", after_s);
    own.after_s = after_s;
  }
  if (Reader::maybe(node, "when_busy") == nullptr && Reader::maybe(node, "after") == nullptr)
    r.error(node.origin, path, "names neither when_busy nor after", "e.g. escalation: {when_busy: escalate}");
  type.escalation = own;
}

// A type's own escalation rule needs levels to go up: the scenario's escalation.mode must be tiered.
void check_type_escalation(Reader& r, const DocNode* incidents, const Scenario& s) {
  if (incidents == nullptr || !incidents->is_sequence() || s.escalation.mode == EscalationMode::tiered) return;
  for (std::size_t i = 0; i < incidents->items.size(); ++i)
    if (const auto* n = Reader::maybe(incidents->items[i], "escalation"))
      r.error(n->origin, "incidents." + std::to_string(i) + ".escalation", "a type's own escalation rule needs escalation.mode: tiered",
              "a pooled service has no levels to go up to");
}

void read_incidents(Reader& r, const DocNode& node, Scenario& s) {
  if (!node.is_sequence() || node.items.empty()) {
    r.error(node.origin, "incidents", "expected a non-empty list of incident types",
            "e.g. - {type: dispute, rate: 2/d, service: {distribution: exponential, mean: 45min}, target: 30min, roles: [grid_worker]}");
    return;
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const std::string path = "incidents." + std::to_string(i);
    const DocNode& item = node.items[i];
    if (!r.keys(item, path, {"type", "rate", "rate_per_1000_residents", "hourly_profile", "service", "target", "roles",
                             "priority", "min_level", "failure_probability", "deadline", "discovery", "reporting",
                             "migrant_rate_ratio", "develops", "disposal_deadline", "key_population_rate_ratio",
                             "case_flow", "escalation"}))
      continue;
    IncidentType type;
    if (const auto* n = r.need(item, path, "type", "e.g. type: dispute"))
      if (auto value = r.text(*n, path + ".type")) {
        type.name = *value;
        if (!seen.insert(type.name).second) r.error(n->origin, path + ".type", "incident type '" + type.name + "' is defined twice");
      }
    const auto* rate = Reader::maybe(item, "rate");
    const auto* per_capita = Reader::maybe(item, "rate_per_1000_residents");
    if ((rate == nullptr) == (per_capita == nullptr)) {
      r.error(rate != nullptr ? rate->origin : item.origin, path,
              rate != nullptr ? "give either 'rate' or 'rate_per_1000_residents', not both"
                              : "missing 'rate' (per grid) or 'rate_per_1000_residents'",
              "e.g. rate: 2/d");
    } else if (rate != nullptr) {
      if (auto value = r.quantity(*rate, path + ".rate", parse_rate_per_s)) type.rate_per_grid_per_s = *value;
    } else if (auto value = r.quantity(*per_capita, path + ".rate_per_1000_residents", parse_rate_per_s)) {
      type.rate_per_1000_residents_per_s = *value;
    }
    if (const auto* n = Reader::maybe(item, "hourly_profile")) {
      if (!n->is_sequence() || n->items.size() != 24) {
        r.error(n->origin, path + ".hourly_profile", "expected exactly 24 numbers (00:00-01:00 first)");
      } else {
        double sum = 0;
        for (std::size_t h = 0; h < 24; ++h) {
          const auto value = r.number(n->items[h], path + ".hourly_profile." + std::to_string(h), 0, 1e6);
          type.hourly_profile.push_back(value.value_or(0));
          sum += value.value_or(0);
        }
        if (sum <= 0) r.error(n->origin, path + ".hourly_profile", "all 24 values are zero");
        else
          for (auto& value : type.hourly_profile) value *= 24 / sum;
      }
    }
    if (const auto* n = r.need(item, path, "service", "e.g. service: {distribution: exponential, mean: 45min}"))
      read_distribution(r, *n, path + ".service", type.service);
    if (const auto* n = r.need(item, path, "target", "e.g. target: 30min (response target)"))
      if (auto value = r.quantity(*n, path + ".target", parse_duration_s)) type.target_s = *value;
    if (const auto* n = r.need(item, path, "roles", "e.g. roles: [grid_worker]")) type.roles = r.names(*n, path + ".roles");
    if (type.roles.size() > 16) r.error(item.origin, path + ".roles", "more than 16 roles at once", "split the incident type");
    if (const auto* n = Reader::maybe(item, "priority"))
      if (auto value = r.integer(*n, path + ".priority", 1, 9)) type.priority = static_cast<int>(*value);
    if (const auto* n = Reader::maybe(item, "min_level"))
      if (auto value = r.choice<Level>(*n, path + ".min_level", {{"grid", Level::grid}, {"community", Level::community},
                                                                 {"town", Level::town}, {"city", Level::city}}))
        type.min_level = *value;
    if (const auto* n = Reader::maybe(item, "failure_probability"))
      if (auto value = r.number(*n, path + ".failure_probability", 0, 1)) type.failure_probability = *value;
    if (const auto* n = Reader::maybe(item, "deadline")) read_time_limit(r, *n, path + ".deadline", type.deadline);
    if (const auto* n = Reader::maybe(item, "disposal_deadline"))
      read_time_limit(r, *n, path + ".disposal_deadline", type.disposal_deadline);
    if (const auto* n = Reader::maybe(item, "migrant_rate_ratio"))
      if (auto value = r.number(*n, path + ".migrant_rate_ratio", 0, 100)) type.migrant_rate_ratio = *value;
    if (const auto* n = Reader::maybe(item, "key_population_rate_ratio"))
      if (auto value = r.number(*n, path + ".key_population_rate_ratio", 0, 1000)) type.key_population_rate_ratio = *value;
    if (const auto* n = Reader::maybe(item, "discovery")) read_discovery(r, *n, path + ".discovery", type);
    if (const auto* n = Reader::maybe(item, "reporting")) read_reporting(r, *n, path + ".reporting", type);
    if (const auto* n = Reader::maybe(item, "case_flow")) {
      const std::string sub = path + ".case_flow";
      if (r.keys(*n, sub, {"registration", "registration_by", "registration_limit", "check", "check_by", "check_limit",
                           "rework_probability"})) {
        IncidentType::CaseFlow flow;
        // A step is a time (registration, check), optionally the role whose member does it (<step>_by) and
        // its time limit (<step>_limit); the last two need the first.
        const auto read_step = [&](const std::string& key, std::optional<Distribution>& time, std::string& by_role,
                                   TimeLimit& limit, const char* hint) {
          if (const auto* p = Reader::maybe(*n, key)) {
            Distribution delay;
            read_distribution(r, *p, sub + "." + key, delay);
            time = delay;
          }
          if (const auto* p = Reader::maybe(*n, key + "_by"))
            if (auto role = r.text(*p, sub + "." + key + "_by")) {
              by_role = *role;
              if (!time) r.error(p->origin, sub + "." + key + "_by", "a " + key + " by a role needs the " + key + " time", hint);
            }
          if (const auto* p = Reader::maybe(*n, key + "_limit")) {
            read_time_limit(r, *p, sub + "." + key + "_limit", limit);
            if (!time)
              r.error(p->origin, sub + "." + key + "_limit", "a limit for a step the case flow does not have", hint);
          }
        };
        read_step("registration", flow.registration, flow.registration_by, flow.registration_limit,
                  "add registration: {distribution: exponential, mean: 5min}");
        read_step("check", flow.check, flow.check_by, flow.check_limit,
                  "add check: {distribution: exponential, mean: 30min}");
        if (const auto* p = Reader::maybe(*n, "rework_probability"))
          if (auto value = r.number(*p, sub + ".rework_probability", 0, 0.99)) flow.rework_probability = *value;
        if (flow.rework_probability > 0 && !flow.check)
          r.error(n->origin, sub + ".rework_probability", "rework needs a check", "add check: {distribution: ..., mean: ...}");
        type.case_flow = flow;
      }
    }
    if (const auto* n = Reader::maybe(item, "escalation")) read_type_escalation(r, *n, path + ".escalation", type);
    if (const auto* n = Reader::maybe(item, "develops")) {
      const std::string sub = path + ".develops";
      if (r.keys(*n, sub, {"into", "probability", "after"})) {
        IncidentType::Development development;
        if (const auto* p = r.need(*n, sub, "into", "the incident type it becomes, e.g. into: accident"))
          if (auto value = r.text(*p, sub + ".into")) development.into = *value;
        if (const auto* p = r.need(*n, sub, "probability", "e.g. probability: 0.2"))
          if (auto value = r.number(*p, sub + ".probability", 0, 1)) development.probability = *value;
        if (const auto* p = r.need(*n, sub, "after", "e.g. after: {distribution: exponential, mean: 14d}"))
          read_distribution(r, *p, sub + ".after", development.after);
        type.develops = development;
      }
    }
    s.incidents.push_back(type);
  }
}

// Cross-references of the discovery rules: what develops must develop into a known other type. (A detection
// probability with nobody visiting or patrolling is allowed: the incident mix of a district stays the same
// across management models, and a model without visits simply finds nothing that way.)
void check_discovery_rules(Reader& r, const DocNode* incidents, Scenario& s) {
  for (std::size_t i = 0; i < s.incidents.size() && incidents != nullptr && incidents->is_sequence(); ++i) {
    IncidentType& type = s.incidents[i];
    const DocNode& item = incidents->items[i];
    const std::string path = "incidents." + std::to_string(i);
    if (!type.develops) continue;
    const DocNode* into = Reader::maybe(item, "develops") ? Reader::maybe(*Reader::maybe(item, "develops"), "into") : nullptr;
    for (std::size_t k = 0; k < s.incidents.size(); ++k)
      if (s.incidents[k].name == type.develops->into) type.develops->into_type = static_cast<int>(k);
    std::vector<std::string> names;
    for (const auto& other : s.incidents) names.push_back(other.name);
    if (type.develops->into_type < 0 && into != nullptr)
      r.error(into->origin, path + ".develops.into", "no incident type '" + type.develops->into + "'",
              "incident types: " + join(names));
    else if (type.develops->into_type == static_cast<int>(i) && into != nullptr)
      r.error(into->origin, path + ".develops.into", "an incident type cannot develop into itself");
  }
}

// Working-time limits and calendar shifts need a calendar to count in.
void check_working_time(Reader& r, const DocNode& root, const Scenario& s) {
  if (s.calendar.defined) return;
  const DocNode* incidents = Reader::maybe(root, "incidents");
  // `parent` holds `key`: the type's own limits (deadlines) or its case flow's (step limits).
  const auto needs_no_calendar = [&](const DocNode* parent, const std::string& path, const char* key, const TimeLimit& limit) {
    if (parent != nullptr && (limit.kind == TimeLimit::Kind::working_days || limit.kind == TimeLimit::Kind::working_hours))
      r.error(Reader::maybe(*parent, key)->origin, path + "." + key, "working time needs a calendar",
              "add calendar: {start_date: 2026-10-05, working_hours: {from: 9h, to: 17h}}");
  };
  for (std::size_t i = 0; i < s.incidents.size() && incidents != nullptr && incidents->is_sequence(); ++i) {
    const std::string path = "incidents." + std::to_string(i);
    const DocNode* item = &incidents->items[i];
    needs_no_calendar(item, path, "deadline", s.incidents[i].deadline);
    needs_no_calendar(item, path, "disposal_deadline", s.incidents[i].disposal_deadline);
    if (const auto& flow = s.incidents[i].case_flow) {
      const DocNode* node = Reader::maybe(*item, "case_flow");
      needs_no_calendar(node, path + ".case_flow", "registration_limit", flow->registration_limit);
      needs_no_calendar(node, path + ".case_flow", "check_limit", flow->check_limit);
    }
  }
  const DocNode* teams = Reader::maybe(root, "teams");
  for (std::size_t i = 0; i < s.teams.size() && teams != nullptr && teams->is_sequence(); ++i)
    if (s.teams[i].shift && s.teams[i].shift->follows_calendar)
      r.error(Reader::maybe(teams->items[i], "shift")->origin, "teams." + std::to_string(i) + ".shift.days",
              "days: working needs a calendar", "add calendar: {start_date: ...} or list the weekdays");
}

void check_roles_and_sizes(Reader& r, const DocNode& root, Scenario& s) {
  std::vector<std::string> provided;
  for (const auto& team : s.teams)
    for (const auto& role : team.roles)
      if (std::find(provided.begin(), provided.end(), role) == provided.end()) provided.push_back(role);
  const DocNode* incidents = Reader::maybe(root, "incidents");
  for (std::size_t i = 0; i < s.incidents.size() && incidents != nullptr && incidents->is_sequence(); ++i) {
    const DocNode* roles = Reader::maybe(incidents->items[i], "roles");
    for (std::size_t k = 0; k < s.incidents[i].roles.size() && roles != nullptr && roles->is_sequence(); ++k) {
      const std::string& role = s.incidents[i].roles[k];
      const std::string path = "incidents." + std::to_string(i) + ".roles." + std::to_string(k);
      if (std::find(provided.begin(), provided.end(), role) == provided.end()) {
        r.error(roles->items[k].origin, path, "no team has role '" + role + "'", "roles the teams have: " + join(provided));
        continue;
      }
      const bool high_enough = std::any_of(s.teams.begin(), s.teams.end(), [&](const Team& team) {
        return team.level >= s.incidents[i].min_level && team.per_unit > 0 &&
               std::find(team.roles.begin(), team.roles.end(), role) != team.roles.end();
      });
      if (!high_enough)
        r.error(roles->items[k].origin, path,
                std::string("no team at level ") + to_string(s.incidents[i].min_level) + " or above has role '" + role + "'",
                "lower min_level or give a higher-level team the role");
    }
  }
  for (std::size_t i = 0; i < s.incidents.size() && incidents != nullptr && incidents->is_sequence(); ++i) {
    const auto& flow = s.incidents[i].case_flow;
    if (!flow) continue;
    for (const auto& [key, role] : {std::pair<const char*, const std::string*>{"registration_by", &flow->registration_by},
                                    std::pair<const char*, const std::string*>{"check_by", &flow->check_by}}) {
      if (role->empty() || std::find(provided.begin(), provided.end(), *role) != provided.end()) continue;
      const DocNode* node = Reader::maybe(incidents->items[i], "case_flow");
      if (node != nullptr) node = Reader::maybe(*node, key);
      r.error(node != nullptr ? node->origin : incidents->items[i].origin,
              "incidents." + std::to_string(i) + ".case_flow." + key, "no team has role '" + *role + "'",
              "roles the teams have: " + join(provided));
    }
  }
  // A desk member registers at the platform; it cannot be out on a case at the same time, so a team with a
  // desk role has no role that incidents need on scene.
  const DocNode* teams = Reader::maybe(root, "teams");
  for (std::size_t t = 0; t < s.teams.size() && teams != nullptr && teams->is_sequence(); ++t) {
    const auto& roles = s.teams[t].roles;
    bool desk = false, field = false;
    for (const auto& type : s.incidents) {
      if (type.case_flow && (std::find(roles.begin(), roles.end(), type.case_flow->registration_by) != roles.end() ||
                             std::find(roles.begin(), roles.end(), type.case_flow->check_by) != roles.end()))
        desk = true;
      for (const auto& role : type.roles) field = field || std::find(roles.begin(), roles.end(), role) != roles.end();
    }
    if (desk && field)
      r.error(teams->items[t].origin, "teams." + std::to_string(t) + ".roles",
              "a team registers or checks cases at the platform (case_flow.registration_by, check_by) and is also "
              "sent to them",
              "give the platform role to a team of its own (受理员, 核查员)");
  }
  check_discovery_rules(r, incidents, s);
  if (s.layout.grid_count() <= 0) return;
  const auto ceil_div = [](long long a, long long b) { return (a + b - 1) / b; };
  long long units[4] = {s.layout.grid_count(), 0, 0, 1};
  if (s.layout.geo) {
    units[1] = static_cast<long long>(s.layout.geo->community_ids.size());
    units[2] = static_cast<long long>(s.layout.geo->town_ids.size());
  } else {
    const long long community_rows = ceil_div(s.layout.rows, s.layout.community_block_rows);
    const long long community_cols = ceil_div(s.layout.cols, s.layout.community_block_cols);
    units[1] = community_rows * community_cols;
    units[2] = ceil_div(community_rows, s.layout.town_block_rows) * ceil_div(community_cols, s.layout.town_block_cols);
  }
  long long responders = 0;
  for (const auto& team : s.teams) responders += units[static_cast<int>(team.level)] * team.per_unit;
  if (responders > max_responders)
    r.error(Reader::maybe(root, "teams") ? Reader::maybe(root, "teams")->origin : root.origin, "teams",
            "the teams add up to " + std::to_string(responders) + " responders",
            "at most " + std::to_string(max_responders) + " in one scenario");
  double expected = 0;
  double mean_residents = s.population.residents_per_grid;
  if (s.layout.geo) {   // the GeoJSON's own numbers where it has them
    double sum = 0;
    for (const auto& grid : s.layout.geo->grids) sum += grid.residents.value_or(s.population.residents_per_grid);
    mean_residents = sum / static_cast<double>(units[0]);
  }
  for (const auto& type : s.incidents)
    expected += (type.rate_per_grid_per_s + type.rate_per_1000_residents_per_s * mean_residents / 1000) *
                std::max(1.0, type.migrant_rate_ratio) * std::max(1.0, type.key_population_rate_ratio) *
                static_cast<double>(units[0]) * s.run.horizon_s;
  if (expected > max_expected_incidents)
    r.error(Reader::maybe(root, "incidents") ? Reader::maybe(root, "incidents")->origin : root.origin, "incidents",
            "about " + expected_text(expected) + " incidents expected per replication",
            "at most 200000000: shorten run.horizon or lower the rates");
}

// dispatch: the policy and its settings. Preference lists belong to policy: preference_list alone, and that
// policy needs them: either without the other is a scenario half-edited, not a choice.
// dispatch.mutual_aid: {neighbours: adjacent | {within: 1km}, after: 10min}. Only own_unit_only keeps staff to
// their own grid; under every other policy a neighbour's idle member could already go, so the rule would mean
// nothing, and it says so rather than being ignored.
void read_mutual_aid(Reader& r, const DocNode& node, Scenario& s) {
  const std::string path = "dispatch.mutual_aid";
  if (!r.keys(node, path, {"neighbours", "after"})) return;
  MutualAid aid;
  bool complete = true;
  if (const auto* neighbours = r.need(node, path, "neighbours", "neighbours: adjacent (shared edges), or neighbours: {within: 1km}")) {
    if (neighbours->is_map()) {
      if (r.keys(*neighbours, path + ".neighbours", {"within"})) {
        aid.neighbours = NeighbourKind::within;
        if (const auto* within = r.need(*neighbours, path + ".neighbours", "within", "e.g. within: 1km"))
          if (auto value = r.quantity(*within, path + ".neighbours.within", parse_distance_m)) aid.within_m = *value;
          else complete = false;
        else complete = false;
      } else {
        complete = false;
      }
    } else if (auto value = r.choice<NeighbourKind>(*neighbours, path + ".neighbours", {{"adjacent", NeighbourKind::adjacent}})) {
      aid.neighbours = *value;
    } else {
      complete = false;
    }
  } else {
    complete = false;
  }
  if (const auto* after = r.need(node, path, "after", "how long a case waits for its own grid first, e.g. after: 10min (0s: at once)")) {
    if (auto value = r.quantity(*after, path + ".after", parse_duration_s)) aid.after_s = *value;
    else complete = false;
  } else {
    complete = false;
  }
  if (s.dispatch.policy != DispatchPolicyName::own_unit_only)
    r.error(node.origin, path, std::string("mutual aid lends grid staff across grids under policy: own_unit_only, not ") +
                                   to_string(s.dispatch.policy),
            "set dispatch.policy: own_unit_only (the other policies already send any free member)");
  if (complete) s.dispatch.mutual_aid = aid;
}

void read_dispatch(Reader& r, const DocNode& node, const std::filesystem::path& base_dir, Scenario& s) {
  if (!r.keys(node, "dispatch", {"policy", "preemption", "preferences", "preferences_file", "mutual_aid"})) return;
  const DocNode* policy = Reader::maybe(node, "policy");
  bool policy_known = true;
  if (policy != nullptr) {
    const auto value = r.choice<DispatchPolicyName>(*policy, "dispatch.policy",
                                                    {{"nearest_idle", DispatchPolicyName::nearest_idle},
                                                     {"own_unit_first", DispatchPolicyName::own_unit_first},
                                                     {"own_unit_only", DispatchPolicyName::own_unit_only},
                                                     {"preference_list", DispatchPolicyName::preference_list}});
    if (value) s.dispatch.policy = *value;
    policy_known = value.has_value();
  }
  if (const auto* preemption = Reader::maybe(node, "preemption"))
    if (auto value = r.choice<Preemption>(*preemption, "dispatch.preemption",
                                          {{"none", Preemption::none}, {"by_priority", Preemption::by_priority}}))
      s.dispatch.preemption = *value;
  const DocNode* preferences = Reader::maybe(node, "preferences");
  const DocNode* file = Reader::maybe(node, "preferences_file");
  const bool listed = s.dispatch.policy == DispatchPolicyName::preference_list;
  if (policy_known && listed && preferences == nullptr && file == nullptr)
    r.error(policy->origin, "dispatch.policy", "preference_list needs the lists",
            "add e.g. preferences: {G01: [G01, G02], default: [C01]}, or preferences_file: FILE with columns grid,rank,unit");
  if (policy_known && !listed)
    for (const auto& [key, given] : {std::pair<const char*, const DocNode*>{"preferences", preferences},
                                     std::pair<const char*, const DocNode*>{"preferences_file", file}})
      if (given != nullptr)
        r.error(given->origin, std::string("dispatch.") + key,
                std::string("preference lists are for policy: preference_list, not ") + to_string(s.dispatch.policy),
                "set dispatch.policy: preference_list, or drop " + std::string(key));
  read_preferences(preferences, file, base_dir, s, r.problems());
  if (const auto* aid = Reader::maybe(node, "mutual_aid"); aid != nullptr && policy_known) read_mutual_aid(r, *aid, s);
}

// standards: [{kpi: closure_rate, at_least: 0.95}, {kpi: response_min_mean, at_most: 30min}, ...]: the whole
// list replaces the defaults (docs/standards.md); each bound is read in its KPI's unit.
void read_standards(Reader& r, const DocNode& node, const LoadOptions& options, Scenario& s) {
  const KpiUnitLookup& kpi_unit = options.kpi_unit;
  if (!kpi_unit) throw std::logic_error("load_scenario: a document with standards: needs LoadOptions::kpi_unit");
  if (!node.is_sequence()) {
    r.error(node.origin, "standards", "expected a list of standards",
            "e.g. standards: [{kpi: closure_rate, at_least: 0.95}, {kpi: response_min_mean, at_most: 30min}]");
    return;
  }
  std::vector<Standard> standards;
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const DocNode& item = node.items[i];
    const std::string path = "standards." + std::to_string(i);
    if (!r.keys(item, path, {"kpi", "at_least", "at_most"})) continue;
    Standard standard;
    standard.origin = item.origin.file + ":" + std::to_string(item.origin.line) + ":" + std::to_string(item.origin.col);
    std::optional<std::string> unit;
    if (const auto* kpi = r.need(item, path, "kpi", "a key of `civicgrid kpis`, e.g. kpi: within_target_rate"))
      if (auto name = r.text(*kpi, path + ".kpi")) {
        standard.kpi = *name;
        unit = name->find('@') == std::string::npos ? kpi_unit(*name) : std::nullopt;
        if (!unit) {
          const char* renamed = options.kpi_renamed ? options.kpi_renamed(*name) : nullptr;
          r.error(kpi->origin, path + ".kpi", "unknown KPI '" + *name + "'",
                  renamed != nullptr ? std::string("renamed: it is now ") + renamed
                                     : "a key of `civicgrid kpis` without a breakdown, e.g. within_target_rate, closure_rate, response_min_p90");
        }
      }
    const DocNode* at_least = Reader::maybe(item, "at_least");
    const DocNode* at_most = Reader::maybe(item, "at_most");
    if ((at_least == nullptr) == (at_most == nullptr)) {
      r.error(item.origin, path, "give exactly one of at_least and at_most", "e.g. {kpi: closure_rate, at_least: 0.95}");
      continue;
    }
    standard.bound = at_least != nullptr ? Bound::at_least : Bound::at_most;
    const DocNode& bound = at_least != nullptr ? *at_least : *at_most;
    const std::string bound_path = path + (at_least != nullptr ? ".at_least" : ".at_most");
    if (!unit) continue;
    const auto text = r.text(bound, bound_path);
    if (!text) continue;
    const Quantity value = parse_kpi_value(*text, *unit);
    if (!value.value) {
      r.error(bound.origin, bound_path, value.error, value.hint);
      continue;
    }
    standard.value = *value.value;
    for (const Standard& earlier : standards)
      if (earlier.kpi == standard.kpi && earlier.bound == standard.bound)
        r.error(item.origin, path, "a second " + std::string(to_string(standard.bound)) + " standard for " + standard.kpi,
                "keep one (the first is at " + earlier.origin + ")");
    standards.push_back(standard);
  }
  s.standards = standards;
}

// coverage: {within: 15min, sample_every: 15min, points_per_side: 16}
void read_coverage(Reader& r, const DocNode& node, Scenario& s) {
  if (!r.keys(node, "coverage", {"within", "sample_every", "points_per_side"})) return;
  if (const auto* within = Reader::maybe(node, "within"))
    if (auto value = r.quantity(*within, "coverage.within", parse_duration_s)) {
      if (*value > 0) s.coverage.within_s = *value;
      else r.error(within->origin, "coverage.within", "the coverage time must be positive", "e.g. within: 15min");
    }
  if (const auto* every = Reader::maybe(node, "sample_every"))
    if (auto value = r.quantity(*every, "coverage.sample_every", parse_duration_s)) {
      if (*value >= 60) s.coverage.sample_every_s = *value;
      else r.error(every->origin, "coverage.sample_every", "sample at most once a simulated minute", "e.g. sample_every: 15min");
    }
  if (const auto* points = Reader::maybe(node, "points_per_side"))
    if (auto value = r.integer(*points, "coverage.points_per_side", 1, 1000)) s.coverage.points_per_side = static_cast<int>(*value);
}

void read_scenario(Reader& r, const DocNode& root, const std::filesystem::path& base_dir, const LoadOptions& options,
                   Scenario& s) {
  if (!r.keys(root, "", {"version", "name", "description", "model", "run", "layout", "population", "travel", "teams",
                         "incidents", "dispatch", "escalation", "calendar", "standards", "coverage"}))
    return;
  if (const auto* n = Reader::maybe(root, "standards")) read_standards(r, *n, options, s);
  if (const auto* n = Reader::maybe(root, "coverage")) read_coverage(r, *n, s);
  if (const auto* n = r.need(root, "", "version", "add 'version: 1' at the top"))
    if (auto value = r.integer(*n, "version", 1, 1)) s.version = static_cast<int>(*value);
  if (const auto* n = r.need(root, "", "name", "e.g. name: riverside"))
    if (auto value = r.text(*n, "name")) {
      s.name = *value;
      const bool valid = !value->empty() && *value != "." && *value != ".." &&
                         std::all_of(value->begin(), value->end(), [](char c) {
                           return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
                         });
      if (!valid) r.error(n->origin, "name", "name '" + *value + "' cannot be a folder name", "use letters, digits, '_', '-' and '.'");
    }
  if (const auto* n = Reader::maybe(root, "description"))
    if (auto value = r.text(*n, "description")) s.description = *value;
  if (const auto* n = r.need(root, "", "run", "e.g. run: {horizon: 30d, warmup: 2d, replications: 10, seed: 1}")) read_run(r, *n, s);
  if (const auto* n = r.need(root, "", "layout", "e.g. layout: {rows: 20, cols: 20, cell_size: 500m}")) read_layout(r, *n, base_dir, s);
  const DocNode* layout = Reader::maybe(root, "layout");
  const bool geojson = layout != nullptr && layout->is_map() && layout->find("geojson") != nullptr;
  if (const auto* n = r.need(root, "", "population", "e.g. population: {residents_per_grid: 1000}"))
    read_population(r, *n, base_dir, geojson, s);
  if (const auto* n = r.need(root, "", "travel", "e.g. travel: {metric: manhattan, speed: 15km/h}")) read_travel(r, *n, base_dir, geojson, s);
  if (const auto* n = r.need(root, "", "teams", "a list of teams")) read_teams(r, *n, s);
  if (const auto* n = r.need(root, "", "incidents", "a list of incident types")) read_incidents(r, *n, s);
  if (const auto* n = Reader::maybe(root, "dispatch")) read_dispatch(r, *n, base_dir, s);
  if (const auto* n = Reader::maybe(root, "escalation")) {
    if (r.keys(*n, "escalation", {"mode", "when_busy", "after"})) {
      if (const auto* after = Reader::maybe(*n, "after")) read_wait_limits(r, *after, "escalation.after", s.escalation.after_s);
      if (const auto* mode = Reader::maybe(*n, "mode"))
        if (auto value = r.choice<EscalationMode>(*mode, "escalation.mode",
                                                  {{"pooled", EscalationMode::pooled}, {"tiered", EscalationMode::tiered}}))
          s.escalation.mode = *value;
      if (const auto* busy = Reader::maybe(*n, "when_busy"))
        if (auto value = read_when_busy(r, *busy, "escalation.when_busy")) s.escalation.when_busy = *value;
      if (Reader::maybe(*n, "after") && s.escalation.mode != EscalationMode::tiered)
        r.error(Reader::maybe(*n, "after")->origin, "escalation.after", "time-based escalation needs mode: tiered",
                "a pooled service has no levels to go up to");
    }
  }
  check_type_escalation(r, Reader::maybe(root, "incidents"), s);
  if (const auto* n = Reader::maybe(root, "calendar")) read_calendar(r, *n, s);
  check_working_time(r, root, s);
  // Lists that are wrong already would only be reported again, as lists that reach nobody.
  const bool lists_read = std::none_of(r.problems().begin(), r.problems().end(), [](const Diagnostic& d) {
    return d.key_path.rfind("dispatch.", 0) == 0;
  });
  if (const auto* dispatch = Reader::maybe(root, "dispatch"); lists_read && dispatch != nullptr && dispatch->is_map()) {
    const auto* lists = Reader::maybe(*dispatch, "preferences");
    const auto* file = Reader::maybe(*dispatch, "preferences_file");
    if (lists != nullptr || file != nullptr)
      check_preferences_reach((lists != nullptr ? lists : file)->origin,
                              lists != nullptr ? "dispatch.preferences" : "dispatch.preferences_file", s, r.problems());
  }
  check_roles_and_sizes(r, root, s);
}

}  // namespace

std::string Diagnostic::format() const {
  std::string text = file + ":" + std::to_string(line) + ":" + std::to_string(col) + ": ";
  if (!key_path.empty()) text += key_path + ": ";
  text += message;
  if (!hint.empty()) text += " (hint: " + hint + ")";
  return text;
}

namespace {
std::string join_formatted(const std::vector<Diagnostic>& diagnostics) {
  std::string text;
  for (const auto& d : diagnostics) text += (text.empty() ? "" : "\n") + d.format();
  return text;
}
}  // namespace

InputError::InputError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join_formatted(diagnostics)), diagnostics_(std::move(diagnostics)) {}

Scenario load_scenario(const std::string& path, const LoadOptions& options) {
  std::vector<Diagnostic> problems;
  DocNode root = parse_yaml_file(path, problems);
  Scenario scenario;
  scenario.source_files.push_back(path);
  std::string header = "# civicgrid resolved scenario: " + path;
  std::filesystem::path base_dir = std::filesystem::path(path).parent_path();
  if (problems.empty() && root.is_map()) {
    if (const DocNode* model = Reader::maybe(root, "model")) {
      if (!model->is_scalar()) {
        problems.push_back({model->origin.file, model->origin.line, model->origin.col, "model", "expected a file path", ""});
      } else {
        scenario.model_path = model->scalar;
        const std::string model_file = (base_dir / model->scalar).string();
        const std::size_t problems_before = problems.size();
        DocNode base = parse_yaml_file(model_file, problems, model->origin, "model");
        if (problems.size() == problems_before) {
          if (base.is_map() && base.find("model") != nullptr)
            problems.push_back({model_file, base.origin.line, base.origin.col, "model", "a model cannot name another model", ""});
          scenario.source_files.push_back(model_file);
          header += "\n# model merged in: " + model_file;
          // The scenario overrides its model; drop `model:` itself since everything is merged.
          DocNode over = root;
          for (std::size_t i = 0; i < over.entries.size(); ++i)
            if (over.entries[i].first == "model") {
              over.entries.erase(over.entries.begin() + static_cast<long>(i));
              over.key_origins.erase(over.key_origins.begin() + static_cast<long>(i));
              break;
            }
          // Scenario keys keep their order and come first; the model fills in what the scenario leaves out.
          DocNode merged;
          merged.kind = DocNode::Kind::map;
          merged.origin = over.origin;
          merge_into(merged, over);
          merge_into(merged, base);
          merge_into(merged, over);
          root = merged;
        }
      }
    }
  }
  if (problems.empty()) {
    for (std::size_t i = 0; i < options.set_overrides.size(); ++i)
      apply_override(root, options.set_overrides[i], static_cast<int>(i) + 1, problems);
    for (const auto& o : options.set_overrides) header += "\n# --set " + o;
    // A bad override path is skipped; the rest is still validated so that every problem is listed at once.
    Reader reader(problems);
    read_scenario(reader, root, base_dir, options, scenario);
  }
  if (!problems.empty()) {
    std::stable_sort(problems.begin(), problems.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return std::tie(a.file, a.line, a.col) < std::tie(b.file, b.line, b.col);
    });
    throw InputError(problems);
  }
  if (const auto& geo = scenario.layout.geo) {
    for (const std::string& file : {geo->geojson_file, geo->bases_file, scenario.travel.matrix_file})
      if (!file.empty()) scenario.source_files.push_back(file);
  }
  if (!scenario.dispatch.preferences_file.empty()) scenario.source_files.push_back(scenario.dispatch.preferences_file);
  scenario.resolved_yaml = emit_yaml(root, header + "\n");
  return scenario;
}

std::string resolved_yaml_with(const std::string& resolved_yaml, const std::string& assignment,
                               const std::string& reason) {
  std::vector<Diagnostic> problems;
  DocNode root = parse_yaml_text(resolved_yaml, {"resolved scenario", 1, 1}, problems);
  apply_override(root, assignment, 1, problems);
  if (!problems.empty()) throw InputError(problems);
  std::string header;
  std::size_t at = 0;
  while (at < resolved_yaml.size() && resolved_yaml[at] == '#') {
    const auto end = resolved_yaml.find('\n', at);
    header += resolved_yaml.substr(at, end == std::string::npos ? std::string::npos : end - at) + "\n";
    if (end == std::string::npos) break;
    at = end + 1;
  }
  header += "# " + reason + ": " + assignment + "\n";
  return emit_yaml(root, header);
}

}  // namespace civicgrid::scenario
