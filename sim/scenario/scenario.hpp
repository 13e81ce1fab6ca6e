// The validated Scenario value: everything a run needs, in SI units (seconds, metres, m/s, events per second).
// The YAML loader (loader.hpp) is the only producer; city/, engine/ and experiment/ only read it, so no other
// module ever sees a unit suffix or a YAML node.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace civicgrid::scenario {

// The administrative hierarchy, lowest first; the order is used for "own unit first" and escalation.
enum class Level { grid = 0, community = 1, town = 2, city = 3 };
const char* to_string(Level level);

enum class TravelMetric { manhattan, euclidean, none };
const char* to_string(TravelMetric metric);

// own_unit_only (属地管理): a unit's staff serve only their own area; a call nobody there can take waits (or,
// tiered, goes up to the next level's own unit). preference_list: each grid names the units it calls on, in
// order (the hypercube model's fixed preferences; Dispatch::preferences_by_grid).
enum class DispatchPolicyName { nearest_idle, own_unit_first, own_unit_only, preference_list };
const char* to_string(DispatchPolicyName policy);

enum class DistributionKind { exponential, fixed, uniform, lognormal, gamma, erlang };
const char* to_string(DistributionKind kind);

// A non-negative duration distribution. Only the fields of its kind are meaningful:
//   exponential: mean_s | fixed: mean_s | uniform: min_s, max_s | lognormal: mean_s, sd_s
//   gamma: mean_s, shape (k > 0) | erlang: mean_s, shape (integer k >= 1)
struct Distribution {
  DistributionKind kind = DistributionKind::exponential;
  double mean_s = 0;
  double sd_s = 0;
  double min_s = 0;
  double max_s = 0;
  double shape = 1;
};

struct RunSettings {
  double horizon_s = 0;   // simulated time of one replication, warm-up included
  double warmup_s = 0;    // statistics ignore incidents that occur before this time
  int replications = 1;
  std::uint64_t seed = 1;
};

// Urban or rural grid (GeoJSON property `kind`): decides the travel mode of trips that start there.
enum class AreaKind { unspecified, urban, rural };
const char* to_string(AreaKind kind);

// Projected coordinates in metres (a local CGCS2000 Gauss-Kruger or UTM zone), never longitude/latitude.
struct GeoPoint {
  double x_m = 0;
  double y_m = 0;
};

// One polygon as written in the GeoJSON file: closed rings (first point = last), holes after the outer ring.
struct GeoPolygon {
  std::vector<GeoPoint> outer;
  std::vector<std::vector<GeoPoint>> holes;
};

struct GeoGrid {
  std::string id;                      // GeoJSON property `grid`: the grid's code in every output
  int community = 0;                   // index into GeoLayout::community_ids
  int feature = 0;                     // 0-based index of its feature, for messages
  std::vector<GeoPolygon> parts;       // a Polygon has one part, a MultiPolygon several
  std::optional<double> residents;     // property `residents`
  std::optional<double> migrant_share; // property `migrant_share`
  AreaKind kind = AreaKind::unspecified;
};

// A city read from GeoJSON: grids are polygons, communities and towns are formed from the ID properties
// (in order of first appearance), bases come from an optional CSV file.
struct GeoLayout {
  std::string geojson_file;            // as opened (relative to the scenario's folder), for messages
  std::string bases_file;              // "" when none
  std::vector<GeoGrid> grids;          // in feature order
  std::vector<std::string> community_ids;
  std::vector<int> community_town;     // community index -> town index
  std::vector<std::string> town_ids;
  std::map<std::string, int> grid_index;   // grid id -> index into grids
  // Office and centre locations from the bases file, [level][unit] (city: one entry); none = the centroid.
  std::array<std::vector<std::optional<GeoPoint>>, 4> bases;
};

