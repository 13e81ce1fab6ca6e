// The reports of experiment folders (sweep, compare, search; html_report.hpp) and the one entry point that
// picks the right report for a folder. Each variant's own result folder (variants/vNNNN) is judged with the run
// report's data model, so "feasible" here means exactly what the run report's executive summary calls a pass.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <stdexcept>

#include "report/html_i18n.hpp"
#include "report/html_provenance.hpp"
#include "report/html_report.hpp"
#include "report/html_util.hpp"
#include "report/result_folder.hpp"

namespace civicgrid::report {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
using i18n::Lang;
using namespace detail;

// The KPIs the run report judges against standards, in the order of its executive summary.
const char* const headline_order[] = {"within_target_rate", "closure_rate",       "on_time_closure_rate",
                                      "reported_share_of_closed",  "response_min_mean",  "grid_coverage_rate",
                                      "utilization"};

Json js_text(Lang lang) {
  Json text = Json::object();
  for (const auto& [key, words] : i18n::texts_with_prefix(lang, "js.")) text[key.substr(3)] = words;
  return text;
}

// ------------------------------------------------------------------------------------------------ variants

// What the report needs from one variant's result folder.
struct VariantFacts {
  bool loaded = false;             // variants/<label>/summary.json was readable
  std::string scenario;
  std::string link;                // "variants/<label>/report.html" when that page exists
  double staff = nan;
  std::map<std::string, Json> kpis;    // key -> {mean, ci95_half_width, n, unit}, summary KPIs and derived ones
  std::map<std::string, Json> cards;   // headline KPI -> its card (standard, pass)
  Json standards = Json::array();
  int judged = 0, passed = 0;
  std::string verdict;             // summary.json's verdict by the mean: met, not_met, undefined ("" if none)
  std::string civicgrid_version, git_revision;
};

// Distinct responders of replication 0 in teams.csv: the plan's staff when summary.json has no `staff` KPI.
double staff_from_teams(const fs::path& teams_csv) {
  CsvReader csv(teams_csv);
  if (!csv.ok()) return nan;
  csv.require({"replication", "responder"});
  const int c_rep = csv.column("replication"), c_responder = csv.column("responder");
  std::set<std::string> responders;
  while (csv.next())
    if (csv.number(c_rep) == 0) responders.insert(csv.text(c_responder));
  return responders.empty() ? nan : static_cast<double>(responders.size());
}

VariantFacts variant_facts(const fs::path& experiment_dir, const std::string& label, Lang lang) {
  VariantFacts facts;
  const fs::path dir = experiment_dir / "variants" / label;
  if (!fs::exists(dir / "summary.json")) return facts;
  Json data;
  try {
    data = run_report_data(dir, i18n::lang_code(lang));
  } catch (const scenario::InputError&) {
    throw;   // a broken variant folder is a broken experiment folder: say which file
  } catch (const std::exception&) {
    return facts;
  }
  facts.loaded = true;
  facts.scenario = string_of(data["run"]["scenario"]);
  facts.civicgrid_version = string_of(data["run"]["civicgrid_version"]);
  facts.git_revision = string_of(data["run"]["git_revision"]);
  if (fs::exists(dir / "report.html")) facts.link = "variants/" + label + "/report.html";
  for (const Json& kpi : data["kpis"])
    facts.kpis[kpi["key"].get<std::string>()] = {{"mean", kpi["mean"]},
                                                 {"ci95_half_width", kpi["ci95_half_width"]},
                                                 {"n", kpi["n"]},
                                                 {"unit", kpi["unit"]}};
  for (const Json& card : data["headline"]) {
    facts.cards[card["key"].get<std::string>()] = card;
    if (card["pass"].is_boolean()) {
      ++facts.judged;
      facts.passed += card["pass"].get<bool>() ? 1 : 0;
    }
  }
  facts.standards = data["standards"];
  if (data["verdict"].is_object()) facts.verdict = string_of(data["verdict"]["by_mean"]);
  if (const auto staff = facts.kpis.find("staff"); staff != facts.kpis.end()) facts.staff = number(staff->second["mean"]);
  if (std::isnan(facts.staff)) facts.staff = staff_from_teams(dir / "teams.csv");
  return facts;
}

// Every variant's facts; a broken variant folder's problems go to `problems` (its facts stay unloaded), so one
// report lists every broken variant.
std::vector<VariantFacts> all_variant_facts(const fs::path& dir, const std::vector<std::string>& labels, Lang lang,
                                            detail::Problems& problems) {
  std::vector<VariantFacts> facts(labels.size());
  for (std::size_t v = 0; v < labels.size(); ++v)
    problems.collect([&] { facts[v] = variant_facts(dir, labels[v], lang); });
  return facts;
}

// {key, name, unit, unit_label, description, standard (or null)} for a KPI list.
Json kpi_meta(Lang lang, const std::string& key, const std::string& unit, const Json& standards) {
  Json meta;
  meta["key"] = key;
  meta["name"] = i18n::kpi_name(lang, key);
  meta["unit"] = unit;
  meta["unit_label"] = i18n::unit_name(lang, unit);
  meta["description"] = i18n::kpi_description(lang, key);
  meta["headline"] = std::find(std::begin(headline_order), std::end(headline_order), key) != std::end(headline_order);
  meta["standard"] = nullptr;
  for (const Json& standard : standards)
    if (standard["kpi"] == key) meta["standard"] = standard;
  return meta;
}

// The first readable variant's standards, as its summary.json's verdict lists them; none when no variant folder
// could be read.
Json first_standards(const std::vector<VariantFacts>& facts) {
  for (const VariantFacts& f : facts)
    if (f.loaded) return f.standards;
  return Json::array();   // no variant folder readable: nothing to judge by
}

std::string folder_name(const fs::path& dir) {
  const fs::path clean = dir.lexically_normal();
  const std::string name = (clean.has_filename() ? clean : clean.parent_path()).filename().string();
  return name.empty() ? dir.string() : name;
}

// A parameter value's leading number ("15km/h" -> 15, unit "km/h"); NaN if it does not start with one.
std::pair<double, std::string> leading_number(const std::string& text) {
  double value = nan;
  const char* begin = text.data();
  while (begin < text.data() + text.size() && (*begin == ' ' || *begin == '+')) ++begin;
  const auto [end, error] = std::from_chars(begin, text.data() + text.size(), value);
  if (error != std::errc()) return {nan, {}};
  std::string unit(end, text.data() + text.size());
  unit.erase(0, unit.find_first_not_of(' '));
  return {value, unit};
}

// ------------------------------------------------------------------------------------------------------ sweep

// paired.csv: each variant's paired difference against the first (the variants share their replications'
// random streams), for the headline KPIs with a defined difference. {available: false} without the file.
Json paired_data(const fs::path& dir, const std::vector<std::string>& choices) {
  Json paired;
  CsvReader csv(dir / "paired.csv");
  if (csv.ok()) csv.require({"kpi", "variant", "diff_vs_first"});
  const int c_kpi = csv.column("kpi"), c_unit = csv.column("unit"), c_variant = csv.column("variant"),
            c_diff = csv.column("diff_vs_first"), c_half = csv.column("diff_ci95_half_width"),
            c_significant = csv.column("significant");
  if (!csv.ok() || c_kpi < 0 || c_variant < 0 || c_diff < 0) {
    paired["available"] = false;
    return paired;
  }
  std::string first;
  std::vector<std::string> labels;
  std::map<std::string, std::string> units;
  std::map<std::string, Json> values;   // variant -> {kpi -> difference}
  std::set<std::string> defined;
  while (csv.next()) {
    const std::string kpi = csv.text(c_kpi), label = csv.text(c_variant);
    if (std::find(std::begin(headline_order), std::end(headline_order), kpi) == std::end(headline_order) ||
        std::find(choices.begin(), choices.end(), kpi) == choices.end())
      continue;
    units.emplace(kpi, csv.text(c_unit));
    const double diff = csv.number(c_diff);
    // The first variant's rows have no difference: they name the reference.
    if (csv.text(c_diff).empty()) {
      if (first.empty()) first = label;
      continue;
    }
    if (std::find(labels.begin(), labels.end(), label) == labels.end()) labels.push_back(label);
    if (std::isfinite(diff)) defined.insert(kpi);
    const std::string significant = csv.text(c_significant);
    values[label][kpi] = {{"diff", num(diff)},
                          {"diff_ci95_half_width", num(csv.number(c_half))},
                          {"significant", significant == "yes" || significant == "true" || significant == "1"}};
  }
  Json kpis = Json::array();
  for (const char* key : headline_order)
    if (defined.count(key)) kpis.push_back({{"key", key}, {"unit", units[key]}});
  Json variants = Json::array();
  for (const std::string& label : labels) {
    Json kept = Json::object();
    for (const Json& kpi : kpis)
      if (values[label].contains(kpi["key"].get<std::string>())) kept[kpi["key"].get<std::string>()] = values[label][kpi["key"].get<std::string>()];
    variants.push_back({{"variant", label}, {"values", std::move(kept)}});
  }
  paired["available"] = true;
  paired["first"] = first;
  paired["kpis"] = std::move(kpis);
  paired["variants"] = std::move(variants);
  return paired;
}

Json sweep_data(const fs::path& dir, Lang lang) {
  CsvReader csv(dir / "sweep.csv");
  if (!csv.ok()) throw detail::file_error(dir / "sweep.csv", "", "missing", "a sweep folder holds sweep.csv");
  const std::vector<std::string> header = csv.header();
  const int c_variant = csv.column("variant"), c_kpi = csv.column("kpi"), c_unit = csv.column("unit"),
            c_mean = csv.column("mean"), c_half = csv.column("ci95_half_width"), c_n = csv.column("n");
  if (c_variant != 0 || c_kpi < 1 || c_mean < 0)
    throw detail::file_error(dir / "sweep.csv", "", "unexpected header",
                             "a sweep table starts variant,<parameters>,kpi,unit,mean,...");
  std::vector<std::string> parameters(header.begin() + 1, header.begin() + c_kpi);

  struct Row {
    std::vector<std::string> values;
    std::map<std::string, Json> kpis;
  };
  std::vector<std::string> order;
  std::map<std::string, Row> rows;
  std::map<std::string, std::string> units;
  std::vector<std::string> kpi_order;
  detail::Problems problems;   // of sweep.csv, the variant folders, runs.csv and paired.csv, reported together
  problems.collect([&] {
    while (csv.next()) {
      const std::string& label = csv.text(c_variant);
      if (label.empty()) continue;
      if (!rows.count(label)) {
        order.push_back(label);
        Row& row = rows[label];
        for (int i = 1; i < c_kpi; ++i) row.values.push_back(csv.text(i));
      }
      const std::string& kpi = csv.text(c_kpi);
      if (!units.count(kpi)) {
        units[kpi] = csv.text(c_unit);
        kpi_order.push_back(kpi);
      }
      rows[label].kpis[kpi] = {{"mean", num(csv.number(c_mean))},
                               {"ci95_half_width", num(csv.number(c_half))},
                               {"n", num(csv.number(c_n))}};
    }
  });

  const std::vector<VariantFacts> facts = all_variant_facts(dir, order, lang, problems);
  const Json standards = first_standards(facts);

  // KPI choices: the headline ones, staff, then the rest of sweep.csv (breakdowns left to the variant reports).
  for (const VariantFacts& f : facts)
    for (const auto& [key, value] : f.kpis)
      if (!units.count(key)) {
        units[key] = string_of(value["unit"]);
        kpi_order.push_back(key);
      }
  if (!units.count("staff")) {
    units["staff"] = "persons";
    kpi_order.push_back("staff");
  }
  std::vector<std::string> choices;
  for (const char* key : headline_order)
    if (units.count(key)) choices.push_back(key);
  choices.push_back("staff");
  for (const std::string& key : kpi_order)
    if (!i18n::kpi_is_breakdown(key) && std::find(choices.begin(), choices.end(), key) == choices.end())
      choices.push_back(key);
  Json kpis = Json::array();
  for (const std::string& key : choices) kpis.push_back(kpi_meta(lang, key, units[key], standards));

  Json variants = Json::array();
  std::string cheapest;
  double cheapest_staff = std::numeric_limits<double>::infinity();
  for (std::size_t v = 0; v < order.size(); ++v) {
    const Row& row = rows[order[v]];
    const VariantFacts& f = facts[v];
    Json entry;
    entry["variant"] = order[v];
    entry["values"] = row.values;
    entry["link"] = f.link.empty() ? Json(nullptr) : Json(f.link);
    Json values = Json::object();
    for (const std::string& key : choices) {
      if (row.kpis.count(key)) values[key] = row.kpis.at(key);
      else if (f.kpis.count(key)) values[key] = {{"mean", f.kpis.at(key)["mean"]},
                                                  {"ci95_half_width", f.kpis.at(key)["ci95_half_width"]},
                                                  {"n", f.kpis.at(key)["n"]}};
    }
    double staff = values.contains("staff") ? number(values["staff"]["mean"]) : nan;
    if (std::isnan(staff)) staff = f.staff;
    if (!values.contains("staff") || values["staff"]["mean"].is_null())
      values["staff"] = {{"mean", num(staff)}, {"ci95_half_width", num(0)}, {"n", nullptr}};
    entry["staff"] = num(staff);
    entry["kpis"] = std::move(values);
    Json pass = Json::object();
    for (const auto& [key, card] : f.cards) pass[key] = card["pass"];
    entry["pass"] = std::move(pass);
    entry["judged"] = f.judged;
    entry["passed"] = f.passed;
    // Feasible: the variant's verdict by the mean, as summary.json and sweep.csv hold it (metrics/standards.hpp);
    // unknown when the variant folder is unreadable or has no verdict.
    const bool judged = f.loaded && (f.verdict == "met" || f.verdict == "not_met");
    entry["feasible"] = judged ? Json(f.verdict == "met") : Json(nullptr);
    if (judged && f.verdict == "met" && std::isfinite(staff) && staff < cheapest_staff) {
      cheapest_staff = staff;
      cheapest = order[v];
    }
    variants.push_back(std::move(entry));
  }

  // Parameters that move in lock-step (a zip) share one chart: equal values pair up one-to-one.
  const std::size_t p_count = parameters.size();
  std::vector<std::size_t> group_of(p_count);
  std::iota(group_of.begin(), group_of.end(), 0);
  auto locked = [&](std::size_t a, std::size_t b) {
    std::map<std::string, std::string> forward, backward;
    for (const std::string& label : order) {
      const auto& values = rows[label].values;
      auto [f, fresh_f] = forward.emplace(values[a], values[b]);
      auto [r, fresh_r] = backward.emplace(values[b], values[a]);
      if ((!fresh_f && f->second != values[b]) || (!fresh_r && r->second != values[a])) return false;
    }
    return true;
  };
  for (std::size_t a = 0; a < p_count; ++a)
    for (std::size_t b = 0; b < a; ++b)
      if (group_of[b] == b && locked(a, b)) {
        group_of[a] = b;
        break;
      }
  Json parameter_list = Json::array();
  for (std::size_t p = 0; p < p_count; ++p) {
    bool numeric = !order.empty();
    std::string unit;
    Json x = Json::array();
    for (std::size_t v = 0; v < order.size(); ++v) {
      const auto [value, value_unit] = leading_number(rows[order[v]].values[p]);
      if (std::isnan(value) || (v > 0 && value_unit != unit)) numeric = false;
      unit = value_unit;
      x.push_back(num(value));
    }
    parameter_list.push_back({{"path", parameters[p]}, {"numeric", numeric}, {"unit", numeric ? unit : ""},
                              {"x", numeric ? x : Json(nullptr)}, {"group", group_of[p]}});
  }
  Json groups = Json::array();
  for (std::size_t p = 0; p < p_count; ++p)
    if (group_of[p] == p) {
      Json members = Json::array();
      for (std::size_t q = 0; q < p_count; ++q)
        if (group_of[q] == p) members.push_back(q);
      groups.push_back({{"axis", p}, {"members", members}});
    }

  Json data;
  data["schema"] = 1;
  data["kind"] = "sweep";
  data["lang"] = i18n::lang_code(lang);
  data["text"] = js_text(lang);
  data["title"] = folder_name(dir);
  std::string scenario, version, revision;
  for (const VariantFacts& f : facts)
    if (f.loaded) {
      scenario = f.scenario;
      version = f.civicgrid_version;
      revision = f.git_revision;
      break;
    }
  data["sweep"] = {{"name", folder_name(dir)}, {"scenario", scenario}, {"variants", order.size()},
                   {"civicgrid_version", version}, {"git_revision", revision},
                   {"files", {{"sweep.csv", true}, {"runs.csv", fs::exists(dir / "runs.csv")},
                              {"paired.csv", fs::exists(dir / "paired.csv")},
                              {"variants/", fs::exists(dir / "variants")}}}};
  ProvenanceHints hints;
  for (std::size_t p = 0; p < p_count; ++p) {
    Json values = Json::array();
    for (const std::string& label : order)
      if (std::find(values.begin(), values.end(), Json(rows[label].values[p])) == values.end())
        values.push_back(rows[label].values[p]);
    hints.varied.push_back({{"path", parameters[p]}, {"values", std::move(values)}});
  }
  problems.collect([&] { data["method"] = experiment_provenance(dir, order, hints); });
  problems.collect([&] { data["paired"] = paired_data(dir, choices); });
  problems.throw_if_any();
  data["parameters"] = std::move(parameter_list);
  data["groups"] = std::move(groups);
  data["kpis"] = std::move(kpis);
  data["default_kpi"] = choices.front();
  data["variants"] = std::move(variants);
  data["cheapest"] = cheapest.empty() ? Json(nullptr) : Json(cheapest);
  return data;
}

// ---------------------------------------------------------------------------------------------------- compare

// The pair (a, b) of one KPI in compare.json's "pairs", or nullptr (older folders have none).
const Json* holm_pair(const Json& compare, const std::string& kpi, const std::string& a, const std::string& b) {
  if (!compare.contains("pairs") || !compare["pairs"].is_object() || !compare["pairs"].contains(kpi)) return nullptr;
  const Json& entry = compare["pairs"][kpi];
  if (!entry.is_object() || !entry.contains("pairs") || !entry["pairs"].is_array()) return nullptr;
  for (const Json& pair : entry["pairs"])
    if (pair.is_object() && json_string(pair, "variant_a") == a && json_string(pair, "variant_b") == b) return &pair;
  return nullptr;
}

Json compare_data(const fs::path& dir, Lang lang) {
  const Json compare = detail::read_required_json(dir / "compare.json");
  if (!compare.is_object() || !compare.contains("kpis") || !compare["kpis"].is_object())
    throw detail::file_error(dir / "compare.json", "kpis", "no \"kpis\" object",
                             "compare.json is written by `civicgrid compare`");
  // Variants in the order of the first KPI's list (the baseline first).
  std::vector<std::string> labels;
  std::map<std::string, std::string> scenarios;
  for (const auto& [key, entry] : compare["kpis"].items()) {
    if (!entry.contains("variants") || !entry["variants"].is_array()) continue;
    for (const Json& item : entry["variants"]) {
      const std::string label = json_string(item, "variant");
      if (std::find(labels.begin(), labels.end(), label) == labels.end()) {
        labels.push_back(label);
        scenarios[label] = json_string(item, "scenario");
      }
    }
  }
  detail::Problems problems;   // of the variant folders and their manifests, reported together
  const std::vector<VariantFacts> facts = all_variant_facts(dir, labels, lang, problems);
  const Json standards = first_standards(facts);

  Json variants = Json::array();
  for (std::size_t v = 0; v < labels.size(); ++v)
    variants.push_back({{"variant", labels[v]}, {"scenario", scenarios[labels[v]]},
                        {"link", facts[v].link.empty() ? Json(nullptr) : Json(facts[v].link)},
                        {"staff", num(facts[v].staff)},
                        {"judged", facts[v].judged}, {"passed", facts[v].passed}});
  Json kpis = Json::array();
  std::vector<std::string> present;
  for (const auto& [key, entry] : compare["kpis"].items()) {
    Json meta = kpi_meta(lang, key, json_string(entry, "unit"), standards);
    meta["breakdown"] = i18n::kpi_is_breakdown(key);
    Json values = Json::array();
    bool finite = false;
    if (entry.contains("variants") && entry["variants"].is_array())
      for (const Json& item : entry["variants"]) {
        const std::string label = json_string(item, "variant");
        const auto at = std::find(labels.begin(), labels.end(), label) - labels.begin();
        Json value;
        value["variant"] = label;
        value["mean"] = num(json_double(item.value("mean", Json())));
        value["ci95_half_width"] = num(json_double(item.value("ci95_half_width", Json())));
        finite = finite || value["mean"].is_number();
        if (item.contains("diff_vs_first")) {
          value["diff"] = num(json_double(item["diff_vs_first"]));
          value["diff_ci95_half_width"] = num(json_double(item.value("diff_ci95_half_width", Json())));
          value["diff_unpaired_ci95_half_width"] = num(json_double(item.value("diff_unpaired_ci95_half_width", Json())));
          value["significant"] = item.value("significant", Json(false)).is_boolean() ? item["significant"] : Json(false);
          // With all pairs (compare.json "pairs", Holm-adjusted per KPI), significance is Holm's, not the
          // unadjusted interval's: with three or more plans the unadjusted one finds too many differences.
          if (const Json* pair = holm_pair(compare, key, labels.empty() ? "" : labels.front(), label)) {
            value["significant"] = pair->value("significant_holm", Json(false)).is_boolean() ? (*pair)["significant_holm"] : Json(false);
            value["holm_p_value"] = num(json_double(pair->value("holm_p_value", Json())));
          }
        }
        const auto card = facts[static_cast<std::size_t>(at)].cards.find(key);
        value["pass"] = card != facts[static_cast<std::size_t>(at)].cards.end() ? card->second["pass"] : Json(nullptr);
        values.push_back(std::move(value));
      }
    meta["values"] = std::move(values);
    if (meta["headline"].get<bool>() && finite) present.push_back(key);
    kpis.push_back(std::move(meta));
  }
  Json headline = Json::array();
  for (const char* key : headline_order)
    if (std::find(present.begin(), present.end(), key) != present.end() && headline.size() < 6) headline.push_back(key);

  Json data;
  data["schema"] = 1;
  data["kind"] = "compare";
  data["lang"] = i18n::lang_code(lang);
  data["text"] = js_text(lang);
  // compare.json's name: the report is rendered inside the temporary folder, whose name is not the result's.
  const std::string name = json_string(compare, "name").empty() ? folder_name(dir) : json_string(compare, "name");
  data["title"] = name;
  std::string version, revision;
  for (const VariantFacts& f : facts)
    if (f.loaded) {
      version = f.civicgrid_version;
      revision = f.git_revision;
      break;
    }
  data["compare"] = {{"name", name}, {"baseline", json_string(compare, "baseline")},
                     {"replications", compare.value("replications", Json(nullptr))},
                     {"seed", compare.value("seed", Json(nullptr))},
                     {"civicgrid_version", version}, {"git_revision", revision},
                     {"files", {{"compare.json", true}, {"compare.csv", fs::exists(dir / "compare.csv")},
                                {"variants/", fs::exists(dir / "variants")}}}};
  // Only when present, so the data of older comparisons stays as it was.
  if (fs::exists(dir / "pairs.csv")) data["compare"]["files"]["pairs.csv"] = true;
  if (compare.contains("pairs") && compare["pairs"].is_object()) data["compare"]["holm"] = true;
  ProvenanceHints hints;
  if (!json_string(compare, "seed").empty()) hints.seeds.push_back(json_string(compare, "seed"));
  if (const double n = json_double(compare.value("replications", Json())); std::isfinite(n))
    hints.replications.push_back(static_cast<long long>(n));
  hints.per_variant_scenarios = true;
  problems.collect([&] { data["method"] = experiment_provenance(dir, labels, hints); });
  problems.throw_if_any();
  data["variants"] = std::move(variants);
  data["kpis"] = std::move(kpis);
  data["headline"] = std::move(headline);
  // What differs between the plans (compare.json "differences"); only when present, so the data of older
  // comparisons stays as it was.
  if (compare.contains("differences") && compare["differences"].is_array()) {
    Json differences = Json::array();
    for (const Json& row : compare["differences"]) {
      if (!row.is_object() || !row.contains("values") || !row["values"].is_object()) continue;
      Json values = Json::object();
      for (const auto& [label, value] : row["values"].items())
        values[label] = value.is_string() ? value.get<std::string>() : value.dump();
      differences.push_back({{"aspect", json_string(row, "aspect")}, {"values", std::move(values)}});
    }
    data["differences"] = std::move(differences);
  }
  return data;
}

// ----------------------------------------------------------------------------------------------------- search

Json search_data(const fs::path& dir, Lang lang) {
  const Json search = detail::read_required_json(dir / "search.json");
  if (!search.is_object())
    throw detail::file_error(dir / "search.json", "", "expected a JSON object",
                             "search.json is written by `civicgrid search`");
  const std::string kpi = json_string(search, "kpi");
  std::vector<std::string> paths;
  if (search.contains("parameters") && search["parameters"].is_array())
    for (const Json& parameter : search["parameters"]) paths.push_back(json_string(parameter, "path"));

  // The KPI's unit: from a variant's summary when there is one, else from its name.
  std::string unit;
  if (fs::exists(dir / "variants"))
    for (const auto& entry : fs::directory_iterator(dir / "variants")) {
      const Json summary = read_json(entry.path() / "summary.json");
      if (summary.is_object() && summary.contains("kpis") && summary["kpis"].contains(kpi)) {
        unit = json_string(summary["kpis"][kpi], "unit");
        break;
      }
    }
  if (unit.empty()) {
    auto ends_with = [&](const std::string& suffix) {
      return kpi.size() >= suffix.size() && kpi.compare(kpi.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (ends_with("_rate") || ends_with("_share") || kpi == "utilization") unit = "share";
    else if (kpi.find("_min") != std::string::npos) unit = "min";
    else if (kpi.find("_h_") != std::string::npos || ends_with("_h")) unit = "h";
  }

  const std::string recommended_label =
      search.contains("recommended") && search["recommended"].is_object() ? json_string(search["recommended"], "variant") : "";
  auto link_of = [&](const std::string& label) -> Json {
    if (label.empty() || label.find('/') != std::string::npos || label.find("..") != std::string::npos)
      return nullptr;
    return fs::exists(dir / "variants" / label / "report.html") ? Json("variants/" + label + "/report.html") : Json(nullptr);
  };
  auto values_of = [&](const Json& item) {
    Json values = Json::array();
    for (const std::string& path : paths) {
      const Json given = item.contains("values") && item["values"].is_object() ? item["values"].value(path, Json()) : Json();
      values.push_back(string_of(given));
    }
    return values;
  };
  Json frontier = Json::array();
  if (search.contains("frontier") && search["frontier"].is_array())
    for (const Json& item : search["frontier"]) {
      const std::string label = json_string(item, "variant");
      frontier.push_back({{"variant", label},
                          {"values", values_of(item)},
                          {"staff", num(json_double(item.value("staff", Json())))},
                          {"mean", num(json_double(item.value("mean", Json())))},
                          {"ci95_half_width", num(json_double(item.value("ci95_half_width", Json())))},
                          {"bound", num(json_double(item.value("bound", Json())))},
                          {"feasible", item.value("feasible", Json(false)).is_boolean() ? item["feasible"] : Json(false)},
                          {"n", item.value("n", Json(nullptr))},
                          {"recommended", !label.empty() && label == recommended_label},
                          {"link", link_of(label)}});
    }
  Json recommended = nullptr;
  if (!recommended_label.empty()) {
    const Json& item = search["recommended"];
    recommended = {{"variant", recommended_label},
                   {"values", values_of(item)},
                   {"staff", num(json_double(item.value("staff", Json())))},
                   {"mean", num(json_double(item.value("mean", Json())))},
                   {"ci95_half_width", num(json_double(item.value("ci95_half_width", Json())))},
                   {"bound", num(json_double(item.value("bound", Json())))},
                   {"link", link_of(recommended_label)}};
  }
  const Json runs = search.value("runs", Json::object());
  const std::string direction = json_string(search, "direction") == "at_most" ? "at_most" : "at_least";

  Json data;
  data["schema"] = 1;
  data["kind"] = "search";
  data["lang"] = i18n::lang_code(lang);
  data["text"] = js_text(lang);
  data["title"] = json_string(search, "name").empty() ? folder_name(dir) : json_string(search, "name");
  data["search"] = {{"name", json_string(search, "name")},
                    {"scenario", json_string(search, "scenario")},
                    {"kpi", kpi},
                    {"kpi_name", i18n::kpi_name(lang, kpi)},
                    {"unit", unit},
                    {"unit_label", i18n::unit_name(lang, unit)},
                    {"direction", direction},
                    {"method", json_string(search, "method")},
                    {"target", num(json_double(search.value("target", Json())))},
                    {"confidence", num(json_double(search.value("confidence", Json(0.95))))},
                    {"parameters", paths},
                    {"runs", {{"total", runs.is_object() ? runs.value("total", Json(nullptr)) : Json(nullptr)},
                              {"reused", runs.is_object() ? runs.value("reused", Json(nullptr)) : Json(nullptr)},
                              {"ran", runs.is_object() ? runs.value("ran", Json(nullptr)) : Json(nullptr)}}},
                    {"files", {{"search.json", true}, {"frontier.csv", fs::exists(dir / "frontier.csv")},
                               {"variants/", fs::exists(dir / "variants")}}}};
  data["recommended"] = std::move(recommended);
  data["frontier"] = std::move(frontier);

  ProvenanceHints hints;
  std::vector<std::string> labels;
  for (const Json& point : data["frontier"]) {
    if (!point["n"].is_null()) hints.replications.push_back(static_cast<long long>(number(point["n"])));
    labels.push_back(string_of(point["variant"]));
  }
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  // The candidate values as search.json lists them, else those of the evaluated plans.
  for (std::size_t p = 0; p < paths.size(); ++p) {
    const Json& parameter = search["parameters"][p];
    Json values = Json::array();
    if (parameter.contains("values") && parameter["values"].is_array())
      for (const Json& value : parameter["values"]) values.push_back(string_of(value));
    else
      for (const Json& point : data["frontier"])
        if (std::find(values.begin(), values.end(), point["values"][p]) == values.end()) values.push_back(point["values"][p]);
    hints.varied.push_back({{"path", paths[p]}, {"values", std::move(values)}});
  }
  hints.runs = data["search"]["runs"];
  data["method"] = experiment_provenance(dir, labels, hints);
  if (!data["method"]["versions"].empty()) data["search"]["civicgrid_version"] = data["method"]["versions"][0];
  if (!data["method"]["git_revisions"].empty()) data["search"]["git_revision"] = data["method"]["git_revisions"][0];
  return data;
}

// ------------------------------------------------------------------------------------------------------ pages

class ExperimentPage : public PageWriter {
 public:
  ExperimentPage(Lang lang, const Json& data, std::string resolved_yaml)
      : PageWriter(lang, data), resolved_yaml_(std::move(resolved_yaml)) {}

  std::string render() {
    const std::string kind = string_of(data_["kind"]);
    const Json& about = data_[kind];
    head(string_of(data_["title"]) + " — " + t(kind + ".title_suffix"), string_of(about.value("civicgrid_version", Json())));
    raw("<header class=\"masthead\">\n<div class=\"kicker\">civicgrid</div>\n<h1>").text(t(kind + ".heading"));
    raw("</h1>\n<div class=\"scenario\">").text(t("doc.folder")).raw(lang_ == Lang::zh ? "：" : ": ");
    text(string_of(data_["title"])).raw("</div>\n<div class=\"facts\">");
    if (kind == "sweep") sweep_facts();
    if (kind == "compare") compare_facts();
    if (kind == "search") search_facts();
    raw("</div>\n</header>\n");
    if (kind == "sweep") sweep_body();
    if (kind == "compare") compare_body();
    if (kind == "search") search_body();
    method_section(kind == "sweep" ? 5 : kind == "compare" ? 4 : 3, about["files"]);
    tail(string_of(about.value("civicgrid_version", Json())), string_of(about.value("git_revision", Json())));
    return std::move(out_);
  }

 private:
  // "mean" with the CI below it, for table cells.
  void estimate_cell(const Json& value, const std::string& unit, const Json& pass = Json()) {
    raw("<td class=\"num\">");
    if (pass.is_boolean()) raw(pass.get<bool>() ? "<span class=\"yes\">✓</span> " : "<span class=\"no\">✗</span> ");
    text(format_value(number(value.value("mean", Json())), unit));
    if (!unit_suffix(lang_, unit).empty() && std::isfinite(number(value.value("mean", Json()))))
      raw(" <span class=\"unit\">").text(unit_suffix(lang_, unit)).raw("</span>");
    const double half = number(value.value("ci95_half_width", Json()));
    if (std::isfinite(half))
      raw("<span class=\"ci\">").text(format_interval(number(value["mean"]), half, unit)).raw("</span>");
    raw("</td>");
  }

  void link_or_text(const Json& link, const std::string& words) {
    if (link.is_string()) raw("<a href=\"").text(link.get<std::string>()).raw("\">").text(words).raw("</a>");
    else text(words);
  }

  void files(const Json& files) {
    raw("<h3>").text(t("method.files")).raw("</h3>\n<ul class=\"files\">\n");
    for (const auto& [name, present] : files.items()) {
      raw("<li><code>").text(name).raw("</code> ");
      if (present.get<bool>()) raw("<span class=\"present\">✓</span>");
      else raw("<span class=\"absent\">✗ ").text(t("method.missing_file")).raw("</span>");
      raw("</li>\n");
    }
    raw("</ul>\n<p class=\"note\">").text(t("experiment.regenerate")).raw("</p>\n");
  }

  // ------------------------------------------------------------------------------- how this was obtained

  void row(const std::string& key, const std::string& value, bool code = false) {
    raw("<tr><th>").text(t(key)).raw("</th><td").raw(code ? " class=\"code\"" : "").raw(">");
    text(value.empty() ? t("method.not_recorded") : value).raw("</td></tr>\n");
  }

  static std::string joined(const Json& list, const std::string& separator) {
    std::string words;
    for (const Json& item : list) words += (words.empty() ? "" : separator) + string_of(item);
    return words;
  }

  // "small — tests/cli/data/small.yaml"
  std::string scenario_words(const std::string& name, const std::string& path) const {
    if (name.empty() || path.empty()) return name + path;
    return name + " — " + path;
  }

  void method_section(int section_number, const Json& file_list) {
    const std::string kind = string_of(data_["kind"]);
    const Json& m = data_["method"];
    heading("method", section_number, "section.method", true);
    if (kind == "search") raw("<p class=\"appendix-mark\">").text(t("doc.appendix")).raw("</p>\n");
    raw("<p>").text(t("experiment.method_intro")).raw("</p>\n");
    const Json& manifests = m["manifests"];
    if (manifests["found"] == 0) missing(t("experiment.no_manifest"));
    else if (manifests["found"] != manifests["variants"])
      note(replace_all(replace_all(t("experiment.some_manifests"), "{found}", string_of(manifests["found"])),
                       "{total}", string_of(manifests["variants"])));
    raw("<table class=\"kv\" id=\"method-table\">\n<tbody>\n");
    const Json& base = m["base"];
    if (kind == "compare") {
      raw("<tr><th>").text(t("experiment.plan_file.compare")).raw("</th><td class=\"code\">");
      // Each variant's scenario (compare.json) with the file its manifest names.
      bool first = true;
      for (const Json& variant : data_["variants"]) {
        std::string path;
        for (const Json& known : m.value("scenarios", Json::array()))
          if (known["variant"] == variant["variant"]) path = string_of(known["scenario_path"]);
        raw(first ? "" : "<br>").text(string_of(variant["variant"])).raw(": ");
        text(scenario_words(string_of(variant["scenario"]), path.empty() ? t("experiment.no_path") : path));
        first = false;
      }
      raw("</td></tr>\n");
      row("compare.baseline", scenario_words(string_of(data_["compare"]["baseline"]), string_of(base["scenario_path"])), true);
    } else {
      row("experiment.plan_file." + kind, m["inputs"].empty() ? "" : string_of(m["inputs"][0]), true);
      std::string scenario = string_of(base["scenario"]);
      if (kind == "search" && string_of(base["scenario_path"]).empty()) scenario = string_of(data_["search"]["scenario"]);
      row("experiment.base", scenario_words(scenario, string_of(base["scenario_path"])), true);
    }
    if (base["source_files"].size() > 1) {
      raw("<tr><th>").text(t("method.source_files")).raw("</th><td class=\"code\">");
      for (std::size_t i = 0; i < base["source_files"].size(); ++i)
        raw(i > 0 ? "<br>" : "").text(string_of(base["source_files"][i]));
      raw("</td></tr>\n");
    }
    if (!m["varied"].empty()) {
      raw("<tr><th>").text(t("experiment.varied")).raw("</th><td class=\"code\">");
      for (std::size_t i = 0; i < m["varied"].size(); ++i)
        raw(i > 0 ? "<br>" : "").text(string_of(m["varied"][i]["path"])).raw(": ").text(joined(m["varied"][i]["values"], ", "));
      raw("</td></tr>\n");
    }
    if (!m["overrides"].empty()) row("experiment.overrides", joined(m["overrides"], ", "), true);
    if (kind == "search") search_method_rows();
    std::string replications;
    if (m["replications"].is_object()) {
      replications = string_of(m["replications"]["min"]);
      if (m["replications"]["min"] != m["replications"]["max"]) replications += "–" + string_of(m["replications"]["max"]);
    }
    row("experiment.replications", replications);
    std::string seeds = joined(m["seeds"], ", ");
    if (m["seeds"].size() == 1 && number(m["runs"]["variants"]) > 1) seeds += parenthesised(t("experiment.seeds_same"));
    row("experiment.seeds", seeds);
    std::string runs;
    const Json& counts = m["runs"];
    if (!counts["reused"].is_null() && !counts["ran"].is_null()) {
      runs = replace_all(t("search.runs"), "{total}", string_of(counts["total"]));
      runs = replace_all(replace_all(runs, "{reused}", string_of(counts["reused"])), "{ran}", string_of(counts["ran"]));
      runs += " " + replace_all(t("experiment.variants_text"), "{variants}", string_of(counts["variants"]));
    } else if (!counts["total"].is_null()) {
      runs = replace_all(t("experiment.runs_text"), "{total}", string_of(counts["total"]));
      runs = replace_all(runs, "{variants}", string_of(counts["variants"]));
    }
    row("experiment.runs", runs);
    row("method.version", joined(m["versions"], ", "));
    row("method.git", joined(m["git_revisions"], ", "), true);
    row("method.wall", m["wall_time_s"].is_number() ? format_duration_s(lang_, number(m["wall_time_s"]))
                                                     : (manifests["found"] == 0 ? "" : t("experiment.no_wall_time")));
    row("method.jobs", string_of(m["jobs"]));
    row("method.started", string_of(m["started_utc"]));
    std::string command;
    for (const Json& argument : m["argv"]) command += (command.empty() ? "" : " ") + shell_quote(string_of(argument));
    row("method.command", command, true);
    raw("</tbody>\n</table>\n");

    raw("<h3>").text(t("method.ci")).raw("</h3>\n<p>").text(t("method.ci_text")).raw("</p>\n");
    if (kind != "search") raw("<p>").text(t("experiment.paired_ci_text")).raw("</p>\n");
    files(file_list);

    const std::string resolved_file = string_of(m["resolved"]["file"]);
    raw("<h3>").text(t("experiment.resolved")).raw("</h3>\n");
    if (resolved_yaml_.empty()) {
      missing(replace_all(t("experiment.resolved_missing"), "{file}", resolved_file.empty() ? "scenario.resolved.yaml" : resolved_file));
    } else {
      raw("<details id=\"method-resolved\"><summary>").text(replace_all(t("experiment.resolved_show"), "{file}", resolved_file));
      raw("</summary>\n<pre class=\"yaml\">").text(resolved_yaml_).raw("</pre>\n</details>\n");
    }
    raw("</section>\n");
  }

  void search_method_rows() {
    const Json& search = data_["search"];
    const std::string method = string_of(search["method"]);
    if (method == "bisection") row("search.method", t("search.method_bisection"));
    else if (method.rfind("greedy", 0) == 0) row("search.method", t("search.method_greedy"));
    else row("search.method", method);
    const std::string confidence = format_value(number(search["confidence"]) * 100, "count") + "%";
    row("search.confidence", confidence);
    std::string formula = t(search["direction"] == "at_most" ? "search.bound_upper" : "search.bound_lower");
    formula = replace_all(formula, "{q}", string_of(search["confidence"]));
    formula = replace_all(formula, "{target}", target_text());
    row("search.bound_rule", formula);
  }

  std::string resolved_yaml_;

  // --------------------------------------------------------------------------------------------- sweep

  void sweep_facts() {
    const Json& sweep = data_["sweep"];
    fact("doc.scenario", string_of(sweep["scenario"]));
    fact("sweep.variants", string_of(sweep["variants"]));
    fact("doc.version", string_of(sweep["civicgrid_version"]));
  }

  const Json* kpi(const std::string& key) const {
    for (const Json& meta : data_["kpis"])
      if (meta["key"] == key) return &meta;
    return nullptr;
  }

  void sweep_body() {
    heading("sweep-summary", 1, "sweep.summary", false);
    const Json& cheapest = data_["cheapest"];
    if (cheapest.is_string()) {
      const Json* chosen = nullptr;
      for (const Json& variant : data_["variants"])
        if (variant["variant"] == cheapest) chosen = &variant;
      std::string words = replace_all(t("sweep.cheapest"), "{variant}", cheapest.get<std::string>());
      words = replace_all(words, "{staff}", format_value(number((*chosen)["staff"]), "persons"));
      words = replace_all(words, "{values}", parameter_values(*chosen));
      raw("<p class=\"verdict recommendation\">★ ").text(words).raw("</p>\n");
    } else {
      raw("<p class=\"verdict\">").text(t("sweep.none_feasible")).raw("</p>\n");
    }
    note(t("sweep.feasible_rule"));
    raw("<noscript><p class=\"note\">").text(t("doc.noscript")).raw("</p></noscript>\n</section>\n");

    heading("sweep-charts", 2, "sweep.charts", true);
    note(t("sweep.charts_note"));
    raw("<div class=\"controls\"><label for=\"sweep-kpi\">").text(t("sweep.select")).raw("</label><select id=\"sweep-kpi\">");
    for (const Json& meta : data_["kpis"]) {
      raw("<option value=\"").text(string_of(meta["key"])).raw("\"");
      if (meta["key"] == data_["default_kpi"]) raw(" selected");
      raw(">").text(string_of(meta["name"])).raw("</option>");
    }
    raw("</select></div>\n");
    for (std::size_t g = 0; g < data_["groups"].size(); ++g) {
      std::string label;
      for (const Json& member : data_["groups"][g]["members"]) {
        if (!label.empty()) label += " · ";
        label += string_of(data_["parameters"][member.get<std::size_t>()]["path"]);
      }
      chart("chart-sweep-" + std::to_string(g), label);
    }
    raw("</section>\n");

    heading("sweep-table", 3, "sweep.table", true);
    raw("<p class=\"appendix-mark\">").text(t("doc.appendix")).raw("</p>\n");
    note(t("sweep.table_note"));
    raw("<div class=\"table-wrap\">\n<table class=\"variants\" id=\"variants-table\">\n<thead><tr><th>").text(t("experiment.variant")).raw("</th>");
    for (const Json& parameter : data_["parameters"])
    {
      raw("<th class=\"code\" title=\"").text(string_of(parameter["path"])).raw("\">");
      breakable(short_path(string_of(parameter["path"])));
      raw("</th>");
    }
    raw("<th class=\"num\">").text(i18n::kpi_name(lang_, "staff")).raw("</th>");
    std::vector<std::string> headline;
    for (const Json& meta : data_["kpis"])
      if (meta["headline"].get<bool>() && any_value(meta["key"].get<std::string>())) {
        headline.push_back(meta["key"].get<std::string>());
        raw("<th class=\"num\">").text(string_of(meta["name"])).raw("</th>");
      }
    raw("<th>").text(t("sweep.feasible")).raw("</th></tr></thead>\n<tbody>\n");
    for (const Json& variant : data_["variants"]) {
      const bool is_cheapest = variant["variant"] == data_["cheapest"];
      raw(is_cheapest ? "<tr class=\"cheapest\">" : "<tr>").raw("<td>");
      link_or_text(variant["link"], string_of(variant["variant"]));
      if (is_cheapest) raw(" ★");
      raw("</td>");
      for (const Json& value : variant["values"]) raw("<td class=\"code\">").text(string_of(value)).raw("</td>");
      raw("<td class=\"num\">").text(format_value(number(variant["staff"]), "persons")).raw("</td>");
      for (const std::string& key : headline) {
        const Json empty = Json::object();
        const Json& value = variant["kpis"].contains(key) ? variant["kpis"][key] : empty;
        estimate_cell(value, string_of((*kpi(key))["unit"]), variant["pass"].value(key, Json()));
      }
      raw("<td>");
      if (variant["feasible"].is_boolean())
        raw(variant["feasible"].get<bool>() ? "<span class=\"yes\">✓ " : "<span class=\"no\">✗ ")
            .text(t(variant["feasible"].get<bool>() ? "sweep.yes" : "sweep.no")).raw("</span>");
      else text(t("sweep.unknown"));
      raw("</td></tr>\n");
    }
    raw("</tbody>\n</table>\n</div>\n");
    standards_table();
    raw("</section>\n");
    paired_section();
  }

  // Each variant against the first, paired by replication: a difference the CI of the two means would hide.
  void paired_section() {
    const Json& paired = data_["paired"];
    heading("sweep-paired", 4, "sweep.paired", true);
    if (!paired["available"].get<bool>()) {
      missing(t("sweep.paired_missing"));
      raw("</section>\n");
      return;
    }
    if (paired["kpis"].empty() || paired["variants"].empty()) {
      missing(t("sweep.paired_none"));
      raw("</section>\n");
      return;
    }
    const std::string first = string_of(paired["first"]);
    note(replace_all(t("sweep.paired_note"), "{first}", first));
    raw("<div class=\"table-wrap\">\n<table class=\"variants paired\" id=\"paired-table\">\n<thead><tr><th>");
    text(t("experiment.variant")).raw("</th>");
    for (const Json& parameter : data_["parameters"]) {
      raw("<th class=\"code\" title=\"").text(string_of(parameter["path"])).raw("\">");
      breakable(short_path(string_of(parameter["path"])));
      raw("</th>");
    }
    for (const Json& meta : paired["kpis"]) {
      raw("<th class=\"num\">").text(i18n::kpi_name(lang_, string_of(meta["key"]))).raw("<span class=\"sub\">− ");
      text(first).raw("</span></th>");
    }
    raw("</tr></thead>\n<tbody>\n");
    for (const Json& variant : paired["variants"]) {
      const std::string label = string_of(variant["variant"]);
      const Json* full = nullptr;
      for (const Json& v : data_["variants"])
        if (v["variant"] == label) full = &v;
      raw("<tr><td>");
      if (full) link_or_text((*full)["link"], label);
      else text(label);
      raw("</td>");
      for (std::size_t p = 0; p < data_["parameters"].size(); ++p)
        raw("<td class=\"code\">").text(full ? string_of((*full)["values"][p]) : "").raw("</td>");
      for (const Json& meta : paired["kpis"]) {
        const std::string key = string_of(meta["key"]), unit = string_of(meta["unit"]);
        const Json value = variant["values"].value(key, Json::object());
        difference_cell(value, unit);
      }
      raw("</tr>\n");
    }
    raw("</tbody>\n</table>\n</div>\n</section>\n");
  }

  // A paired difference, bold with * when significant, its 95% CI below.
  void difference_cell(const Json& value, const std::string& unit) {
    raw("<td class=\"num\">");
    const bool significant = value.value("significant", Json(false)) == true;
    raw(significant ? "<b class=\"significant\">" : "<span>").text(format_difference(number(value.value("diff", Json())), unit));
    raw(significant ? " *</b>" : "</span>");
    const double half = number(value.value("diff_ci95_half_width", Json()));
    if (std::isfinite(half)) {
      const double diff = number(value["diff"]);
      // Each end kept whole ("−0.6 pp"), so a narrow cell wraps only between them.
      raw("<span class=\"ci\">").text(replace_all(format_difference(diff - half, unit), " ", "\u00a0")).raw(" … ");
      text(replace_all(format_difference(diff + half, unit), " ", "\u00a0")).raw("</span>");
    }
    raw("</td>");
  }

  // A path that may break after its dots (narrow header cells), escaped piece by piece.
  void breakable(const std::string& path) {
    std::size_t from = 0;
    for (std::size_t at = path.find('.', from); at != std::string::npos; at = path.find('.', from)) {
      text(path.substr(from, at + 1 - from)).raw("<wbr>");
      from = at + 1;
    }
    text(path.substr(from));
  }

  // "teams.grid_worker.per_unit" -> "grid_worker.per_unit": narrow columns; the full path is the title.
  static std::string short_path(const std::string& path) {
    const std::size_t last = path.rfind('.');
    if (last == std::string::npos || last == 0) return path;
    const std::size_t before = path.rfind('.', last - 1);
    return before == std::string::npos ? path : path.substr(before + 1);
  }

  // Does any variant have a defined mean for this KPI? (Undefined ones, e.g. on-time closure without
  // deadlines, would fill the table with dashes.)
  bool any_value(const std::string& key) const {
    for (const Json& variant : data_["variants"])
      if (variant["kpis"].contains(key) && variant["kpis"][key]["mean"].is_number()) return true;
    return false;
  }

  std::string parameter_values(const Json& variant) const {
    std::string words;
    for (std::size_t p = 0; p < data_["parameters"].size(); ++p) {
      if (!words.empty()) words += ", ";
      words += string_of(data_["parameters"][p]["path"]) + " = " + string_of(variant["values"][p]);
    }
    return words;
  }

  void standards_table() {
    raw("<h3>").text(t("method.standards")).raw("</h3>\n<table class=\"kv\">\n<tbody>\n");
    for (const Json& meta : data_["kpis"]) {
      if (!meta["headline"].get<bool>()) continue;
      raw("<tr><th>").text(string_of(meta["name"])).raw("</th><td>");
      const std::string words = standard_text(meta["standard"]);
      text(words.empty() ? t("card.no_target") : words);
      if (meta["standard"].is_object() && meta["standard"].value("weighted", Json(false)) == true)
        text(parenthesised(t("card.weighted")));
      raw("</td></tr>\n");
    }
    raw("</tbody>\n</table>\n");
  }

  // -------------------------------------------------------------------------------------------- compare

  void compare_facts() {
    const Json& compare = data_["compare"];
    fact("compare.baseline", string_of(compare["baseline"]));
    fact("doc.replications", string_of(compare["replications"]));
    fact("method.seed", string_of(compare["seed"]));
    fact("doc.version", string_of(compare["civicgrid_version"]));
  }

  std::string variant_name(const Json& variant) const {
    return string_of(variant["variant"]) + " " + string_of(variant["scenario"]);
  }

  void compare_body() {
    const Json& variants = data_["variants"];
    heading("compare-plans", 1, "compare.plans", false);
    note(t("compare.intro"));
    raw("<ul class=\"variants\">\n");
    for (std::size_t v = 0; v < variants.size(); ++v) {
      raw("<li>");
      link_or_text(variants[v]["link"], string_of(variants[v]["variant"]));
      raw(" <b>").text(string_of(variants[v]["scenario"])).raw("</b>");
      if (v == 0) raw(" ").text(parenthesised(t("compare.is_baseline")));
      if (std::isfinite(number(variants[v]["staff"])))
        raw(" · ").text(i18n::kpi_name(lang_, "staff")).raw(" ").text(format_value(number(variants[v]["staff"]), "persons"));
      raw("</li>\n");
    }
    raw("</ul>\n");
    differences_table();
    raw("<noscript><p class=\"note\">").text(t("doc.noscript")).raw("</p></noscript>\n</section>\n");

    // The brief is pages 1-2: the plans and what differs between them, then the headline KPIs with their CIs
    // against the standards; the full table is the appendix.
    heading("compare-headline", 2, "compare.headline", true);
    if (data_["headline"].empty()) missing(t("compare.no_headline"));
    raw("<div class=\"chart-grid\">\n");
    for (std::size_t i = 0; i < data_["headline"].size(); ++i)
      chart("chart-compare-" + std::to_string(i), i18n::kpi_name(lang_, string_of(data_["headline"][i])));
    raw("</div>\n</section>\n");

    heading("compare-table", 3, "compare.table", true);
    raw("<p class=\"appendix-mark\">").text(t("doc.appendix")).raw("</p>\n");
    note(t(data_["compare"].contains("holm") ? "compare.table_note_holm" : "compare.table_note"));
    compare_table(false);
    bool breakdowns = false;
    for (const Json& meta : data_["kpis"]) breakdowns = breakdowns || meta["breakdown"].get<bool>();
    if (breakdowns) {
      raw("<h3>").text(t("kpis.breakdown")).raw("</h3>\n");
      compare_table(true);
    }
    raw("</section>\n");
  }

  // The aspects of the plans that differ (staff, head counts, dispatch, escalation, visits), one row each.
  void differences_table() {
    if (!data_.contains("differences")) return;
    const Json& variants = data_["variants"];
    raw("<h3>").text(t("compare.differences")).raw("</h3>\n");
    if (data_["differences"].empty()) {
      note(t("compare.no_differences"));
      return;
    }
    raw("<div class=\"table-wrap\">\n<table class=\"compare\">\n<thead><tr><th>").text(t("compare.aspect")).raw("</th>");
    for (const Json& variant : variants) raw("<th>").text(variant_name(variant)).raw("</th>");
    raw("</tr></thead>\n<tbody>\n");
    for (const Json& row : data_["differences"]) {
      raw("<tr><td class=\"code\">").text(string_of(row["aspect"])).raw("</td>");
      for (const Json& variant : variants) {
        const std::string label = string_of(variant["variant"]);
        raw("<td>").text(row["values"].contains(label) ? string_of(row["values"][label]) : std::string("-")).raw("</td>");
      }
      raw("</tr>\n");
    }
    raw("</tbody>\n</table>\n</div>\n");
  }

  void compare_table(bool breakdowns) {
    const Json& variants = data_["variants"];
    raw("<div class=\"table-wrap\">\n<table class=\"compare\">\n<thead><tr><th>").text(t("table.kpi")).raw("</th>");
    for (std::size_t v = 0; v < variants.size(); ++v) {
      raw("<th class=\"num\">").text(variant_name(variants[v])).raw("</th>");
      if (v > 0) raw("<th class=\"num\">").text(t("compare.diff")).raw(" ").text(string_of(variants[v]["variant"]))
                     .raw(" − ").text(string_of(variants[0]["variant"])).raw("</th>");
    }
    raw("</tr></thead>\n<tbody>\n");
    for (const Json& meta : data_["kpis"]) {
      if (meta["breakdown"].get<bool>() != breakdowns) continue;
      const std::string unit = string_of(meta["unit"]);
      raw("<tr><td>").text(string_of(meta["name"])).raw("<span class=\"field\">").text(string_of(meta["key"]));
      if (!unit_suffix(lang_, unit).empty()) raw(" · ").text(i18n::unit_name(lang_, unit));
      raw("</span></td>");
      for (std::size_t v = 0; v < meta["values"].size(); ++v) {
        const Json& value = meta["values"][v];
        estimate_cell(value, unit, value["pass"]);
        if (v == 0) continue;
        difference_cell(value, unit);
      }
      raw("</tr>\n");
    }
    raw("</tbody>\n</table>\n</div>\n");
  }

  // --------------------------------------------------------------------------------------------- search

  void search_facts() {
    const Json& search = data_["search"];
    fact("doc.scenario", string_of(search["scenario"]));
    fact("search.kpi", string_of(search["kpi_name"]));
    fact("search.runs_total", string_of(search["runs"]["total"]));
  }

  std::string target_text() const {
    const Json& search = data_["search"];
    const std::string unit = string_of(search["unit"]);
    std::string words = search["direction"] == "at_most" ? "≤ " : "≥ ";
    words += format_value(number(search["target"]), unit);
    if (!unit_suffix(lang_, unit).empty()) words += " " + unit_suffix(lang_, unit);
    return words;
  }

  void search_body() {
    const Json& search = data_["search"];
    const std::string unit = string_of(search["unit"]);
    const std::string confidence = format_value(number(search["confidence"]) * 100, "count") + "%";
    heading("search-summary", 1, "search.summary", false);
    std::string goal = replace_all(t("search.goal"), "{kpi}", string_of(search["kpi_name"]));
    goal = replace_all(goal, "{target}", target_text());
    goal = replace_all(goal, "{confidence}", confidence);
    raw("<p>").text(goal).raw("</p>\n");
    const Json& recommended = data_["recommended"];
    if (recommended.is_object()) {
      std::string values;
      for (std::size_t p = 0; p < search["parameters"].size(); ++p) {
        if (!values.empty()) values += ", ";
        values += string_of(search["parameters"][p]) + " = " + string_of(recommended["values"][p]);
      }
      std::string words = replace_all(t("search.recommended"), "{variant}", string_of(recommended["variant"]));
      words = replace_all(words, "{values}", values);
      words = replace_all(words, "{staff}", format_value(number(recommended["staff"]), "persons"));
      words = replace_all(words, "{kpi}", string_of(search["kpi_name"]));
      std::string mean = format_value(number(recommended["mean"]), unit);
      if (!unit_suffix(lang_, unit).empty()) mean += " " + unit_suffix(lang_, unit);
      words = replace_all(words, "{mean}", mean);
      words = replace_all(words, "{ci}", format_interval(number(recommended["mean"]), number(recommended["ci95_half_width"]), unit));
      words = replace_all(words, "{confidence}", confidence);
      words = replace_all(words, "{bound}", format_value(number(recommended["bound"]), unit));
      words = replace_all(words, "{target}", target_text());
      raw("<p class=\"verdict recommendation\">★ ").text(words);
      if (recommended["link"].is_string()) raw(" ").raw("<a href=\"").text(string_of(recommended["link"])).raw("\">").text(t("search.open_variant")).raw("</a>");
      raw("</p>\n");
    } else {
      raw("<p class=\"verdict\">").text(replace_all(replace_all(t("search.none"), "{target}", target_text()), "{confidence}", confidence)).raw("</p>\n");
    }
    const Json& runs = search["runs"];
    std::string counts = replace_all(t("search.runs"), "{total}", string_of(runs["total"]));
    counts = replace_all(counts, "{reused}", string_of(runs["reused"]));
    counts = replace_all(counts, "{ran}", string_of(runs["ran"]));
    note(counts);
    raw("<noscript><p class=\"note\">").text(t("doc.noscript")).raw("</p></noscript>\n</section>\n");

    heading("search-frontier", 2, "search.frontier", true);
    if (data_["frontier"].empty()) {
      missing(t("search.no_frontier"));
      raw("</section>\n");
      return;
    }
    note(replace_all(t("search.frontier_note"), "{confidence}", confidence));
    chart("chart-search", t("search.frontier"));
    raw("<div class=\"table-wrap\">\n<table class=\"variants\" id=\"frontier-table\">\n<thead><tr><th>").text(t("experiment.variant")).raw("</th>");
    for (const Json& path : search["parameters"]) {
      raw("<th class=\"code\" title=\"").text(string_of(path)).raw("\">");
      breakable(short_path(string_of(path)));
      raw("</th>");
    }
    raw("<th class=\"num\">").text(i18n::kpi_name(lang_, "staff")).raw("</th><th class=\"num\">");
    text(string_of(search["kpi_name"])).raw("</th><th class=\"num\">").text(replace_all(t("search.bound"), "{confidence}", confidence));
    raw("</th><th class=\"num\">").text(t("table.n")).raw("</th><th>").text(t("search.feasible")).raw("</th></tr></thead>\n<tbody>\n");
    for (const Json& point : data_["frontier"]) {
      const bool chosen = point["recommended"].get<bool>();
      raw(chosen ? "<tr class=\"cheapest\">" : "<tr>").raw("<td>");
      link_or_text(point["link"], string_of(point["variant"]));
      if (chosen) raw(" ★");
      raw("</td>");
      for (const Json& value : point["values"]) raw("<td class=\"code\">").text(string_of(value)).raw("</td>");
      raw("<td class=\"num\">").text(format_value(number(point["staff"]), "persons")).raw("</td>");
      estimate_cell(point, unit);
      raw("<td class=\"num\">").text(format_value(number(point["bound"]), unit)).raw("</td><td class=\"num\">");
      text(string_of(point["n"])).raw("</td><td>");
      raw(point["feasible"].get<bool>() ? "<span class=\"yes\">✓ " : "<span class=\"no\">✗ ");
      text(t(point["feasible"].get<bool>() ? "sweep.yes" : "sweep.no")).raw("</span></td></tr>\n");
    }
    raw("</tbody>\n</table>\n</div>\n</section>\n");
  }
};

}  // namespace

std::optional<ReportKind> report_kind(const fs::path& dir) {
  if (fs::exists(dir / "search.json")) return ReportKind::search;
  if (fs::exists(dir / "compare.json")) return ReportKind::compare;
  if (fs::exists(dir / "sweep.csv")) return ReportKind::sweep;
  if (fs::exists(dir / "summary.json")) return ReportKind::run;
  return std::nullopt;
}

nlohmann::ordered_json sweep_report_data(const fs::path& dir, const std::string& lang) {
  return sweep_data(dir, i18n::parse_lang(lang));
}

nlohmann::ordered_json compare_report_data(const fs::path& dir, const std::string& lang) {
  return compare_data(dir, i18n::parse_lang(lang));
}

nlohmann::ordered_json search_report_data(const fs::path& dir, const std::string& lang) {
  return search_data(dir, i18n::parse_lang(lang));
}

nlohmann::ordered_json report_data(const fs::path& dir, const std::string& lang) {
  const auto kind = report_kind(dir);
  if (!kind)
    throw std::runtime_error(dir.string() + ": not a civicgrid result folder (looked for search.json, compare.json, "
                             "sweep.csv and summary.json; found none)");
  switch (*kind) {
    case ReportKind::search: return search_report_data(dir, lang);
    case ReportKind::compare: return compare_report_data(dir, lang);
    case ReportKind::sweep: return sweep_report_data(dir, lang);
    case ReportKind::run: break;
  }
  return run_report_data(dir, lang);
}

std::string render_report(const fs::path& dir, const std::string& lang) {
  const auto kind = report_kind(dir);
  if (kind == ReportKind::run) return render_run_report(dir, lang);
  const Json data = report_data(dir, lang);
  // The base variant's resolved scenario, shown folded; the path comes from the folder's own variant labels.
  std::string resolved;
  if (data.contains("method") && data["method"]["resolved"]["present"] == true)
    resolved = detail::read_utf8_file(dir / string_of(data["method"]["resolved"]["file"]));
  return ExperimentPage(i18n::parse_lang(lang), data, std::move(resolved)).render();
}

fs::path write_report(const fs::path& dir, const std::string& lang) {
  const std::string html = render_report(dir, lang);
  const fs::path path = dir / "report.html";
  write_text_file(path, html);
  return path;
}

}  // namespace civicgrid::report
