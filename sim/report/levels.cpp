// levels.csv: the hierarchy's view of a run, one row per (replication, level): how many cases each level
// received, closed and passed up, how fast and how punctually it closed them, its staff and how busy they were. Built from the per-replication KPIs and the
// per-responder tallies, so it always agrees with summary.json and teams.csv.
#include <cstdint>
#include <limits>
#include <map>
#include <sstream>

#include "report/levels.hpp"

#include "metrics/histogram.hpp"
#include "metrics/kpis.hpp"
#include "report/writers.hpp"

namespace civicgrid::report {

std::string levels_csv(const std::vector<metrics::ReplicationResult>& results) {
  static const char* levels[4] = {"grid", "community", "town", "city"};
  // The per-level case-flow KPIs, in column order (summary.json has them as <kpi>@level:<level>).
  static const metrics::Kpi per_level[] = {
      metrics::Kpi::closure_rate,          metrics::Kpi::escalation_rate,     metrics::Kpi::routed_off_hours_rate,
      metrics::Kpi::escalation_delay_h_mean,
      metrics::Kpi::closure_h_mean,        metrics::Kpi::closure_h_p90,       metrics::Kpi::on_time_closure_rate,
      metrics::Kpi::on_time_disposal_rate, metrics::Kpi::full_team_response_min_mean,
      metrics::Kpi::reported_share_of_closed,     metrics::Kpi::on_time_report_rate, metrics::Kpi::static_coverage_rate,
      metrics::Kpi::dynamic_coverage_rate};
  std::ostringstream out;
  out << "replication,level,reached,closed,escalations_from,routed_off_hours_from";
  for (const metrics::Kpi kpi : per_level) out << ',' << metrics::kpi_key(kpi);
  out << ",responders,on_duty_min,busy_min,utilization\n";
  for (const auto& result : results) {
    std::map<std::string, double> value_of;
    for (const auto& [name, value] : result.kpis) value_of[name] = value;
    const auto value = [&](const std::string& name) {
      const auto it = value_of.find(name);
      return it == value_of.end() ? std::numeric_limits<double>::quiet_NaN() : it->second;
    };
    for (const char* level : levels) {
      const std::string suffix = std::string("@level:") + level;
      std::int64_t responders = 0;
      double duty_min = 0;
      double busy_min = 0;
      for (const auto& responder : result.responders) {
        if (responder.level != level) continue;
        ++responders;
        duty_min += responder.on_duty_min;
        busy_min += responder.travel_min + responder.on_scene_min + responder.return_min;
      }
      out << result.replication << ',' << level << ',' << csv_number(value("reached" + suffix)) << ','
          << csv_number(value(std::string("closed_at_") + level)) << ','
          << csv_number(value(std::string("escalations_from_") + level)) << ','
          << csv_number(value(metrics::kpi_key(metrics::Kpi::routed_off_hours_from) + suffix));
      for (const metrics::Kpi kpi : per_level) out << ',' << csv_number(value(metrics::kpi_key(kpi) + suffix));
      out << ',' << responders << ',' << csv_number(duty_min) << ',' << csv_number(busy_min) << ','
          << csv_number(duty_min > 0 ? busy_min / duty_min : std::numeric_limits<double>::quiet_NaN()) << '\n';
    }
  }
  return out.str();
}

void write_levels_csv(const std::filesystem::path& dir, const std::vector<metrics::ReplicationResult>& results) {
  write_text_file(dir / "levels.csv", levels_csv(results));
}

std::string hours_csv(const std::vector<metrics::ReplicationResult>& results) {
  std::ostringstream out;
  out << "replication,weekday,hour," << metrics::kpi_key(metrics::Kpi::responded) << ','
      << metrics::kpi_key(metrics::Kpi::within_target) << ',' << metrics::kpi_key(metrics::Kpi::within_target_rate)
      << '\n';
  for (const auto& result : results)
    for (std::size_t k = 0; k < result.week_hours.size(); ++k) {
      const auto& hour = result.week_hours[k];
      out << result.replication << ',' << k / 24 << ',' << k % 24 << ',' << hour.responded << ',' << hour.within_target
          << ','
          << csv_number(hour.responded > 0 ? static_cast<double>(hour.within_target) / static_cast<double>(hour.responded)
                                           : std::numeric_limits<double>::quiet_NaN())
          << '\n';
    }
  return out.str();
}

void write_hours_csv(const std::filesystem::path& dir, const std::vector<metrics::ReplicationResult>& results) {
  write_text_file(dir / "hours.csv", hours_csv(results));
}

std::string backlog_csv(const std::vector<metrics::ReplicationResult>& results) {
  std::ostringstream out;
  out << "replication,t_h,open_known\n";
  for (const auto& result : results)
    for (const auto& sample : result.backlog)
      out << result.replication << ',' << csv_number(sample.t_h) << ',' << sample.open_known << '\n';
  return out.str();
}

void write_backlog_csv(const std::filesystem::path& dir, const std::vector<metrics::ReplicationResult>& results) {
  write_text_file(dir / "backlog.csv", backlog_csv(results));
}

std::string responses_csv(const std::vector<metrics::ReplicationResult>& results) {
  const auto upper_min = metrics::response_bin_upper_min();
  std::ostringstream out;
  out << "replication,type,lower_min,upper_min," << metrics::kpi_key(metrics::Kpi::responded) << '\n';
  for (const auto& result : results)
    for (const metrics::TypeResponses& type : result.responses)
      for (std::size_t bin = 0; bin < type.responded_by_bin.size(); ++bin) {
        if (type.responded_by_bin[bin] == 0) continue;
        out << result.replication << ',' << csv_field(type.type) << ',' << csv_number(bin == 0 ? 0.0 : upper_min[bin - 1])
            << ',' << (bin < upper_min.size() ? csv_number(upper_min[bin]) : std::string()) << ','
            << type.responded_by_bin[bin] << '\n';
      }
  return out.str();
}

void write_responses_csv(const std::filesystem::path& dir, const std::vector<metrics::ReplicationResult>& results) {
  write_text_file(dir / "responses.csv", responses_csv(results));
}

}  // namespace civicgrid::report