// A rectangular city: rows x cols grids of cell_size_m; communities are blocks of grids, towns blocks of
// communities. With `geo` set the city comes from GeoJSON instead and rows, cols, cell size are 0.
struct Layout {
  int rows = 0;
  int cols = 0;
  double cell_size_m = 0;
  int community_block_rows = 1;  // grids per community, vertically
  int community_block_cols = 1;
  int town_block_rows = 1;       // communities per town, vertically
  int town_block_cols = 1;
  std::optional<GeoLayout> geo;
  bool geographic() const { return geo.has_value(); }
  int grid_count() const { return geo ? static_cast<int>(geo->grids.size()) : rows * cols; }
};

// A bump of extra residents centred on a grid, decaying as exp(-d^2 / (2 radius^2)).
struct PopulationHotspot {
  int row = 0;
  int col = 0;
  double extra_residents = 0;
  double radius_m = 0;
};

struct Population {
  double residents_per_grid = 0;   // base value for every grid
  double migrant_share = 0;        // share in [0, 1], default for every grid
  // Linear gradient: residents multiplied by (1 + gradient_per_km * distance_from_city_centre_km), floored at 0.
  double gradient_per_km = 0;
  std::vector<PopulationHotspot> hotspots;
  // Explicit per-grid values (from a table or a CSV file) replace the computed ones; index = grid id.
  // Empty when not given. Entries < 0 mean "not given for that grid".
  std::vector<double> residents_by_grid;
  std::vector<double> migrant_share_by_grid;
  // Key population (重点人群: people under community correction, with severe mental illness, elderly living
  // alone ...): their share of residents, for every grid and per grid (by_grid; entries < 0: not given).
  double key_population_share = 0;
  std::vector<double> key_population_share_by_grid;
};

// How responders move: distance by metric x detour factor / speed, plus turnout from standstill.
struct TravelMode {
  TravelMetric metric = TravelMetric::manhattan;
  double speed_mps = 0;
  double detour_factor = 1.0;
  double turnout_s = 0;
};

struct Travel {
  TravelMetric metric = TravelMetric::manhattan;
  double speed_mps = 0;
  double detour_factor = 1.0;
  double turnout_s = 0;
  // GeoJSON layouts only. Trips that start in an urban or rural grid use that mode (keys not given inherit
  // the ones above); grids without `kind` use the ones above.
  std::optional<TravelMode> urban;
  std::optional<TravelMode> rural;
  // GeoJSON layouts only: drive times between grids from a matrix file, key from_grid * grids + to_grid
  // (indexes into GeoLayout::grids). Pairs not in the file are driven by the coordinates.
  std::map<long long, double> matrix_s;
  std::string matrix_file;   // "" when none
  TravelMode base_mode() const { return {metric, speed_mps, detour_factor, turnout_s}; }
};

// A daily shift on some days of the week. Time 0 is Monday 00:00; day 0 is Monday.
struct Shift {
  double start_s = 0;                // time of day the shift starts
  double length_s = 0;               // may run past midnight
  std::array<bool, 7> days{true, true, true, true, true, true, true};
  bool follows_calendar = false;     // days: working: the calendar's working days (holidays off, make-up days on)
  // End of shift: a job running past the end is finished (overtime) or handed over to whoever is on duty
  // (the rest of its work waits for them); in the last `last_call_s` of a shift the member takes no new
  // routine job (priority > 1), only urgent ones (0 = no such rule).
  enum class AtEnd { finish, hand_over };
  AtEnd at_end = AtEnd::finish;
  double last_call_s = 0;
};

// The working-time calendar (工作日历): working hours on working days, public holidays off and make-up
// working days (调休) on. Day 0 is `start_date`, which must be a Monday (shifts count weekdays from time 0).
struct Calendar {
  bool defined = false;
  std::string start_date;            // ISO date of day 0, as written
  double work_from_s = 9 * 3600.0;   // working hours within a working day
  double work_to_s = 17 * 3600.0;
  std::array<bool, 7> working_weekdays{true, true, true, true, true, false, false};
  std::vector<long long> holidays;            // day indices (from start_date) off
  std::vector<long long> extra_working_days;  // day indices on although a weekend
};

