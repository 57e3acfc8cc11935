#pragma once
/// \file test_models.h
/// Small models the tests and benchmarks generate in code, writers for the file formats the
/// loader reads, and a temporary-folder helper. CPU only; no GL context needed.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include <glm/vec3.hpp>

#include "fascia/mesh.h"
#include "fascia/model.h"

namespace fascia::test {

// ---------------------------------------------------------------------------------------------
// Generators

/// A unit sphere centred at the origin: an icosahedron split `subdivisions` times
/// (20 * 4^subdivisions triangles), counter-clockwise seen from outside, with unit normals.
fascia::MeshData makeIcosphere(int subdivisions);

/// An ellipsoid with the given semi-axes (metres) centred at `centre`, outward-facing.
fascia::MeshData makeEllipsoid(const glm::vec3& radii, int subdivisions,
                               const glm::vec3& centre = glm::vec3(0.0f));

/// Five closed, nested, outward-facing ellipsoid shells centred at the origin, one per layer,
/// outermost first: "skin" (0.35 m wide, 0.9 m tall, 0.25 m deep), "superficial_fascia",
/// "deep_fascia", "muscle_block" (with vertical fibre directions) and "bone_core". Each has its
/// layer, display name, group, side and description filled in. 20 * 4^subdivisions triangles
/// per shell.
fascia::Model makeNestedShells(int subdivisions = 3);

/// Exactly `triangles` triangles as small random spheres scattered through a body-sized box,
/// split over up to eight structures ("soup_0"...) in turn across the layers. The same seed
/// gives the same model. For BVH tests and load/pick benchmarks.
fascia::Model makeSphereSoup(std::size_t triangles, unsigned seed);

// ---------------------------------------------------------------------------------------------
// Writers. Each throws std::runtime_error when the file cannot be written.

/// Wavefront OBJ: one "o <name>" group per structure, with vertex normals.
void writeObj(const fascia::Model& model, const std::filesystem::path& file);

/// A schema-v1 manifest (docs/manifest.md) with every field set in each structure's info.
void writeManifest(const fascia::Model& model, const std::filesystem::path& file);

/// Binary little-endian PLY with positions, normals and triangle faces.
void writeBinaryPly(const fascia::MeshData& mesh, const std::filesystem::path& file);

/// Binary STL (one facet normal per triangle, as the format has it).
void writeStl(const fascia::MeshData& mesh, const std::filesystem::path& file);

/// glTF 2.0: text .gltf with the buffer embedded as a base64 data URI, or binary when the file
/// name ends in ".glb". One node and one mesh per structure, both named after it; fibres are
/// written as the TANGENT attribute. With `withExtras`, each node carries glTF extras
/// ("layer", "displayName", "latinName", "fmaId", "description", "group", "side") from the info.
void writeGltf(const fascia::Model& model, const std::filesystem::path& file,
               bool withExtras = false);

/// Writes bytes to a file as they are (for hand-made, empty, garbage or truncated files).
void writeBytes(const std::filesystem::path& file, std::string_view bytes);

/// Reads a whole file into a string of bytes.
std::string readBytes(const std::filesystem::path& file);

// ---------------------------------------------------------------------------------------------
// Temporary folders

/// A unique, empty folder under the system temporary folder, removed with everything in it
/// when the object is destroyed. Move-only.
class TempDir {
public:
  /// Creates the folder. Throws std::runtime_error when it cannot.
  TempDir();
  /// Removes the folder and its contents, restoring owner permissions first; never throws.
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  /// Takes over the folder; `other` is left owning nothing.
  TempDir(TempDir&& other) noexcept;
  /// Removes the folder held so far and takes over `other`'s.
  TempDir& operator=(TempDir&& other) noexcept;

  /// The folder's path.
  const std::filesystem::path& path() const { return path_; }
  /// path() / name.
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

private:
  std::filesystem::path path_;
};

} // namespace fascia::test
