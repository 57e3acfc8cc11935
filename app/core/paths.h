#pragma once
/// \file paths.h
/// Where the program finds its shaders and bundled assets.

#include <filesystem>

namespace fascia::app {

/// The folder holding shaders/ and assets/. In order: $FASCIA_DATA_DIR; the folder above the
/// executable's (an installed or unpacked tree); the source tree the program was built from.
/// Throws std::runtime_error, saying where it looked, when none has shaders/mesh.vert.
std::filesystem::path dataDir();

/// dataDir() / "shaders".
std::filesystem::path shaderDir();

/// The bundled model, dataDir() / "assets/torso.glb".
std::filesystem::path defaultModelPath();

} // namespace fascia::app