// A time limit: on the clock (seconds), or in working time of the calendar (working days of
// work_to - work_from each, or working hours), counted from the moment the incident became known.
struct TimeLimit {
  enum class Kind { none, clock, working_days, working_hours };
  Kind kind = Kind::none;
  double amount = 0;                 // seconds (clock), days or hours (working)
  bool set() const { return kind != Kind::none && amount > 0; }
};

// A visit programme (走访): the team's members spend idle on-duty time visiting the households of their unit,
// each household every `every_s`, key-population households every `key_every_s`, more often during campaigns.
// A visit finds the hidden incidents of that household with their type's visit detection probability.
struct VisitCampaign {
  double from_s = 0;                 // simulated time the campaign starts (0 = Monday 00:00 of week 1)
  double to_s = 0;
  double every_s = 0;                // during the campaign every household is due at least this often
};

struct VisitProgramme {
  double every_s = 0;                // regular visits: each household every so long
  double household_size = 2.8;       // residents per household: households = residents / household_size
  double key_population_share = 0;   // share of households that are key population (重点人群)
  double key_every_s = 0;            // their visits (0 = as the others)
  Distribution time_per_household;   // staff time of one visit, the walk to the door included
  std::vector<VisitCampaign> campaigns;
  bool preempted_by_incidents = true;  // yield: preempt (drop the visit for a call) or finish (call waits)
};

// Extra members of a team in one named unit (its code: "C07", or a GeoJSON id), on top of per_unit.
struct UnitExtra {
  std::string unit;
  int extra = 0;
  std::string file;   // where it is written, for the error if no such unit exists
  int line = 0;
  int col = 0;
};

struct Team {
  std::string name;
  Level level = Level::grid;
  int per_unit = 1;                  // responders per unit of `level` (per grid, per community, ...)
  std::vector<std::string> roles;    // every responder of the team can act in each of these roles
  std::optional<Shift> shift;        // none = always on duty
  // The probability that a member works a given day's shift (part-time members; 1 - availability is the absence
  // rate of full-time staff: sick leave, training). Without a shift it decides whole days, 00:00 to 24:00.
  double availability = 1;
  // Where a free responder is: at its base, or patrolling its unit (a uniform point of the unit's area when a
  // call comes, as in the hypercube model).
  bool patrols_when_idle = false;
  // A patrolling member completes a round of its unit every so long (0 = patrols find nothing hidden).
  double patrol_round_s = 0;
  std::optional<VisitProgramme> visits;
  // Per-unit additions (extra_by_unit: {C07: 2}): where staff is added beyond the uniform per_unit, e.g. by a
  // staffing search that distributes extra people over communities.
  std::vector<UnitExtra> extra_by_unit;
  // Members are on duty only part of the time (shifts, or days of absence): their duty time is recorded.
  bool has_duty_roster() const { return shift.has_value() || availability < 1; }
};

// How work moves up the hierarchy. `pooled`: every level's responders form one pool (no escalation);
// `tiered`: each level is its own tier, grid -> community -> town -> city.
enum class EscalationMode { pooled, tiered };
enum class WhenBusy { wait, escalate };

