// Unit tier: the occurrence process. Counts per hour follow the hourly profile, places follow population,
// and the stream is the same whatever else the scenario says about staff (common random numbers).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "city/incident_stream.hpp"
#include "support/scenarios.hpp"

namespace civicgrid {
namespace {

TEST(IncidentStream, HourlyProfileShapesArrivals) {
  auto s = testing::single_grid_queue(1, 1.0, testing::exponential_min(10), 24, 0);   // 60 per hour on average
  s.incidents[0].hourly_profile.assign(24, 0.0);
  s.incidents[0].hourly_profile[8] = 18.0;   // normalised: mean 1 -> everything happens 08:00-09:00 and
  s.incidents[0].hourly_profile[20] = 6.0;   // 20:00-21:00, three times more in the morning
  const auto city = city::City::build(s);
  city::IncidentStream stream(s.incidents[0], city, 1, 0);
  std::vector<int> per_hour(24, 0);
  city::Occurrence occurrence;
  const int days = 100;
  while (stream.next(occurrence) && occurrence.t_occur_s < days * 86400.0)
    ++per_hour[static_cast<int>(occurrence.t_occur_s / 3600) % 24];
  const double total = 60.0 * 24 * days;
  // Poisson counts: 5 standard deviations.
  EXPECT_NEAR(per_hour[8], total * 0.75, 5 * std::sqrt(total * 0.75));
  EXPECT_NEAR(per_hour[20], total * 0.25, 5 * std::sqrt(total * 0.25));
  EXPECT_EQ(per_hour[0] + per_hour[12] + per_hour[23], 0);
}

TEST(IncidentStream, PerCapitaRatesFollowPopulation) {
  auto s = testing::single_grid_queue(1, 0.0, testing::exponential_min(10), 24, 0);
  s.layout = {1, 2, 500.0, 1, 2, 1, 1};
  s.incidents[0].rate_per_grid_per_s = 0;
  s.incidents[0].rate_per_1000_residents_per_s = 1.0 / 3600;   // 1 per 1000 residents per hour
  s.population.residents_by_grid = {3000, 1000};
  const auto city = city::City::build(s);
  city::IncidentStream stream(s.incidents[0], city, 1, 0);
  EXPECT_DOUBLE_EQ(stream.mean_rate_per_s(), 4.0 / 3600);
  int in_first = 0;
  int n = 0;
  city::Occurrence occurrence;
  for (; n < 40000 && stream.next(occurrence); ++n) {
    in_first += occurrence.grid == 0;
    EXPECT_GE(occurrence.place.x_m, occurrence.grid * 500.0);
    EXPECT_LE(occurrence.place.x_m, occurrence.grid * 500.0 + 500.0);
  }
  EXPECT_NEAR(in_first, 0.75 * n, 5 * std::sqrt(n * 0.75 * 0.25));
}

TEST(IncidentStream, MigrantShareMultipliesRates) {
  // Grid 0 has no migrants, grid 1 half; migrants cause 3x the incidents: weights 1 and 0.5 + 0.5 x 3 = 2.
  auto s = testing::single_grid_queue(1, 1.0, testing::exponential_min(10), 24, 0);
  s.layout = {1, 2, 500.0, 1, 2, 1, 1};
  s.incidents[0].migrant_rate_ratio = 3;
  s.population.migrant_share_by_grid = {0.0, 0.5};
  const auto city = city::City::build(s);
  city::IncidentStream stream(s.incidents[0], city, 2, 0);
  EXPECT_DOUBLE_EQ(stream.mean_rate_per_s(), 3.0 / 60);
  int in_second = 0;
  const int n = 30000;
  city::Occurrence occurrence;
  for (int i = 0; i < n && stream.next(occurrence); ++i) in_second += occurrence.grid == 1;
  EXPECT_NEAR(in_second, 2.0 / 3 * n, 5 * std::sqrt(n * 2.0 / 9));
}

TEST(IncidentStream, KeyPopulationMultipliesRatesToo) {
  // Grid 1 has 20 % key population causing 6x the incidents: weight 0.8 + 0.2 x 6 = 2; with 50 % migrants at
  // ratio 3 as well (weight 2 again) the factors multiply: 4 against grid 0's 1.
  auto s = testing::single_grid_queue(1, 1.0, testing::exponential_min(10), 24, 0);
  s.layout = {1, 2, 500.0, 1, 2, 1, 1};
  s.incidents[0].key_population_rate_ratio = 6;
  s.population.key_population_share_by_grid = {0.0, 0.2};
  auto city = city::City::build(s);
  EXPECT_DOUBLE_EQ(city::IncidentStream(s.incidents[0], city, 2, 0).mean_rate_per_s(), 3.0 / 60);
  s.incidents[0].migrant_rate_ratio = 3;
  s.population.migrant_share_by_grid = {0.0, 0.5};
  city = city::City::build(s);
  EXPECT_DOUBLE_EQ(city::IncidentStream(s.incidents[0], city, 2, 0).mean_rate_per_s(), 5.0 / 60);
}

TEST(IncidentStream, StaffingDoesNotChangeTheIncidents) {
  auto a = testing::single_grid_queue(1, 0.5, testing::exponential_min(10), 24, 0);
  auto b = a;
  b.teams[0].per_unit = 7;
  b.dispatch.policy = scenario::DispatchPolicyName::own_unit_first;
  const auto city_a = city::City::build(a);
  const auto city_b = city::City::build(b);
  city::IncidentStream stream_a(a.incidents[0], city_a, 9, 4);
  city::IncidentStream stream_b(b.incidents[0], city_b, 9, 4);
  city::Occurrence x;
  city::Occurrence y;
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(stream_a.next(x));
    ASSERT_TRUE(stream_b.next(y));
    EXPECT_EQ(x.t_occur_s, y.t_occur_s);
    EXPECT_EQ(x.place.x_m, y.place.x_m);
    EXPECT_EQ(x.service_s, y.service_s);
  }
}

}  // namespace
}  // namespace civicgrid
