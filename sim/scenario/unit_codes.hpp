// The codes of a rectangular layout's units (G01, C03, T01, CITY), defined once: city::City names its units
// with them, outputs write them, and inputs that name units (preference lists) read them back. Before, the
// loader and the city each had the formula, and a change to one would have made lists name the wrong units.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "scenario/scenario.hpp"

namespace civicgrid::scenario {

// The one city-level unit's code, with either layout.
inline constexpr std::string_view city_unit_code = "CITY";

// Units per level of a rectangular layout: rows x cols grids, communities of community_block grids, towns of
// town_block communities (a block at the edge may be cut short); 1 for the city.
long long rectangular_unit_count(const Layout& layout, Level level);

// The code of unit `unit` (0-based) of `count` at `level`: a letter (G, C, T) and unit + 1 zero-padded to the
// digits of count, at least 2 and at most 12 (G01 ... G16; G001 ... G200); CITY for the city.
std::string rectangular_unit_code(Level level, long long unit, long long count);

// The unit a code names (the inverse of rectangular_unit_code), or none.
std::optional<long long> parse_rectangular_unit_code(Level level, std::string_view code, long long count);

}  // namespace civicgrid::scenario
