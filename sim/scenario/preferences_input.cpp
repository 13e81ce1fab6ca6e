// See preferences_input.hpp. A unit is written `CODE` (the members of every team of that unit's level there)
// or `team@CODE` (that team's members there): the codes the outputs use, so a list can be written from a
// responder name like grid_worker@G0012#1. Every list is checked whole (unknown grid or unit, a unit twice, an
// empty list, CSV ranks that repeat or skip) and every grid must end up with a list or a `default` row.
#include "scenario/preferences_input.hpp"

#include <algorithm>
#include <map>

#include "scenario/csv_input.hpp"
#include "scenario/input_file.hpp"
#include "scenario/unit_codes.hpp"

namespace civicgrid::scenario {
namespace {

const std::string default_row = "default";
constexpr long long max_rank = 1'000'000;

std::optional<int> find_sorted(const std::vector<std::pair<std::string, int>>& index, const std::string& id) {
  const auto at = std::lower_bound(index.begin(), index.end(), id,
                                   [](const std::pair<std::string, int>& entry, const std::string& key) { return entry.first < key; });
  if (at == index.end() || at->first != id) return std::nullopt;
  return at->second;
}

std::string join(const std::vector<std::string>& words) {
  std::string text;
  for (std::size_t i = 0; i < words.size(); ++i) text += (i ? ", " : "") + words[i];
  return text;
}

// A list entry as written, for the messages about a later one that repeats it.
struct Written {
  PreferredUnit unit;
  std::string text;
  std::string where;   // "rank 2" (YAML) or "line 7" (CSV)
};

class PreferenceReader {
 public:
  PreferenceReader(Scenario& s, std::vector<Diagnostic>& problems) : s_(s), problems_(problems), codes_(s.layout) {
    for (const auto& team : s.teams) staffed_[static_cast<int>(team.level)] = true;
  }

  // dispatch.preferences: {GRID: [unit, ...], default: [unit, ...]}. False when it is not a map at all.
  bool read_yaml(const DocNode& node) {
    const std::string path = "dispatch.preferences";
    if (!node.is_map()) {
      error(node.origin, path, "expected a map of grid: [units, in order]",
            "e.g. preferences: {" + codes_.code(Level::grid, 0) + ": [" + codes_.code(Level::grid, 0) + "], default: [" +
                codes_.code(Level::community, 0) + "]}");
      return false;
    }
    for (std::size_t i = 0; i < node.entries.size(); ++i) {
      const auto& [key, value] = node.entries[i];
      const Origin& key_at = node.key_origins[i];
      const std::string list_path = path + "." + key;
      const auto grid = grid_of(key_at, list_path, key);
      // A list that is wrong is still given: the grid is not reported as missing one on top of that.
      if (grid) given_at_.emplace(*grid, key_at);
      if (!value.is_sequence()) {
        error(value.origin, list_path, "expected a list of units, in order", "e.g. " + key + ": [" + example_list(grid) + "]");
        continue;
      }
      if (value.items.empty()) {
        error(value.origin, list_path, "the preference list is empty", "list at least one unit, e.g. [" + example_list(grid) + "]");
        continue;
      }
      std::vector<Written> written;
      for (std::size_t k = 0; k < value.items.size(); ++k) {
        const DocNode& item = value.items[k];
        const std::string item_path = list_path + "." + std::to_string(k);
        if (!item.is_scalar()) {
          error(item.origin, item_path, "expected a unit name, not a list or map", "CODE or team@CODE");
          continue;
        }
        if (const auto unit = unit_of(item.origin, item_path, item.scalar))
          append(written, {*unit, item.scalar, "rank " + std::to_string(k + 1)}, item.origin, item_path, grid);
      }
      if (grid) store(*grid, written, key_at);
    }
    return true;
  }

