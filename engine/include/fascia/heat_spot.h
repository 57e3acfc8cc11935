#pragma once
/// \file heat_spot.h
/// Soft round spots of colour painted on the skin: a referred-pain zone is a set of them.

#include <cstddef>

#include <glm/vec3.hpp>

namespace fascia {

/// A soft ball of heat: `strength` at the centre, fading smoothly to nothing at `radius`,
/// as strength * (1 - (d / radius)^2)^2. Where spots overlap the strongest wins.
struct HeatSpot {
  glm::vec3 centre{0.0f}; ///< world metres
  float radius = 0.0f;    ///< metres
  float strength = 1.0f;  ///< 0..1 (a referral zone uses 1 for essential, 0.5 for spillover)
};

/// The most spots the renderer evaluates at once (fragment uniforms are limited).
inline constexpr std::size_t kMaxHeatSpots = 128;

} // namespace fascia
