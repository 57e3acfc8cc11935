// Tests of the anatomical building blocks (tools/anatomy/shapes.h).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <vector>

#include <glm/geometric.hpp>
#include <gtest/gtest.h>

#include "shapes.h"

namespace fascia::anatomy {
namespace {

/// Where a ray from behind (z = -0.2 towards +z) at (x, y) first meets the shape: the first
/// sign change of its field, sampled every 0.5 mm, then bisected.
double depthAt(const Shape& s, float x, float y) {
  float lo = -0.2f;
  float prev = s(glm::vec3(x, y, lo));
  for (float z = lo + 0.0005f; z < 0.1f; z += 0.0005f) {
    const float v = s(glm::vec3(x, y, z));
    if (prev >= 0.0f && v < 0.0f) {
      float hi = z;
      for (int i = 0; i < 40; ++i) {
        const float mid = 0.5f * (lo + hi);
        (s(glm::vec3(x, y, mid)) >= 0.0f ? lo : hi) = mid;
      }
      return 0.5 * (lo + hi);
    }
    prev = v;
    lo = z;
  }
  return std::nan("");
}

/// The coefficients of the least-squares polynomial of degree 4 through (t, z).
std::array<double, 5> quarticFit(const std::vector<double>& t, const std::vector<double>& z) {
  constexpr int n = 5;
  std::array<std::array<double, n + 1>, n> a{};
  for (std::size_t k = 0; k < t.size(); ++k) {
    std::array<double, n> pw{};
    for (int i = 0; i < n; ++i)
      pw[static_cast<std::size_t>(i)] = std::pow(t[k], i);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j)
        a[i][j] += pw[i] * pw[j];
      a[i][n] += pw[i] * z[k];
    }
  }
  for (std::size_t c = 0; c < n; ++c) // Gaussian elimination; the matrix is positive definite
    for (std::size_t r = c + 1; r < n; ++r) {
      const double f = a[r][c] / a[c][c];
      for (std::size_t j = c; j <= n; ++j)
        a[r][j] -= f * a[c][j];
    }
  std::array<double, n> x{};
  for (std::size_t r = n; r-- > 0;) {
    double sum = a[r][n];
    for (std::size_t j = r + 1; j < n; ++j)
      sum -= a[r][j] * x[j];
    x[r] = sum / a[r][r];
  }
  return x;
}

TEST(Shapes, BowedFanIsSmoothAlongItsFibres) {
  // A fan as bowed as gluteus maximus (4.2 cm over 15 cm fibres): its fibres were polylines of 6
  // segments, turning by up to 21 degrees at a knot, so the muscle was a run of flat facets,
  // shaded as bands across the buttock. Along a fibre, seen from behind, the surface's slope over 9
  // mm stays within 0.06 (3.4 degrees) of a smooth curve through it (a quartic fitted over the
  // middle 80 % of the fibre); with 6 segments it strayed by 0.15.
  Fan fan;
  fan.origin = Curve({{0.0f, 0.0f, 0.0f}, {0.10f, 0.0f, 0.0f}});
  fan.insertion = Curve({{0.0f, -0.15f, 0.0f}, {0.10f, -0.15f, 0.0f}});
  fan.bulge = glm::vec3(0.0f, 0.0f, -0.042f);
  const Shape s = fan.volume(14, 0.006f, 0.019f, 0.016f);
  std::vector<double> t, z;
  for (int i = 0; i <= 120; ++i) {
    const float y = -0.135f + 0.001f * static_cast<float>(i);
    const double d = depthAt(s, 0.05f, y);
    ASSERT_FALSE(std::isnan(d)) << "no surface behind y " << y;
    t.push_back((static_cast<double>(y) + 0.075) / 0.06); // -1..1
    z.push_back(d);
  }
  const auto c = quarticFit(t, z);
  // Slopes over 9 mm, the scale at which the bands showed (a few pixels on a full screen); the
  // knots of a well-bowed polyline, 9 mm apart, average out over it, 25 mm apart they do not.
  constexpr std::size_t kBase = 9;
  double worst = 0.0;
  for (std::size_t k = 0; k + kBase < t.size(); ++k) {
    const double slope = (z[k + kBase] - z[k]) / (0.001 * kBase);
    const double tm = 0.5 * (t[k] + t[k + kBase]);
    const double fitted =
        (c[1] + 2.0 * c[2] * tm + 3.0 * c[3] * tm * tm + 4.0 * c[4] * tm * tm * tm) / 0.06;
    worst = std::max(worst, std::abs(slope - fitted));
  }
  EXPECT_LT(worst, 0.06);
}

} // namespace
} // namespace fascia::anatomy
