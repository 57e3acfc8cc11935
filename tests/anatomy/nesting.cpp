#include "nesting.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <glm/trigonometric.hpp>

#include "parts.h"

namespace fascia::anatomy::test {

int layerRank(const std::string& layer) {
  if (layer == "skin") return 0;
  if (layer == "superficial-fascia") return 1;
  if (layer == "deep-fascia") return 2;
  if (layer == "muscle") return 3;
  if (layer == "bone") return 4;
  return -1;
}

namespace {

struct Tri {
  glm::vec3 a, b, c;
  int owner;
};

struct Hit {
  float t;
  int owner;
};

// Triangles binned into slabs along one axis, for rays perpendicular to that axis.
struct Slabs {
  int axis;
  float lo, step;
  std::vector<std::vector<Tri>> bins;
  Slabs(const std::vector<RankedMesh>& meshes, int ax, float from, float to, float s)
      : axis(ax), lo(from), step(s), bins(static_cast<std::size_t>((to - from) / s) + 1) {
    for (std::size_t m = 0; m < meshes.size(); ++m) {
      const TriMesh& mesh = *meshes[m].mesh;
      for (std::size_t i = 0; i + 2 < mesh.indices.size(); i += 3) {
        const Tri t{mesh.positions[mesh.indices[i]], mesh.positions[mesh.indices[i + 1]],
                    mesh.positions[mesh.indices[i + 2]], static_cast<int>(m)};
        const float mn = std::min({t.a[axis], t.b[axis], t.c[axis]});
        const float mx = std::max({t.a[axis], t.b[axis], t.c[axis]});
        const int b0 = std::max(0, static_cast<int>(std::floor((mn - lo) / step)));
        const int b1 = std::min(static_cast<int>(bins.size()) - 1, static_cast<int>(std::floor((mx - lo) / step)));
        for (int b = b0; b <= b1; ++b) bins[static_cast<std::size_t>(b)].push_back(t);
      }
    }
  }
  std::vector<Hit> cast(const glm::vec3& o, const glm::vec3& d) const {
    std::vector<Hit> hits;
    const int b = static_cast<int>(std::floor((o[axis] - lo) / step));
    if (b < 0 || b >= static_cast<int>(bins.size())) return hits;
    for (const Tri& t : bins[static_cast<std::size_t>(b)]) {
      // Moller-Trumbore.
      const glm::vec3 e1 = t.b - t.a, e2 = t.c - t.a;
      const glm::vec3 pv = glm::cross(d, e2);
      const float det = glm::dot(e1, pv);
      if (std::abs(det) < 1e-12f) continue;
      const float inv = 1.0f / det;
      const glm::vec3 tv = o - t.a;
      const float u = glm::dot(tv, pv) * inv;
      if (u < 0.0f || u > 1.0f) continue;
      const glm::vec3 qv = glm::cross(tv, e1);
      const float v = glm::dot(d, qv) * inv;
      if (v < 0.0f || u + v > 1.0f) continue;
      const float dist = glm::dot(e2, qv) * inv;
      if (dist > 0.0f) hits.push_back({dist, t.owner});
    }
    std::sort(hits.begin(), hits.end(), [](const Hit& x, const Hit& y) {
      return x.t < y.t || (x.t == y.t && x.owner < y.owner);
    });
    return hits;
  }
};

// True when the ray crosses one of the model's cut faces (neck, arms, thighs) before its first
// hit: it then looks into the open cut, where every layer shows by design.
bool entersThroughCut(const glm::vec3& o, const glm::vec3& d, float firstHit) {
  struct Disc {
    glm::vec3 centre, normal;
    float radius;
  };
  const glm::vec3 arm = glm::normalize(glm::vec3(0.42f, -0.906f, 0.0f));
  // The neck cut's outline reaches about 6.5 cm either side of the midline and 8.5 cm behind
  // z = 0: the disc is centred a little behind z = 0 so it covers the back of the neck without
  // reaching further over the shoulders.
  const Disc discs[] = {{{0.0f, 1.64f, -0.004f}, {0, 1, 0}, 0.09f},
                        {{0.225f, 1.29f, -0.008f}, arm, 0.075f},
                        {{-0.225f, 1.29f, -0.008f}, {-arm.x, arm.y, arm.z}, 0.075f},
                        {{0.11f, 0.75f, 0.015f}, {0, -1, 0}, 0.10f},
                        {{-0.11f, 0.75f, 0.015f}, {0, -1, 0}, 0.10f}};
  for (const Disc& c : discs) {
    const float dn = glm::dot(d, c.normal);
    if (std::abs(dn) < 1e-6f) continue;
    const float t = glm::dot(c.centre - o, c.normal) / dn;
    if (t > 0.0f && t < firstHit + 0.001f && glm::length(o + d * t - c.centre) < c.radius) return true;
  }
  return false;
}

// Checks one ray; returns an empty string when fine.
std::string checkRay(const std::vector<RankedMesh>& meshes, const std::vector<Hit>& hits, const glm::vec3& o,
                     const glm::vec3& d, bool checkFascia, bool& skipped) {
  skipped = hits.empty();
  if (skipped) return {};
  const glm::vec3 first = o + d * hits[0].t;
  if (keepRegion(first, 0.0f) > -0.008f || entersThroughCut(o, d, hits[0].t)) {
    skipped = true;
    return {};
  }
  // Only the stretch until the ray leaves the body again (its third crossing of the skin
  // shell) is about nesting; beyond it the ray may enter another part (the other thigh).
  std::vector<Hit> inside;
  int skinCrossings = 0;
  for (const Hit& h : hits) {
    if (meshes[static_cast<std::size_t>(h.owner)].rank == 0 && ++skinCrossings == 3) break;
    inside.push_back(h);
  }
  float firstOf[5] = {1e9f, 1e9f, 1e9f, 1e9f, 1e9f};
  float subcutisInner = 1e9f; // where the ray leaves the superficial fascia layer inward
  int subcutisHits = 0;
  for (const Hit& h : inside) {
    const int r = meshes[static_cast<std::size_t>(h.owner)].rank;
    if (r >= 0) firstOf[r] = std::min(firstOf[r], h.t);
    if (r == 1 && ++subcutisHits == 2) subcutisInner = h.t;
  }
  // Deep fascia order is checked where the fascia lies right under the fat on this ray.
  checkFascia = checkFascia && firstOf[2] < subcutisInner + 0.005f;
  char buf[256];
  const Hit& h0 = hits[0];
  if (meshes[static_cast<std::size_t>(h0.owner)].rank != 0) {
    std::snprintf(buf, sizeof buf, "%s before the skin at (%.3f, %.3f, %.3f)",
                  meshes[static_cast<std::size_t>(h0.owner)].name.c_str(), first.x, first.y, first.z);
    return buf;
  }
  for (const Hit& h : inside) {
    const RankedMesh& m = meshes[static_cast<std::size_t>(h.owner)];
    const glm::vec3 p = o + d * h.t;
    if (m.rank >= 2 && h.t < firstOf[1]) {
      std::snprintf(buf, sizeof buf, "%s outside the superficial fascia at (%.3f, %.3f, %.3f)", m.name.c_str(), p.x,
                    p.y, p.z);
      return buf;
    }
    if (checkFascia && m.rank >= 3 && firstOf[2] < 1e8f && h.t < firstOf[2]) {
      std::snprintf(buf, sizeof buf, "%s in front of the deep fascia at (%.3f, %.3f, %.3f)", m.name.c_str(), p.x,
                    p.y, p.z);
      return buf;
    }
  }
  return {};
}

} // namespace

NestingReport checkNesting(const std::vector<RankedMesh>& meshes, int heightSteps, int angleSteps) {
  NestingReport report;
  auto record = [&](const std::string& msg, bool skipped) {
    if (skipped) return;
    ++report.rays;
    if (msg.empty()) return;
    ++report.violations;
    if (report.examples.size() < 12) report.examples.push_back(msg);
  };
  {
    const Slabs slabs(meshes, 1, 0.70f, 1.80f, 0.004f);
    for (int i = 0; i < heightSteps; ++i) {
      const float y = 0.80f + 0.80f * static_cast<float>(i) / static_cast<float>(heightSteps - 1);
      for (int j = 0; j < angleSteps; ++j) {
        // From 100 degrees on the right, across the back, to 100 degrees on the left.
        const float phi = glm::radians(-100.0f + 200.0f * static_cast<float>(j) / static_cast<float>(angleSteps - 1));
        const glm::vec3 target(0.0f, y, -0.02f);
        const glm::vec3 o = target + 0.6f * glm::vec3(std::sin(phi), 0.0f, -std::cos(phi));
        const glm::vec3 d = glm::normalize(target - o);
        const auto hits = slabs.cast(o, d);
        bool skipped = false;
        // Deep fascia covers the back, not the sides: its order is checked on rays from behind.
        const std::string msg = checkRay(meshes, hits, o, d, std::abs(phi) < glm::radians(55.0f), skipped);
        record(msg, skipped);
      }
    }
    // From the front across the abdomen and the front of the flanks, 80 degrees either side of
    // straight ahead: rectus abdominis and the external obliques lie right under the fat there
    // (the rays from the side above reach the flank behind its middle only). No deep fascia is
    // modelled on the front.
    const int frontSteps = angleSteps / 2 + 1;
    for (int i = 0; i < heightSteps; ++i) {
      const float y = 0.90f + 0.45f * static_cast<float>(i) / static_cast<float>(heightSteps - 1);
      for (int j = 0; j < frontSteps; ++j) {
        const float phi = glm::radians(100.0f + 160.0f * static_cast<float>(j) / static_cast<float>(frontSteps - 1));
        const glm::vec3 target(0.0f, y, 0.02f);
        const glm::vec3 o = target + 0.6f * glm::vec3(std::sin(phi), 0.0f, -std::cos(phi));
        const glm::vec3 d = glm::normalize(target - o);
        bool skipped = false;
        const std::string msg = checkRay(meshes, slabs.cast(o, d), o, d, false, skipped);
        record(msg, skipped);
      }
    }
  }
  {
    // Straight down onto the shoulders and the back of the neck; only the part above 1.30 m.
    const Slabs slabs(meshes, 0, -0.30f, 0.30f, 0.004f);
    for (int i = 0; i < heightSteps; ++i) {
      const float x = -0.21f + 0.42f * (static_cast<float>(i) + 0.5f) / static_cast<float>(heightSteps);
      for (int j = 0; j < angleSteps / 2; ++j) {
        const float z = -0.12f + 0.16f * static_cast<float>(j) / static_cast<float>(angleSteps / 2 - 1);
        const glm::vec3 o(x, 1.80f, z), d(0.0f, -1.0f, 0.0f);
        auto hits = slabs.cast(o, d);
        hits.erase(std::remove_if(hits.begin(), hits.end(), [&](const Hit& h) { return o.y - h.t < 1.30f; }),
                   hits.end());
        bool skipped = false;
        const std::string msg = checkRay(meshes, hits, o, d, false, skipped);
        record(msg, skipped);
      }
    }
  }
  return report;
}

OverlapReport checkOverlap(const std::vector<RankedMesh>& meshes, const std::vector<std::string>& names,
                           int stride, float tolerance) {
  OverlapReport report;
  const Slabs slabs(meshes, 1, 0.70f, 1.80f, 0.004f);
  const glm::vec3 dirs[] = {glm::normalize(glm::vec3(1.0f, 0.0f, 0.13f)), glm::normalize(glm::vec3(-1.0f, 0.0f, 0.21f)),
                            glm::normalize(glm::vec3(0.17f, 0.0f, 1.0f))};
  for (std::size_t m = 0; m < meshes.size(); ++m) {
    if (std::find(names.begin(), names.end(), meshes[m].name) == names.end()) continue;
    const TriMesh& mesh = *meshes[m].mesh;
    for (std::size_t v = 0; v < mesh.positions.size(); v += static_cast<std::size_t>(stride)) {
      const glm::vec3 p = mesh.positions[v] - mesh.normals[v] * tolerance;
      // Per other mesh: on how many of the three rays it is crossed an odd number of times.
      std::vector<int> oddRays(meshes.size(), 0);
      for (const glm::vec3& d : dirs) {
        std::vector<int> crossings(meshes.size(), 0);
        for (const Hit& h : slabs.cast(p, d)) ++crossings[static_cast<std::size_t>(h.owner)];
        for (std::size_t o = 0; o < meshes.size(); ++o) oddRays[o] += crossings[o] % 2;
      }
      ++report.tested;
      for (std::size_t o = 0; o < meshes.size(); ++o) {
        if (o == m || oddRays[o] < 2) continue;
        ++report.inside;
        if (report.examples.size() < 12) {
          char buf[256];
          std::snprintf(buf, sizeof buf, "%s vertex inside %s at (%.3f, %.3f, %.3f)", meshes[m].name.c_str(),
                        meshes[o].name.c_str(), p.x, p.y, p.z);
          report.examples.emplace_back(buf);
        }
        break;
      }
    }
  }
  return report;
}

} // namespace fascia::anatomy::test
