// Loading variants with their error mapping, and the resumable run loop (see batch.hpp).
#include "experiment/batch.hpp"

#include "metrics/standards.hpp"

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

#include "city/city.hpp"
#include "city/random.hpp"
#include "engine/replication.hpp"
#include "experiment/progress.hpp"
#include "experiment/process_pool.hpp"
#include "experiment/run.hpp"
#include "report/result_folder.hpp"

namespace civicgrid::experiment {
namespace {

std::string hex64(std::uint64_t value) {
  char buffer[20];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(value));
  return buffer;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string run_tag(const LoadedVariant& variant, int replication) {
  return variant.input_hash + " replication " + std::to_string(replication) + "\n";
}

std::string run_name(int variant, int replication) {
  return run_folder("", variant, replication).lexically_relative("runs").generic_string();
}

// Temporary run folders ("r0003.tmp-<pid>") of dead processes among `mine` (the final folders of this slice's
// runs): another slice's may belong to a live process elsewhere right now.
void remove_stale_run_temporaries(const std::filesystem::path& variant_dir, const std::set<std::string>& mine) {
  std::error_code ec;
  if (!std::filesystem::is_directory(variant_dir, ec)) return;
  std::vector<std::filesystem::path> stale;
  for (const auto& entry : std::filesystem::directory_iterator(variant_dir, ec)) {
    const std::string name = entry.path().string();
    const auto pid = report::temporary_owner_pid(entry.path().filename().string());
    if (pid && mine.count(name.substr(0, name.rfind(".tmp-"))) && !report::process_is_alive(*pid))
      stale.push_back(entry.path());
  }
  for (const auto& path : stale) std::filesystem::remove_all(path, ec);
}

}  // namespace

bool is_run_file_name(const std::string& name) {
  return name == "result.json" || name == "inputs.txt" || name == "incidents.csv" || name == "events.csv" ||
         name == "manifest.json";
}

std::filesystem::path run_folder(const std::filesystem::path& out_dir, int variant, int replication) {
  char name[16];
  std::snprintf(name, sizeof name, "r%04d", replication + 1);
  return out_dir / "runs" / variant_label(variant) / name;
}

std::vector<LoadedVariant> load_variants(const std::vector<Variant>& variants,
                                         const std::vector<std::string>& extra_overrides, const SweepPlan* sweep) {
  std::vector<LoadedVariant> loaded;
  std::vector<scenario::Diagnostic> problems;
  std::set<std::string> seen;
  for (const auto& variant : variants) {
    scenario::LoadOptions options = metrics::load_options(extra_overrides);
    options.set_overrides.insert(options.set_overrides.end(), variant.overrides.begin(), variant.overrides.end());
    try {
      LoadedVariant item;
      item.variant = variant;
      item.scenario = scenario::load_scenario(variant.scenario_path.string(), options);
      // The replication count is left out of the hash: adding replications must not invalidate finished ones.
      options.set_overrides.push_back("run.replications=1");
      const auto normalised = scenario::load_scenario(variant.scenario_path.string(), options);
      // The header comments name files and --set as typed (relative paths differ between shells and nodes);
      // the content below them is what determines a run.
      std::string content = normalised.resolved_yaml;
      while (content.rfind('#', 0) == 0) content.erase(0, content.find('\n') == std::string::npos ? content.size() : content.find('\n') + 1);
      // A GeoJSON layout's polygons, bases and travel matrix live in their own files: a changed file must
      // invalidate finished runs as a changed scenario does.
      if (const auto& geo = normalised.layout.geo)
        for (const std::string& file : {geo->geojson_file, geo->bases_file, normalised.travel.matrix_file})
          if (!file.empty()) {
            std::ifstream in(file, std::ios::binary);
            std::ostringstream data;
            data << in.rdbuf();
            content += "\n" + data.str();
          }
      item.input_hash = hex64(city::stream_name_hash(std::string(tool_version()) + "\n" + content));
      loaded.push_back(std::move(item));
    } catch (const scenario::InputError& error) {
      for (auto diagnostic : error.diagnostics()) {
        const int index = diagnostic.line - 1 - static_cast<int>(extra_overrides.size());
        if (sweep != nullptr && diagnostic.file == "--set" && index >= 0 &&
            index < static_cast<int>(sweep->parameters.size())) {
          const auto& origin = sweep->parameters[index].origin;
          diagnostic.message = "value '" + variant.values[index] + "': " + diagnostic.message;
          diagnostic.file = origin.file;
          diagnostic.line = origin.line;
          diagnostic.col = origin.col;
          if (diagnostic.key_path.empty()) diagnostic.key_path = origin.key_path;
        }
        if (seen.insert(diagnostic.format()).second) problems.push_back(diagnostic);
      }
    }
  }
  if (!problems.empty()) throw scenario::InputError(problems);
  return loaded;
}

RunState run_state(const std::filesystem::path& out_dir, const LoadedVariant& variant, int replication) {
  const auto folder = run_folder(out_dir, variant.variant.index, replication);
  std::error_code ec;
  if (!std::filesystem::exists(folder, ec)) return {RunState::Kind::missing, "not run yet"};
  if (const auto problem = report::sealed_folder_problem(folder)) return {RunState::Kind::damaged, *problem};
  if (read_text(folder / "inputs.txt") != run_tag(variant, replication))
    return {RunState::Kind::inputs_changed, "its inputs changed"};
  return {RunState::Kind::finished, ""};
}

bool run_is_finished(const std::filesystem::path& out_dir, const LoadedVariant& variant, int replication) {
  return run_state(out_dir, variant, replication).kind == RunState::Kind::finished;
}

std::vector<std::string> missing_runs(const std::vector<LoadedVariant>& variants, const std::filesystem::path& out_dir) {
  std::vector<std::string> missing;
  for (const auto& variant : variants)
    for (int r = 0; r < variant.scenario.run.replications; ++r)
      if (!run_is_finished(out_dir, variant, r)) missing.push_back(run_name(variant.variant.index, r));
  return missing;
}

std::string plan_hash(const std::vector<LoadedVariant>& variants) {
  std::string all;
  for (const auto& variant : variants)
    all += variant.input_hash + " x" + std::to_string(variant.scenario.run.replications) + "\n";
  return hex64(city::stream_name_hash(all));
}

BatchCounts run_batch(const std::vector<LoadedVariant>& variants, const std::filesystem::path& out_dir,
                      const BatchOptions& options) {
  struct PendingRun {
    int variant;
    int replication;
  };
  std::vector<PendingRun> pending;
  std::set<std::string> mine;   // folder names of this slice's runs, to clean only our own leftovers
  BatchCounts counts;
  int run_number = 0;
  for (int v = 0; v < static_cast<int>(variants.size()); ++v) {
    const int label = variants[v].variant.index;   // folders are named by variant, not by position here
    std::filesystem::create_directories(out_dir / "runs" / variant_label(label));
    for (int r = 0; r < variants[v].scenario.run.replications; ++r, ++run_number) {
      if (!options.slice.contains(run_number)) continue;
      ++counts.total;
      const auto folder = run_folder(out_dir, label, r);
      mine.insert(folder.string());
      const RunState state = run_state(out_dir, variants[v], r);
      if (state.kind == RunState::Kind::finished) {
        ++counts.reused;
        continue;
      }
      // Never trust a damaged run: say which and why (the user may want to know of a failing disk), then redo.
      if (state.kind == RunState::Kind::damaged)
        std::fprintf(stderr, "civicgrid: redoing run %s: %s\n", run_name(label, r).c_str(), state.reason.c_str());
      std::filesystem::remove_all(folder);   // inputs changed or damaged: redo
      pending.push_back({v, r});
    }
    // Leftovers of our runs whose writer died while writing them are never results.
    remove_stale_run_temporaries(out_dir / "runs" / variant_label(label), mine);
  }
  std::vector<city::City> cities;
  cities.reserve(variants.size());
  for (const auto& variant : variants) cities.push_back(city::City::build(variant.scenario));

  ProgressLine progress(options.progress_label, options.show_progress);
  if (options.show_progress && counts.reused > 0)
    std::fprintf(stderr, "resuming: %d of %d runs already finished\n", counts.reused, counts.total);
  try {
    run_in_child_processes(
        static_cast<int>(pending.size()), options.jobs,
        [&](int k) {
          const auto [v, r] = pending[k];
          const auto& variant = variants[v];
          const auto folder = run_folder(out_dir, variant.variant.index, r);
          try {
            // "<run>.tmp-<child pid>", sealed and renamed whole; removed by the destructor if anything throws.
            report::ResultFolder run(folder);
            engine::ReplicationOptions replication;
            replication.replication = r;
            replication.seed = variant.scenario.run.seed;
            if (options.write_incidents) replication.incidents_csv_path = (run.path() / "incidents.csv").string();
            const auto result = engine::run_replication(variant.scenario, cities[v], replication);
            report::write_text_file(run.path() / "result.json", metrics::to_json(result));
            report::write_text_file(run.path() / "inputs.txt", run_tag(variant, r));
            run.commit();
          } catch (const std::exception& error) {
            throw std::runtime_error("run " + variant_label(variant.variant.index) + " replication " + std::to_string(r + 1) + ": " +
                                     error.what());
          }
        },
        [&](const PoolProgress& p) { progress.update(counts.reused + p.done, counts.total, p.failed); },
        /*keep_going=*/true);
  } catch (const Interrupted&) {
    progress.finish();
    // The pool killed the workers: their temporary folders are ours to remove.
    for (const auto& variant : variants) remove_stale_run_temporaries(out_dir / "runs" / variant_label(variant.variant.index), mine);
    throw;
  } catch (const std::runtime_error& error) {
    progress.finish();
    throw std::runtime_error(std::string(error.what()) +
                             " (finished runs are kept: --resume redoes only the failed and missing ones)");
  }
  progress.finish();
  counts.ran = static_cast<int>(pending.size());
  return counts;
}

std::vector<metrics::ReplicationResult> read_variant_results(const std::filesystem::path& out_dir,
                                                             const LoadedVariant& variant) {
  std::vector<metrics::ReplicationResult> results;
  for (int r = 0; r < variant.scenario.run.replications; ++r) {
    const auto path = run_folder(out_dir, variant.variant.index, r) / "result.json";
    if (!std::filesystem::exists(path)) throw std::runtime_error("missing finished run " + path.string());
    try {
      results.push_back(metrics::replication_result_from_json(read_text(path)));
    } catch (const std::exception& error) {
      throw std::runtime_error("run " + run_name(variant.variant.index, r) + ": " + path.string() +
                               " is unreadable (" + error.what() + "); --resume redoes it");
    }
  }
  return results;
}

}  // namespace civicgrid::experiment
