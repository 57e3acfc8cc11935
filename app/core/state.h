#pragma once
/// \file state.h
/// The one struct that holds what the user sees. Panels, input and the command line read it;
/// only commands (commands.h) change it.

#include <memory>
#include <string>

#include <glm/vec2.hpp>

#include "fascia/bvh.h"
#include "fascia/camera.h"
#include "fascia/display_settings.h"
#include "fascia/model.h"

namespace fascia::app {

/// A smooth move of the camera from one pose to another.
struct CameraTransition {
  Camera from;
  Camera to;
  float elapsed = 0.0f;  ///< seconds
  float duration = 0.0f; ///< seconds; 0 means no transition is running

  bool active() const { return duration > 0.0f && elapsed < duration; }
};

/// The viewer's state.
struct AppState {
  /// The loaded model; shared read-only with the picking structure and loaders.
  std::shared_ptr<const Model> model;
  /// Picking acceleration over `model`; null until built.
  std::shared_ptr<const Bvh> bvh;
  DisplaySettings display;
  Camera camera;
  CameraTransition transition;
  /// Size of the 3D view in framebuffer pixels.
  glm::ivec2 viewport{1280, 720};
  /// Framebuffer pixels covered by panels on the left and right of the view; framing centres
  /// the body in what is left.
  glm::vec2 insets{0.0f};

  float aspect() const {
    return viewport.y > 0 ? static_cast<float>(viewport.x) / static_cast<float>(viewport.y) : 1.0f;
  }
  /// The aspect ratio of the part of the view not covered by panels.
  float freeAspect() const;
  /// The lens shift that centres the image in the part of the view not covered by panels.
  glm::vec2 freeLensShift() const;
};

/// Advances a running camera transition by dt seconds (smoothstep easing).
void advanceCamera(AppState& state, float dt);

/// Whether a structure is pickable in this state (loaded, visible, not peeled or hidden).
bool isPickable(const AppState& state, std::uint32_t structure);

/// The structure under a pixel of the view (origin top-left), or none. Uses the BVH when built,
/// else the brute-force ray cast, so results never depend on timing.
std::optional<RayHit> pickPixel(const AppState& state, glm::vec2 pixel);

} // namespace fascia::app
