#pragma once
/// \file display_settings.h
/// What is shown and how: per-layer visibility and opacity, peel depth, hidden structures,
/// hover and selection. Plain data; the renderer and picking read it.

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "fascia/layer.h"
#include "fascia/section.h"

namespace fascia {

struct Model;

/// Per-layer user settings.
struct LayerSettings {
  bool visible = true;
  float opacity = 1.0f; ///< 0..1
  bool operator==(const LayerSettings&) const = default;
};

/// Display state of a model.
struct DisplaySettings {
  std::array<LayerSettings, kLayerCount> layers{};
  /// 0 = everything shown; 1 = skin gone; 2 = superficial fascia gone too... Fractions fade the
  /// next layer smoothly.
  float peelDepth = 0.0f;
  /// Per structure index: hidden by the user. Shorter than the model means "not hidden".
  std::vector<bool> hidden;
  std::optional<std::uint32_t> hovered;
  std::optional<std::uint32_t> selected;
  /// The section view: a plane that cuts the model open (disabled: nothing is cut). Kept here
  /// so it is undone with the other display changes; the app passes it to
  /// Renderer::setSection, and picking ignores what it removes.
  SectionPlane section;

  /// The factor peeling applies to a layer, in 0..1: clamp(index + 1 - peelDepth, 0, 1).
  float peelFactor(Layer layer) const;
  /// Layer opacity after visibility and peeling, in 0..1.
  float layerOpacity(Layer layer) const;
  bool operator==(const DisplaySettings&) const = default;

  /// Whether the user hid this structure.
  bool isHidden(std::uint32_t structure) const;
  /// Effective opacity of a structure, 0 when hidden.
  float structureOpacity(const Model& model, std::uint32_t structure) const;
  /// Whether a structure can be seen and picked (opacity above a small threshold).
  bool isPickable(const Model& model, std::uint32_t structure) const;
};

/// Opacity below which a structure counts as peeled away and is not picked (a faint ghost of a
/// layer may still be drawn, but clicks go through it to what is clearly visible).
inline constexpr float kPickableOpacity = 0.05f;

} // namespace fascia
