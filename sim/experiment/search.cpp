// The staffing search of search.hpp: bisection or greedy marginal allocation over plans, each plan a batch of
// replications run like a sweep variant. Results: frontier.csv, search.json, variants/, runs/.
#include "experiment/search.hpp"

#include "metrics/standards.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "experiment/process_pool.hpp"
#include "report/html_report.hpp"
#include "report/html_util.hpp"
#include "report/writers.hpp"

namespace civicgrid::experiment {
namespace {

class Searcher {
 public:
  Searcher(const SearchPlan& plan, const BatchCommandOptions& options, const std::filesystem::path& folder)
      : plan_(plan), options_(options), folder_(folder) {
    SweepPlan as_sweep;   // lets load_variants point problems in values at the search file
    as_sweep.parameters = plan.parameters;
    as_sweep_ = as_sweep;
    if (plan.replications) base_overrides_.push_back("run.replications=" + std::to_string(*plan.replications));
    if (plan.seed) base_overrides_.push_back("run.seed=" + std::to_string(*plan.seed));
    base_overrides_.insert(base_overrides_.end(), options.overrides.begin(), options.overrides.end());
  }

  // Loads every candidate value once (each path at each value, the others at their first), so a bad value is
  // reported before anything runs.
  void validate_values() const {
    std::vector<Variant> probes;
    for (std::size_t p = 0; p < plan_.parameters.size(); ++p)
      for (std::size_t k = 0; k < plan_.parameters[p].values.size(); ++k) {
        std::vector<int> levels(plan_.parameters.size(), 0);
        levels[p] = static_cast<int>(k);
        probes.push_back(variant_at(levels, static_cast<int>(probes.size())));
      }
    load_variants(probes, base_overrides_, &as_sweep_);
  }

  // Evaluates the plans not yet known, all in one batch (so -j keeps every process busy), and returns their
  // indices in `points_`.
  std::vector<int> evaluate(const std::vector<std::vector<int>>& plans) {
    std::vector<int> indices;
    std::vector<Variant> fresh;
    for (const auto& levels : plans) {
      const auto known = index_of_.find(levels);
      if (known != index_of_.end()) {
        indices.push_back(known->second);
        continue;
      }
      const int index = static_cast<int>(points_.size());
      index_of_[levels] = index;
      indices.push_back(index);
      SearchPoint point;
      point.variant = index;
      point.levels = levels;
      points_.push_back(point);
      fresh.push_back(variant_at(levels, index));
    }
    if (fresh.empty()) return indices;
    auto loaded = load_variants(fresh, base_overrides_, &as_sweep_);
    BatchOptions batch{options_.jobs, options_.write_incidents, options_.show_progress};
    std::string note;
    const auto counts = run_batch_to_precision(loaded, folder_, batch, options_.precision, note);
    counts_.total += counts.total;
    counts_.reused += counts.reused;
    counts_.ran += counts.ran;
    for (auto& variant : loaded) {
      SearchPoint& point = points_[variant.variant.index];
      point.values = variant.variant.values;
      const auto summaries = write_variant_folder(folder_, folder_, variant, options_);
      for (const auto& kpi : summaries) {
        if (kpi.name == plan_.target.kpi) point.kpi = kpi;
        if (kpi.name == "staff") point.staff = kpi.mean;
      }
      judge(point, plan_);
      point.standards_verdict = metrics::verdict_json(
          metrics::judge(summaries, metrics::effective_standards(variant.scenario), plan_.confidence));
      loaded_.push_back(std::move(variant));
      if (options_.show_progress) std::fprintf(stderr, "%s\n", describe(point).c_str());
    }
    return indices;
  }

  std::string describe(const SearchPoint& point) const {
    std::string values;
    for (std::size_t p = 0; p < plan_.parameters.size(); ++p)
      values += (p ? ", " : "") + plan_.parameters[p].path + "=" + point.values[p];
    char line[512];
    std::snprintf(line, sizeof line, "plan %s (%s; staff %.0f): %s = %.4g +- %.2g, confidence bound %.4g (target %s %g): %s",
                  variant_label(point.variant).c_str(), values.c_str(), point.staff, plan_.target.kpi.c_str(),
                  point.kpi.mean, point.kpi.ci95_half_width, point.bound, plan_.target.at_least ? ">=" : "<=",
                  plan_.target.value, point.feasible ? "meets it" : "does not meet it");
    return line;
  }

