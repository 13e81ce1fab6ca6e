// The civicgrid command, the one entry point for a planner, a script or a cluster job. It checks the whole command
// line before anything runs, then hands each command to the layers below it (docs/architecture.md): run, validate,
// dump (validate and run warn of an overload first); report; export (--xlsx, --csv-bom); sweep (--list, --shard,
// --mpi, --emit-sbatch), compare, search; merge. stdout carries data (folder paths, the resolved scenario, a run
// table, an sbatch script); stderr carries messages for people. Exit codes: 0 success, 2 invalid input (nothing
// written), 1 internal failure, 130 interrupted (run, compare and merge leave no folder; sweep and search keep
// finished runs for --resume).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <iostream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "city/offered_load.hpp"
#include "cluster/mpi_sweep.hpp"
#include "experiment/process_pool.hpp"
#include "experiment/search.hpp"
#include "experiment/run.hpp"
#include "experiment/sweep.hpp"
#include "metrics/kpis.hpp"
#include "metrics/standards.hpp"
#include "report/html_report.hpp"
#include "report/spreadsheet.hpp"
#include "report/writers.hpp"
#include "scenario/loader.hpp"

namespace po = boost::program_options;
using namespace civicgrid;

namespace {

constexpr int exit_ok = 0;
constexpr int exit_internal = 1;
constexpr int exit_invalid_input = 2;
constexpr int exit_interrupted = 130;

const char* usage_text =
    "usage: civicgrid COMMAND FILE... [options]\n"
    "commands:\n"
    "  run SCENARIO        run the scenario's replications and write a result folder (its path goes to stdout)\n"
    "  validate SCENARIO   check the scenario (and its model) without running; all problems are listed\n"
    "  dump SCENARIO       print the fully resolved scenario (model merged, --set applied) as YAML\n"
    "  report DIR          (re)write DIR/report.html from a result folder's data files, without re-running\n"
    "  export DIR          copy a result folder's data for Excel and WPS: one workbook (--xlsx) and/or CSV copies\n"
    "                      with a UTF-8 byte-order mark (--csv-bom); default DIR/<kind>.xlsx and DIR/excel/\n"
    "  sweep SWEEP         run every variant of a sweep file (--list: print the run table only; --resume)\n"
    "  compare A B [C...]  run scenarios over the same replications; paired differences against A\n"
    "  search SEARCH       least staff meeting a KPI target with one-sided confidence (bisection or greedy)\n"
    "  merge DIR [DIR...]  combine the shard folders of one sweep (--shard i/N) into one complete sweep folder\n"
    "  kpis                print the KPI catalogue: key, unit, direction, names, definition (--json, --markdown)\n";

struct Arguments {
  std::string command;
  std::vector<std::string> inputs;
  std::vector<std::string> overrides;
  std::optional<int> replications;     // as in the scenario unless given
  std::optional<long long> seed;
  int jobs = 1;
  std::string out_dir;
  std::string results_root = "results";
  bool no_incidents = false;
  bool quiet = false;
  bool list = false;
  bool resume = false;
  std::string lang = "zh";
  experiment::Slice slice;
  bool mpi = false;
  int emit_sbatch_shards = 0;   // 0 = run the sweep
  std::optional<experiment::PrecisionGoal> precision;
  bool xlsx = false;      // export
  bool csv_bom = false;   // export
};

po::options_description option_descriptions() {
  po::options_description options("options");
  options.add_options()
      ("help,h", "show this help")
      ("version", "print the version")
      ("set", po::value<std::vector<std::string>>()->composing(),
       "override a scenario value: --set path.to.key=value (repeatable)")
      ("replications,r", po::value<int>(), "number of replications (same as --set run.replications=N)")
      ("seed", po::value<long long>(), "master seed (same as --set run.seed=S)")
      ("jobs,j", po::value<int>()->default_value(1), "replications run in parallel processes")
      ("out,o", po::value<std::string>(), "result folder (default: RESULTS_ROOT/<scenario>/<UTC timestamp>)")
      ("results-root", po::value<std::string>()->default_value("results"), "root of default result folders")
      ("no-incidents", "do not write incidents.csv (one row per incident)")
      ("list", "sweep: print the numbered run table (CSV) and stop")
      ("resume", "sweep: continue an interrupted sweep in its folder, reusing finished runs")
      ("shard", po::value<std::string>(),
       "sweep: run only slice I of N of the run table (I = 1..N), for job arrays; default from "
       "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT inside a Slurm array; combine the slices with `merge`")
      ("mpi", "sweep: spread the runs over the ranks of `mpirun -np N civicgrid sweep FILE --mpi`")
      ("emit-sbatch", po::value<int>(),
       "sweep: print a Slurm job-array script of N tasks (each --shard i/N, then a merge) and stop")
      ("quiet,q", "no progress and no KPI table on stderr")
      ("json", "kpis: print the catalogue as JSON (one object per KPI)")
      ("markdown", "kpis: print the catalogue as README's Markdown table")
      ("lang", po::value<std::string>()->default_value("zh"), "language of report.html: zh (default) or en")
      ("precision", po::value<double>(),
       "run, sweep, compare: add replications until the 95% CI half-width of --precision-kpi is at most this share "
       "of its mean (e.g. 0.05; sequential procedure of Law & Kelton; starts at max(-r, 10))")
      ("precision-kpi", po::value<std::string>()->default_value("response_min_mean"), "the KPI --precision watches")
      ("max-replications", po::value<int>()->default_value(200), "--precision stops here even if not precise")
      ("xlsx", "export: one Excel workbook of the folder's data (--out FILE; default DIR/<kind>.xlsx)")
      ("csv-bom", "export: copies of the folder's CSV files with a UTF-8 byte-order mark, for Excel and WPS "
                  "(--out FOLDER; default DIR/excel/)");
  return options;
}

// Returns an exit code when the command line itself is finished (help, version, usage error).
std::optional<int> parse_arguments(int argc, char** argv, Arguments& arguments) {
  po::options_description visible = option_descriptions();
  po::options_description all = visible;
  all.add_options()("command", po::value<std::string>())("inputs", po::value<std::vector<std::string>>());
  po::positional_options_description positional;
  positional.add("command", 1).add("inputs", -1);
  po::variables_map values;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), values);
    po::notify(values);
  } catch (const po::error& error) {
    std::cerr << "civicgrid: " << error.what() << "\n" << usage_text << "run 'civicgrid --help' for options\n";
    return exit_invalid_input;
  }
  if (values.count("help")) {
    std::cout << usage_text << visible;
    return exit_ok;
  }
  if (values.count("version")) {
    std::cout << "civicgrid " << experiment::tool_version() << " (" << experiment::git_revision() << ")\n";
    return exit_ok;
  }
  if (!values.count("command")) {
    std::cerr << "civicgrid: missing COMMAND\n" << usage_text;
    return exit_invalid_input;
  }
  arguments.command = values["command"].as<std::string>();
  if (values.count("inputs")) arguments.inputs = values["inputs"].as<std::vector<std::string>>();
  if (arguments.command == "kpis") {
    if (!arguments.inputs.empty() || (values.count("json") && values.count("markdown"))) {
      std::cerr << "civicgrid: kpis takes no file, and at most one of --json and --markdown\n" << usage_text;
      return exit_invalid_input;
    }
    std::cout << (values.count("json")       ? metrics::catalogue_json()
                  : values.count("markdown") ? metrics::catalogue_markdown()
                                             : metrics::catalogue_text());
    return exit_ok;
  }
  if (values.count("json") || values.count("markdown")) {
    std::cerr << "civicgrid: --json and --markdown belong to the kpis command\n";
    return exit_invalid_input;
  }
  const bool single = arguments.command == "run" || arguments.command == "validate" || arguments.command == "dump" ||
                      arguments.command == "sweep" || arguments.command == "report" || arguments.command == "search" ||
                      arguments.command == "export";
  const bool at_least_one = arguments.command == "merge";
  if (!single && !at_least_one && arguments.command != "compare") {
    std::cerr << "civicgrid: unknown command '" << arguments.command << "'\n" << usage_text;
    return exit_invalid_input;
  }
  const std::size_t least = single || at_least_one ? 1 : 2;
  if (arguments.inputs.size() < least || (single && arguments.inputs.size() != 1)) {
    std::cerr << "civicgrid: " << arguments.command << " takes "
              << (single ? "exactly one file" : at_least_one ? "one or more folders" : "two or more scenario files")
              << "\n" << usage_text;
    return exit_invalid_input;
  }
  if (values.count("set")) arguments.overrides = values["set"].as<std::vector<std::string>>();
  if (values.count("replications")) {
    arguments.replications = values["replications"].as<int>();
    if (*arguments.replications < 1) {
      std::cerr << "civicgrid: -r " << *arguments.replications
                << ": the number of replications must be at least 1 (hint: -r 10 runs ten replications; leave -r out "
                   "to use the scenario's run.replications)\n";
      return exit_invalid_input;
    }
  }
  if (values.count("seed")) {
    arguments.seed = values["seed"].as<long long>();
    if (*arguments.seed < 0) {
      std::cerr << "civicgrid: --seed " << *arguments.seed
                << ": the master seed is a whole number 0 or more (hint: --seed 42; leave --seed out to use the "
                   "scenario's run.seed)\n";
      return exit_invalid_input;
    }
  }
  arguments.jobs = values["jobs"].as<int>();
  if (arguments.jobs < 1 || arguments.jobs > 1024) {
    std::cerr << "civicgrid: --jobs must be between 1 and 1024 (got " << arguments.jobs << ")\n";
    return exit_invalid_input;
  }
  if (values.count("out")) {
    arguments.out_dir = values["out"].as<std::string>();
    // A sweep's or search's folder is its work area (checked against --resume by the command); export checks
    // its --out itself (a file or a folder, with its own hint).
    if (arguments.command != "sweep" && arguments.command != "search" && arguments.command != "export" &&
        std::filesystem::exists(arguments.out_dir)) {
      std::cerr << "civicgrid: --out " << arguments.out_dir
                << ": already exists (hint: choose a new folder; results are never overwritten)\n";
      return exit_invalid_input;
    }
  }
  arguments.results_root = values["results-root"].as<std::string>();
  arguments.no_incidents = values.count("no-incidents") > 0;
  arguments.quiet = values.count("quiet") > 0;
  arguments.list = values.count("list") > 0;
  arguments.lang = values["lang"].as<std::string>();
  if (arguments.lang != "zh" && arguments.lang != "en") {
    std::cerr << "civicgrid: --lang must be zh or en (got '" << arguments.lang << "')\n";
    return exit_invalid_input;
  }
  arguments.resume = values.count("resume") > 0;
  arguments.mpi = values.count("mpi") > 0;
  arguments.xlsx = values.count("xlsx") > 0;
  arguments.csv_bom = values.count("csv-bom") > 0;
  if ((arguments.xlsx || arguments.csv_bom) != (arguments.command == "export")) {
    std::cerr << (arguments.command == "export"
                      ? "civicgrid: export needs --xlsx (one workbook), --csv-bom (CSV copies for Excel) or both\n"
                      : "civicgrid: --xlsx and --csv-bom belong to `export`\n");
    return exit_invalid_input;
  }
  if (values.count("precision")) {
    experiment::PrecisionGoal goal;
    goal.relative_error = values["precision"].as<double>();
    goal.kpi = values["precision-kpi"].as<std::string>();
    goal.max_replications = values["max-replications"].as<int>();
    const metrics::KpiInfo* info = metrics::find_kpi(goal.kpi);
    const bool known = info != nullptr && (info->scopes & metrics::scope_run) != 0 && goal.kpi.find('@') == std::string::npos;
    if (!(goal.relative_error > 0 && goal.relative_error < 1) || !known || goal.max_replications < 2 ||
        goal.max_replications > 100000) {
      std::cerr << "civicgrid: --precision takes a share in (0, 1) (e.g. 0.05), --precision-kpi a KPI of the "
                   "catalogue (e.g. response_min_mean, within_target_rate; got '"
                << goal.kpi << "'), --max-replications 2 to 100000\n";
      return exit_invalid_input;
    }
    if ((arguments.command != "run" && arguments.command != "sweep" && arguments.command != "compare" &&
         arguments.command != "search") ||
        arguments.mpi) {
      std::cerr << "civicgrid: --precision belongs to run, sweep and compare (not --mpi)\n";
      return exit_invalid_input;
    }
    goal.min_replications = std::min(goal.min_replications, goal.max_replications);
    arguments.precision = goal;
  }
  if (values.count("emit-sbatch")) {
    arguments.emit_sbatch_shards = values["emit-sbatch"].as<int>();
    if (arguments.emit_sbatch_shards < 1 || arguments.emit_sbatch_shards > 100000) {
      std::cerr << "civicgrid: --emit-sbatch takes the number of array tasks, 1 to 100000 (got "
                << arguments.emit_sbatch_shards << ")\n";
      return exit_invalid_input;
    }
  }
  const bool sweep_only = values.count("shard") || arguments.mpi || arguments.emit_sbatch_shards > 0 ||
                          arguments.list || arguments.resume;
  if (sweep_only && arguments.command != "sweep" && !(arguments.command == "search" && arguments.resume &&
                                                      !arguments.list && !arguments.mpi && !values.count("shard") &&
                                                      arguments.emit_sbatch_shards == 0)) {
    std::cerr << "civicgrid: --shard, --mpi, --emit-sbatch and --list belong to `sweep`; --resume to sweep and search\n";
    return exit_invalid_input;
  }
  std::string shard_text;
  if (values.count("shard")) {
    shard_text = values["shard"].as<std::string>();
  } else if (arguments.command == "sweep" && !arguments.mpi && arguments.emit_sbatch_shards == 0 &&
             std::getenv("SLURM_ARRAY_TASK_ID") && std::getenv("SLURM_ARRAY_TASK_COUNT")) {
    // Inside a Slurm job array the slice comes from the task's environment.
    const char* first = std::getenv("SLURM_ARRAY_TASK_MIN");
    try {
      const int index = std::stoi(std::getenv("SLURM_ARRAY_TASK_ID")) - (first ? std::stoi(first) : 0) + 1;
      shard_text = std::to_string(index) + "/" + std::getenv("SLURM_ARRAY_TASK_COUNT");
    } catch (const std::exception&) {
      shard_text = "?";
    }
    std::cerr << "civicgrid: shard " << shard_text << " from the Slurm array environment\n";
  }
  if (!shard_text.empty()) {
    int index = 0;
    int count = 0;
    char tail = 0;
    if (std::sscanf(shard_text.c_str(), "%d/%d%c", &index, &count, &tail) != 2 || count < 1 || index < 1 ||
        index > count) {
      std::cerr << "civicgrid: --shard '" << shard_text
                << "': expected I/N with 1 <= I <= N (hint: --shard 2/8 runs the second of eight slices)\n";
      return exit_invalid_input;
    }
    if (arguments.mpi) {
      std::cerr << "civicgrid: --shard and --mpi exclude each other (MPI slices the run table by rank)\n";
      return exit_invalid_input;
    }
    if (arguments.precision) {
      std::cerr << "civicgrid: --precision needs the whole run table in one place: not with --shard or --mpi\n";
      return exit_invalid_input;
    }
    arguments.slice = {index - 1, count};
  }
  return std::nullopt;
}

