// Tallies of ReplicationObserver (see observer.hpp) and the conversion to per-replication KPIs.
#include "metrics/observer.hpp"

#include "metrics/kpis.hpp"
#include "metrics/standards.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace civicgrid::metrics {
namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
double ratio(double numerator, double denominator) { return denominator > 0 ? numerator / denominator : nan; }
}  // namespace

ReplicationObserver::ReplicationObserver(const scenario::Scenario& scenario, const city::City& city,
                                         const city::Roster& roster)
    : warmup_s_(scenario.run.warmup_s),
      horizon_s_(scenario.run.horizon_s),
      city_(city),
      roster_(roster),
      scenario_(scenario),
      queue_last_change_s_(scenario.run.warmup_s),
      grids_(city.grids().size()),
      coverage_(scenario, city, roster),
      dynamic_covered_sum_(coverage_.questions().size(), 0.0),
      dynamic_covered_by_grid_sum_(city.grids().size(), 0.0),
      responders_(roster.responders().size()) {
  types_.resize(scenario.incidents.size());
  for (const auto& grid : city.grids()) {
    GridTally& tally = grids_[grid.id];
    tally.grid = grid.id;
    tally.grid_id = grid.code;
    tally.community_id = city.communities()[grid.community].code;
    tally.town_id = city.towns()[grid.town].code;
    tally.residents = grid.residents;
  }
}

void ReplicationObserver::coverage_sampled(double now_s, const std::vector<char>& available) {
  if (now_s < warmup_s_ || now_s >= horizon_s_) return;
  coverage_.covered(available, coverage_scratch_, &dynamic_covered_by_grid_sum_);
  for (std::size_t q = 0; q < coverage_scratch_.size(); ++q) dynamic_covered_sum_[q] += coverage_scratch_[q];
  ++coverage_samples_;
}

void ReplicationObserver::backlog_sampled(double now_s, std::int64_t open_known) {
  if (now_s < warmup_s_ || now_s >= horizon_s_) return;
  backlog_.push_back({now_s / 3600.0, open_known});
}

double ReplicationObserver::clipped_s(double start_s, double end_s) const {
  return std::max(0.0, std::min(end_s, horizon_s_) - std::max(start_s, warmup_s_));
}

void ReplicationObserver::incident_occurred(double t_occur_s, int grid, int type) {
  if (!counted(t_occur_s)) return;
  ++incidents_;
  ++types_[type].incidents;
  ++grids_[grid].incidents;
}

const char* to_string(KnownBy source) {
  switch (source) {
    case KnownBy::residents: return "residents";
    case KnownBy::visit: return "visit";
    case KnownBy::patrol: return "patrol";
    case KnownBy::development: return "development";
  }
  return "";
}

void ReplicationObserver::incident_developed(double t_occur_s) {
  if (counted(t_occur_s)) ++developed_;
}

void ReplicationObserver::set_programme_households(int team, int grid, int households) {
  if (visited_.empty()) visited_.assign(scenario_.teams.size(), {});
  if (visited_[team].empty()) visited_[team].resize(grids_.size());
  visited_[team][grid].assign(static_cast<std::size_t>(households), 0);
}

void ReplicationObserver::visit_done(int responder, int grid, int household, double start_s, double end_s) {
  if (end_s < warmup_s_ || end_s > horizon_s_) return;
  ++visits_;
  visit_s_ += end_s - start_s;
  const int team = roster_.responders()[responder].team;
  assert(team < static_cast<int>(visited_.size()) && household < static_cast<int>(visited_[team][grid].size()));
  visited_[team][grid][static_cast<std::size_t>(household)] = 1;
}

void ReplicationObserver::incident_disposed(double t_occur_s, double t_known_s, double t_disposed_s,
                                            double disposal_deadline_s, int level) {
  if (!counted(t_occur_s) || disposal_deadline_s <= 0 || t_known_s + disposal_deadline_s > horizon_s_) return;
  const bool on_time = t_disposed_s - t_known_s <= disposal_deadline_s;
  disposed_on_time_ += on_time;
  ++levels_[level].disposal_due;
  levels_[level].disposed_on_time += on_time;
}

