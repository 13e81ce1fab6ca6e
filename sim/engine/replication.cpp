// Sets up one SimGrid engine for a replication: silent logging, small actor stacks, the platform, one incident
// source actor per incident type on the city platform, one actor per responder at its base, and a horizon
// actor that closes the books. Responders are daemons, so the run ends cleanly when the horizon actor does.
#include "engine/replication.hpp"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <memory>
#include <queue>
#include <utility>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <xbt/log.h>

#include "city/incident_stream.hpp"
#include "city/roster.hpp"
#include "engine/platform.hpp"
#include "engine/world.hpp"
#include "metrics/incident_log.hpp"

namespace civicgrid::engine {
namespace {

// Above this many live actors, guard pages would exhaust vm.max_map_count (docs/simgrid.md#actor-stacks-and-guard-pages): drop them.
constexpr std::size_t guard_page_actor_limit = 16000;

void configure_engine(std::size_t actor_count) {
  xbt_log_control_set("root.thres:critical");
  // Responders' code is shallow (their simcalls run on maestro's stack): 64 KiB is plenty and cheap to create.
  simgrid::s4u::Engine::set_config("contexts/stack-size:64");
  if (actor_count > guard_page_actor_limit) simgrid::s4u::Engine::set_config("contexts/guard-size:0");
  // Settings a user or a test tier asks for come last, so they win (e.g. the sanitizer tier's thread contexts).
  for (const auto& setting : simgrid_settings_from_environment()) simgrid::s4u::Engine::set_config(setting);
}

}  // namespace

std::vector<std::string> simgrid_settings_from_environment() {
  std::vector<std::string> settings;
  const char* text = std::getenv(simgrid_settings_variable);
  if (text == nullptr) return settings;
  std::istringstream words(text);
  for (std::string setting; words >> setting;) {
    const auto colon = setting.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == setting.size())
      throw std::invalid_argument(std::string(simgrid_settings_variable) + ": '" + setting +
                                  "' is not key:value (e.g. contexts/factory:thread)");
    settings.push_back(setting);
  }
  return settings;
}

metrics::ReplicationResult run_replication(const scenario::Scenario& scenario, const city::City& city,
                                           const ReplicationOptions& options) {
  const city::Roster roster(scenario, city);
  // The user's settings also go on the engine's command line: the context factory is chosen while the engine
  // is constructed, so a later set_config of contexts/factory would come too late.
  std::vector<std::string> words{"civicgrid"};
  for (const auto& setting : simgrid_settings_from_environment()) words.push_back("--cfg=" + setting);
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(words.size());
  xbt_log_control_set("root.thres:critical");
  simgrid::s4u::Engine engine(&argc, argv.data());
  configure_engine(roster.responders().size() + scenario.incidents.size() + 3);   // + horizon, platform clock, coverage sampler

  // From the roster, not the teams' per_unit: a grid team of per_unit 0 may still have members in some grids
  // (extra_by_unit), whose actors run on their grid's host.
  const bool has_grid_staff = std::any_of(roster.responders().begin(), roster.responders().end(),
                                          [](const city::Responder& r) { return r.level == scenario::Level::grid; });
  const Platform platform = build_platform(city, has_grid_staff);

  metrics::IncidentLog log(options.incidents_csv_path, options.replication, city);
  World world(scenario, city, roster, log, options.seed, options.replication);
  const double horizon_s = scenario.run.horizon_s;

  for (int type = 0; type < static_cast<int>(scenario.incidents.size()); ++type) {
    simgrid::s4u::Actor::create("source:" + scenario.incidents[type].name, platform.city_platform, [&, type] {
      // The incident source of a type also stands for the residents who report it: occurrences come in time
      // order from the stream, reports after a delay come from a small heap, whichever is due first.
      city::IncidentStream stream(scenario.incidents[type], city, options.seed, options.replication);
      // Later events of incidents not known when they occur: residents' reports and developments.
      enum class Later : unsigned char { report, develop };
      DueSteps<Later> later;
      city::Occurrence occurrence;
      bool more = stream.next(occurrence) && occurrence.t_occur_s < horizon_s;
      while (more || (!later.empty() && later.top().t_s < horizon_s)) {
        if (!later.empty() && later.top().t_s < horizon_s && (!more || later.top().t_s <= occurrence.t_occur_s)) {
          const DueStep<Later> event = later.top();
          later.pop();
          simgrid::s4u::this_actor::sleep_until(event.t_s);
          if (event.kind == Later::develop) world.development_due(event.slot, event.id, event.t_s);
          else world.residents_report(event.slot, event.id, event.t_s);
          continue;
        }
        simgrid::s4u::this_actor::sleep_until(occurrence.t_occur_s);
        const PendingIncident pending = world.incident_occurs(type, occurrence, occurrence.t_occur_s);
        if (pending.slot >= 0 && pending.report) later.push({pending.report_at_s, Later::report, pending.slot, pending.id});
        if (pending.slot >= 0 && pending.develop) later.push({pending.develop_at_s, Later::develop, pending.slot, pending.id});
        more = stream.next(occurrence) && occurrence.t_occur_s < horizon_s;
      }
    });
  }
  if (world.needs_platform_clock())
    simgrid::s4u::Actor::create("platform-clock", platform.city_platform, [&world] { world.platform_clock(); })
        ->daemonize();
  simgrid::s4u::Actor::create("coverage-sampler", platform.city_platform, [&world] { world.sample_coverage(); })
      ->daemonize();
  for (const auto& responder : roster.responders()) {
    const int id = responder.id;
    simgrid::s4u::Actor::create(responder.name, platform.base_of(responder.level, responder.unit),
                                [&world, id] { world.responder_shift(id); })
        ->daemonize();
  }
  simgrid::s4u::Actor::create("horizon", platform.city_platform, [&] {
    simgrid::s4u::this_actor::sleep_until(horizon_s);
    world.close_at_horizon(options.replication, options.seed, horizon_s);
  });

  engine.run();
  log.close();
  return world.result();
}

}  // namespace civicgrid::engine
