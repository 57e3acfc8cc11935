#pragma once
/// \file technique_panel.h
/// The "Techniques" panel (preset, tool placement, load or stretch, healthy vs stiff,
/// transport) and what it draws over the view: the caption and the overlay's legend.

#include "commands.h"
#include "state.h"
#include "technique_session.h"

namespace fascia::app {

/// UI-only state of the panel.
struct TechniquePanelState {
  bool open = true;
};

/// Draws the panel at the bottom centre of the view (movable) and pushes commands. `frames`
/// is the technique's current frame (phase, force, contact pressure, error).
void drawTechniquePanel(const AppState& state, const TechniqueFrames& frames,
                        CommandQueue& commands, TechniquePanelState& panel);

/// Draws the caption (technique, phase, time) at the top of the view and the legend of the
/// overlay (kPa or sliding) at its right edge, over the 3D view.
void drawTechniqueOverlay(const AppState& state, const TechniqueFrames& frames);

/// T toggles the panel, Space plays or pauses (when ImGui does not want the keyboard).
void handleTechniqueKeys(const AppState& state, CommandQueue& commands, TechniquePanelState& panel);

} // namespace fascia::app
