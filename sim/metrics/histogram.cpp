// Bucket arithmetic of DurationHistogram (see histogram.hpp).
#include "metrics/histogram.hpp"

#include <cmath>
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

}  // namespace civicgrid::metrics
