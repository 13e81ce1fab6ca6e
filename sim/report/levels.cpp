// levels.csv: the hierarchy's view of a run, one row per (replication, level): how many cases each level
// closed and passed up, its staff and how busy they were. Built from the per-replication KPIs and the
// per-responder tallies, so it always agrees with summary.json and teams.csv.
#include <cstdint>
#include <sstream>

#include "report/levels.hpp"
#include "report/writers.hpp"

namespace civicgrid::report {

std::string levels_csv(const std::vector<metrics::ReplicationResult>& results) {
  static const char* levels[4] = {"grid", "community", "town", "city"};
  std::ostringstream out;
  out << "replication,level,closed,escalations_from,responders,on_duty_min,busy_min,utilization\n";
  for (const auto& result : results) {
    for (const char* level : levels) {
      double closed = 0;
      double escalated = 0;
      for (const auto& [name, value] : result.kpis) {
        if (name == std::string("closed_at_") + level) closed = value;
        if (name == std::string("escalations_from_") + level) escalated = value;
      }
      std::int64_t responders = 0;
      double duty_min = 0;
      double busy_min = 0;
      for (const auto& responder : result.responders) {
        if (responder.level != level) continue;
        ++responders;
        duty_min += responder.on_duty_min;
        busy_min += responder.travel_min + responder.on_scene_min + responder.return_min;
      }
      out << result.replication << ',' << level << ',' << csv_number(closed) << ',' << csv_number(escalated) << ','
          << responders << ',' << csv_number(duty_min) << ',' << csv_number(busy_min) << ','
          << csv_number(duty_min > 0 ? busy_min / duty_min : std::numeric_limits<double>::quiet_NaN()) << '\n';
    }
  }
  return out.str();
}

void write_levels_csv(const std::filesystem::path& dir, const std::vector<metrics::ReplicationResult>& results) {
  write_text_file(dir / "levels.csv", levels_csv(results));
}

}  // namespace civicgrid::report
