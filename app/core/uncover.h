#pragma once
/// \file uncover.h
/// Showing one structure that others cover, from the current camera: which peel depth and which
/// structures in front of it to hide. A stretch's muscle is often deep (piriformis under
/// gluteus maximus, the top of longissimus under trapezius); its image and the Techniques panel
/// use this to bring it into view. CPU only.

#include <cstdint>
#include <vector>

#include "state.h"

namespace fascia::app {

/// How a deep structure is brought into view.
struct UncoverPlan {
  /// Peel depth that shows the structure: the deep fascia's (2) when deep fascia lies directly
  /// on it over a good part of what the camera sees (the sheet that slides over a stretched
  /// muscle stays in view), else the depth of the structure's own layer.
  float peelDepth = 0.0f;
  /// Structures in front of it to hide, in model order: muscles (and other soft tissue) that
  /// cover it, and deep fascia sheets that lie almost only on those muscles, not on it.
  std::vector<std::uint32_t> hide;
};

/// The plan for `target` seen from `state.camera`: rays from the eye to up to 400 of its
/// vertices that face the eye, each noting every structure it passes before reaching them.
/// Skin, subcutaneous fat (peeling handles them), bones and structures already hidden never
/// count. Uses the state's BVH, or builds one for the call (about a second for the bundled
/// model). Returns an empty plan (peel 0, nothing hidden) for an index out of range.
UncoverPlan planUncover(const AppState& state, std::uint32_t target);

/// What the user asked for and uncover() leaves alone.
struct UncoverKeep {
  bool peel = false;   ///< the peel depth (a --peel on the command line)
  bool layers = false; ///< layer visibility and opacity (--layer-opacity)
};

/// Applies planUncover(state, target) to the display: the covering structures hidden, the
/// target itself shown, its layer switched on and opaque and the plan's peel depth set, except
/// what `keep` says to leave. Nothing for an index out of range.
void uncover(AppState& state, std::uint32_t target, UncoverKeep keep = {});

} // namespace fascia::app