// -r and --seed are --set in disguise, so they are validated like any value and recorded in the resolved file.
std::vector<std::string> command_line_overrides(const Arguments& arguments) {
  std::vector<std::string> overrides = arguments.overrides;
  if (arguments.replications) overrides.push_back("run.replications=" + std::to_string(*arguments.replications));
  if (arguments.seed) overrides.push_back("run.seed=" + std::to_string(*arguments.seed));
  return overrides;
}

experiment::BatchCommandOptions batch_options(const Arguments& arguments, int argc, char** argv) {
  experiment::BatchCommandOptions options;
  options.out_dir = arguments.out_dir;
  options.results_root = arguments.results_root;
  options.jobs = arguments.jobs;
  options.resume = arguments.resume;
  options.write_incidents = !arguments.no_incidents;
  options.show_progress = !arguments.quiet;
  options.overrides = command_line_overrides(arguments);
  options.argv.assign(argv, argv + argc);
  options.slice = arguments.slice;
  options.report_lang = arguments.lang;
  options.precision = arguments.precision;
  return options;
}

// Result folders are named absolutely on stdout and stderr: a script may run from another directory, and a
// person copying the path needs no context.
std::string shown(const std::filesystem::path& folder) {
  return std::filesystem::absolute(folder).lexically_normal().string();
}

