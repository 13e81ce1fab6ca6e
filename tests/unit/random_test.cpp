// Unit tier: named random streams are reproducible and independent, and every sampler has the right mean
// (tolerances are 5 standard errors of the sample mean, from each distribution's known variance).
#include <gtest/gtest.h>

#include <cmath>

#include "city/random.hpp"

namespace civicgrid {
namespace {

TEST(RandomStream, SameSeedNameAndReplicationGiveTheSameNumbers) {
  city::RandomStream a(7, "arrivals/dispute", 3);
  city::RandomStream b(7, "arrivals/dispute", 3);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.next_u64(), b.next_u64());
}

TEST(RandomStream, PinnedFirstValues) {
  // Pinned so that a change of generator or seeding (which would break reproducibility of published runs)
  // is noticed. Values produced by this implementation on its first release.
  city::RandomStream stream(1, "arrivals/call", 0);
  EXPECT_EQ(stream.next_u64(), 0x65cae05cac0bcd56ull);
  EXPECT_EQ(stream.next_u64(), 0x72f9d52967ddf48cull);
  EXPECT_EQ(city::stream_name_hash(""), 0xcbf29ce484222325ull);   // FNV-1a offset basis
  EXPECT_EQ(city::stream_name_hash("a"), 0xaf63dc4c8601ec8cull);  // FNV-1a 64 of "a" (published test vector)
}

TEST(RandomStream, DifferentNamesOrReplicationsDiffer) {
  city::RandomStream a(7, "arrivals/dispute", 3);
  city::RandomStream b(7, "arrivals/hazard", 3);
  city::RandomStream c(7, "arrivals/dispute", 4);
  city::RandomStream d(8, "arrivals/dispute", 3);
  const auto first = a.next_u64();
  EXPECT_NE(first, b.next_u64());
  EXPECT_NE(first, c.next_u64());
  EXPECT_NE(first, d.next_u64());
}

double sample_mean(const scenario::Distribution& distribution, int n, double* variance = nullptr) {
  city::RandomStream stream(99, "test", 0);
  double sum = 0;
  double sum_squares = 0;
  for (int i = 0; i < n; ++i) {
    const double x = city::sample_duration_s(distribution, stream);
    EXPECT_GE(x, 0.0);
    sum += x;
    sum_squares += x * x;
  }
  const double mean = sum / n;
  if (variance) *variance = sum_squares / n - mean * mean;
  return mean;
}

TEST(Samplers, MeansAndVariancesMatchTheirDistributions) {
  constexpr int n = 200000;
  using K = scenario::DistributionKind;
  struct Case {
    scenario::Distribution distribution;
    double mean;
    double variance;
  };
  const Case cases[] = {
      {{K::exponential, 600, 0, 0, 0, 1}, 600, 600.0 * 600},
      {{K::fixed, 300, 0, 0, 0, 1}, 300, 0},
      {{K::uniform, 0, 0, 100, 500, 1}, 300, 400.0 * 400 / 12},
      {{K::lognormal, 1500, 900, 0, 0, 1}, 1500, 900.0 * 900},
      {{K::gamma, 3600, 0, 0, 0, 2}, 3600, 3600.0 * 3600 / 2},
      {{K::gamma, 100, 0, 0, 0, 0.5}, 100, 100.0 * 100 / 0.5},
      {{K::erlang, 1200, 0, 0, 0, 3}, 1200, 1200.0 * 1200 / 3},
  };
  for (const auto& c : cases) {
    double variance = 0;
    const double mean = sample_mean(c.distribution, n, &variance);
    const double standard_error = std::sqrt(c.variance / n);
    EXPECT_NEAR(mean, c.mean, 5 * standard_error + 1e-9) << scenario::to_string(c.distribution.kind);
    // Variance within 5% (all cases have finite fourth moments; 200k samples keep the error near 1%).
    EXPECT_NEAR(variance, c.variance, 0.05 * c.variance + 1e-6) << scenario::to_string(c.distribution.kind);
  }
}

TEST(RandomStream, BelowIsUniformOverSmallRanges) {
  city::RandomStream stream(5, "below", 0);
  int counts[3] = {0, 0, 0};
  for (int i = 0; i < 30000; ++i) ++counts[stream.below(3)];
  for (int count : counts) EXPECT_NEAR(count, 10000, 5 * std::sqrt(30000 * (1.0 / 3) * (2.0 / 3)));
}

}  // namespace
}  // namespace civicgrid
