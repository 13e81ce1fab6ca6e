// Bucket arithmetic of DurationHistogram (see histogram.hpp).
#include "metrics/histogram.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

namespace civicgrid::metrics {
namespace {
constexpr double smallest_s = 1e-3;
}

DurationHistogram::DurationHistogram() : buckets_(2 + octaves * sub_buckets, 0) {}

void DurationHistogram::add(double seconds) {
  ++count_;
  if (seconds <= 0) {
    ++buckets_[0];
    return;
  }
  if (seconds < smallest_s) {
    ++buckets_[1];
    return;
  }
  int exponent = 0;
  const double mantissa = std::frexp(seconds / smallest_s, &exponent);  // in [0.5, 1)
  int octave = exponent - 1;
  int sub = static_cast<int>((mantissa * 2.0 - 1.0) * sub_buckets);
  if (octave >= octaves) {
    octave = octaves - 1;
    sub = sub_buckets - 1;
  }
  ++buckets_[2 + octave * sub_buckets + sub];
}

double DurationHistogram::percentile_s(double p) const {
  if (count_ == 0) return std::numeric_limits<double>::quiet_NaN();
  auto rank = static_cast<std::int64_t>(std::ceil(p * static_cast<double>(count_)));
  if (rank < 1) rank = 1;
  std::int64_t seen = 0;
  for (std::size_t index = 0; index < buckets_.size(); ++index) {
    seen += buckets_[index];
    if (seen < rank) continue;
    if (index == 0) return 0.0;
    if (index == 1) return smallest_s / 2;
    const auto octave = static_cast<int>((index - 2) / sub_buckets);
    const auto sub = static_cast<int>((index - 2) % sub_buckets);
    const double low = smallest_s * std::ldexp(1.0 + static_cast<double>(sub) / sub_buckets, octave);
    const double high = smallest_s * std::ldexp(1.0 + static_cast<double>(sub + 1) / sub_buckets, octave);
    return (low + high) / 2;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

namespace {
// Every response target the shipped scenarios and models use (15, 20, 30, 45 min, 4 h, 1 d ...) is an edge, so a
// type's share at its target is its within-target rate, read off the bins without interpolation.
constexpr double response_upper_min[] = {1,    2,    3,    5,    7.5,  10,   12.5, 15,   20,   25,   30,   40,
                                         45,   50,   60,   75,   90,   120,  150,  180,  240,  300,  360,  480,
                                         600,  720,  960,  1440, 2160, 2880, 4320, 7200, 10080, 20160};
}

std::span<const double> response_bin_upper_min() { return response_upper_min; }

std::size_t response_bin_count() { return std::size(response_upper_min) + 1; }

std::size_t response_bin(double response_min) {
  const auto* at = std::lower_bound(std::begin(response_upper_min), std::end(response_upper_min), response_min);
  return static_cast<std::size_t>(at - std::begin(response_upper_min));
}

}  // namespace civicgrid::metrics