void ReplicationObserver::platform_step_done(PlatformStep step, double t_occur_s, double done_s, double due_s) {
  if (!counted(t_occur_s) || done_s > horizon_s_) return;
  ++step_due_[static_cast<int>(step)];
  step_on_time_[static_cast<int>(step)] += done_s <= due_s;
}

void ReplicationObserver::platform_step_open_at_horizon(PlatformStep step, double t_occur_s, double due_s) {
  if (counted(t_occur_s) && due_s <= horizon_s_) ++step_due_[static_cast<int>(step)];
}

void ReplicationObserver::incident_reached_level(double t_occur_s, int level) {
  if (counted(t_occur_s)) ++levels_[level].reached;
}

void ReplicationObserver::incident_open_at_horizon(double t_occur_s, double t_known_s, double closure_deadline_s,
                                                   double disposal_deadline_s, bool disposed, int level, int type) {
  if (!counted(t_occur_s)) return;
  if (closure_deadline_s > 0) {
    if (t_known_s + closure_deadline_s <= horizon_s_) {
      ++due_;
      ++overdue_open_;
      ++levels_[level].due;
    } else {
      ++not_yet_due_;
      ++types_[type].not_yet_due;
    }
  }
  if (!disposed && disposal_deadline_s > 0 && t_known_s + disposal_deadline_s <= horizon_s_) ++levels_[level].disposal_due;
}

// The closure deadline does not matter here: a case becomes due (应结案) when it is closed or overdue.
void ReplicationObserver::incident_known(double t_occur_s, double t_known_s, double /*closure_deadline_s*/,
                                         double disposal_deadline_s, KnownBy source, bool findable, int type) {
  if (!counted(t_occur_s)) return;
  ++known_;
  ++types_[type].known;
  ++known_by_[static_cast<int>(source)];
  if (findable) {
    ++findable_known_;
    missed_by_workers_ += source == KnownBy::residents;
  }
  discovery_sum_s_ += t_known_s - t_occur_s;
  if (disposal_deadline_s > 0 && t_known_s + disposal_deadline_s <= horizon_s_) ++disposal_due_;
}

void ReplicationObserver::incident_reported(double t_occur_s, ReportOutcome outcome, int closing_level) {
  if (!counted(t_occur_s)) return;
  ++report_outcomes_[static_cast<int>(outcome)];
  ++levels_[closing_level].report_outcomes[static_cast<int>(outcome)];
}

void ReplicationObserver::incident_escalated(double t_occur_s, int from_level, EscalationCause cause, bool first_time,
                                             double at_level_s) {
  if (!counted(t_occur_s)) return;
  ++escalations_[from_level][static_cast<int>(cause)];
  if (cause == EscalationCause::off_duty) {
    routed_off_hours_incidents_ += first_time;
    return;
  }
  levels_[from_level].escalation_delay_sum_s += at_level_s;
  escalated_incidents_ += first_time;
}

