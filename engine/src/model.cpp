#include "fascia/model.h"

namespace fascia {

Bounds Model::bounds() const {
  Bounds box;
  for (const Structure& structure : structures) {
    box.extend(structure.mesh.bounds());
  }
  return box;
}

std::size_t Model::triangleCount() const {
  std::size_t count = 0;
  for (const Structure& structure : structures) {
    count += structure.mesh.triangleCount();
  }
  return count;
}

std::optional<std::size_t> Model::find(std::string_view name) const {
  for (std::size_t i = 0; i < structures.size(); ++i) {
    if (structures[i].info.name == name) {
      return i;
    }
  }
  return std::nullopt;
}

} // namespace fascia
