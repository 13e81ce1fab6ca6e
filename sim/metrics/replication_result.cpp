// JSON form of ReplicationResult, the value a replication's child process hands to its parent.
//
// Shape (keys in this order; written with nlohmann::ordered_json so the order is the same on every run):
//   {"replication": 0, "seed": 7,
//    "kpis": {"incidents": 123, "response_min_mean": 4.5, "wait_min_mean": null, ...},   // order of result.kpis
//    "grids": [{"grid": 0, "grid_id": "G0000", "community_id": "C00", "town_id": "T00", "residents": 812,
//               "incidents": 3, "responded": 3, "within_target": 2, "response_min_sum": 31.25}, ...],
//    "responders": [{"responder": 0, "team": "grid_worker", "level": "grid", "unit": "G0000",
//                    "travel_min": 1.5, "on_scene_min": 30, "return_min": 1.5, "idle_min": 100,
//                    "on_duty_min": 133, "incidents_served": 2}, ...]}
// NaN (a KPI not defined in this replication) is written as null and read back as NaN. Finite doubles
// round-trip exactly: nlohmann writes the shortest decimal that reads back to the same double. Infinities
// are not representable in JSON; they are written as null too and so come back as NaN.
#include "metrics/replication_result.hpp"

#include "metrics/histogram.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace civicgrid::metrics {
namespace {

using Json = nlohmann::ordered_json;

Json number_or_null(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error("replication result JSON: " + what);
}

const Json& member(const Json& object, const char* key, const std::string& where) {
  if (!object.is_object()) fail(where + " is not an object");
  const auto found = object.find(key);
  if (found == object.end()) fail(where + " lacks \"" + key + "\"");
  return *found;
}

double read_double(const Json& object, const char* key, const std::string& where) {
  const Json& value = member(object, key, where);
  if (value.is_null()) return std::numeric_limits<double>::quiet_NaN();
  if (!value.is_number()) fail(where + "." + key + " is not a number");
  return value.get<double>();
}

std::int64_t read_int(const Json& object, const char* key, const std::string& where) {
  const Json& value = member(object, key, where);
  if (!value.is_number_integer()) fail(where + "." + key + " is not an integer");
  return value.get<std::int64_t>();
}

std::string read_string(const Json& object, const char* key, const std::string& where) {
  const Json& value = member(object, key, where);
  if (!value.is_string()) fail(where + "." + key + " is not a string");
  return value.get<std::string>();
}

const Json& read_array(const Json& object, const char* key, const std::string& where) {
  const Json& value = member(object, key, where);
  if (!value.is_array()) fail(where + "." + key + " is not an array");
  return value;
}

}  // namespace

std::string to_json(const ReplicationResult& result) {
  Json json;
  json["replication"] = result.replication;
  json["seed"] = result.seed;
  Json kpis = Json::object();
  for (const auto& [name, value] : result.kpis) {
    if (kpis.contains(name)) fail("KPI \"" + name + "\" appears twice");
    kpis[name] = number_or_null(value);
  }
  json["kpis"] = std::move(kpis);

  Json grids = Json::array();
  for (const GridTally& grid : result.grids) {
    Json row;
    row["grid"] = grid.grid;
    row["grid_id"] = grid.grid_id;
    row["community_id"] = grid.community_id;
    row["town_id"] = grid.town_id;
    row["residents"] = number_or_null(grid.residents);
    row["incidents"] = grid.incidents;
    row["responded"] = grid.responded;
    row["within_target"] = grid.within_target;
    row["response_min_sum"] = number_or_null(grid.response_min_sum);
    row["static_coverage_rate"] = number_or_null(grid.static_coverage_rate);
    row["dynamic_coverage_rate"] = number_or_null(grid.dynamic_coverage_rate);
    row["visit_coverage_rate"] = number_or_null(grid.visit_coverage_rate);
    if (result.mutual_aid) {
      row["assists_given"] = grid.assists_given;
      row["assists_received"] = grid.assists_received;
    }
    grids.push_back(std::move(row));
  }
  Json week = Json::array();
  for (const HourTally& hour : result.week_hours) week.push_back({hour.responded, hour.within_target});
  json["week_hours"] = std::move(week);
  Json backlog = Json::array();
  for (const BacklogSample& sample : result.backlog) backlog.push_back({sample.t_h, sample.open_known});
  json["backlog"] = std::move(backlog);
  Json responses = Json::array();
  for (const TypeResponses& type : result.responses)
    responses.push_back({{"type", type.type}, {"responded_by_bin", type.responded_by_bin}});
  json["responses"] = std::move(responses);
  if (result.mutual_aid) json["mutual_aid"] = true;   // absent otherwise, so results without it stay as they were
  json["grids"] = std::move(grids);

  Json responders = Json::array();
  for (const ResponderTally& responder : result.responders) {
    Json row;
    row["responder"] = responder.responder;
    row["team"] = responder.team;
    row["level"] = responder.level;
    row["unit"] = responder.unit;
    row["travel_min"] = number_or_null(responder.travel_min);
    row["on_scene_min"] = number_or_null(responder.on_scene_min);
    row["return_min"] = number_or_null(responder.return_min);
    row["idle_min"] = number_or_null(responder.idle_min);
    row["on_duty_min"] = number_or_null(responder.on_duty_min);
    row["incidents_served"] = responder.incidents_served;
    responders.push_back(std::move(row));
  }
  json["responders"] = std::move(responders);
  return json.dump() + "\n";
}

