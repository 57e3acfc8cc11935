#include "section_view.h"

#include <algorithm>
#include <cmath>

#include <glm/geometric.hpp>
#include <glm/mat4x4.hpp>
#include <glm/vec4.hpp>

namespace fascia::app {
namespace {

// Coronal cuts lie this share of the model's depth from its centre towards the viewer: through
// the layers nearest the viewer (behind the spine for the back, through the back muscles and
// ribs), where a cut through the centre would show only the inside of the far body wall.
constexpr float kCoronalDepthShare = 0.2f;

// Below this many pixels per centimetre the normal is too foreshortened on screen to follow.
constexpr float kMinPixelsPerCentimetre = 3.0f;

glm::vec3 centreOf(const Bounds& bounds) {
  return bounds.empty() ? glm::vec3(0.0f) : bounds.centre();
}

} // namespace

SectionPlane defaultSection(const Bounds& bounds) {
  // Coronal, removing the posterior side (normal -Z): from the default posterior camera the
  // cut faces the viewer and shows every layer of the back and flanks as bands.
  const float offset = -kCoronalDepthShare * bounds.size().z;
  SectionPlane plane = sectionPreset(SectionAxis::Coronal, bounds, offset, true);
  plane.enabled = false;
  return plane;
}

SectionPlane sectionFacing(SectionAxis axis, const Bounds& bounds, float offset,
                           const Camera& camera) {
  SectionPlane plane = sectionPreset(axis, bounds, offset, false);
  const glm::vec3 towardEye = camera.eye() - plane.point;
  const float length = glm::length(towardEye);
  // Looking along the plane: either side is as good; keep the positive one.
  if (length > 0.0f && glm::dot(plane.normal, towardEye) < -0.02f * length) {
    plane = flipped(plane);
  }
  return plane;
}

SectionPlane sectionFacingCamera(const Bounds& bounds, float offset, const Camera& camera) {
  const glm::vec3 normal = -camera.forward();
  return sectionThrough(centreOf(bounds) + offset * normal, normal);
}

SectionPlane sectionForView(const Bounds& bounds, const Camera& camera) {
  SectionAxis best = SectionAxis::Coronal;
  float bestAlignment = -1.0f;
  for (const SectionAxis axis :
       {SectionAxis::Coronal, SectionAxis::Sagittal, SectionAxis::Transverse}) {
    const float alignment = std::abs(glm::dot(sectionAxisDirection(axis), camera.forward()));
    if (alignment > bestAlignment + 1e-4f) {
      best = axis;
      bestAlignment = alignment;
    }
  }
  float offset = 0.0f;
  if (best == SectionAxis::Coronal) {
    const float side = camera.eye().z >= centreOf(bounds).z ? 1.0f : -1.0f;
    offset = side * kCoronalDepthShare * bounds.size().z;
  }
  return sectionFacing(best, bounds, offset, camera);
}

SectionPlane toggledSection(const AppState& state) {
  SectionPlane plane = state.display.section;
  if (plane.enabled) {
    plane.enabled = false;
    return plane;
  }
  if (state.model != nullptr && plane == defaultSection(state.model->bounds())) {
    return sectionForView(state.model->bounds(), state.camera);
  }
  plane.enabled = true;
  return plane;
}

SectionPlane flipped(const SectionPlane& plane) {
  SectionPlane result = plane;
  result.normal = -plane.normal;
  return result;
}

float sectionDragDistance(const Camera& camera, glm::ivec2 viewport, const SectionPlane& start,
                          glm::vec2 from, glm::vec2 to) {
  const glm::vec2 delta = to - from;
  const auto a = camera.pixelOf(start.point, viewport);
  const auto b = camera.pixelOf(start.point + 0.01f * start.normal, viewport);
  if (a && b) {
    const glm::vec2 perCentimetre = *b - *a;
    const float squared = glm::dot(perCentimetre, perCentimetre);
    if (squared > kMinPixelsPerCentimetre * kMinPixelsPerCentimetre) {
      return 0.01f * glm::dot(delta, perCentimetre) / squared;
    }
  }
  // The normal points (nearly) at the viewer: up moves the plane away, by the pointer's
  // motion at the plane's depth.
  const float depth =
      std::max(glm::dot(start.point - camera.eye(), camera.forward()), camera.nearPlane());
  const float metresPerPixel =
      2.0f * std::tan(camera.fovY * 0.5f) * depth / static_cast<float>(std::max(viewport.y, 1));
  const float away = glm::dot(start.normal, camera.forward()) >= 0.0f ? 1.0f : -1.0f;
  return -delta.y * metresPerPixel * away;
}

} // namespace fascia::app
