#include "fascia/display_settings.h"

#include <algorithm>

#include "fascia/model.h"

namespace fascia {

float DisplaySettings::peelFactor(Layer layer) const {
  const float remaining = static_cast<float>(layerIndex(layer) + 1) - peelDepth;
  return std::clamp(remaining, 0.0f, 1.0f);
}

float DisplaySettings::layerOpacity(Layer layer) const {
  const LayerSettings& settings = layers[static_cast<std::size_t>(layerIndex(layer))];
  if (!settings.visible) return 0.0f;
  return std::clamp(settings.opacity, 0.0f, 1.0f) * peelFactor(layer);
}

bool DisplaySettings::isHidden(std::uint32_t structure) const {
  return structure < hidden.size() && hidden[structure];
}

float DisplaySettings::structureOpacity(const Model& model, std::uint32_t structure) const {
  if (structure >= model.structures.size() || isHidden(structure)) return 0.0f;
  return layerOpacity(model.structures[structure].info.layer);
}

bool DisplaySettings::isPickable(const Model& model, std::uint32_t structure) const {
  return structureOpacity(model, structure) >= kPickableOpacity;
}

} // namespace fascia