ReplicationResult replication_result_from_json(const std::string& text) {
  Json json;
  try {
    json = Json::parse(text);
  } catch (const Json::parse_error& error) {
    fail(std::string("cannot parse: ") + error.what());
  }
  const std::string top = "result";
  ReplicationResult result;
  result.replication = static_cast<int>(read_int(json, "replication", top));
  const Json& seed = member(json, "seed", top);
  if (!seed.is_number_unsigned()) fail("result.seed is not an unsigned integer");
  result.seed = seed.get<std::uint64_t>();

  const Json& kpis = member(json, "kpis", top);
  if (!kpis.is_object()) fail("result.kpis is not an object");
  result.kpis.reserve(kpis.size());
  for (const auto& [name, value] : kpis.items()) {
    if (!value.is_null() && !value.is_number()) fail("result.kpis." + name + " is not a number or null");
    result.kpis.emplace_back(name, value.is_null() ? std::numeric_limits<double>::quiet_NaN() : value.get<double>());
  }

  if (const auto found = json.find("mutual_aid"); found != json.end()) {
    if (!found->is_boolean()) fail(top + ".mutual_aid is not true or false");
    result.mutual_aid = found->get<bool>();
  }
  const Json& grids = read_array(json, "grids", top);
  result.grids.reserve(grids.size());
  for (std::size_t i = 0; i < grids.size(); ++i) {
    const std::string where = "result.grids[" + std::to_string(i) + "]";
    const Json& row = grids[i];
    GridTally grid;
    grid.grid = static_cast<int>(read_int(row, "grid", where));
    grid.grid_id = read_string(row, "grid_id", where);
    grid.community_id = read_string(row, "community_id", where);
    grid.town_id = read_string(row, "town_id", where);
    grid.residents = read_double(row, "residents", where);
    grid.incidents = read_int(row, "incidents", where);
    grid.responded = read_int(row, "responded", where);
    grid.within_target = read_int(row, "within_target", where);
    grid.response_min_sum = read_double(row, "response_min_sum", where);
    grid.static_coverage_rate = read_double(row, "static_coverage_rate", where);
    grid.dynamic_coverage_rate = read_double(row, "dynamic_coverage_rate", where);
    grid.visit_coverage_rate = read_double(row, "visit_coverage_rate", where);
    if (result.mutual_aid) {
      grid.assists_given = read_int(row, "assists_given", where);
      grid.assists_received = read_int(row, "assists_received", where);
    }
    result.grids.push_back(std::move(grid));
  }

  const Json& responders = read_array(json, "responders", top);
  result.responders.reserve(responders.size());
  for (std::size_t i = 0; i < responders.size(); ++i) {
    const std::string where = "result.responders[" + std::to_string(i) + "]";
    const Json& row = responders[i];
    ResponderTally responder;
    responder.responder = static_cast<int>(read_int(row, "responder", where));
    responder.team = read_string(row, "team", where);
    responder.level = read_string(row, "level", where);
    responder.unit = read_string(row, "unit", where);
    responder.travel_min = read_double(row, "travel_min", where);
    responder.on_scene_min = read_double(row, "on_scene_min", where);
    responder.return_min = read_double(row, "return_min", where);
    responder.idle_min = read_double(row, "idle_min", where);
    responder.on_duty_min = read_double(row, "on_duty_min", where);
    responder.incidents_served = read_int(row, "incidents_served", where);
    result.responders.push_back(std::move(responder));
  }
  const Json& week = read_array(json, "week_hours", top);
  for (std::size_t i = 0; i < week.size(); ++i) {
    const Json& pair = week[i];
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_number_integer() || !pair[1].is_number_integer())
      fail(top + ".week_hours[" + std::to_string(i) + "] is not [responded, within_target]");
    result.week_hours.push_back({pair[0].get<std::int64_t>(), pair[1].get<std::int64_t>()});
  }
  const Json& backlog = read_array(json, "backlog", top);
  for (std::size_t i = 0; i < backlog.size(); ++i) {
    const Json& pair = backlog[i];
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_number() || !pair[1].is_number_integer())
      fail(top + ".backlog[" + std::to_string(i) + "] is not [t_h, open_known]");
    result.backlog.push_back({pair[0].get<double>(), pair[1].get<std::int64_t>()});
  }
  const Json& responses = read_array(json, "responses", top);
  for (std::size_t i = 0; i < responses.size(); ++i) {
    const std::string where = top + ".responses[" + std::to_string(i) + "]";
    TypeResponses type;
    type.type = read_string(responses[i], "type", where);
    const Json& counts = read_array(responses[i], "responded_by_bin", where);
    if (counts.size() != response_bin_count())
      fail(where + ".responded_by_bin has " + std::to_string(counts.size()) + " bins, not " +
           std::to_string(response_bin_count()));
    for (const Json& count : counts) {
      if (!count.is_number_integer()) fail(where + ".responded_by_bin holds a non-integer");
      type.responded_by_bin.push_back(count.get<std::int64_t>());
    }
    result.responses.push_back(std::move(type));
  }
  return result;
}

}  // namespace civicgrid::metrics
