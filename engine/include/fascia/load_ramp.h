#pragma once
/// \file load_ramp.h
/// The colour ramp of the load overlay (pressure in kPa, or fascia sliding), shared by the
/// legend drawn by the app and shaders/mesh.frag (which repeats the same stops).

#include <algorithm>
#include <array>

#include <glm/common.hpp>
#include <glm/vec3.hpp>

namespace fascia {

/// Linear RGB of an overlay value 0..1 (clamped): blue, cyan, green, yellow, red at 0, 1/4,
/// 1/2, 3/4 and 1.
inline glm::vec3 loadRampColour(float value) {
  static constexpr std::array<glm::vec3, 5> kStops = {
      glm::vec3(0.02f, 0.10f, 0.75f), glm::vec3(0.00f, 0.55f, 0.85f),
      glm::vec3(0.10f, 0.70f, 0.15f), glm::vec3(1.00f, 0.78f, 0.00f),
      glm::vec3(0.85f, 0.05f, 0.02f)};
  const float x = std::clamp(value, 0.0f, 1.0f) * 4.0f;
  const int i = std::min(static_cast<int>(x), 3);
  const auto index = static_cast<std::size_t>(i);
  return glm::mix(kStops[index], kStops[index + 1], x - static_cast<float>(i));
}

} // namespace fascia
