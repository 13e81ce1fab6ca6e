// See unit_codes.hpp.
#include "scenario/unit_codes.hpp"

#include <algorithm>
#include <cstdio>

namespace civicgrid::scenario {
namespace {

long long ceil_div(long long a, long long b) { return (a + b - 1) / b; }

int code_width(long long count) {
  int width = 1;
  for (long long n = count; n >= 10; n /= 10) ++width;
  return std::min(std::max(width, 2), 12);
}

char code_prefix(Level level) {
  switch (level) {
    case Level::grid: return 'G';
    case Level::community: return 'C';
    case Level::town: return 'T';
    case Level::city: return '?';
  }
  return '?';
}

}  // namespace

long long rectangular_unit_count(const Layout& layout, Level level) {
  const long long community_rows = ceil_div(layout.rows, layout.community_block_rows);
  const long long community_cols = ceil_div(layout.cols, layout.community_block_cols);
  switch (level) {
    case Level::grid: return static_cast<long long>(layout.rows) * layout.cols;
    case Level::community: return community_rows * community_cols;
    case Level::town:
      return ceil_div(community_rows, layout.town_block_rows) * ceil_div(community_cols, layout.town_block_cols);
    case Level::city: return 1;
  }
  return 0;
}

std::string rectangular_unit_code(Level level, long long unit, long long count) {
  if (level == Level::city) return std::string(city_unit_code);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%c%0*lld", code_prefix(level), code_width(count), unit + 1);
  return buffer;
}

std::optional<long long> parse_rectangular_unit_code(Level level, std::string_view code, long long count) {
  if (level == Level::city) return code == city_unit_code ? std::optional<long long>(0) : std::nullopt;
  if (count <= 0 || code.size() != static_cast<std::size_t>(1 + code_width(count)) || code[0] != code_prefix(level))
    return std::nullopt;
  long long value = 0;
  for (std::size_t k = 1; k < code.size(); ++k) {
    if (code[k] < '0' || code[k] > '9') return std::nullopt;
    value = value * 10 + (code[k] - '0');
  }
  if (value < 1 || value > count) return std::nullopt;
  return value - 1;
}

}  // namespace civicgrid::scenario
