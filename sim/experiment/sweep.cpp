// Orchestration of sweeps and comparisons on top of run_batch (see sweep.hpp).
#include "experiment/sweep.hpp"

#include "metrics/standards.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "metrics/comparison.hpp"
#include "metrics/kpis.hpp"
#include "report/html_report.hpp"
#include "report/result_folder.hpp"
#include "report/writers.hpp"
#include "experiment/process_pool.hpp"
#include "experiment/run.hpp"

namespace civicgrid::experiment {
namespace {

// The standard, by_mean and by_bound cells of one KPI's row ("at_least 0.9,met,not_met"; ",," without a standard):
// the same three columns in compare.csv, paired.csv and sweep.csv. A KPI with both bounds shows its last.
std::string kpi_standard_cells(const metrics::Verdict& verdict, const std::string& kpi) {
  const metrics::StandardVerdict* own = nullptr;
  for (const auto& one : verdict.standards)
    if (one.standard.kpi == kpi) own = &one;
  if (own == nullptr) return ",,";
  return std::string(scenario::to_string(own->standard.bound)) + ' ' + report::csv_number(own->standard.value) + ',' +
         metrics::to_string(own->by_mean) + ',' + metrics::to_string(own->by_bound);
}

// Every KPI of every variant with the paired difference against the first variant (compare.csv and
// compare.json of `compare`; paired.csv of a sweep, whose variants share replications too).
std::pair<std::string, nlohmann::ordered_json> paired_tables(const std::vector<LoadedVariant>& variants,
                                                             const std::vector<std::vector<metrics::KpiSummary>>& summaries) {
  std::ostringstream csv;
  csv << "kpi,unit,variant,scenario,mean,ci95_half_width,n,diff_vs_first,diff_ci95_half_width,"
         "diff_unpaired_ci95_half_width,significant,standard,by_mean,by_bound\n";
  // Each variant judged by its own standards, with the one verdict function (metrics/standards.hpp).
  std::vector<metrics::Verdict> verdicts;
  for (std::size_t v = 0; v < variants.size(); ++v)
    verdicts.push_back(metrics::judge(summaries[v], metrics::effective_standards(variants[v].scenario)));
  const auto standard_cells = [&](std::size_t v, const std::string& kpi) { return kpi_standard_cells(verdicts[v], kpi); };
  nlohmann::ordered_json json;
  json["baseline"] = variants.front().scenario.name;
  json["replications"] = variants.front().scenario.run.replications;
  json["seed"] = variants.front().scenario.run.seed;
  auto number = [](double x) { return std::isnan(x) ? nlohmann::ordered_json() : nlohmann::ordered_json(x); };
  for (std::size_t k = 0; k < summaries.front().size(); ++k) {
    const auto& base = summaries.front()[k];
    nlohmann::ordered_json entry;
    entry["unit"] = base.unit;
    for (std::size_t v = 0; v < variants.size(); ++v) {
      // Variants with other teams or types carry other breakdown KPIs: pair by name, not by position.
      const auto found = std::find_if(summaries[v].begin(), summaries[v].end(),
                                      [&](const metrics::KpiSummary& s) { return s.name == base.name; });
      if (found == summaries[v].end()) continue;
      const auto& kpi = *found;
      const auto diff = metrics::paired_difference(base.per_replication, kpi.per_replication);
      csv << report::csv_field(kpi.name) << ',' << kpi.unit << ',' << variant_label(static_cast<int>(v)) << ','
          << report::csv_field(variants[v].scenario.name) << ',' << report::csv_number(kpi.mean) << ','
          << report::csv_number(kpi.ci95_half_width) << ',' << kpi.n << ',';
      nlohmann::ordered_json item;
      item["variant"] = variant_label(static_cast<int>(v));
      item["scenario"] = variants[v].scenario.name;
      item["mean"] = number(kpi.mean);
      item["ci95_half_width"] = number(kpi.ci95_half_width);
      if (v == 0) {
        csv << ",,,," << standard_cells(v, kpi.name) << '\n';
      } else {
        csv << report::csv_number(diff.mean) << ',' << report::csv_number(diff.ci95_half_width) << ','
            << report::csv_number(diff.unpaired_ci95_half_width) << ',' << (diff.significant ? "yes" : "no") << ','
            << standard_cells(v, kpi.name) << '\n';
        item["diff_vs_first"] = number(diff.mean);
        item["diff_ci95_half_width"] = number(diff.ci95_half_width);
        item["diff_unpaired_ci95_half_width"] = number(diff.unpaired_ci95_half_width);
        item["significant"] = diff.significant;
      }
      entry["variants"].push_back(item);
    }
    json["kpis"][base.name] = entry;
  }
  for (std::size_t v = 0; v < variants.size(); ++v)
    json["verdicts"][variant_label(static_cast<int>(v))] = metrics::verdict_json(verdicts[v]);
  return {csv.str(), json};
}

// Every pair of variants (a before b in the command line) on every KPI, with the paired t test's p-value and
// Holm's adjustment over the pairs of that KPI (pairs.csv and "pairs" of compare.json). compare.csv pairs
// each variant with the first only; with three or more plans a meeting asks about the others too, and
// testing every pair at 5% alone would find differences that are not there.
std::pair<std::string, nlohmann::ordered_json> pair_tables(const std::vector<LoadedVariant>& variants,
                                                           const std::vector<std::vector<metrics::KpiSummary>>& summaries) {
  std::ostringstream csv;
  csv << "kpi,unit,variant_a,variant_b,diff_b_minus_a,diff_ci95_half_width,p_value,holm_p_value,significant_holm\n";
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  auto number = [](double x) { return std::isnan(x) ? nlohmann::ordered_json() : nlohmann::ordered_json(x); };
  for (const auto& base : summaries.front()) {
    std::vector<const metrics::KpiSummary*> of_variant(variants.size(), nullptr);
    for (std::size_t v = 0; v < variants.size(); ++v)
      for (const auto& s : summaries[v])
        if (s.name == base.name) of_variant[v] = &s;
    struct Pair {
      std::size_t a, b;
      metrics::PairedDifference diff;
    };
    std::vector<Pair> pairs;
    for (std::size_t a = 0; a < variants.size(); ++a)
      for (std::size_t b = a + 1; b < variants.size(); ++b)
        if (of_variant[a] && of_variant[b])
          pairs.push_back({a, b, metrics::paired_difference(of_variant[a]->per_replication, of_variant[b]->per_replication)});
    std::vector<double> p_values;
    for (const auto& pair : pairs) p_values.push_back(pair.diff.p_value);
    const auto holm = metrics::holm_adjusted(p_values);   // the family: this KPI's pairs
    nlohmann::ordered_json items = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      const auto& pair = pairs[i];
      const bool significant = !std::isnan(holm[i]) && holm[i] < 0.05;
      const std::string label_a = variant_label(static_cast<int>(pair.a));
      const std::string label_b = variant_label(static_cast<int>(pair.b));
      csv << report::csv_field(base.name) << ',' << base.unit << ',' << label_a << ',' << label_b << ','
          << report::csv_number(pair.diff.mean) << ',' << report::csv_number(pair.diff.ci95_half_width) << ','
          << report::csv_number(pair.diff.p_value) << ',' << report::csv_number(holm[i]) << ','
          << (significant ? "yes" : "no") << '\n';
      items.push_back({{"variant_a", label_a}, {"variant_b", label_b}, {"diff_b_minus_a", number(pair.diff.mean)},
                       {"diff_ci95_half_width", number(pair.diff.ci95_half_width)},
                       {"p_value", number(pair.diff.p_value)}, {"holm_p_value", number(holm[i])},
                       {"significant_holm", significant}});
    }
    json[base.name] = {{"unit", base.unit}, {"pairs", std::move(items)}};
  }
  return {csv.str(), json};
}

// "What differs" between the compared plans (compare.json "differences", the comparison report): staff, each
// team's head count, the dispatch policy, the escalation mode and each team's visit programme, one row per
// aspect where the variants do not all agree. A meeting reads the differences in results next to the
// differences in plans that caused them. Head counts come from teams.csv (replication 0: the roster does not
// change between replications), so extra_by_unit and GeoJSON units are counted as the run counted them.
nlohmann::ordered_json plan_differences(const std::filesystem::path& folder, const std::vector<LoadedVariant>& variants,
                                        const std::vector<std::vector<metrics::KpiSummary>>& summaries) {
  std::vector<std::pair<std::string, std::vector<std::string>>> rows;   // aspect -> value per variant
  const auto cell = [&](const std::string& aspect, std::size_t v, const std::string& value) {
    auto row = std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.first == aspect; });
    if (row == rows.end()) {
      rows.push_back({aspect, std::vector<std::string>(variants.size(), "-")});
      row = rows.end() - 1;
    }
    row->second[v] = value;
  };
  const auto days = [](double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%gd", seconds / 86400);
    return std::string(text);
  };
  for (std::size_t v = 0; v < variants.size(); ++v) {
    const auto& plan = variants[v].scenario;
    for (const auto& kpi : summaries[v])
      if (kpi.name == "staff") cell("staff", v, report::csv_number(kpi.mean));
    std::map<std::string, int> head_count;
    std::ifstream teams(folder / "variants" / variant_label(variants[v].variant.index) / "teams.csv");
    std::string line;
    std::getline(teams, line);   // replication,responder,team,...
    while (std::getline(teams, line)) {
      std::vector<std::string> fields;
      std::stringstream split(line);
      for (std::string field; std::getline(split, field, ',');) fields.push_back(field);
      if (fields.size() > 2 && fields[0] == "0") ++head_count[fields[2]];
    }
    for (const auto& team : plan.teams) {
      cell("staff@" + team.name, v, std::to_string(head_count[team.name]));
      std::string visits = "none";
      if (team.visits) {
        visits = "every " + days(team.visits->every_s);
        if (team.visits->key_population_share > 0 && team.visits->key_every_s > 0)
          visits += ", key population every " + days(team.visits->key_every_s);
        if (!team.visits->campaigns.empty()) visits += ", " + std::to_string(team.visits->campaigns.size()) + " campaigns";
      }
      cell("visits@" + team.name, v, visits);
    }
    cell("dispatch.policy", v, scenario::to_string(plan.dispatch.policy));
    cell("escalation.mode", v, plan.escalation.mode == scenario::EscalationMode::tiered ? "tiered" : "pooled");
  }
  nlohmann::ordered_json json = nlohmann::ordered_json::array();
  for (const auto& [aspect, values] : rows) {
    if (std::all_of(values.begin(), values.end(), [&](const std::string& x) { return x == values.front(); })) continue;
    nlohmann::ordered_json by_variant;
    for (std::size_t v = 0; v < variants.size(); ++v) by_variant[variant_label(static_cast<int>(v))] = values[v];
    json.push_back({{"aspect", aspect}, {"values", by_variant}});
  }
  return json;
}

