// Distance metrics and travel times (see geometry.hpp). Without a geographic city every trip uses the one
// mode of `travel` with exactly the arithmetic of the rectangular model, so its results do not change.
#include "city/geometry.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>

#include "city/city.hpp"

namespace civicgrid::city {
namespace {

double metric_distance_m(const scenario::TravelMode& mode, Point a, Point b) {
  const double dx = a.x_m - b.x_m;
  const double dy = a.y_m - b.y_m;
  switch (mode.metric) {
    case scenario::TravelMetric::manhattan:
      return std::abs(dx) + std::abs(dy);
    case scenario::TravelMetric::euclidean:
      return std::sqrt(dx * dx + dy * dy);
    case scenario::TravelMetric::none:
      return 0.0;
  }
  return 0.0;
}

}  // namespace

Point interpolate(Point from, Point to, double fraction) {
  return {from.x_m + (to.x_m - from.x_m) * fraction, from.y_m + (to.y_m - from.y_m) * fraction};
}

TravelModel::TravelModel(const scenario::Travel& travel) {
  modes_[0] = modes_[1] = modes_[2] = travel.base_mode();
}

TravelModel::TravelModel(const scenario::Travel& travel, const City& city) : TravelModel(travel) {
  if (!city.is_geographic() || (!travel.urban && !travel.rural && travel.matrix_s.empty())) return;
  modes_[static_cast<int>(scenario::AreaKind::urban)] = travel.urban.value_or(travel.base_mode());
  modes_[static_cast<int>(scenario::AreaKind::rural)] = travel.rural.value_or(travel.base_mode());
  city_ = &city;
  matrix_s_ = travel.matrix_s;
  grids_ = static_cast<long long>(city.grids().size());
  grid_cache_.resize(4096);
}

int TravelModel::grid_of(Point point) const {
  std::uint64_t x_bits = 0, y_bits = 0;
  std::memcpy(&x_bits, &point.x_m, sizeof x_bits);
  std::memcpy(&y_bits, &point.y_m, sizeof y_bits);
  const std::size_t slot = ((x_bits * 0x9E3779B97F4A7C15ULL) ^ (y_bits * 0xC2B2AE3D27D4EB4FULL)) >> 52;   // 4096 slots
  CachedGrid& entry = grid_cache_[slot];
  if (entry.point.x_m != point.x_m || entry.point.y_m != point.y_m) entry = {point, city_->grid_at(point)};
  return entry.grid;
}

const scenario::TravelMode& TravelModel::mode_at(Point from, int& from_grid) const {
  if (city_ == nullptr) {
    from_grid = -1;
    return modes_[0];
  }
  from_grid = grid_of(from);
  return modes_[static_cast<int>(city_->grids()[from_grid].kind)];
}

double TravelModel::drive_from_s(const scenario::TravelMode& mode, int from_grid, Point a, Point b) const {
  if (from_grid >= 0 && !matrix_s_.empty()) {
    const auto found = matrix_s_.find(from_grid * grids_ + grid_of(b));
    if (found != matrix_s_.end()) return found->second;
  }
  if (mode.metric == scenario::TravelMetric::none || mode.speed_mps <= 0) return 0.0;
  return metric_distance_m(mode, a, b) * mode.detour_factor / mode.speed_mps;
}

double TravelModel::distance_m(Point a, Point b) const {
  int from_grid = -1;
  return metric_distance_m(mode_at(a, from_grid), a, b);
}

double TravelModel::road_distance_m(Point a, Point b) const {
  int from_grid = -1;
  const auto& mode = mode_at(a, from_grid);
  return metric_distance_m(mode, a, b) * mode.detour_factor;
}

double TravelModel::drive_s(Point a, Point b) const {
  int from_grid = -1;
  const auto& mode = mode_at(a, from_grid);
  return drive_from_s(mode, from_grid, a, b);
}

double TravelModel::response_travel_by_grid_s(Point from, Point to, bool from_standstill) const {
  int from_grid = -1;
  const auto& mode = mode_at(from, from_grid);
  return (from_standstill ? mode.turnout_s : 0.0) + drive_from_s(mode, from_grid, from, to);
}

}  // namespace civicgrid::city
