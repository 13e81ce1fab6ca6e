// The per-incident record (incidents.csv rows), streamed to a file as incidents close so that memory stays
// flat however long the run. Written by each replication's process into its own part file; the experiment
// layer concatenates the parts in replication order, so the file does not depend on -j.
#pragma once

#include <cstdio>
#include <string>

#include "metrics/observer.hpp"

namespace civicgrid::metrics {

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
  double target_s = 0;
  double t_platform_s = 0;                  // when its report reached the platform (NaN: not reported)
  const char* status = "";                  // closed | open | not_yet_known | never_known
};

class IncidentLog {
 public:
  // An empty path disables the log (benchmarks).
  IncidentLog(const std::string& path, int replication, const city::City& city);
  ~IncidentLog();
  IncidentLog(const IncidentLog&) = delete;
  IncidentLog& operator=(const IncidentLog&) = delete;

  bool enabled() const { return file_ != nullptr; }
  void write(const IncidentRecord& record);
  // Flushes and closes; throws std::runtime_error if anything failed to reach the disk.
  void close();

  static const char* header();

 private:
  std::FILE* file_ = nullptr;
  std::string path_;
  int replication_;
  const city::City& city_;
  std::string line_;
};

}  // namespace civicgrid::metrics
