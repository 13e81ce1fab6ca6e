// Named random streams and the samplers civicgrid draws from. Every stream is seeded from
// (master seed, stream name, replication), so the same replication of two staffing variants sees the same
// incidents (common random numbers) and no result depends on -j. The generator (xoshiro256**) and every
// sampler are written out here rather than taken from std::*_distribution, whose algorithms differ between
// standard libraries: the same seed must give the same numbers everywhere.
#pragma once

#include <cstdint>
#include <string_view>

#include "scenario/scenario.hpp"

namespace civicgrid::city {

class RandomStream {
 public:
  RandomStream(std::uint64_t master_seed, std::string_view stream_name, std::uint64_t replication);

  std::uint64_t next_u64();
  // Uniform in [0, 1) with 53 random bits.
  double uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform in (0, 1]: safe to take the logarithm of.
  double uniform_open0() { return 1.0 - uniform01(); }
  double uniform(double low, double high) { return low + (high - low) * uniform01(); }
  double exponential(double mean) ;
  double standard_normal();
  double gamma(double shape, double scale);
  // Integer in [0, n) without modulo bias.
  std::uint64_t below(std::uint64_t n);

 private:
  std::uint64_t state_[4];
};

// A sample of a non-negative duration, seconds.
double sample_duration_s(const scenario::Distribution& distribution, RandomStream& stream);

// 64-bit FNV-1a of a stream name: stable across platforms and builds.
std::uint64_t stream_name_hash(std::string_view name);

}  // namespace civicgrid::city
