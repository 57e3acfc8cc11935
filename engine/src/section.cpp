#include "fascia/section.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <glm/geometric.hpp>
#include <glm/vector_relational.hpp>

namespace fascia {
namespace {

struct AxisName {
  std::string_view id;
  SectionAxis axis;
};
// Ids first (what sectionAxisId returns), then the synonyms anatomists also use.
constexpr std::array<AxisName, 6> kAxisNames = {{{"sagittal", SectionAxis::Sagittal},
                                                 {"coronal", SectionAxis::Coronal},
                                                 {"transverse", SectionAxis::Transverse},
                                                 {"frontal", SectionAxis::Coronal},
                                                 {"axial", SectionAxis::Transverse},
                                                 {"horizontal", SectionAxis::Transverse}}};

bool isFinite(const glm::vec3& v) {
  return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z);
}

} // namespace

float SectionPlane::distance(const glm::vec3& p) const { return glm::dot(normal, p - point); }

bool SectionPlane::keeps(const glm::vec3& p) const { return !enabled || distance(p) <= 0.0f; }

std::string_view sectionAxisId(SectionAxis axis) {
  for (const AxisName& name : kAxisNames) {
    if (name.axis == axis) return name.id;
  }
  return "coronal";
}

std::optional<SectionAxis> parseSectionAxis(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const AxisName& name : kAxisNames) {
    if (name.id == lower) return name.axis;
  }
  return std::nullopt;
}

glm::vec3 sectionAxisDirection(SectionAxis axis) {
  switch (axis) {
  case SectionAxis::Sagittal:
    return {1.0f, 0.0f, 0.0f};
  case SectionAxis::Coronal:
    return {0.0f, 0.0f, 1.0f};
  case SectionAxis::Transverse:
    return {0.0f, 1.0f, 0.0f};
  }
  return {0.0f, 0.0f, 1.0f};
}

SectionPlane sectionThrough(const glm::vec3& point, const glm::vec3& normal) {
  if (!isFinite(point)) throw std::invalid_argument("section plane: the point is not finite");
  const float length = isFinite(normal) ? glm::length(normal) : 0.0f;
  if (!(length > 1e-12f) || !std::isfinite(length)) {
    throw std::invalid_argument("section plane: the normal is zero or not finite");
  }
  return SectionPlane{true, point, normal / length};
}

SectionPlane sectionPreset(SectionAxis axis, const Bounds& bounds, float offset, bool flipped) {
  const glm::vec3 direction = sectionAxisDirection(axis);
  const glm::vec3 centre = bounds.empty() ? glm::vec3(0.0f) : bounds.centre();
  return SectionPlane{true, centre + offset * direction, flipped ? -direction : direction};
}

std::optional<SectionAxis> sectionAxisOf(const SectionPlane& plane) {
  for (const SectionAxis axis :
       {SectionAxis::Sagittal, SectionAxis::Coronal, SectionAxis::Transverse}) {
    if (std::abs(glm::dot(plane.normal, sectionAxisDirection(axis))) > 0.999998f) return axis;
  }
  return std::nullopt;
}

float sectionOffset(const SectionPlane& plane, const Bounds& bounds) {
  const glm::vec3 centre = bounds.empty() ? glm::vec3(0.0f) : bounds.centre();
  const auto axis = sectionAxisOf(plane);
  const glm::vec3 along = axis ? sectionAxisDirection(*axis) : plane.normal;
  return glm::dot(plane.point - centre, along);
}

SectionPlane movedAlongNormal(const SectionPlane& plane, float distance) {
  SectionPlane moved = plane;
  moved.point += distance * plane.normal;
  return moved;
}

std::optional<RayInterval> keptInterval(const SectionPlane& plane, const Ray& ray) {
  constexpr float kInfinity = std::numeric_limits<float>::infinity();
  if (!plane.enabled) return RayInterval{0.0f, kInfinity};
  // distance(t) = start + rate * t; kept where it is <= 0.
  const float start = plane.distance(ray.origin);
  const float rate = glm::dot(plane.normal, ray.direction);
  if (rate == 0.0f) {
    if (start <= 0.0f) return RayInterval{0.0f, kInfinity};
    return std::nullopt;
  }
  const float crossing = -start / rate;
  if (rate > 0.0f) { // runs into the removed side
    if (crossing < 0.0f) return std::nullopt;
    return RayInterval{0.0f, crossing};
  }
  return RayInterval{std::max(crossing, 0.0f), kInfinity}; // runs into the kept side
}

} // namespace fascia
