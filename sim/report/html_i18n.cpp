// The report's two vocabularies. Every string a reader sees comes from here or from the scenario.
#include "report/html_i18n.hpp"

#include "metrics/kpis.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace civicgrid::report::i18n {
namespace {

struct Entry {
  const char* key;
  const char* zh;
  const char* en;
};

// Interface strings. Keys starting with "js." are handed to the page script (chart axes, tooltips, legends).
const Entry interface_entries[] = {
    {"doc.heading", "网格化管理运行评估报告", "Grid management run report"},
    {"doc.title_suffix", "运行评估报告", "run report"},
    {"doc.appendix", "附录：以下各节是前两页结论所依据的明细。", "Appendix: the sections below are the details behind the first two pages."},
    {"doc.scenario", "场景", "Scenario"},
    {"doc.replications", "重复实验", "Replications"},
    {"doc.started", "运行时间 (UTC)", "Run started (UTC)"},
    {"doc.version", "版本", "Version"},
    {"doc.generated", "本报告由结果文件夹中的数据文件生成，离线可读，可打印为 A4。",
     "Generated from the data files of the result folder; reads offline and prints on A4."},
    {"doc.noscript", "图表需要启用 JavaScript；各表格与数据不受影响。",
     "The charts need JavaScript; the tables and the data do not."},
    {"doc.contents", "目录", "Contents"},

    {"section.summary", "执行摘要", "Executive summary"},
    {"section.kpis", "指标总表", "Key performance indicators"},
    {"section.types", "分类型响应情况", "Response by incident type"},
    {"section.response", "响应时间分布", "Response-time distribution"},
    {"section.map", "网格地图", "Map of the grids"},
    {"section.teams", "团队利用率", "Team utilisation"},
    {"section.method", "数据来源与方法", "How this was obtained"},

    {"summary.intro", "下列核心指标为 {n} 次重复实验的均值及 95% 置信区间，并与评价标准逐项对照。",
     "Headline KPIs: mean over {n} replications with the 95% confidence interval, each against its standard."},
    {"summary.verdict", "{total} 项核心指标中 {pass} 项达标。", "{pass} of {total} headline KPIs meet their standard."},
    {"summary.uncertain", "其中 {k} 项的置信区间跨越标准值，结论需要更多重复实验确认。",
     "For {k} of them the confidence interval crosses the standard: more replications are needed to be sure."},
    {"card.ci", "95% 置信区间", "95% CI"},
    {"card.target", "标准", "Standard"},
    {"card.pass", "达标", "Pass"},
    {"card.fail", "未达标", "Fail"},
    {"card.no_target", "无可比标准", "No standard to compare"},
    {"card.straddles", "按 95% 单侧置信界判断结论相反", "the 95% one-sided bound judges otherwise"},
    {"card.origin", "标准来源", "standard from"},
    {"card.weighted", "按事件构成加权的响应目标", "response target weighted by the incident mix"},

    {"table.kpi", "指标", "KPI"},
    {"table.field", "字段", "Field"},
    {"table.mean", "均值", "Mean"},
    {"table.ci", "95% 置信区间", "95% CI"},
    {"table.n", "n", "n"},
    {"table.unit", "单位", "Unit"},
    {"table.description", "说明", "Definition"},
    {"kpis.breakdown", "分事件类型、团队与层级指标", "By incident type, team and level"},
    {"kpis.note",
     "均值与 95% 置信区间按重复实验计算（学生 t 分布）；标 * 者由本报告根据数据文件推算。",
     "Means and 95% confidence intervals over replications (Student t); * marks KPIs the report derives from the "
     "data files."},

    {"types.type", "事件类型", "Incident type"},
    {"types.target", "响应目标", "Response target"},
    {"types.incidents", "事件数/次实验", "Incidents per replication"},
    {"types.within", "响应达标率", "Within target"},
    {"types.mean", "平均响应", "Mean response"},
    {"types.p90", "90 分位响应", "90th percentile response"},
    {"types.closed", "结案率", "Closure rate"},
    {"week.title", "分星期、分时段响应达标率（%）", "Within-target rate by weekday and hour (%)"},
    {"week.note", "取自 hours.csv：按事件知悉时刻的星期与小时汇总全部重复实验；低于标准的格子标红；“–”表示该时段无已响应事件。",
     "From hours.csv: by the weekday and hour incidents became known, pooled over replications; cells below the "
     "standard are marked; – means no responded incident then."},
    {"week.day0", "周一", "Mon"}, {"week.day1", "周二", "Tue"}, {"week.day2", "周三", "Wed"}, {"week.day3", "周四", "Thu"},
    {"week.day4", "周五", "Fri"}, {"week.day5", "周六", "Sat"}, {"week.day6", "周日", "Sun"},
    {"types.note", "取自 summary.json 的分类型指标：各次重复实验的均值（与指标总表相同的估计量），不含预热期；结案率 = 结案数 / 已知事件数。",
     "From summary.json's per-type KPIs: means over the replications (the KPI list's estimator), warm-up "
     "excluded; closure rate = closed / known cases, as in the headline."},
    {"types.missing", "结果目录中没有事件类型信息（scenario.resolved.yaml 缺失），无分类型统计。",
     "The result folder names no incident types (no scenario.resolved.yaml): no statistics by type."},

    {"response.note",
     "全部重复实验中已响应事件的响应时间（到场时间 − 知悉时间）累计分布，每个事件类型一幅小图，另有全部类型合计；横轴为对数刻度（分钟），"
     "各点为 responses.csv 的分箱上界，红色虚线为该类型的响应目标，其处的累计占比即响应达标率。",
     "Cumulative distribution of the response time (on scene − known) of the responded incidents of all "
     "replications: one small panel per incident type, and one for all types; the x axis is logarithmic (min), the "
     "points are the bin edges of responses.csv, and the red dashed line is the type's response target, where the "
     "cumulative share is its within-target rate."},
    {"response.missing", "结果目录中没有 responses.csv，或没有已响应事件，无法绘制分布。",
     "No responses.csv in the result folder, or no incident was responded: no distribution to show."},

    {"map.note",
     "每个方格为一个网格；细线为社区边界，粗线为街道（镇）边界。数值为各次重复实验的平均值（grid_summary.csv，悬停可见 95% 置信区间）；灰色表示无数据（如无已响应事件）。",
     "Each square is a grid; thin lines are community boundaries, thick lines town boundaries. Values are means "
     "over the replications (grid_summary.csv; hover for the 95 % CI); grey means no value (e.g. nothing "
     "responded)."},
    {"map.select", "着色指标", "Colour by"},
    {"map.metric.within_target_rate", "响应达标率", "Within-target response rate"},
    {"map.metric.response_min_mean", "平均响应时间", "Mean response time"},
    {"map.metric.static_coverage_rate", "静态覆盖率（驻点可达居民比例）", "Static coverage (residents within reach of a base)"},
    {"map.metric.dynamic_coverage_rate", "动态覆盖率（空闲在岗人员可达居民比例）",
     "Dynamic coverage (residents within reach of an idle member on duty)"},
    {"map.metric.visit_coverage_rate", "入户覆盖率（统计期内至少走访一次的户数比例）",
     "Household visit coverage (households visited at least once in the window)"},
    {"map.metric.incidents", "事件数（每次实验平均）", "Incidents per replication"},
    {"map.metric.residents", "常住人口", "Residents"},
    {"map.note_geo",
     "每个多边形为一个网格（场景 GeoJSON 的投影坐标，上北；滚轮缩放，拖动平移）；细线为社区边界，粗线为街道（镇）边界。"
     "数值为各次重复实验的平均值（grid_summary.csv）；灰色表示无数据（如无已响应事件）。",
     "Each shape is a grid (the scenario's GeoJSON in projected metres, north up; scroll to zoom, drag to pan); "
     "thin lines are community boundaries, thick lines town boundaries. Values are means over the replications "
     "(grid_summary.csv); grey means no value (e.g. nothing responded)."},
    {"map.kind.urban", "城镇", "urban"},
    {"map.kind.rural", "农村", "rural"},
    {"map.missing", "缺少网格布局（scenario.resolved.yaml 中的矩形 layout 或 layout.geojson）或 grids.csv，无法绘制地图。",
     "No grid layout (a rectangular layout in scenario.resolved.yaml, or layout.geojson) or no grids.csv: no map to show."},

    {"teams.note", "利用率 =（往程 + 现场处置 + 返程）/ 在岗时间。柱为团队总体，点为各成员（重复实验平均），虚线为利用率上限。",
     "Utilisation = (travel to + on scene + travel back) / on-duty time. Bars: the team as a whole; dots: each "
     "responder (mean over replications); dashed line: the utilisation ceiling."},
    {"teams.team", "团队", "Team"},
    {"teams.level", "层级", "Level"},
    {"teams.responders", "人数", "Responders"},
    {"teams.util", "利用率", "Utilisation"},
    {"teams.min", "成员最低", "Lowest responder"},
    {"teams.max", "成员最高", "Highest responder"},
    {"teams.served", "人均处置事件/次实验", "Incidents per responder per replication"},
    {"teams.missing", "缺少 teams.csv，无法统计团队利用率。", "No teams.csv: no utilisation to show."},

    {"method.intro",
     "本报告完全由结果文件夹中的数据文件生成；用 civicgrid report DIR 可随时重新生成，无需重新运行仿真。",
     "This report is built only from the data files of the result folder; `civicgrid report DIR` regenerates it "
     "without re-running the simulation."},
    {"method.scenario", "场景名称", "Scenario"},
    {"method.description", "场景说明", "Description"},
    {"method.scenario_file", "场景文件", "Scenario file"},
    {"method.model", "管理模型", "Management model"},
    {"method.source_files", "输入文件", "Input files"},
    {"method.replications", "重复实验次数", "Replications"},
    {"method.seed", "主随机种子", "Master seed"},
    {"method.rep_seeds", "各次实验种子", "Seeds of the replications"},
    {"method.horizon", "仿真时长（每次实验）", "Simulated time per replication"},
    {"method.warmup", "预热期（不计入统计）", "Warm-up (not counted)"},
    {"method.version", "civicgrid 版本", "civicgrid version"},
    {"method.git", "Git 修订", "Git revision"},
    {"method.wall", "运行耗时", "Wall time"},
    {"method.jobs", "并行进程数", "Parallel processes"},
    {"method.started", "开始时间 (UTC)", "Started (UTC)"},
    {"method.command", "命令行", "Command line"},
    {"method.standards", "评价标准", "Standards"},
    {"method.standards_note",
     "达标判断取自 summary.json 的结论（metrics/standards.hpp）：标记按均值对照下列标准；按 95% 单侧置信界判断结论相反时另作提示。"
     "标准来自情景文件的 standards:，未设时为文档所列默认值。",
     "The verdict is summary.json's (metrics/standards.hpp): the mark judges the mean against the standards below; a "
     "flag shows where the 95% one-sided confidence bound judges otherwise. Standards come from the scenario's "
     "standards:, else the documented defaults."},
    {"method.ci", "置信区间", "Confidence intervals"},
    {"method.ci_text", "95% 置信区间 = 均值 ± t(0.975, n−1) · s / √n，n 为重复实验次数，s 为各次实验间的标准差。",
     "95% CI = mean ± t(0.975, n−1) · s / √n over the n replications, s their standard deviation."},
    {"method.resolved", "完整参数（scenario.resolved.yaml）", "Resolved parameters (scenario.resolved.yaml)"},
    {"method.files", "数据文件", "Data files"},
    {"method.not_recorded", "未记录", "not recorded"},
    {"method.missing_file", "缺失", "missing"},

    {"hours.title", "分时段响应达标率", "Within-target rate by hour of day"},
    {"hours.note",
     "按知悉时间所在的小时（0–23 时）汇总全部重复实验的已响应事件；未响应的事件不计，与响应达标率口径一致。虚线为达标标准。",
     "Responded incidents of all replications by the hour of day they became known (0–23 h); incidents never "
     "responded to are left out, as in the within-target rate. Dashed line: the standard."},
    {"hours.missing", "结果目录中没有 hours.csv（或无已响应事件），无法按时段统计。",
     "No hours.csv in the result folder (or nothing responded): no figures by hour of day."},
    {"section.flow", "事件积压与提级流向", "Backlog and escalation"},
    {"backlog.title", "积压事件随时间变化", "Backlog over time"},
    {"backlog.note",
     "取自 backlog.csv：每个采样时点（coverage.sample_every）已知但尚未结案的事件数，重复实验平均；包括预热期内发生、仍未结案的事件。",
     "From backlog.csv: cases known and not yet closed at each sample time (coverage.sample_every), averaged over "
     "replications, including those that occurred during the warm-up and are still open."},
    {"backlog.missing", "结果目录中没有 backlog.csv，无法绘制积压曲线。",
     "No backlog.csv in the result folder: no backlog curve to show."},
    {"flow.title", "层级间提级流向", "Escalation flow between levels"},
    {"flow.note",
     "每次重复实验平均的事件流：由某一层级转至上一有人员的层级，或在该层级结案（数据取自 levels.csv）。上转分两类："
     "提级（本级处置不了：处置未果、超时或在岗人员均忙）与无人在岗转上级（本级负责该地的人员均不在岗，属路由而非提级）；"
     "提级率只计前者。",
     "Incidents per replication passed from a level to the next staffed level above, or closed at a level (from "
     "levels.csv). A move up is either an escalation (the level could not settle it: handling failed, it waited "
     "too long, or everyone on duty was busy) or off-hours routing (nobody of the level who answers for the place "
     "was on duty: routing, not escalation); the escalation rate counts only the first."},
    {"flow.none", "本次运行没有提级事件：每个事件都在其起始层级处置。",
     "No incident was escalated in this run: each was handled at the level it started at."},
    {"flow.missing", "缺少 levels.csv，无法绘制提级流向。", "No levels.csv: no escalation flow to show."},
    {"flow.closed_at", "{level}结案", "closed at {level}"},
    {"flow.closed", "结案数/次实验", "Closed per replication"},
    {"flow.escalated", "提级数/次实验", "Escalations per replication"},
    {"flow.routed", "无人在岗转上级数/次实验", "Routed off-hours per replication"},

    {"doc.folder", "结果文件夹", "Result folder"},
    {"experiment.variant", "方案", "Variant"},
    {"experiment.regenerate",
     "本报告完全由文件夹顶层文件及 variants/ 下各方案的结果文件生成；用 civicgrid report DIR 可随时重新生成。",
     "Built only from the files at the top of the folder and the variants' result folders under variants/; "
     "`civicgrid report DIR` regenerates it."},
    {"experiment.method_intro",
     "本报告完全由结果文件夹中的文件生成：顶层结果文件，以及 variants/ 下各方案的 manifest.json、runs.csv 与 "
     "scenario.resolved.yaml；用 civicgrid report DIR 可随时重新生成，无需重新运行仿真。",
     "This report is built only from the files of the result folder: the file at its top, and the variants' "
     "manifest.json, runs.csv and scenario.resolved.yaml under variants/; `civicgrid report DIR` regenerates it "
     "without re-running anything."},
    {"experiment.no_manifest", "variants/ 下没有可读的 manifest.json：版本、种子与命令行未记录。",
     "No readable manifest.json under variants/: version, seeds and command line are not recorded."},
    {"experiment.some_manifests", "{total} 个方案中有 {found} 个带有 manifest.json；下列信息取自这些方案。",
     "{found} of {total} variants have a manifest.json; the facts below come from those."},
    {"experiment.plan_file.sweep", "扫描文件", "Sweep file"},
    {"experiment.plan_file.search", "搜索文件", "Search file"},
    {"experiment.plan_file.compare", "对比的场景文件", "Compared scenario files"},
    {"experiment.base", "基础场景", "Base scenario"},
    {"experiment.no_path", "文件路径未记录", "file not recorded"},
    {"experiment.varied", "变化的参数及取值", "Varied paths and their values"},
    {"experiment.overrides", "命令行覆盖（--set）", "Overrides (--set)"},
    {"experiment.replications", "每个方案的重复实验次数", "Replications per variant"},
    {"experiment.seeds", "主随机种子", "Master seed"},
    {"experiment.seeds_same", "各方案相同：公共随机数", "the same in every variant: common random numbers"},
    {"experiment.runs", "运行次数", "Runs"},
    {"experiment.runs_text", "共 {total} 次运行，{variants} 个方案。", "{total} runs of {variants} variants."},
    {"experiment.variants_text", "共 {variants} 个方案。", "{variants} variants."},
    {"experiment.no_wall_time", "未记录（由各次运行汇总而成的方案不记录耗时）",
     "not recorded (variants assembled from runs record none)"},
    {"experiment.paired_ci_text",
     "配对差值：各方案的第 r 次重复实验使用相同的随机数流，差值按重复实验配对计算，其 95% 置信区间 = 差值均值 ± "
     "t(0.975, n−1) · s_d / √n，s_d 为各次实验差值的标准差。",
     "Paired differences: replication r of every variant uses the same random streams, so differences are taken "
     "replication by replication; their 95% CI = mean difference ± t(0.975, n−1) · s_d / √n, s_d the standard "
     "deviation of the differences."},
    {"experiment.resolved", "基础方案的完整参数", "Resolved parameters of the base variant"},
    {"experiment.resolved_show", "展开 {file}", "Show {file}"},
    {"experiment.resolved_missing", "缺少 {file}，无法显示完整参数。", "{file} is missing: no resolved parameters to show."},

    {"sweep.heading", "参数扫描评估报告", "Parameter sweep report"},
    {"sweep.title_suffix", "参数扫描报告", "sweep report"},
    {"sweep.variants", "方案数", "Variants"},
    {"sweep.summary", "结论", "Conclusion"},
    {"sweep.cheapest", "人员最少的可行方案：{variant}（{values}），共 {staff} 人。",
     "Cheapest feasible variant: {variant} ({values}) with {staff} staff."},
    {"sweep.none_feasible", "没有方案的全部核心指标达标。", "No variant meets every headline standard."},
    {"sweep.feasible_rule",
     "可行 = 该方案满足其全部标准（按均值判断，与 sweep.csv 的 variant_by_mean 一致；按置信界的结论见 "
     "variant_by_bound）；人员数相同时取编号最小者。",
     "Feasible = the variant meets all its standards by the mean, as sweep.csv's variant_by_mean says (the "
     "verdict by the one-sided bound is variant_by_bound); among equal staff the lowest variant number wins."},
    {"sweep.charts", "指标随参数变化", "KPIs against the swept parameters"},
    {"sweep.charts_note",
     "每个参数一幅图（同步变化的参数合为一幅）；折线为均值，阴影带为 95% 置信区间，每条线固定其余参数；虚线为标准，◆ 为人员最少的可行方案。",
     "One chart per parameter (parameters that move together share one); lines are means, bands 95% confidence "
     "intervals, one line per setting of the other parameters; dashed line: the standard; ◆: the cheapest "
     "feasible variant."},
    {"sweep.select", "指标", "KPI"},
    {"sweep.table", "方案一览", "Variants"},
    {"sweep.table_note", "每格为均值及 95% 置信区间；✓/✗ 为对照标准的结果；★ 为人员最少的可行方案。点击方案编号打开其运行报告。",
     "Each cell: mean and 95% CI; ✓/✗ against the standard; ★ the cheapest feasible variant. A variant's label "
     "opens its run report."},
    {"sweep.feasible", "可行", "Feasible"},
    {"sweep.yes", "是", "yes"},
    {"sweep.no", "否", "no"},
    {"sweep.unknown", "未知（缺少方案结果）", "unknown (no variant folder)"},
    {"sweep.paired", "与首个方案的配对差值", "Paired differences against the first variant"},
    {"sweep.paired_note",
     "核心指标的差值 = 方案 − {first}，按重复实验配对（公共随机数），下方为配对 95% 置信区间；加粗并标 * 者为显著差异（置信区间不含 0）。比例类指标的差值以百分点（pp）表示。数据取自 paired.csv。",
     "Headline KPIs: difference = variant − {first}, paired by replication (common random numbers), with its "
     "paired 95% CI below; bold with * = significant (the CI excludes 0). Shares differ in percentage points (pp). "
     "From paired.csv."},
    {"sweep.paired_missing", "此文件夹没有 paired.csv（较早版本的扫描不写出该文件），因此省略配对差值。",
     "This folder has no paired.csv (sweeps of earlier versions did not write it): no paired differences to show."},
    {"sweep.paired_none", "paired.csv 中没有核心指标的差值。", "paired.csv holds no difference for a headline KPI."},

    {"compare.heading", "方案对比评估报告", "Comparison report"},
    {"compare.title_suffix", "方案对比报告", "comparison report"},
    {"compare.baseline", "基准方案", "Baseline"},
    {"compare.is_baseline", "基准", "baseline"},
    {"compare.plans", "参与比较的方案及其主要差异", "The plans and what differs between them"},
    {"compare.headline", "核心指标对比", "Headline KPIs side by side"},
    {"compare.intro",
     "各方案使用相同的随机种子与重复实验次数（公共随机数），差值按重复实验配对计算。点为均值（未达标者为红色），误差线为 95% 置信区间，虚线为标准；纵轴按数据范围缩放。",
     "The variants share the seed and the replications (common random numbers), so differences are paired by "
     "replication. Points: means (red when short of the standard); error bars: 95% confidence intervals; dashed "
     "line: the standard; the vertical axis is fitted to the values."},
    {"compare.no_headline", "对比结果中没有核心指标。", "The comparison has no headline KPI."},
    {"compare.table", "指标对比表", "KPI table"},
    {"compare.table_note",
     "每格为均值及 95% 置信区间（✓/✗ 对照标准）；差值 = 方案 − 基准，配对 95% 置信区间在下方；加粗并标 * 者为显著差异（置信区间不含 0）。",
     "Each cell: mean and 95% CI (✓/✗ against the standard); difference = variant − baseline with its paired 95% "
     "CI below; bold with * = significant (the CI excludes 0)."},
    {"compare.table_note_holm",
     "每格为均值及 95% 置信区间（✓/✗ 对照标准）；差值 = 方案 − 基准，配对 95% 置信区间在下方；加粗并标 * 者为显著差异："
     "对每项指标的全部方案两两配对 t 检验，经 Holm 校正后 p < 0.05（见 pairs.csv）。",
     "Each cell: mean and 95% CI (✓/✗ against the standard); difference = variant − baseline with its paired 95% "
     "CI below; bold with * = significant: the paired t test's p-value, Holm-adjusted over all pairs of plans on "
     "that KPI, is below 0.05 (pairs.csv has every pair)."},
    {"compare.differences", "方案差异", "What differs between the plans"},
    {"compare.no_differences", "各方案在人员、派单策略、升级方式与走访安排上相同。",
     "The plans have the same staff, dispatch policy, escalation mode and visit programmes."},
    {"compare.aspect", "项目", "Aspect"},
    {"compare.diff", "差值", "Difference"},

    {"search.heading", "人员配置搜索报告", "Staffing search report"},
    {"search.title_suffix", "配置搜索报告", "search report"},
    {"search.kpi", "目标指标", "Target KPI"},
    {"search.runs_total", "运行次数", "Runs"},
    {"search.summary", "推荐方案", "Recommendation"},
    {"search.goal", "目标：{kpi} {target}（{confidence} 置信水平的单侧置信界），人员尽量少。",
     "Goal: {kpi} {target} at {confidence} one-sided confidence, with as few staff as possible."},
    {"search.recommended",
     "推荐方案 {variant}（{values}），共 {staff} 人：{kpi} 均值 {mean}（95% 置信区间 {ci}），{confidence} 单侧置信界 {bound}，满足目标 {target}。",
     "Recommended plan: {variant} ({values}) with {staff} staff: {kpi} {mean} (95% CI {ci}); its {confidence} "
     "one-sided confidence bound {bound} meets the target {target}."},
    {"search.none", "没有方案在 {confidence} 置信水平下达到目标 {target}。",
     "No plan meets the target {target} at {confidence} confidence."},
    {"search.open_variant", "打开该方案的运行报告", "Open its run report"},
    {"search.runs", "共 {total} 次运行：复用 {reused} 次，新运行 {ran} 次。",
     "{total} runs: {reused} reused, {ran} run now."},
    {"search.frontier", "人员—指标前沿", "Staff versus KPI frontier"},
    {"search.frontier_note",
     "每点为一个已评估的方案：横轴为人员数，纵轴为指标均值及 95% 置信区间；实心绿点为可行方案（{confidence} 单侧置信界满足目标），红色空心点不可行；虚线为目标，★ 为推荐方案。",
     "Each point is an evaluated plan: staff across, the KPI's mean with its 95% CI up; filled green points are "
     "feasible (the {confidence} one-sided bound meets the target), hollow red ones are not; dashed line: the "
     "target; ★: the recommended plan."},
    {"search.no_frontier", "search.json 中没有已评估的方案。", "search.json lists no evaluated plan."},
    {"search.bound", "{confidence} 单侧置信界", "{confidence} one-sided bound"},
    {"search.feasible", "可行", "Feasible"},
    {"search.method", "搜索方法", "Search method"},
    {"search.method_bisection",
     "二分搜索：在唯一变化参数的有序候选值中二分，找出单侧置信界满足目标的最小取值（假定指标随人员增加而改善）。",
     "Bisection over the ordered candidate values of the one varied path: the least value whose one-sided bound "
     "meets the target (the KPI is taken to improve with staff)."},
    {"search.method_greedy",
     "贪心边际分配：从最小方案出发，每步选择每增加一人指标改善最大的一档，直到满足目标。",
     "Greedy marginal allocation: from the smallest plan, repeatedly take the step with the best KPI gain per "
     "added person, until the target holds."},
    {"search.confidence", "置信水平", "Confidence"},
    {"search.bound_rule", "可行判据", "Feasibility rule"},
    {"search.bound_lower", "单侧置信下界 = 均值 − t({q}, n−1) · s / √n，须满足目标 {target}（n 为重复实验次数，s 为标准差）。",
     "one-sided lower bound = mean − t({q}, n−1) · s / √n must meet the target {target} (n replications, s their "
     "standard deviation)."},
    {"search.bound_upper", "单侧置信上界 = 均值 + t({q}, n−1) · s / √n，须满足目标 {target}（n 为重复实验次数，s 为标准差）。",
     "one-sided upper bound = mean + t({q}, n−1) · s / √n must meet the target {target} (n replications, s their "
     "standard deviation)."},

    {"unit.s", "秒", "s"},

    {"js.share", "占已响应事件比例", "Share of responded incidents"},
    {"js.cumulative", "累计占比", "Cumulative share"},
    {"js.response_axis", "响应时间（分钟）", "Response time (min)"},
    {"js.target", "目标", "Target"},
    {"js.save", "保存为图片", "Save as image"},
    {"js.x_km", "东西（公里）", "x (km)"},
    {"js.y_km", "南北（公里）", "y (km)"},
    {"js.grid", "网格", "Grid"},
    {"js.community", "社区", "Community"},
    {"js.town", "街道（镇）", "Town"},
    {"js.no_data", "无数据", "no data"},
    {"js.utilisation", "利用率", "Utilisation"},
    {"js.team", "团队总体", "Team as a whole"},
    {"js.responder", "成员", "Responder"},
    {"js.ceiling", "利用率上限", "Utilisation ceiling"},
    {"js.min", "分钟", "min"},
    {"js.staff", "人员数", "Staff"},
    {"js.feasible", "可行", "Feasible"},
    {"js.infeasible", "不可行", "Not feasible"},
    {"js.recommended", "推荐方案", "Recommended"},
    {"js.cheapest", "人员最少的可行方案", "Cheapest feasible"},
    {"js.ci", "95% 置信区间", "95% CI"},
    {"js.mean", "均值", "Mean"},
    {"js.bound", "单侧置信界", "One-sided bound"},
    {"js.variant", "方案", "Variant"},
    {"js.hour", "知悉时刻（时）", "Hour of day known"},
    {"js.within", "响应达标率", "Within-target rate"},
    {"js.standard", "标准", "Standard"},
    {"js.responded", "已响应事件", "Responded incidents"},
    {"js.time_h", "仿真时间（小时）", "Simulated time (h)"},
    {"js.backlog", "积压事件数", "Open incidents"},
    {"js.per_rep", "次/实验", "per replication"},
    {"js.all_types", "全部类型", "All types"},
    {"js.escalated", "提级（本级处置不了）", "Escalated (the level could not settle it)"},
    {"js.routed_off_hours", "无人在岗转上级", "Routed up: nobody on duty"},
};



struct UnitEntry {
  const char* unit;
  const char* zh;
  const char* en;
};

const UnitEntry unit_entries[] = {
    {"min", "分钟", "min"}, {"s", "秒", "s"},       {"h", "小时", "h"},          {"d", "天", "d"},
    {"share", "%", "%"},    {"count", "件", "count"}, {"per h", "件/小时", "per h"}, {"per d", "件/天", "per d"},
    {"m", "米", "m"},       {"km", "公里", "km"},      {"residents", "人", "residents"},
    {"persons", "人", "persons"}, {"per 30 d", "次/30天", "per 30 d"},
};

const UnitEntry level_entries[] = {
    {"grid", "网格", "grid"}, {"community", "社区", "community"}, {"town", "街道（镇）", "town"}, {"city", "市", "city"}};

const char* pick(Lang lang, const char* zh, const char* en) { return lang == Lang::zh ? zh : en; }

const std::map<std::string, std::pair<std::string, std::string>>& interface_table() {
  static const auto table = [] {
    std::map<std::string, std::pair<std::string, std::string>> built;
    for (const Entry& entry : interface_entries) built[entry.key] = {entry.zh, entry.en};
    return built;
  }();
  return table;
}


}  // namespace

