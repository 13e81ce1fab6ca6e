// Local standards and the one verdict. A planner's standards (`standards:` in a scenario or model, else the
// documented defaults) are judged here and nowhere else: `run`, `sweep`, `compare`, `search` and the reports
// all call judge(), so a variant cannot pass in one table and fail in another. A standard is judged twice:
// by the mean over replications, and by the one-sided confidence bound on the unfavourable side.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "metrics/summary.hpp"
#include "scenario/loader.hpp"
#include "scenario/scenario.hpp"

namespace civicgrid::metrics {

// The catalogue's units for the loader (scenario::LoadOptions::kpi_unit): only run-level keys can carry a
// standard, so breakdowns are refused.
scenario::KpiUnitLookup kpi_unit_lookup();
// LoadOptions with the catalogue filled in, for every caller that loads scenarios for a run.
scenario::LoadOptions load_options(std::vector<std::string> set_overrides = {});

// The defaults (docs/standards.md), each with origin "default".
const std::vector<scenario::Standard>& default_standards();
// The scenario's list when it has `standards:`, else the defaults.
const std::vector<scenario::Standard>& effective_standards(const scenario::Scenario& scenario);
// The within-target rate a grid must reach to count as covered (grid and resident coverage): the
// within_target_rate at_least standard; NaN when the standards have none (coverage is then undefined).
double within_target_bar(const std::vector<scenario::Standard>& standards);

enum class Outcome { met, not_met, undefined };
const char* to_string(Outcome outcome);

struct StandardVerdict {
  scenario::Standard standard;
  double mean = 0;               // NaN when the KPI is undefined in every replication or absent
  double bound = 0;              // one-sided `confidence` bound on the unfavourable side; NaN when n < 2
  std::int64_t n = 0;
  Outcome by_mean = Outcome::undefined;
  Outcome by_bound = Outcome::undefined;
};

struct Verdict {
  double confidence = 0.95;
  std::vector<StandardVerdict> standards;
  // Over the standards: not_met if any is not met, undefined if none is judged (or, by the bound, if a judged
  // one has fewer than 2 replications), met otherwise. A KPI the run does not define (no reporting rules, no
  // deadlines) is undefined and does not make a plan fail.
  Outcome by_mean = Outcome::undefined;
  Outcome by_bound = Outcome::undefined;
};

// `confidence` is one-sided (0.95: the bound a 95% one-sided interval gives).
Verdict judge(const std::vector<KpiSummary>& summaries, const std::vector<scenario::Standard>& standards,
              double confidence = 0.95);
// The same from the per-replication values of one KPI.
StandardVerdict judge_one(const scenario::Standard& standard, const std::vector<double>& per_replication,
                          double confidence = 0.95);

// As written to summary.json, compare.json and search.json:
//   {"confidence": 0.95, "by_mean": "met", "by_bound": "not_met", "standards": [{"kpi", "bound", "value",
//    "unit", "origin", "mean", "confidence_bound", "n", "by_mean", "by_bound"}, ...]}
nlohmann::ordered_json verdict_json(const Verdict& verdict);

// For people (stderr), one line per standard after a header line:
//   standards (default unless an origin is given): met by the mean, not met by the 95% one-sided bound
//     closure_rate >= 0.95: mean 0.9612, bound 0.9431 -> met by mean, not met by bound
std::string verdict_text(const Verdict& verdict);

}  // namespace civicgrid::metrics
