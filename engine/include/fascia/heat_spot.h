#pragma once
/// \file heat_spot.h
/// Soft round spots of colour painted on the skin: a referred-pain zone is a set of them.

#include <cstddef>

#include <glm/vec3.hpp>

namespace fascia {

/// A soft ball of heat: `strength` over its inner part, fading smoothly to nothing at `radius`
/// (heatSpotFalloff). Where spots overlap the strongest wins, so a row of spots spaced about a
/// radius apart reads as one continuous band.
/// The share of a spot's radius where it is at full strength.
inline constexpr float kHeatSpotCore = 0.4f;

struct HeatSpot {
  glm::vec3 centre{0.0f}; ///< world metres
  float radius = 0.0f;    ///< metres
  float strength = 1.0f;  ///< 0..1 (a referral zone uses 1 for essential, 0.5 for spillover)
};

/// The falloff of a spot at `x` = distance / radius: 1 up to x = 0.4, then a smoothstep down
/// to 0 at x = 1 (no visible rim: value and slope are continuous). shaders/mesh.frag computes
/// the same on the GPU.
inline float heatSpotFalloff(float x) {
  if (!(x < 1.0f)) return 0.0f;
  if (x <= kHeatSpotCore) return 1.0f;
  const float t = (x - kHeatSpotCore) / (1.0f - kHeatSpotCore);
  return 1.0f - t * t * (3.0f - 2.0f * t);
}

/// The most spots the renderer evaluates at once (fragment uniforms are limited).
inline constexpr std::size_t kMaxHeatSpots = 128;

} // namespace fascia
