// Unit tier: ReplicationResult crosses the process boundary as JSON without losing a bit.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "metrics/replication_result.hpp"

namespace civicgrid {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

metrics::ReplicationResult sample() {
  metrics::ReplicationResult result;
  result.replication = 7;
  result.seed = std::numeric_limits<std::uint64_t>::max();   // beyond int64 and beyond double's exact range
  result.kpis = {{"response_min_mean", 0.1 + 0.2},           // 0.30000000000000004
                 {"incidents", 1234},
                 {"wait_min_mean", nan},
                 {"arrival_rate_per_h", 1.0 / 3.0},
                 {"utilization", 5e-324},                    // smallest subnormal
                 {"backlog_at_end", -0.0}};
  metrics::GridTally grid;
  grid.grid = 12;
  grid.grid_id = "G0012";
  grid.community_id = "C03";
  grid.town_id = "T01";
  grid.residents = 812.75;
  grid.incidents = 9000000000LL;
  grid.responded = 41;
  grid.within_target = 40;
  grid.response_min_sum = 123.456789012345678;
  result.grids = {grid, metrics::GridTally{}};
  metrics::ResponderTally responder;
  responder.responder = 3;
  responder.team = "grid_worker";
  responder.level = "grid";
  responder.unit = "G0012";
  responder.travel_min = 1.0 / 7.0;
  responder.on_scene_min = 1e300;
  responder.return_min = 2.5;
  responder.idle_min = 1e-5;
  responder.on_duty_min = 4320;
  responder.incidents_served = 17;
  result.responders = {responder};
  return result;
}

TEST(ReplicationResultJson, RoundTripsExactlyIncludingNaN) {
  const auto original = sample();
  const std::string text = metrics::to_json(original);
  const auto back = metrics::replication_result_from_json(text);

  EXPECT_EQ(back.replication, 7);
  EXPECT_EQ(back.seed, std::numeric_limits<std::uint64_t>::max());
  ASSERT_EQ(back.kpis.size(), original.kpis.size());
  for (std::size_t i = 0; i < original.kpis.size(); ++i) {
    EXPECT_EQ(back.kpis[i].first, original.kpis[i].first);   // order kept, not alphabetical
    if (std::isnan(original.kpis[i].second))
      EXPECT_TRUE(std::isnan(back.kpis[i].second)) << original.kpis[i].first;
    else
      EXPECT_TRUE(same_bits(back.kpis[i].second, original.kpis[i].second)) << original.kpis[i].first;
  }
  ASSERT_EQ(back.grids.size(), 2u);
  const auto& g = back.grids[0];
  EXPECT_EQ(g.grid, 12);
  EXPECT_EQ(g.grid_id, "G0012");
  EXPECT_EQ(g.community_id, "C03");
  EXPECT_EQ(g.town_id, "T01");
  EXPECT_TRUE(same_bits(g.residents, 812.75));
  EXPECT_EQ(g.incidents, 9000000000LL);
  EXPECT_EQ(g.responded, 41);
  EXPECT_EQ(g.within_target, 40);
  EXPECT_TRUE(same_bits(g.response_min_sum, original.grids[0].response_min_sum));
  ASSERT_EQ(back.responders.size(), 1u);
  const auto& r = back.responders[0];
  EXPECT_EQ(r.responder, 3);
  EXPECT_EQ(r.team, "grid_worker");
  EXPECT_EQ(r.level, "grid");
  EXPECT_EQ(r.unit, "G0012");
  EXPECT_TRUE(same_bits(r.travel_min, 1.0 / 7.0));
  EXPECT_TRUE(same_bits(r.on_scene_min, 1e300));
  EXPECT_TRUE(same_bits(r.return_min, 2.5));
  EXPECT_TRUE(same_bits(r.idle_min, 1e-5));
  EXPECT_TRUE(same_bits(r.on_duty_min, 4320));
  EXPECT_EQ(r.incidents_served, 17);

  // Writing it again gives the same text: key order and number formatting are stable.
  EXPECT_EQ(metrics::to_json(back), text);
}

TEST(ReplicationResultJson, NaNIsWrittenAsNull) {
  const std::string text = metrics::to_json(sample());
  EXPECT_NE(text.find("\"wait_min_mean\":null"), std::string::npos) << text;
  EXPECT_EQ(text.find("NaN"), std::string::npos);
  EXPECT_EQ(text.find("nan"), std::string::npos);
  // Keys in a fixed order.
  EXPECT_LT(text.find("\"replication\""), text.find("\"seed\""));
  EXPECT_LT(text.find("\"seed\""), text.find("\"kpis\""));
  EXPECT_LT(text.find("\"kpis\""), text.find("\"grids\""));
  EXPECT_LT(text.find("\"grids\""), text.find("\"responders\""));
  EXPECT_LT(text.find("\"response_min_mean\""), text.find("\"incidents\""));
}

TEST(ReplicationResultJson, EmptyResultRoundTrips) {
  const auto back = metrics::replication_result_from_json(metrics::to_json(metrics::ReplicationResult{}));
  EXPECT_EQ(back.replication, 0);
  EXPECT_EQ(back.seed, 0u);
  EXPECT_TRUE(back.kpis.empty());
  EXPECT_TRUE(back.grids.empty());
  EXPECT_TRUE(back.responders.empty());
}

TEST(ReplicationResultJson, BrokenInputThrowsAClearError) {
  EXPECT_THROW(metrics::replication_result_from_json(""), std::runtime_error);
  EXPECT_THROW(metrics::replication_result_from_json("{\"replication\": 0"), std::runtime_error);
  try {
    metrics::replication_result_from_json(R"({"replication": 0, "seed": 1, "kpis": {}, "grids": []})");
    FAIL() << "no exception";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("responders"), std::string::npos) << error.what();
  }
  EXPECT_THROW(metrics::replication_result_from_json(
                   R"({"replication": 0, "seed": 1, "kpis": {"incidents": "many"}, "grids": [], "responders": []})"),
               std::runtime_error);
}

TEST(ReplicationResultJson, DuplicateKpiNamesAreRefused) {
  metrics::ReplicationResult result;
  result.kpis = {{"incidents", 1}, {"incidents", 2}};
  EXPECT_THROW(metrics::to_json(result), std::runtime_error);
}

}  // namespace
}  // namespace civicgrid
