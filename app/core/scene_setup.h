#pragma once
/// \file scene_setup.h
/// Turns command-line view options into viewer state, so the window, --screenshot and --pick
/// all frame the model the same way.

#include <optional>
#include <string>

#include "cli.h"
#include "state.h"

namespace fascia::app {

/// Applies --size, --view, --peel, --layer-opacity and --section to a state whose model is set: the
/// viewport, a camera at the preset framing the model, and the display settings.
void applyViewOptions(const CommandLine& options, AppState& state);

/// The section plane --section asks for (see SectionOption), removing the side that faces
/// `camera`; without the option, the model's default plane, switched off.
SectionPlane sectionFromOption(const std::optional<SectionOption>& option, const Bounds& bounds,
                               const Camera& camera);

/// Reads the built-in trigger-point library into the state. A library that cannot be read is
/// reported through the returned message (the viewer shows it; the list mode fails with it) and
/// leaves the library empty: the rest of the program works without it.
std::optional<std::string> loadLibraryInto(AppState& state);

/// Applies --annotations (reads the document: InputError when it is missing, corrupt or from a
/// newer version) and --show-referral (selects the point: InputError when no point of the
/// annotations or the library has that label).
void applyTriggerPointOptions(const CommandLine& options, AppState& state);

} // namespace fascia::app