  // dispatch.preferences_file: CSV grid,rank,unit. False when the file cannot be used at all.
  bool read_csv(const DocNode& node, const std::filesystem::path& base_dir) {
    const std::string key_path = "dispatch.preferences_file";
    if (!node.is_scalar()) {
      error(node.origin, key_path, "expected a file path", "e.g. preferences_file: preferences.csv");
      return false;
    }
    const std::string path = (base_dir / node.scalar).string();
    struct Row {
      int grid = 0;
      long long rank = 0;
      std::optional<PreferredUnit> unit;
      std::string text;
      int line = 0;
      int grid_col = 0;
      int rank_col = 0;
      int unit_col = 0;
    };
    std::vector<Row> rows;
    std::map<int, Origin> seen;   // grids with a row, usable or not
    const CsvTableRequest request{{path, max_data_file_bytes, node.origin, key_path}, {"grid,rank,unit"}, 0};
    const auto header = for_each_csv_row(request, problems_, [&](const CsvRow& row, const CsvRowErrors&) {
      const auto at = [&](std::size_t k) { return Origin{path, row.line, row.columns[k]}; };
      const auto grid = grid_of(at(0), key_path + ".grid", row.fields[0]);
      const auto rank = rank_of(at(1), key_path + ".rank", row.fields[1]);
      const auto unit = unit_of(at(2), key_path + ".unit", row.fields[2]);
      if (grid) seen.emplace(*grid, at(0));
      if (grid && rank) rows.push_back({*grid, *rank, unit, row.fields[2], row.line, row.columns[0], row.columns[1], row.columns[2]});
    });
    if (!header) return false;
    s_.dispatch.preferences_file = path;
    // Each grid's rows in rank order; the grids in the order they first appear.
    std::vector<int> order;
    std::map<int, std::vector<const Row*>> by_grid;
    for (const Row& row : rows) {
      auto& list = by_grid[row.grid];
      if (list.empty()) order.push_back(row.grid);
      list.push_back(&row);
    }
    for (const int grid : order) {
      auto& list = by_grid[grid];
      const Row& first = *list.front();
      if (const auto given = given_at_.find(grid); given != given_at_.end()) {
        error({path, first.line, first.grid_col}, key_path + ".grid",
              name_of(grid) + " has a list in dispatch.preferences too",
              "give each grid's list in one place (the other at " + given->second.file + ":" +
                  std::to_string(given->second.line) + ")");
        continue;
      }
      std::stable_sort(list.begin(), list.end(), [](const Row* a, const Row* b) { return a->rank < b->rank; });
      std::vector<Written> written;
      long long expected = 1;
      int previous_line = 0;
      for (const Row* row : list) {
        const Origin rank_at{path, row->line, row->rank_col};
        if (row->rank < expected) {
          error(rank_at, key_path + ".rank", "rank " + std::to_string(row->rank) + " of " + name_of(grid) + " is given twice",
                "first on line " + std::to_string(previous_line));
          continue;
        }
        if (row->rank > expected)
          error(rank_at, key_path + ".rank",
                "rank " + std::to_string(row->rank) + " of " + name_of(grid) +
                    (expected == 1 ? " comes first" : " follows rank " + std::to_string(expected - 1)),
                "a grid's ranks count 1, 2, 3, ... without gaps (rank " + std::to_string(expected) + " is missing)");
        expected = row->rank + 1;
        previous_line = row->line;
        if (row->unit)
          append(written, {*row->unit, row->text, "line " + std::to_string(row->line)}, {path, row->line, row->unit_col},
                 key_path + ".unit", grid);
      }
      store(grid, written, {path, first.line, first.grid_col});
    }
    for (const auto& [grid, at] : seen) given_at_.emplace(grid, at);   // a grid whose rows are all wrong is not missing
    return true;
  }

  // Every grid needs a list unless there is a default row: a grid left out by mistake must not quietly get one.
  void check_complete(const Origin& at, const std::string& path) {
    if (given_at_.count(-1) > 0) return;
    std::vector<std::string> missing;
    long long missing_count = 0;
    for (long long grid = 0; grid < codes_.count(Level::grid); ++grid)
      if (given_at_.count(static_cast<int>(grid)) == 0) {
        if (missing.size() < 3) missing.push_back(codes_.code(Level::grid, static_cast<int>(grid)));
        ++missing_count;
      }
    if (missing_count == 0) return;
    error(at, path,
          std::to_string(missing_count) + (missing_count == 1 ? " grid has" : " grids have") + " no preference list (" +
              (missing_count > 3 ? "first: " : "") + join(missing) + ")",
          "give each grid a list, or add a default row for every grid not listed: default: [" +
              codes_.code(Level::community, 0) + "]");
  }

 private:
  void error(const Origin& at, const std::string& path, const std::string& message, const std::string& hint) {
    problems_.push_back({at.file, at.line, at.col, path, message, hint});
  }

  std::string name_of(int grid) const {
    return grid < 0 ? "the default row" : "grid " + codes_.code(Level::grid, grid);
  }
  std::string example_list(const std::optional<int>& grid) const {
    return codes_.code(Level::grid, grid && *grid >= 0 ? *grid : 0) + ", " + codes_.code(Level::community, 0);
  }

