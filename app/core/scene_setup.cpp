#include "scene_setup.h"

namespace fascia::app {

void applyViewOptions(const CommandLine& options, AppState& state) {
  state.viewport = options.size;
  state.display = DisplaySettings{};
  state.display.peelDepth = options.peelDepth;
  for (const auto& [layer, opacity] : options.layerOpacities) {
    state.display.layers[static_cast<std::size_t>(layerIndex(layer))].opacity = opacity;
  }
  if (state.model) {
    state.display.hidden.assign(state.model->structures.size(), false);
    state.camera = presetCamera(options.view, state.model->bounds(), state.aspect());
  }
}

} // namespace fascia::app
