#pragma once
/// \file scene_setup.h
/// Turns command-line view options into viewer state, so the window, --screenshot and --pick
/// all frame the model the same way.

#include "cli.h"
#include "state.h"

namespace fascia::app {

/// Applies --size, --view, --peel and --layer-opacity to a state whose model is set: the
/// viewport, a camera at the preset framing the model, and the display settings.
void applyViewOptions(const CommandLine& options, AppState& state);

} // namespace fascia::app
