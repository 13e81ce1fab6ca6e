// Unit tier: percentiles from the constant-memory histogram agree with exact order statistics to 0.1%.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "city/random.hpp"
#include "metrics/histogram.hpp"

namespace civicgrid {
namespace {

TEST(DurationHistogram, MatchesExactNearestRankPercentiles) {
  city::RandomStream stream(3, "histogram", 0);
  metrics::DurationHistogram histogram;
  std::vector<double> values;
  for (int i = 0; i < 100001; ++i) {
    const double x = stream.exponential(600.0);
    values.push_back(x);
    histogram.add(x);
  }
  std::sort(values.begin(), values.end());
  for (double p : {0.5, 0.9, 0.95, 0.99}) {
    const auto rank = static_cast<std::size_t>(std::ceil(p * values.size()));
    const double exact = values[rank - 1];
    EXPECT_NEAR(histogram.percentile_s(p), exact, 0.001 * exact) << p;
  }
}

TEST(DurationHistogram, ZerosAndEmpty) {
  metrics::DurationHistogram histogram;
  EXPECT_TRUE(std::isnan(histogram.percentile_s(0.5)));
  for (int i = 0; i < 6; ++i) histogram.add(0.0);
  for (int i = 0; i < 4; ++i) histogram.add(120.0);
  EXPECT_EQ(histogram.percentile_s(0.5), 0.0);    // rank 5 of 10 is a zero
  EXPECT_NEAR(histogram.percentile_s(0.7), 120.0, 0.12);
  EXPECT_EQ(histogram.count(), 10);
}

}  // namespace
}  // namespace civicgrid