Lang parse_lang(const std::string& lang) {
  if (lang == "zh") return Lang::zh;
  if (lang == "en") return Lang::en;
  throw std::invalid_argument("report language '" + lang + "' is not supported (use zh or en)");
}

const char* lang_code(Lang lang) { return pick(lang, "zh", "en"); }
const char* html_lang(Lang lang) { return pick(lang, "zh-CN", "en"); }

const std::string& text(Lang lang, const std::string& key) {
  const auto& table = interface_table();
  const auto found = table.find(key);
  if (found == table.end()) throw std::out_of_range("report text '" + key + "' is not defined");
  return lang == Lang::zh ? found->second.first : found->second.second;
}

std::vector<std::pair<std::string, std::string>> texts_with_prefix(Lang lang, const std::string& prefix) {
  std::vector<std::pair<std::string, std::string>> selected;
  for (const auto& [key, words] : interface_table())
    if (key.compare(0, prefix.size(), prefix) == 0) selected.emplace_back(key, lang == Lang::zh ? words.first : words.second);
  return selected;
}

// Per-level KPIs are "<kpi>@level:<level>" (levels.csv, metrics/observer.cpp).
const std::string level_breakdown_prefix = "level:";
const std::string role_breakdown_prefix = "role:";

std::string kpi_name(Lang lang, const std::string& kpi) {
  const std::size_t at = kpi.find('@');
  if (at != std::string::npos) {
    const std::string base = kpi.substr(0, at);
    if (metrics::find_kpi(base) == nullptr) return kpi;
    std::string subject = kpi.substr(at + 1);
    if (subject.rfind(role_breakdown_prefix, 0) == 0) subject = subject.substr(role_breakdown_prefix.size());
    if (subject.rfind(level_breakdown_prefix, 0) == 0) {
      static const std::map<std::string, std::pair<std::string, std::string>> levels = {
          {"grid", {"网格层", "grid level"}}, {"community", {"社区层", "community level"}},
          {"town", {"街道（镇）层", "town level"}}, {"city", {"市级", "city level"}}};
      const auto it = levels.find(subject.substr(level_breakdown_prefix.size()));
      if (it != levels.end()) subject = pick(lang, it->second.first.c_str(), it->second.second.c_str());
    }
    return kpi_name(lang, base) + pick(lang, "（", " (") + subject + pick(lang, "）", ")");
  }
  const metrics::KpiInfo* entry = metrics::find_kpi(kpi);
  return entry != nullptr ? std::string(lang == Lang::zh ? entry->zh_name : entry->en_name) : kpi;
}

