// The incident life cycle's transition table (engine/incident.hpp): every edge of the state diagram is allowed,
// and nothing else is, so a handler that moves a case the wrong way trips the assertion in debug builds.
#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "engine/incident.hpp"

namespace civicgrid {
namespace {

using engine::Stage;

TEST(IncidentStage, OnlyTheDiagramsTransitionsAreAllowed) {
  const std::set<std::pair<Stage, Stage>> diagram{
      {Stage::unknown, Stage::registering}, {Stage::unknown, Stage::routing},  {Stage::registering, Stage::routing},
      {Stage::routing, Stage::waiting},     {Stage::routing, Stage::staffed},  {Stage::waiting, Stage::routing},
      {Stage::staffed, Stage::routing},     {Stage::staffed, Stage::checking}, {Stage::staffed, Stage::closed},
      {Stage::checking, Stage::routing},    {Stage::checking, Stage::closed}};
  const Stage all[] = {Stage::unknown, Stage::registering, Stage::routing, Stage::waiting,
                       Stage::staffed, Stage::checking,    Stage::closed};
  for (Stage from : all)
    for (Stage to : all)
      EXPECT_EQ(engine::allowed_transition(from, to), diagram.count({from, to}) == 1)
          << engine::to_string(from) << " -> " << engine::to_string(to);
}

TEST(IncidentStage, KnownAndClosedFollowTheStage) {
  engine::Incident incident;
  EXPECT_FALSE(engine::is_known(incident));
  engine::enter(incident, Stage::routing);
  engine::enter(incident, Stage::staffed);
  EXPECT_TRUE(engine::is_known(incident));
  EXPECT_FALSE(engine::is_closed(incident));
  engine::enter(incident, Stage::closed);
  EXPECT_TRUE(engine::is_closed(incident));
}

}  // namespace
}  // namespace civicgrid
