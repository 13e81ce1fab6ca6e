// See column_labels.hpp. The table below names the columns of the result files that are not KPIs (writers.hpp,
// levels.cpp, experiment/sweep.cpp and search.cpp write them); KPI columns take the report's KPI names.
#include "report/column_labels.hpp"

namespace civicgrid::report {
namespace {

struct ColumnWords {
  const char* key;
  const char* zh;
  const char* en;
};

// Units go into the label as they are in the key (travel_min: minutes), so a reader needs no legend.
const ColumnWords column_words[] = {
    // summary sheet of the workbook (one row per KPI of summary.json)
    {"key", "指标键", "Key"},
    {"name_zh", "中文名称", "Chinese name"},
    {"name_en", "英文名称", "English name"},
    {"unit", "单位", "Unit"},
    {"mean", "均值", "Mean"},
    {"ci95_half_width", "95% 置信区间半宽", "95% CI half-width"},
    {"n", "重复实验次数", "Replications (n)"},
    // grids.csv, teams.csv, levels.csv
    {"replication", "重复实验序号", "Replication"},
    {"seed", "随机种子", "Seed"},
    {"grid", "网格序号", "Grid index"},
    {"grid_id", "网格", "Grid"},
    {"community_id", "社区", "Community"},
    {"town_id", "街道（镇）", "Town"},
    {"residents", "居民数", "Residents"},
    {"within_target", "响应达标事件数", "Responded within target"},
    {"assists_given", "支援邻格次数", "Assists given"},
    {"assists_received", "获邻格支援次数", "Assists received"},
    {"responder", "人员序号", "Responder"},
    {"team", "团队", "Team"},
    {"level", "层级", "Level"},
    {"type", "事件类型", "Incident type"},
    {"incidents_served", "处置事件数", "Incidents served"},
    {"travel_min", "往程时间（分钟）", "Travel time (min)"},
    {"on_scene_min", "现场处置时间（分钟）", "On-scene time (min)"},
    {"return_min", "返程时间（分钟）", "Return time (min)"},
    {"idle_min", "空闲时间（分钟）", "Idle time (min)"},
    {"on_duty_min", "在岗时间（分钟）", "On-duty time (min)"},
    {"busy_min", "忙碌时间（分钟）", "Busy time (min)"},
    {"responders", "人员数", "Responders"},
    {"escalations_from", "向上提级数", "Escalations from the level"},
    // sweep.csv, runs.csv, paired.csv, compare.csv, frontier.csv, search.json
    {"variant", "方案", "Variant"},
    {"scenario", "场景", "Scenario"},
    {"kpi", "指标", "KPI"},
    {"input_hash", "输入哈希", "Input hash"},
    {"overrides", "参数覆盖", "Overrides"},
    {"diff_vs_first", "与首个方案之差", "Difference vs the first variant"},
    {"diff_ci95_half_width", "差值 95% 置信区间半宽（配对）", "Difference 95% CI half-width (paired)"},
    {"diff_unpaired_ci95_half_width", "差值 95% 置信区间半宽（非配对）", "Difference 95% CI half-width (unpaired)"},
    {"significant", "差异显著", "Significant"},
    {"confidence_bound", "单侧置信界", "One-sided confidence bound"},
    {"target", "目标值", "Target"},
    {"feasible", "满足目标", "Feasible"},
    {"recommended", "推荐方案", "Recommended"},
    {"field", "字段", "Field"},
    {"value", "值", "Value"},
};

}  // namespace

std::string column_label(std::string_view key, i18n::Lang lang) {
  const std::string name(key);
  if (i18n::kpi_known(name)) return i18n::kpi_name(lang, name);
  for (const ColumnWords& words : column_words)
    if (key == words.key) return lang == i18n::Lang::zh ? words.zh : words.en;
  return name;
}

}  // namespace civicgrid::report