// For people (stderr): the headline KPIs and staff, mean ± 95% CI half-width per variant, then each
// variant's verdict.
std::string compare_table_text(const std::vector<LoadedVariant>& variants,
                               const std::vector<std::vector<metrics::KpiSummary>>& summaries) {
  std::vector<std::string> keys;
  for (const auto& info : metrics::kpi_catalogue())
    if (info.headline || info.key == "staff") keys.emplace_back(info.key);
  std::ostringstream out;
  char cell[96];
  out << std::string("kpi (unit)").append(24, ' ');
  for (std::size_t v = 0; v < variants.size(); ++v) {
    std::string heading = variant_label(static_cast<int>(v)) + ' ' + variants[v].scenario.name;
    heading.resize(std::max<std::size_t>(heading.size(), 18), ' ');
    out << "|  " << (v + 1 < variants.size() ? heading : variant_label(static_cast<int>(v)) + ' ' + variants[v].scenario.name);
  }
  out << '\n';
  for (const auto& key : keys) {
    bool any = false;
    std::ostringstream line;
    const metrics::KpiInfo* info = metrics::find_kpi(key);
    std::string label = key + (info && !info->unit.empty() ? " (" + std::string(info->unit) + ")" : std::string());
    label.resize(std::max<std::size_t>(label.size(), 34), ' ');   // a column people can read down
    line << label;
    for (std::size_t v = 0; v < variants.size(); ++v) {
      const auto found = std::find_if(summaries[v].begin(), summaries[v].end(),
                                      [&](const metrics::KpiSummary& s) { return s.name == key; });
      if (found == summaries[v].end() || std::isnan(found->mean)) {
        line << "|  -                 ";
        continue;
      }
      any = true;
      if (std::isnan(found->ci95_half_width))
        std::snprintf(cell, sizeof cell, "%.4g", found->mean);
      else
        std::snprintf(cell, sizeof cell, "%.4g ± %.2g", found->mean, found->ci95_half_width);
      std::string text = cell;
      const std::size_t width = text.find("±") == std::string::npos ? 18 : 19;   // ± is two bytes, one column
      text.resize(std::max(text.size(), width), ' ');
      line << "|  " << text;
    }
    std::string row = line.str();
    row.erase(row.find_last_not_of(' ') + 1);
    if (any) out << row << '\n';
  }
  for (std::size_t v = 0; v < variants.size(); ++v) {
    const auto verdict = metrics::judge(summaries[v], metrics::effective_standards(variants[v].scenario));
    const std::string text = metrics::verdict_text(verdict);   // its first line: the verdict over all standards
    out << variant_label(static_cast<int>(v)) << ' ' << variants[v].scenario.name << ": " << text.substr(0, text.find('\n'))
        << '\n';
  }
  return out.str();
}

