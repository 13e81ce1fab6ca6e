// Words of the HTML report in Chinese and English: interface strings, KPI names as planners know them (结案率,
// 按期结案率, 有效上报率, 响应达标率 ...), their descriptions, units and level names. Scenario strings (names of the
// scenario, teams, incident types) are never translated; they are shown as written, escaped.
#pragma once

#include <string>
#include <vector>

namespace civicgrid::report::i18n {

enum class Lang { zh, en };

// "zh" or "en"; anything else throws std::invalid_argument naming the accepted values.
Lang parse_lang(const std::string& lang);
const char* lang_code(Lang lang);        // "zh" / "en"
const char* html_lang(Lang lang);        // "zh-CN" / "en"

// An interface string by key (e.g. "section.summary"). An unknown key throws std::out_of_range, so a typo in
// the report code fails its tests instead of printing the key.
const std::string& text(Lang lang, const std::string& key);
// Every interface key whose name starts with `prefix` ("js." = the strings the page script needs), in key order.
std::vector<std::pair<std::string, std::string>> texts_with_prefix(Lang lang, const std::string& prefix);

// A KPI's display name and one-line description; a KPI the table does not know keeps its name and gets an
// empty description. Breakdowns "<kpi>@<type or team>" (summary.json) get the KPI's words with the type or team
// name attached as written: "响应达标率（dispute）" / "Within-target response rate (dispute)".
std::string kpi_name(Lang lang, const std::string& kpi);
std::string kpi_description(Lang lang, const std::string& kpi);
bool kpi_known(const std::string& kpi);
// "<kpi>@<type or team>"
bool kpi_is_breakdown(const std::string& kpi);

// A unit as written in summary.json ("min", "share", "count", "per h", ...) for people: "分钟" / "min",
// "%" for shares (values are shown as percentages). Unknown units are returned unchanged.
std::string unit_name(Lang lang, const std::string& unit);

// "grid" -> "网格" / "grid", "community" -> "社区" / "community", "town" -> "街道（镇）" / "town", "city" -> "市" / "city".
std::string level_name(Lang lang, const std::string& level);

}  // namespace civicgrid::report::i18n