  // One path: the least feasible value by bisection over its (increasing) candidates.
  int bisect() {
    const int last = static_cast<int>(plan_.parameters.front().values.size()) - 1;
    const int top = evaluate({{last}}).front();
    if (!points_[top].feasible) {
      // Also the smallest plan, so that the diagnosis can tell whether this staff moves the KPI at all
      // (no_plan_diagnosis): "widen the ranges" is wrong advice when it does not.
      if (last > 0) evaluate({{0}});
      return -1;
    }
    int low = 0;
    int high = last;
    int best = top;
    while (low < high) {
      const int middle = (low + high) / 2;
      const int index = evaluate({{middle}}).front();
      if (points_[index].feasible) {
        high = middle;
        best = index;
      } else {
        low = middle + 1;
      }
    }
    return best;
  }

  // Several paths: greedy marginal allocation from the smallest plan.
  int allocate() {
    std::vector<int> current(plan_.parameters.size(), 0);
    int at = evaluate({current}).front();
    while (!points_[at].feasible) {
      std::vector<std::vector<int>> steps;
      for (std::size_t p = 0; p < current.size(); ++p)
        if (current[p] + 1 < static_cast<int>(plan_.parameters[p].values.size())) {
          auto next = current;
          ++next[p];
          steps.push_back(next);
        }
      if (steps.empty()) return -1;
      const auto candidates = evaluate(steps);
      int chosen = -1;
      double best_gain = -INFINITY;
      for (int index : candidates) {
        const SearchPoint& candidate = points_[index];
        const double gain = (plan_.target.at_least ? 1 : -1) * (candidate.kpi.mean - points_[at].kpi.mean);
        const double added = std::max(candidate.staff - points_[at].staff, 1.0);   // a free step counts as one person
        const double per_person = std::isnan(gain) ? -INFINITY : gain / added;
        // Ties (and a first feasible step) go to the cheaper plan.
        if (per_person > best_gain || (chosen >= 0 && per_person == best_gain && candidate.staff < points_[chosen].staff)) {
          best_gain = per_person;
          chosen = index;
        }
      }
      if (chosen < 0) return -1;
      at = chosen;
      current = points_[at].levels;
    }
    return at;
  }

  std::vector<SearchPoint> points() const { return points_; }
  BatchCounts counts() const { return counts_; }

 private:
  Variant variant_at(const std::vector<int>& levels, int index) const {
    Variant variant;
    variant.index = index;
    variant.scenario_path = plan_.base_scenario;
    for (std::size_t p = 0; p < levels.size(); ++p) {
      const auto& value = plan_.parameters[p].values[levels[p]];
      variant.overrides.push_back(plan_.parameters[p].path + "=" + value);
      variant.values.push_back(value);
    }
    return variant;
  }