std::string runs_csv(const std::vector<LoadedVariant>& variants) {
  std::ostringstream out;
  out << "variant,replication,seed,input_hash,overrides\n";
  for (const auto& v : variants) {
    std::string joined;
    for (const auto& o : v.variant.overrides) joined += (joined.empty() ? "" : ";") + o;
    for (int r = 0; r < v.scenario.run.replications; ++r)
      out << variant_label(v.variant.index) << ',' << r << ',' << v.scenario.run.seed << ',' << v.input_hash << ','
          << report::csv_field(joined) << '\n';
  }
  return out.str();
}

namespace fs = std::filesystem;

// The files a variant folder holds when its manifest cannot tell (assemble_result_files writes them).
bool is_variant_file_name(const std::string& name) {
  static const std::set<std::string> names = {"summary.json", "replications.csv", "grids.csv", "grid_summary.csv", "teams.csv",
                                              "levels.csv", "hours.csv", "backlog.csv", "responses.csv", "layout.geojson", "scenario.resolved.yaml",
                                              "manifest.json", "report.html", "incidents.csv", "events.csv"};
  return names.count(name) > 0;
}

// The files civicgrid writes at the top of a sweep's or search's folder.
bool is_work_folder_file_name(const std::string& name) {
  static const std::set<std::string> names = {"manifest.json", report::work_folder_lock_name, "shard.json",
                                              "sweep.csv", "runs.csv", "paired.csv", "report.html",
                                              "frontier.csv", "search.json"};
  return names.count(name) > 0;
}

bool has_suffix(const std::string& text, const std::string& suffix) {
  return text.size() > suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// "<prefix>" followed by four or more digits: v0001, r0012, v12345 (variant_label and run_folder pad to four).
bool is_label(const std::string& name, char prefix) {
  return name.size() >= 5 && name[0] == prefix && name.find_first_not_of("0123456789", 1) == std::string::npos;
}

// A "<label>.tmp-<pid>" temporary folder of a run or variant (its content is the writer's, not the user's).
bool is_label_temporary(const std::string& name, char prefix) {
  return report::temporary_owner_pid(name) && is_label(name.substr(0, name.rfind(".tmp-")), prefix);
}

// The files of one finished run or variant folder that civicgrid did not write: not in its manifest (or, if
// that is unreadable, not among the names civicgrid writes there), and any subfolder or special file.
void foreign_in_result(const fs::path& folder, bool (*known_name)(const std::string&), std::vector<fs::path>& foreign) {
  const auto listed = report::manifest_file_names(folder);
  const std::set<std::string> in_manifest(listed.begin(), listed.end());
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    const bool ours_by_name = in_manifest.empty() ? known_name(name) : (in_manifest.count(name) || name == "manifest.json");
    const bool left_by_write = has_suffix(name, ".tmp") && known_name(name.substr(0, name.size() - 4));
    if (!entry.is_regular_file() || entry.is_symlink() || !(ours_by_name || left_by_write)) foreign.push_back(entry.path());
  }
}