  // A grid's code, or -1 for the default row.
  std::optional<int> grid_of(const Origin& at, const std::string& path, const std::string& text) {
    if (text == default_row) return -1;
    if (const auto grid = codes_.find(Level::grid, text)) return grid;
    error(at, path, "unknown grid '" + text + "'", "grids: " + codes_.describe(Level::grid) + ", or default");
    return std::nullopt;
  }

  std::optional<long long> rank_of(const Origin& at, const std::string& path, const std::string& text) {
    long long value = 0;
    bool digits = !text.empty() && text.size() <= 7;
    for (const char c : text) {
      digits &= c >= '0' && c <= '9';
      if (digits) value = value * 10 + (c - '0');
    }
    if (!digits || value < 1 || value > max_rank) {
      error(at, path, "rank '" + text + "' is not a whole number from 1 to " + std::to_string(max_rank),
            "1 is the unit tried first");
      return std::nullopt;
    }
    return value;
  }

  int team_index(const std::string& name) const {
    for (std::size_t t = 0; t < s_.teams.size(); ++t)
      if (s_.teams[t].name == name) return static_cast<int>(t);
    return -1;
  }

  std::optional<PreferredUnit> unit_of(const Origin& at, const std::string& path, const std::string& text) {
    if (text.empty()) {
      error(at, path, "a unit name is empty", "CODE or team@CODE, e.g. " + codes_.code(Level::grid, 0));
      return std::nullopt;
    }
    // team@CODE: the team's level says which unit is meant. Every '@' is tried (a GeoJSON ID may hold one).
    std::optional<Diagnostic> team_problem;
    for (std::size_t sign = text.find('@'); sign != std::string::npos; sign = text.find('@', sign + 1)) {
      const int team = team_index(text.substr(0, sign));
      if (team < 0) continue;
      const Level level = s_.teams[static_cast<std::size_t>(team)].level;
      const std::string code = text.substr(sign + 1);
      if (const auto unit = codes_.find(level, code)) return PreferredUnit{level, *unit, team};
      if (!team_problem)
        team_problem = Diagnostic{at.file, at.line, at.col, path,
                                  std::string("no ") + to_string(level) + " '" + code + "' for team " + text.substr(0, sign),
                                  "team " + text.substr(0, sign) + " works at the " + to_string(level) +
                                      " level: " + codes_.describe(level)};
    }
    // CODE: a unit of some level, which must be one whose staff the scenario has.
    std::vector<PreferredUnit> named, with_staff;
    for (int level = 0; level < 4; ++level)
      if (const auto unit = codes_.find(static_cast<Level>(level), text)) {
        named.push_back({static_cast<Level>(level), *unit, -1});
        if (staffed_[level]) with_staff.push_back(named.back());
      }
    if (named.empty()) {
      if (team_problem) {
        problems_.push_back(*team_problem);
      } else if (text.find('@') != std::string::npos) {
        std::vector<std::string> names;
        for (const auto& team : s_.teams) names.push_back(team.name);
        error(at, path, "no team '" + text.substr(0, text.find('@')) + "'", "teams: " + join(names));
      } else {
        error(at, path, "unknown unit '" + text + "'", any_unit_hint());
      }
      return std::nullopt;
    }
    if (with_staff.empty()) {
      std::vector<std::string> levels;
      for (int level = 0; level < 4; ++level)
        if (staffed_[level]) levels.push_back(to_string(static_cast<Level>(level)));
      error(at, path, std::string("nobody works at ") + to_string(named.front().level) + " '" + text + "'",
            std::string("no team works at the ") + to_string(named.front().level) + " level; teams work at: " + join(levels));
      return std::nullopt;
    }
    if (with_staff.size() > 1) {
      std::string example;
      for (const auto& team : s_.teams)
        if (team.level == with_staff.front().level && example.empty()) example = team.name + "@" + text;
      error(at, path,
            "'" + text + "' names a " + to_string(with_staff[0].level) + " and a " + to_string(with_staff[1].level),
            "name the team to say which, e.g. " + example);
      return std::nullopt;
    }
    return with_staff.front();
  }

  std::string any_unit_hint() const {
    if (s_.layout.geo)
      return "a grid, community or town ID of " + s_.layout.geo->geojson_file + ", or CITY; team@ID for one team's members";
    return "a unit code of this layout: grids " + codes_.describe(Level::grid) + ", communities " +
           codes_.describe(Level::community) + ", towns " + codes_.describe(Level::town) +
           ", or CITY; team@CODE for one team's members";
  }