void ReplicationObserver::incident_responded(const IncidentTimes& times, int grid, int type, double target_s,
                                             int lead, double lead_distance_m, int level) {
  if (!counted(times.t_occur_s)) return;
  distance_sum_m_ += lead_distance_m;
  const auto& responder = roster_.responders()[lead];
  if (responder.level == scenario::Level::grid) {
    ++grid_led_;
    own_grid_led_ += responder.unit == grid;
    // Under own_unit_only (the only policy mutual aid works with) another grid's member leads only as an aid.
    if (responder.unit != grid && scenario_.dispatch.mutual_aid) {
      ++grids_[responder.unit].assists_given;
      ++grids_[grid].assists_received;
      ++mutual_aid_led_;
    }
  }
  // The wait starts when the case could first be dispatched (registered), so that the platform's registration
  // delay is not counted as queueing: response = registration + first wait + travel, per incident.
  const double first_wait_s = times.t_dispatch_s - times.t_registered_s;
  TypeTally& by_type = types_[type];
  ++by_type.responded;
  by_type.response_sum_s += times.t_on_scene_s - times.t_known_s;
  by_type.response.add(times.t_on_scene_s - times.t_known_s);
  ++by_type.responded_by_bin[response_bin((times.t_on_scene_s - times.t_known_s) / 60.0)];
  const auto hour_of_week = static_cast<std::size_t>(std::fmod(times.t_known_s, 7 * 86400.0) / 3600.0);
  HourTally& hour = week_hours_[std::min<std::size_t>(hour_of_week, 7 * 24 - 1)];
  ++hour.responded;
  hour.within_target += times.t_on_scene_s - times.t_known_s <= target_s;
  by_type.wait_sum_s += first_wait_s;
  by_type.within_target += times.t_on_scene_s - times.t_known_s <= target_s;
  const double response_s = times.t_on_scene_s - times.t_known_s;
  ++responded_;
  response_sum_s_ += response_s;
  registration_sum_s_ += times.t_registered_s - times.t_known_s;
  registration_wait_sum_s_ += times.t_registration_start_s - times.t_known_s;
  wait_sum_s_ += first_wait_s;
  waited_ += times.t_dispatch_s > times.t_registered_s;
  travel_sum_s_ += times.t_on_scene_s - times.t_dispatch_s;
  response_histogram_.add(response_s);
  const bool within = response_s <= target_s;
  within_target_ += within;
  GridTally& tally = grids_[grid];
  ++tally.responded;
  if (times.t_team_on_scene_s <= horizon_s_) {
    ++team_responded_;
    team_response_sum_s_ += times.t_team_on_scene_s - times.t_known_s;
    ++levels_[level].team_responded;
    levels_[level].team_response_sum_s += times.t_team_on_scene_s - times.t_known_s;
  }
  tally.within_target += within;
  tally.response_min_sum += response_s / 60.0;
}

void ReplicationObserver::incident_waited_again(double t_occur_s, int type, double wait_s) {
  if (!counted(t_occur_s)) return;
  wait_sum_s_ += wait_s;
  types_[type].wait_sum_s += wait_s;
}

void ReplicationObserver::incident_closed(const IncidentTimes& times, int level, double deadline_s, int type) {
  if (!counted(times.t_occur_s)) return;
  ++closed_;
  ++types_[type].closed;
  ++closed_at_level_[level];
  on_scene_sum_s_ += times.t_closed_s - times.t_on_scene_s;
  const double closure_s = times.t_closed_s - times.t_known_s;
  closure_sum_s_ += closure_s;
  closure_histogram_.add(closure_s);
  LevelTally& at_level = levels_[level];
  at_level.closure_sum_s += closure_s;
  at_level.closure.add(closure_s);
  if (deadline_s > 0) {   // closed: due, whenever its deadline falls
    ++due_;
    ++at_level.due;
    if (closure_s <= deadline_s) {
      ++closed_on_time_;
      ++at_level.closed_on_time;
    }
  }
}

void ReplicationObserver::queue_changed(double now_s, std::int64_t waiting) {
  if (now_s > warmup_s_) {
    const double from_s = std::max(queue_last_change_s_, warmup_s_);
    const double to_s = std::min(now_s, horizon_s_);
    if (to_s > from_s) queue_area_ += static_cast<double>(queue_waiting_) * (to_s - from_s);
    queue_last_change_s_ = to_s;
  }
  queue_waiting_ = waiting;
}

void ReplicationObserver::responder_busy(int responder, ResponderActivity activity, double start_s, double end_s) {
  add_busy_s(responder, activity, clipped_s(start_s, end_s));
}

void ReplicationObserver::add_busy_s(int responder, ResponderActivity activity, double seconds) {
  Busy& busy = responders_[responder];
  switch (activity) {
    case ResponderActivity::travel: busy.travel_s += seconds; break;
    case ResponderActivity::on_scene: busy.on_scene_s += seconds; break;
    case ResponderActivity::back_to_base: busy.back_s += seconds; break;
  }
}

