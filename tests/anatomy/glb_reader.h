#pragma once
/// \file glb_reader.h
/// A small reader for the binary glTF files the anatomy builder writes (tests only).

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "mesh_ops.h"

namespace fascia::anatomy::test {

/// One mesh of a GLB: its name and its single primitive's data.
struct GlbMesh {
  std::string name;
  int primitiveCount = 0;
  int mode = -1;
  bool hasTangents = false;
  std::vector<float> tangentW;
  TriMesh mesh;
  /// The box around the mesh's positions (so ray tests can skip whole meshes).
  Aabb bounds;
};

/// Parses GLB bytes. Throws std::runtime_error on anything malformed (bad magic, lengths,
/// accessors out of range, non-float attributes, non-uint32 indices, alignment).
std::vector<GlbMesh> parseGlb(const std::vector<unsigned char>& bytes);

/// Reads a whole file. Throws std::runtime_error when it cannot.
std::vector<unsigned char> readBytes(const std::filesystem::path& path);

} // namespace fascia::anatomy::test
