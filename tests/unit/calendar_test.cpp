// Unit tier for working time (city/calendar.hpp) and the calendar keys of the loader: hand-computed dates.
// Day 0 is Monday 2026-10-05 in these tests; working hours 9:00-17:00.
#include <gtest/gtest.h>

#include <fstream>

#include "city/calendar.hpp"
#include "scenario/loader.hpp"
#include "scenario/units.hpp"

namespace civicgrid {
namespace {

constexpr double hour_s = 3600, day_s = 86400;

scenario::Calendar week_calendar() {
  scenario::Calendar c;
  c.defined = true;
  c.start_date = "2026-10-05";
  c.work_from_s = 9 * hour_s;
  c.work_to_s = 17 * hour_s;
  c.holidays = {2};             // Wednesday off
  c.extra_working_days = {5};   // Saturday on (调休)
  return c;
}

TEST(Calendar, WorkingDaysFollowWeekdaysHolidaysAndMakeUpDays) {
  const city::WorkingCalendar calendar(week_calendar());
  EXPECT_TRUE(calendar.working_day(0));    // Monday
  EXPECT_FALSE(calendar.working_day(2));   // the holiday
  EXPECT_TRUE(calendar.working_day(5));    // make-up Saturday
  EXPECT_FALSE(calendar.working_day(6));   // Sunday
  EXPECT_TRUE(calendar.working_day(7));    // next Monday
  EXPECT_FALSE(calendar.working_day(-1));
}

TEST(Calendar, WorkingTimeSkipsNightsWeekendsAndHolidays) {
  const city::WorkingCalendar calendar(week_calendar());
  // Monday 07:00 + 1 working hour: the office opens at 9:00 -> Monday 10:00.
  EXPECT_DOUBLE_EQ(calendar.add_working_s(7 * hour_s, hour_s), 10 * hour_s);
  // Tuesday 16:00 + 2 working hours: 1 h on Tuesday, Wednesday is a holiday -> Thursday 10:00.
  EXPECT_DOUBLE_EQ(calendar.add_working_s(1 * day_s + 16 * hour_s, 2 * hour_s), 3 * day_s + 10 * hour_s);
  // Friday 16:00 + 2 working days (16 h): 1 h Friday, 8 h make-up Saturday, 7 h Monday -> Monday 16:00.
  EXPECT_DOUBLE_EQ(calendar.due_s(4 * day_s + 16 * hour_s, {scenario::TimeLimit::Kind::working_days, 2}), 7 * day_s + 16 * hour_s);
  // Clock limits ignore the calendar.
  EXPECT_DOUBLE_EQ(calendar.due_s(4 * day_s, {scenario::TimeLimit::Kind::clock, 3 * day_s}), 7 * day_s);
  EXPECT_DOUBLE_EQ(calendar.due_s(0, {scenario::TimeLimit::Kind::working_hours, 8}), 17 * hour_s);
}

TEST(Calendar, IsoDates) {
  long long days = 0;
  ASSERT_TRUE(scenario::parse_iso_date("2026-10-05", days));
  EXPECT_EQ((days + 3) % 7, 0) << "2026-10-05 is a Monday";
  EXPECT_FALSE(scenario::parse_iso_date("2026-02-30", days));
  EXPECT_FALSE(scenario::parse_iso_date("5 Oct", days));
}

std::string scenario_with(const std::string& extra, const std::string& deadline) {
  return "version: 1\nname: cal\nrun: {horizon: 10d, warmup: 1d, replications: 2, seed: 1}\n"
         "layout: {rows: 1, cols: 1, cell_size: 500m, community_block: [1, 1], town_block: [1, 1]}\n"
         "population: {residents_per_grid: 500}\ntravel: {metric: none}\n"
         "teams:\n  - {name: w, level: grid, per_unit: 1, roles: [w]}\n"
         "incidents:\n  - {type: t, rate: 2/d, service: {distribution: exponential, mean: 30min}, target: 1h,\n"
         "     roles: [w], " + deadline + "}\n" + extra;
}

std::string load_error(const std::string& text) {
  const std::string path = ::testing::TempDir() + "calendar_test.yaml";
  std::ofstream(path) << text;
  try {
    scenario::load_scenario(path);
  } catch (const scenario::InputError& error) {
    std::string all;
    for (const auto& d : error.diagnostics()) all += d.format() + "\n";
    return all;
  }
  return "";
}

TEST(Calendar, LoaderReadsWorkingTimeAndRejectsWhatCannotBeCounted) {
  const std::string calendar = "calendar: {start_date: 2026-10-05, working_hours: {from: 9h, to: 17h}, "
                               "holidays: [2026-10-07], extra_working_days: [2026-10-10]}\n";
  const std::string path = ::testing::TempDir() + "calendar_ok.yaml";
  std::ofstream(path) << scenario_with(calendar, "deadline: 2 working days, disposal_deadline: 4wh");
  const auto s = scenario::load_scenario(path);
  EXPECT_EQ(s.incidents[0].deadline.kind, scenario::TimeLimit::Kind::working_days);
  EXPECT_DOUBLE_EQ(s.incidents[0].deadline.amount, 2);
  EXPECT_EQ(s.incidents[0].disposal_deadline.kind, scenario::TimeLimit::Kind::working_hours);
  ASSERT_EQ(s.calendar.holidays.size(), 1u);
  EXPECT_EQ(s.calendar.holidays[0], 2);
  EXPECT_EQ(s.calendar.extra_working_days[0], 5);

  EXPECT_NE(load_error(scenario_with("", "deadline: 2 working days")).find("working time needs a calendar"), std::string::npos);
  EXPECT_NE(load_error(scenario_with("calendar: {start_date: 2026-10-06}\n", "deadline: 1d")).find("must be a Monday"),
            std::string::npos);
  EXPECT_NE(load_error(scenario_with("calendar: {start_date: 2026-10-05, holidays: [2026-13-01]}\n", "deadline: 1d"))
                .find("calendar.holidays.0"),
            std::string::npos);
  EXPECT_NE(load_error(scenario_with("", "deadline: -2 working days")).find("positive number"), std::string::npos);
}

}  // namespace
}  // namespace civicgrid