std::string hex_sha256_or_empty(const fs::path& file) {
  try {
    return report::sha256_file_hex(file);
  } catch (const std::runtime_error&) {
    return "";
  }
}

// Sets the owner keys of folder/manifest.json, keeping the others (the "files" of an earlier seal).
void record_owner(const fs::path& folder, const WorkFolderOwner& owner) {
  nlohmann::ordered_json manifest = nlohmann::ordered_json::object();
  {
    std::ifstream in(folder / "manifest.json", std::ios::binary);
    if (in) manifest = nlohmann::ordered_json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (!manifest.is_object()) manifest = nlohmann::ordered_json::object();
  }
  manifest["kind"] = owner.kind;
  manifest["name"] = owner.name;
  manifest["plan_file"] = fs::absolute(owner.plan_file).lexically_normal().string();
  manifest["plan_file_sha256"] = hex_sha256_or_empty(owner.plan_file);
  manifest["civicgrid_version"] = tool_version();
  report::write_text_file(folder / "manifest.json", manifest.dump(2) + "\n");
}

}  // namespace

void seal_work_folder(const fs::path& folder, const WorkFolderOwner& owner) {
  record_owner(folder, owner);
  report::seal_folder(folder);
}

namespace {
// True for a folder civicgrid labels `<prefix>NNNN`, to look into; anything else is foreign, except (where
// `temporaries_ours`) a labelled temporary of a run still writing or of a dead process.
bool labelled_folder(const fs::directory_entry& entry, char prefix, bool temporaries_ours, std::vector<fs::path>& foreign) {
  const std::string name = entry.path().filename().string();
  const bool folder = entry.is_directory() && !entry.is_symlink();
  if (folder && temporaries_ours && is_label_temporary(name, prefix)) return false;
  if (folder && is_label(name, prefix)) return true;
  foreign.push_back(entry.path());
  return false;
}
}  // namespace

std::vector<fs::path> foreign_entries(const fs::path& folder) {
  std::vector<fs::path> foreign;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    const bool table = entry.is_regular_file() && !entry.is_symlink() &&
                       (is_work_folder_file_name(name) || (has_suffix(name, ".tmp") && is_work_folder_file_name(name.substr(0, name.size() - 4))));
    const bool work_dir = entry.is_directory() && !entry.is_symlink() && (name == "runs" || name == "variants");
    if (!table && !work_dir) foreign.push_back(entry.path());
  }
  if (fs::is_directory(folder / "runs"))
    for (const auto& variant : fs::directory_iterator(folder / "runs")) {
      if (!labelled_folder(variant, 'v', false, foreign)) continue;
      for (const auto& run : fs::directory_iterator(variant.path())) {
        if (!labelled_folder(run, 'r', true, foreign)) continue;
        foreign_in_result(run.path(), is_run_file_name, foreign);
      }
    }
  if (fs::is_directory(folder / "variants"))
    for (const auto& variant : fs::directory_iterator(folder / "variants")) {
      if (!labelled_folder(variant, 'v', true, foreign)) continue;
      foreign_in_result(variant.path(), is_variant_file_name, foreign);
    }
  std::sort(foreign.begin(), foreign.end());
  return foreign;
}

