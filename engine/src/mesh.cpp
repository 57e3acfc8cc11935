#include "fascia/mesh.h"

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

} // namespace fascia
