// Paired t interval and Welch's interval (Welch 1947; degrees of freedom by Satterthwaite 1946).
#include "metrics/comparison.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/math/distributions/students_t.hpp>

#include "metrics/summary.hpp"

namespace civicgrid::metrics {
namespace {

struct Moments {
  double mean = 0;
  double variance = 0;   // sample variance (n - 1)
  std::int64_t n = 0;
};

Moments moments(const std::vector<double>& values) {
  Moments m;
  for (double v : values) m.mean += v;
  m.n = static_cast<std::int64_t>(values.size());
  if (m.n == 0) return m;
  m.mean /= static_cast<double>(m.n);
  for (double v : values) m.variance += (v - m.mean) * (v - m.mean);
  m.variance = m.n > 1 ? m.variance / static_cast<double>(m.n - 1) : std::numeric_limits<double>::quiet_NaN();
  return m;
}

}  // namespace

PairedDifference paired_difference(const std::vector<double>& a, const std::vector<double>& b) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> differences;
  std::vector<double> a_defined;
  std::vector<double> b_defined;
  for (std::size_t r = 0; r < a.size() && r < b.size(); ++r) {
    if (std::isnan(a[r]) || std::isnan(b[r])) continue;
    differences.push_back(b[r] - a[r]);
    a_defined.push_back(a[r]);
    b_defined.push_back(b[r]);
  }
  PairedDifference result;
  const Moments d = moments(differences);
  result.n = d.n;
  result.mean = d.n > 0 ? d.mean : nan;
  result.ci95_half_width = d.n > 1 ? student_t_quantile_975(d.n - 1) * std::sqrt(d.variance / static_cast<double>(d.n)) : nan;
  result.significant = d.n > 1 && std::abs(result.mean) > result.ci95_half_width;
  if (d.n < 2) {
    result.p_value = nan;
  } else if (d.variance > 0) {
    result.p_value = two_sided_t_p_value(d.mean / std::sqrt(d.variance / static_cast<double>(d.n)),
                                         static_cast<double>(d.n - 1));
  } else {
    result.p_value = d.mean == 0 ? 1.0 : 0.0;   // no spread: either no difference at all, or a certain one
  }
  const Moments ma = moments(a_defined);
  const Moments mb = moments(b_defined);
  if (ma.n > 1) {
    const double va = ma.variance / static_cast<double>(ma.n);
    const double vb = mb.variance / static_cast<double>(mb.n);
    const double se2 = va + vb;
    if (se2 > 0) {
      const double df = se2 * se2 / (va * va / static_cast<double>(ma.n - 1) + vb * vb / static_cast<double>(mb.n - 1));
      const boost::math::students_t distribution(df);
      result.unpaired_ci95_half_width = boost::math::quantile(distribution, 0.975) * std::sqrt(se2);
    } else {
      result.unpaired_ci95_half_width = 0;
    }
  } else {
    result.unpaired_ci95_half_width = nan;
  }
  return result;
}

double two_sided_t_p_value(double t, double degrees_of_freedom) {
  if (std::isnan(t) || !(degrees_of_freedom > 0)) return std::numeric_limits<double>::quiet_NaN();
  if (std::isinf(t)) return 0.0;
  const boost::math::students_t distribution(degrees_of_freedom);
  return std::min(1.0, 2 * boost::math::cdf(boost::math::complement(distribution, std::abs(t))));
}

// Sorted ascending p_(1) <= ... <= p_(m): adjusted p_(k) = max over j <= k of min(1, (m - j + 1) p_(j)).
// The running maximum keeps the adjusted values in the order of the raw ones (a step-down procedure stops
// at the first pair it cannot reject).
std::vector<double> holm_adjusted(const std::vector<double>& p_values) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < p_values.size(); ++i)
    if (!std::isnan(p_values[i])) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return p_values[x] < p_values[y]; });
  std::vector<double> adjusted(p_values.size(), std::numeric_limits<double>::quiet_NaN());
  const double m = static_cast<double>(order.size());
  double running = 0;
  for (std::size_t j = 0; j < order.size(); ++j) {
    running = std::max(running, std::min(1.0, (m - static_cast<double>(j)) * p_values[order[j]]));
    adjusted[order[j]] = running;
  }
  return adjusted;
}

}  // namespace civicgrid::metrics