  // Appends a resolved entry unless it repeats one before it: the same unit (and team) twice, or a team's
  // members after the entry that already sends every team there.
  void append(std::vector<Written>& written, const Written& entry, const Origin& at, const std::string& path,
              const std::optional<int>& grid) {
    const std::string whose = grid ? " for " + name_of(*grid) : "";
    for (const Written& before : written) {
      if (before.unit == entry.unit) {
        error(at, path, "'" + entry.text + "' is listed twice" + whose, "first at " + before.where);
        return;
      }
      if (before.unit.team < 0 && entry.unit.team >= 0 && before.unit.level == entry.unit.level &&
          before.unit.unit == entry.unit.unit) {
        error(at, path, "'" + entry.text + "' is already covered by '" + before.text + "' (" + before.where + ")" + whose,
              "'" + before.text + "' sends any team there; list '" + entry.text + "' before it to prefer that team, or drop it");
        return;
      }
    }
    written.push_back(entry);
  }

  void store(int grid, const std::vector<Written>& written, const Origin& at) {
    given_at_.emplace(grid, at);   // kept if the grid was marked given already
    std::vector<PreferredUnit> list;
    for (const Written& entry : written) list.push_back(entry.unit);
    if (grid < 0) {
      s_.dispatch.default_preferences = std::move(list);
      return;
    }
    auto& by_grid = s_.dispatch.preferences_by_grid;
    if (by_grid.empty()) by_grid.resize(static_cast<std::size_t>(codes_.count(Level::grid)));
    by_grid[static_cast<std::size_t>(grid)] = std::move(list);
  }

