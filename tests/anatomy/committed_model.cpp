// The committed model and the queries its tests share (committed_model.h).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <glm/geometric.hpp>
#include <glm/vec3.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "committed_model.h"
#include "glb_reader.h"
#include "mesh_ops.h"
#include "nesting.h"
#include "sdf.h"

namespace fascia::anatomy::test {

const std::filesystem::path kAssets = std::filesystem::path(FASCIA_ANATOMY_SOURCE_DIR) / "assets";

const CommittedModel& committed() {
  static const CommittedModel m = [] {
    CommittedModel c;
    c.glbBytes = test::readBytes(kAssets / "torso.glb");
    c.meshes = test::parseGlb(c.glbBytes);
    const auto text = test::readBytes(kAssets / "torso.manifest.json");
    c.manifest = nlohmann::json::parse(text.begin(), text.end());
    return c;
  }();
  return m;
}

const TriMesh* findCommittedMesh(const std::string& name) {
  static const std::map<std::string, const TriMesh*> byName = [] {
    std::map<std::string, const TriMesh*> out;
    for (const auto& g : committed().meshes)
      out[g.name] = &g.mesh;
    return out;
  }();
  const auto it = byName.find(name);
  return it == byName.end() ? nullptr : it->second;
}

const TriMesh& committedMesh(const std::string& name) {
  const TriMesh* mesh = findCommittedMesh(name);
  if (!mesh) throw std::out_of_range("no structure " + name);
  return *mesh;
}

std::vector<test::RankedMesh>
rankedCommitted(const std::function<bool(const std::string&, const std::string&)>& leaveOut) {
  const auto& m = committed();
  std::vector<test::RankedMesh> meshes;
  for (const auto& g : m.meshes) {
    const std::string layer = m.manifest.at("structures").at(g.name).at("layer");
    if (!leaveOut || !leaveOut(g.name, layer))
      meshes.push_back({g.name, test::layerRank(layer), &g.mesh});
  }
  return meshes;
}

void expectNoOverlap(const std::vector<test::RankedMesh>& meshes,
                     const std::vector<std::string>& names, int stride, float tolerance,
                     int minTested) {
  const auto report = test::checkOverlap(meshes, names, stride, tolerance);
  EXPECT_GT(report.tested, minTested);
  EXPECT_EQ(report.inside, 0) << [&] {
    std::string s;
    for (const auto& e : report.examples)
      s += "\n  " + e;
    return s;
  }();
}

std::optional<MeshHit> rayHitOn(const TriMesh& mesh, const glm::vec3& o, const glm::vec3& d) {
  std::optional<MeshHit> best;
  for (std::size_t i = 0; i + 2 < mesh.indices.size(); i += 3) {
    const glm::vec3 a = mesh.positions[mesh.indices[i]];
    const glm::vec3 e1 = mesh.positions[mesh.indices[i + 1]] - a;
    const glm::vec3 e2 = mesh.positions[mesh.indices[i + 2]] - a;
    const glm::vec3 pv = glm::cross(d, e2);
    const float det = glm::dot(e1, pv);
    if (std::abs(det) < 1e-12f) continue;
    const glm::vec3 tv = o - a;
    const float u = glm::dot(tv, pv) / det;
    const glm::vec3 qv = glm::cross(tv, e1);
    const float v = glm::dot(d, qv) / det;
    const float t = glm::dot(e2, qv) / det;
    if (u >= 0.0f && v >= 0.0f && u + v <= 1.0f && t > 0.0f && t < 1e9f && (!best || t < best->t))
      best = MeshHit{t, i / 3, u, v};
  }
  return best;
}

std::optional<float> rayHit(const TriMesh& mesh, const glm::vec3& o, const glm::vec3& d) {
  const auto hit = rayHitOn(mesh, o, d);
  if (!hit) return std::nullopt;
  return hit->t;
}

namespace {

/// Whether the ray from o along d meets the box (slab test; a ray inside meets it).
bool rayMeetsBox(const glm::vec3& o, const glm::vec3& d, const Aabb& box) {
  const glm::vec3 lo = box.lo, hi = box.hi;
  float near = 0.0f, far = 1e9f;
  for (int a = 0; a < 3; ++a) {
    if (std::abs(d[a]) < 1e-12f) {
      if (o[a] < lo[a] || o[a] > hi[a]) return false;
      continue;
    }
    float t0 = (lo[a] - o[a]) / d[a], t1 = (hi[a] - o[a]) / d[a];
    if (t0 > t1) std::swap(t0, t1);
    near = std::max(near, t0);
    far = std::min(far, t1);
  }
  return near <= far;
}

} // namespace

std::optional<std::pair<std::string, float>>
firstHitIn(const std::vector<GlbMesh>& meshes, const nlohmann::json& structures, const glm::vec3& o,
           const glm::vec3& d, std::initializer_list<std::string_view> layers) {
  float best = 1e9f;
  std::string name;
  for (const auto& g : meshes) {
    const std::string layer = structures.at(g.name).at("layer");
    if (std::find(layers.begin(), layers.end(), layer) == layers.end()) continue;
    // A mesh whose box (padded by 0.1 mm against rounding) the ray misses cannot be met.
    if (!rayMeetsBox(o, d, g.bounds.padded(1e-4f))) continue;
    const auto t = rayHit(g.mesh, o, d);
    if (t && *t < best) {
      best = *t;
      name = g.name;
    }
  }
  if (name.empty()) return std::nullopt;
  return std::make_pair(name, best);
}

std::optional<std::pair<std::string, float>> firstHitOf(const std::vector<GlbMesh>& meshes,
                                                        const nlohmann::json& structures,
                                                        const glm::vec3& o, const glm::vec3& d,
                                                        bool bonesOnly) {
  if (bonesOnly) return firstHitIn(meshes, structures, o, d, {"bone"});
  return firstHitIn(meshes, structures, o, d, {"muscle", "bone"});
}

std::string firstMuscleOrBone(const std::vector<GlbMesh>& meshes, const nlohmann::json& structures,
                              const glm::vec3& o, const glm::vec3& d) {
  const auto hit = firstHitOf(meshes, structures, o, d);
  return hit ? hit->first : std::string();
}

std::pair<std::vector<int>::const_iterator, std::vector<int>::const_iterator>
metSpan(const std::vector<int>& met) {
  const auto first = std::find_if(met.begin(), met.end(), [](int n) { return n > 0; });
  const auto last = std::find_if(met.rbegin(), met.rend(), [](int n) { return n > 0; }).base();
  return {first, first < last ? last : first};
}

std::optional<std::pair<std::string, float>> firstAtPeel2(const CommittedModel& m,
                                                          const glm::vec3& o, const glm::vec3& d) {
  return firstHitIn(m.meshes, m.manifest.at("structures"), o, d, {"deep-fascia", "muscle", "bone"});
}

std::string firstFromBehind(const CommittedModel& m, float x, float y) {
  const auto hit = firstAtPeel2(m, {x, y, -0.40f}, {0.0f, 0.0f, 1.0f});
  EXPECT_TRUE(hit.has_value()) << "nothing behind x " << x << ", y " << y;
  return hit ? hit->first : std::string();
}

float worstOffNeighbours(const std::vector<float>& profile, std::size_t reach) {
  float worst = 0.0f;
  for (std::size_t i = reach; i + reach < profile.size(); ++i)
    worst =
        std::max(worst, std::abs(profile[i] - 0.5f * (profile[i - reach] + profile[i + reach])));
  return worst;
}

} // namespace fascia::anatomy::test
