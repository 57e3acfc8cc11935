#pragma once
/// \file anatomy.h
/// The anatomy builder's public entry points: build the torso model in memory, and write it as
/// a binary glTF plus the JSON manifest the viewer reads.

#include <array>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "mesh_ops.h"

namespace fascia::anatomy {

/// What the viewer's manifest says about one structure (schema: docs/anatomy.md).
struct StructureMeta {
  std::string id;          ///< snake_case; the mesh and node name in the glTF
  std::string layer;       ///< skin, superficial-fascia, deep-fascia, muscle, bone
  std::string displayName;
  std::string latinName;   ///< Terminologia Anatomica
  std::string fmaId;       ///< from fmaIdFor (fma_ids.h); empty where no id was checked
  std::string group;
  std::string side;        ///< left, right, midline
  std::string description; ///< two or three sentences for a patient
  std::array<float, 3> colour{0.8f, 0.8f, 0.8f};
};

/// One finished structure: metadata and its closed, outward-oriented mesh (fibres for muscles).
struct BuiltStructure {
  StructureMeta meta;
  TriMesh mesh;
};

/// Build settings. detail scales the grid resolution and the triangle budgets: 1 is the
/// shipped model; tests use smaller values to run quickly.
struct BuildOptions {
  float detail = 1.0f;
  unsigned threads = 2;
  bool verbose = false;
};

/// Builds every structure, in a fixed order (deterministic for given options).
std::vector<BuiltStructure> buildAnatomy(const BuildOptions& options);

/// Serialises the structures as a binary glTF 2.0 (one mesh, primitive and node per structure;
/// POSITION, NORMAL, TANGENT for muscles; uint32 indices).
std::vector<unsigned char> encodeGlb(const std::vector<BuiltStructure>& structures);

/// Serialises the manifest (format "fascia-manifest", version 1), with a trailing newline.
std::string encodeManifest(const std::vector<BuiltStructure>& structures);

/// Writes bytes to a file. Throws std::runtime_error naming the file when it cannot be written.
void writeFile(const std::filesystem::path& path, const void* data, std::size_t size);

} // namespace fascia::anatomy
