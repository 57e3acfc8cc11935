#include "fascia/surface.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <glm/geometric.hpp>

#include "fascia/bvh.h"

namespace fascia {
namespace {

bool isFinite(const glm::vec3& v) {
  return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z);
}

/// The three vertex indices of a triangle, or none when one is out of range or a vertex is
/// not finite (such triangles cannot be drawn or hit either).
std::optional<std::array<std::uint32_t, 3>> usableTriangle(const MeshData& mesh,
                                                           std::size_t triangle) {
  if (triangle >= mesh.triangleCount()) return std::nullopt;
  std::array<std::uint32_t, 3> idx{mesh.indices[3 * triangle], mesh.indices[3 * triangle + 1],
                                   mesh.indices[3 * triangle + 2]};
  for (std::uint32_t i : idx) {
    if (i >= mesh.positions.size() || !isFinite(mesh.positions[i])) return std::nullopt;
  }
  return idx;
}

/// Parameter in [0, 1] of the point of segment ab nearest to p (0 for a zero-length segment).
float closestOnSegment(const glm::vec3& p, const glm::vec3& a, const glm::vec3& b) {
  const glm::vec3 ab = b - a;
  const float lengthSquared = glm::dot(ab, ab);
  if (!(lengthSquared > 0.0f)) return 0.0f;
  return std::clamp(glm::dot(p - a, ab) / lengthSquared, 0.0f, 1.0f);
}

/// The closest point of a degenerate (zero-area) triangle: the nearest of its three edges.
glm::vec3 closestBarycentricDegenerate(const glm::vec3& p, const glm::vec3& a, const glm::vec3& b,
                                       const glm::vec3& c) {
  const float tab = closestOnSegment(p, a, b);
  const float tbc = closestOnSegment(p, b, c);
  const float tca = closestOnSegment(p, c, a);
  const std::array<glm::vec3, 3> candidates{glm::vec3(1.0f - tab, tab, 0.0f),
                                            glm::vec3(0.0f, 1.0f - tbc, tbc),
                                            glm::vec3(tca, 0.0f, 1.0f - tca)};
  glm::vec3 best = candidates[0];
  float bestDistance = std::numeric_limits<float>::infinity();
  for (const glm::vec3& w : candidates) {
    const glm::vec3 d = w.x * a + w.y * b + w.z * c - p;
    if (glm::dot(d, d) < bestDistance) {
      bestDistance = glm::dot(d, d);
      best = w;
    }
  }
  return best;
}

/// The closest point of triangle abc to p, as barycentric weights of a, b, c. Classifies p
/// against the Voronoi regions of the vertices, edges and face (the classic construction in
/// Ericson's "Real-Time Collision Detection", 5.1.5), so it is exact up to float rounding and
/// needs no square roots.
glm::vec3 closestBarycentric(const glm::vec3& p, const glm::vec3& a, const glm::vec3& b,
                             const glm::vec3& c) {
  const glm::vec3 ab = b - a, ac = c - a, ap = p - a;
  // The region tests divide by edge lengths and areas; a sliver with (almost) no area would
  // divide zero by zero, so treat it as the three segments it is.
  const glm::vec3 n = glm::cross(ab, ac);
  if (!(glm::dot(n, n) > 1e-12f * glm::dot(ab, ab) * glm::dot(ac, ac))) {
    return closestBarycentricDegenerate(p, a, b, c);
  }
  const float d1 = glm::dot(ab, ap), d2 = glm::dot(ac, ap);
  if (d1 <= 0.0f && d2 <= 0.0f) return {1.0f, 0.0f, 0.0f};

  const glm::vec3 bp = p - b;
  const float d3 = glm::dot(ab, bp), d4 = glm::dot(ac, bp);
  if (d3 >= 0.0f && d4 <= d3) return {0.0f, 1.0f, 0.0f};

  const float vc = d1 * d4 - d3 * d2;
  if (vc <= 0.0f && d1 >= 0.0f && d3 <= 0.0f) {
    const float v = d1 / (d1 - d3);
    return {1.0f - v, v, 0.0f};
  }

  const glm::vec3 cp = p - c;
  const float d5 = glm::dot(ab, cp), d6 = glm::dot(ac, cp);
  if (d6 >= 0.0f && d5 <= d6) return {0.0f, 0.0f, 1.0f};

  const float vb = d5 * d2 - d1 * d6;
  if (vb <= 0.0f && d2 >= 0.0f && d6 <= 0.0f) {
    const float w = d2 / (d2 - d6);
    return {1.0f - w, 0.0f, w};
  }

  const float va = d3 * d6 - d5 * d4;
  if (va <= 0.0f && (d4 - d3) >= 0.0f && (d5 - d6) >= 0.0f) {
    const float w = (d4 - d3) / ((d4 - d3) + (d5 - d6));
    return {0.0f, 1.0f - w, w};
  }

  const float sum = va + vb + vc;
  if (!(sum > 0.0f)) return closestBarycentricDegenerate(p, a, b, c);
  const float v = vb / sum, w = vc / sum;
  return {1.0f - v - w, v, w};
}

/// Position and normal of a point given by weights on a usable triangle.
SurfacePoint makePoint(const MeshData& mesh, std::uint32_t triangle,
                       const std::array<std::uint32_t, 3>& idx, const glm::vec3& bary) {
  SurfacePoint point;
  point.triangle = triangle;
  point.barycentric = bary;
  const glm::vec3& a = mesh.positions[idx[0]];
  const glm::vec3& b = mesh.positions[idx[1]];
  const glm::vec3& c = mesh.positions[idx[2]];
  point.position = bary.x * a + bary.y * b + bary.z * c;

  glm::vec3 normal(0.0f);
  if (mesh.normals.size() == mesh.positions.size()) {
    normal = bary.x * mesh.normals[idx[0]] + bary.y * mesh.normals[idx[1]] +
             bary.z * mesh.normals[idx[2]];
  }
  float length = glm::length(normal);
  if (!(length > 1e-12f) || !std::isfinite(length)) {
    // Missing or cancelling vertex normals (a crease between opposite faces): the face normal
    // is the best the mesh can say.
    normal = glm::cross(b - a, c - a);
    length = glm::length(normal);
  }
  point.normal =
      length > 1e-20f && std::isfinite(length) ? normal / length : glm::vec3(0.0f, 0.0f, 1.0f);
  return point;
}

} // namespace

