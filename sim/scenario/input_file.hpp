// Every file a scenario names (the scenario, its model, GeoJSON, CSV tables) is read through here, because
// analysts feed civicgrid whatever Excel, WPS or a GIS tool exported: a FIFO or a device must not hang or exhaust
// memory, an oversized file must be refused before it is read, and text that is not UTF-8 (GBK from older
// Windows editors) must be caught with its position here rather than break a report after the whole run.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/document.hpp"
#include "scenario/loader.hpp"

namespace civicgrid::scenario {

// The largest inputs civicgrid reads. A scenario or model is hand-written YAML; GeoJSON and CSV tables of a
// whole city (10,000 grids with detailed polygons, a full travel-time matrix) stay well below their limits.
constexpr std::size_t max_yaml_file_bytes = std::size_t{16} << 20;
constexpr std::size_t max_data_file_bytes = std::size_t{512} << 20;

struct InputFileRequest {
  std::string path;
  std::size_t max_size_bytes = max_yaml_file_bytes;
  Origin named_at;          // where the file is named (reported when it cannot be used); empty for the scenario
  std::string key_path;     // the key that names it, e.g. "layout.geojson"
};

// The file's text without a UTF-8 byte-order mark, or nothing (with a diagnostic) when the path is not a
// regular file, is larger than the limit, cannot be read, or is not UTF-8.
std::optional<std::string> read_input_text(const InputFileRequest& request, std::vector<Diagnostic>& problems);

// The byte offset of the first byte that is not part of well-formed UTF-8 (overlong forms, surrogates and code
// points past U+10FFFF are refused as RFC 3629 says), or nothing for valid text.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

// The 1-based line and column (in bytes) of a byte offset, for messages about data files.
Origin position_in_text(const std::string& file, std::string_view text, std::size_t offset);

}  // namespace civicgrid::scenario
