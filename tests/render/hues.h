#pragma once
// Classifying rendered pixels by their dominant hue: the render tests colour each test layer
// so that a pixel's hue says which layer it shows.

#include <cstdlib>

#include <glm/vec4.hpp>
#include <glm/gtc/type_precision.hpp>

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

} // namespace fascia::test
