#pragma once
/// \file section.h
/// A section view: one plane through the model that removes everything on one side of it, so
/// the cut faces show which layer lies over which. Plain data and CPU helpers (presets, ray
/// clipping for picking); the renderer draws it (Renderer::setSection).

#include <cstdint>
#include <optional>
#include <string_view>

#include <glm/vec3.hpp>

#include "fascia/bvh.h"
#include "fascia/mesh.h"

namespace fascia {

/// A clipping plane. When enabled it keeps the half-space dot(normal, p - point) <= 0 and
/// removes what lies on the side the normal points to: point the normal at the viewer to cut
/// away the near part and look into the body. `normal` is unit length (sectionThrough and
/// sectionPreset make it so).
struct SectionPlane {
  bool enabled = false;
  glm::vec3 point{0.0f};
  glm::vec3 normal{0.0f, 0.0f, 1.0f};

  /// Signed distance of `p` from the plane: positive on the removed side.
  float distance(const glm::vec3& p) const;
  /// Whether `p` is shown: always when disabled, else when distance(p) <= 0.
  bool keeps(const glm::vec3& p) const;
  bool operator==(const SectionPlane&) const = default;
};

/// Cut faces are filled flat in their structure's colour times this, a little darker than the
/// lit surfaces, so a cut reads as a cut.
inline constexpr float kSectionCapShade = 0.72f;

/// The anatomical planes. Sagittal divides left from right (normal along X), coronal (frontal)
/// front from back (normal along Z), transverse upper from lower (normal along Y).
enum class SectionAxis : std::uint8_t { Sagittal, Coronal, Transverse };

/// "sagittal", "coronal", "transverse".
std::string_view sectionAxisId(SectionAxis axis);
/// Parses an axis id (case-insensitive; "frontal" is coronal, "axial" and "horizontal" are
/// transverse); empty when unknown.
std::optional<SectionAxis> parseSectionAxis(std::string_view text);
/// The positive world direction of an axis's normal: +X (patient's left), +Z (anterior), +Y (up).
glm::vec3 sectionAxisDirection(SectionAxis axis);

/// An enabled plane through `point` with the unit vector of `normal` (what to remove: the side
/// `normal` points to). For "a cut through the contact point": pass the point and a direction
/// across the press. Throws std::invalid_argument when `point` is not finite or `normal` is
/// zero or not finite.
SectionPlane sectionThrough(const glm::vec3& point, const glm::vec3& normal);

/// An enabled plane of an anatomical axis through the centre of `bounds` moved `offset` metres
/// along the axis's positive direction. It removes the positive side (left, anterior, upper
/// part) unless `flipped`, which removes the negative side (right, posterior, lower part).
SectionPlane sectionPreset(SectionAxis axis, const Bounds& bounds, float offset, bool flipped);

/// The anatomical axis a plane's normal lies along (within about 0.1 degree), or none.
std::optional<SectionAxis> sectionAxisOf(const SectionPlane& plane);

/// Where the plane lies relative to the centre of `bounds`, in metres: along its axis's
/// positive direction when it has one (so flipping keeps the offset), else along its normal.
float sectionOffset(const SectionPlane& plane, const Bounds& bounds);

/// The same plane moved `distance` metres along its own normal (positive: more is shown).
SectionPlane movedAlongNormal(const SectionPlane& plane, float distance);

/// The part of a ray that lies in the kept half-space: ray parameters t in [begin, end]
/// (end may be infinite).
struct RayInterval {
  float begin = 0.0f;
  float end = 0.0f;
};

/// Clips the ray's forward part (t >= 0) to what the plane keeps: [0, inf) when disabled; none
/// when the whole forward ray is removed (it starts on the removed side and runs away from the
/// plane or along it).
std::optional<RayInterval> keptInterval(const SectionPlane& plane, const Ray& ray);

} // namespace fascia
