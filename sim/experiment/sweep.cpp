// Orchestration of sweeps and comparisons on top of run_batch (see sweep.hpp).
#include "experiment/sweep.hpp"

#include <chrono>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "metrics/comparison.hpp"
#include "report/result_folder.hpp"
#include "report/writers.hpp"
#include "experiment/run.hpp"

namespace civicgrid::experiment {
namespace {

// Rebuilds <out>/variants/<label> from the finished runs (derived data: replaced as a whole).
std::vector<metrics::KpiSummary> write_variant_folder(const std::filesystem::path& out_dir, const LoadedVariant& variant,
                                                      const BatchCommandOptions& options) {
  const auto final_path = out_dir / "variants" / variant_label(variant.variant.index);
  std::filesystem::remove_all(final_path);
  report::ResultFolder folder(final_path);
  const auto results = read_variant_results(out_dir, variant);
  std::vector<std::filesystem::path> parts;
  if (options.write_incidents)
    for (int r = 0; r < variant.scenario.run.replications; ++r)
      parts.push_back(run_folder(out_dir, variant.variant.index, r) / "incidents.csv");
  const auto summaries =
      assemble_result_files(folder.path(), variant.scenario, results, parts, options.argv, options.jobs, 0.0,
                            final_path.string());
  folder.commit();
  return summaries;
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

std::filesystem::path default_compare_path(const BatchCommandOptions& options, const std::string& name) {
  return options.out_dir.empty() ? report::default_result_path(options.results_root, name, std::chrono::system_clock::now())
                                 : options.out_dir;
}

}  // namespace

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

BatchOutcome run_sweep(const SweepPlan& plan, const std::vector<LoadedVariant>& variants,
                       const BatchCommandOptions& options) {
  BatchOutcome outcome;
  outcome.folder = options.out_dir.empty() ? options.results_root / plan.name : options.out_dir;
  std::filesystem::create_directories(outcome.folder);
  BatchOptions batch{options.jobs, options.write_incidents, options.show_progress};
  outcome.counts = run_batch(variants, outcome.folder, batch);

  std::ostringstream table;
  table << "variant";
  for (const auto& parameter : plan.parameters) table << ',' << report::csv_field(parameter.path);
  table << ",kpi,unit,mean,ci95_half_width,n\n";
  for (const auto& variant : variants) {
    const auto summaries = write_variant_folder(outcome.folder, variant, options);
    for (const auto& kpi : summaries) {
      table << variant_label(variant.variant.index);
      for (const auto& value : variant.variant.values) table << ',' << report::csv_field(value);
      table << ',' << kpi.name << ',' << kpi.unit << ',' << report::csv_number(kpi.mean) << ','
            << report::csv_number(kpi.ci95_half_width) << ',' << kpi.n << '\n';
    }
  }
  report::write_text_file(outcome.folder / "sweep.csv", table.str());
  report::write_text_file(outcome.folder / "runs.csv", runs_csv(variants));
  return outcome;
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
  const auto variants = load_variants(plan, options.overrides);
  for (const auto& v : variants)
    if (v.scenario.run.replications != variants.front().scenario.run.replications ||
        v.scenario.run.seed != variants.front().scenario.run.seed)
      throw scenario::InputError({{v.variant.scenario_path.string(), 1, 1, "run",
                                   "replications and seed differ from the first scenario's",
                                   "a paired comparison needs the same replications and seed: use -r and --seed"}});

  std::string name = "compare";
  for (const auto& v : variants) name += "-" + v.scenario.name;
  BatchOutcome outcome;
  const auto final_path = default_compare_path(options, name);
  report::ResultFolder folder(final_path);
  BatchOptions batch{options.jobs, options.write_incidents, options.show_progress};
  outcome.counts = run_batch(variants, folder.path(), batch);

  std::vector<std::vector<metrics::KpiSummary>> summaries;
  for (const auto& variant : variants) summaries.push_back(write_variant_folder(folder.path(), variant, options));
  std::filesystem::remove_all(folder.path() / "runs");

  std::ostringstream csv;
  csv << "kpi,unit,variant,scenario,mean,ci95_half_width,n,diff_vs_first,diff_ci95_half_width,"
         "diff_unpaired_ci95_half_width,significant\n";
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
      const auto& kpi = summaries[v][k];
      const auto diff = metrics::paired_difference(base.per_replication, kpi.per_replication);
      csv << kpi.name << ',' << kpi.unit << ',' << variant_label(static_cast<int>(v)) << ','
          << report::csv_field(variants[v].scenario.name) << ',' << report::csv_number(kpi.mean) << ','
          << report::csv_number(kpi.ci95_half_width) << ',' << kpi.n << ',';
      nlohmann::ordered_json item;
      item["variant"] = variant_label(static_cast<int>(v));
      item["scenario"] = variants[v].scenario.name;
      item["mean"] = number(kpi.mean);
      item["ci95_half_width"] = number(kpi.ci95_half_width);
      if (v == 0) {
        csv << ",,,\n";
      } else {
        csv << report::csv_number(diff.mean) << ',' << report::csv_number(diff.ci95_half_width) << ','
            << report::csv_number(diff.unpaired_ci95_half_width) << ',' << (diff.significant ? "yes" : "no") << '\n';
        item["diff_vs_first"] = number(diff.mean);
        item["diff_ci95_half_width"] = number(diff.ci95_half_width);
        item["diff_unpaired_ci95_half_width"] = number(diff.unpaired_ci95_half_width);
        item["significant"] = diff.significant;
      }
      entry["variants"].push_back(item);
    }
    json["kpis"][base.name] = entry;
  }
  report::write_text_file(folder.path() / "compare.csv", csv.str());
  report::write_text_file(folder.path() / "compare.json", json.dump(2) + "\n");
  folder.commit();
  outcome.folder = final_path;
  return outcome;
}

}  // namespace civicgrid::experiment