struct IncidentType {
  std::string name;
  // Exactly one of the two rates is non-zero (the loader enforces it).
  double rate_per_grid_per_s = 0;
  double rate_per_1000_residents_per_s = 0;
  // Migrants generate this many times the incidents of other residents: a grid's rate is multiplied by
  // (1 - m + m x ratio), m its migrant share (1 = no effect).
  double migrant_rate_ratio = 1;
  // The same for the key population: a grid's rate is also multiplied by (1 - k + k x ratio), k its share.
  double key_population_rate_ratio = 1;
  // Relative intensity per hour of day, normalised by the loader to average 1 (empty = constant rate).
  std::vector<double> hourly_profile;
  Distribution service;
  double target_s = 0;               // response target: on scene within this time after becoming known
  // Roles needed at once (a multiset: [police, police, grid_worker]); work starts when all are on scene.
  std::vector<std::string> roles;
  int priority = 1;                  // 1 = most urgent; waiting incidents are served by (priority, t_known)
  Level min_level = Level::grid;     // lowest level allowed to handle it (by type or severity)
  double failure_probability = 0;    // handling at a level fails with this probability -> next level
  TimeLimit deadline;                // 结案时限: closure deadline after becoming known: on-time closure
  TimeLimit disposal_deadline;       // 处置时限: the first handling finished (closed or passed up) in time
  // Discovery: residents report it with this probability, after this delay; otherwise it is never known.
  double report_probability = 1;
  std::optional<Distribution> report_delay;   // none = known when it occurs
  // Information reporting to the platform (信息上报) after closure; absent = not modelled for this type.
  struct Reporting {
    std::optional<Distribution> delay;        // none = reported at closure
    double on_time_limit_s = 0;               // a report later than this after closure is late (0 = never late)
    double not_reported_handled = 0;          // "handled, so not reported" (closed without escalation)
    double not_reported_could_not_handle = 0; // "could not handle, so not reported" (escalated at least once)
    double not_reported_sensitive = 0;        // "too sensitive, so not reported" (any)
  };
  std::optional<Reporting> reporting;
  // Hidden incidents (report_probability < 1, or a report delay) can be found before residents report them:
  // by a visit to the household where they are, or by a patrol round of their grid, with these probabilities.
  double visit_detection_probability = 0;
  double patrol_detection_probability = 0;
  // An incident not yet known can develop into another type (a hazard into an accident): with `probability`,
  // after `after`, if nobody has found it by then. The new incident is known at once (it is visible).
  struct Development {
    std::string into;
    int into_type = -1;              // index in Scenario::incidents, resolved by the loader
    double probability = 0;
    Distribution after;
  };
  std::optional<Development> develops;
  // The platform's case flow (受理/立案 -> 派遣 -> 处置 -> 核查 -> 结案): a registration delay before dispatch,
  // a check after handling, and rework (返工) when the check fails: the case goes back to the same level.
  struct CaseFlow {
    std::optional<Distribution> registration;   // known -> registered (dispatch starts then)
    // The role whose member does the registration (受理员): a case waits for a free one on duty, first come
    // first served, and occupies it for the registration time. Empty: registration is a pure delay.
    std::string registration_by;
    std::optional<Distribution> check;          // handled -> checked
    std::string check_by;                       // as registration_by, for the check (核查员); empty: a delay
    // Each step's time limit (clock or working time): registered within registration_limit of becoming known
    // (按时受理), checked within check_limit of being handled (按时核查).
    TimeLimit registration_limit;
    TimeLimit check_limit;
    double rework_probability = 0;              // the check sends it back for another round
  };
  std::optional<CaseFlow> case_flow;
  // Its own escalation rule (incidents[].escalation, tiered only): each part given replaces the scenario-wide
  // one for this type; `after_s` replaces the whole escalation.after (levels it does not name: never by time).
  struct EscalationOverride {
    std::optional<WhenBusy> when_busy;
    std::optional<std::array<double, 4>> after_s;
  };
  std::optional<EscalationOverride> escalation;
  // Whether grid workers are expected to find it first (visits or patrols can): then a report by the public
  // before any worker found it is a missed report (漏报).
  bool findable_by_workers() const { return visit_detection_probability > 0 || patrol_detection_probability > 0; }
};

struct Escalation {
  EscalationMode mode = EscalationMode::pooled;
  WhenBusy when_busy = WhenBusy::wait;   // tiered: no free qualified responder at a level -> wait there or go up
  // tiered, by time: an incident still waiting for a crew at a level this long after it arrived there goes up
  // to the next level (per level, grid first; 0 = never).
  std::array<double, 4> after_s{0, 0, 0, 0};
};

// by_priority: an incident that finds no free qualified responder takes one away from work on a less urgent
// incident (a larger priority number), which waits again for the rest of its work (preemptive resume).
enum class Preemption { none, by_priority };

