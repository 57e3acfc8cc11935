// Tool meshes for drawing: built from a few parametric pieces in a local frame (w along the
// pressing direction, u and v across it) and placed at the contact point.

#include "fascia/tool_glyph.h"

#include <cmath>
#include <vector>

#include <glm/geometric.hpp>
#include <glm/vec2.hpp>

namespace fascia {
namespace {

constexpr float kPi = 3.14159265358979f;
constexpr int kSegments = 24;

struct Frame {
  glm::vec3 u, v, w;
};

bool finite(const glm::vec3& x) {
  return std::isfinite(x.x) && std::isfinite(x.y) && std::isfinite(x.z);
}

Frame frameAround(glm::vec3 w, glm::vec3 hint) {
  if (!finite(w) || glm::length(w) < 1e-6f) w = glm::vec3(0.0f, 0.0f, 1.0f);
  w = glm::normalize(w);
  glm::vec3 u = finite(hint) ? hint - glm::dot(hint, w) * w : glm::vec3(0.0f);
  if (glm::length(u) < 1e-4f) {
    const glm::vec3 other = std::abs(w.y) < 0.9f ? glm::vec3(0, 1, 0) : glm::vec3(1, 0, 0);
    u = other - glm::dot(other, w) * w;
  }
  u = glm::normalize(u);
  return {u, glm::cross(w, u), w};
}

// A surface of revolution around `axis` through `base`: rings of (distance along axis, radius),
// with the first and last ring closing at the axis when their radius is 0.
void addRevolution(MeshData& mesh, const glm::vec3& base, const Frame& frame,
                   const std::vector<glm::vec2>& profile) {
  const auto first = static_cast<std::uint32_t>(mesh.positions.size());
  for (const glm::vec2& ring : profile) {
    for (int s = 0; s <= kSegments; ++s) {
      const float a = 2.0f * kPi * static_cast<float>(s) / kSegments;
      const glm::vec3 radial = std::cos(a) * frame.u + std::sin(a) * frame.v;
      mesh.positions.push_back(base + ring.x * frame.w + ring.y * radial);
    }
  }
  const std::uint32_t row = kSegments + 1;
  for (std::uint32_t r = 0; r + 1 < profile.size(); ++r) {
    for (std::uint32_t s = 0; s < kSegments; ++s) {
      const std::uint32_t a = first + r * row + s, b = a + row;
      // Counter-clockwise seen from outside for a profile running along +w.
      mesh.indices.insert(mesh.indices.end(), {a, a + 1, b, a + 1, b + 1, b});
    }
  }
}

// A capsule ending at 0 and running back along -w: hemispheres of `radius` centred at -length
// and -radius joined by a shaft (length >= radius).
std::vector<glm::vec2> capsuleProfile(float radius, float length) {
  std::vector<glm::vec2> profile;
  // Runs from the far end (-length) to the tip (0) so the winding faces out.
  for (int i = 0; i <= 6; ++i) {
    const float a = 0.5f * kPi * static_cast<float>(i) / 6.0f;
    profile.emplace_back(-length - radius + radius * (1.0f - std::cos(a)), radius * std::sin(a));
  }
  for (int i = 0; i <= 6; ++i) {
    const float a = 0.5f * kPi * static_cast<float>(i) / 6.0f;
    profile.emplace_back(-radius + radius * std::sin(a), radius * std::cos(a));
  }
  return profile;
}

} // namespace

MeshData toolGlyphMesh(const ToolGlyph& glyph) {
  const ToolShape shape = toolShape(glyph.tool);
  MeshData mesh;
  switch (glyph.tool) {
  case ToolKind::Thumb:
  case ToolKind::Elbow: {
    // The pad is the rounded end of a finger or forearm pointing into the body.
    const Frame frame = frameAround(glyph.direction, glyph.axis);
    const float length = glyph.tool == ToolKind::Thumb ? 0.07f : 0.22f;
    addRevolution(mesh, glyph.contact, frame, capsuleProfile(shape.bodyRadius, length));
    break;
  }
  case ToolKind::MassageBall: {
    const Frame frame = frameAround(glyph.direction, glyph.axis);
    addRevolution(mesh, glyph.contact, frame, capsuleProfile(shape.bodyRadius, shape.bodyRadius));
    break;
  }
  case ToolKind::FoamRoller: {
    // Axis of revolution along the roller; its surface touches the contact point.
    const Frame across = frameAround(glyph.direction, glyph.axis);
    const Frame frame{across.v, across.w, across.u}; // right-handed, w along the roller axis
    const glm::vec3 centre = glyph.contact - across.w * shape.bodyRadius;
    const float half = 0.5f * shape.length;
    const float r = shape.bodyRadius;
    addRevolution(mesh, centre - half * frame.w, frame,
                  {{0.0f, 0.0f}, {0.0f, r}, {2.0f * half, r}, {2.0f * half, 0.0f}});
    break;
  }
  }
  mesh.computeNormals();
  mesh.orientation = SurfaceOrientation::Outward;
  return mesh;
}

} // namespace fascia
