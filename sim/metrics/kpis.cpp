// The entries of the KPI catalogue (kpis.hpp). Statistics cover incidents that occur in [warm-up, horizon];
// times are measured from t_known, when the incident became known to the service, unless an entry says
// otherwise. A definition taken from a standard says so; a Chinese name is only given the standard's term
// when the quantity is the standard's (docs/kpis.md).
#include "metrics/kpis.hpp"

#include <array>
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

namespace civicgrid::metrics {
namespace {

constexpr Direction up = Direction::higher_is_better;
constexpr Direction down = Direction::lower_is_better;
constexpr Direction none = Direction::neither;
constexpr unsigned run = scope_run;
constexpr unsigned level = scope_level;
constexpr unsigned type = scope_type;
constexpr unsigned team = scope_team;
constexpr unsigned role = scope_role;
constexpr unsigned grid = scope_grid;
constexpr unsigned responder = scope_responder;
constexpr unsigned hour = scope_hour;

constexpr std::array entries = std::to_array<KpiInfo>({
    {Kpi::incidents, "incidents", "count", none, "事件数", "Incidents",
     "incidents that occurred after the warm-up (known or not)", "",
     "incidents that occurred after the warm-up (known or not)", "预热期后发生的事件（无论是否被知悉）", false,
     run | type | grid},
    {Kpi::known, "known", "count", none, "已知事件数", "Known incidents",
     "incidents that became known (registered) before the horizon", "",
     "of those, incidents that became known before the horizon", "其中在仿真结束前被知悉的事件", false, run},
    {Kpi::capture_rate, "capture_rate", "share", up, "事件发现率", "Capture rate", "known incidents",
     "incidents that occurred", "known / occurred (hidden incidents nobody finds stay unknown)",
     "已知事件数 / 发生事件数（无人发现的隐患始终未知）", false, run},
    {Kpi::discovery_delay_h_mean, "discovery_delay_h_mean", "h", down, "平均发现时长", "Mean discovery delay",
     "sum of t_known − t_occur", "known incidents", "mean of t_known − t_occur over known incidents",
     "已知事件的（知悉时间 − 发生时间）均值", false, run},
    {Kpi::responded, "responded", "count", none, "已响应事件数", "Responded incidents",
     "incidents whose first responder reached the scene before the horizon", "",
     "of those, incidents whose first responder reached the scene before the horizon",
     "其中首位处置人员在仿真结束前到场的事件", false, run | type | grid | hour},
    {Kpi::response_min_mean, "response_min_mean", "min", down, "平均响应时间", "Mean response time",
     "sum of t_on_scene − t_known", "responded incidents", "mean of t_on_scene − t_known over responded incidents",
     "已响应事件的（到场时间 − 知悉时间）均值", true, run | type | grid},
    {Kpi::response_min_p50, "response_min_p50", "min", down, "响应时间中位数", "Median response time",
     "the 50th percentile of t_on_scene − t_known", "responded incidents",
     "median response time (histogram with 0.1% relative resolution)", "响应时间的 50 分位数（相对分辨率 0.1%）",
     false, run},
    {Kpi::response_min_p90, "response_min_p90", "min", down, "响应时间 90 分位", "90th percentile response time",
     "the 90th percentile of t_on_scene − t_known", "responded incidents", "90th percentile of response time",
     "响应时间的 90 分位数", true, run | type},
    {Kpi::response_min_p95, "response_min_p95", "min", down, "响应时间 95 分位", "95th percentile response time",
     "the 95th percentile of t_on_scene − t_known", "responded incidents", "95th percentile of response time",
     "响应时间的 95 分位数", false, run},
    {Kpi::registration_min_mean, "registration_min_mean", "min", down, "平均受理登记时长", "Mean registration time",
     "sum of t_registered − t_known", "responded incidents",
     "mean of t_registered − t_known over responded incidents: the platform's registration step (受理/立案, "
     "case_flow.registration; 0 without one); per incident, response = registration + first wait + travel",
     "已响应事件的（登记时间 − 知悉时间）均值：平台受理登记环节（未设 case_flow 时为 0）", false, run},
    {Kpi::registration_wait_min_mean, "registration_wait_min_mean", "min", down, "平均受理排队时长",
     "Mean wait for registration",
     "sum of the time from t_known until a desk member (case_flow.registration_by, e.g. 受理员) began registering",
     "responded incidents",
     "mean wait for a free desk member on duty before registration starts, over responded incidents (0 where "
     "registration is a pure delay or absent); registration_min_mean = this wait + the registration time",
     "已响应事件中，自知悉至受理员（case_flow.registration_by）开始受理的平均等待时长", false, run},
    {Kpi::on_time_registration_rate, "on_time_registration_rate", "share", up, "按时受理率",
     "On-time registration rate", "registrations done within the type's case_flow.registration_limit of t_known",
     "registrations due: done, or still under way at the horizon past the limit (types with a limit)",
     "registered within the limit / registrations due (done, or past the limit at the horizon); types with "
     "case_flow.registration_limit",
     "在受理时限内完成受理数 / 应受理数（已受理，或仿真结束时已超时限仍未受理；设有受理时限的类型）", false, run},
    {Kpi::on_time_check_rate, "on_time_check_rate", "share", up, "按时核查率", "On-time check rate",
     "checks done within case_flow.check_limit of the handling", "checks due: done, or under way at the horizon past "
     "the limit (types with a limit; a reworked case is checked again)",
     "checked within the limit / checks due (done, or past the limit at the horizon); types with "
     "case_flow.check_limit",
     "在核查时限内完成核查数 / 应核查数（已核查，或仿真结束时已超时限仍未核查；设有核查时限的类型）", false, run},
    {Kpi::wait_min_mean, "wait_min_mean", "min", down, "平均等待派遣时间", "Mean wait for dispatch",
     "sum of each case's time in line for a free qualified responder: the first wait t_dispatch − t_registered "
     "plus every later spell in line (after a pre-emption, hand-over, failed handling or rework, until the next "
     "dispatch or the horizon)",
     "responded incidents",
     "mean time in line for a free qualified responder over responded incidents, the time queue_length_mean "
     "counts (L = λW); the registration step is registration_min_mean",
     "已响应事件排队等待空闲合格人员的平均时长（登记后首次等待加之后每次重新排队），即平均待派遣事件数所计的时间", false,
     run | type},
    {Kpi::wait_probability, "wait_probability", "share", down, "需排队比例", "Probability of waiting",
     "responded incidents that found no free qualified responder when registered (t_dispatch > t_registered)",
     "responded incidents", "share of responded incidents that found no free qualified responder when registered",
     "可派遣时无空闲合格人员的已响应事件占比", false, run},
    {Kpi::travel_min_mean, "travel_min_mean", "min", down, "平均在途时间", "Mean travel time",
     "sum of t_on_scene − t_dispatch", "responded incidents", "mean of t_on_scene − t_dispatch (turnout + travel)",
     "（到场时间 − 派遣时间）均值（出动准备 + 路途）", false, run},
    {Kpi::travel_km_mean, "travel_km_mean", "km", down, "平均出动距离", "Mean travel distance",
     "sum of the crew lead's road distance to the scene", "responded incidents",
     "mean road distance (metric × detour) of the crew lead to the scene", "牵头人员到现场的平均道路距离（距离 × 绕行系数）",
     false, run},
    {Kpi::on_scene_min_mean, "on_scene_min_mean", "min", none, "平均现场处置时间", "Mean on-scene time",
     "sum of t_closed − t_on_scene", "closed incidents",
     "mean of t_closed − t_on_scene over closed incidents (waiting for the crew included)",
     "已结案事件的（结案时间 − 到场时间）均值（含等待组团人员）", false, run},
    {Kpi::full_team_response_min_mean, "full_team_response_min_mean", "min", down, "平均组团到场时间",
     "Mean full-team response", "sum of t_team_on_scene − t_known", "incidents whose whole crew arrived",
     "mean of t_team_on_scene − t_known: every needed role on scene (joint response)",
     "所需角色全部到场时间 − 知悉时间的均值（组团式联合处置）", false, run | level},
    {Kpi::within_target_rate, "within_target_rate", "share", up, "响应达标率", "Within-target response rate",
     "responded incidents whose response time ≤ their type's target", "responded incidents",
     "share of responded incidents whose response time is within their type's target",
     "响应时间不超过该类事件响应目标的已响应事件占比", true, run | type | grid | hour},
    {Kpi::grid_coverage_rate, "grid_coverage_rate", "share", up, "达标网格覆盖率", "Grids meeting the standard",
     "grids with responded incidents whose within_target_rate meets its standard", "grids with responded incidents",
     "share of grids (with responded incidents) whose within-target rate meets the within_target_rate standard",
     "有已响应事件的网格中，响应达标率达到标准的网格占比", false, run},
    {Kpi::resident_coverage_rate, "resident_coverage_rate", "share", up, "达标居民覆盖率",
     "Residents in grids meeting the standard",
     "residents of grids with responded incidents whose within_target_rate meets its standard",
     "residents of grids with responded incidents",
     "share of residents living in grids whose within-target rate meets the within_target_rate standard",
     "居住在响应达标率达到标准的网格中的居民占比（有已响应事件的网格）", true, run},
    {Kpi::static_coverage_rate, "static_coverage_rate", "share", up, "静态覆盖率", "Static coverage",
     "residents within the coverage time of a base of a qualified member, for every role the incident types need",
     "residents",
     "share of residents within T (coverage.within, else the role's shortest target) of a base where a member "
     "with each needed role is stationed, whoever is on duty",
     "距驻点（有具备所需各角色的人员）在覆盖时限内的居民占比，不论是否在岗", true, run | level | role | grid},
    {Kpi::dynamic_coverage_rate, "dynamic_coverage_rate", "share", up, "动态覆盖率", "Dynamic coverage",
     "time integral of the residents within the coverage time of an idle, on-duty qualified member at rest, for "
     "every needed role",
     "residents × the statistics window",
     "time-averaged share of residents within T of an idle, on-duty member with each needed role, sampled every "
     "coverage.sample_every on the simulated clock",
     "在覆盖时限内可由空闲在岗合格人员到达的居民占比的时间平均（按仿真时钟定时采样）", true,
     run | level | role | grid},
    {Kpi::utilization, "utilization", "share", none, "人员利用率", "Staff utilisation",
     "busy time (travel to, on scene, travel back)", "on-duty time (shifts, overtime included)",
     "busy time (travel to, on scene, travel back) / on-duty time, all responders",
     "（往程 + 现场 + 返程）/ 在岗时间，全部人员", true, run | level | team | responder},
    {Kpi::staff, "staff", "persons", down, "人员总数", "Staff", "responders on the roster, all teams", "",
     "responders on the roster, all teams (a plan's size: what a staffing search minimises)",
     "花名册上的全部人员（各团队合计；人员搜索最小化的量）", true, run},
    {Kpi::on_duty_share, "on_duty_share", "share", none, "在岗时间占比", "On-duty share", "on-duty time",
     "responders × the statistics window",
     "on-duty time / (responders × statistics window): how much of the clock the staff covers",
     "在岗时间 /（人员数 × 统计时长）：人员覆盖时钟的程度", false, run},
    {Kpi::own_grid_share, "own_grid_share", "share", none, "本网格处置占比", "Own-grid share",
     "incidents led by their own grid's worker", "incidents led by a grid-level responder",
     "of incidents led by a grid-level responder, the share led by the incident's own grid's worker",
     "由网格层人员牵头的事件中，由本网格网格员牵头的占比", false, run},
    {Kpi::mutual_aid_share, "mutual_aid_share", "share", none, "邻格支援占比", "Mutual-aid share",
     "responded incidents whose first responder on scene was a neighbouring grid's member", "responded incidents",
     "dispatch.mutual_aid only: the share of responded incidents a neighbouring grid's member reached first",
     "仅 dispatch.mutual_aid：已响应事件中首个到场人员为相邻网格人员（横向支援）的占比", false, run},
    {Kpi::queue_length_mean, "queue_length_mean", "count", down, "平均待派遣事件数", "Mean queue length",
     "time integral of the number of cases in line for a responder", "the statistics window",
     "time-average number of known incidents waiting in line for a responder (Little's law: λ × wait_min_mean)",
     "排队等待派遣的已知事件数的时间平均", false, run},
    {Kpi::arrival_rate_per_h, "arrival_rate_per_h", "per h", none, "事件到达率", "Incident arrival rate",
     "known incidents", "hours of the statistics window",
     "known incidents per hour after the warm-up (for Little's law: L = λW)", "预热期后每小时的已知事件数", false, run},
    {Kpi::closed, "closed", "count", none, "结案数", "Closed incidents",
     "incidents that occurred after the warm-up and were closed before the horizon", "",
     "incidents that occurred after the warm-up and were closed before the horizon",
     "预热期后发生并在仿真结束前结案的事件", false, run | level | type},
    {Kpi::closure_rate, "closure_rate", "share", up, "结案率", "Closure rate", "closed incidents (结案数)",
     "cases due (应结案数): closed, or open at the horizon past their type's closure deadline (types without a "
     "deadline: every known case); per level: cases that reached the level",
     "closed / cases due (结案数 / 应结案数, as digital urban-management platforms count them (docs/standards.md): a case is due once closed or "
     "overdue, an open case inside its deadline is not due yet); per level, closed there / reached there",
     "结案数 / 应结案数（已结案或超期未结案的事件；未设结案期限的类型：全部已知事件）；分层级时为本级结案数 / 进入本级事件数",
     true, run | level | type},
    {Kpi::overdue_open, "overdue_open", "count", down, "超期未结案数", "Overdue and open",
     "known incidents open at the horizon past their type's closure deadline", "",
     "known incidents still open at the horizon after their type's closure deadline",
     "仿真结束时已超过结案期限仍未结案的事件数", false, run},
    {Kpi::closure_h_mean, "closure_h_mean", "h", down, "平均结案时长", "Mean time to closure",
     "sum of t_closed − t_known", "closed incidents", "mean of t_closed − t_known over closed incidents",
     "已结案事件的（结案时间 − 知悉时间）均值", false, run | level},
    {Kpi::closure_h_p90, "closure_h_p90", "h", down, "结案时长 90 分位", "90th percentile time to closure",
     "the 90th percentile of t_closed − t_known", "closed incidents", "90th percentile of t_closed − t_known",
     "结案时间 − 知悉时间的 90 分位数", false, run | level},
    {Kpi::on_time_closure_rate, "on_time_closure_rate", "share", up, "按期结案率", "On-time closure rate",
     "incidents closed within their type's deadline (按期结案数)",
     "cases due of types with a deadline (应结案数): closed, or open at the horizon past the deadline",
     "closed within the type's deadline / cases due (按期结案数 / 应结案数) of types with a closure deadline",
     "按期结案数 / 应结案数（设有结案期限的类型：已结案或超期未结案的事件）", true, run | level},
    {Kpi::on_time_disposal_rate, "on_time_disposal_rate", "share", up, "按期处置率", "On-time disposal rate",
     "incidents whose first handling finished (closed, or passed up after a failed attempt) within the type's "
     "disposal_deadline",
     "incidents whose disposal deadline fell before the horizon",
     "first handling finished within the disposal deadline / incidents whose disposal deadline fell before the "
     "horizon",
     "在处置时限内完成首次处置的事件 / 处置期限已到的事件", false, run | level},
    {Kpi::escalation_rate, "escalation_rate", "share", none, "提级率", "Escalation rate",
     "known incidents escalated at least once because the level could not settle them (handling failed, it "
     "waited too long, or every qualified member on duty was busy); per level: escalations from it",
     "known incidents; per level: cases that reached the level",
     "share of known incidents escalated at least once because the level could not settle them (failed "
     "handling, waiting too long, or all qualified members on duty busy); moves because nobody was on duty are "
     "routed_off_hours_rate, not escalation",
     "因本层级处置不了而提交上一层级的事件占比（处置未果、超时或在岗人员均忙）；无人在岗而转上级的不计入，见 routed_off_hours_rate",
     false, run | level},
    {Kpi::routed_off_hours_rate, "routed_off_hours_rate", "share", none, "无人在岗转上级率",
     "Routed up off-hours",
     "known incidents routed up at least once because nobody who answers for their place at the level (grid, "
     "community, town) with a needed role was on duty; per level: such moves from it",
     "known incidents; per level: cases that reached the level",
     "share of known incidents routed up at least once because no member of the level's unit for their place "
     "with a needed role was on duty (routing, not 提级)",
     "因本层级（本网格、社区、街道）无具备所需角色的人员在岗而转上一层级的事件占比（属路由，不属提级）", false,
     run | level},
    {Kpi::escalation_delay_h_mean, "escalation_delay_h_mean", "h", down, "提级前平均滞留时长",
     "Time at a level before escalation",
     "sum of the time a case had spent at a level (since it became known there or arrived from below) when it "
     "went up",
     "escalations",
     "mean time a case had spent at a level when it went up (since it became known there or arrived from below)",
     "事件被提交上一层级前在该层级停留的平均时长（自在该层级知悉或由下级提交起）", false, run | level},
    {Kpi::reported_share_of_closed, "reported_share_of_closed", "share", up, "上报完整率", "Report completeness",
     "closed incidents reported to the platform", "closed incidents of types with reporting rules",
     "closed incidents reported to the platform / closed incidents (types with reporting rules); not the "
     "standard's 有效上报率 (accepted reports / reports)",
     "已上报至信息平台的已结案事件 / 已结案事件（设有上报规则的类型）；并非标准中的有效上报率", false, run | level},
    {Kpi::unreported_rate, "unreported_rate", "share", down, "未上报率", "Unreported rate",
     "closed incidents never reported to the platform", "closed incidents of types with reporting rules",
     "closed incidents never reported to the platform / closed incidents (types with reporting rules)",
     "已结案但从未上报至信息平台的事件 / 已结案事件（设有上报规则的类型）", false, run},
    {Kpi::public_first_rate, "public_first_rate", "share", down, "群众先报率", "Public-first rate",
     "known incidents of types workers should find that the public reported first",
     "known incidents of types workers should find (visit or patrol detection)",
     "of known incidents of types workers should find, the share the public reported first; not the standard's "
     "漏报率 (whose denominator is 立案数)",
     "应由网格员发现的已知事件中，群众先于网格员上报的占比；并非标准中的漏报率", false, run},
    {Kpi::found_by_visit, "found_by_visit", "count", up, "走访发现数", "Found by visits",
     "hidden incidents found by a worker's household visit (走访) before anyone reported them", "",
     "incidents found by a worker's household visit before anyone reported them", "入户走访发现的事件数（群众上报之前）",
     false, run},
    {Kpi::found_by_patrol, "found_by_patrol", "count", up, "巡查发现数", "Found by patrols",
     "hidden incidents found by a patrol round before anyone reported them", "",
     "incidents found by a patrol round before anyone reported them", "巡查发现的事件数（群众上报之前）", false, run},
    {Kpi::developed, "developed", "count", down, "演化事件数", "Developed incidents",
     "incidents nobody found in time that developed into another (a hazard into an accident)", "",
     "incidents nobody found in time that developed into another (a hazard into an accident)",
     "未被及时发现而演化为其他事件（如隐患演化为事故）的数量", false, run},
    {Kpi::preempted_jobs, "preempted_jobs", "count", none, "被紧急事件打断的工作数", "Jobs pre-empted",
     "jobs on a less urgent incident interrupted by a more urgent call (dispatch.preemption)", "",
     "jobs on a less urgent incident interrupted by a more urgent call; the rest of the work waits",
     "因更紧急的事件抽调人员而中断、剩余工作重新排队的处置次数", false, run},
    {Kpi::handed_over_jobs, "handed_over_jobs", "count", none, "交班移交数", "Jobs handed over",
     "jobs in progress handed over at a member's shift end (shift.at_end: hand_over)", "",
     "jobs in progress handed over at a member's shift end", "班次结束时移交给接班人员的进行中工作数", false, run},
    {Kpi::visits_per_household, "visits_per_household", "per 30 d", up, "户均走访次数", "Visits per household",
     "completed household visits, scaled to 30 days", "households covered by a visit programme",
     "completed household visits per household covered by a visit programme, per 30 days",
     "每 30 天每户（走访计划覆盖的户）完成的入户走访次数", false, run},
    {Kpi::visit_time_share, "visit_time_share", "share", none, "走访时间占比", "Visit time share",
     "household-visit time", "on-duty time, all responders", "household-visit time / on-duty time, all responders",
     "入户走访时间 / 在岗时间（全部人员）", false, run},
    {Kpi::visit_coverage_rate, "visit_coverage_rate", "share", up, "入户覆盖率", "Household visit coverage",
     "households of the visit programmes visited at least once in the statistics window",
     "households the visit programmes cover (per team: its programme's; per grid: the grid's)",
     "households visited at least once in the statistics window / households of the visit programmes (a window "
     "as long as the programme's interval, e.g. 30 d for a monthly round, gives the usual monthly 入户覆盖率)",
     "统计期内至少入户走访一次的户数 / 走访计划覆盖的总户数（统计期取走访周期，如每月一轮取 30 天，即常用的月度入户覆盖率）",
     false, run | team | grid},
    {Kpi::on_time_report_rate, "on_time_report_rate", "share", up, "按时上报率", "On-time reporting rate",
     "reports within the type's on_time_limit after closure", "reports",
     "reports within the type's on_time_limit after closure / reports", "结案后在时限内上报的报告数 / 报告数", false,
     run | level},
    {Kpi::not_reported_handled, "not_reported_handled", "count", down, "已处置未上报数", "Not reported: handled",
     "closed without escalation, so not reported", "", "not reported: handled, so not reported (closed without "
     "escalation)", "自行处置而未上报的事件数（未提级结案）", false, run},
    {Kpi::not_reported_could_not_handle, "not_reported_could_not_handle", "count", down, "处置不了未上报数",
     "Not reported: could not handle", "escalated, yet not reported", "",
     "not reported: could not handle, so not reported (escalated)", "处置不了而未上报的事件数（已提级）", false, run},
    {Kpi::not_reported_sensitive, "not_reported_sensitive", "count", down, "敏感未上报数", "Not reported: sensitive",
     "not reported for being too sensitive", "", "not reported: too sensitive", "因敏感而未上报的事件数", false, run},
    {Kpi::backlog_at_end, "backlog_at_end", "count", down, "期末积压事件数", "Backlog at the end",
     "incidents still open at the horizon, whenever they occurred", "",
     "incidents still open at the horizon, whenever they occurred", "仿真结束时仍未结案的事件（不论何时发生）", false, run},
    {Kpi::escalations_from_grid, "escalations_from_grid", "count", none, "网格层提级数", "Escalations from the grid tier",
     "escalations from the grid tier", "", "escalations from the grid tier (failed handling, waiting too long, or all on duty busy; not off-hours routing)",
     "由网格层提交上一层级的次数", false, run},
    {Kpi::closed_at_grid, "closed_at_grid", "count", none, "网格层结案数", "Closed at the grid tier",
     "incidents closed by the grid tier", "", "incidents closed by the grid tier (pooled: crew led by a grid-level "
     "responder)", "由网格层结案的事件", false, run},
    {Kpi::escalations_from_community, "escalations_from_community", "count", none, "社区层提级数",
     "Escalations from the community tier", "escalations from the community tier", "",
     "escalations from the community tier", "由社区层提交上一层级的次数", false, run},
    {Kpi::closed_at_community, "closed_at_community", "count", none, "社区层结案数", "Closed at the community tier",
     "incidents closed by the community tier", "", "incidents closed by the community tier (pooled: community-level "
     "lead)", "由社区层结案的事件", false, run},
    {Kpi::escalations_from_town, "escalations_from_town", "count", none, "街道（镇）层提级数",
     "Escalations from the town tier", "escalations from the town tier", "", "escalations from the town tier",
     "由街道（镇）层提交上一层级的次数", false, run},
    {Kpi::closed_at_town, "closed_at_town", "count", none, "街道（镇）层结案数", "Closed at the town tier",
     "incidents closed by the town tier", "", "incidents closed by the town tier (pooled: town-level lead)",
     "由街道（镇）层结案的事件", false, run},
    {Kpi::escalations_from_city, "escalations_from_city", "count", none, "市级层提级数",
     "Escalations from the city tier", "escalations from the city tier", "",
     "escalations from the city tier (always 0: nothing above)", "由市级提交的次数（恒为 0：无更高层级）", false, run},
    {Kpi::closed_at_city, "closed_at_city", "count", none, "市级结案数", "Closed at the city tier",
     "incidents closed by the city tier", "", "incidents closed by the city tier (pooled: city-level lead)",
     "由市级结案的事件", false, run},
    {Kpi::reached, "reached", "count", none, "受理事件数", "Cases received",
     "cases that entered the level's tier (first once known, or escalated from below)", "",
     "tiered mode only: cases that entered the level's tier (first once known, or escalated from below)",
     "进入该层级的事件数（知悉后首先到达，或由下级提级而来；仅分级模式）", false, level},
    {Kpi::escalations_from, "escalations_from", "count", none, "本级提级数", "Escalations from the level",
     "escalations from the level's tier", "",
     "escalations from the level's tier (levels.csv); routing for want of anyone on duty is routed_off_hours_from",
     "由该层级提交上一层级的次数（不含无人在岗的转上级）", false, level},
    {Kpi::routed_off_hours_from, "routed_off_hours_from", "count", none, "本级无人在岗转上级数",
     "Routed up off-hours from the level",
     "moves from the level's tier because nobody of its unit for the case's place with a needed role was on duty",
     "", "moves up from the level's tier for want of anyone on duty there (levels.csv)",
     "因该层级无人在岗而转上一层级的次数", false, level},
    {Kpi::residents, "residents", "persons", none, "居民数", "Residents", "residents of the grid", "",
     "residents of the grid", "网格居民数", false, grid},
    {Kpi::within_target, "within_target", "count", none, "达标响应数", "Responded within target",
     "responded incidents whose response time ≤ their type's target", "",
     "responded incidents within their type's target", "响应时间不超过目标的已响应事件数", false, grid | hour},
    {Kpi::assists_given, "assists_given", "count", none, "支援邻格次数", "Assists given",
     "responded cases of other grids this grid's members reached first", "",
     "dispatch.mutual_aid only: cases of other grids this grid's members reached first", "本网格人员首先到场的邻格事件数",
     false, grid},
    {Kpi::assists_received, "assists_received", "count", none, "获邻格支援次数", "Assists received",
     "this grid's responded cases another grid's member reached first", "",
     "dispatch.mutual_aid only: this grid's cases another grid's member reached first", "由邻格人员首先到场的本网格事件数",
     false, grid},
    {Kpi::incidents_served, "incidents_served", "count", none, "处置事件数", "Incidents served",
     "incidents the responder worked on", "", "incidents the responder worked on", "该人员参与处置的事件数", false,
     responder},
    {Kpi::travel_min, "travel_min", "min", none, "往程时间", "Travel time", "time travelling to incidents", "",
     "minutes travelling to incidents in the statistics window", "统计期内前往事件现场的时间", false, responder},
    {Kpi::on_scene_min, "on_scene_min", "min", none, "现场时间", "On-scene time", "time on scene", "",
     "minutes on scene in the statistics window", "统计期内在现场的时间", false, responder},
    {Kpi::return_min, "return_min", "min", none, "返程时间", "Return time", "time travelling back to base", "",
     "minutes travelling back to base in the statistics window", "统计期内返回驻点的时间", false, responder},
    {Kpi::idle_min, "idle_min", "min", none, "空闲时间", "Idle time", "on-duty time not busy with incidents", "",
     "on-duty minutes not busy with incidents", "在岗但未处置事件的时间", false, responder},
    {Kpi::on_duty_min, "on_duty_min", "min", none, "在岗时间", "On-duty time", "time on duty in the window", "",
     "on-duty minutes in the statistics window", "统计期内的在岗时间", false, level | responder},
    {Kpi::busy_min, "busy_min", "min", none, "忙碌时间", "Busy time", "travel to, on scene and travel back", "",
     "busy minutes (travel to, on scene, travel back)", "忙碌时间（往程 + 现场 + 返程）", false, level},
    {Kpi::responders, "responders", "persons", none, "人员数", "Responders", "responders of the level", "",
     "responders whose team belongs to the level", "该层级的人员数", false, level},
});

// The enum and the table must stay in step: code names KPIs by enumerator, outputs by the entry's key.
constexpr bool entries_in_enum_order() {
  for (std::size_t i = 0; i < entries.size(); ++i)
    if (static_cast<std::size_t>(entries[i].id) != i) return false;
  return true;
}
static_assert(entries_in_enum_order(), "kpis.cpp: entries must follow the order of enum class Kpi");
static_assert(static_cast<std::size_t>(Kpi::responders) + 1 == entries.size(),
              "kpis.cpp: every Kpi enumerator needs an entry");

std::string scopes_text(unsigned scopes) {
  static const std::pair<unsigned, const char*> names[] = {
      {scope_run, "run"},   {scope_level, "level"}, {scope_type, "type"},         {scope_team, "team"},
      {scope_role, "role"}, {scope_grid, "grid"},   {scope_responder, "responder"}, {scope_hour, "hour"}};
  std::string text;
  for (const auto& [flag, name] : names)
    if ((scopes & flag) != 0) text += (text.empty() ? "" : ",") + std::string(name);
  return text;
}

}  // namespace

const std::vector<KpiInfo>& kpi_catalogue() {
  static const std::vector<KpiInfo> catalogue(entries.begin(), entries.end());
  return catalogue;
}

const KpiInfo& kpi_info(Kpi kpi) { return entries[static_cast<std::size_t>(kpi)]; }

std::string kpi_key(Kpi kpi) { return std::string(kpi_info(kpi).key); }

KpiKey split_kpi_key(std::string_view key) {
  const std::size_t at = key.find('@');
  if (at == std::string_view::npos) return {key, {}};
  return {key.substr(0, at), key.substr(at + 1)};
}

const char* renamed_kpi(const std::string& old_key) {
  if (old_key == "valid_report_rate") return "reported_share_of_closed";
  if (old_key == "missed_report_rate") return "public_first_rate";
  return nullptr;
}

const KpiInfo* find_kpi(std::string_view key) {
  const std::string_view base = split_kpi_key(key).base;
  for (const KpiInfo& info : entries)
    if (info.key == base) return &info;
  return nullptr;
}

std::string_view to_string(Direction direction) {
  switch (direction) {
    case Direction::higher_is_better: return "higher";
    case Direction::lower_is_better: return "lower";
    case Direction::neither: return "neither";
  }
  return "neither";
}

std::string catalogue_text() {
  std::ostringstream out;
  out << "key\tunit\tbetter\theadline\tscopes\tzh\ten\tdefinition\n";
  for (const KpiInfo& info : entries)
    out << info.key << '\t' << info.unit << '\t' << to_string(info.direction) << '\t' << (info.headline ? "yes" : "no")
        << '\t' << scopes_text(info.scopes) << '\t' << info.zh_name << '\t' << info.en_name << '\t' << info.definition
        << '\n';
  return out.str();
}

std::string catalogue_json() {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const KpiInfo& info : entries) {
    nlohmann::ordered_json scopes = nlohmann::ordered_json::array();
    const std::string text = scopes_text(info.scopes);
    for (std::size_t start = 0; start < text.size();) {
      const std::size_t comma = std::min(text.find(',', start), text.size());
      scopes.push_back(text.substr(start, comma - start));
      start = comma + 1;
    }
    list.push_back({{"key", info.key},
                    {"unit", info.unit},
                    {"direction", to_string(info.direction)},
                    {"zh_name", info.zh_name},
                    {"en_name", info.en_name},
                    {"numerator", info.numerator},
                    {"denominator", info.denominator},
                    {"definition", info.definition},
                    {"zh_definition", info.zh_definition},
                    {"headline", info.headline},
                    {"scopes", scopes}});
  }
  return list.dump(2) + "\n";
}

std::string catalogue_markdown() {
  std::ostringstream out;
  out << "| KPI | 名称 / name | unit | better | numerator | denominator | where |\n";
  out << "|---|---|---|---|---|---|---|\n";
  for (const KpiInfo& info : entries) {
    out << "| `" << info.key << "`" << (info.headline ? " ★" : "") << " | " << info.zh_name << " / " << info.en_name
        << " | " << info.unit << " | " << to_string(info.direction) << " | " << info.numerator << " | "
        << (info.denominator.empty() ? "—" : info.denominator) << " | " << scopes_text(info.scopes) << " |\n";
  }
  return out.str();
}

}  // namespace civicgrid::metrics
