#include "state.h"

#include <algorithm>

namespace fascia::app {

void advanceCamera(AppState& state, float dt) {
  CameraTransition& transition = state.transition;
  if (!transition.active()) return;
  transition.elapsed = std::min(transition.elapsed + dt, transition.duration);
  const float t = transition.elapsed / transition.duration;
  const float eased = t * t * (3.0f - 2.0f * t);
  state.camera = Camera::lerp(transition.from, transition.to, eased);
  if (transition.elapsed >= transition.duration) {
    state.camera = transition.to;
    transition.duration = 0.0f;
  }
}

bool isPickable(const AppState& state, std::uint32_t structure) {
  return state.model != nullptr && state.display.isPickable(*state.model, structure);
}

std::optional<RayHit> pickPixel(const AppState& state, glm::vec2 pixel) {
  if (state.model == nullptr) return std::nullopt;
  const Ray ray = state.camera.rayThroughPixel(pixel, state.viewport);
  const StructureFilter filter = [&state](std::uint32_t structure) {
    return isPickable(state, structure);
  };
  if (state.bvh != nullptr) return state.bvh->intersect(ray, filter);
  return intersectBruteForce(*state.model, ray, filter);
}

} // namespace fascia::app
