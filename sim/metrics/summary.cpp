// Mean and Student-t confidence half-width of each KPI over replications (see summary.hpp).
#include "metrics/summary.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <unordered_map>
#include <unordered_set>

#include <boost/math/distributions/students_t.hpp>

#include "metrics/kpis.hpp"

namespace civicgrid::metrics {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Breakdowns ("<kpi>@<type>", "<kpi>@level:<level>" ...) share the unit of their KPI.
std::string unit_of(const std::string& name) {
  const KpiInfo* info = find_kpi(name);
  return info != nullptr ? std::string(info->unit) : std::string();
}

}  // namespace

std::vector<std::string> kpi_names_of(const std::vector<ReplicationResult>& results) {
  std::vector<std::string> names;
  std::unordered_set<std::string> seen;
  for (const ReplicationResult& result : results)
    for (const auto& kpi : result.kpis)
      if (seen.insert(kpi.first).second) names.push_back(kpi.first);
  return names;
}

double student_t_quantile(double probability, std::int64_t degrees_of_freedom) {
  if (degrees_of_freedom < 1 || !(probability > 0 && probability < 1)) return nan;
  const boost::math::students_t distribution(static_cast<double>(degrees_of_freedom));
  return boost::math::quantile(distribution, probability);
}

double student_t_quantile_975(std::int64_t degrees_of_freedom) { return student_t_quantile(0.975, degrees_of_freedom); }

namespace {

// Mean, n and the Student-t half-width of summary.per_replication, ignoring NaN (undefined) values.
void describe(KpiSummary& summary) {
  // Two passes (mean, then squared deviations): accurate, and the same bytes for the same inputs.
  double sum = 0;
  std::int64_t n = 0;
  for (double value : summary.per_replication)
    if (!std::isnan(value)) {
      sum += value;
      ++n;
    }
  summary.n = n;
  summary.mean = n > 0 ? sum / static_cast<double>(n) : nan;
  if (n < 2) {
    summary.ci95_half_width = nan;
    return;
  }
  double squares = 0;
  for (double value : summary.per_replication)
    if (!std::isnan(value)) squares += (value - summary.mean) * (value - summary.mean);
  const double s = std::sqrt(squares / static_cast<double>(n - 1));
  summary.ci95_half_width = student_t_quantile_975(n - 1) * s / std::sqrt(static_cast<double>(n));
}

double ratio_or_nan(double numerator, double denominator) { return denominator > 0 ? numerator / denominator : nan; }

}  // namespace

std::vector<KpiSummary> summarise(const std::vector<ReplicationResult>& results) {
  const std::vector<std::string> names = kpi_names_of(results);
  std::unordered_map<std::string, std::size_t> index;
  std::vector<KpiSummary> summaries(names.size());
  for (std::size_t k = 0; k < names.size(); ++k) {
    index.emplace(names[k], k);
    summaries[k].name = names[k];
    summaries[k].unit = unit_of(names[k]);
    summaries[k].per_replication.assign(results.size(), nan);
  }
  for (std::size_t r = 0; r < results.size(); ++r)
    for (const auto& [name, value] : results[r].kpis) summaries[index.at(name)].per_replication[r] = value;

  for (KpiSummary& summary : summaries) describe(summary);
  return summaries;
}

const std::vector<std::string>& grid_kpi_names() {
  static const std::vector<std::string> names = {
      kpi_key(Kpi::residents),          kpi_key(Kpi::incidents),
      kpi_key(Kpi::responded),          kpi_key(Kpi::within_target_rate),
      kpi_key(Kpi::response_min_mean),  kpi_key(Kpi::static_coverage_rate),
      kpi_key(Kpi::dynamic_coverage_rate), kpi_key(Kpi::visit_coverage_rate)};
  return names;
}

std::vector<GridSummary> summarise_grids(const std::vector<ReplicationResult>& results) {
  std::vector<GridSummary> grids;
  std::unordered_map<int, std::size_t> index;
  const std::size_t kpis = grid_kpi_names().size();
  for (std::size_t r = 0; r < results.size(); ++r)
    for (const GridTally& tally : results[r].grids) {
      auto [found, added] = index.try_emplace(tally.grid, grids.size());
      if (added) {
        GridSummary grid;
        grid.grid = tally.grid;
        grid.grid_id = tally.grid_id;
        grid.community_id = tally.community_id;
        grid.town_id = tally.town_id;
        for (const std::string& name : grid_kpi_names())
          grid.kpis.push_back({name, unit_of(name), nan, nan, 0, std::vector<double>(results.size(), nan)});
        grids.push_back(std::move(grid));
      }
      const auto responded = static_cast<double>(tally.responded);
      const double values[] = {tally.residents,
                               static_cast<double>(tally.incidents),
                               responded,
                               ratio_or_nan(static_cast<double>(tally.within_target), responded),
                               ratio_or_nan(tally.response_min_sum, responded),
                               tally.static_coverage_rate,
                               tally.dynamic_coverage_rate,
                               tally.visit_coverage_rate};
      static_assert(std::size(values) == 8);
      for (std::size_t k = 0; k < kpis; ++k) grids[found->second].kpis[k].per_replication[r] = values[k];
    }
  for (GridSummary& grid : grids)
    for (KpiSummary& summary : grid.kpis) describe(summary);
  std::sort(grids.begin(), grids.end(), [](const GridSummary& a, const GridSummary& b) { return a.grid < b.grid; });
  return grids;
}

}  // namespace civicgrid::metrics