std::unique_ptr<report::FolderLock> open_work_folder(const fs::path& folder, const WorkFolderOwner& owner, bool resume,
                                                     const Slice& slice) {
  const bool created = fs::create_directories(folder);
  if (!created && !resume)
    throw scenario::InputError({{folder.string(), 0, 0, "--out",
                                 "a " + owner.kind + " folder already exists",
                                 "add --resume to continue it and reuse its finished runs, or choose another --out"}});
  auto lock = std::make_unique<report::FolderLock>(folder / report::work_folder_lock_name, folder);
  if (!created) {
    std::vector<scenario::Diagnostic> problems;
    const fs::path manifest_path = folder / "manifest.json";
    if (fs::exists(manifest_path)) {
      std::ifstream in(manifest_path, std::ios::binary);
      const auto manifest = nlohmann::ordered_json::parse(in, nullptr, /*allow_exceptions=*/false);
      const auto text = [&](const char* key) {
        return manifest.is_object() && manifest.contains(key) && manifest[key].is_string() ? manifest[key].get<std::string>()
                                                                                         : std::string();
      };
      if (!manifest.is_object())
        problems.push_back({manifest_path.string(), 0, 0, "manifest", "unreadable: the folder's owner is unknown",
                            "resume only folders civicgrid wrote; choose another --out"});
      else if (text("kind") != owner.kind || text("name") != owner.name)
        problems.push_back({manifest_path.string(), 0, 0, "manifest",
                            "the folder belongs to " + (text("kind").empty() ? std::string("another command") : text("kind")) +
                                " '" + text("name") + "' (" + text("plan_file") + "), not to " + owner.kind + " '" +
                                owner.name + "'",
                            "resume a folder with the sweep or search that wrote it, or choose another --out"});
    }
    if (fs::exists(folder / "shard.json")) {
      std::optional<ShardRecord> record;
      try {
        record = read_shard_record(folder);
      } catch (const scenario::InputError& error) {
        problems.insert(problems.end(), error.diagnostics().begin(), error.diagnostics().end());
      }
      const Slice recorded = record ? record->slice : slice;
      if (recorded.index != slice.index || recorded.count != slice.count)
        problems.push_back({(folder / "shard.json").string(), 0, 0, "shard",
                            "the folder holds shard " + std::to_string(recorded.index + 1) + "/" +
                                std::to_string(recorded.count) + ", not " + std::to_string(slice.index + 1) + "/" +
                                std::to_string(slice.count),
                            "resume each shard in its own folder"});
    }
    const auto foreign = foreign_entries(folder);
    for (std::size_t i = 0; i < foreign.size() && i < 10; ++i)
      problems.push_back({foreign[i].string(), 0, 0, "--resume", "not written by civicgrid",
                          "move it out of the " + owner.kind + " folder (civicgrid would replace or delete it), or "
                          "choose another --out"});
    if (foreign.size() > 10)
      problems.push_back({folder.string(), 0, 0, "--resume",
                          std::to_string(foreign.size() - 10) + " more entries not written by civicgrid", ""});
    if (!problems.empty()) throw scenario::InputError(problems);
    // What killed writers left behind: never results, and nobody else writes here while we hold the lock.
    report::remove_partial_files(folder);
    report::remove_stale_temporaries(folder / "variants");
  }
  record_owner(folder, owner);
  report::sync_folder(folder);
  return lock;
}

// Rebuilds <out>/variants/<label> from the finished runs (derived data: replaced as a whole).
// `final_root` is where out_dir will end up once its own folder is committed (for the manifests).
std::vector<metrics::KpiSummary> write_variant_folder(const std::filesystem::path& out_dir,
                                                      const std::filesystem::path& final_root,
                                                      const LoadedVariant& variant, const BatchCommandOptions& options) {
  const auto label = variant_label(variant.variant.index);
  const auto work_path = out_dir / "variants" / label;
  const auto final_path = final_root / "variants" / label;
  throw_if_interrupted();
  std::filesystem::remove_all(work_path);
  report::ResultFolder folder(work_path);
  const auto results = read_variant_results(out_dir, variant);
  std::vector<std::filesystem::path> parts;
  if (options.write_incidents)
    for (int r = 0; r < variant.scenario.run.replications; ++r)
      parts.push_back(run_folder(out_dir, variant.variant.index, r) / "incidents.csv");
  // Runs made with --no-incidents (possibly by another shard or an earlier sweep) have no rows to join.
  if (std::any_of(parts.begin(), parts.end(), [](const auto& part) { return !std::filesystem::exists(part); }))
    parts.clear();
  const auto summaries =
      assemble_result_files(folder.path(), variant.scenario, results, parts, options.argv, options.jobs, 0.0,
                            final_path.string(), options.report_lang);
  folder.commit();
  return summaries;
}

std::vector<std::string> sweep_overrides(const SweepPlan& plan, const std::vector<std::string>& command_line) {
  std::vector<std::string> overrides;
  if (plan.replications) overrides.push_back("run.replications=" + std::to_string(*plan.replications));
  if (plan.seed) overrides.push_back("run.seed=" + std::to_string(*plan.seed));
  overrides.insert(overrides.end(), command_line.begin(), command_line.end());
  return overrides;
}

std::string run_table_csv(const SweepPlan& plan, const std::vector<LoadedVariant>& variants) {
  std::ostringstream out;
  out << "run,variant,replication,seed";
  for (const auto& parameter : plan.parameters) out << ',' << report::csv_field(parameter.path);
  out << '\n';
  int run = 0;
  for (const auto& v : variants)
    for (int r = 0; r < v.scenario.run.replications; ++r) {
      out << ++run << ',' << variant_label(v.variant.index) << ',' << r << ',' << v.scenario.run.seed;
      for (const auto& value : v.variant.values) out << ',' << report::csv_field(value);
      out << '\n';
    }
  return out.str();
}

std::filesystem::path sweep_folder(const SweepPlan& plan, const BatchCommandOptions& options) {
  if (!options.out_dir.empty()) return options.out_dir;
  const auto name = report::safe_folder_name(plan.name);
  if (options.slice.count > 1) return options.results_root / name / ("shard-" + std::to_string(options.slice.index + 1));
  return options.results_root / name;
}

