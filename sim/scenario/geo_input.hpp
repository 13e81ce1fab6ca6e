// The geographic inputs a scenario may name: grid polygons (GeoJSON), base locations and grid-to-grid travel
// times (CSV). They are foreign data files, not YAML, so they get their own reader: positions are feature
// indexes and CSV lines, and every polygon is checked with Boost.Geometry before a run can start.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "scenario/document.hpp"
#include "scenario/loader.hpp"
#include "scenario/scenario.hpp"

namespace civicgrid::scenario {

// `named_at` is where the scenario names the file (reported when it cannot be opened); problems inside the
// file are reported at the file's own line and column. Returns nothing when the file cannot be used at all.
std::optional<GeoLayout> read_geojson_layout(const std::string& path, const Origin& named_at,
                                             std::vector<Diagnostic>& problems);

// CSV `level,unit,x_m,y_m`: fills layout.bases.
void read_bases_csv(const std::string& path, const Origin& named_at, GeoLayout& layout,
                    std::vector<Diagnostic>& problems);

// CSV `from_grid,to_grid,minutes`: fills travel.matrix_s.
void read_travel_matrix_csv(const std::string& path, const Origin& named_at, const GeoLayout& layout,
                            Travel& travel, std::vector<Diagnostic>& problems);

// Whether an ID can go into the CSV outputs unquoted and name a SimGrid host.
bool valid_unit_id(const std::string& id);

}  // namespace civicgrid::scenario
