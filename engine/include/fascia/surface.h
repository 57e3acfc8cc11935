#pragma once
/// \file surface.h
/// Points on a mesh surface: the closest surface point to a position, a point from a stored
/// (triangle, barycentric) anchor, and a point found by pressing onto one structure along a
/// direction. Used to pin annotations such as trigger points to the anatomy. CPU only.

#include <cstdint>
#include <optional>

#include <glm/vec3.hpp>

#include "fascia/mesh.h"
#include "fascia/model.h"

namespace fascia {

/// A point on a triangle of one mesh.
struct SurfacePoint {
  std::uint32_t triangle = 0;  ///< triangle index within the mesh
  glm::vec3 barycentric{0.0f}; ///< weights of the triangle's three vertices (sum 1, all >= 0)
  glm::vec3 position{0.0f};    ///< model-space position (metres)
  /// Unit normal interpolated from the vertex normals; the face normal where the mesh has no
  /// usable vertex normals there.
  glm::vec3 normal{0.0f, 0.0f, 1.0f};
};

/// The point of the mesh's surface nearest to `p` (exact point-triangle distance, every
/// triangle tested: O(triangles)). Ties go to the lowest triangle index. Triangles with an
/// out-of-range index or a non-finite vertex are skipped.
/// Throws std::invalid_argument when `p` is not finite or the mesh has no usable triangle
/// (check triangleCount() first; loaded meshes always have one).
SurfacePoint closestPointOnMesh(const MeshData& mesh, glm::vec3 p);

/// The point that a stored anchor names: none when the triangle is out of range, its vertices
/// are unusable, or the weights are not finite, clearly negative (< -1e-3) or do not sum to 1
/// (within 1e-3) - an anchor like that does not lie on the triangle, so it came from another
/// mesh or a damaged file. Weights within the tolerance are clamped and renormalised.
std::optional<SurfacePoint> pointFromAnchor(const MeshData& mesh, std::uint32_t triangle,
                                            glm::vec3 barycentric);

/// Presses onto one structure: casts a ray that starts 25 cm before `position` (against
/// `approach`) and runs along `approach`, and returns the first point where it meets that
/// structure, ignoring every other structure (a trigger point is "in the trapezius" even where
/// skin covers it). `approach` need not be unit length. None when the structure index is out
/// of range, `approach` is zero or not finite, or the ray misses.
std::optional<SurfacePoint> placeOnStructure(const Model& model, std::uint32_t structure,
                                             glm::vec3 position, glm::vec3 approach);

} // namespace fascia