void finish_sweep(const SweepPlan& plan, const std::vector<LoadedVariant>& variants,
                  const std::filesystem::path& folder, const BatchCommandOptions& options,
                  const std::filesystem::path& final_root) {
  const auto missing = missing_runs(variants, folder);
  if (!missing.empty())
    throw std::runtime_error(std::to_string(missing.size()) + " runs of the sweep are not finished in " +
                             folder.string() + " (the first: " + missing.front() + ")");
  std::ostringstream table;
  table << "variant";
  for (const auto& parameter : plan.parameters) table << ',' << report::csv_field(parameter.path);
  // The verdict columns (metrics/standards.hpp): the KPI's own standard where it has one, then the variant's
  // verdict over all its standards, repeated on each row so that a filter on one row type needs no join.
  table << ",kpi,unit,mean,ci95_half_width,n,standard,by_mean,by_bound,variant_by_mean,variant_by_bound\n";
  std::vector<std::vector<metrics::KpiSummary>> all;
  for (const auto& variant : variants) {
    const auto& summaries = all.emplace_back(write_variant_folder(folder, final_root, variant, options));
    const metrics::Verdict verdict = metrics::judge(summaries, metrics::effective_standards(variant.scenario));
    for (const auto& kpi : summaries) {
      table << variant_label(variant.variant.index);
      for (const auto& value : variant.variant.values) table << ',' << report::csv_field(value);
      table << ',' << report::csv_field(kpi.name) << ',' << kpi.unit << ',' << report::csv_number(kpi.mean) << ','
            << report::csv_number(kpi.ci95_half_width) << ',' << kpi.n;
      table << ',' << kpi_standard_cells(verdict, kpi.name);
      table << ',' << metrics::to_string(verdict.by_mean) << ',' << metrics::to_string(verdict.by_bound) << '\n';
    }
  }
  report::write_text_file(folder / "sweep.csv", table.str());
  report::write_text_file(folder / "runs.csv", runs_csv(variants));
  // Sweep variants share replications (common random numbers), so differences against v0001 pair up.
  report::write_text_file(folder / "paired.csv", paired_tables(variants, all).first);
  throw_if_interrupted();
  report::write_report(folder, options.report_lang);
  seal_work_folder(folder, {"sweep", plan.name, plan.file});   // last: the tables are complete
}

void finish_sweep(const SweepPlan& plan, const std::vector<LoadedVariant>& variants,
                  const std::filesystem::path& folder, const BatchCommandOptions& options) {
  finish_sweep(plan, variants, folder, options, folder);
}

BatchCounts run_batch_to_precision(std::vector<LoadedVariant>& variants, const std::filesystem::path& out_dir,
                                   const BatchOptions& batch, const std::optional<PrecisionGoal>& goal,
                                   std::string& note) {
  const std::vector<LoadedVariant> as_loaded = variants;
  if (goal)
    for (auto& variant : variants)
      variant.scenario.run.replications = std::max(variant.scenario.run.replications, goal->min_replications);
  BatchCounts counts = run_batch(variants, out_dir, batch);
  while (goal) {
    const int replications = variants.front().scenario.run.replications;
    std::optional<PrecisionCheck> worst;   // an unmet check before any met one, then the widest interval
    for (const auto& variant : variants) {
      const auto check = check_precision(metrics::summarise(read_variant_results(out_dir, variant)), *goal);
      if (!worst) {
        worst = check;
        continue;
      }
      const bool wider = !(check.relative_half_width <= worst->relative_half_width);   // NaN counts as wider
      if ((worst->met && !check.met) || (worst->met == check.met && wider)) worst = check;
    }
    note = describe(*worst, *goal, replications);
    if (worst->met || replications >= goal->max_replications) break;
    const int next = next_replication_count(replications, batch.jobs, *goal);
    for (auto& variant : variants) variant.scenario.run.replications = next;
    const auto more = run_batch(variants, out_dir, batch);
    counts.total = more.total;
    counts.ran += more.ran;
  }
  for (std::size_t v = 0; v < variants.size(); ++v)
    if (goal && variants[v].scenario.run.replications != as_loaded[v].scenario.run.replications)
      variants[v].scenario = with_precision_replications(as_loaded[v].scenario, variants[v].scenario.run.replications, *goal);
  return counts;
}

BatchOutcome run_sweep(const SweepPlan& plan, std::vector<LoadedVariant> variants,
                       const BatchCommandOptions& options) {
  BatchOutcome outcome;
  outcome.folder = sweep_folder(plan, options);
  const auto lock = open_work_folder(outcome.folder, {"sweep", plan.name, plan.file}, options.resume, options.slice);
  BatchOptions batch{options.jobs, options.write_incidents, options.show_progress, options.slice};
  if (options.slice.count > 1) {
    // Recorded before running, so an interrupted shard can still be merged after --resume.
    write_shard_record(outcome.folder, {std::filesystem::absolute(plan.file), options.overrides, options.slice,
                                        plan_hash(variants)});
    batch.progress_label = "shard " + std::to_string(options.slice.index + 1) + "/" +
                           std::to_string(options.slice.count) + ": runs";
  }
  outcome.counts = run_batch_to_precision(variants, outcome.folder, batch, options.precision, outcome.precision_note);
  outcome.complete = options.slice.count == 1;
  if (outcome.complete) finish_sweep(plan, variants, outcome.folder, options);
  return outcome;
}

void write_shard_record(const std::filesystem::path& folder, const ShardRecord& record) {
  nlohmann::ordered_json json;
  json["sweep_file"] = record.sweep_file.string();
  json["overrides"] = record.overrides;
  json["shard"] = std::to_string(record.slice.index + 1) + "/" + std::to_string(record.slice.count);
  json["plan_hash"] = record.plan_hash;
  report::write_text_file(folder / "shard.json", json.dump(2) + "\n");
}

