#include "fascia/layer.h"

#include <string>

namespace fascia {

std::string_view layerId(Layer layer) {
  switch (layer) {
  case Layer::Skin: return "skin";
  case Layer::SuperficialFascia: return "superficial-fascia";
  case Layer::DeepFascia: return "deep-fascia";
  case Layer::Muscle: return "muscle";
  case Layer::Bone: return "bone";
  case Layer::Other: return "other";
  }
  return "other";
}

std::string_view layerDisplayName(Layer layer) {
  switch (layer) {
  case Layer::Skin: return "Skin";
  case Layer::SuperficialFascia: return "Superficial fascia";
  case Layer::DeepFascia: return "Deep fascia";
  case Layer::Muscle: return "Muscle";
  case Layer::Bone: return "Bone";
  case Layer::Other: return "Other";
  }
  return "Other";
}

std::optional<Layer> parseLayer(std::string_view text) {
  std::string normalised;
  normalised.reserve(text.size());
  for (char c : text) {
    if (c == '_' || c == ' ') {
      c = '-';
    } else if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
    normalised.push_back(c);
  }
  for (Layer layer : kAllLayers) {
    if (normalised == layerId(layer)) {
      return layer;
    }
  }
  return std::nullopt;
}

glm::vec3 defaultLayerColour(Layer layer) {
  // Linear RGB. Distinct in hue and lightness so adjacent layers separate even on a washed-out
  // projector: warm skin, pale yellow subcutaneous fat, silvery blue-white fascia, muscle red,
  // ivory bone, neutral grey.
  switch (layer) {
  case Layer::Skin: return {0.80f, 0.52f, 0.40f};
  case Layer::SuperficialFascia: return {0.90f, 0.80f, 0.45f};
  case Layer::DeepFascia: return {0.74f, 0.80f, 0.90f};
  case Layer::Muscle: return {0.58f, 0.09f, 0.08f};
  case Layer::Bone: return {0.88f, 0.84f, 0.70f};
  case Layer::Other: return {0.45f, 0.45f, 0.47f};
  }
  return {0.45f, 0.45f, 0.47f};
}

} // namespace fascia
