// The defaults and the verdict of standards.hpp. The defaults are civicgrid's own planning bars, not figures
// from a national standard (docs/standards.md says where each comes from); a scenario replaces them.
#include "metrics/standards.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

#include "metrics/kpis.hpp"

namespace civicgrid::metrics {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

scenario::Standard make_default(Kpi kpi, scenario::Bound bound, double value) {
  return {kpi_key(kpi), bound, value, "default"};
}

}  // namespace

scenario::KpiUnitLookup kpi_unit_lookup() {
  return [](const std::string& key) -> std::optional<std::string> {
    const KpiInfo* info = key.find('@') == std::string::npos ? find_kpi(key) : nullptr;
    if (info == nullptr || (info->scopes & scope_run) == 0) return std::nullopt;
    return std::string(info->unit);
  };
}

scenario::LoadOptions load_options(std::vector<std::string> set_overrides) {
  scenario::LoadOptions options;
  options.set_overrides = std::move(set_overrides);
  options.kpi_unit = kpi_unit_lookup();
  options.kpi_renamed = renamed_kpi;
  return options;
}

const std::vector<scenario::Standard>& default_standards() {
  using scenario::Bound;
  static const std::vector<scenario::Standard> defaults = {
      make_default(Kpi::within_target_rate, Bound::at_least, 0.90),
      make_default(Kpi::closure_rate, Bound::at_least, 0.95),
      make_default(Kpi::on_time_closure_rate, Bound::at_least, 0.90),
      make_default(Kpi::grid_coverage_rate, Bound::at_least, 0.90),
      make_default(Kpi::utilization, Bound::at_most, 0.85),
  };
  return defaults;
}

const std::vector<scenario::Standard>& effective_standards(const scenario::Scenario& scenario) {
  return scenario.standards ? *scenario.standards : default_standards();
}

double within_target_bar(const std::vector<scenario::Standard>& standards) {
  for (const auto& standard : standards)
    if (standard.kpi == kpi_key(Kpi::within_target_rate) && standard.bound == scenario::Bound::at_least)
      return standard.value;
  return nan;
}

const char* to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::met: return "met";
    case Outcome::not_met: return "not_met";
    case Outcome::undefined: return "undefined";
  }
  return "undefined";
}

StandardVerdict judge_one(const scenario::Standard& standard, const std::vector<double>& per_replication,
                          double confidence) {
  StandardVerdict verdict;
  verdict.standard = standard;
  double sum = 0;
  for (double value : per_replication)
    if (!std::isnan(value)) {
      sum += value;
      ++verdict.n;
    }
  const bool at_least = standard.bound == scenario::Bound::at_least;
  const auto meets = [&](double value) { return at_least ? value >= standard.value : value <= standard.value; };
  if (verdict.n == 0) {
    verdict.mean = nan;
    verdict.bound = nan;
    return verdict;
  }
  verdict.mean = sum / static_cast<double>(verdict.n);
  verdict.by_mean = meets(verdict.mean) ? Outcome::met : Outcome::not_met;
  if (verdict.n < 2) {
    verdict.bound = nan;
    return verdict;
  }
  double squares = 0;
  for (double value : per_replication)
    if (!std::isnan(value)) squares += (value - verdict.mean) * (value - verdict.mean);
  const double n = static_cast<double>(verdict.n);
  const double spread = student_t_quantile(confidence, verdict.n - 1) * std::sqrt(squares / (n - 1) / n);
  verdict.bound = at_least ? verdict.mean - spread : verdict.mean + spread;
  verdict.by_bound = meets(verdict.bound) ? Outcome::met : Outcome::not_met;
  return verdict;
}

Verdict judge(const std::vector<KpiSummary>& summaries, const std::vector<scenario::Standard>& standards,
              double confidence) {
  Verdict verdict;
  verdict.confidence = confidence;
  bool any_mean = false, any_bound_missing = false, mean_failed = false, bound_failed = false, any_judged = false;
  for (const auto& standard : standards) {
    const KpiSummary* summary = nullptr;
    for (const auto& candidate : summaries)
      if (candidate.name == standard.kpi) summary = &candidate;
    StandardVerdict one = summary != nullptr ? judge_one(standard, summary->per_replication, confidence)
                                             : judge_one(standard, {}, confidence);
    if (one.by_mean != Outcome::undefined) {
      any_mean = true;
      mean_failed = mean_failed || one.by_mean == Outcome::not_met;
      if (one.by_bound == Outcome::undefined) any_bound_missing = true;
      else any_judged = true;
      bound_failed = bound_failed || one.by_bound == Outcome::not_met;
    }
    verdict.standards.push_back(std::move(one));
  }
  verdict.by_mean = !any_mean ? Outcome::undefined : mean_failed ? Outcome::not_met : Outcome::met;
  verdict.by_bound = bound_failed                          ? Outcome::not_met
                     : (!any_judged || any_bound_missing) ? Outcome::undefined
                                                          : Outcome::met;
  return verdict;
}

nlohmann::ordered_json verdict_json(const Verdict& verdict) {
  const auto number = [](double value) { return std::isfinite(value) ? nlohmann::ordered_json(value) : nullptr; };
  nlohmann::ordered_json json;
  json["confidence"] = verdict.confidence;
  json["by_mean"] = to_string(verdict.by_mean);
  json["by_bound"] = to_string(verdict.by_bound);
  json["standards"] = nlohmann::ordered_json::array();
  for (const auto& one : verdict.standards) {
    const KpiInfo* info = find_kpi(one.standard.kpi);
    json["standards"].push_back({{"kpi", one.standard.kpi},
                                 {"bound", scenario::to_string(one.standard.bound)},
                                 {"value", one.standard.value},
                                 {"unit", info != nullptr ? std::string(info->unit) : std::string()},
                                 {"origin", one.standard.origin},
                                 {"mean", number(one.mean)},
                                 {"confidence_bound", number(one.bound)},
                                 {"n", one.n},
                                 {"by_mean", to_string(one.by_mean)},
                                 {"by_bound", to_string(one.by_bound)}});
  }
  return json;
}

std::string verdict_text(const Verdict& verdict) {
  const auto words = [](Outcome outcome) {
    return outcome == Outcome::met ? "met" : outcome == Outcome::not_met ? "not met" : "not judged";
  };
  char line[400];
  std::snprintf(line, sizeof line, "standards: %s by the mean, %s by the %.0f%% one-sided bound\n",
                words(verdict.by_mean), words(verdict.by_bound), verdict.confidence * 100);
  std::string text = line;
  for (const auto& one : verdict.standards) {
    std::snprintf(line, sizeof line, "  %-24s %s %-8.4g mean %-10.4g bound %-10.4g %-9s %-9s (%s)\n",
                  one.standard.kpi.c_str(), one.standard.bound == scenario::Bound::at_least ? ">=" : "<=",
                  one.standard.value, one.mean, one.bound, words(one.by_mean), words(one.by_bound),
                  one.standard.origin.c_str());
    text += line;
  }
  return text;
}

}  // namespace civicgrid::metrics