ShardRecord read_shard_record(const std::filesystem::path& folder) {
  const auto path = folder / "shard.json";
  auto problem = [&](const std::string& message, const std::string& hint) {
    return scenario::InputError({{path.string(), 1, 1, "shard", message, hint}});
  };
  if (!std::filesystem::exists(path))
    throw problem("not a shard folder (no shard.json)", "give the folders that `civicgrid sweep --shard i/N --out DIR` wrote");
  ShardRecord record;
  try {
    std::ifstream in(path);
    const auto json = nlohmann::json::parse(in);
    record.sweep_file = json.at("sweep_file").get<std::string>();
    record.overrides = json.at("overrides").get<std::vector<std::string>>();
    record.plan_hash = json.at("plan_hash").get<std::string>();
    const auto shard = json.at("shard").get<std::string>();
    const auto slash = shard.find('/');
    record.slice.index = std::stoi(shard.substr(0, slash)) - 1;
    record.slice.count = std::stoi(shard.substr(slash + 1));
  } catch (const std::exception& error) {
    throw problem(std::string("unreadable: ") + error.what(), "the file is written by civicgrid; do not edit it");
  }
  return record;
}

namespace {

// Hard links keep a merge of big sweeps cheap on one file system; a copy where links are not possible.
void link_or_copy_tree(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::filesystem::create_directories(to);
  for (const auto& entry : std::filesystem::directory_iterator(from)) {
    const auto target = to / entry.path().filename();
    if (entry.is_directory()) {
      link_or_copy_tree(entry.path(), target);
    } else {
      std::error_code failed;
      std::filesystem::create_hard_link(entry.path(), target, failed);
      if (failed) std::filesystem::copy_file(entry.path(), target, std::filesystem::copy_options::overwrite_existing);
    }
  }
}

}  // namespace

BatchOutcome merge_shards(const std::vector<std::filesystem::path>& shard_folders, const BatchCommandOptions& options) {
  std::vector<ShardRecord> records;
  std::vector<scenario::Diagnostic> problems;
  for (const auto& folder : shard_folders) {
    try {
      records.push_back(read_shard_record(folder));
    } catch (const scenario::InputError& error) {
      problems.insert(problems.end(), error.diagnostics().begin(), error.diagnostics().end());
    }
  }
  if (!problems.empty()) throw scenario::InputError(problems);
  const ShardRecord& first = records.front();
  for (std::size_t i = 1; i < records.size(); ++i)
    if (records[i].sweep_file != first.sweep_file || records[i].overrides != first.overrides ||
        records[i].plan_hash != first.plan_hash || records[i].slice.count != first.slice.count)
      problems.push_back({(shard_folders[i] / "shard.json").string(), 1, 1, "shard",
                          "belongs to another sweep than " + (shard_folders[0] / "shard.json").string() +
                              " (sweep file, --set, inputs or shard count differ)",
                          "merge only the shards of one `--emit-sbatch` or `--shard i/N` batch"});
  std::set<int> present;
  for (const auto& record : records) present.insert(record.slice.index);
  for (int i = 0; i < first.slice.count; ++i)
    if (!present.count(i))
      problems.push_back({"merge", 1, 1, "shard",
                          "shard " + std::to_string(i + 1) + "/" + std::to_string(first.slice.count) + " is missing",
                          "give every shard folder; a failed array task can be rerun with the same --shard and --out"});
  if (!problems.empty()) throw scenario::InputError(problems);

  const auto plan = load_sweep(first.sweep_file);
  const auto variants = load_variants(plan.variants, sweep_overrides(plan, first.overrides), &plan);
  if (plan_hash(variants) != first.plan_hash)
    throw scenario::InputError({{first.sweep_file.string(), 1, 1, "sweep",
                                 "the sweep or its scenario changed after the shards ran",
                                 "rerun the shards (with --resume they redo only what changed), then merge"}});

  BatchCommandOptions merged = options;
  merged.overrides = first.overrides;
  BatchOutcome outcome;
  outcome.folder =
      merged.out_dir.empty() ? merged.results_root / report::safe_folder_name(plan.name) / "merged" : merged.out_dir;
  if (std::filesystem::exists(outcome.folder))
    throw scenario::InputError({{outcome.folder.string(), 1, 1, "--out", "already exists",
                                 "merged results are never written over: choose another --out"}});
  report::ResultFolder folder(outcome.folder, report::WriterLock::beside);
  for (const auto& shard : shard_folders)
    if (std::filesystem::exists(shard / "runs")) {
      for (const auto& variant_dir : std::filesystem::directory_iterator(shard / "runs"))
        for (const auto& run : std::filesystem::directory_iterator(variant_dir.path())) {
          const auto name = run.path().filename().string();
          const auto target = folder.path() / "runs" / variant_dir.path().filename() / name;
          // Only intact runs: a damaged one in one shard must not hide a good copy in another.
          if (name.find(".tmp-") == std::string::npos && !report::sealed_folder_problem(run.path()) &&
              !std::filesystem::exists(target))
            link_or_copy_tree(run.path(), target);
        }
    }
  const auto missing = missing_runs(variants, folder.path());
  if (!missing.empty())
    throw scenario::InputError({{"merge", 1, 1, "runs",
                                 std::to_string(missing.size()) + " runs are not finished in the shards (the first: " +
                                     missing.front() + ")",
                                 "rerun the shards that were interrupted with --resume, then merge again"}});
  for (const auto& variant : variants) outcome.counts.total += variant.scenario.run.replications;
  outcome.counts.reused = outcome.counts.total;
  finish_sweep(plan, variants, folder.path(), merged, outcome.folder);
  folder.commit();
  return outcome;
}

