#pragma once
/// \file sdf.h
/// Signed-distance primitives and operators used to model the anatomy. Negative inside,
/// positive outside, metres. Every primitive is an exact distance or a close lower bound, so
/// the polygoniser's narrow-band test (|d| > block radius means no surface in the block) holds.

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <span>
#include <vector>

#include <glm/geometric.hpp>
#include <glm/vec2.hpp>
#include <glm/vec3.hpp>

namespace fascia::anatomy {

/// A signed-distance function of a point in model space.
using Sdf = std::function<float(const glm::vec3&)>;

/// An axis-aligned box.
struct Aabb {
  glm::vec3 lo{std::numeric_limits<float>::max()};
  glm::vec3 hi{std::numeric_limits<float>::lowest()};

  /// Grows the box to contain p.
  void extend(const glm::vec3& p) {
    lo = glm::min(lo, p);
    hi = glm::max(hi, p);
  }
  /// Grows the box to contain another box.
  void extend(const Aabb& o) {
    lo = glm::min(lo, o.lo);
    hi = glm::max(hi, o.hi);
  }
  /// The box grown by r on every side.
  Aabb padded(float r) const { return {lo - glm::vec3(r), hi + glm::vec3(r)}; }
  /// Euclidean distance from p to the box (0 inside).
  float distance(const glm::vec3& p) const { return std::sqrt(distance2(p)); }
  /// Its square.
  float distance2(const glm::vec3& p) const {
    const glm::vec3 d = glm::max(glm::max(lo - p, p - hi), glm::vec3(0.0f));
    return glm::dot(d, d);
  }
  /// The overlap of two boxes.
  Aabb intersect(const Aabb& o) const { return {glm::max(lo, o.lo), glm::min(hi, o.hi)}; }
};

/// Polynomial smooth minimum with blend width k (exactly min when |a - b| >= k).
inline float smin(float a, float b, float k) {
  if (k <= 0.0f) return std::min(a, b);
  const float h = std::max(k - std::abs(a - b), 0.0f) / k;
  return std::min(a, b) - h * h * k * 0.25f;
}

/// The value from which on x leaves smin(d, x, k) exactly d: d + k, with a margin far above the
/// rounding where |d| < 8 (no distance here comes near that); infinity otherwise.
inline float sminKeepsFrom(float d, float k) {
  return std::abs(d) < 8.0f ? d + std::max(k, 0.0f) + 1.0e-5f
                            : std::numeric_limits<float>::infinity();
}

/// Polynomial smooth maximum with blend width k.
inline float smax(float a, float b, float k) { return -smin(-a, -b, k); }

/// Hermite smoothstep.
inline float smoothstep(float e0, float e1, float x) {
  const float t = std::clamp((x - e0) / (e1 - e0), 0.0f, 1.0f);
  return t * t * (3.0f - 2.0f * t);
}

inline float mix(float a, float b, float t) { return a + (b - a) * t; }

/// Distance to a sphere.
inline float sdSphere(const glm::vec3& p, const glm::vec3& c, float r) {
  return glm::length(p - c) - r;
}

/// Parameter of the point of segment ab nearest p, in 0..1.
inline float segmentParam(const glm::vec3& p, const glm::vec3& a, const glm::vec3& b) {
  const glm::vec3 ba = b - a;
  const float l2 = glm::dot(ba, ba);
  if (l2 <= 0.0f) return 0.0f;
  return std::clamp(glm::dot(p - a, ba) / l2, 0.0f, 1.0f);
}

/// Capsule between a and b with radius ra at a and rb at b (linear taper; a close lower bound
/// of the distance while |ra - rb| is small against the length).
inline float sdCapsule(const glm::vec3& p, const glm::vec3& a, const glm::vec3& b, float ra,
                       float rb) {
  const float t = segmentParam(p, a, b);
  return glm::length(p - (a + (b - a) * t)) - mix(ra, rb, t);
}

/// Ellipsoid with centre c and semi-axes r (iq's bound; accurate near the surface).
inline float sdEllipsoid(const glm::vec3& p, const glm::vec3& c, const glm::vec3& r) {
  const glm::vec3 q = p - c;
  const float k0 = glm::length(q / r);
  const float k1 = glm::length(q / (r * r));
  if (k1 <= 0.0f) return -std::min(r.x, std::min(r.y, r.z));
  return k0 * (k0 - 1.0f) / k1;
}

/// Box with centre c, half extents h and edge rounding radius rad.
inline float sdRoundBox(const glm::vec3& p, const glm::vec3& c, const glm::vec3& h, float rad) {
  const glm::vec3 q = glm::abs(p - c) - h + glm::vec3(rad);
  return glm::length(glm::max(q, glm::vec3(0.0f))) + std::min(std::max(q.x, std::max(q.y, q.z)), 0.0f) -
         rad;
}

/// Unsigned distance to triangle abc (iq).
float udTriangle(const glm::vec3& p, const glm::vec3& a, const glm::vec3& b, const glm::vec3& c);

/// Squared distance from p to the polygon edge from v[i] to v[j] (sdPolygon2, Polygon2).
inline float polygonEdgeDistance2(const glm::vec2& p, const glm::vec2& vi, const glm::vec2& vj) {
  const glm::vec2 e = vj - vi;
  const glm::vec2 w = p - vi;
  const glm::vec2 b = w - e * std::clamp(glm::dot(w, e) / glm::dot(e, e), 0.0f, 1.0f);
  return glm::dot(b, b);
}

/// Distance from p to the polyline through `line` (at least two points), signed by the side of
/// its nearest segment (the first, on a tie): positive where p lies to the right of that
/// segment's direction (in a frame where x runs right and y up), negative elsewhere.
inline float signedPolylineDistance(const glm::vec2& p, std::span<const glm::vec2> line) {
  float nearest2 = std::numeric_limits<float>::max(), side = 1.0f;
  for (std::size_t i = 0; i + 1 < line.size(); ++i) {
    const float d2 = polygonEdgeDistance2(p, line[i], line[i + 1]);
    if (d2 >= nearest2) continue;
    nearest2 = d2;
    const glm::vec2 a = line[i + 1] - line[i], b = p - line[i];
    side = a.x * b.y - a.y * b.x < 0.0f ? 1.0f : -1.0f;
  }
  return side * std::sqrt(nearest2);
}

/// Whether a ray from p towards +x crosses the polygon edge from v[i] to v[j] (sdPolygon2,
/// Polygon2); only an edge whose y range holds p.y can.
inline bool polygonEdgeCrossed(const glm::vec2& p, const glm::vec2& vi, const glm::vec2& vj) {
  const glm::vec2 e = vj - vi;
  const glm::vec2 w = p - vi;
  const bool c1 = p.y >= vi.y, c2 = p.y<vj.y, c3 = e.x * w.y> e.y * w.x;
  return (c1 && c2 && c3) || (!c1 && !c2 && !c3);
}

/// Signed distance to a simple 2D polygon (negative inside), looking at every edge: the
/// reference that Polygon2 (culled.h), which the builder uses, is tested against.
float sdPolygon2(const glm::vec2& p, const std::vector<glm::vec2>& v);

/// A polyline swept by a sphere of varying radius (a tube); radius per node.
struct Tube {
  std::vector<glm::vec3> points;
  std::vector<float> radii;
  /// Signed distance (union of tapered capsules, optionally blended by k).
  float operator()(const glm::vec3& p, float k = 0.0f) const;
  /// Bounding box including the radii.
  Aabb bounds() const;
};

/// A shape: a distance function with a box outside which it is known to be positive.
/// Evaluation clamps the value to at least the distance to the box, which keeps culling exact.
struct Shape {
  Sdf f;
  Aabb box;
  /// Optional, for fields that are cheaper where they need not be exact (culled.h): f(p) where
  /// that is below `limit`, else any value >= limit. A union asks it for the value from which
  /// on the shape cannot change the union.
  std::function<float(const glm::vec3&, float)> below;
  float operator()(const glm::vec3& p) const {
    const float bd = box.distance(p);
    return bd > 0.0f ? std::max(f(p), bd) : f(p);
  }
};

/// A footprint term that keeps a sheet `gap` (under 1 cm) clear of a shape: < 0 where p lies
/// more than `gap` outside it. Sheets read a footprint's sign and its values near zero only, so
/// beyond 1 cm of the shape's box it is -1 and the shape is not evaluated.
inline float clearOf(const Shape& shape, float gap, const glm::vec3& p) {
  return shape.box.distance(p) > 0.01f ? -1.0f : gap - shape(p);
}

/// Smooth union of shapes with culling by box: a shape whose box is farther than the current
/// minimum plus the blend width cannot change the result, so it is skipped. Deterministic: the
/// shapes are combined in the order they were added.
class ShapeUnion {
public:
  explicit ShapeUnion(float blend = 0.0f) : blend_(blend) {}
  /// Values below `depth` are returned as soon as they are reached: callers that only need the
  /// field near the surface get deep interior points cheaply (the sign stays right).
  void setInteriorCutoff(float depth) { cutoff_ = depth; }
  void add(Shape s) {
    box_.extend(s.box);
    shapes_.push_back(std::move(s));
  }
  float operator()(const glm::vec3& p) const { return first(shapes_.size(), p); }
  /// The union of the first `count` shapes only.
  float first(std::size_t count, const glm::vec3& p) const;
  const Aabb& box() const { return box_; }
  bool empty() const { return shapes_.empty(); }
  const std::vector<Shape>& shapes() const { return shapes_; }

private:
  float blend_;
  float cutoff_ = -1.0e3f;
  std::vector<Shape> shapes_;
  Aabb box_;
};

/// How a GridField may spare itself the exact value far from the surface, where it is costly
/// and nobody needs it: the field is first sampled on a lattice of every `stride`-th sample;
/// a sample whose lattice cell has all eight corners at `beyond` or more is interpolated
/// (trilinearly) from them. For a field that grows no faster than the distance (every field
/// here is a distance or a lower bound of it near the surface), such a sample lies at least
/// `beyond` less the cell's diagonal out, so the zero set is untouched, every sample nearer
/// than that is exact, and so is a read whose 4x4x4 stencil is (two more steps in). The
/// constructor throws unless `beyond` exceeds the cell's diagonal.
struct FarSampling {
  int stride = 1; ///< lattice spacing in samples; 1: every sample exact
  float beyond = std::numeric_limits<float>::infinity(); ///< least corner value to interpolate
};

/// A field sampled on a regular grid and read back with tricubic (Catmull-Rom) interpolation,
/// which keeps the gradient continuous. Outside the grid it returns a large positive value.
class GridField {
public:
  /// Samples f on box with spacing h, using up to `threads` threads (output independent of it).
  GridField(const Sdf& f, const Aabb& box, float h, unsigned threads, FarSampling farSampling = {});
  /// Every `factor`-th sample of `fine` along each axis, from its low corner: the same field on
  /// a coarser grid (its box ends at the last sample kept), for smoothing on scales that do not
  /// need the fine spacing. Throws std::invalid_argument if factor < 1.
  GridField(const GridField& fine, int factor);
  /// Marks every positive region not connected to the grid's faces as inside (cavities such as
  /// the spinal canal would otherwise grow inner surfaces in every layer built on the field).
  void fillCavities();
  /// Smooths the samples in place with a separable binomial filter [1 4 6 4 1] / 16 along each
  /// axis, `passes` times: a Gaussian-like blur of spread h * sqrt(passes). Up to `threads`
  /// threads share the work; the result does not depend on their number.
  void blur(int passes, unsigned threads = 1);
  /// Fills the hollows of the inside (field <= 0) that a ball of `radius` cannot reach into
  /// from outside: a morphological closing, the inside grown by radius and shrunk back. At the
  /// foot of a step the surface then runs on in a fillet of that radius instead of dropping
  /// into the corner, as a sheet pulled over the step would; where the surface is convex or
  /// flat it stays where it was. Samples farther out than `radius` keep their values; those
  /// within it take `radius` less their distance from the grown surface (through the nearest
  /// of those samples, by a Euclidean distance transform over the grid: within a small part of
  /// a sample where the nearest one lies along the surface's normal, a little farther where
  /// it does not; blur after). A sample moves weight(p) of the way (clamped to 0..1; an empty
  /// weight is 1 everywhere), so the fillet can be kept to one region. Throws std::invalid_argument
  /// unless radius > 0.
  void close(float radius, const std::function<float(const glm::vec3&)>& weight = {},
             unsigned threads = 1);
  /// Lowers the field (a smoothed copy of `under`, on the same grid) until no sample lies above
  /// `under` where that is within `band` of its surface (band or less), nor above -band
  /// deeper in, so the field's inside holds `under`'s at every sample. The lift a sample
  /// needs spreads as a round cap that falls by `fall` (per metre) times the squared distance,
  /// the highest cap is taken at each sample and blurred `passes` times, so it is smooth and
  /// the same in every direction; each need is first raised by what such a lift leaves of it
  /// uncovered (the blur's toll on a narrow cap's top), and this is done twice; what is still
  /// missing then (a part of the sharpest peak) is taken off everywhere and returned (metres).
  /// Throws std::invalid_argument if the grids differ, the band or passes is negative or the
  /// fall is not positive.
  float cover(const GridField& under, float band, float fall, int passes, unsigned threads = 1);
  /// How far the field rises, at most, above what cover() asks of it, read at the samples of
  /// `under` (any grid, for instance a finer one than this field's): 0 where it never does.
  float highestAbove(const GridField& under, float band, unsigned threads = 1) const;
  float operator()(const glm::vec3& p) const;
  const Aabb& box() const { return box_; }
  float step() const { return h_; }

private:
  std::size_t index(int i, int j, int k) const {
    return (static_cast<std::size_t>(k) * static_cast<std::size_t>(ny_) +
            static_cast<std::size_t>(j)) *
               static_cast<std::size_t>(nx_) +
           static_cast<std::size_t>(i);
  }
  /// Where sample (i, j, k) lies.
  glm::vec3 position(int i, int j, int k) const {
    return box_.lo +
           glm::vec3(static_cast<float>(i), static_cast<float>(j), static_cast<float>(k)) * h_;
  }
  float at(int i, int j, int k) const {
    return v_[index(std::clamp(i, 0, nx_ - 1), std::clamp(j, 0, ny_ - 1),
                    std::clamp(k, 0, nz_ - 1))];
  }
  Aabb box_;
  float h_;
  int nx_, ny_, nz_;
  std::vector<float> v_;
};

/// Central-difference gradient of f at p (step e).
glm::vec3 gradient(const Sdf& f, const glm::vec3& p, float e = 2.5e-4f);

} // namespace fascia::anatomy
