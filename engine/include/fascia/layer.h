#pragma once
/// \file layer.h
/// The anatomical layers of the body, outside to inside, and their names.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include <glm/vec3.hpp>

namespace fascia {

/// A tissue layer. The order is the peeling order: skin first, "other" last.
enum class Layer : std::uint8_t { Skin, SuperficialFascia, DeepFascia, Muscle, Bone, Other };

/// Number of layers.
inline constexpr int kLayerCount = 6;

/// Every layer, outside to inside.
inline constexpr std::array<Layer, kLayerCount> kAllLayers = {
    Layer::Skin, Layer::SuperficialFascia, Layer::DeepFascia,
    Layer::Muscle, Layer::Bone, Layer::Other};

/// Zero-based depth of a layer: 0 for skin, 5 for "other".
constexpr int layerIndex(Layer layer) { return static_cast<int>(layer); }

/// The machine name used in manifests and on the command line: "skin", "superficial-fascia",
/// "deep-fascia", "muscle", "bone", "other".
std::string_view layerId(Layer layer);

/// The name shown to users: "Skin", "Superficial fascia", ...
std::string_view layerDisplayName(Layer layer);

/// Parses a layer id. Case-insensitive; '_' and ' ' are accepted for '-'. Empty when unknown.
std::optional<Layer> parseLayer(std::string_view text);

/// The default colour of a layer (linear RGB, 0..1), chosen to read well on screen and projector.
glm::vec3 defaultLayerColour(Layer layer);

} // namespace fascia
