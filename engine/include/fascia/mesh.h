#pragma once
/// \file mesh.h
/// CPU-side triangle meshes and bounding boxes.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include <glm/vec3.hpp>

namespace fascia {

/// An axis-aligned bounding box. Default-constructed it is empty (min > max).
struct Bounds {
  glm::vec3 min{std::numeric_limits<float>::max()};
  glm::vec3 max{std::numeric_limits<float>::lowest()};

  /// True when nothing has been added.
  bool empty() const { return min.x > max.x; }
  /// Grows the box to contain a point.
  void extend(const glm::vec3& p);
  /// Grows the box to contain another box.
  void extend(const Bounds& other);
  glm::vec3 centre() const { return (min + max) * 0.5f; }
  glm::vec3 size() const { return empty() ? glm::vec3(0.0f) : max - min; }
  /// Radius of the bounding sphere around centre().
  float radius() const;
};

/// Whether a mesh is a closed surface, and which way its triangles face.
enum class SurfaceOrientation : std::uint8_t {
  Open,    ///< has borders, non-manifold or inconsistently wound edges: seen from both sides
  Outward, ///< closed, counter-clockwise seen from outside
  Inward,  ///< closed, counter-clockwise seen from inside (an inside-out volume)
};

/// An indexed triangle mesh in model space (metres, +Y up, patient facing +Z).
/// Invariants checked by validate(): normals (and fibres, if present) have one entry per
/// position; indices come in threes and are all < positions.size().
struct MeshData {
  std::vector<glm::vec3> positions;
  /// Unit vertex normals, one per position.
  std::vector<glm::vec3> normals;
  /// Muscle fibre direction per vertex (unit vectors), or empty when the structure has none.
  std::vector<glm::vec3> fibres;
  /// Triangle list: three indices per triangle, counter-clockwise seen from outside.
  std::vector<std::uint32_t> indices;
  /// Whether the surface is closed and which way it faces, as computed by surfaceOrientation()
  /// (the loader sets it). The renderer culls the hidden side of closed surfaces only.
  SurfaceOrientation orientation = SurfaceOrientation::Open;

  std::size_t vertexCount() const { return positions.size(); }
  std::size_t triangleCount() const { return indices.size() / 3; }
  Bounds bounds() const;
  /// Recomputes smooth area-weighted vertex normals from the triangles.
  void computeNormals();
  /// Whether every edge is shared by exactly two triangles that run it in opposite directions
  /// (a closed, consistently wound surface), and if so whether its triangles face outwards
  /// (positive enclosed volume) or inwards. O(n log n) in the triangle count.
  SurfaceOrientation surfaceOrientation() const;
};

} // namespace fascia