void print_batch_outcome(const Arguments& arguments, std::size_t variants, const experiment::BatchOutcome& outcome,
                         const char* what) {
  if (!arguments.quiet && !outcome.precision_note.empty()) std::cerr << outcome.precision_note << "\n";
  if (!arguments.quiet)
    std::fprintf(stderr, "%zu variants, %d runs (%d reused, %d run now); %s in %s\n", variants, outcome.counts.total,
                 outcome.counts.reused, outcome.counts.ran, what, shown(outcome.folder).c_str());
  std::cout << shown(outcome.folder) << "\n";
}

int sweep_command(const Arguments& arguments, int argc, char** argv) {
  // Under mpirun every rank parses and loads alike (so input errors end all ranks the same way), but only
  // rank 0 prints results.
  std::optional<cluster::MpiSession> mpi;
  if (arguments.mpi) mpi.emplace();
  const auto plan = experiment::load_sweep(arguments.inputs.front());
  auto options = batch_options(arguments, argc, argv);
  const auto overrides = experiment::sweep_overrides(plan, options.overrides);
  const auto variants = experiment::load_variants(plan.variants, overrides, &plan);
  if (arguments.list) {
    std::cout << experiment::run_table_csv(plan, variants);
    return exit_ok;
  }
  const auto folder = experiment::sweep_folder(plan, options);
  if (arguments.emit_sbatch_shards > 0) {
    experiment::SbatchSettings settings;
    settings.shards = arguments.emit_sbatch_shards;
    settings.cpus_per_task = arguments.jobs;
    settings.civicgrid = std::filesystem::absolute(argv[0]).lexically_normal().string();
    std::cout << experiment::sbatch_script(plan, arguments.inputs.front(), folder, options.overrides, settings);
    return exit_ok;
  }
  if (mpi) {
    try {
      const auto outcome = cluster::run_sweep_mpi(*mpi, plan, variants, options);
      if (mpi->rank() == 0) print_batch_outcome(arguments, variants.size(), outcome, "results");
      return exit_ok;
    } catch (const experiment::Interrupted& interrupted) {
      std::cerr << "civicgrid: rank " << mpi->rank() << ": " << interrupted.what()
                << "; finished runs are kept (--resume continues)\n";
      mpi->abort(exit_interrupted);
    } catch (const std::invalid_argument& refused) {
      if (mpi->rank() == 0) std::cerr << "civicgrid: " << refused.what() << "\n";
      return exit_invalid_input;
    }
  }
  options.out_dir = folder;   // an existing folder is refused without --resume (run_sweep)
  const auto outcome = experiment::run_sweep(plan, variants, options);
  print_batch_outcome(arguments, variants.size(), outcome,
                      outcome.complete ? "results" : "shard (combine the shards with `civicgrid merge`)");
  return exit_ok;
}

