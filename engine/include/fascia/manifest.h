#pragma once
/// \file manifest.h
/// The JSON sidecar manifest that assigns layers, names, colours and descriptions to the
/// structures of a model. Schema: docs/manifest.md.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <glm/vec3.hpp>

#include "fascia/layer.h"
#include "fascia/structure.h"

namespace fascia {

/// What a manifest says about one structure. Unset fields leave the loaded value alone.
struct ManifestEntry {
  std::optional<Layer> layer;
  std::optional<std::string> displayName;
  std::optional<std::string> latinName;
  std::optional<std::string> fmaId;
  std::optional<std::string> description;
  std::optional<std::string> group;
  std::optional<std::string> side;
  std::optional<glm::vec3> colour;

  /// Copies the set fields onto info.
  void applyTo(StructureInfo& info) const;
};

/// A parsed manifest.
struct Manifest {
  /// The highest manifest version this build reads.
  static constexpr int kVersion = 1;
  int version = kVersion;
  /// Entries by structure name (the mesh name in the model file, or the file stem in a folder).
  std::map<std::string, ManifestEntry, std::less<>> structures;
};

/// Parses manifest text. `file` is used in error messages only.
/// Throws InputError on malformed JSON, a wrong "format", a version above kVersion, an unknown
/// layer, a colour that is not three numbers in 0..1, or a field of the wrong type.
Manifest parseManifest(std::string_view json, const std::filesystem::path& file);

/// Reads and parses a manifest file. Throws InputError (see parseManifest) or when unreadable.
Manifest loadManifest(const std::filesystem::path& file);

/// Where the sidecar manifest of a model lives: "<dir>/<stem>.manifest.json" for a file,
/// "<folder>/manifest.json" for a folder of meshes.
std::filesystem::path manifestPathFor(const std::filesystem::path& model);

/// The layer a structure's name suggests, from the name rules in docs/manifest.md
/// ("skin"; "superficial fascia"/"subcutaneous"; "fascia"/"aponeurosis"; "muscle"/"m."/common
/// muscle names; "bone"/vertebra, rib, pelvis... names), or Layer::Other.
Layer layerFromName(std::string_view structureName);

} // namespace fascia