  const SearchPlan& plan_;
  const BatchCommandOptions& options_;
  std::filesystem::path folder_;
  SweepPlan as_sweep_;
  std::vector<std::string> base_overrides_;
  std::vector<SearchPoint> points_;
  std::map<std::vector<int>, int> index_of_;
  std::vector<LoadedVariant> loaded_;
  BatchCounts counts_;
};

std::string frontier_csv(const SearchPlan& plan, const std::vector<SearchPoint>& points, int recommended) {
  std::ostringstream out;
  out << "variant";
  for (const auto& parameter : plan.parameters) out << ',' << report::csv_field(parameter.path);
  out << ",staff,kpi,mean,ci95_half_width,n,confidence_bound,target,feasible,recommended\n";
  for (const auto& point : points) {
    out << variant_label(point.variant);
    for (const auto& value : point.values) out << ',' << report::csv_field(value);
    out << ',' << report::csv_number(point.staff) << ',' << report::csv_field(plan.target.kpi) << ',' << report::csv_number(point.kpi.mean)
        << ',' << report::csv_number(point.kpi.ci95_half_width) << ',' << point.kpi.n << ','
        << report::csv_number(point.bound) << ',' << report::csv_number(plan.target.value) << ','
        << (point.feasible ? "yes" : "no") << ',' << (point.variant == recommended ? "yes" : "no") << '\n';
  }
  return out.str();
}

nlohmann::ordered_json point_json(const SearchPlan& plan, const SearchPoint& point) {
  auto number = [](double x) { return std::isfinite(x) ? nlohmann::ordered_json(x) : nlohmann::ordered_json(); };
  nlohmann::ordered_json json;
  json["variant"] = variant_label(point.variant);
  json["values"] = nlohmann::ordered_json::object();
  for (std::size_t p = 0; p < plan.parameters.size(); ++p) json["values"][plan.parameters[p].path] = point.values[p];
  json["staff"] = number(point.staff);
  json["mean"] = number(point.kpi.mean);
  json["ci95_half_width"] = number(point.kpi.ci95_half_width);
  json["bound"] = number(point.bound);
  json["feasible"] = point.feasible;
  json["n"] = point.kpi.n;
  json["standards"] = point.standards_verdict;
  return json;
}

}  // namespace

// The target is one standard, judged by the one verdict function by its one-sided bound.
// Why no plan met the target, from what metrics wrote for the plans evaluated: how far the largest plan still
// misses, whether the varied staff moves the KPI at all (smallest against largest plan, beyond both intervals),
// which teams of the largest plan are saturated (utilisation at its standard's ceiling, else 0.85) and the
// weekday x hour cells where it falls furthest below (hours.csv). "Widen the ranges" is only advised when the
// KPI still improves with the staff varied.
static nlohmann::ordered_json no_plan_diagnosis(const SearchPlan& plan, const std::vector<SearchPoint>& points,
                                                const std::filesystem::path& folder) {
  nlohmann::ordered_json out;
  if (points.empty()) return out;
  const auto by_staff = [](const SearchPoint& a, const SearchPoint& b) { return a.staff < b.staff; };
  const SearchPoint& least = *std::min_element(points.begin(), points.end(), by_staff);
  const SearchPoint& largest = *std::max_element(points.begin(), points.end(), by_staff);
  const double sign = plan.target.at_least ? 1.0 : -1.0;   // improvement = sign x (later - earlier)
  const double gain = sign * (largest.kpi.mean - least.kpi.mean);
  if (!std::isfinite(largest.kpi.mean)) {
    out["hint"] = plan.target.kpi + " is undefined in the largest plan (nothing to measure it on): check the scenario";
    return out;
  }
  const double noise = (std::isfinite(least.kpi.ci95_half_width) ? least.kpi.ci95_half_width : 0.0) +
                       (std::isfinite(largest.kpi.ci95_half_width) ? largest.kpi.ci95_half_width : 0.0);
  const bool moves = largest.variant != least.variant && std::isfinite(gain) && gain > noise;
  out["least_plan"] = {{"variant", variant_label(least.variant)}, {"staff", least.staff}, {"mean", least.kpi.mean}};
  out["largest_plan"] = {{"variant", variant_label(largest.variant)}, {"staff", largest.staff},
                         {"mean", largest.kpi.mean}, {"bound", largest.bound}};
  out["gap"] = sign * (plan.target.value - largest.bound);
  out["staff_moves_kpi"] = moves;
  // Saturated teams of the largest plan.
  const auto dir = folder / "variants" / variant_label(largest.variant);
  nlohmann::ordered_json saturated = nlohmann::ordered_json::array();
  if (std::ifstream in(dir / "summary.json"); in) {
    const auto summary = nlohmann::ordered_json::parse(in, nullptr, false);
    double ceiling = 0.85;
    if (summary.contains("verdict") && summary["verdict"].contains("standards"))
      for (const auto& standard : summary["verdict"]["standards"])
        if (standard.value("kpi", "") == "utilization" && standard.value("bound", "") == "at_most")
          ceiling = standard.value("value", ceiling);
    out["utilisation_ceiling"] = ceiling;
    if (summary.contains("kpis"))
      for (const auto& [key, entry] : summary["kpis"].items())
        if (key.rfind("utilization@", 0) == 0 && entry.contains("mean") && entry["mean"].is_number() &&
            entry["mean"].get<double>() >= ceiling)
          saturated.push_back({{"team", key.substr(12)}, {"utilization", entry["mean"]}});
  }
  out["saturated_teams"] = saturated;
  // The weekday x hour cells furthest below the within-target bar (pooled over replications).
  nlohmann::ordered_json worst = nlohmann::ordered_json::array();
  if (report::detail::CsvReader csv(dir / "hours.csv"); csv.ok()) {
    std::vector<std::pair<double, double>> cells(7 * 24);   // (responded, within)
    const int c_day = csv.column("weekday"), c_hour = csv.column("hour"), c_n = csv.column("responded"),
              c_w = csv.column("within_target");
    while (csv.next()) {
      const double day = csv.number(c_day), hour = csv.number(c_hour);
      if (!(day >= 0 && day < 7 && hour >= 0 && hour < 24)) continue;
      auto& cell = cells[static_cast<std::size_t>(day) * 24 + static_cast<std::size_t>(hour)];
      cell.first += csv.number(c_n);
      cell.second += csv.number(c_w);
    }
    std::vector<std::size_t> order;
    for (std::size_t k = 0; k < cells.size(); ++k)
      if (cells[k].first > 0) order.push_back(k);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return cells[a].second / cells[a].first < cells[b].second / cells[b].first;
    });
    for (std::size_t i = 0; i < std::min<std::size_t>(3, order.size()); ++i)
      worst.push_back({{"weekday", order[i] / 24}, {"hour", order[i] % 24},
                       {"within_target_rate", cells[order[i]].second / cells[order[i]].first},
                       {"responded", cells[order[i]].first}});
  }
  out["worst_hours"] = worst;
  std::ostringstream hint;
  if (moves)
    hint << "the KPI still improves with the staff varied (" << least.kpi.mean << " at staff " << least.staff << ", "
         << largest.kpi.mean << " at staff " << largest.staff << "): widen the ranges in 'vary'";
  else
    hint << "the staff varied does not move " << plan.target.kpi << " (" << least.kpi.mean << " at staff "
         << least.staff << ", " << largest.kpi.mean << " at staff " << largest.staff
         << "): more of it cannot meet the target; change what binds";
  if (!saturated.empty()) {
    hint << "; saturated in the largest plan:";
    for (const auto& team : saturated) hint << ' ' << team["team"].get<std::string>() << " (" << team["utilization"].get<double>() << ")";
  }
  static const char* days[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  if (!worst.empty()) {
    hint << "; lowest within-target hours:";
    for (const auto& cell : worst)
      hint << ' ' << days[cell["weekday"].get<int>()] << ' ' << cell["hour"].get<int>() << "h ("
           << cell["within_target_rate"].get<double>() << ")";
  }
  out["hint"] = hint.str();
  return out;
}

