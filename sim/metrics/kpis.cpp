// Definitions of the KPIs named in kpis.hpp. Statistics cover incidents that occur in [warm-up, horizon];
// times are measured from t_known, when the incident became known to the service.
#include "metrics/kpis.hpp"

namespace civicgrid::metrics {

const std::vector<KpiInfo>& kpi_catalogue() {
  static const std::vector<KpiInfo> catalogue = {
      {"incidents", "count", "incidents that occurred after the warm-up (known or not)"},
      {"known", "count", "of those, incidents that became known (registered) before the horizon"},
      {"capture_rate", "share", "known / occurred (residents' reports; hidden incidents stay unknown)"},
      {"discovery_delay_h_mean", "h", "mean of t_known - t_occur over known incidents"},
      {"responded", "count", "of those, incidents whose first responder reached the scene before the horizon"},
      {"response_min_mean", "min", "mean of t_on_scene - t_known over responded incidents"},
      {"response_min_p50", "min", "median response time (histogram with 0.1% relative resolution)"},
      {"response_min_p90", "min", "90th percentile of response time"},
      {"response_min_p95", "min", "95th percentile of response time"},
      {"registration_min_mean", "min", "mean of t_registered - t_known over responded incidents: the platform's registration step (受理/立案, case_flow.registration), 0 without one; per incident, response = registration + first wait + travel"},
      {"wait_min_mean", "min", "mean time in line for a free qualified responder over responded incidents: the first wait t_dispatch - t_registered plus every later spell in line (after a pre-emption, hand-over, failed handling or rework, until the next dispatch or the horizon), the time queue_length_mean counts (L = lambda W)"},
      {"wait_probability", "share", "share of responded incidents that found no free qualified responder when registered (t_dispatch > t_registered)"},
      {"travel_min_mean", "min", "mean of t_on_scene - t_dispatch (turnout + travel)"},
      {"travel_km_mean", "km", "mean road distance (metric x detour) of the crew lead to the scene"},
      {"on_scene_min_mean", "min", "mean of t_closed - t_on_scene over closed incidents (waiting for the crew included)"},
      {"full_team_response_min_mean", "min", "mean of t_team_on_scene - t_known: every needed role on scene (joint response)"},
      {"within_target_rate", "share", "share of responded incidents whose response time <= their type's target"},
      {"utilization", "share", "busy time (travel to, on scene, travel back) / on-duty time (shifts, overtime included), all responders"},
      {"staff", "persons", "responders on the roster, all teams (a plan's size: what a staffing search minimises)"},
      {"on_duty_share", "share", "on-duty time / (responders x statistics window): how much of the clock the staff covers"},
      {"own_grid_share", "share", "of incidents led by a grid-level responder, the share led by the incident's own grid's worker"},
      {"mutual_aid_share", "share", "邻格支援占比 (dispatch.mutual_aid only): responded incidents whose first responder on scene was a neighbouring grid's member / responded incidents"},
      {"queue_length_mean", "count", "time-average number of known incidents waiting for a responder"},
      {"arrival_rate_per_h", "per h", "known incidents per hour after the warm-up (for Little's law: L = lambda W)"},
      {"closed", "count", "incidents that occurred after the warm-up and were closed before the horizon"},
      {"closure_rate", "share", "结案率: closed / registered (known) incidents"},
      {"closure_h_mean", "h", "mean of t_closed - t_known over closed incidents"},
      {"closure_h_p90", "h", "90th percentile of t_closed - t_known"},
      {"on_time_closure_rate", "share", "按期结案率: closed within the type's deadline / incidents whose deadline fell before the horizon"},
      {"on_time_disposal_rate", "share", "按期处置率: first handling finished (closed, or passed up after a failed attempt) within the type's disposal_deadline / incidents whose disposal deadline fell before the horizon"},
      {"escalation_rate", "share", "share of known incidents escalated at least once (no capacity, failed handling, or waiting too long)"},
      {"escalation_delay_h_mean", "h", "mean time a case had spent at a level when it went up (since it became known there or arrived from below), over escalations"},
      {"valid_report_rate", "share", "有效上报率: closed incidents reported to the platform / closed incidents (types with reporting rules)"},
      {"unreported_rate", "share", "closed incidents never reported to the platform / closed incidents (types with reporting rules)"},
      {"missed_report_rate", "share", "漏报率: of known incidents of types workers should find (visit or patrol detection), the share the public reported first"},
      {"found_by_visit", "count", "incidents found by a worker's household visit (走访) before anyone reported them"},
      {"found_by_patrol", "count", "incidents found by a patrol round before anyone reported them"},
      {"developed", "count", "incidents nobody found in time that developed into another (a hazard into an accident)"},
      {"preempted_jobs", "count", "jobs on a less urgent incident interrupted by a more urgent call (dispatch.preemption); the rest of the work waits"},
      {"handed_over_jobs", "count", "jobs in progress handed over at a member's shift end (shift.at_end: hand_over)"},
      {"visits_per_household", "per 30 d", "completed household visits per household covered by a visit programme, per 30 days"},
      {"visit_time_share", "share", "household-visit time / on-duty time, all responders"},
      {"on_time_report_rate", "share", "按时上报率: reports within the type's on_time_limit after closure / reports"},
      {"not_reported_handled", "count", "not reported: handled, so not reported (closed without escalation)"},
      {"not_reported_could_not_handle", "count", "not reported: could not handle, so not reported (escalated)"},
      {"not_reported_sensitive", "count", "not reported: too sensitive"},
      {"backlog_at_end", "count", "incidents still open at the horizon, whenever they occurred"},
      {"escalations_from_grid", "count", "escalations from the grid tier (no capacity or failed handling)"},
      {"closed_at_grid", "count", "incidents closed by the grid tier (pooled: crew led by a grid-level responder)"},
      {"escalations_from_community", "count", "escalations from the community tier"},
      {"closed_at_community", "count", "incidents closed by the community tier (pooled: community-level lead)"},
      {"escalations_from_town", "count", "escalations from the town tier"},
      {"closed_at_town", "count", "incidents closed by the town tier (pooled: town-level lead)"},
      {"escalations_from_city", "count", "escalations from the city tier (always 0: nothing above)"},
      {"closed_at_city", "count", "incidents closed by the city tier (pooled: city-level lead)"},
  };
  return catalogue;
}

}  // namespace civicgrid::metrics
