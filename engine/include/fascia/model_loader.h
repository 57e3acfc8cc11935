#pragma once
/// \file model_loader.h
/// Loading models from files: any format Assimp reads (glTF/GLB, OBJ, FBX, STL, PLY, DAE...),
/// or a folder of mesh files with one structure per file.

#include <filesystem>
#include <functional>
#include <string_view>

#include "fascia/model.h"

namespace fascia {

/// Reports loading progress: fraction in 0..1 and a short stage name ("reading", "meshes"...).
/// Called on the loading thread; it must be cheap and thread-safe.
using ProgressCallback = std::function<void(float fraction, std::string_view stage)>;

/// Loads a model. Layer assignment, in order of precedence: the sidecar manifest
/// (manifestPathFor), glTF extras ("layer", "displayName", ... on the node or mesh), the name
/// rules (layerFromName), else Layer::Other. Missing normals are computed; muscle fibre
/// directions are read from the mesh tangents when present.
/// Needs no GL context; safe to call on a worker thread.
/// Throws InputError for a missing, unreadable, truncated or corrupt file, a model with no
/// triangles, non-finite vertices, out-of-range indices, or a bad manifest.
Model loadModel(const std::filesystem::path& path, const ProgressCallback& progress = {});

/// Whether a file's extension is one the loader can read (for file browsers). Case-insensitive.
bool isModelFileExtension(const std::filesystem::path& file);

/// Checks the invariants of every mesh (finite positions and normals, matching array sizes,
/// indices in range, at least one triangle in the model). Throws InputError naming `file`.
void validateModel(const Model& model, const std::filesystem::path& file);

} // namespace fascia