void ReplicationObserver::responder_busy_cancelled(int responder, ResponderActivity activity, double start_s,
                                                   double end_s) {
  add_busy_s(responder, activity, -clipped_s(start_s, end_s));
}

void ReplicationObserver::job_interrupted(double t_occur_s, Interruption why) {
  if (counted(t_occur_s)) ++interrupted_[static_cast<int>(why)];
}

void ReplicationObserver::responder_on_duty(int responder, double start_s, double end_s) {
  responders_[responder].duty_s += clipped_s(start_s, end_s);
}

void ReplicationObserver::responder_served(int responder, double t_occur_s) {
  if (counted(t_occur_s)) ++responders_[responder].served;
}

ReplicationResult ReplicationObserver::finish(int replication, std::uint64_t seed,
                                              std::int64_t backlog_at_end) const {
  ReplicationResult result;
  result.replication = replication;
  result.seed = seed;
  const double window_s = horizon_s_ - warmup_s_;
  // The queue area still open since the last change runs to the horizon.
  const double tail_s = std::max(0.0, horizon_s_ - std::max(queue_last_change_s_, warmup_s_));
  const double queue_area = queue_area_ + static_cast<double>(queue_waiting_) * tail_s;

  double busy_total_s = 0;
  double duty_total_s = 0;
  for (const auto& responder : roster_.responders()) {
    const Busy& busy = responders_[responder.id];
    ResponderTally tally;
    tally.responder = responder.id;
    tally.team = scenario_.teams[responder.team].name;
    tally.level = scenario::to_string(responder.level);
    tally.unit = city_.unit_code(responder.level, responder.unit);
    tally.travel_min = busy.travel_s / 60.0;
    tally.on_scene_min = busy.on_scene_s / 60.0;
    tally.return_min = busy.back_s / 60.0;
    const double duty_s = scenario_.teams[responder.team].has_duty_roster() ? busy.duty_s : window_s;
    tally.on_duty_min = duty_s / 60.0;
    const double busy_s = busy.travel_s + busy.on_scene_s + busy.back_s;
    tally.idle_min = std::max(0.0, duty_s - busy_s) / 60.0;
    tally.incidents_served = busy.served;
    busy_total_s += busy_s;
    duty_total_s += duty_s;
    result.responders.push_back(std::move(tally));
  }
  result.grids = grids_;
  result.week_hours = week_hours_;
  result.backlog = backlog_;
  for (std::size_t t = 0; t < types_.size(); ++t)
    result.responses.push_back({scenario_.incidents[t].name, types_[t].responded_by_bin});
  result.mutual_aid = scenario_.dispatch.mutual_aid.has_value();

  const auto responded = static_cast<double>(responded_);
  // Grids with responded incidents whose within-target rate meets the standard (none: undefined).
  struct {
    double grids = std::numeric_limits<double>::quiet_NaN();
    double residents = std::numeric_limits<double>::quiet_NaN();
  } grid_coverage;
  if (const double bar = within_target_bar(effective_standards(scenario_)); !std::isnan(bar)) {
    double grids = 0, meeting = 0, residents = 0, residents_meeting = 0;
    for (const GridTally& grid : grids_) {
      if (grid.responded == 0) continue;
      grids += 1;
      residents += grid.residents;
      if (static_cast<double>(grid.within_target) / static_cast<double>(grid.responded) >= bar) {
        meeting += 1;
        residents_meeting += grid.residents;
      }
    }
    grid_coverage.grids = ratio(meeting, grids);
    grid_coverage.residents = ratio(residents_meeting, residents);
  }
  const auto dynamic_share = [&](std::size_t question) {
    return coverage_samples_ > 0 ? ratio(dynamic_covered_sum_[question] / static_cast<double>(coverage_samples_),
                                         coverage_.residents())
                                 : std::numeric_limits<double>::quiet_NaN();
  };
  // 入户覆盖率: households of the visit programmes visited at least once in the window, over those households;
  // per grid over its programmes' households, per team over its programme's.
  std::vector<double> visited_by_grid(grids_.size(), 0.0), households_by_grid(grids_.size(), 0.0);
  std::vector<std::pair<double, double>> visited_by_team(visited_.size(), {0.0, 0.0});
  double visited_total = 0, programme_households = 0;
  for (std::size_t team = 0; team < visited_.size(); ++team)
    for (std::size_t grid = 0; grid < visited_[team].size(); ++grid) {
      const auto& flags = visited_[team][grid];
      const auto seen = static_cast<double>(std::count(flags.begin(), flags.end(), char{1}));
      const auto households = static_cast<double>(flags.size());
      visited_by_grid[grid] += seen;
      households_by_grid[grid] += households;
      visited_by_team[team].first += seen;
      visited_by_team[team].second += households;
      visited_total += seen;
      programme_households += households;
    }
  for (const auto& grid : city_.grids()) {
    GridTally& tally = result.grids[grid.id];
    tally.visit_coverage_rate = ratio(visited_by_grid[grid.id], households_by_grid[grid.id]);
    tally.static_coverage_rate = ratio(coverage_.static_covered_by_grid()[grid.id], grid.residents);
    tally.dynamic_coverage_rate =
        coverage_samples_ > 0
            ? ratio(dynamic_covered_by_grid_sum_[grid.id] / static_cast<double>(coverage_samples_), grid.residents)
            : std::numeric_limits<double>::quiet_NaN();
  }
  double escalation_delay_total_s = 0;
  double escalations_total = 0;
  for (int level = 0; level < 4; ++level) {
    escalation_delay_total_s += levels_[level].escalation_delay_sum_s;
    escalations_total += static_cast<double>(escalated_from(level));
  }
  std::int64_t reports = 0;
  for (std::int64_t count : report_outcomes_) reports += count;
  const double reported = static_cast<double>(report_outcomes_[0] + report_outcomes_[1]);
  const double not_reported = static_cast<double>(reports) - reported;
  result.kpis = {
      {kpi_key(Kpi::incidents), static_cast<double>(incidents_)},
      {kpi_key(Kpi::known), static_cast<double>(known_)},
      {kpi_key(Kpi::capture_rate), ratio(static_cast<double>(known_), static_cast<double>(incidents_))},
      {kpi_key(Kpi::discovery_delay_h_mean), ratio(discovery_sum_s_ / 3600.0, static_cast<double>(known_))},
      {kpi_key(Kpi::responded), responded},
      {kpi_key(Kpi::response_min_mean), ratio(response_sum_s_ / 60.0, responded)},
      {kpi_key(Kpi::response_min_p50), response_histogram_.percentile_s(0.50) / 60.0},
      {kpi_key(Kpi::response_min_p90), response_histogram_.percentile_s(0.90) / 60.0},
      {kpi_key(Kpi::response_min_p95), response_histogram_.percentile_s(0.95) / 60.0},
      {kpi_key(Kpi::registration_min_mean), ratio(registration_sum_s_ / 60.0, responded)},
      {kpi_key(Kpi::registration_wait_min_mean), ratio(registration_wait_sum_s_ / 60.0, responded)},
      {kpi_key(Kpi::on_time_registration_rate), ratio(static_cast<double>(step_on_time_[0]), static_cast<double>(step_due_[0]))},
      {kpi_key(Kpi::on_time_check_rate), ratio(static_cast<double>(step_on_time_[1]), static_cast<double>(step_due_[1]))},
      {kpi_key(Kpi::wait_min_mean), ratio(wait_sum_s_ / 60.0, responded)},
      {kpi_key(Kpi::wait_probability), ratio(static_cast<double>(waited_), responded)},
      {kpi_key(Kpi::travel_min_mean), ratio(travel_sum_s_ / 60.0, responded)},
      {kpi_key(Kpi::travel_km_mean), ratio(distance_sum_m_ / 1000.0, responded)},
      {kpi_key(Kpi::on_scene_min_mean), ratio(on_scene_sum_s_ / 60.0, static_cast<double>(closed_))},
      {kpi_key(Kpi::full_team_response_min_mean), ratio(team_response_sum_s_ / 60.0, static_cast<double>(team_responded_))},
      {kpi_key(Kpi::within_target_rate), ratio(static_cast<double>(within_target_), responded)},
      {kpi_key(Kpi::grid_coverage_rate), grid_coverage.grids},
      {kpi_key(Kpi::resident_coverage_rate), grid_coverage.residents},
      {kpi_key(Kpi::static_coverage_rate), ratio(coverage_.static_covered()[0], coverage_.residents())},
      {kpi_key(Kpi::dynamic_coverage_rate), dynamic_share(0)},
      {kpi_key(Kpi::utilization), ratio(busy_total_s, duty_total_s)},
      {kpi_key(Kpi::staff), static_cast<double>(roster_.responders().size())},
      {kpi_key(Kpi::on_duty_share), ratio(duty_total_s, window_s * static_cast<double>(roster_.responders().size()))},
      {kpi_key(Kpi::own_grid_share), ratio(static_cast<double>(own_grid_led_), static_cast<double>(grid_led_))},
      {kpi_key(Kpi::queue_length_mean), ratio(queue_area, window_s)},
      {kpi_key(Kpi::arrival_rate_per_h), ratio(static_cast<double>(known_), window_s / 3600.0)},
      {kpi_key(Kpi::closed), static_cast<double>(closed_)},
      {kpi_key(Kpi::closure_rate), ratio(static_cast<double>(closed_), static_cast<double>(known_ - not_yet_due_))},
      {kpi_key(Kpi::overdue_open), static_cast<double>(overdue_open_)},
      {kpi_key(Kpi::closure_h_mean), ratio(closure_sum_s_ / 3600.0, static_cast<double>(closed_))},
      {kpi_key(Kpi::closure_h_p90), closure_histogram_.percentile_s(0.90) / 3600.0},
      {kpi_key(Kpi::on_time_closure_rate), ratio(static_cast<double>(closed_on_time_), static_cast<double>(due_))},
      {kpi_key(Kpi::on_time_disposal_rate), ratio(static_cast<double>(disposed_on_time_), static_cast<double>(disposal_due_))},
      {kpi_key(Kpi::escalation_rate), ratio(static_cast<double>(escalated_incidents_), static_cast<double>(known_))},
      {kpi_key(Kpi::routed_off_hours_rate),
       ratio(static_cast<double>(routed_off_hours_incidents_), static_cast<double>(known_))},
      {kpi_key(Kpi::escalation_delay_h_mean), ratio(escalation_delay_total_s / 3600.0, escalations_total)},
      {kpi_key(Kpi::reported_share_of_closed), ratio(reported, static_cast<double>(reports))},
      {kpi_key(Kpi::unreported_rate), ratio(not_reported, static_cast<double>(reports))},
      {kpi_key(Kpi::public_first_rate), ratio(static_cast<double>(missed_by_workers_), static_cast<double>(findable_known_))},
      {kpi_key(Kpi::found_by_visit), static_cast<double>(known_by_[static_cast<int>(KnownBy::visit)])},
      {kpi_key(Kpi::found_by_patrol), static_cast<double>(known_by_[static_cast<int>(KnownBy::patrol)])},
      {kpi_key(Kpi::developed), static_cast<double>(developed_)},
      {kpi_key(Kpi::preempted_jobs), static_cast<double>(interrupted_[static_cast<int>(Interruption::preempted)])},
      {kpi_key(Kpi::handed_over_jobs), static_cast<double>(interrupted_[static_cast<int>(Interruption::handed_over)])},
      {kpi_key(Kpi::visits_per_household), households_ > 0 ? static_cast<double>(visits_) / households_ * (30 * 86400.0 / window_s)
                                               : std::numeric_limits<double>::quiet_NaN()},
      {kpi_key(Kpi::visit_time_share), ratio(visit_s_, duty_total_s)},
      {kpi_key(Kpi::visit_coverage_rate), ratio(visited_total, programme_households)},
      {kpi_key(Kpi::on_time_report_rate), ratio(static_cast<double>(report_outcomes_[0]), reported)},
      {kpi_key(Kpi::not_reported_handled), static_cast<double>(report_outcomes_[2])},
      {kpi_key(Kpi::not_reported_could_not_handle), static_cast<double>(report_outcomes_[3])},
      {kpi_key(Kpi::not_reported_sensitive), static_cast<double>(report_outcomes_[4])},
      {kpi_key(Kpi::backlog_at_end), static_cast<double>(backlog_at_end)},
  };
  // Only where the rule exists, so that results without it keep their columns.
  if (scenario_.dispatch.mutual_aid)
    result.kpis.emplace_back(kpi_key(Kpi::mutual_aid_share), ratio(static_cast<double>(mutual_aid_led_), responded));
  for (std::size_t t = 0; t < types_.size(); ++t) {
    const TypeTally& by_type = types_[t];
    const auto n = static_cast<double>(by_type.responded);
    const std::string& name = scenario_.incidents[t].name;
    result.kpis.emplace_back(kpi_key(Kpi::response_min_mean) + "@" + name, ratio(by_type.response_sum_s / 60.0, n));
    result.kpis.emplace_back(kpi_key(Kpi::wait_min_mean) + "@" + name, ratio(by_type.wait_sum_s / 60.0, n));
    result.kpis.emplace_back(kpi_key(Kpi::within_target_rate) + "@" + name, ratio(static_cast<double>(by_type.within_target), n));
    // The report's table by type reads these, so it shows the estimator of the KPI list (a mean over
    // replications) and the headline's denominators (closure over known cases).
    result.kpis.emplace_back(kpi_key(Kpi::incidents) + "@" + name, static_cast<double>(by_type.incidents));
    result.kpis.emplace_back(kpi_key(Kpi::responded) + "@" + name, n);
    result.kpis.emplace_back(kpi_key(Kpi::response_min_p90) + "@" + name, by_type.response.percentile_s(0.90) / 60.0);
    result.kpis.emplace_back(kpi_key(Kpi::closed) + "@" + name, static_cast<double>(by_type.closed));
    result.kpis.emplace_back(kpi_key(Kpi::closure_rate) + "@" + name,
                             ratio(static_cast<double>(by_type.closed),
                                   static_cast<double>(by_type.known - by_type.not_yet_due)));
  }
  for (std::size_t q = 1; q < coverage_.questions().size(); ++q) {
    const std::string& suffix = coverage_.questions()[q].suffix;
    result.kpis.emplace_back(kpi_key(Kpi::static_coverage_rate) + suffix,
                             ratio(coverage_.static_covered()[q], coverage_.residents()));
    result.kpis.emplace_back(kpi_key(Kpi::dynamic_coverage_rate) + suffix, dynamic_share(q));
  }
  std::vector<double> team_busy_s(scenario_.teams.size(), 0.0);
  std::vector<double> team_duty_s(scenario_.teams.size(), 0.0);
  for (const auto& responder : roster_.responders()) {
    const Busy& busy = responders_[responder.id];
    team_busy_s[responder.team] += busy.travel_s + busy.on_scene_s + busy.back_s;
    team_duty_s[responder.team] += scenario_.teams[responder.team].has_duty_roster() ? busy.duty_s : window_s;
  }
  for (std::size_t t = 0; t < scenario_.teams.size(); ++t)
    result.kpis.emplace_back(kpi_key(Kpi::utilization) + "@" + scenario_.teams[t].name, ratio(team_busy_s[t], team_duty_s[t]));
  for (std::size_t t = 0; t < visited_by_team.size(); ++t)
    if (visited_by_team[t].second > 0)
      result.kpis.emplace_back(kpi_key(Kpi::visit_coverage_rate) + "@" + scenario_.teams[t].name,
                               visited_by_team[t].first / visited_by_team[t].second);
  static const char* level_names[4] = {"grid", "community", "town", "city"};
  for (int level = 0; level < 4; ++level) {
    const auto escalated = static_cast<double>(escalated_from(level));
    static const Kpi escalations_from[4] = {Kpi::escalations_from_grid, Kpi::escalations_from_community,
                                            Kpi::escalations_from_town, Kpi::escalations_from_city};
    static const Kpi closed_at[4] = {Kpi::closed_at_grid, Kpi::closed_at_community, Kpi::closed_at_town,
                                     Kpi::closed_at_city};
    result.kpis.emplace_back(kpi_key(escalations_from[level]), escalated);
    result.kpis.emplace_back(kpi_key(closed_at[level]), static_cast<double>(closed_at_level_[level]));
  }
  // Per level (levels.csv); "reached" needs tiers: pooled cases are not at any one level until someone is sent.
  const bool tiered = scenario_.escalation.mode == scenario::EscalationMode::tiered;
  for (int level = 0; level < 4; ++level) {
    const LevelTally& at = levels_[level];
    const std::string suffix = std::string("@level:") + level_names[level];
    const double reached = tiered ? static_cast<double>(at.reached) : std::numeric_limits<double>::quiet_NaN();
    const auto escalated = static_cast<double>(escalated_from(level));
    const auto routed = static_cast<double>(escalations_[level][static_cast<int>(EscalationCause::off_duty)]);
    const double closed = static_cast<double>(closed_at_level_[level]);
    std::int64_t reports_here = 0;
    for (std::int64_t count : at.report_outcomes) reports_here += count;
    const double reported_here = static_cast<double>(at.report_outcomes[0] + at.report_outcomes[1]);
    result.kpis.emplace_back(kpi_key(Kpi::reached) + suffix, reached);
    result.kpis.emplace_back(kpi_key(Kpi::closure_rate) + suffix, ratio(closed, reached));
    result.kpis.emplace_back(kpi_key(Kpi::escalation_rate) + suffix, ratio(escalated, reached));
    result.kpis.emplace_back(kpi_key(Kpi::routed_off_hours_rate) + suffix, ratio(routed, reached));
    result.kpis.emplace_back(kpi_key(Kpi::routed_off_hours_from) + suffix, routed);
    result.kpis.emplace_back(kpi_key(Kpi::escalation_delay_h_mean) + suffix, ratio(at.escalation_delay_sum_s / 3600.0, escalated));
    result.kpis.emplace_back(kpi_key(Kpi::closure_h_mean) + suffix, ratio(at.closure_sum_s / 3600.0, closed));
    result.kpis.emplace_back(kpi_key(Kpi::closure_h_p90) + suffix, at.closure.percentile_s(0.90) / 3600.0);
    result.kpis.emplace_back(kpi_key(Kpi::on_time_closure_rate) + suffix, ratio(static_cast<double>(at.closed_on_time), static_cast<double>(at.due)));
    result.kpis.emplace_back(kpi_key(Kpi::on_time_disposal_rate) + suffix,
                             ratio(static_cast<double>(at.disposed_on_time), static_cast<double>(at.disposal_due)));
    result.kpis.emplace_back(kpi_key(Kpi::full_team_response_min_mean) + suffix,
                             ratio(at.team_response_sum_s / 60.0, static_cast<double>(at.team_responded)));
    result.kpis.emplace_back(kpi_key(Kpi::reported_share_of_closed) + suffix, ratio(reported_here, static_cast<double>(reports_here)));
    result.kpis.emplace_back(kpi_key(Kpi::on_time_report_rate) + suffix, ratio(static_cast<double>(at.report_outcomes[0]), reported_here));
  }
  return result;
}

}  // namespace civicgrid::metrics
