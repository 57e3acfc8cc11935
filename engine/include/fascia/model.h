#pragma once
/// \file model.h
/// A loaded model: a set of named structures, each in one layer.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "fascia/structure.h"

namespace fascia {

/// A whole body model. Structures keep the order they were loaded in; their index is the
/// structure id used by picking, display settings and the renderer.
struct Model {
  /// The file or folder it was loaded from (empty for generated models).
  std::filesystem::path source;
  std::vector<Structure> structures;

  Bounds bounds() const;
  std::size_t triangleCount() const;
  /// Index of the structure with this name, if any.
  std::optional<std::size_t> find(std::string_view name) const;
};

} // namespace fascia
