#pragma once
/// \file technique_render.h
/// Hands the technique's deformation and tool to the renderer. Shared by the window,
/// --screenshot and --frames.

#include "fascia/renderer.h"
#include "state.h"
#include "technique_session.h"

namespace fascia::app {

/// Updates `frames` from the state and passes the deformation and the tool to the renderer
/// when they changed. Returns frames.error() (empty when the technique could be applied).
/// Needs the renderer's context to be current.
const std::string& syncTechnique(const AppState& state, TechniqueFrames& frames,
                                 Renderer& renderer);

} // namespace fascia::app
