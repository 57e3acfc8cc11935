#pragma once
/// \file trigger_render.h
/// Hands the trigger points of the state to the renderer: their markers and the selected point's
/// referred-pain zone on the skin. Shared by the window and --screenshot.

#include "fascia/renderer.h"
#include "state.h"
#include "trigger_view.h"

namespace fascia::app {

/// Marker radius on screen, in pixels at 1x scale.
inline constexpr float kMarkerRadiusPixels = 8.0f;

/// Updates `view` from the state and passes its markers and heat spots to the renderer. `pixelScale` enlarges markers on HiDPI screens.
void syncTriggerPoints(const AppState& state, TriggerPointView& view, Renderer& renderer,
                       float pixelScale = 1.0f);

} // namespace fascia::app
