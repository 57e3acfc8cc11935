#pragma once
// Classifying rendered pixels by their dominant hue: the render tests colour each test layer
// so that a pixel's hue says which layer it shows.

#include <array>
#include <cstddef>
#include <cstdlib>

#include <glm/vec4.hpp>
#include <glm/gtc/type_precision.hpp>
#include <glm/vec3.hpp>

#include "fascia/model.h"

namespace fascia::test {

enum class Hue { Red, Green, Blue, Yellow, Magenta, Other };

/// The hue a pixel clearly has (one or two channels 50 above the rest), else Other.
inline Hue hueOf(glm::u8vec4 p) {
  const int r = p.r;
  const int g = p.g;
  const int b = p.b;
  constexpr int kMargin = 50;
  if (r > g + kMargin && r > b + kMargin) return Hue::Red;
  if (g > r + kMargin && g > b + kMargin) return Hue::Green;
  if (b > r + kMargin && b > g + kMargin) return Hue::Blue;
  if (r > b + kMargin && g > b + kMargin && std::abs(r - g) < kMargin) return Hue::Yellow;
  if (r > g + kMargin && b > g + kMargin && std::abs(r - b) < kMargin) return Hue::Magenta;
  return Hue::Other;
}

/// Colours the first five structures (the nested shells of makeNestedShells, outermost first)
/// so that hueOf() says which layer a pixel shows: skin red, superficial fascia green, deep
/// fascia blue, muscle yellow, bone magenta.
inline void paintLayersByHue(fascia::Model& shells) {
  const std::array<glm::vec3, 5> colours = {
      glm::vec3(0.85f, 0.05f, 0.05f), glm::vec3(0.05f, 0.80f, 0.05f),
      glm::vec3(0.05f, 0.05f, 0.85f), glm::vec3(0.85f, 0.85f, 0.05f),
      glm::vec3(0.85f, 0.05f, 0.85f)};
  for (std::size_t i = 0; i < shells.structures.size() && i < colours.size(); ++i) {
    shells.structures[i].info.colour = colours[i];
  }
}

} // namespace fascia::test
