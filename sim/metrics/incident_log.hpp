// The per-incident record (incidents.csv rows) and the case life cycle as events (events.csv, long format:
// one row per event), streamed to files as incidents close so that memory stays flat however long the run. Written by each replication's process into its own part file; the experiment
// layer concatenates the parts in replication order, so the file does not depend on -j.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "metrics/observer.hpp"

namespace civicgrid::metrics {

// A step of an incident's life between becoming known and being closed, kept while it is open.
struct LifeStep {
  enum class Kind : unsigned char {
    registration_started, registered, check_started, dispatched, on_scene, team_on_scene, handled, rework, escalated_no_capacity, escalated_failed,
    escalated_timed_out, routed_off_hours, preempted, handed_over, widened
  };
  Kind kind;
  int level;        // the tier's level (escalations: the level it left)
  int responder;    // crew lead (-1 for escalations)
  double t_s;
};

struct IncidentRecord {
  std::int64_t incident = 0;
  const std::string* type = nullptr;
  const city::Grid* grid = nullptr;
  city::Point place;
  IncidentTimes times;
  const std::string* responder = nullptr;   // first crew member; null when never dispatched
  int crew_size = 0;
  const char* level = "";                   // level of the tier that closed it (or holds it, if open)
  int escalations = 0;
  int routed_off_hours = 0;
  double target_s = 0;
  double t_platform_s = 0;                  // when its report reached the platform (NaN: not reported)
  const char* status = "";                  // closed | open | not_yet_known | never_known | developed
  const char* known_by = "";                // residents | visit | patrol | development ("" if never known)
  const std::vector<LifeStep>* steps = nullptr;
  const std::vector<city::Responder>* responders = nullptr;   // names for the steps' responders
  const std::string* developed_into = nullptr;
  double t_end_s = 0;                       // when it developed, or the horizon (open and unknown incidents)
};

class IncidentLog {
 public:
  // An empty path disables the log (benchmarks). The events go to events_path_for(path).
  IncidentLog(const std::string& path, int replication, const city::City& city);
  ~IncidentLog();
  IncidentLog(const IncidentLog&) = delete;
  IncidentLog& operator=(const IncidentLog&) = delete;

  bool enabled() const { return file_ != nullptr; }
  void write(const IncidentRecord& record);
  // Flushes and closes; throws std::runtime_error if anything failed to reach the disk.
  void close();

  static const char* header();
  static const char* events_header();
  // incidents.csv -> events.csv, incidents-00001.csv -> events-00001.csv (same folder).
  static std::string events_path_for(const std::string& incidents_path);

 private:
  void write_events(const IncidentRecord& record);
  // `actor` is a CSV cell already (escaped, or a fixed word that needs no escaping).
  void event(const char* name, double t_s, const char* level, std::string_view actor);
  // The CSV cell of a type or responder name, escaped the first time the name is seen (names live for the
  // whole run; the copy of the name guards against a different string at a reused address).
  const std::string& cell(const std::string* name);

  struct Cell {
    std::string name, escaped;
  };
  std::FILE* file_ = nullptr;
  std::FILE* events_ = nullptr;
  std::string events_path_;
  std::int64_t incident_ = 0;               // of the record being written (for event rows)
  std::string_view type_cell_;              // of the record being written (for event rows)
  std::string path_;
  int replication_;
  const city::City& city_;
  std::vector<std::string> grid_cells_;     // per grid: ",<grid>,<community>,<town>", escaped once
  std::unordered_map<const std::string*, Cell> cells_;
  std::string line_;
};

}  // namespace civicgrid::metrics
