// GeoJSON grids, bases and travel matrices -> GeoLayout / Travel, every problem collected as a Diagnostic at
// its file position. Polygons are checked here (Boost.Geometry's is_valid, area, thinness) so that the city
// can sample and locate points in them without ever meeting a broken one.
#include "scenario/geo_input.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <map>
#include <set>
#include <sstream>

#include <boost/geometry.hpp>
#include <nlohmann/json.hpp>

#include "scenario/csv_input.hpp"
#include "scenario/geo_polygon.hpp"
#include "scenario/input_file.hpp"

namespace civicgrid::scenario {
namespace {

namespace bg = boost::geometry;
using Json = nlohmann::json;

// Below this share of its bounding box a polygon is a sliver: rejection sampling would need thousands of
// draws per point, and such a grid is almost always a digitising error.
constexpr double min_fill_share = 1e-3;
// A grid narrower than this both ways is no grid: it is a feature left in longitude/latitude degrees
// among features in metres, which would stretch the city to hundreds of kilometres.
constexpr double min_grid_extent_m = 1.0;

// Byte offsets of the elements of the top-level "features" array. nlohmann-json keeps no positions, and a
// planner fixing a file wants the line of a bad feature, not only its index.
std::vector<std::size_t> feature_offsets(const std::string& text) {
  struct Frame {
    bool object;
    std::string key;
  };
  std::vector<Frame> stack;
  std::vector<std::size_t> offsets;
  std::string last_string;
  char previous = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    const bool in_features = stack.size() == 2 && stack[0].object && stack[0].key == "features" && !stack[1].object;
    if (in_features && (previous == '[' || previous == ',') && c != ']') offsets.push_back(i);
    if (c == '"') {
      std::size_t j = i + 1;
      while (j < text.size() && text[j] != '"') j += text[j] == '\\' ? 2 : 1;
      last_string = text.substr(i + 1, std::min(j, text.size()) - i - 1);
      i = j;
      previous = '"';
      continue;
    }
    if (c == '{' || c == '[') stack.push_back({c == '{', ""});
    else if ((c == '}' || c == ']') && !stack.empty()) stack.pop_back();
    else if (c == ':' && !stack.empty() && stack.back().object) stack.back().key = last_string;
    previous = c;
  }
  return offsets;
}

struct FeatureContext {
  std::vector<Diagnostic>& problems;
  Origin at;
  std::string path;   // "features.12"
  void error(const std::string& message, const std::string& hint = "") {
    problems.push_back({at.file, at.line, at.col, path, message, hint});
  }
};

std::optional<std::string> id_property(FeatureContext& feature, const Json& properties, const char* key) {
  const auto found = properties.find(key);
  if (found == properties.end() || found->is_null()) {
    feature.error(std::string("feature without a '") + key + "' property",
                  "every feature needs the properties grid, community and town (string IDs)");
    return std::nullopt;
  }
  std::string id;
  if (found->is_string()) id = found->get<std::string>();
  else if (found->is_number_integer()) id = std::to_string(found->get<long long>());
  else {
    feature.error(std::string("property '") + key + "' must be a string ID", "e.g. \"" + std::string(key) + "\": \"G012\"");
    return std::nullopt;
  }
  if (!valid_unit_id(id)) {
    feature.error(std::string("property '") + key + "' = '" + id + "' is not a usable ID",
                  "non-empty, without commas, quotes, slashes or line breaks");
    return std::nullopt;
  }
  return id;
}

std::optional<double> number_property(FeatureContext& feature, const Json& properties, const char* key, double high) {
  const auto found = properties.find(key);
  if (found == properties.end() || found->is_null()) return std::nullopt;
  if (!found->is_number() || !std::isfinite(found->get<double>()) || found->get<double>() < 0 ||
      found->get<double>() > high) {
    std::ostringstream range;
    range << "a number from 0 to " << high;
    feature.error(std::string("property '") + key + "' must be " + range.str(), "");
    return std::nullopt;
  }
  return found->get<double>();
}

bool read_ring(FeatureContext& feature, const Json& ring, const std::string& where, std::vector<GeoPoint>& out) {
  if (!ring.is_array() || ring.size() < 4) {
    feature.error(where + ": a ring needs at least 4 positions (a closed triangle)", "");
    return false;
  }
  for (const Json& position : ring) {
    if (!position.is_array() || position.size() < 2 || !position[0].is_number() || !position[1].is_number() ||
        !std::isfinite(position[0].get<double>()) || !std::isfinite(position[1].get<double>())) {
      feature.error(where + ": every position must be [x, y] in metres", "");
      return false;
    }
    out.push_back({position[0].get<double>(), position[1].get<double>()});
  }
  if (out.front().x_m != out.back().x_m || out.front().y_m != out.back().y_m) {
    feature.error(where + ": ring is not closed (its first and last positions differ)",
                  "GeoJSON rings repeat the first position at the end");
    return false;
  }
  return true;
}

bool read_polygon(FeatureContext& feature, const Json& rings, const std::string& where, GeoPolygon& out) {
  if (!rings.is_array() || rings.empty()) {
    feature.error(where + ": a polygon is a non-empty list of rings", "");
    return false;
  }
  bool ok = read_ring(feature, rings[0], where + " outer ring", out.outer);
  for (std::size_t k = 1; k < rings.size(); ++k) {
    out.holes.emplace_back();
    ok = read_ring(feature, rings[k], where + " hole " + std::to_string(k), out.holes.back()) && ok;
  }
  return ok;
}

// bg::is_valid(geometry, message) with coordinates printed to the decimetre (its own stream shows six
// significant digits: 3.45021e+06 in projected metres) and without the turn-detail tail meant for Boost's
// developers.
bool is_valid_with_reason(const BgMulti& shape, std::string& reason) {
  std::ostringstream stream;
  stream << std::fixed << std::setprecision(1);
  bg::failing_reason_policy<> visitor(stream);
  const bool valid = bg::resolve_variant::is_valid<BgMulti>::apply(shape, visitor, bg::default_strategy());
  reason = stream.str();
  if (const auto tail = reason.find("; method:"); tail != std::string::npos) reason.erase(tail);
  // Orientation is checked before crossings, and correct() has fixed every genuine winding, so a wrong
  // orientation left here is a ring whose signed area cancels out: a bow tie.
  if (!valid && reason.find("wrong orientation") != std::string::npos) {
    const bool crosses = std::any_of(shape.begin(), shape.end(), [](const BgPolygon& part) { return bg::intersects(part); });
    reason = crosses ? "a ring crosses itself (two corners swapped?)" : "a ring encloses no area";
  }
  return valid;
}

// The bounding box of every grid. A base further outside it than its larger side (at least 10 km) is a typing
// or projection error: staff would spend the horizon driving.
struct Extent {
  double min_x_m = 1e300, min_y_m = 1e300, max_x_m = -1e300, max_y_m = -1e300;
  double margin_m() const { return std::max({max_x_m - min_x_m, max_y_m - min_y_m, 10'000.0}); }
};

Extent extent_of(const GeoLayout& layout) {
  Extent extent;
  for (const auto& grid : layout.grids)
    for (const auto& part : grid.parts)
      for (const auto& point : part.outer) {
        extent.min_x_m = std::min(extent.min_x_m, point.x_m);
        extent.min_y_m = std::min(extent.min_y_m, point.y_m);
        extent.max_x_m = std::max(extent.max_x_m, point.x_m);
        extent.max_y_m = std::max(extent.max_y_m, point.y_m);
      }
  return extent;
}

}  // namespace

bool valid_unit_id(const std::string& id) {
  return !id.empty() && id.find_first_of(",\"/\n\r") == std::string::npos && id.front() != ' ' && id.back() != ' ';
}

std::optional<GeoLayout> read_geojson_layout(const std::string& path, const Origin& named_at,
                                             std::vector<Diagnostic>& problems) {
  const std::size_t problems_before = problems.size();
  const auto read = read_input_text({path, max_data_file_bytes, named_at, "layout.geojson"}, problems);
  if (!read) return std::nullopt;
  const std::string& text = *read;
  Json document;
  try {
    document = Json::parse(text);
  } catch (const Json::parse_error& error) {
    const Origin at = position_in_text(path, text, error.byte > 0 ? error.byte - 1 : 0);
    std::string message = error.what();
    if (const auto colon = message.find(": "); colon != std::string::npos) message = message.substr(colon + 2);
    problems.push_back({path, at.line, at.col, "", "not valid JSON: " + message, "check brackets, commas and quotes"});
    return std::nullopt;
  } catch (const Json::exception& error) {
    // nlohmann reports a number too large for a double (1e999) as out_of_range, without a position.
    std::string message = error.what();
    if (const auto bracket = message.find("] "); bracket != std::string::npos) message = message.substr(bracket + 2);
    problems.push_back({path, 1, 1, "", "not usable JSON: " + message, "numbers must fit a double (below 1e308)"});
    return std::nullopt;
  }
  if (!document.is_object() || document.value("type", Json()) != "FeatureCollection" ||
      !document.contains("features") || !document["features"].is_array()) {
    problems.push_back({path, 1, 1, "", "expected a GeoJSON FeatureCollection with a 'features' list",
                        "{\"type\": \"FeatureCollection\", \"features\": [...]}"});
    return std::nullopt;
  }
  const Json& features = document["features"];
  if (features.empty()) {
    problems.push_back({path, 1, 1, "features", "the FeatureCollection has no features", "one Polygon per grid"});
    return std::nullopt;
  }
  const auto offsets = feature_offsets(text);
  GeoLayout layout;
  layout.geojson_file = path;
  std::map<std::string, int> community_index, town_index;
  std::map<std::string, int> community_feature;
  double min_x = 1e300, min_y = 1e300, max_x = -1e300, max_y = -1e300;
  std::vector<FeatureContext> tiny_features;   // reported unless the whole file is in degrees
  for (std::size_t i = 0; i < features.size(); ++i) {
    FeatureContext feature{problems,
                           offsets.size() == features.size() ? position_in_text(path, text, offsets[i]) : Origin{path, 0, 0},
                           "features." + std::to_string(i)};
    // A value of the wrong JSON type deep inside a feature (an object where a string or number belongs)
    // makes nlohmann throw; it is this feature's problem, not an internal error.
    try {
      const Json& item = features[i];
      if (!item.is_object() || item.value("type", Json()) != "Feature") {
        feature.error("expected a Feature object", "{\"type\": \"Feature\", \"properties\": {...}, \"geometry\": {...}}");
        continue;
      }
      const Json properties = item.contains("properties") && item["properties"].is_object() ? item["properties"] : Json::object();
      GeoGrid grid;
      grid.feature = static_cast<int>(i);
      const auto grid_id = id_property(feature, properties, "grid");
      const auto community_id = id_property(feature, properties, "community");
      const auto town_id = id_property(feature, properties, "town");
      grid.residents = number_property(feature, properties, "residents", 1e7);
      grid.migrant_share = number_property(feature, properties, "migrant_share", 1);
      if (const auto kind = properties.find("kind"); kind != properties.end() && !kind->is_null()) {
        if (*kind == "urban") grid.kind = AreaKind::urban;
        else if (*kind == "rural") grid.kind = AreaKind::rural;
        else feature.error("property 'kind' must be \"urban\" or \"rural\"", "or leave it out");
      }
      if (grid_id) feature.path += " (grid " + *grid_id + ")";

      const Json geometry = item.contains("geometry") ? item["geometry"] : Json();
      const std::string type = geometry.is_object() ? geometry.value("type", std::string()) : std::string();
      const Json coordinates = geometry.is_object() && geometry.contains("coordinates") ? geometry["coordinates"] : Json();
      bool geometry_ok = true;
      if (type == "Polygon") {
        grid.parts.emplace_back();
        geometry_ok = read_polygon(feature, coordinates, "polygon", grid.parts.back());
      } else if (type == "MultiPolygon") {
        if (!coordinates.is_array() || coordinates.empty()) {
          feature.error("a MultiPolygon is a non-empty list of polygons", "");
          geometry_ok = false;
        }
        for (std::size_t k = 0; geometry_ok && k < coordinates.size(); ++k) {
          grid.parts.emplace_back();
          geometry_ok = read_polygon(feature, coordinates[k], "part " + std::to_string(k), grid.parts.back());
        }
      } else {
        feature.error(type.empty() ? "feature without a geometry" : "geometry type '" + type + "' is not supported",
                      "each grid is a Polygon or MultiPolygon");
        geometry_ok = false;
      }
      if (geometry_ok) {
        const BgMulti shape = to_boost(grid.parts);
        std::string reason;
        if (!is_valid_with_reason(shape, reason)) {
          feature.error("invalid polygon: " + reason,
                        "repair it in a GIS (QGIS: Vector > Geometry Tools > Check Validity, Fix Geometries)");
        } else {
          const double area_m2 = bg::area(shape);
          // Outer rings bound the shape (by hand: GCC 12 warns inside bg::envelope for multi-polygons).
          double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
          for (const auto& part : grid.parts)
            for (const auto& p : part.outer) {
              x0 = std::min(x0, p.x_m);
              y0 = std::min(y0, p.y_m);
              x1 = std::max(x1, p.x_m);
              y1 = std::max(y1, p.y_m);
            }
          if (!(area_m2 > 0) || area_m2 < min_fill_share * (x1 - x0) * (y1 - y0))
            feature.error("polygon is degenerate (zero area or a sliver of its bounding box)", "check its coordinates");
          else if (x1 - x0 < min_grid_extent_m && y1 - y0 < min_grid_extent_m)
            tiny_features.push_back(feature);
          min_x = std::min(min_x, x0);
          min_y = std::min(min_y, y0);
          max_x = std::max(max_x, x1);
          max_y = std::max(max_y, y1);
        }
      }
      if (!grid_id || !community_id || !town_id) continue;
      grid.id = *grid_id;
      if (const auto seen = layout.grid_index.find(grid.id); seen != layout.grid_index.end()) {
        feature.error("grid '" + grid.id + "' is defined twice",
                      "first in feature " + std::to_string(layout.grids[static_cast<std::size_t>(seen->second)].feature) +
                          "; a grid with several pieces is one MultiPolygon feature");
        continue;
      }
      auto [town_at, new_town] = town_index.try_emplace(*town_id, static_cast<int>(layout.town_ids.size()));
      if (new_town) layout.town_ids.push_back(*town_id);
      auto [community_at, new_community] = community_index.try_emplace(*community_id, static_cast<int>(layout.community_ids.size()));
      if (new_community) {
        layout.community_ids.push_back(*community_id);
        layout.community_town.push_back(town_at->second);
        community_feature[*community_id] = static_cast<int>(i);
      } else if (layout.community_town[static_cast<std::size_t>(community_at->second)] != town_at->second) {
        feature.error("community '" + *community_id + "' is in town '" +
                          layout.town_ids[static_cast<std::size_t>(layout.community_town[static_cast<std::size_t>(community_at->second)])] +
                          "' (feature " + std::to_string(community_feature[*community_id]) + ") and in town '" + *town_id + "' here",
                      "community IDs must be unique across towns; prefix them with the town's");
      }
      grid.community = community_at->second;
      layout.grid_index[grid.id] = static_cast<int>(layout.grids.size());
      layout.grids.push_back(std::move(grid));
    } catch (const Json::exception& error) {
      std::string message = error.what();
      if (const auto bracket = message.find("] "); bracket != std::string::npos) message = message.substr(bracket + 2);
      feature.error("a value has the wrong JSON type: " + message,
                    "IDs are strings, numbers are numbers, geometry is a GeoJSON object");
    }
  }
  // Degrees in a file that should hold metres give a city a few metres wide: say so instead of simulating it.
  if (max_x >= min_x && max_x - min_x < 5 && max_y - min_y < 5 && min_x >= -180 && max_x <= 180 && min_y >= -90 &&
      max_y <= 90) {
    problems.push_back({path, 1, 1, "", "coordinates look like longitude/latitude degrees, not metres",
                        "reproject to a metric CRS, e.g. CGCS2000 3-degree Gauss-Kruger or UTM "
                        "(ogr2ogr -t_srs EPSG:4547 out.geojson in.geojson)"});
  } else {
    for (auto& feature : tiny_features)
      feature.error("polygon is under " + std::to_string(static_cast<int>(min_grid_extent_m)) +
                        " m across: coordinates in degrees among features in metres?",
                    "reproject this feature like the others to the layout's metric CRS");
  }
  if (problems.size() != problems_before) return std::nullopt;
  for (int level = 0; level < 3; ++level)
    layout.bases[static_cast<std::size_t>(level)].resize(level == 0   ? layout.grids.size()
                                                         : level == 1 ? layout.community_ids.size()
                                                                      : layout.town_ids.size());
  layout.bases[3].resize(1);
  return layout;
}

void read_bases_csv(const std::string& path, const Origin& named_at, GeoLayout& layout,
                    std::vector<Diagnostic>& problems) {
  std::map<std::string, int> ids[3];
  ids[0] = layout.grid_index;
  for (std::size_t k = 0; k < layout.community_ids.size(); ++k) ids[1][layout.community_ids[k]] = static_cast<int>(k);
  for (std::size_t k = 0; k < layout.town_ids.size(); ++k) ids[2][layout.town_ids[k]] = static_cast<int>(k);
  std::map<std::pair<int, int>, int> first_line;
  const Extent extent = extent_of(layout);
  const auto opened = for_each_csv_row(CsvTableRequest{{path, max_data_file_bytes, named_at, "layout.bases"}, {"level,unit,x_m,y_m"}},
                                       problems, [&](const CsvRow& row, const CsvRowErrors& error) {
    const int line_number = row.line;
    static const char* level_names[] = {"grid", "community", "town", "city"};
    int level = -1;
    for (int k = 0; k < 4; ++k)
      if (row.fields[0] == level_names[k]) level = k;
    if (level < 0) {
      error(0, "'" + row.fields[0] + "' is not a level", "one of grid, community, town, city");
      return;
    }
    int unit = 0;
    if (level == 3) {
      if (row.fields[1] != "city") {
        error(1, "the city row's unit must be 'city'", "city,city,x_m,y_m");
        return;
      }
    } else {
      const auto found = ids[level].find(row.fields[1]);
      if (found == ids[level].end()) {
        error(1, std::string("unknown ") + level_names[level] + " '" + row.fields[1] + "'",
              std::string("not a ") + level_names[level] + " ID of " + layout.geojson_file);
        return;
      }
      unit = found->second;
    }
    const auto x = csv_number(row.fields[2]);
    const auto y = csv_number(row.fields[3]);
    if (!x) error(2, "x_m '" + row.fields[2] + "' is not a number", "projected metres, like the GeoJSON");
    if (!y) error(3, "y_m '" + row.fields[3] + "' is not a number", "projected metres, like the GeoJSON");
    if (!x || !y) return;
    const double outside_m = std::max({extent.min_x_m - *x, *x - extent.max_x_m, extent.min_y_m - *y, *y - extent.max_y_m, 0.0});
    if (outside_m > extent.margin_m()) {
      std::ostringstream figures;
      figures << std::fixed << std::setprecision(0) << "(" << *x << ", " << *y << ") is " << outside_m / 1000
              << " km outside the grids' extent x " << extent.min_x_m << " to " << extent.max_x_m << ", y "
              << extent.min_y_m << " to " << extent.max_y_m;
      error(2, "the base at " + figures.str(), "bases lie in or near the district, in the GeoJSON's metric CRS");
      return;
    }
    if (const auto [at, fresh] = first_line.try_emplace({level, unit}, line_number); !fresh) {
      error(1, std::string("a second row for ") + level_names[level] + " '" + row.fields[1] + "'",
            "first on line " + std::to_string(at->second));
      return;
    }
    layout.bases[static_cast<std::size_t>(level)][static_cast<std::size_t>(unit)] = GeoPoint{*x, *y};
  });
  if (opened) layout.bases_file = path;
}

void read_travel_matrix_csv(const std::string& path, const Origin& named_at, const GeoLayout& layout,
                            Travel& travel, std::vector<Diagnostic>& problems) {
  const auto grids = static_cast<long long>(layout.grids.size());
  std::map<long long, int> first_line;
  const auto opened = for_each_csv_row(CsvTableRequest{{path, max_data_file_bytes, named_at, "travel.matrix"}, {"from_grid,to_grid,minutes"}},
                                       problems, [&](const CsvRow& row, const CsvRowErrors& error) {
    const int line_number = row.line;
    const auto from = layout.grid_index.find(row.fields[0]);
    const auto to = layout.grid_index.find(row.fields[1]);
    if (from == layout.grid_index.end()) error(0, "unknown grid '" + row.fields[0] + "'", "a grid ID of " + layout.geojson_file);
    if (to == layout.grid_index.end()) error(1, "unknown grid '" + row.fields[1] + "'", "a grid ID of " + layout.geojson_file);
    const auto minutes = csv_number(row.fields[2]);
    if (!minutes || *minutes < 0) error(2, "minutes '" + row.fields[2] + "' is not a number >= 0", "drive time in minutes");
    if (from == layout.grid_index.end() || to == layout.grid_index.end() || !minutes || *minutes < 0) return;
    const long long key = static_cast<long long>(from->second) * grids + to->second;
    if (const auto [at, fresh] = first_line.try_emplace(key, line_number); !fresh) {
      error(0, "a second row for " + row.fields[0] + " -> " + row.fields[1], "first on line " + std::to_string(at->second));
      return;
    }
    travel.matrix_s[key] = *minutes * 60.0;
  });
  if (opened) travel.matrix_file = path;
}

}  // namespace civicgrid::scenario