// One entry of a preference list: the members of one team, or of every team of `level`, whose home is unit
// `unit` of `level` (written `C03` or `mediators@C03` in a scenario).
struct PreferredUnit {
  Level level = Level::grid;
  int unit = 0;    // index at `level`: grid id, community id, town id; 0 for the city
  int team = -1;   // index into Scenario::teams (a team of `level`); -1: every team of `level` at that unit
  friend bool operator==(const PreferredUnit&, const PreferredUnit&) = default;
};

// Mutual aid between neighbouring grids (横向对接、联调联防): a case its own grid has not staffed after `after_s`
// may take an idle qualified grid member of a neighbouring grid before it escalates (own_unit_only only).
// Neighbours are grids sharing an edge (adjacent), or whose areas come within within_m of each other.
enum class NeighbourKind { adjacent, within };
struct MutualAid {
  NeighbourKind neighbours = NeighbourKind::adjacent;
  double within_m = 0;   // NeighbourKind::within only
  double after_s = 0;    // 0: at once, before the case would wait or escalate for want of its own grid's staff
};

struct Dispatch {
  DispatchPolicyName policy = DispatchPolicyName::nearest_idle;
  std::optional<MutualAid> mutual_aid;   // none: no grid lends its staff to another
  Preemption preemption = Preemption::none;
  // preference_list only: the units each grid tries, in order (index = grid id); a grid whose list is empty
  // (or beyond the vector's end) uses default_preferences. The loader sees to it that every grid has one.
  std::vector<std::vector<PreferredUnit>> preferences_by_grid;
  std::vector<PreferredUnit> default_preferences;   // the `default` row; empty when none was given
  std::string preferences_file;                     // as opened (dispatch.preferences_file), "" when none
};

// The escalation rule one incident type follows (Scenario::escalation_for).
struct EscalationRule {
  WhenBusy when_busy = WhenBusy::wait;
  std::array<double, 4> after_s{0, 0, 0, 0};   // per level, grid first; 0 = never by time
};

// A local standard a KPI is judged against (standards: in a scenario or model; docs/standards.md).
enum class Bound { at_least, at_most };
const char* to_string(Bound bound);
struct Standard {
  std::string kpi;         // a key of the KPI catalogue (metrics/kpis.hpp), without a breakdown
  Bound bound = Bound::at_least;
  double value = 0;        // in the KPI's catalogue unit: share, min, h, km, count ...
  std::string origin;      // where it was set, "file:line:col"; metrics' defaults say "default"
};

// Static and dynamic coverage (metrics/coverage.hpp): residents within a travel time of a qualified base or
// of an idle qualified member.
struct CoverageSettings {
  std::optional<double> within_s;   // the coverage time of every role; none: each role's shortest type target
  double sample_every_s = 1800;     // dynamic coverage is sampled on the simulated clock this often
  int points_per_side = 8;          // residents are placed on a points_per_side^2 lattice per grid
};

struct Scenario {
  int version = 1;
  std::string name;
  std::string description;
  std::string model_path;            // as written in the file ("" when none)
  RunSettings run;
  Layout layout;
  Population population;
  Travel travel;
  std::vector<Team> teams;
  std::vector<IncidentType> incidents;
  Dispatch dispatch;
  Escalation escalation;
  Calendar calendar;
  // The `standards:` list as written; none: metrics' documented defaults (metrics/standards.hpp).
  std::optional<std::vector<Standard>> standards;
  CoverageSettings coverage;

  // The rule incident type `type` (an index into `incidents`) escalates by; what `when_busy` and `after` mean
  // applies only under escalation.mode tiered.
  EscalationRule escalation_for(int type) const;

  // The fully resolved document (model merged, --set applied) as YAML text: written with every result.
  std::string resolved_yaml;
  // Every file that went into it, the scenario first (for the manifest and the result hash).
  std::vector<std::string> source_files;
};

}  // namespace civicgrid::scenario
