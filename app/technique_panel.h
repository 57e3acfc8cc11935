#pragma once
/// \file technique_panel.h
/// The "Techniques" panel (preset, tool placement, load or stretch, healthy vs stiff,
/// transport) and what it draws over the view: the caption and the overlay's legend.

#include "commands.h"
#include "panels.h"
#include "state.h"
#include "technique_session.h"

namespace fascia::app {

/// UI-only state of the panel.
struct TechniquePanelState {
  bool open = true;
};

/// Draws the panel docked in the right column from `top`, `width` wide, and pushes commands.
/// `frames` is the technique's current frame (phase, force, contact pressure, error). Returns
/// the panel's bottom edge (`top` when it is closed), where the next panel starts.
float drawTechniquePanel(const AppState& state, const TechniqueFrames& frames,
                         CommandQueue& commands, TechniquePanelState& panel, float top,
                         float width);

/// Draws the caption (technique, phase, time) at the top of the view and the legend of the
/// overlay (kPa or sliding) at its right edge, over the 3D view.
void drawTechniqueOverlay(const AppState& state, const TechniqueFrames& frames);

/// T toggles the panel, Space plays or pauses (when ImGui does not want the keyboard).
void handleTechniqueKeys(const std::vector<KeyPress>& presses, const AppState& state,
                         CommandQueue& commands, TechniquePanelState& panel);

} // namespace fascia::app
