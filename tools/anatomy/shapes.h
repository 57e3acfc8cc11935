#pragma once
/// \file shapes.h
/// Anatomical building blocks on top of sdf.h: curves, muscle fans (fibres running from an
/// origin line to an insertion line), lofted cross-sections, and mirroring to the right side.

#include <vector>

#include <glm/vec2.hpp>
#include <glm/vec3.hpp>

#include "sdf.h"

namespace fascia::anatomy {

/// A polyline parametrised by normalised arc length u in 0..1.
class Curve {
public:
  Curve() = default;
  explicit Curve(std::vector<glm::vec3> points);
  glm::vec3 at(float u) const;
  const std::vector<glm::vec3>& points() const { return points_; }

private:
  std::vector<glm::vec3> points_;
  std::vector<float> cumulative_;
};

/// Catmull-Rom spline through points, sampled with `perSegment` steps per span.
std::vector<glm::vec3> catmullRom(const std::vector<glm::vec3>& points, int perSegment);

/// A tube resampled along a Catmull-Rom spline through its points (radii too), `perSegment`
/// steps per span, so a tube swept through a few control points has no kinks or bulges at them.
Tube smoothTube(const Tube& t, int perSegment);

/// A muscle whose fibres run from origin(u) to insertion(u), bowed by `bulge` at their middle.
struct Fan {
  Curve origin;
  Curve insertion;
  glm::vec3 bulge{0.0f};

  /// Point on fibre u at fraction v from origin to insertion (quadratic Bezier).
  glm::vec3 fibrePoint(float u, float v) const;
  /// Unit fibre direction (origin to insertion) of the fibre passing nearest p.
  glm::vec3 fibreDirection(const glm::vec3& p) const;
  /// Volume: a smooth union of `fibres` tubes, radius rEnd at the attachments rising to rMid at
  /// the belly, thinner toward the fan's two edges.
  Shape volume(int fibres, float rEnd, float rMid, float blend) const;
  /// The outline of the fan seen from behind (x, y), for sheets.
  std::vector<glm::vec2> outlineXY(int samples) const;
};

/// A lofted elliptic cylinder: cross-sections (ellipses in x-z) at increasing heights, linearly
/// interpolated, closed with rounded caps at the first and last height.
struct Loft {
  struct Section {
    float y;
    float halfWidth; ///< x semi-axis
    float centreZ;
    float halfDepth; ///< z semi-axis
  };
  std::vector<Section> sections;
  float centreX = 0.0f;
  Shape shape() const;
};

/// p reflected in the midsagittal plane (x -> -x).
inline glm::vec3 mirrorX(const glm::vec3& p) { return {-p.x, p.y, p.z}; }
/// The box mirrored like its contents.
inline Aabb mirrorX(const Aabb& b) {
  return {glm::vec3(-b.hi.x, b.lo.y, b.lo.z), glm::vec3(-b.lo.x, b.hi.y, b.hi.z)};
}

/// The right-side twin of a left-side shape.
Shape mirrored(const Shape& s);

/// Ellipse distance (iq's bound) of a 2D point to an axis-aligned ellipse at the origin.
float sdEllipse2(const glm::vec2& p, const glm::vec2& r);

} // namespace fascia::anatomy
