// Mean and Student-t confidence half-width of each KPI over replications (see summary.hpp).
#include "metrics/summary.hpp"

#include <cmath>
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

  for (KpiSummary& summary : summaries) {
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
      continue;
    }
    double squares = 0;
    for (double value : summary.per_replication)
      if (!std::isnan(value)) squares += (value - summary.mean) * (value - summary.mean);
    const double s = std::sqrt(squares / static_cast<double>(n - 1));
    summary.ci95_half_width = student_t_quantile_975(n - 1) * s / std::sqrt(static_cast<double>(n));
  }
  return summaries;
}

}  // namespace civicgrid::metrics
