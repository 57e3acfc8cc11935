#pragma once
/// \file technique_setup.h
/// Turns the command line's technique options into a technique session, for --screenshot and
/// --frames.

#include <optional>
#include <string>

#include "cli.h"
#include "state.h"

namespace fascia::app {

/// Starts `options.technique` on the state's model (viewport and camera already set): the
/// contact under --at's pixel or on --at-trigger-point's point, --load, --stiff, and the time
/// (--time, else the middle of the technique). A --section without a point of its own is
/// moved to go through the contact (found on the uncut body). A stretch uncovers its muscle
/// (uncover.h): structures covering it are hidden and, without --peel, the layers above it
/// peeled. Nothing when no technique was asked for.
/// Throws InputError when the pixel misses the body, the trigger point is unknown or off the
/// model, or a stretch's muscle is not in the model.
void applyTechniqueOptions(const CommandLine& options, AppState& state);

/// Where a thumb presses on a trigger point: a library point along its approach, a patient's
/// point straight in from the viewer; on the skin over the point. None when the point is gone.
std::optional<TechniqueContact> contactForPoint(const AppState& state, const PointRef& ref);

/// The --list-techniques output: one technique name a line.
std::string formatTechniqueList();

/// A short name for a contact point placed by a click: "Skin", "Gluteus maximus (left)"...
std::string contactLabel(const AppState& state, const RayHit& hit);

} // namespace fascia::app
