#include "technique_render.h"

namespace fascia::app {

const std::string& syncTechnique(const AppState& state, TechniqueFrames& frames,
                                 Renderer& renderer) {
  if (frames.update(state)) {
    renderer.setDeformation(frames.deformation());
    renderer.setToolGlyph(frames.tool());
  }
  return frames.error();
}

} // namespace fascia::app
