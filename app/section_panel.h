#pragma once
/// \file section_panel.h
/// The section view's controls (in the Layers panel) and its key. They read the state and
/// push cmd::SetSection; the plane itself is drawn by the renderer.

#include "commands.h"
#include "state.h"

namespace fascia::app {

/// A "Section view" checkbox and, while it is on: the plane (sagittal, coronal, transverse or
/// square to the view), its offset in centimetres and which side is removed. Call inside an
/// ImGui window.
void drawSectionControls(const AppState& state, CommandQueue& commands);

} // namespace fascia::app