std::string sbatch_script(const SweepPlan& plan, const std::filesystem::path& sweep_file,
                          const std::filesystem::path& folder, const std::vector<std::string>& overrides,
                          const SbatchSettings& settings) {
  auto quoted = [](const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
  };
  std::string sets;
  for (const auto& o : overrides) sets += " --set " + quoted(o);
  const std::string n = std::to_string(settings.shards);
  std::ostringstream out;
  out << "#!/bin/bash\n"
      << "# civicgrid sweep '" << plan.name << "' as a Slurm job array of " << n << " tasks, then a merge.\n"
      << "# Submit with:   mkdir -p " << quoted(std::filesystem::absolute(folder).string()) << " && sbatch " << plan.name
      << ".sbatch\n# (Slurm opens the log files below before the job starts, so their folder must exist.)\n"
      << "# Each task runs one slice of the run table (--shard i/" << n << ") into its own folder; a task that\n"
      << "# fails or times out can be resubmitted alone (sbatch --array=I ...): --resume keeps its finished runs.\n"
      << "# The last task to finish is not known in advance, so the merge is a dependent job (afterok).\n"
      << "#SBATCH --job-name=civicgrid-" << plan.name << "\n"
      << "#SBATCH --array=1-" << n << "\n"
      << "#SBATCH --cpus-per-task=" << settings.cpus_per_task << "\n"
      << "#SBATCH --time=" << settings.time_limit << "\n"
      << "#SBATCH --output=" << (folder / "slurm-%A_%a.log").string() << "\n"
      << "set -euo pipefail\n"
      << "sweep=" << quoted(std::filesystem::absolute(sweep_file).string()) << "\n"
      << "out=" << quoted(std::filesystem::absolute(folder).string()) << "\n"
      << "if [ -z \"${SLURM_ARRAY_TASK_ID:-}\" ]; then\n"
      << "  echo 'run this script with sbatch' >&2\n"
      << "  exit 2\n"
      << "fi\n"
      << "task=$SLURM_ARRAY_TASK_ID\n"
      << settings.civicgrid << " sweep \"$sweep\"" << sets << " --shard \"$task/" << n
      << "\" --out \"$out/shard-$task\" --resume -j \"${SLURM_CPUS_PER_TASK:-1}\" -q\n"
      << "if [ \"$task\" = 1 ]; then\n"
      << "  # Task 1 queues the merge once the whole array has succeeded.\n"
      << "  sbatch --dependency=afterok:\"$SLURM_ARRAY_JOB_ID\" --job-name=civicgrid-" << plan.name
      << "-merge --output=\"$out/slurm-merge-%j.log\" \\\n"
      << "    --wrap=\"" << settings.civicgrid << " merge $out/shard-* --out $out/merged\"\n"
      << "fi\n";
  return out.str();
}

BatchOutcome run_compare(const std::vector<std::filesystem::path>& scenarios, const BatchCommandOptions& options) {
  std::vector<Variant> plan;
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    Variant variant;
    variant.index = static_cast<int>(i);
    variant.scenario_path = scenarios[i];
    variant.values = {scenarios[i].string()};
    plan.push_back(variant);
  }
  auto variants = load_variants(plan, options.overrides);
  for (const auto& v : variants)
    if (v.scenario.run.replications != variants.front().scenario.run.replications ||
        v.scenario.run.seed != variants.front().scenario.run.seed)
      throw scenario::InputError({{v.variant.scenario_path.string(), 1, 1, "run",
                                   "replications and seed differ from the first scenario's",
                                   "a paired comparison needs the same replications and seed: use -r and --seed"}});

  std::string name = "compare";
  for (const auto& v : variants) name += "-" + v.scenario.name;
  BatchOutcome outcome;
  const auto held = open_result_folder(options.out_dir, options.results_root, name);
  report::ResultFolder& folder = *held;
  const auto final_path = folder.final_path();
  BatchOptions batch{options.jobs, options.write_incidents, options.show_progress};
  outcome.counts = run_batch_to_precision(variants, folder.path(), batch, options.precision, outcome.precision_note);

  std::vector<std::vector<metrics::KpiSummary>> summaries;
  for (const auto& variant : variants)
    summaries.push_back(write_variant_folder(folder.path(), final_path, variant, options));
  std::filesystem::remove_all(folder.path() / "runs");

  const auto [csv, paired_json] = paired_tables(variants, summaries);
  const auto [pairs_csv, pairs_json] = pair_tables(variants, summaries);
  // The comparison's name first: the report, rendered here before the folder has its final name, titles
  // itself with it rather than with the temporary folder's.
  nlohmann::ordered_json json;
  json["name"] = name;
  for (const auto& [key, value] : paired_json.items()) json[key] = value;
  json["pairs"] = pairs_json;
  json["differences"] = plan_differences(folder.path(), variants, summaries);
  report::write_text_file(folder.path() / "compare.csv", csv);
  report::write_text_file(folder.path() / "pairs.csv", pairs_csv);
  report::write_text_file(folder.path() / "compare.json", json.dump(2) + "\n");
  outcome.table = compare_table_text(variants, summaries);
  throw_if_interrupted();
  report::write_report(folder.path(), options.report_lang);
  throw_if_interrupted();
  folder.commit();
  outcome.folder = final_path;
  return outcome;
}

}  // namespace civicgrid::experiment
