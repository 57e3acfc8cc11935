#pragma once
/// \file structure.h
/// A named anatomical structure: one mesh in one layer, with the text shown to users.

#include <optional>
#include <string>

#include <glm/vec3.hpp>

#include "fascia/layer.h"
#include "fascia/mesh.h"

namespace fascia {

/// What users read about a structure. Only `name` is required; the rest may be empty.
struct StructureInfo {
  /// Identifier, unique in the model (the mesh name or file stem), e.g. "trapezius_upper_left".
  std::string name;
  /// Human name, e.g. "Upper trapezius (left)". Falls back to `name` when empty.
  std::string displayName;
  /// Terminologia Anatomica name, e.g. "Pars descendens musculi trapezii".
  std::string latinName;
  /// Foundational Model of Anatomy id, e.g. "FMA:32555", or empty.
  std::string fmaId;
  /// Two or three sentences for a patient.
  std::string description;
  /// Grouping shown in the structure tree under the layer, e.g. "Superficial muscles".
  std::string group;
  /// "left", "right", "midline" or empty.
  std::string side;
  Layer layer = Layer::Other;
  /// Colour override (linear RGB 0..1); the layer colour is used when empty.
  std::optional<glm::vec3> colour;

  /// displayName, or name when displayName is empty.
  const std::string& label() const { return displayName.empty() ? name : displayName; }
};

/// A structure with its geometry.
struct Structure {
  StructureInfo info;
  MeshData mesh;
};

} // namespace fascia
