#pragma once
// App state fixtures shared by the unit tests of commands, trigger points and the section view.

#include <memory>

#include "commands.h"
#include "state.h"
#include "test_models.h"

namespace fascia::test {

/// The five nested test shells (makeNestedShells) loaded through the command that loads a
/// model, in a 400x600 view.
inline app::AppState stateWithShells(int subdivisions = 2) {
  app::AppState state;
  app::CommandQueue queue;
  queue.apply(app::cmd::ReplaceModel{std::make_shared<const Model>(makeNestedShells(subdivisions))},
              state);
  state.viewport = {400, 600};
  return state;
}

} // namespace fascia::test
