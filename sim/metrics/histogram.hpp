// Percentiles in constant memory: a log-linear histogram (512 sub-buckets per power of two from 1 ms up, an
// exact bucket for zero), so a million-incident replication needs no per-incident storage and p90 is still
// within 0.1% of the exact order statistic.
#pragma once

#include <cstdint>
#include <vector>

namespace civicgrid::metrics {

class DurationHistogram {
 public:
  DurationHistogram();
  void add(double seconds);
  std::int64_t count() const { return count_; }
  // Nearest-rank percentile (smallest recorded value x with at least p*n values <= x), p in (0, 1];
  // reported as the midpoint of its bucket, 0 for the zero bucket. NaN when empty.
  double percentile_s(double p) const;

 private:
  static constexpr int sub_buckets = 512;
  static constexpr int octaves = 48;   // 1 ms * 2^48: far beyond any horizon
  std::vector<std::int64_t> buckets_;  // [0] = exactly zero, [1] = (0, 1 ms), then octaves x sub_buckets
  std::int64_t count_ = 0;
};

}  // namespace civicgrid::metrics
