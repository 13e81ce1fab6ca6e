// The paired t test's p-value and Holm's step-down adjustment behind pairs.csv of `civicgrid compare`: the
// numbers a meeting is shown when every plan is compared with every other, so they are checked by hand.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "metrics/comparison.hpp"

using civicgrid::metrics::holm_adjusted;
using civicgrid::metrics::paired_difference;
using civicgrid::metrics::two_sided_t_p_value;

TEST(Comparison, TwoSidedTPValue) {
  EXPECT_DOUBLE_EQ(two_sided_t_p_value(0, 5), 1.0);
  // t = 2.570582 is the 97.5% quantile of t with 5 degrees of freedom: two-sided p = 0.05.
  EXPECT_NEAR(two_sided_t_p_value(2.570582, 5), 0.05, 1e-6);
  EXPECT_NEAR(two_sided_t_p_value(-2.570582, 5), 0.05, 1e-6);
  // 12.706205 for 1 degree of freedom.
  EXPECT_NEAR(two_sided_t_p_value(12.706205, 1), 0.05, 1e-6);
  EXPECT_TRUE(std::isnan(two_sided_t_p_value(1.0, 0)));
}

TEST(Comparison, PairedDifferencePValue) {
  // Differences 1, 2, 3: mean 2, sd 1, standard error 1/sqrt(3), t = 2 sqrt(3) = 3.4641 with 2 degrees of
  // freedom: two-sided p = 0.07418 (from the t table: 2 * (1 - F(3.4641; 2))).
  const auto d = paired_difference({10, 10, 10}, {11, 12, 13});
  EXPECT_DOUBLE_EQ(d.mean, 2.0);
  EXPECT_NEAR(d.p_value, 0.0741799, 1e-6);
  // Identical plans (common random numbers): every difference 0, so p = 1, never significant.
  const auto same = paired_difference({1, 2, 3}, {1, 2, 3});
  EXPECT_DOUBLE_EQ(same.p_value, 1.0);
  EXPECT_FALSE(same.significant);
  // The same non-zero difference in every replication: certain.
  EXPECT_DOUBLE_EQ(paired_difference({1, 2, 3}, {2, 3, 4}).p_value, 0.0);
  // One replication: no test.
  EXPECT_TRUE(std::isnan(paired_difference({1}, {2}).p_value));
}

TEST(Comparison, HolmStepDown) {
  // p = 0.01, 0.04, 0.03 (m = 3). Sorted: 0.01, 0.03, 0.04.
  //   k = 1: 3 * 0.01 = 0.03
  //   k = 2: 2 * 0.03 = 0.06, max(0.03, 0.06) = 0.06
  //   k = 3: 1 * 0.04 = 0.04, max(0.06, 0.04) = 0.06
  // In the input's order: 0.03, 0.06, 0.06.
  const auto adjusted = holm_adjusted({0.01, 0.04, 0.03});
  ASSERT_EQ(adjusted.size(), 3u);
  EXPECT_NEAR(adjusted[0], 0.03, 1e-12);
  EXPECT_NEAR(adjusted[1], 0.06, 1e-12);
  EXPECT_NEAR(adjusted[2], 0.06, 1e-12);
  // NaN stays NaN and is not counted in m (here m = 2: sorted 0.02, 0.6 -> 2 * 0.02 = 0.04, 1 * 0.6 = 0.6).
  const auto with_nan = holm_adjusted({0.6, std::nan(""), 0.02});
  EXPECT_NEAR(with_nan[0], 0.6, 1e-12);
  EXPECT_TRUE(std::isnan(with_nan[1]));
  EXPECT_NEAR(with_nan[2], 0.04, 1e-12);
  // Capped at 1: sorted 0.6, 0.7 -> min(1, 2 * 0.6) = 1, then max(1, 0.7) = 1.
  const auto capped = holm_adjusted({0.7, 0.6});
  EXPECT_DOUBLE_EQ(capped[0], 1.0);
  EXPECT_DOUBLE_EQ(capped[1], 1.0);
  // One pair: no adjustment.
  EXPECT_DOUBLE_EQ(holm_adjusted({0.2})[0], 0.2);
  EXPECT_TRUE(holm_adjusted({}).empty());
}
