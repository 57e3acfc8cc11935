#include "layered_model.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <glm/geometric.hpp>

namespace fascia::bench {
namespace {

constexpr float kPi = 3.14159265358979f;

struct Shell {
  const char* name;
  float scale; ///< of the outer ellipsoid
  float bumps; ///< displacement amplitude, relative
};

// Outside to inside; the names follow the loader's layer name rules.
constexpr std::array<Shell, 6> kShells = {{{"skin", 1.00f, 0.015f},
                                           {"superficial_fascia", 0.96f, 0.012f},
                                           {"deep_fascia", 0.92f, 0.010f},
                                           {"muscle_erector_spinae", 0.86f, 0.030f},
                                           {"bone_vertebral_column", 0.45f, 0.050f},
                                           {"organ_core", 0.30f, 0.020f}}};

/// A UV ellipsoid with rings x segments quads (pole rows collapsed), displaced along the radius
/// by a smooth sum of sines.
MeshData makeShell(const Shell& shell, int rings) {
  const int segments = 2 * rings;
  const glm::vec3 radii = shell.scale * glm::vec3(0.175f, 0.45f, 0.125f);
  MeshData mesh;
  mesh.positions.reserve(static_cast<std::size_t>((rings + 1) * segments));
  for (int i = 0; i <= rings; ++i) {
    const float theta = kPi * static_cast<float>(i) / static_cast<float>(rings);
    for (int j = 0; j < segments; ++j) {
      const float phi = 2.0f * kPi * static_cast<float>(j) / static_cast<float>(segments);
      const float bump =
          1.0f + shell.bumps * (std::sin(9.0f * theta + 1.3f) * std::cos(7.0f * phi) +
                                0.5f * std::sin(23.0f * theta) * std::sin(19.0f * phi));
      const glm::vec3 unit(std::sin(theta) * std::cos(phi), std::cos(theta),
                           std::sin(theta) * std::sin(phi));
      mesh.positions.push_back(bump * radii * unit);
    }
  }
  const auto seg = static_cast<std::uint32_t>(segments);
  mesh.indices.reserve(static_cast<std::size_t>(rings) * seg * 6);
  for (std::uint32_t i = 0; i < static_cast<std::uint32_t>(rings); ++i) {
    for (std::uint32_t j = 0; j < seg; ++j) {
      const std::uint32_t a = i * seg + j, b = i * seg + (j + 1) % seg, c = a + seg, d = b + seg;
      mesh.indices.insert(mesh.indices.end(), {a, b, c, b, d, c});
    }
  }
  mesh.computeNormals();
  return mesh;
}

template <typename T> void put(std::vector<char>& out, const T& value) {
  const std::size_t at = out.size();
  out.resize(at + sizeof(T));
  std::memcpy(out.data() + at, &value, sizeof(T));
}

} // namespace

Model makeLayeredModel(std::size_t triangles) {
  // Each shell has 4 * rings^2 triangles.
  const double perShell = static_cast<double>(triangles) / static_cast<double>(kShells.size());
  const int rings = std::max(4, static_cast<int>(std::lround(std::sqrt(perShell / 4.0))));
  Model model;
  for (const Shell& shell : kShells) {
    Structure structure;
    structure.info.name = shell.name;
    structure.mesh = makeShell(shell, rings);
    model.structures.push_back(std::move(structure));
  }
  return model;
}

void writePlyFolder(const Model& model, const std::filesystem::path& folder) {
  std::filesystem::create_directories(folder);
  for (const Structure& structure : model.structures) {
    const MeshData& mesh = structure.mesh;
    const std::string header = "ply\nformat binary_little_endian 1.0\nelement vertex " +
                               std::to_string(mesh.vertexCount()) +
                               "\nproperty float x\nproperty float y\nproperty float z\n"
                               "property float nx\nproperty float ny\nproperty float nz\n"
                               "element face " +
                               std::to_string(mesh.triangleCount()) +
                               "\nproperty list uchar uint vertex_indices\nend_header\n";
    std::vector<char> body;
    body.reserve(mesh.vertexCount() * 24 + mesh.triangleCount() * 13);
    for (std::size_t i = 0; i < mesh.vertexCount(); ++i) {
      const glm::vec3& p = mesh.positions[i];
      const glm::vec3 n = i < mesh.normals.size() ? mesh.normals[i] : glm::vec3(0.0f, 1.0f, 0.0f);
      for (const float f : {p.x, p.y, p.z, n.x, n.y, n.z})
        put(body, f);
    }
    for (std::size_t t = 0; t < mesh.triangleCount(); ++t) {
      put(body, static_cast<std::uint8_t>(3));
      for (int k = 0; k < 3; ++k)
        put(body, mesh.indices[3 * t + static_cast<std::size_t>(k)]);
    }
    // PLY binary is little-endian; so is every machine this project targets.
    const std::filesystem::path file = folder / (structure.info.name + ".ply");
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
    if (!out) throw std::runtime_error(file.string() + ": cannot write the file");
  }
}

} // namespace fascia::bench
