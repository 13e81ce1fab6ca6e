// events.csv is the case life cycle that the KPIs describe: this test recomputes KPIs from the event rows
// alone (overall and per level) and requires them to equal what summary.json reports, replication by replication. It runs the
// richest shipped scenario (tiered platform: case flow, escalation tiers, visits, patrols, development,
// pre-emption) with hand-over at the grid workers' shift end, so every kind of event occurs.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "support/cli_fixture.hpp"
#include "support/csv.hpp"

namespace fs = std::filesystem;

namespace {

using civicgrid::testing::read_csv;
using civicgrid::testing::slurp;

class EventStream : public civicgrid::testing::CliFixture {};

// One incident's events, in the order written.
struct Life {
  std::string type;
  std::vector<std::pair<std::string, double>> events;   // (event, t_min)
  std::vector<std::string> actors;
  std::vector<std::string> levels;
  double first(const std::string& name) const {
    for (const auto& [event, t] : events)
      if (event == name) return t;
    return std::nan("");
  }
  int count(const std::string& name) const {
    return static_cast<int>(std::count_if(events.begin(), events.end(), [&](const auto& e) { return e.first == name; }));
  }
};

// Recomputes the KPIs of a result folder from its events.csv and compares them with summary.json; `kinds`
// must all occur (so the comparison covers them). `tiered`: the scenario escalates tier by tier.
void expect_kpis_match_events(const fs::path& folder, const std::vector<std::string>& kinds_required, bool tiered) {
  const auto kpis = nlohmann::json::parse(slurp(folder / "summary.json"))["kpis"];
  const auto events = read_csv(folder / "events.csv");
  const std::size_t replication = events.column("replication"), incident = events.column("incident"),
                    event = events.column("event"), t_min = events.column("t_min"), actor = events.column("actor"),
                    level = events.column("level"), type = events.column("type");
  std::map<int, std::map<std::string, Life>> lives;   // replication -> incident -> life
  for (const auto& row : events.rows) {
    Life& life = lives[std::stoi(row[replication])][row[incident]];
    life.type = row[type];
    life.events.emplace_back(row[event], row[t_min].empty() ? std::nan("") : std::stod(row[t_min]));
    life.actors.push_back(row[actor]);
    life.levels.push_back(row[level]);
  }
  ASSERT_EQ(lives.size(), 2u);
  // Every kind of event this scenario can produce occurred, so the comparison covers them.
  std::set<std::string> kinds;
  for (const auto& row : events.rows) kinds.insert(row[event]);
  for (const auto& kind : kinds_required)
    EXPECT_TRUE(kinds.count(kind)) << kind << " never occurred: the comparison would not cover it";

  double later_wait_total_min = 0;   // over the replications
  for (const auto& [r, incidents] : lives) {
    std::map<std::string, double> from_events;
    double known = 0, closed = 0, escalated = 0, routed = 0, closure_min = 0, responded = 0, response_min = 0;
    double visit = 0, patrol = 0, developed = 0, preempted = 0, handed_over = 0, escalations = 0;
    // Response = registration + first wait + travel; the wait KPIs add the later spells in line.
    double registration_min = 0, first_wait_min = 0, later_wait_min = 0, waited = 0, travel_min = 0;
    double registration_wait_min = 0;   // until a desk member began registering (registration_started)
    std::map<std::string, double> responded_of_type, wait_min_of_type;
    // Per level: closures (the level of the "closed" row), their closure times, and escalations from it.
    std::map<std::string, double> closed_at, closure_min_at, escalated_from, at_level_min, routed_from;
    double moves_up = 0;   // escalations and off-hours routing: each brings a case to one more tier
    double at_level_total_min = 0;
    for (const auto& [id, life] : incidents) {
      // One life per incident: it occurs once and is closed at most once.
      EXPECT_EQ(life.count("occurred"), 1) << "incident " << id << ", replication " << r;
      EXPECT_LE(life.count("closed"), 1) << "incident " << id << ", replication " << r;
      const double t_known = life.first("known");
      if (!std::isnan(t_known)) {
        ++known;
        if (life.count("escalated") > 0) ++escalated;
        if (life.count("routed_off_hours") > 0) ++routed;
        for (std::size_t k = 0; k < life.events.size(); ++k)
          if (life.events[k].first == "known") {
            visit += life.actors[k] == "visit";
            patrol += life.actors[k] == "patrol";
          }
      }
      if (const double t = life.first("closed"); !std::isnan(t)) {
        ++closed;
        closure_min += t - t_known;
      }
      double at_level_since = t_known;   // a case is at its first level from when it is known
      for (std::size_t k = 0; k < life.events.size(); ++k) {
        // The escalation delay is the time at a level before an escalation from it; routing off-hours also
        // moves the case on, so the next level's time starts there too, but it is no escalation.
        if (life.events[k].first == "escalated") {
          at_level_min[life.levels[k]] += life.events[k].second - at_level_since;
          at_level_total_min += life.events[k].second - at_level_since;
          at_level_since = life.events[k].second;
          ++moves_up;
        }
        if (life.events[k].first == "routed_off_hours") {
          EXPECT_EQ(life.actors[k], "off_duty") << "incident " << id << ", replication " << r;
          at_level_since = life.events[k].second;
          routed_from[life.levels[k]] += 1;
          ++moves_up;
        }
        if (life.events[k].first == "closed") {
          closed_at[life.levels[k]] += 1;
          closure_min_at[life.levels[k]] += life.events[k].second - t_known;
        }
        if (life.events[k].first == "escalated") {
          escalated_from[life.levels[k]] += 1;
          ++escalations;
        }
      }
      if (const double t = life.first("on_scene"); !std::isnan(t)) {
        ++responded;
        response_min += t - t_known;
        // Dispatch starts once registered (受理/立案); without a registration step, known is registered.
        const double t_registered = life.count("registered") > 0 ? life.first("registered") : t_known;
        const double t_dispatched = life.first("dispatched");
        EXPECT_LE(t_known, t_registered) << "incident " << id << ", replication " << r;
        EXPECT_LE(t_registered, t_dispatched) << "incident " << id << ", replication " << r;
        EXPECT_LE(t_dispatched, t) << "incident " << id << ", replication " << r;
        registration_min += t_registered - t_known;
        // A staffed registration starts when a desk member is free; a delay or no step starts at once.
        const double t_started = life.count("registration_started") > 0 ? life.first("registration_started") : t_known;
        EXPECT_LE(t_known, t_started) << "incident " << id << ", replication " << r;
        EXPECT_LE(t_started, t_registered) << "incident " << id << ", replication " << r;
        registration_wait_min += t_started - t_known;
        first_wait_min += t_dispatched - t_registered;
        travel_min += t - t_dispatched;
        waited += t_dispatched > t_registered;
        // Later spells in line: from each point where the case needed a crew again (pre-empted, handed over,
        // sent back by the check, failed and passed up) to its next dispatch, or to the horizon if it still
        // waits then. Escalations for no capacity or by time happen while it waits and start no spell.
        double again_since = std::nan("");
        double later = 0;
        for (std::size_t k = 0; k < life.events.size(); ++k) {
          const auto& [name, at] = life.events[k];
          if (name == "preempted" || name == "handed_over" || name == "rework" ||
              (name == "escalated" && life.actors[k] == "failed")) {
            again_since = at;
          } else if ((name == "dispatched" || name == "open_at_horizon") && !std::isnan(again_since)) {
            later += at - again_since;
            again_since = std::nan("");
          }
        }
        later_wait_min += later;
        later_wait_total_min += later;
        responded_of_type[life.type] += 1;
        wait_min_of_type[life.type] += t_dispatched - t_registered + later;
      }
      developed += life.count("developed");
      preempted += life.count("preempted");
      handed_over += life.count("handed_over");
    }
    from_events["incidents"] = static_cast<double>(incidents.size());
    from_events["known"] = known;
    from_events["closed"] = closed;
    from_events["responded"] = responded;
    from_events["escalation_rate"] = escalated / known;
    from_events["routed_off_hours_rate"] = routed / known;
    from_events["closure_h_mean"] = closure_min / closed / 60;
    from_events["response_min_mean"] = response_min / responded;
    from_events["registration_min_mean"] = registration_min / responded;
    from_events["registration_wait_min_mean"] = registration_wait_min / responded;
    from_events["wait_min_mean"] = (first_wait_min + later_wait_min) / responded;
    from_events["wait_probability"] = waited / responded;
    from_events["travel_min_mean"] = travel_min / responded;
    for (const auto& [name, n] : responded_of_type) from_events["wait_min_mean@" + name] = wait_min_of_type[name] / n;
    // The decomposition of the mean response: registration + wait + travel, less the later spells (which come
    // after the first arrival, so they are part of the wait but not of the response).
    const auto summary = [&](const char* kpi) { return kpis[kpi]["per_replication"][r].get<double>(); };
    EXPECT_NEAR(summary("response_min_mean"), summary("registration_min_mean") + summary("wait_min_mean") +
                                                  summary("travel_min_mean") - later_wait_min / responded,
                1e-6 * summary("response_min_mean"))
        << "replication " << r;
    from_events["found_by_visit"] = visit;
    from_events["found_by_patrol"] = patrol;
    from_events["developed"] = developed;
    from_events["preempted_jobs"] = preempted;
    from_events["handed_over_jobs"] = handed_over;
    double reached = 0;
    for (const char* name : {"grid", "community", "town", "city"}) {
      const std::string at = name;
      from_events["closed_at_" + at] = closed_at[at];
      from_events["escalations_from_" + at] = escalated_from[at];
      from_events["routed_off_hours_from@level:" + at] = routed_from[at];
      if (closed_at[at] > 0) from_events["closure_h_mean@level:" + at] = closure_min_at[at] / closed_at[at] / 60;
      if (escalated_from[at] > 0) from_events["escalation_delay_h_mean@level:" + at] = at_level_min[at] / escalated_from[at] / 60;
      if (tiered) reached += kpis["reached@level:" + at]["per_replication"][r].get<double>();
    }
    if (escalations > 0) from_events["escalation_delay_h_mean"] = at_level_total_min / escalations / 60;
    // Tiered: every known case reaches its first tier, and each move up brings it to one more.
    if (tiered) {
      EXPECT_EQ(reached, known + moves_up) << "replication " << r;
    }
    for (const auto& [kpi, value] : from_events) {
      const double reported = kpis[kpi]["per_replication"][r].get<double>();
      // Times in events.csv are printed to the microminute; means agree to far better than 1e-6 relative.
      EXPECT_NEAR(value, reported, 1e-6 * std::max(1.0, std::abs(reported))) << kpi << ", replication " << r;
    }
  }
  EXPECT_GT(later_wait_total_min, 0) << "no case waited in line again: the comparison would not cover those spells";
}

TEST_F(EventStream, KpisAreWhatTheEventsSay) {
  const fs::path folder = scratch_ / "run";
  const std::string scenario = std::string(CIVICGRID_SOURCE_DIR) + "/scenarios/district/tiered-platform.yaml";
  const auto outcome = civicgrid("run " + scenario + " -r 2 -q --set run.horizon=10d" +
                                 " --set teams.grid_worker.shift.at_end=hand_over --out " + folder.string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  expect_kpis_match_events(folder,
                           {"occurred", "known", "registration_started", "registered", "dispatched", "on_scene", "team_on_scene", "handled",
                            "rework", "escalated", "routed_off_hours", "closed", "reported", "developed", "preempted",
                            "handed_over"},
                           true);
}

// Pooled dispatch under heavy load with multi-role town staff: jobs are pre-empted again and again, and a
// member whose crew mate has just settled the case must not be taken from it (that once closed cases twice).
TEST_F(EventStream, RepeatedPreemptionOfJointCrewsClosesEachCaseOnce) {
  const fs::path folder = scratch_ / "run";
  const std::string scenario = std::string(CIVICGRID_SOURCE_DIR) + "/scenarios/district/one-needle.yaml";
  const auto outcome = civicgrid("run " + scenario + " -r 2 -q --set run.horizon=12d" +
                                 " --set dispatch.preemption=by_priority" +
                                 " --set teams.community_cadre.shift.at_end=hand_over --out " + folder.string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  expect_kpis_match_events(folder, {"occurred", "known", "dispatched", "team_on_scene", "closed", "preempted", "handed_over"},
                           false);
}

}  // namespace
