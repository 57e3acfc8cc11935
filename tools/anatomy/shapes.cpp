#include "shapes.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "culled.h"

namespace fascia::anatomy {

Curve::Curve(std::vector<glm::vec3> points) : points_(std::move(points)) {
  cumulative_.push_back(0.0f);
  for (std::size_t i = 1; i < points_.size(); ++i)
    cumulative_.push_back(cumulative_.back() + glm::length(points_[i] - points_[i - 1]));
}

glm::vec3 Curve::at(float u) const {
  if (points_.size() == 1) return points_[0];
  const float total = cumulative_.back();
  const float s = std::clamp(u, 0.0f, 1.0f) * total;
  std::size_t i = 1;
  while (i + 1 < cumulative_.size() && cumulative_[i] < s) ++i;
  const float seg = cumulative_[i] - cumulative_[i - 1];
  const float t = seg > 0.0f ? (s - cumulative_[i - 1]) / seg : 0.0f;
  return points_[i - 1] + (points_[i] - points_[i - 1]) * t;
}

std::vector<glm::vec3> catmullRom(const std::vector<glm::vec3>& p, int perSegment) {
  std::vector<glm::vec3> out;
  const std::size_t n = p.size();
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const glm::vec3 p0 = p[i == 0 ? 0 : i - 1], p1 = p[i], p2 = p[i + 1];
    const glm::vec3 p3 = p[std::min(i + 2, n - 1)];
    for (int s = 0; s < perSegment; ++s) {
      const float t = static_cast<float>(s) / static_cast<float>(perSegment);
      const float t2 = t * t, t3 = t2 * t;
      out.push_back(0.5f * ((2.0f * p1) + (-p0 + p2) * t + (2.0f * p0 - 5.0f * p1 + 4.0f * p2 - p3) * t2 +
                            (-p0 + 3.0f * p1 - 3.0f * p2 + p3) * t3));
    }
  }
  out.push_back(p.back());
  return out;
}

Tube smoothTube(const Tube& t, int perSegment) {
  std::vector<glm::vec3> radii;
  for (float r : t.radii) radii.emplace_back(r, 0.0f, 0.0f);
  Tube out;
  out.points = catmullRom(t.points, perSegment);
  for (const glm::vec3& r : catmullRom(radii, perSegment)) out.radii.push_back(r.x);
  return out;
}

glm::vec3 Fan::fibrePoint(float u, float v) const {
  const glm::vec3 o = origin.at(u), i = insertion.at(u);
  const glm::vec3 m = 0.5f * (o + i) + 2.0f * bulge; // control point: the curve's middle bows by bulge
  const float w = 1.0f - v;
  return w * w * o + 2.0f * w * v * m + v * v * i;
}

glm::vec3 Fan::fibreDirection(const glm::vec3& p) const {
  constexpr int kU = 24, kV = 8;
  float best = std::numeric_limits<float>::max();
  glm::vec3 dir(0, 1, 0);
  for (int a = 0; a <= kU; ++a) {
    const float u = static_cast<float>(a) / kU;
    glm::vec3 prev = fibrePoint(u, 0.0f);
    for (int b = 1; b <= kV; ++b) {
      const glm::vec3 next = fibrePoint(u, static_cast<float>(b) / kV);
      const float t = segmentParam(p, prev, next);
      const float d = glm::length(p - (prev + (next - prev) * t));
      if (d < best && glm::length(next - prev) > 0.0f) {
        best = d;
        dir = glm::normalize(next - prev);
      }
      prev = next;
    }
  }
  return dir;
}