void judge(SearchPoint& point, const SearchPlan& plan) {
  const scenario::Standard target{plan.target.kpi, plan.target.at_least ? scenario::Bound::at_least : scenario::Bound::at_most,
                                  plan.target.value, "search target"};
  const metrics::StandardVerdict verdict = metrics::judge_one(target, point.kpi.per_replication, plan.confidence);
  point.bound = verdict.bound;
  point.feasible = verdict.by_bound == metrics::Outcome::met;
}

std::filesystem::path search_folder(const SearchPlan& plan, const BatchCommandOptions& options) {
  return options.out_dir.empty() ? options.results_root / report::safe_folder_name(plan.name) : options.out_dir;
}

SearchOutcome run_search(const SearchPlan& plan, const BatchCommandOptions& options) {
  SearchOutcome outcome;
  outcome.folder = search_folder(plan, options);
  Searcher searcher(plan, options, outcome.folder);
  searcher.validate_values();
  const WorkFolderOwner owner{"search", plan.name, plan.file};
  const auto lock = open_work_folder(outcome.folder, owner, options.resume);
  const int found = plan.parameters.size() == 1 ? searcher.bisect() : searcher.allocate();
  outcome.points = searcher.points();
  outcome.recommended = found;
  outcome.counts = searcher.counts();

  nlohmann::ordered_json json;
  json["name"] = plan.name;
  json["scenario"] = plan.base_scenario.string();
  json["kpi"] = plan.target.kpi;
  json["direction"] = plan.target.at_least ? "at_least" : "at_most";
  json["target"] = plan.target.value;
  json["confidence"] = plan.confidence;
  json["method"] = plan.parameters.size() == 1 ? "bisection" : "greedy marginal allocation";
  for (const auto& parameter : plan.parameters) json["parameters"].push_back({{"path", parameter.path}, {"values", parameter.values}});
  json["recommended"] = found >= 0 ? point_json(plan, outcome.points[found]) : nlohmann::ordered_json();
  if (found < 0) {
    outcome.diagnosis = no_plan_diagnosis(plan, outcome.points, outcome.folder);
    json["no_plan"] = outcome.diagnosis;
  }
  json["runs"] = {{"total", outcome.counts.total}, {"reused", outcome.counts.reused}, {"ran", outcome.counts.ran}};
  auto sorted = outcome.points;
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.staff < b.staff; });
  json["frontier"] = nlohmann::ordered_json::array();
  for (const auto& point : sorted) json["frontier"].push_back(point_json(plan, point));
  report::write_text_file(outcome.folder / "frontier.csv",
                          frontier_csv(plan, sorted, found >= 0 ? outcome.points[found].variant : -1));
  report::write_text_file(outcome.folder / "search.json", json.dump(2) + "\n");
  throw_if_interrupted();
  report::write_report(outcome.folder, options.report_lang);
  seal_work_folder(outcome.folder, owner);
  return outcome;
}

}  // namespace civicgrid::experiment