int search_command(const Arguments& arguments, int argc, char** argv) {
  const auto plan = experiment::load_search(arguments.inputs.front());
  auto options = batch_options(arguments, argc, argv);
  options.out_dir = experiment::search_folder(plan, options);   // an existing one needs --resume (run_search)
  const auto outcome = experiment::run_search(plan, options);
  if (!arguments.quiet) {
    if (outcome.recommended >= 0) {
      const auto& best = outcome.points[outcome.recommended];
      std::string values;
      for (std::size_t p = 0; p < plan.parameters.size(); ++p)
        values += (p ? ", " : "") + plan.parameters[p].path + "=" + best.values[p];
      std::fprintf(stderr, "least plan meeting %s %s %g at %g%% confidence: %s (staff %.0f)\n", plan.target.kpi.c_str(),
                   plan.target.at_least ? ">=" : "<=", plan.target.value, 100 * plan.confidence, values.c_str(),
                   best.staff);
    } else {
      std::fprintf(stderr, "no candidate plan meets %s %s %g at %g%% confidence (hint: %s)\n",
                   plan.target.kpi.c_str(), plan.target.at_least ? ">=" : "<=", plan.target.value, 100 * plan.confidence,
                   outcome.diagnosis.value("hint", std::string("see search.json")).c_str());
    }
    std::fprintf(stderr, "%zu plans evaluated, %d runs (%d reused, %d run now); results in %s\n", outcome.points.size(),
                 outcome.counts.total, outcome.counts.reused, outcome.counts.ran, shown(outcome.folder).c_str());
  }
  std::cout << shown(outcome.folder) << "\n";
  return exit_ok;
}