Shape Fan::volume(int fibres, float rEnd, float rMid, float blend) const {
  std::vector<Tube> tubes;
  Aabb box;
  // A fibre is a polyline of at least 6 segments, and more where it is bowed. Its middle bows by
  // b (fibrePoint's control point is 2b off the chord's middle), so over a chord of length L its
  // tangent turns by about 8|b|/L in all, fastest in the middle; a polyline of n segments turns by
  // about 8|b|/(nL) at its middle knot, here at most kMaxTurn. With 6 segments gluteus maximus (b
  // = 4.2 cm over chords of 14-19 cm) turned by up to 22 degrees at a knot, and its surface was a
  // run of flat facets shaded as bands across the buttock; it now gets 13-17 segments.
  constexpr int kMinSteps = 6, kMaxSteps = 64;
  constexpr float kMaxTurn = 0.14f; // 8 degrees
  for (int a = 0; a < fibres; ++a) {
    const float u = fibres == 1 ? 0.5f : static_cast<float>(a) / static_cast<float>(fibres - 1);
    const float edge = 0.55f + 0.45f * std::pow(std::sin(std::numbers::pi_v<float> * (0.08f + 0.84f * u)), 0.6f);
    const float chord = glm::length(fibrePoint(u, 1.0f) - fibrePoint(u, 0.0f));
    const float turn = 8.0f * glm::length(bulge) / std::max(chord, 1e-3f);
    const int steps = static_cast<int>(std::clamp(
        std::ceil(turn / kMaxTurn), static_cast<float>(kMinSteps), static_cast<float>(kMaxSteps)));
    Tube t;
    for (int s = 0; s <= steps; ++s) {
      const float v = static_cast<float>(s) / static_cast<float>(steps);
      t.points.push_back(fibrePoint(u, v));
      const float belly = std::pow(std::sin(std::numbers::pi_v<float> * v), 0.7f);
      t.radii.push_back(rEnd + (rMid * edge - rEnd) * belly);
    }
    box.extend(t.bounds());
    tubes.push_back(std::move(t));
  }
  return culledShape(TubeBlend(std::move(tubes), blend), box.padded(blend));
}

std::vector<glm::vec2> Fan::outlineXY(int samples) const {
  std::vector<glm::vec2> out;
  for (int i = 0; i <= samples; ++i) {
    const glm::vec3 p = origin.at(static_cast<float>(i) / samples);
    out.emplace_back(p.x, p.y);
  }
  for (int i = samples; i >= 0; --i) {
    const glm::vec3 p = insertion.at(static_cast<float>(i) / samples);
    out.emplace_back(p.x, p.y);
  }
  return out;
}

float sdEllipse2(const glm::vec2& p, const glm::vec2& r) {
  const float k0 = glm::length(p / r);
  const float k1 = glm::length(p / (r * r));
  if (k1 <= 1e-9f) return -std::min(r.x, r.y);
  return k0 * (k0 - 1.0f) / k1;
}

Shape Loft::shape() const {
  Shape out;
  const auto secs = sections;
  const float cx = centreX;
  for (const Section& s : secs) {
    out.box.extend(glm::vec3(cx - s.halfWidth, s.y, s.centreZ - s.halfDepth));
    out.box.extend(glm::vec3(cx + s.halfWidth, s.y, s.centreZ + s.halfDepth));
  }
  out.box = out.box.padded(0.002f);
  out.f = [secs, cx](const glm::vec3& p) {
    const float y = std::clamp(p.y, secs.front().y, secs.back().y);
    std::size_t i = 1;
    while (i + 1 < secs.size() && secs[i].y < y) ++i;
    const auto& a = secs[i - 1];
    const auto& b = secs[i];
    const float t = (y - a.y) / (b.y - a.y);
    const float hw = mix(a.halfWidth, b.halfWidth, t);
    const float cz = mix(a.centreZ, b.centreZ, t);
    const float hd = mix(a.halfDepth, b.halfDepth, t);
    const float d2 = sdEllipse2(glm::vec2(p.x - cx, p.z - cz), glm::vec2(hw, hd));
    const float dy = std::max(secs.front().y - p.y, p.y - secs.back().y);
    const glm::vec2 w(d2, dy);
    return glm::length(glm::max(w, glm::vec2(0.0f))) + std::min(std::max(w.x, w.y), 0.0f);
  };
  return out;
}

Shape mirrored(const Shape& s) {
  Shape out;
  out.box = mirrorX(s.box);
  const Sdf f = s.f;
  out.f = [f](const glm::vec3& p) { return f(mirrorX(p)); };
  if (s.below)
    out.below = [below = s.below](const glm::vec3& p, float limit) {
      return below(mirrorX(p), limit);
    };
  return out;
}

} // namespace fascia::anatomy
