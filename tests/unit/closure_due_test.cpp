// Unit tier: 结案率 and 按期结案率 over 应结案数 (cases due) as Chinese evaluation practice counts them
// (docs/standards.md): a case is due once it is closed or once its closure deadline has passed while it is
// still open; an open case inside its deadline is not due yet; types without a deadline are due once known.
// Six hand-made cases through the observer, no engine.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "city/city.hpp"
#include "city/roster.hpp"
#include "metrics/observer.hpp"
#include "support/scenarios.hpp"

namespace civicgrid {
namespace {

TEST(ClosureDue, ClosedOrOverdueCasesAreDue) {
  // 100 h run, no warm-up: every case counts.
  const auto s = testing::single_grid_queue(1, 1.0, testing::fixed_min(10), 100, 0);
  const city::City city = city::City::build(s);
  const city::Roster roster(s, city);
  metrics::ReplicationObserver observer(s, city, roster);
  const double h = 3600, horizon_s = 100 * h, deadline_s = 1 * h;
  const auto known = [&](double t_known_s, double closure_deadline_s) {
    observer.incident_occurred(t_known_s, 0, 0);
    observer.incident_known(t_known_s, t_known_s, closure_deadline_s, 0, metrics::KnownBy::residents, false, 0);
  };
  const auto closed = [&](double t_known_s, double t_closed_s, double closure_deadline_s) {
    known(t_known_s, closure_deadline_s);
    const metrics::IncidentTimes times{t_known_s, t_known_s, t_known_s, t_known_s, t_known_s + 60, t_known_s + 60,
                                       t_closed_s};
    observer.incident_closed(times, 0, closure_deadline_s, 0);
  };
  const auto open = [&](double t_known_s, double closure_deadline_s) {
    known(t_known_s, closure_deadline_s);
    observer.incident_open_at_horizon(t_known_s, t_known_s, closure_deadline_s, 0, false, 0, 0);
  };
  closed(10 * h, 10.5 * h, deadline_s);          // 1: closed within its hour: due, on time
  closed(20 * h, 22 * h, deadline_s);            // 2: closed after two hours: due, late
  open(horizon_s - 3 * h, deadline_s);           // 3: open, its deadline passed 2 h ago: due, overdue
  open(horizon_s - 0.5 * h, deadline_s);         // 4: open, half an hour left: not due yet
  open(30 * h, 0);                               // 5: no deadline, open: due (known)
  closed(40 * h, 41 * h, 0);                     // 6: no deadline, closed: due
  const auto result = observer.finish(0, 1, 0);
  std::map<std::string, double> kpi(result.kpis.begin(), result.kpis.end());
  // 结案率 = closed {1, 2, 6} / due {1, 2, 3, 5, 6} = 3/5, the type's own the same; 按期结案率 over the due cases
  // of types with a deadline: on time {1} / due {1, 2, 3} = 1/3; one case overdue and open.
  EXPECT_DOUBLE_EQ(kpi.at("closure_rate"), 3.0 / 5);
  EXPECT_DOUBLE_EQ(kpi.at("closure_rate@" + s.incidents[0].name), 3.0 / 5);
  EXPECT_DOUBLE_EQ(kpi.at("on_time_closure_rate"), 1.0 / 3);
  EXPECT_DOUBLE_EQ(kpi.at("on_time_closure_rate@level:grid"), 1.0 / 3);
  EXPECT_DOUBLE_EQ(kpi.at("overdue_open"), 1.0);
  EXPECT_DOUBLE_EQ(kpi.at("closed"), 3.0);
  EXPECT_DOUBLE_EQ(kpi.at("known"), 6.0);
}

}  // namespace
}  // namespace civicgrid
