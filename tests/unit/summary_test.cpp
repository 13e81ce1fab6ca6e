// Unit tier: across-replication summaries (mean, Student-t 95% half-width) and the t quantile behind them.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "metrics/summary.hpp"

namespace civicgrid {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// One result per value of `values`, each carrying the KPI `name` only.
std::vector<metrics::ReplicationResult> results_of(const std::string& name, const std::vector<double>& values) {
  std::vector<metrics::ReplicationResult> results;
  for (std::size_t i = 0; i < values.size(); ++i) {
    metrics::ReplicationResult result;
    result.replication = static_cast<int>(i);
    result.seed = 11;
    result.kpis = {{name, values[i]}};
    results.push_back(result);
  }
  return results;
}

TEST(StudentT, QuantilesMatchTheStandardTable) {
  // t_{0.975, df} from the standard t table (7 decimals).
  EXPECT_NEAR(metrics::student_t_quantile_975(1), 12.7062047, 1e-7);
  EXPECT_NEAR(metrics::student_t_quantile_975(9), 2.2621572, 1e-7);
  EXPECT_NEAR(metrics::student_t_quantile_975(29), 2.0452296, 1e-7);
  // Large samples tend to the normal quantile 1.959964.
  EXPECT_NEAR(metrics::student_t_quantile_975(1000000), 1.959964, 1e-5);
  EXPECT_TRUE(std::isnan(metrics::student_t_quantile_975(0)));
  EXPECT_TRUE(std::isnan(metrics::student_t_quantile_975(-3)));
}

TEST(Summarise, MeanAndHalfWidthOfTenReplications) {
  // 1..10: mean 5.5; sum of squared deviations 82.5, s = sqrt(82.5 / 9) = 3.0276504;
  // h = t_{0.975,9} * s / sqrt(10) = 2.2621572 * 3.0276504 / 3.1622777 = 2.1658506.
  const auto summaries = metrics::summarise(results_of("response_min_mean", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  ASSERT_EQ(summaries.size(), 1u);
  const auto& s = summaries[0];
  EXPECT_EQ(s.name, "response_min_mean");
  EXPECT_EQ(s.unit, "min");
  EXPECT_EQ(s.n, 10);
  EXPECT_DOUBLE_EQ(s.mean, 5.5);
  EXPECT_NEAR(s.ci95_half_width, 2.1658506, 1e-6);
  EXPECT_EQ(s.per_replication, (std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
}

TEST(Summarise, TwoReplicationsUseTheOneDegreeOfFreedomQuantile) {
  // 10 and 14: mean 12, s = sqrt(8), h = 12.7062047 * sqrt(8) / sqrt(2) = 25.4124094.
  const auto s = metrics::summarise(results_of("within_target_rate", {10, 14}))[0];
  EXPECT_EQ(s.unit, "share");
  EXPECT_DOUBLE_EQ(s.mean, 12);
  EXPECT_NEAR(s.ci95_half_width, 25.4124094, 1e-6);
}

TEST(Summarise, IdenticalValuesGiveAZeroHalfWidth) {
  const auto s = metrics::summarise(results_of("utilization", {0.25, 0.25, 0.25}))[0];
  EXPECT_DOUBLE_EQ(s.mean, 0.25);
  EXPECT_EQ(s.ci95_half_width, 0.0);
}

TEST(Summarise, NaNValuesAreLeftOutButKeptPerReplication) {
  // Same numbers as the two-replication case with an undefined replication between them.
  const auto s = metrics::summarise(results_of("response_min_p90", {10, nan, 14}))[0];
  EXPECT_EQ(s.n, 2);
  EXPECT_DOUBLE_EQ(s.mean, 12);
  EXPECT_NEAR(s.ci95_half_width, 25.4124094, 1e-6);
  ASSERT_EQ(s.per_replication.size(), 3u);
  EXPECT_EQ(s.per_replication[0], 10);
  EXPECT_TRUE(std::isnan(s.per_replication[1]));
  EXPECT_EQ(s.per_replication[2], 14);
}

TEST(Summarise, FewerThanTwoDefinedValuesGiveNoHalfWidth) {
  const auto one = metrics::summarise(results_of("wait_min_mean", {nan, 3.5, nan}))[0];
  EXPECT_EQ(one.n, 1);
  EXPECT_DOUBLE_EQ(one.mean, 3.5);
  EXPECT_TRUE(std::isnan(one.ci95_half_width));
  const auto none = metrics::summarise(results_of("wait_min_mean", {nan, nan}))[0];
  EXPECT_EQ(none.n, 0);
  EXPECT_TRUE(std::isnan(none.mean));
  EXPECT_TRUE(std::isnan(none.ci95_half_width));
  const auto single = metrics::summarise(results_of("wait_min_mean", {2.0}))[0];
  EXPECT_EQ(single.n, 1);
  EXPECT_TRUE(std::isnan(single.ci95_half_width));
}

TEST(Summarise, OrderOfTheFirstResultAndUnitsFromTheCatalogue) {
  metrics::ReplicationResult a;
  a.kpis = {{"utilization", 0.5}, {"incidents", 10}, {"not_a_catalogued_kpi", 1}};
  metrics::ReplicationResult b;
  b.replication = 1;
  b.kpis = {{"incidents", 20}, {"utilization", 0.7}, {"backlog_at_end", 3}};   // other order, one more, one less
  const auto summaries = metrics::summarise({a, b});
  ASSERT_EQ(summaries.size(), 4u);
  EXPECT_EQ(summaries[0].name, "utilization");
  EXPECT_EQ(summaries[0].unit, "share");
  EXPECT_DOUBLE_EQ(summaries[0].mean, 0.6);
  EXPECT_EQ(summaries[1].name, "incidents");
  EXPECT_EQ(summaries[1].unit, "count");
  EXPECT_EQ(summaries[1].per_replication, (std::vector<double>{10, 20}));
  EXPECT_EQ(summaries[2].name, "not_a_catalogued_kpi");
  EXPECT_EQ(summaries[2].unit, "");
  EXPECT_EQ(summaries[2].n, 1);   // missing from b: undefined there
  EXPECT_TRUE(std::isnan(summaries[2].per_replication[1]));
  EXPECT_EQ(summaries[3].name, "backlog_at_end");   // only in b: after the first result's names
  EXPECT_TRUE(std::isnan(summaries[3].per_replication[0]));
  EXPECT_EQ(summaries[3].per_replication[1], 3);
  EXPECT_EQ(metrics::kpi_names_of({a, b}),
            (std::vector<std::string>{"utilization", "incidents", "not_a_catalogued_kpi", "backlog_at_end"}));
}

TEST(Summarise, NoResultsNoSummaries) { EXPECT_TRUE(metrics::summarise({}).empty()); }

}  // namespace
}  // namespace civicgrid
