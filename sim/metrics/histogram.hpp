// Percentiles in constant memory: a log-linear histogram (512 sub-buckets per power of two from 1 ms up, an
// exact bucket for zero), so a million-incident replication needs no per-incident storage and p90 is still
// within 0.1% of the exact order statistic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
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

// The coarse bins of the response-time distribution (responses.csv, the report's chart). They are roughly
// log-spaced, because a district's responses span a minute to days, and their upper edges sit on the round values
// targets are set at (15, 30, 60 min, 2 h, 1 d ...), so the share within such a target is read off a bin edge.
// Bin i holds upper[i-1] < x <= upper[i] minutes (bin 0 holds x <= upper[0]); one more bin, open-ended, holds the
// rest. "<=" matches within_target (response <= target).
std::span<const double> response_bin_upper_min();
std::size_t response_bin_count();   // response_bin_upper_min().size() + 1
std::size_t response_bin(double response_min);

}  // namespace civicgrid::metrics