int merge_command(const Arguments& arguments, int argc, char** argv) {
  std::vector<std::filesystem::path> shards(arguments.inputs.begin(), arguments.inputs.end());
  const auto outcome = experiment::merge_shards(shards, batch_options(arguments, argc, argv));
  if (!arguments.quiet)
    std::fprintf(stderr, "%zu shards, %d runs merged into %s\n", shards.size(), outcome.counts.total,
                 shown(outcome.folder).c_str());
  std::cout << shown(outcome.folder) << "\n";
  return exit_ok;
}

int compare_command(const Arguments& arguments, int argc, char** argv) {
  std::vector<std::filesystem::path> scenarios(arguments.inputs.begin(), arguments.inputs.end());
  const auto outcome = experiment::run_compare(scenarios, batch_options(arguments, argc, argv));
  if (!arguments.quiet && !outcome.precision_note.empty()) std::cerr << outcome.precision_note << "\n";
  if (!arguments.quiet) std::cerr << outcome.table;
  if (!arguments.quiet) std::fprintf(stderr, "comparison in %s\n", shown(outcome.folder).c_str());
  std::cout << shown(outcome.folder) << "\n";
  return exit_ok;
}

int report_command(const Arguments& arguments) {
  const std::filesystem::path dir = arguments.inputs.front();
  if (!report::report_kind(dir)) {
    std::cerr << "civicgrid: " << dir.string()
              << ": not a result folder (hint: give the folder that `civicgrid run`, `sweep`, `compare` or `search` "
                 "printed; it holds summary.json, sweep.csv, compare.json or search.json)\n";
    return exit_invalid_input;
  }
  const auto written = report::write_report(dir, arguments.lang);
  report::reseal_file(dir, written.filename().string());   // a sealed folder stays verifiable
  std::cout << shown(written) << "\n";
  return exit_ok;
}

