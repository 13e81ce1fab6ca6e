// The reporting decision (信息上报): after a case closes, whether its information report reaches the platform,
// late or on time, or which of the three published reasons kept it back. A decision, not a life-cycle step, so
// it lives here as a small type the engine asks; it reads the type's rules and the incident's own draw only.
#pragma once

#include "scenario/scenario.hpp"

namespace civicgrid::policy {

enum class ReportVerdict { on_time, late, not_reported_handled, not_reported_could_not_handle, not_reported_sensitive };

// The reasons are exclusive and tried in this order on one uniform draw per incident (common random numbers):
// too sensitive, then "handled, so not reported" (closed without escalation) or "could not handle, so not
// reported" (escalated at least once). A report that is made is late when its delay exceeds the limit.
class ExclusiveReasonsReporting {
 public:
  explicit ExclusiveReasonsReporting(const scenario::IncidentType::Reporting& rules) : rules_(rules) {}
  ReportVerdict decide(bool escalated, double reason_draw, double report_delay_s) const;
  bool reports(ReportVerdict verdict) const {
    return verdict == ReportVerdict::on_time || verdict == ReportVerdict::late;
  }

 private:
  const scenario::IncidentType::Reporting& rules_;
};

}  // namespace civicgrid::policy
