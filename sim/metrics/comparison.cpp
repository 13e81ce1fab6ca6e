// Paired t interval and Welch's interval (Welch 1947; degrees of freedom by Satterthwaite 1946).
#include "metrics/comparison.hpp"

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

}  // namespace civicgrid::metrics
