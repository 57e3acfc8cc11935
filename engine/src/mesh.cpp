#include "fascia/mesh.h"

#include <algorithm>
#include <cmath>

#include <glm/geometric.hpp>

namespace fascia {

void Bounds::extend(const glm::vec3& p) {
  min = glm::min(min, p);
  max = glm::max(max, p);
}

void Bounds::extend(const Bounds& other) {
  if (other.empty()) {
    return;
  }
  extend(other.min);
  extend(other.max);
}

float Bounds::radius() const { return empty() ? 0.0f : glm::length(max - min) * 0.5f; }

Bounds MeshData::bounds() const {
  Bounds box;
  for (const glm::vec3& p : positions) {
    box.extend(p);
  }
  return box;
}

void MeshData::computeNormals() {
  normals.assign(positions.size(), glm::vec3(0.0f));
  const std::size_t vertexCount = positions.size();
  const std::size_t indexCount = indices.size() - indices.size() % 3;
  for (std::size_t i = 0; i < indexCount; i += 3) {
    const std::uint32_t a = indices[i];
    const std::uint32_t b = indices[i + 1];
    const std::uint32_t c = indices[i + 2];
    if (a >= vertexCount || b >= vertexCount || c >= vertexCount) {
      continue; // validateModel reports these; do not read out of bounds here.
    }
    // The unnormalised cross product has twice the triangle's area as its length, which gives
    // the area weighting for free.
    const glm::vec3 faceNormal =
        glm::cross(positions[b] - positions[a], positions[c] - positions[a]);
    normals[a] += faceNormal;
    normals[b] += faceNormal;
    normals[c] += faceNormal;
  }
  for (glm::vec3& n : normals) {
    const float length = glm::length(n);
    // Vertices used by no (or only degenerate) triangles still need a unit normal.
    n = (length > 0.0f && std::isfinite(length)) ? n / length : glm::vec3(0.0f, 1.0f, 0.0f);
  }
}

SurfaceOrientation MeshData::surfaceOrientation() const {
  const std::size_t triangles = triangleCount();
  if (triangles == 0) return SurfaceOrientation::Open;
  // Every directed edge as one 64-bit key. A closed, consistently wound surface has each
  // directed edge exactly once and its reverse exactly once.
  std::vector<std::uint64_t> edges;
  edges.reserve(triangles * 3);
  const auto key = [](std::uint32_t from, std::uint32_t to) {
    return (static_cast<std::uint64_t>(from) << 32) | to;
  };
  for (std::size_t t = 0; t < triangles; ++t) {
    const std::uint32_t* v = &indices[t * 3];
    edges.push_back(key(v[0], v[1]));
    edges.push_back(key(v[1], v[2]));
    edges.push_back(key(v[2], v[0]));
  }
  std::sort(edges.begin(), edges.end());
  if (std::adjacent_find(edges.begin(), edges.end()) != edges.end()) {
    return SurfaceOrientation::Open;
  }
  for (const std::uint64_t edge : edges) {
    const std::uint64_t reverse = (edge << 32) | (edge >> 32);
    if (!std::binary_search(edges.begin(), edges.end(), reverse)) return SurfaceOrientation::Open;
  }
  // Signed volume by the divergence theorem, relative to the centroid for precision.
  const glm::vec3 origin = bounds().centre();
  double volume = 0.0;
  for (std::size_t t = 0; t < triangles; ++t) {
    const glm::vec3 a = positions[indices[t * 3]] - origin;
    const glm::vec3 b = positions[indices[t * 3 + 1]] - origin;
    const glm::vec3 c = positions[indices[t * 3 + 2]] - origin;
    volume += static_cast<double>(glm::dot(a, glm::cross(b, c)));
  }
  if (volume == 0.0 || !std::isfinite(volume)) return SurfaceOrientation::Open;
  return volume > 0.0 ? SurfaceOrientation::Outward : SurfaceOrientation::Inward;
}

} // namespace fascia