  Scenario& s_;
  std::vector<Diagnostic>& problems_;
  UnitCodes codes_;
  bool staffed_[4] = {false, false, false, false};
  std::map<int, Origin> given_at_;   // grid (-1: the default row) -> where its list is written
};

}  // namespace

UnitCodes::UnitCodes(const Layout& layout) : layout_(layout) {
  if (layout.geo) {
    const auto& geo = *layout.geo;
    counts_[0] = static_cast<long long>(geo.grids.size());
    counts_[1] = static_cast<long long>(geo.community_ids.size());
    counts_[2] = static_cast<long long>(geo.town_ids.size());
    for (std::size_t i = 0; i < geo.community_ids.size(); ++i) community_index_.emplace_back(geo.community_ids[i], static_cast<int>(i));
    for (std::size_t i = 0; i < geo.town_ids.size(); ++i) town_index_.emplace_back(geo.town_ids[i], static_cast<int>(i));
    std::sort(community_index_.begin(), community_index_.end());
    std::sort(town_index_.begin(), town_index_.end());
    return;
  }
  if (layout.rows <= 0 || layout.cols <= 0 || layout.community_block_rows <= 0 || layout.community_block_cols <= 0 ||
      layout.town_block_rows <= 0 || layout.town_block_cols <= 0)
    return;
  for (const Level level : {Level::grid, Level::community, Level::town})
    counts_[static_cast<int>(level)] = rectangular_unit_count(layout, level);
}

std::optional<int> UnitCodes::find(Level level, const std::string& code) const {
  if (level == Level::city) return code == city_unit_code ? std::optional<int>(0) : std::nullopt;
  if (layout_.geo) {
    if (level == Level::grid) {
      const auto found = layout_.geo->grid_index.find(code);
      if (found == layout_.geo->grid_index.end()) return std::nullopt;
      return found->second;
    }
    return find_sorted(level == Level::community ? community_index_ : town_index_, code);
  }
  const auto unit = parse_rectangular_unit_code(level, code, counts_[static_cast<int>(level)]);
  if (!unit) return std::nullopt;
  return static_cast<int>(*unit);
}

std::string UnitCodes::code(Level level, int unit) const {
  if (level == Level::city) return std::string(city_unit_code);
  if (layout_.geo) {
    const auto& geo = *layout_.geo;
    if (level == Level::grid) return unit < static_cast<int>(geo.grids.size()) ? geo.grids[unit].id : "?";
    const auto& ids = level == Level::community ? geo.community_ids : geo.town_ids;
    return unit < static_cast<int>(ids.size()) ? ids[unit] : "?";
  }
  return rectangular_unit_code(level, unit, counts_[static_cast<int>(level)]);
}

std::string UnitCodes::describe(Level level) const {
  if (level == Level::city) return std::string(city_unit_code);
  if (layout_.geo) return std::string("a ") + to_string(level) + " ID of " + layout_.geo->geojson_file;
  const long long count = counts_[static_cast<int>(level)];
  if (count <= 1) return code(level, 0);
  return code(level, 0) + " to " + code(level, static_cast<int>(count - 1));
}

void check_preferences_reach(const Origin& at, const std::string& key_path, const Scenario& s,
                             std::vector<Diagnostic>& problems) {
  if (s.dispatch.policy != DispatchPolicyName::preference_list || s.escalation.mode != EscalationMode::tiered ||
      s.escalation.when_busy != WhenBusy::wait)
    return;
  const UnitCodes codes(s.layout);
  if (codes.count(Level::grid) <= 0) return;
  // The lowest tier: the lowest level with staff (the engine makes one tier per staffed level).
  int lowest = 4, highest = -1;
  for (const auto& team : s.teams)
    if (team.per_unit > 0 || !team.extra_by_unit.empty()) {
      lowest = std::min(lowest, static_cast<int>(team.level));
      highest = std::max(highest, static_cast<int>(team.level));
    }
  if (lowest > 3 || s.escalation.after_s[static_cast<std::size_t>(lowest)] > 0) return;
  // Only if some incident type starts there: allowed at that level, and its staff can form the whole crew
  // (each role as many times as the type needs it; members added by extra_by_unit not counted).
  const auto starts_there = [&](const IncidentType& type) {
    if (static_cast<int>(type.min_level) > lowest) return false;
    for (const auto& role : type.roles) {
      const auto needed = std::count(type.roles.begin(), type.roles.end(), role);
      long long capacity = 0;
      for (const auto& team : s.teams)
        if (static_cast<int>(team.level) == lowest && std::find(team.roles.begin(), team.roles.end(), role) != team.roles.end())
          capacity += codes.count(team.level) * team.per_unit;
      if (capacity < needed) return false;
    }
    return true;
  };
  if (std::none_of(s.incidents.begin(), s.incidents.end(), starts_there)) return;
  const auto reaches = [&](const std::vector<PreferredUnit>& list) {
    return std::any_of(list.begin(), list.end(), [&](const PreferredUnit& entry) { return static_cast<int>(entry.level) == lowest; });
  };
  const auto& by_grid = s.dispatch.preferences_by_grid;
  std::vector<std::string> stuck;
  long long stuck_count = 0;
  for (long long grid = 0; grid < codes.count(Level::grid); ++grid) {
    const bool own = grid < static_cast<long long>(by_grid.size()) && !by_grid[static_cast<std::size_t>(grid)].empty();
    if (!own && s.dispatch.default_preferences.empty()) continue;   // reported as missing already
    if (reaches(own ? by_grid[static_cast<std::size_t>(grid)] : s.dispatch.default_preferences)) continue;
    if (stuck.size() < 3) stuck.push_back(codes.code(Level::grid, static_cast<int>(grid)));
    ++stuck_count;
  }
  if (stuck_count == 0) return;
  const std::string level = to_string(static_cast<Level>(lowest));
  problems.push_back({at.file, at.line, at.col, key_path,
                      std::to_string(stuck_count) + (stuck_count == 1 ? " grid's list names" : " grids' lists name") +
                          " no " + level + " unit (" + (stuck_count > 3 ? "first: " : "") + join(stuck) +
                          "), so their incidents would wait at the " + level + " tier for ever",
                      "add a " + level + " unit to those lists" +
                          (highest > lowest ? ", or let the tier pass calls on: escalation.when_busy: escalate or escalation.after." + level
                                            : std::string())});
}

void read_preferences(const DocNode* preferences, const DocNode* file, const std::filesystem::path& base_dir,
                      Scenario& s, std::vector<Diagnostic>& problems) {
  if (s.layout.grid_count() <= 0) return;   // the layout could not be used; its problems are reported already
  PreferenceReader reader(s, problems);
  bool usable = true;
  if (preferences != nullptr) usable &= reader.read_yaml(*preferences);
  if (file != nullptr) usable &= reader.read_csv(*file, base_dir);
  if (usable && (preferences != nullptr || file != nullptr))
    reader.check_complete(preferences != nullptr ? preferences->origin : file->origin,
                          preferences != nullptr ? "dispatch.preferences" : "dispatch.preferences_file");
}

}  // namespace civicgrid::scenario