SurfacePoint closestPointOnMesh(const MeshData& mesh, glm::vec3 p) {
  if (!isFinite(p)) {
    throw std::invalid_argument("closestPointOnMesh: the query point is not finite");
  }
  float bestDistance = std::numeric_limits<float>::infinity();
  std::optional<SurfacePoint> best;
  for (std::size_t t = 0; t < mesh.triangleCount(); ++t) {
    const auto idx = usableTriangle(mesh, t);
    if (!idx) continue;
    const glm::vec3& a = mesh.positions[(*idx)[0]];
    const glm::vec3& b = mesh.positions[(*idx)[1]];
    const glm::vec3& c = mesh.positions[(*idx)[2]];
    const glm::vec3 bary = closestBarycentric(p, a, b, c);
    const glm::vec3 q = bary.x * a + bary.y * b + bary.z * c;
    const glm::vec3 d = q - p;
    const float distance = glm::dot(d, d);
    if (distance < bestDistance || !best) {
      bestDistance = distance;
      best = makePoint(mesh, static_cast<std::uint32_t>(t), *idx, bary);
    }
  }
  if (!best) {
    throw std::invalid_argument("closestPointOnMesh: the mesh has no usable triangle");
  }
  return *best;
}

std::optional<SurfacePoint> pointFromAnchor(const MeshData& mesh, std::uint32_t triangle,
                                            glm::vec3 barycentric) {
  constexpr float kTolerance = 1e-3f;
  if (!isFinite(barycentric)) return std::nullopt;
  const auto idx = usableTriangle(mesh, triangle);
  if (!idx) return std::nullopt;
  const float sum = barycentric.x + barycentric.y + barycentric.z;
  if (barycentric.x < -kTolerance || barycentric.y < -kTolerance || barycentric.z < -kTolerance ||
      std::abs(sum - 1.0f) > kTolerance) {
    return std::nullopt;
  }
  glm::vec3 clamped = glm::max(barycentric, glm::vec3(0.0f));
  clamped /= clamped.x + clamped.y + clamped.z;
  return makePoint(mesh, triangle, *idx, clamped);
}

std::optional<SurfacePoint> placeOnStructure(const Model& model, std::uint32_t structure,
                                             glm::vec3 position, glm::vec3 approach) {
  if (structure >= model.structures.size() || !isFinite(position) || !isFinite(approach)) {
    return std::nullopt;
  }
  const float length = glm::length(approach);
  if (!(length > 0.0f) || !std::isfinite(length)) return std::nullopt;
  const glm::vec3 direction = approach / length;

  // 25 cm covers the soft tissue over any muscle of the trunk, so a landmark position given on
  // the skin or slightly inside the muscle still lands on the muscle's outer surface.
  constexpr float kBackOff = 0.25f;
  Ray ray;
  ray.origin = position - kBackOff * direction;
  ray.direction = direction;
  const auto hit =
      intersectBruteForce(model, ray, [structure](std::uint32_t s) { return s == structure; });
  if (!hit) return std::nullopt;

  const MeshData& mesh = model.structures[structure].mesh;
  const auto idx = usableTriangle(mesh, hit->triangle);
  if (!idx) return std::nullopt; // cannot happen: the ray test skips the same triangles
  SurfacePoint point = makePoint(mesh, hit->triangle, *idx, hit->barycentric);
  // The ray's own position is the more exact of the two (no barycentric round trip).
  point.position = hit->position;
  return point;
}

} // namespace fascia
