// The visit decision (入户走访): how many households a grid has for a programme, which of them are key-population
// households, and when each is due next. The engine keeps the due queue and does the visits; this type only
// answers "when is this household due", so another visiting rule replaces it in one place.
#pragma once

#include "scenario/scenario.hpp"

namespace civicgrid::policy {

class VisitIntervals {
 public:
  explicit VisitIntervals(const scenario::VisitProgramme& programme) : programme_(programme) {}
  // Households of a grid with `residents` (at least one).
  int households(double residents) const;
  // The first `key_households` households of a grid are its key-population ones.
  int key_households(int households) const;
  // A grid's households and how many of them are key ones, counted once per grid (the engine keeps it), not
  // rounded again for every visit.
  struct Households {
    int count = 0;
    int key = 0;
  };
  Households households_of(double residents) const;
  // The first round is spread evenly over one interval, so visits do not all fall due at once.
  double first_due_s(int household, const Households& grid) const;
  // After a visit that ended at end_s: key households come round more often, and a campaign running then
  // shortens the interval.
  double next_due_s(int household, const Households& grid, double end_s) const;

 private:
  bool is_key(int household, const Households& grid) const {
    return household < grid.key && programme_.key_every_s > 0;
  }
  const scenario::VisitProgramme& programme_;
};

}  // namespace civicgrid::policy
