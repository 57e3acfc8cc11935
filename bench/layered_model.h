#pragma once
/// \file layered_model.h
/// The benchmark's generated body: nested, noise-displaced ellipsoids, one per layer, and a
/// writer that stores a model as a folder of binary PLY files (one structure per file).

#include <cstddef>
#include <filesystem>

#include "fascia/model.h"

namespace fascia::bench {

/// Six closed nested shells named after the layers (skin outermost ... "organ_core"), with
/// about `triangles` triangles in all, shaped like a torso (0.35 x 0.9 x 0.25 m) with a
/// deterministic bumpy displacement so the surfaces are not trivially smooth. Normals are set.
Model makeLayeredModel(std::size_t triangles);

/// Writes each structure to `folder`/<name>.ply (binary little-endian; positions, normals and
/// faces). Creates the folder. Throws std::runtime_error when a file cannot be written.
void writePlyFolder(const Model& model, const std::filesystem::path& folder);

} // namespace fascia::bench
