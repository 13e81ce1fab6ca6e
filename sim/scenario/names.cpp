// Names of the scenario enums as written in YAML and in outputs.
#include "scenario/scenario.hpp"

namespace civicgrid::scenario {

const char* to_string(Level level) {
  switch (level) {
    case Level::grid: return "grid";
    case Level::community: return "community";
    case Level::town: return "town";
    case Level::city: return "city";
  }
  return "?";
}

const char* to_string(TravelMetric metric) {
  switch (metric) {
    case TravelMetric::manhattan: return "manhattan";
    case TravelMetric::euclidean: return "euclidean";
    case TravelMetric::none: return "none";
  }
  return "?";
}

const char* to_string(DispatchPolicyName policy) {
  switch (policy) {
    case DispatchPolicyName::nearest_idle: return "nearest_idle";
    case DispatchPolicyName::own_unit_first: return "own_unit_first";
    case DispatchPolicyName::own_unit_only: return "own_unit_only";
    case DispatchPolicyName::preference_list: return "preference_list";
  }
  return "?";
}

const char* to_string(DistributionKind kind) {
  switch (kind) {
    case DistributionKind::exponential: return "exponential";
    case DistributionKind::fixed: return "fixed";
    case DistributionKind::uniform: return "uniform";
    case DistributionKind::lognormal: return "lognormal";
    case DistributionKind::gamma: return "gamma";
    case DistributionKind::erlang: return "erlang";
  }
  return "?";
}

const char* to_string(Bound bound) { return bound == Bound::at_least ? "at_least" : "at_most"; }

const char* to_string(AreaKind kind) {
  switch (kind) {
    case AreaKind::unspecified: return "unspecified";
    case AreaKind::urban: return "urban";
    case AreaKind::rural: return "rural";
  }
  return "?";
}

}  // namespace civicgrid::scenario