std::string kpi_description(Lang lang, const std::string& kpi) {
  const std::size_t at = kpi.find('@');
  if (at != std::string::npos) {
    const std::string base = kpi.substr(0, at);
    if (metrics::find_kpi(base) == nullptr) return {};
    const bool team = base == "utilization";
    const bool level = kpi.compare(at + 1, level_breakdown_prefix.size(), level_breakdown_prefix) == 0;
    std::string text = kpi_description(lang, base);
    text += pick(lang, "；仅限", "; only ");
    if (level) return text + pick(lang, "层级 ", "cases at level ") + kpi.substr(at + 1 + level_breakdown_prefix.size());
    if (kpi.compare(at + 1, role_breakdown_prefix.size(), role_breakdown_prefix) == 0)
      return text + pick(lang, "角色 ", "role ") + kpi.substr(at + 1 + role_breakdown_prefix.size());
    text += team ? pick(lang, "团队 ", "team ") : pick(lang, "事件类型 ", "incidents of type ");
    text += kpi.substr(at + 1);
    return text;
  }
  const metrics::KpiInfo* entry = metrics::find_kpi(kpi);
  return entry != nullptr ? std::string(lang == Lang::zh ? entry->zh_definition : entry->definition) : std::string();
}

bool kpi_known(const std::string& kpi) { return metrics::find_kpi(kpi) != nullptr; }

bool kpi_is_breakdown(const std::string& kpi) { return kpi.find('@') != std::string::npos; }

std::string unit_name(Lang lang, const std::string& unit) {
  for (const UnitEntry& entry : unit_entries)
    if (unit == entry.unit) return pick(lang, entry.zh, entry.en);
  return unit;
}

std::string level_name(Lang lang, const std::string& level) {
  for (const UnitEntry& entry : level_entries)
    if (level == entry.unit) return pick(lang, entry.zh, entry.en);
  return level;
}

}  // namespace civicgrid::report::i18n
