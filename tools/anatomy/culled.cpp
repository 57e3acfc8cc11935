#include "culled.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <glm/geometric.hpp>

namespace fascia::anatomy {

namespace {

/// Extra radius on every ball: far more than the rounding of |p - centre| - radius (about
/// 1e-7 m at body scale), so a part is never skipped on a bound that rounding made too high.
constexpr float kBallSlack = 1.0e-5f;

/// A ball around the given balls (centred on the box of their centres), grown by the slack.
BoundingBall enclose(const BoundingBall* balls, std::size_t n) {
  Aabb box;
  for (std::size_t i = 0; i < n; ++i)
    box.extend(balls[i].centre);
  BoundingBall out{0.5f * (box.lo + box.hi), 0.0f};
  for (std::size_t i = 0; i < n; ++i)
    out.radius = std::max(out.radius, glm::length(balls[i].centre - out.centre) + balls[i].radius);
  out.radius += kBallSlack;
  return out;
}

/// The ball around capsule i of t, widened by `widen` (the stadium's half width).
BoundingBall capsuleBall(const Tube& t, std::size_t i, float widen) {
  const glm::vec3 a = t.points[i], b = t.points[i + 1];
  return {0.5f * (a + b),
          0.5f * glm::length(b - a) + std::max(t.radii[i], t.radii[i + 1]) + widen + kBallSlack};
}

/// min(limit, the smallest value(i) over the parts of `balls`) where that is below limit, else
/// a value >= limit. The minimum does not depend on the order, so the run nearest p goes first:
/// it usually holds the minimum, and the other runs are then skipped on their balls alone.
template <class Value>
float minimumBelow(const BallRuns& balls, const glm::vec3& p, float limit, const Value& value) {
  const std::size_t runCount = balls.runs.size();
  std::size_t nearest = 0;
  if (runCount > 1) {
    float nearestBound = std::numeric_limits<float>::max();
    for (std::size_t r = 0; r < runCount; ++r) {
      const float bound = glm::length(p - balls.runs[r].centre) - balls.runs[r].radius;
      if (bound < nearestBound) {
        nearestBound = bound;
        nearest = r;
      }
    }
  }
  float best = limit;
  const auto visit = [&](std::size_t r) {
    if (balls.runs[r].cannotReach(p, best)) return;
    for (std::size_t i = balls.begin(r); i < balls.end(r); ++i)
      if (!balls.parts[i].cannotReach(p, best)) best = std::min(best, value(i));
  };
  if (runCount > 0) visit(nearest);
  for (std::size_t r = 0; r < runCount; ++r)
    if (r != nearest) visit(r);
  return best;
}

} // namespace

bool BoundingBall::cannotReach(const glm::vec3& p, float limit) const {
  const float r = limit + radius;
  if (r < 0.0f) return true;
  const glm::vec3 d = p - centre;
  return glm::dot(d, d) >= r * r;
}

BallRuns::BallRuns(std::vector<BoundingBall> balls) : parts(std::move(balls)) {
  for (std::size_t first = 0; first < parts.size(); first += kRun)
    runs.push_back(enclose(&parts[first], std::min(kRun, parts.size() - first)));
  if (!runs.empty())
    all = enclose(runs.data(), runs.size());
  else
    all.radius = -std::numeric_limits<float>::infinity(); // no parts: no value below any limit
}

// ---------------------------------------------------------------------------------------------
// TubeBlend
// ---------------------------------------------------------------------------------------------

namespace {
std::vector<BallRuns> tubeCapsuleBalls(const std::vector<Tube>& tubes) {
  std::vector<BallRuns> out;
  for (const Tube& t : tubes) {
    std::vector<BoundingBall> capsules;
    for (std::size_t i = 0; i + 1 < t.points.size(); ++i)
      capsules.push_back(capsuleBall(t, i, 0.0f));
    out.emplace_back(std::move(capsules));
  }
  return out;
}
std::vector<BoundingBall> eachAll(const std::vector<BallRuns>& runs) {
  std::vector<BoundingBall> out;
  for (const BallRuns& r : runs)
    out.push_back(r.all);
  return out;
}
} // namespace

TubeBlend::TubeBlend(std::vector<Tube> tubes, float blend)
    : tubes_(std::move(tubes)), blend_(blend), balls_(tubeCapsuleBalls(tubes_)),
      tubeBalls_(eachAll(balls_)) {}

float TubeBlend::operator()(const glm::vec3& p, float start) const {
  float d = start;
  for (std::size_t r = 0; r < tubeBalls_.runs.size(); ++r) {
    // A run of tubes none of which reaches below `keeps` leaves d as it is.
    if (tubeBalls_.runs[r].cannotReach(p, sminKeepsFrom(d, blend_))) continue;
    for (std::size_t k = tubeBalls_.begin(r); k < tubeBalls_.end(r); ++k) {
      // A tube at or above `keeps` leaves d as it is, so only its value below that is needed.
      const float keeps = sminKeepsFrom(d, blend_);
      if (balls_[k].all.cannotReach(p, keeps)) continue;
      const Tube& t = tubes_[k];
      const float tube = minimumBelow(balls_[k], p, keeps, [&](std::size_t i) {
        return sdCapsule(p, t.points[i], t.points[i + 1], t.radii[i], t.radii[i + 1]);
      });
      d = smin(d, tube, blend_);
    }
  }
  return d;
}

float TubeBlend::below(const glm::vec3& p, float limit) const {
  // The bound below needs the start (1e3) at or above the limit.
  if (!(limit < 1.0e3f)) return (*this)(p);
  // A smooth union of width k of values that are all >= L is >= L - k (each step takes off at
  // most what brings it to L - k), so tubes all >= limit + k give a union >= limit. Nearer
  // than that the union must be computed in full: which tubes blend depends on the order.
  const float each = limit + std::max(blend_, 0.0f);
  bool far = true;
  for (std::size_t r = 0; r < tubeBalls_.runs.size() && far; ++r) {
    if (tubeBalls_.runs[r].cannotReach(p, each)) continue;
    for (std::size_t k = tubeBalls_.begin(r); k < tubeBalls_.end(r) && far; ++k)
      far = balls_[k].all.cannotReach(p, each);
  }
  return far ? limit : (*this)(p);
}

// ---------------------------------------------------------------------------------------------
// BlendedTube
// ---------------------------------------------------------------------------------------------

namespace {
std::vector<BoundingBall> blendedTubeBalls(const Tube& t, const std::vector<float>& lateral,
                                           const std::vector<float>& medial,
                                           const std::vector<float>& backward) {
  const bool none = lateral.empty() && medial.empty() && backward.empty();
  const bool each = lateral.size() == t.points.size() && medial.size() == t.points.size() &&
                    (backward.empty() || backward.size() == t.points.size());
  if (!none && !each)
    throw std::invalid_argument("BlendedTube: give no widths, or one lateral and one medial "
                                "width per knot and optionally one backward width per knot");
  for (const std::vector<float>* widths : {&lateral, &medial, &backward})
    if (std::any_of(widths->begin(), widths->end(), [](float w) { return !(w >= 0.0f); }))
      throw std::invalid_argument("BlendedTube: a width below zero");
  std::vector<BoundingBall> out;
  for (std::size_t i = 0; i + 1 < t.points.size(); ++i) {
    const float sideways =
        lateral.empty() ? 0.0f : std::max({lateral[i], lateral[i + 1], medial[i], medial[i + 1]});
    const float back = backward.empty() ? 0.0f : std::max(backward[i], backward[i + 1]);
    // The rectangle's far corner is within the sum of its two sides.
    out.push_back(capsuleBall(t, i, sideways + back));
  }
  return out;
}
} // namespace

BlendedTube::BlendedTube(Tube tube, float blend, std::vector<float> lateral,
                         std::vector<float> medial, std::vector<float> backward)
    : tube_(std::move(tube)), blend_(blend), lateral_(std::move(lateral)),
      medial_(std::move(medial)), backward_(std::move(backward)),
      balls_(blendedTubeBalls(tube_, lateral_, medial_, backward_)) {}

float BlendedTube::capsule(const glm::vec3& p, std::size_t i) const {
  const auto& c = tube_.points;
  const auto& r = tube_.radii;
  if (lateral_.empty()) return sdCapsule(p, c[i], c[i + 1], r[i], r[i + 1]);
  const float t = segmentParam(p, c[i], c[i + 1]);
  glm::vec3 q = p - (c[i] + (c[i + 1] - c[i]) * t);
  q.x -= std::clamp(q.x, -mix(medial_[i], medial_[i + 1], t), mix(lateral_[i], lateral_[i + 1], t));
  if (!backward_.empty()) q.z -= std::clamp(q.z, -mix(backward_[i], backward_[i + 1], t), 0.0f);
  return glm::length(q) - mix(r[i], r[i + 1], t);
}

float BlendedTube::operator()(const glm::vec3& p) const {
  // In order: the smooth union is not associative, so only capsules that leave d exactly as it
  // is may be skipped, and a whole run only when its ball shows that for all of them.
  float d = std::numeric_limits<float>::max();
  for (std::size_t r = 0; r < balls_.runs.size(); ++r) {
    if (balls_.runs[r].cannotReach(p, sminKeepsFrom(d, blend_))) continue;
    for (std::size_t i = balls_.begin(r); i < balls_.end(r); ++i)
      if (!balls_.parts[i].cannotReach(p, sminKeepsFrom(d, blend_)))
        d = smin(d, capsule(p, i), blend_);
  }
  return d;
}

float BlendedTube::below(const glm::vec3& p, float limit) const {
  // As for TubeBlend: capsules all >= limit + k blend to at least limit.
  return balls_.all.cannotReach(p, limit + std::max(blend_, 0.0f)) ? limit : (*this)(p);
}

// ---------------------------------------------------------------------------------------------
// TriangleSet
// ---------------------------------------------------------------------------------------------

namespace {
std::vector<BoundingBall> triangleBalls(const std::vector<TriangleSet::Triangle>& triangles) {
  if (triangles.empty())
    throw std::invalid_argument("TriangleSet: a set needs at least one triangle");
  std::vector<BoundingBall> out;
  for (const auto& t : triangles) {
    const glm::vec3 c = (t[0] + t[1] + t[2]) / 3.0f;
    const float r = std::max({glm::length(t[0] - c), glm::length(t[1] - c), glm::length(t[2] - c)});
    out.push_back({c, r + kBallSlack});
  }
  return out;
}
} // namespace

TriangleSet::TriangleSet(std::vector<Triangle> triangles)
    : triangles_(std::move(triangles)), balls_(triangleBalls(triangles_)) {}

float TriangleSet::operator()(const glm::vec3& p) const {
  return below(p, std::numeric_limits<float>::infinity());
}

float TriangleSet::below(const glm::vec3& p, float limit) const {
  return minimumBelow(balls_, p, limit, [&](std::size_t i) {
    const Triangle& t = triangles_[i];
    return udTriangle(p, t[0], t[1], t[2]);
  });
}

// ---------------------------------------------------------------------------------------------
// Polygon2
// ---------------------------------------------------------------------------------------------

Polygon2::Polygon2(std::vector<glm::vec2> vertices) : v_(std::move(vertices)) {
  if (v_.empty()) throw std::invalid_argument("Polygon2: a polygon needs at least one vertex");
  float lo = v_[0].y, hi = v_[0].y;
  for (const glm::vec2& q : v_) {
    lo = std::min(lo, q.y);
    hi = std::max(hi, q.y);
  }
  // About four edges per band on an outline that goes round evenly.
  const std::size_t count = std::max<std::size_t>(1, v_.size() / 4);
  y0_ = lo;
  bandHeight_ = std::max((hi - lo) / static_cast<float>(count), 1.0e-6f);
  bands_.resize(count);
  for (std::size_t i = 0, j = v_.size() - 1; i < v_.size(); j = i, ++i) {
    edgeLo_.push_back(glm::min(v_[i], v_[j]) - glm::vec2(kBallSlack));
    edgeHi_.push_back(glm::max(v_[i], v_[j]) + glm::vec2(kBallSlack));
    const std::size_t a = bandOf(std::min(v_[i].y, v_[j].y)),
                      b = bandOf(std::max(v_[i].y, v_[j].y));
    for (std::size_t band = a; band <= b; ++band)
      bands_[band].push_back(i);
  }
}

std::size_t Polygon2::bandOf(float y) const {
  const float f = std::floor((y - y0_) / bandHeight_);
  if (!(f > 0.0f)) return 0;
  const float last = static_cast<float>(bands_.size() - 1);
  return f >= last ? bands_.size() - 1 : static_cast<std::size_t>(f);
}

float Polygon2::operator()(const glm::vec2& p) const {
  // Inside or out: only edges whose y range holds p.y can be crossed by the ray, and they
  // all lie in p's band (p.y outside the polygon's range: none is crossed).
  const std::size_t home = bandOf(p.y);
  float s = 1.0f;
  for (const std::size_t i : bands_[home])
    if (polygonEdgeCrossed(p, v_[i], v_[previous(i)])) s = -s;
  // Distance: bands outward from p's, until a band is farther away (in y alone) than the
  // nearest edge so far; an edge not seen yet lies wholly in bands at least that far.
  float d = glm::dot(p - v_[0], p - v_[0]);
  const auto gap = [&](std::size_t band) {
    const float lo = y0_ + static_cast<float>(band) * bandHeight_, hi = lo + bandHeight_;
    const float g = std::max({lo - p.y, p.y - hi, 0.0f}) - kBallSlack; // less the rounding
    return g > 0.0f ? g * g : 0.0f;
  };
  const auto visit = [&](std::size_t band) {
    for (const std::size_t i : bands_[band]) {
      const glm::vec2 out = glm::max(glm::max(edgeLo_[i] - p, p - edgeHi_[i]), glm::vec2(0.0f));
      if (glm::dot(out, out) < d) d = std::min(d, polygonEdgeDistance2(p, v_[i], v_[previous(i)]));
    }
  };
  visit(home);
  std::size_t up = home + 1, down = home;
  while (up < bands_.size() || down > 0) {
    const float gUp = up < bands_.size() ? gap(up) : std::numeric_limits<float>::infinity();
    const float gDown = down > 0 ? gap(down - 1) : std::numeric_limits<float>::infinity();
    if (std::min(gUp, gDown) >= d) break;
    if (gUp <= gDown)
      visit(up++);
    else
      visit(--down);
  }
  return s * std::sqrt(d);
}

} // namespace fascia::anatomy
