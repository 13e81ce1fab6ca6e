// The preference lists of dispatch.policy: preference_list, written in the scenario (dispatch.preferences) or
// in a CSV table a district exports from its duty roster (dispatch.preferences_file). Unit names are resolved
// here, before any city is built, so a wrong code is an input error at its line like every other.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "scenario/document.hpp"
#include "scenario/loader.hpp"
#include "scenario/scenario.hpp"

namespace civicgrid::scenario {

// The codes of a layout's units as city::City names them: rectangular layouts `G01`, `C01`, `T01` zero-padded
// to the width of the count (city/city.cpp, make_code), GeoJSON layouts the file's IDs, the city `CITY`.
// tests/unit/loader_test.cpp holds them against City::unit_code, so the two cannot drift apart unnoticed.
class UnitCodes {
 public:
  explicit UnitCodes(const Layout& layout);
  long long count(Level level) const { return counts_[static_cast<int>(level)]; }
  // The unit of `level` called `code`, or nothing.
  std::optional<int> find(Level level, const std::string& code) const;
  std::string code(Level level, int unit) const;
  // For hints: "G01 to G20" (rectangular) or "a community ID of geo/grids.geojson".
  std::string describe(Level level) const;

 private:
  const Layout& layout_;
  long long counts_[4] = {0, 0, 0, 1};
  std::vector<std::pair<std::string, int>> community_index_;   // GeoJSON: sorted by ID
  std::vector<std::pair<std::string, int>> town_index_;
};

// Reads `preferences` (a map grid -> list of units, may be null) and `file` (the CSV's name, may be null)
// into s.dispatch (teams and layout must be read already). Problems go to `problems`, at the YAML node or at
// the CSV file's line and column.
void read_preferences(const DocNode* preferences, const DocNode* file, const std::filesystem::path& base_dir,
                      Scenario& s, std::vector<Diagnostic>& problems);

// Tiered escalation that waits at the lowest staffed tier without a time limit: a grid whose list names no
// unit of that tier's level would keep the incidents that start there waiting for ever (nobody listed is ever
// free at that tier, and higher tiers' staff do not serve lower tiers' lines). Reported at `at` (the key that
// gives the lists); needs escalation read. A no-op for other policies and modes.
void check_preferences_reach(const Origin& at, const std::string& key_path, const Scenario& s,
                             std::vector<Diagnostic>& problems);

}  // namespace civicgrid::scenario
