#pragma once
/// \file culled.h
/// Distance fields made of many small parts (capsules, triangles) that only evaluate the parts
/// near the point asked about. Muscles are unions of a few dozen tubes of a few dozen capsules,
/// fillers are slabs around a hundred triangles, and the builder asks for their distance at
/// millions of grid points, while at any one point only a few parts matter: evaluating every
/// part took most of the builder's time. Each part has a ball around it, each run of parts a
/// ball around theirs, and a part is skipped only where its ball proves that it cannot change
/// the value, so every field here gives the same value, to the last bit, as the plain loop over
/// all parts it replaces (a test compares them).

#include <algorithm>
#include <array>
#include <cstddef>
#include <memory>
#include <vector>

#include <glm/vec2.hpp>
#include <glm/vec3.hpp>

#include "sdf.h"

namespace fascia::anatomy {

/// A ball around a part, grown so that |p - centre| - radius is, after rounding, still at most
/// the part's value at p.
struct BoundingBall {
  glm::vec3 centre{0.0f};
  float radius = 0.0f;
  /// True where the part's value at p is at least `limit`.
  bool cannotReach(const glm::vec3& p, float limit) const;
};

/// The balls of a sequence of parts, and one ball around each run of up to eight consecutive
/// parts and one around all: the two levels every field here tests before evaluating parts.
struct BallRuns {
  explicit BallRuns(std::vector<BoundingBall> parts);
  std::vector<BoundingBall> parts;
  std::vector<BoundingBall> runs; ///< Run r holds parts begin(r) to end(r) - 1.
  BoundingBall all;
  static constexpr std::size_t kRun = 8;
  std::size_t begin(std::size_t run) const { return run * kRun; }
  std::size_t end(std::size_t run) const { return std::min(parts.size(), (run + 1) * kRun); }
};

/// Tubes, each the plain union (k = 0) of its capsules, joined in order by a smooth union of
/// width `blend`: the value of `d = start; for each tube: d = smin(d, tube(p, 0), blend)`.
class TubeBlend {
public:
  TubeBlend(std::vector<Tube> tubes, float blend);
  /// The tubes blended, one after the other, into `start` (1e3: the tubes alone).
  float operator()(const glm::vec3& p, float start = 1.0e3f) const;
  /// The tubes alone (start 1e3) where they are below `limit` at p, else a value >= limit.
  float below(const glm::vec3& p, float limit) const;

private:
  std::vector<Tube> tubes_;
  float blend_;
  std::vector<BallRuns> balls_; ///< One per tube, over its capsules.
  BallRuns tubeBalls_;          ///< Over the tubes (each tube's `all`), in runs of eight tubes.
};

/// A tube whose capsules are joined one after the other by a smooth union of width `blend`, its
/// cross-section optionally stretched sideways into a stadium: at the i-th knot the circle of
/// radius r grows by lateral[i] towards +x and medial[i] towards -x, and by backward[i] towards
/// -z, the back (the Minkowski sum of each capsule with a rectangle in the x-z plane; meant for
/// tubes that run up and down, so the nearest point of a segment barely depends on x and z).
/// Unwidened it is Tube::operator()(p, blend).
class BlendedTube {
public:
  /// lateral and medial are empty (no widening) or hold one width >= 0 per knot, and backward
  /// is empty or, with them, holds one such width per knot; throws std::invalid_argument
  /// otherwise.
  BlendedTube(Tube tube, float blend, std::vector<float> lateral = {},
              std::vector<float> medial = {}, std::vector<float> backward = {});
  float operator()(const glm::vec3& p) const;
  /// The value where it is below `limit` at p, else a value >= limit.
  float below(const glm::vec3& p, float limit) const;

private:
  float capsule(const glm::vec3& p, std::size_t i) const;
  Tube tube_;
  float blend_;
  std::vector<float> lateral_, medial_, backward_;
  BallRuns balls_;
};

/// Unsigned distance to a set of triangles (the minimum of udTriangle over them).
class TriangleSet {
public:
  using Triangle = std::array<glm::vec3, 3>;
  /// Throws std::invalid_argument without triangles.
  explicit TriangleSet(std::vector<Triangle> triangles);
  float operator()(const glm::vec3& p) const;
  /// The distance where it is below `limit` at p, else a value >= limit.
  float below(const glm::vec3& p, float limit) const;

private:
  std::vector<Triangle> triangles_;
  BallRuns balls_;
};

/// Signed distance to a simple 2D polygon (negative inside): sdPolygon2, with the edges sorted
/// into horizontal bands so that only those of the bands near p are looked at (outlines of 60
/// and more vertices are tested several times per point of every sheet built on them).
class Polygon2 {
public:
  /// Throws std::invalid_argument without vertices.
  explicit Polygon2(std::vector<glm::vec2> vertices);
  float operator()(const glm::vec2& p) const;

private:
  std::vector<glm::vec2> v_;
  float y0_ = 0.0f, bandHeight_ = 1.0f;
  /// Edge i runs from vertex i to the one before it (i - 1, or the last for 0), as in
  /// sdPolygon2; band b lists the edges whose y range meets it.
  std::vector<std::vector<std::size_t>> bands_;
  std::vector<glm::vec2> edgeLo_, edgeHi_; ///< Each edge's box, grown by the rounding slack.
  std::size_t bandOf(float y) const;
  std::size_t previous(std::size_t i) const { return i == 0 ? v_.size() - 1 : i - 1; }
};

/// The Shape of a field of this file: its value, its box and its value below a limit.
template <class Field> Shape culledShape(Field field, const Aabb& box) {
  const auto shared = std::make_shared<const Field>(std::move(field));
  Shape s;
  s.box = box;
  s.f = [shared](const glm::vec3& p) { return (*shared)(p); };
  s.below = [shared](const glm::vec3& p, float limit) { return shared->below(p, limit); };
  return s;
}

} // namespace fascia::anatomy
