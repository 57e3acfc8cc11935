#include "state.h"

#include <algorithm>

namespace fascia::app {

namespace {
// Panels never take more than this share of the width, whatever the window size.
constexpr float kMaxCoveredShare = 0.6f;

float coveredShare(const AppState& state) {
  const float width = static_cast<float>(std::max(state.viewport.x, 1));
  return std::clamp((state.insets.x + state.insets.y) / width, 0.0f, kMaxCoveredShare);
}
} // namespace

const TriggerPoint* TriggerPointState::selectedAnnotation() const {
  if (!selected || selected->source != PointRef::Source::Annotation) return nullptr;
  for (const TriggerPoint& point : document.points) {
    if (point.id == selected->id) return &point;
  }
  return nullptr;
}

const LibraryTriggerPoint* TriggerPointState::selectedLibraryPoint() const {
  if (!selected || selected->source != PointRef::Source::Library || library == nullptr) {
    return nullptr;
  }
  for (const LibraryTriggerPoint& point : library->points) {
    if (point.id == selected->id) return &point;
  }
  return nullptr;
}

float AppState::freeAspect() const { return aspect() * (1.0f - coveredShare(*this)); }

glm::vec2 AppState::freeLensShift() const {
  const float width = static_cast<float>(std::max(viewport.x, 1));
  const float total = insets.x + insets.y;
  if (total <= 0.0f) return glm::vec2(0.0f);
  // Scale both insets down together if panels would cover too much.
  const float scale = std::min(1.0f, kMaxCoveredShare * width / total);
  return {(insets.x - insets.y) * scale / width, 0.0f};
}

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
  // The section view: only the part of the ray in the kept half-space counts. A ray that
  // enters it through the plane starts there, so clicking a cap finds the surface where the
  // ray leaves that structure's volume (a back face of the structure whose cap it is, since
  // the bundled model's volumes do not overlap) and clicking the cut's empty inside finds
  // what is seen through it.
  const auto kept = keptInterval(state.display.section, ray);
  if (!kept) return std::nullopt;
  const Ray clipped{ray.origin + kept->begin * ray.direction, ray.direction};
  const float maxT = kept->end - kept->begin;
  auto hit = state.bvh != nullptr ? state.bvh->intersect(clipped, filter, maxT)
                                  : intersectBruteForce(*state.model, clipped, filter, maxT);
  if (hit) hit->t += kept->begin;
  return hit;
}

} // namespace fascia::app