// Problems of the folder as a whole have no line: "DIR: message (hint: ...)"; those inside a file keep
// FILE:LINE:COL like every other input error.
int export_command(const Arguments& arguments) {
  report::ExportRequest request;
  request.xlsx = arguments.xlsx;
  request.csv_bom = arguments.csv_bom;
  request.out = arguments.out_dir;
  report::ExportOutcome outcome;
  try {
    outcome = report::export_folder(arguments.inputs.front(), request);
  } catch (const scenario::InputError& error) {
    for (const auto& diagnostic : error.diagnostics()) {
      if (diagnostic.line > 0) {
        std::cerr << diagnostic.format() << "\n";
        continue;
      }
      std::cerr << diagnostic.file << ": " << (diagnostic.key_path.empty() ? "" : diagnostic.key_path + ": ")
                << diagnostic.message << (diagnostic.hint.empty() ? "" : " (hint: " + diagnostic.hint + ")") << "\n";
    }
    std::cerr << "civicgrid: nothing was written\n";
    return exit_invalid_input;
  }
  if (!outcome.workbook.empty()) std::cout << shown(outcome.workbook) << "\n";
  if (!outcome.csv_folder.empty()) std::cout << shown(outcome.csv_folder) << "\n";
  if (!arguments.quiet && !outcome.csv_folder.empty())
    std::cerr << outcome.csv_copies.size() << " CSV files copied with a UTF-8 byte-order mark into "
              << shown(outcome.csv_folder) << "\n";
  return exit_ok;
}

