// Row formatting for incidents.csv and events.csv: std::to_chars ("%.10g"), not iostreams, so bytes do not depend
// on the locale; names escaped once (csv_text.hpp), since these files have millions of rows.
#include "metrics/incident_log.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

#include "metrics/csv_text.hpp"

namespace civicgrid::metrics {
namespace {

void append_number(std::string& line, double value) {
  line.push_back(',');
  append_csv_number(line, value);
}

// `cell` is a CSV cell already: escaped by csv_field, or a number or fixed word that never needs it.
void append_cell(std::string& line, std::string_view cell) {
  line.push_back(',');
  line.append(cell);
}

void append_integer(std::string& line, std::int64_t value) {
  char buffer[24];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  line.push_back(',');
  line.append(buffer, end);
}

}  // namespace

const char* IncidentLog::header() {
  // t_registered_min and registration_min came later: at the end, so that readers by position keep working.
  return "replication,incident,type,grid_id,community_id,town_id,x_m,y_m,t_occur_min,t_known_min,"
         "t_dispatch_min,t_on_scene_min,t_team_on_scene_min,t_closed_min,t_platform_min,responder,crew,response_min,"
         "wait_min,travel_min,on_scene_min,target_min,within_target,level,escalations,status,t_registered_min,"
         "registration_min,routed_off_hours\n";
}

const char* IncidentLog::events_header() { return "replication,incident,type,event,t_min,level,actor\n"; }

std::string IncidentLog::events_path_for(const std::string& incidents_path) {
  const auto slash = incidents_path.find_last_of('/');
  const std::size_t name_at = slash == std::string::npos ? 0 : slash + 1;
  std::string name = incidents_path.substr(name_at);
  if (name.rfind("incidents", 0) == 0) name = "events" + name.substr(9);
  else name = "events-" + name;
  return incidents_path.substr(0, name_at) + name;
}

IncidentLog::IncidentLog(const std::string& path, int replication, const city::City& city)
    : path_(path), replication_(replication), city_(city) {
  if (path.empty()) return;
  grid_cells_.reserve(city.grids().size());
  for (const city::Grid& grid : city.grids()) {
    std::string cells;
    for (const std::string* code : {&grid.code, &city.communities()[grid.community].code, &city.towns()[grid.town].code}) {
      cells.push_back(',');
      append_csv_field(cells, *code);
    }
    grid_cells_.push_back(std::move(cells));
  }
  file_ = std::fopen(path.c_str(), "wb");
  if (file_ == nullptr) throw std::runtime_error("cannot write " + path);
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
  events_path_ = events_path_for(path);
  events_ = std::fopen(events_path_.c_str(), "wb");
  if (events_ == nullptr) throw std::runtime_error("cannot write " + events_path_);
  std::setvbuf(events_, nullptr, _IOFBF, 1 << 20);
}

IncidentLog::~IncidentLog() {
  if (file_ != nullptr) std::fclose(file_);
  if (events_ != nullptr) std::fclose(events_);
}

const std::string& IncidentLog::cell(const std::string* name) {
  auto [found, added] = cells_.try_emplace(name);
  if (added || found->second.name != *name) found->second = {*name, csv_field(*name)};
  return found->second.escaped;
}

void IncidentLog::event(const char* name, double t_s, const char* level, std::string_view actor) {
  if (std::isnan(t_s)) return;
  line_.clear();
  line_.append(std::to_string(replication_));
  append_integer(line_, incident_);
  append_cell(line_, type_cell_);
  append_cell(line_, name);
  append_number(line_, t_s / 60);
  append_cell(line_, level);
  append_cell(line_, actor);
  line_.push_back('\n');
  std::fwrite(line_.data(), 1, line_.size(), events_);
}

// The case life cycle (docs/domain.md#incident-life-cycle): occurred -> known (by whom) -> dispatched -> on scene -> team on scene
// [-> escalated -> dispatched ...] [-> handled -> rework -> dispatched ...] -> closed -> reported; or developed /
// still open at the horizon. "registered" (受理/立案) appears for types with a case_flow registration delay;
// otherwise "known" is also the registration. With a check, "handled" precedes the check's "closed" (核查).
void IncidentLog::write_events(const IncidentRecord& record) {
  incident_ = record.incident;
  type_cell_ = cell(record.type);
  static const char* level_names[4] = {"grid", "community", "town", "city"};
  const IncidentTimes& t = record.times;
  event("occurred", t.t_occur_s, "", "");
  event("known", t.t_known_s, "", record.known_by);
  if (record.steps != nullptr)
    for (const LifeStep& step : *record.steps) {
      if (step.t_s > record.t_end_s) continue;   // planned for after the horizon: did not happen in the run
      const char* level = step.level >= 0 && step.level < 4 ? level_names[step.level] : "";
      const std::string_view actor =
          step.responder >= 0 && record.responders != nullptr ? cell(&(*record.responders)[step.responder].name)
                                                              : std::string_view();
      switch (step.kind) {
        case LifeStep::Kind::registration_started: event("registration_started", step.t_s, level, actor); break;
        case LifeStep::Kind::check_started: event("check_started", step.t_s, level, actor); break;
        case LifeStep::Kind::registered:
          event("registered", step.t_s, level, step.responder >= 0 ? actor : std::string_view("platform"));
          break;
        case LifeStep::Kind::handled: event("handled", step.t_s, level, actor); break;
        case LifeStep::Kind::rework: event("rework", step.t_s, level, "check failed"); break;
        case LifeStep::Kind::dispatched: event("dispatched", step.t_s, level, actor); break;
        case LifeStep::Kind::on_scene: event("on_scene", step.t_s, level, actor); break;
        case LifeStep::Kind::team_on_scene: event("team_on_scene", step.t_s, level, actor); break;
        case LifeStep::Kind::escalated_no_capacity: event("escalated", step.t_s, level, "no_capacity"); break;
        case LifeStep::Kind::escalated_failed: event("escalated", step.t_s, level, "failed"); break;
        case LifeStep::Kind::escalated_timed_out: event("escalated", step.t_s, level, "timed_out"); break;
        case LifeStep::Kind::routed_off_hours: event("routed_off_hours", step.t_s, level, "off_duty"); break;
        case LifeStep::Kind::preempted: event("preempted", step.t_s, level, actor); break;
        case LifeStep::Kind::handed_over: event("handed_over", step.t_s, level, actor); break;
        case LifeStep::Kind::widened: event("reach_widened", step.t_s, level, "waited"); break;
      }
    }
  const std::string_view status = record.status;
  if (status == "closed") {
    event("closed", t.t_closed_s, record.level,
          record.responder != nullptr ? std::string_view(cell(record.responder)) : std::string_view());
    event("reported", record.t_platform_s, "", "");
  } else if (status == "developed") {
    event("developed", record.t_end_s, "",
          record.developed_into != nullptr ? std::string_view(cell(record.developed_into)) : std::string_view());
  } else {
    event(status == "open" ? "open_at_horizon" : status == "never_known" ? "never_known" : "unknown_at_horizon",
          record.t_end_s, status == "open" ? record.level : "", "");
  }
}

void IncidentLog::write(const IncidentRecord& record) {
  if (file_ == nullptr) return;
  const IncidentTimes& t = record.times;
  line_.clear();
  line_.append(std::to_string(replication_));
  append_integer(line_, record.incident);
  append_cell(line_, cell(record.type));
  line_.append(grid_cells_[static_cast<std::size_t>(record.grid - city_.grids().data())]);
  append_number(line_, record.place.x_m);
  append_number(line_, record.place.y_m);
  append_number(line_, t.t_occur_s / 60);
  append_number(line_, t.t_known_s / 60);
  append_number(line_, t.t_dispatch_s / 60);
  append_number(line_, t.t_on_scene_s / 60);
  append_number(line_, t.t_team_on_scene_s / 60);
  append_number(line_, t.t_closed_s / 60);
  append_number(line_, record.t_platform_s / 60);
  append_cell(line_, record.responder != nullptr ? std::string_view(cell(record.responder)) : std::string_view());
  append_integer(line_, record.crew_size);
  const double response_min = (t.t_on_scene_s - t.t_known_s) / 60;
  append_number(line_, response_min);
  // response = registration + first wait + travel, the split of registration_min_mean and wait_min_mean (whose
  // later spells in line, after an escalation or a hand-over, are in events.csv).
  append_number(line_, (t.t_dispatch_s - t.t_registered_s) / 60);
  append_number(line_, (t.t_on_scene_s - t.t_dispatch_s) / 60);
  append_number(line_, (t.t_closed_s - t.t_on_scene_s) / 60);
  append_number(line_, record.target_s / 60);
  append_cell(line_, std::isnan(response_min) ? "" : (response_min * 60 <= record.target_s ? "1" : "0"));
  append_cell(line_, record.level);
  append_integer(line_, record.escalations);
  append_cell(line_, record.status);
  append_number(line_, t.t_registered_s / 60);
  append_number(line_, (t.t_registered_s - t.t_known_s) / 60);
  append_integer(line_, record.routed_off_hours);
  line_.push_back('\n');
  std::fwrite(line_.data(), 1, line_.size(), file_);
  write_events(record);
}

void IncidentLog::close() {
  if (file_ == nullptr) return;
  const bool failed = std::ferror(file_) != 0 || std::ferror(events_) != 0;
  const bool close_failed = (std::fclose(file_) != 0) | (std::fclose(events_) != 0);
  file_ = nullptr;
  events_ = nullptr;
  if (failed || close_failed)
    throw std::runtime_error("could not write " + path_ + " and " + events_path_ + " completely (disk full?)");
}

}  // namespace civicgrid::metrics
