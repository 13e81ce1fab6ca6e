// Names of the life-cycle stages, for assertion messages and tests.
#include "engine/incident.hpp"

namespace civicgrid::engine {

const char* to_string(Stage stage) {
  switch (stage) {
    case Stage::unknown: return "unknown";
    case Stage::registering: return "registering";
    case Stage::routing: return "routing";
    case Stage::waiting: return "waiting";
    case Stage::staffed: return "staffed";
    case Stage::checking: return "checking";
    case Stage::closed: return "closed";
  }
  return "?";
}

}  // namespace civicgrid::engine
