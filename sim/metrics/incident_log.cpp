// Row formatting for incidents.csv: C formatting ("%.10g"), not iostreams, so bytes do not depend on locale.
#include "metrics/incident_log.hpp"

#include <cmath>
#include <stdexcept>

namespace civicgrid::metrics {
namespace {

void append_number(std::string& line, double value) {
  line.push_back(',');
  if (std::isnan(value)) return;
  char buffer[32];
  const int length = std::snprintf(buffer, sizeof buffer, "%.10g", value);
  line.append(buffer, static_cast<std::size_t>(length));
}

void append_text(std::string& line, const std::string& text) {
  line.push_back(',');
  line.append(text);   // ids and names are [A-Za-z0-9_.@#-]: nothing to quote
}

}  // namespace

const char* IncidentLog::header() {
  return "replication,incident,type,grid_id,community_id,town_id,x_m,y_m,t_occur_min,t_known_min,"
         "t_dispatch_min,t_on_scene_min,t_team_on_scene_min,t_closed_min,t_platform_min,responder,crew,response_min,"
         "wait_min,travel_min,on_scene_min,target_min,within_target,level,escalations,status\n";
}

IncidentLog::IncidentLog(const std::string& path, int replication, const city::City& city)
    : path_(path), replication_(replication), city_(city) {
  if (path.empty()) return;
  file_ = std::fopen(path.c_str(), "wb");
  if (file_ == nullptr) throw std::runtime_error("cannot write " + path);
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
}

IncidentLog::~IncidentLog() {
  if (file_ != nullptr) std::fclose(file_);
}

void IncidentLog::write(const IncidentRecord& record) {
  if (file_ == nullptr) return;
  const IncidentTimes& t = record.times;
  line_.clear();
  line_.append(std::to_string(replication_));
  append_text(line_, std::to_string(record.incident));
  append_text(line_, *record.type);
  append_text(line_, record.grid->code);
  append_text(line_, city_.communities()[record.grid->community].code);
  append_text(line_, city_.towns()[record.grid->town].code);
  append_number(line_, record.place.x_m);
  append_number(line_, record.place.y_m);
  append_number(line_, t.t_occur_s / 60);
  append_number(line_, t.t_known_s / 60);
  append_number(line_, t.t_dispatch_s / 60);
  append_number(line_, t.t_on_scene_s / 60);
  append_number(line_, t.t_team_on_scene_s / 60);
  append_number(line_, t.t_closed_s / 60);
  append_number(line_, record.t_platform_s / 60);
  append_text(line_, record.responder != nullptr ? *record.responder : std::string());
  append_text(line_, std::to_string(record.crew_size));
  const double response_min = (t.t_on_scene_s - t.t_known_s) / 60;
  append_number(line_, response_min);
  append_number(line_, (t.t_dispatch_s - t.t_known_s) / 60);
  append_number(line_, (t.t_on_scene_s - t.t_dispatch_s) / 60);
  append_number(line_, (t.t_closed_s - t.t_on_scene_s) / 60);
  append_number(line_, record.target_s / 60);
  append_text(line_, std::isnan(response_min) ? "" : (response_min * 60 <= record.target_s ? "1" : "0"));
  append_text(line_, record.level);
  append_text(line_, std::to_string(record.escalations));
  append_text(line_, record.status);
  line_.push_back('\n');
  std::fwrite(line_.data(), 1, line_.size(), file_);
}

void IncidentLog::close() {
  if (file_ == nullptr) return;
  const bool failed = std::ferror(file_) != 0;
  const bool close_failed = std::fclose(file_) != 0;
  file_ = nullptr;
  if (failed || close_failed) throw std::runtime_error("could not write " + path_ + " completely (disk full?)");
}

}  // namespace civicgrid::metrics
