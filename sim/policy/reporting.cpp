// See reporting.hpp. The arithmetic is kept exactly as the engine first wrote it, so results stay
// byte-identical (tests/golden).
#include "policy/reporting.hpp"

namespace civicgrid::policy {

ReportVerdict ExclusiveReasonsReporting::decide(bool escalated, double reason_draw, double report_delay_s) const {
  const double p_sensitive = rules_.not_reported_sensitive;
  const double p_reason = escalated ? rules_.not_reported_could_not_handle : rules_.not_reported_handled;
  if (reason_draw < p_sensitive) return ReportVerdict::not_reported_sensitive;
  if (reason_draw < p_sensitive + (1 - p_sensitive) * p_reason)
    return escalated ? ReportVerdict::not_reported_could_not_handle : ReportVerdict::not_reported_handled;
  if (rules_.on_time_limit_s > 0 && report_delay_s > rules_.on_time_limit_s) return ReportVerdict::late;
  return ReportVerdict::on_time;
}

}  // namespace civicgrid::policy