int run_command(const Arguments& arguments, int argc, char** argv) {
  if (arguments.command == "report") return report_command(arguments);
  if (arguments.command == "export") return export_command(arguments);
  if (arguments.command == "sweep") return sweep_command(arguments, argc, argv);
  if (arguments.command == "compare") return compare_command(arguments, argc, argv);
  if (arguments.command == "merge") return merge_command(arguments, argc, argv);
  if (arguments.command == "search") return search_command(arguments, argc, argv);
  const scenario::LoadOptions load = metrics::load_options(command_line_overrides(arguments));
  const std::string& scenario_path = arguments.inputs.front();
  const scenario::Scenario scenario = scenario::load_scenario(scenario_path, load);
  if (arguments.command == "validate" || arguments.command == "run") {
    // An overload (offered load >= capacity) is a problem, not progress: it prints under -q too, and the run
    // goes ahead (docs/offered-load.md).
    std::cerr << city::format_offered_load_warnings(city::estimate_offered_load(scenario, city::City::build(scenario)),
                                                    scenario);
  }

  if (arguments.command == "validate") {
    std::cerr << scenario_path << ": valid (" << scenario.name << ")\n";
    return exit_ok;
  }
  if (arguments.command == "dump") {
    std::cout << scenario.resolved_yaml;
    if (!scenario.resolved_yaml.empty() && scenario.resolved_yaml.back() != '\n') std::cout << '\n';
    return exit_ok;
  }
  experiment::RunOptions options;
  options.jobs = arguments.jobs;
  options.out_dir = arguments.out_dir;
  options.results_root = arguments.results_root;
  options.write_incidents = !arguments.no_incidents;
  options.show_progress = !arguments.quiet;
  options.argv.assign(argv, argv + argc);
  options.report_lang = arguments.lang;
  options.precision = arguments.precision;
  const auto outcome = experiment::run_to_folder(scenario, options);
  if (!arguments.quiet && !outcome.precision_note.empty()) std::cerr << outcome.precision_note << "\n";
  if (!arguments.quiet) {
    // A short table for people: breakdowns per type, team and level stay in summary.json and the report.
    std::vector<metrics::KpiSummary> headline;
    for (const auto& kpi : outcome.summaries)
      if (kpi.name.find('@') == std::string::npos && kpi.name.rfind("escalations_from_", 0) != 0 &&
          kpi.name.rfind("closed_at_", 0) != 0 && kpi.name.rfind("not_reported_", 0) != 0)
        headline.push_back(kpi);
    std::cerr << report::format_kpi_table(headline);
    std::cerr << metrics::verdict_text(metrics::judge(outcome.summaries, metrics::effective_standards(scenario)));
    std::fprintf(stderr, "%d replications in %.2f s; results in %s\n", outcome.replications,
                 outcome.wall_time_s, shown(outcome.folder).c_str());
  }
  std::cout << shown(outcome.folder) << "\n";
  return exit_ok;
}

}  // namespace

int main(int argc, char** argv) {
  Arguments arguments;
  if (const auto finished = parse_arguments(argc, argv, arguments)) return *finished;
  // Commands that write results unwind on SIGINT/SIGTERM (removing their temporary folders) instead of dying
  // mid-write; the others keep the default (they write nothing a signal could leave half done).
  const bool writes_results = arguments.command == "run" || arguments.command == "sweep" ||
                              arguments.command == "search" || arguments.command == "compare" ||
                              arguments.command == "merge";
  if (writes_results) experiment::install_interrupt_handlers();
  try {
    return run_command(arguments, argc, argv);
  } catch (const scenario::InputError& error) {
    for (const auto& diagnostic : error.diagnostics()) std::cerr << diagnostic.format() << "\n";
    std::cerr << "civicgrid: " << error.diagnostics().size() << " problem"
              << (error.diagnostics().size() == 1 ? "" : "s") << " found; nothing was run or written\n";
    return exit_invalid_input;
  } catch (const experiment::Interrupted& interrupted) {
    const bool work_folder = arguments.command == "sweep" || arguments.command == "search";
    std::cerr << "civicgrid: " << interrupted.what()
              << (work_folder ? "; finished runs are kept (--resume continues)\n"
                              : "; no result folder was written\n");
    return exit_interrupted;
  } catch (const std::exception& error) {
    std::cerr << "civicgrid: internal error: " << error.what() << "\n";
    return exit_internal;
  }
}
