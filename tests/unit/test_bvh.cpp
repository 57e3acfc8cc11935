// BVH picking: the tree must give exactly the answers of the brute-force reference, plus a few
// hand-checked geometric cases that do not rely on the reference at all.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <glm/geometric.hpp>

#include "fascia/bvh.h"

namespace fascia {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kPi = 3.14159265358979f;

// ---------------------------------------------------------------------------------------------
// Generated geometry
// ---------------------------------------------------------------------------------------------

Structure makeStructure(std::string name, MeshData mesh) {
  Structure s;
  s.info.name = std::move(name);
  s.mesh = std::move(mesh);
  return s;
}

/// A closed UV sphere with a gentle wobble of relative amplitude `wobble`. The pole rows are
/// collapsed, so each pole fan holds zero-area triangles as real meshes often do.
MeshData makeSphere(float radius, int rings, int segments, float wobble = 0.0f,
                    glm::vec3 centre = glm::vec3(0.0f)) {
  MeshData mesh;
  for (int i = 0; i <= rings; ++i) {
    const float theta = kPi * static_cast<float>(i) / static_cast<float>(rings);
    for (int j = 0; j < segments; ++j) {
      const float phi = 2.0f * kPi * static_cast<float>(j) / static_cast<float>(segments);
      const float r = radius * (1.0f + wobble * std::sin(5.0f * theta) * std::cos(3.0f * phi));
      mesh.positions.emplace_back(centre + r * glm::vec3(std::sin(theta) * std::cos(phi),
                                                         std::cos(theta),
                                                         std::sin(theta) * std::sin(phi)));
    }
  }
  const auto seg = static_cast<std::uint32_t>(segments);
  for (std::uint32_t i = 0; i < static_cast<std::uint32_t>(rings); ++i) {
    for (std::uint32_t j = 0; j < seg; ++j) {
      const std::uint32_t a = i * seg + j, b = i * seg + (j + 1) % seg, c = a + seg, d = b + seg;
      mesh.indices.insert(mesh.indices.end(), {a, c, b, b, c, d});
    }
  }
  return mesh;
}

/// `count` random triangles of edge up to `size`, with vertices in [-1, 1]^3.
MeshData makeSoup(std::mt19937& rng, int count, float size) {
  std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
  MeshData mesh;
  for (int i = 0; i < count; ++i) {
    const glm::vec3 base(unit(rng), unit(rng), unit(rng));
    for (int k = 0; k < 3; ++k) {
      const glm::vec3 offset(unit(rng), unit(rng), unit(rng));
      mesh.positions.push_back(glm::clamp(base + size * offset, -1.0f, 1.0f));
      mesh.indices.push_back(static_cast<std::uint32_t>(mesh.positions.size() - 1));
    }
  }
  return mesh;
}

/// Three nested wobbly shells: "skin" (r 1), "fascia" (r 0.8), "muscle" (r 0.6).
Model makeShells(int rings = 24) {
  Model model;
  model.structures.push_back(makeStructure("skin", makeSphere(1.0f, rings, 2 * rings, 0.03f)));
  model.structures.push_back(makeStructure("fascia", makeSphere(0.8f, rings, 2 * rings, 0.03f)));
  model.structures.push_back(makeStructure("muscle", makeSphere(0.6f, rings, 2 * rings, 0.03f)));
  return model;
}

glm::vec3 randomUnit(std::mt19937& rng) {
  std::normal_distribution<float> normal(0.0f, 1.0f);
  glm::vec3 v(normal(rng), normal(rng), normal(rng));
  while (glm::dot(v, v) < 1e-6f)
    v = glm::vec3(normal(rng), normal(rng), normal(rng));
  return glm::normalize(v);
}

/// Rays from a sphere of radius `from` towards random points within `towards` of the origin.
/// Directions are deliberately not unit length.
std::vector<Ray> raysFromOutside(std::mt19937& rng, int count, float from, float towards) {
  std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
  std::vector<Ray> rays;
  for (int i = 0; i < count; ++i) {
    const glm::vec3 origin = randomUnit(rng) * from;
    const glm::vec3 target = towards * glm::vec3(unit(rng), unit(rng), unit(rng));
    rays.push_back(Ray{origin, target - origin});
  }
  return rays;
}

/// Rays with random origins in [-extent, extent]^3 and random directions of length 0.5 to 2.
std::vector<Ray> raysAnywhere(std::mt19937& rng, int count, float extent) {
  std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
  std::uniform_real_distribution<float> length(0.5f, 2.0f);
  std::vector<Ray> rays;
  for (int i = 0; i < count; ++i) {
    const glm::vec3 origin = extent * glm::vec3(unit(rng), unit(rng), unit(rng));
    rays.push_back(Ray{origin, randomUnit(rng) * length(rng)});
  }
  return rays;
}

std::size_t countTriangles(const Model& model) {
  std::size_t n = 0;
  for (const Structure& s : model.structures)
    n += s.mesh.triangleCount();
  return n;
}

// ---------------------------------------------------------------------------------------------
// Comparison with the reference
// ---------------------------------------------------------------------------------------------

struct Comparison {
  int hits = 0;
  /// Hits on different triangles at distances equal within rounding: faces lying in the same
  /// plane (clamped or coincident geometry), where the BVH may skip a box whose face the
  /// triangle test places a few ulps nearer. Either answer is right; they must be rare.
  int ties = 0;
};

/// Both must miss together; on a hit, the same structure, triangle, t, barycentrics and
/// position. The per-triangle test and the rule for equal distances are shared, so even hits on
/// edges shared by two triangles must agree exactly.
void expectMatchesBruteForce(const Model& model, const Bvh& bvh, const std::vector<Ray>& rays,
                             Comparison& result, const StructureFilter& filter = {},
                             float maxT = kInf) {
  for (std::size_t i = 0; i < rays.size(); ++i) {
    const Ray& ray = rays[i];
    const std::optional<RayHit> expected = intersectBruteForce(model, ray, filter, maxT);
    const std::optional<RayHit> actual = bvh.intersect(ray, filter, maxT);
    ASSERT_EQ(expected.has_value(), actual.has_value())
        << "ray " << i << ": brute force " << (expected ? "hits" : "misses") << ", BVH "
        << (actual ? "hits" : "misses");
    if (!expected) continue;
    ++result.hits;
    const auto describe = [&] {
      return "ray " + std::to_string(i) + ": brute force structure " +
             std::to_string(expected->structure) + " triangle " +
             std::to_string(expected->triangle) + " t " + std::to_string(expected->t) +
             ", BVH structure " + std::to_string(actual->structure) + " triangle " +
             std::to_string(actual->triangle) + " t " + std::to_string(actual->t);
    };
    ASSERT_NEAR(actual->t, expected->t, 1e-5f * std::max(1.0f, expected->t)) << describe();
    if (actual->structure != expected->structure || actual->triangle != expected->triangle) {
      ++result.ties;
      continue;
    }
    ASSERT_EQ(actual->t, expected->t) << describe();
    EXPECT_LT(glm::length(actual->barycentric - expected->barycentric), 1e-6f) << "ray " << i;
    EXPECT_LT(glm::length(actual->position - expected->position), 1e-5f) << "ray " << i;
  }
  EXPECT_LE(result.ties, result.hits / 100) << "too many hits on a different triangle";
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

TEST(Bvh, HitsAKnownTriangleWithTheRightDistanceAndBarycentrics) {
  Model model;
  MeshData mesh;
  mesh.positions = {{0.0f, 0.0f, 0.0f}, {1.0f, 0.0f, 0.0f}, {0.0f, 1.0f, 0.0f}};
  mesh.indices = {0, 1, 2};
  model.structures.push_back(makeStructure("tri", mesh));
  const Bvh bvh(model);
  ASSERT_EQ(bvh.triangleCount(), 1u);

  // Direction of length 2: t is in units of the direction, so the plane at distance 3 is t 1.5.
  const Ray front{{0.25f, 0.5f, 3.0f}, {0.0f, 0.0f, -2.0f}};
  const std::optional<RayHit> hit = bvh.intersect(front);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->structure, 0u);
  EXPECT_EQ(hit->triangle, 0u);
  EXPECT_NEAR(hit->t, 1.5f, 1e-6f);
  EXPECT_NEAR(hit->barycentric.x, 0.25f, 1e-6f);
  EXPECT_NEAR(hit->barycentric.y, 0.25f, 1e-6f);
  EXPECT_NEAR(hit->barycentric.z, 0.5f, 1e-6f);
  EXPECT_NEAR(hit->position.x, 0.25f, 1e-6f);
  EXPECT_NEAR(hit->position.y, 0.5f, 1e-6f);
  EXPECT_NEAR(hit->position.z, 0.0f, 1e-6f);

  // Two-sided: the back face is hit too.
  const std::optional<RayHit> back = bvh.intersect(Ray{{0.25f, 0.25f, -1.0f}, {0.0f, 0.0f, 1.0f}});
  ASSERT_TRUE(back.has_value());
  EXPECT_NEAR(back->t, 1.0f, 1e-6f);

  // Beside the triangle (inside its box), pointing away, and behind the origin: misses.
  EXPECT_FALSE(bvh.intersect(Ray{{0.75f, 0.75f, 1.0f}, {0.0f, 0.0f, -1.0f}}).has_value());
  EXPECT_FALSE(bvh.intersect(Ray{{0.25f, 0.25f, 1.0f}, {0.0f, 0.0f, 1.0f}}).has_value());
  EXPECT_FALSE(bvh.intersect(Ray{{0.25f, 0.25f, 1.0f}, {0.0f, 0.0f, 0.0f}}).has_value());
}

TEST(Bvh, MatchesBruteForceOnRandomTriangleSoups) {
  std::mt19937 rng(1234);
  Model model;
  model.structures.push_back(makeStructure("small", makeSoup(rng, 1500, 0.05f)));
  model.structures.push_back(makeStructure("medium", makeSoup(rng, 1500, 0.2f)));
  model.structures.push_back(makeStructure("large", makeSoup(rng, 200, 0.8f)));
  const Bvh bvh(model);
  EXPECT_EQ(bvh.triangleCount(), countTriangles(model));

  Comparison result;
  ASSERT_NO_FATAL_FAILURE(
      expectMatchesBruteForce(model, bvh, raysAnywhere(rng, 1200, 1.5f), result));
  ASSERT_NO_FATAL_FAILURE(
      expectMatchesBruteForce(model, bvh, raysFromOutside(rng, 1200, 3.0f, 1.0f), result));
  // The comparison means something only if many rays hit.
  EXPECT_GT(result.hits, 1200);
}

TEST(Bvh, MatchesBruteForceOnNestedClosedShells) {
  const Model model = makeShells(24);
  const Bvh bvh(model);
  std::mt19937 rng(99);

  // Aimed at a cube of half-size 0.6, inside the skin, so nearly every ray hits.
  Comparison outside;
  const std::vector<Ray> rays = raysFromOutside(rng, 1000, 2.5f, 0.55f);
  ASSERT_NO_FATAL_FAILURE(expectMatchesBruteForce(model, bvh, rays, outside));
  EXPECT_GT(outside.hits, 975);

  // Rays starting inside the innermost shell must hit it from within.
  Comparison inside;
  ASSERT_NO_FATAL_FAILURE(
      expectMatchesBruteForce(model, bvh, raysAnywhere(rng, 500, 0.3f), inside));
  EXPECT_EQ(inside.hits, 500);
}

TEST(Bvh, RaysAtTheCentreHitTheOuterShellOnItsSurface) {
  // Independent of the reference: a closed shell cannot be missed by a ray aimed at its centre,
  // and the hit lies on the shell within its wobble.
  const Model model = makeShells(32);
  const Bvh bvh(model);
  std::mt19937 rng(7);
  for (int i = 0; i < 500; ++i) {
    const glm::vec3 origin = randomUnit(rng) * 3.0f;
    const std::optional<RayHit> hit = bvh.intersect(Ray{origin, -origin});
    ASSERT_TRUE(hit.has_value()) << "ray " << i;
    EXPECT_EQ(model.structures[hit->structure].info.name, "skin");
    EXPECT_NEAR(glm::length(hit->position), 1.0f, 0.035f);
    EXPECT_NEAR(glm::length(hit->position - (origin + hit->t * -origin)), 0.0f, 1e-5f);
    // The reported point is the barycentric combination of the triangle's vertices.
    const MeshData& mesh = model.structures[hit->structure].mesh;
    const std::uint32_t* idx = &mesh.indices[3 * std::size_t{hit->triangle}];
    const glm::vec3 p = hit->barycentric.x * mesh.positions[idx[0]] +
                        hit->barycentric.y * mesh.positions[idx[1]] +
                        hit->barycentric.z * mesh.positions[idx[2]];
    EXPECT_LT(glm::length(p - hit->position), 1e-5f);
  }
}

TEST(Bvh, FilterHidesStructuresAndRevealsTheOneBehind) {
  const Model model = makeShells(32);
  const Bvh bvh(model);
  const std::uint32_t skin = 0, fascia = 1;
  const StructureFilter hideSkin = [&](std::uint32_t s) { return s != skin; };
  const StructureFilter hideAll = [](std::uint32_t) { return false; };

  const Ray towardsCentre{{0.0f, 0.0f, -3.0f}, {0.0f, 0.0f, 1.0f}};
  const std::optional<RayHit> unfiltered = bvh.intersect(towardsCentre);
  ASSERT_TRUE(unfiltered.has_value());
  EXPECT_EQ(unfiltered->structure, skin);
  const std::optional<RayHit> filtered = bvh.intersect(towardsCentre, hideSkin);
  ASSERT_TRUE(filtered.has_value());
  EXPECT_EQ(filtered->structure, fascia);
  EXPECT_GT(filtered->t, unfiltered->t);
  EXPECT_FALSE(bvh.intersect(towardsCentre, hideAll).has_value());

  std::mt19937 rng(5);
  const std::vector<Ray> rays = raysFromOutside(rng, 600, 2.5f, 0.4f);
  Comparison result;
  ASSERT_NO_FATAL_FAILURE(expectMatchesBruteForce(model, bvh, rays, result, hideSkin));
  EXPECT_GT(result.hits, 580);
  for (const Ray& ray : rays) {
    const std::optional<RayHit> hit = bvh.intersect(ray, hideSkin);
    if (hit) {
      EXPECT_NE(hit->structure, skin);
    }
  }

  // The filter is asked about each structure at most once per query.
  int calls = 0;
  const StructureFilter counting = [&](std::uint32_t) {
    ++calls;
    return true;
  };
  for (const Ray& ray : rays) {
    calls = 0;
    (void)bvh.intersect(ray, counting);
    EXPECT_LE(calls, static_cast<int>(model.structures.size()));
  }
}

TEST(Bvh, RespectsMaxT) {
  const Model model = makeShells(32);
  const Bvh bvh(model);
  const Ray ray{{0.0f, 0.0f, -3.0f}, {0.0f, 0.0f, 1.0f}};
  const std::optional<RayHit> hit = bvh.intersect(ray);
  ASSERT_TRUE(hit.has_value());
  EXPECT_FALSE(bvh.intersect(ray, {}, hit->t * 0.999f).has_value());
  EXPECT_FALSE(bvh.intersect(ray, {}, 0.0f).has_value());
  EXPECT_FALSE(bvh.intersect(ray, {}, -1.0f).has_value());
  EXPECT_FALSE(bvh.intersect(ray, {}, std::numeric_limits<float>::quiet_NaN()).has_value());
  const std::optional<RayHit> within = bvh.intersect(ray, {}, hit->t * 1.001f);
  ASSERT_TRUE(within.has_value());
  EXPECT_EQ(within->triangle, hit->triangle);

  // Random limits: a cut-off between shells must reveal nothing behind them.
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> limit(0.5f, 4.0f);
  const std::vector<Ray> rays = raysFromOutside(rng, 300, 2.5f, 0.9f);
  Comparison result;
  for (const Ray& r : rays) {
    ASSERT_NO_FATAL_FAILURE(expectMatchesBruteForce(model, bvh, {r}, result, {}, limit(rng)));
  }
  EXPECT_GT(result.hits, 50);
  EXPECT_LT(result.hits, 300);
}

TEST(Bvh, AxisParallelRaysIncludingOnesInBoxPlanes) {
  // An axis-aligned grid of unit quads on three planes: every node box is flat in some axis and
  // rays along the axes have zero direction components (infinite inverse).
  Model model;
  MeshData mesh;
  const int n = 8;
  for (int axis = 0; axis < 3; ++axis) {
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < n; ++j) {
        const auto base = static_cast<std::uint32_t>(mesh.positions.size());
        for (int k = 0; k < 4; ++k) {
          glm::vec3 p(0.0f);
          p[(axis + 1) % 3] = static_cast<float>(i + (k & 1));
          p[(axis + 2) % 3] = static_cast<float>(j + (k >> 1));
          p[axis] = 0.5f * static_cast<float>(axis);
          mesh.positions.push_back(p);
        }
        mesh.indices.insert(mesh.indices.end(),
                            {base, base + 1, base + 2, base + 1, base + 3, base + 2});
      }
    }
  }
  model.structures.push_back(makeStructure("grid", mesh));
  const Bvh bvh(model);

  // Straight down the z axis through the middle of a quad on the z = 1 plane.
  const std::optional<RayHit> down = bvh.intersect(Ray{{2.3f, 3.6f, 5.0f}, {0.0f, 0.0f, -1.0f}});
  ASSERT_TRUE(down.has_value());
  EXPECT_NEAR(down->t, 4.0f, 1e-6f);

  std::vector<Ray> rays;
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> coord(-1.0f, 9.0f);
  std::uniform_int_distribution<int> whole(-1, 9);
  for (int i = 0; i < 3000; ++i) {
    const int axis = i % 3;
    glm::vec3 origin(coord(rng), coord(rng), coord(rng));
    // A third of the rays start exactly on grid lines, i.e. on node box planes.
    if (i % 9 < 3) origin[(axis + 1) % 3] = static_cast<float>(whole(rng));
    if (i % 9 < 6) origin[axis] = (i % 2 == 0) ? -2.0f : 10.0f;
    glm::vec3 direction(0.0f);
    direction[axis] = origin[axis] < 0.0f ? 1.0f : -1.0f;
    rays.push_back(Ray{origin, direction});
  }
  Comparison result;
  ASSERT_NO_FATAL_FAILURE(expectMatchesBruteForce(model, bvh, rays, result));
  EXPECT_GT(result.hits, 500);
}

TEST(Bvh, EmptyModelsNeverHit) {
  const Ray ray{{0.0f, 0.0f, -3.0f}, {0.0f, 0.0f, 1.0f}};
  const Bvh defaulted;
  EXPECT_TRUE(defaulted.empty());
  EXPECT_EQ(defaulted.nodeCount(), 0u);
  EXPECT_FALSE(defaulted.intersect(ray).has_value());

  const Model none;
  const Bvh fromNothing(none);
  EXPECT_TRUE(fromNothing.empty());
  EXPECT_FALSE(fromNothing.intersect(ray).has_value());
  EXPECT_FALSE(intersectBruteForce(none, ray).has_value());

  Model hollow;
  hollow.structures.push_back(makeStructure("no triangles", MeshData{}));
  const Bvh fromHollow(hollow);
  EXPECT_TRUE(fromHollow.empty());
  EXPECT_FALSE(fromHollow.intersect(ray, [](std::uint32_t) { return true; }).has_value());
  EXPECT_EQ(fromHollow.stats().leaves, 0u);
}

TEST(Bvh, DegenerateTrianglesAreNeverHitAndDoNotBreakTheTree) {
  Model model;
  MeshData degenerate;
  degenerate.positions = {
      {0.0f, 0.0f, 0.0f}, {1.0f, 1.0f, 0.0f}, {2.0f, 2.0f, 0.0f}, {0.5f, 0.5f, 0.0f}};
  degenerate.indices = {0, 1, 2,  // collinear
                        3, 3, 3,  // a point
                        0, 0, 1}; // a repeated vertex
  model.structures.push_back(makeStructure("degenerate", degenerate));

  // 2000 copies of one triangle: every centroid coincides, so no plane can split them.
  MeshData stacked;
  stacked.positions = {{-1.0f, -1.0f, 1.0f}, {1.0f, -1.0f, 1.0f}, {0.0f, 1.0f, 1.0f}};
  for (int i = 0; i < 2000; ++i)
    stacked.indices.insert(stacked.indices.end(), {0, 1, 2});
  model.structures.push_back(makeStructure("stacked", stacked));

  const Bvh bvh(model);
  EXPECT_EQ(bvh.triangleCount(), 2003u);
  const Bvh::Stats stats = bvh.stats();
  EXPECT_LE(stats.maxLeafTriangles, Bvh::kMaxLeafTriangles);
  EXPECT_LE(stats.maxDepth, 16u);

  // Rays through the degenerate ones (along their line and across their point).
  EXPECT_FALSE(bvh.intersect(Ray{{0.5f, 0.5f, -1.0f}, {0.0f, 0.0f, 1.0f}},
                             [](std::uint32_t s) { return s == 0; })
                   .has_value());
  EXPECT_FALSE(bvh.intersect(Ray{{-1.0f, -1.0f, 0.0f}, {1.0f, 1.0f, 0.0f}},
                             [](std::uint32_t s) { return s == 0; })
                   .has_value());
  const std::optional<RayHit> stackedHit =
      bvh.intersect(Ray{{0.0f, 0.0f, -1.0f}, {0.0f, 0.0f, 1.0f}});
  ASSERT_TRUE(stackedHit.has_value());
  EXPECT_EQ(stackedHit->structure, 1u);
  EXPECT_EQ(stackedHit->triangle, 0u); // equal distances: the lowest index wins
  EXPECT_NEAR(stackedHit->t, 2.0f, 1e-6f);

  std::mt19937 rng(17);
  Comparison result;
  ASSERT_NO_FATAL_FAILURE(
      expectMatchesBruteForce(model, bvh, raysFromOutside(rng, 300, 3.0f, 1.0f), result));
  EXPECT_GT(result.hits, 20);
}

TEST(Bvh, ExponentiallySpacedTrianglesKeepTheTreeWithinItsDepthLimit) {
  // Binned SAH peels only a few triangles off each side when spacing grows geometrically, the
  // worst case for depth. The traversal stack relies on the depth limit.
  Model model;
  MeshData mesh;
  for (int k = 0; k < 2000; ++k) {
    const float x = std::pow(1.04f, static_cast<float>(k)) * 1e-30f;
    const auto base = static_cast<std::uint32_t>(mesh.positions.size());
    mesh.positions.insert(mesh.positions.end(),
                          {{x, 0.0f, 0.0f}, {x, 1.0f, 0.0f}, {x, 0.0f, 1.0f}});
    mesh.indices.insert(mesh.indices.end(), {base, base + 1, base + 2});
  }
  model.structures.push_back(makeStructure("spread", mesh));
  const Bvh bvh(model);
  EXPECT_LE(bvh.stats().maxDepth, Bvh::kMaxDepth);

  // Along +x from the far left every ray meets the nearest triangle first.
  const std::optional<RayHit> first = bvh.intersect(Ray{{-1.0f, 0.25f, 0.25f}, {1.0f, 0.0f, 0.0f}});
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->triangle, 0u);

  std::mt19937 rng(43);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  std::vector<Ray> rays;
  for (int i = 0; i < 300; ++i) {
    const glm::vec3 origin(std::pow(1.04f, 2000.0f * unit(rng)) * 1e-30f, unit(rng), unit(rng));
    rays.push_back(Ray{origin, randomUnit(rng)});
  }
  Comparison result;
  ASSERT_NO_FATAL_FAILURE(expectMatchesBruteForce(model, bvh, rays, result));
  EXPECT_GT(result.hits, 100);
}

TEST(Bvh, SkipsNonFiniteTrianglesAndRays) {
  Model model;
  MeshData mesh = makeSphere(1.0f, 8, 16);
  const auto nanIndex = static_cast<std::uint32_t>(mesh.positions.size());
  mesh.positions.emplace_back(std::numeric_limits<float>::quiet_NaN(), 0.0f, 0.0f);
  mesh.indices.insert(mesh.indices.end(), {0, 1, nanIndex});
  model.structures.push_back(makeStructure("sphere", mesh));
  const Bvh bvh(model);
  EXPECT_EQ(bvh.triangleCount(), mesh.triangleCount() - 1);

  std::mt19937 rng(23);
  Comparison result;
  ASSERT_NO_FATAL_FAILURE(
      expectMatchesBruteForce(model, bvh, raysFromOutside(rng, 300, 3.0f, 0.5f), result));
  EXPECT_EQ(result.hits, 300);

  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_FALSE(bvh.intersect(Ray{{nan, 0.0f, -3.0f}, {0.0f, 0.0f, 1.0f}}).has_value());
  EXPECT_FALSE(bvh.intersect(Ray{{0.0f, 0.0f, -3.0f}, {0.0f, kInf, 1.0f}}).has_value());
}

TEST(Bvh, TreeIsWellFormed) {
  const Model model = makeShells(48);
  const Bvh bvh(model);
  const std::size_t triangles = countTriangles(model);
  EXPECT_EQ(bvh.triangleCount(), triangles);
  const Bvh::Stats stats = bvh.stats();
  EXPECT_LE(stats.maxLeafTriangles, Bvh::kMaxLeafTriangles);
  EXPECT_GE(stats.leaves * Bvh::kMaxLeafTriangles, triangles);
  EXPECT_EQ(bvh.nodeCount(), 2 * stats.leaves - 1); // a full binary tree
  EXPECT_LE(stats.maxDepth, 40u);
}

TEST(Bvh, TwoThreadBuildOfALargeModelMatchesBruteForce) {
  // Above the size where the build splits the root across two threads.
  const Model model = makeShells(75);
  ASSERT_GT(countTriangles(model), 60000u);
  const Bvh bvh(model);
  EXPECT_EQ(bvh.triangleCount(), countTriangles(model));
  EXPECT_EQ(bvh.nodeCount(), 2 * bvh.stats().leaves - 1);
  std::mt19937 rng(31);
  Comparison result;
  ASSERT_NO_FATAL_FAILURE(
      expectMatchesBruteForce(model, bvh, raysFromOutside(rng, 60, 2.5f, 0.5f), result));
  ASSERT_NO_FATAL_FAILURE(expectMatchesBruteForce(model, bvh, raysAnywhere(rng, 60, 1.0f), result));
  EXPECT_GT(result.hits, 90);
}

TEST(Bvh, ConcurrentQueriesGiveTheSameAnswers) {
  const Model model = makeShells(32);
  const Bvh bvh(model);
  std::mt19937 rng(41);
  const std::vector<Ray> rays = raysFromOutside(rng, 2000, 2.5f, 0.9f);
  const StructureFilter hideSkin = [](std::uint32_t s) { return s != 0; };
  std::vector<std::optional<RayHit>> serial;
  for (const Ray& ray : rays)
    serial.push_back(bvh.intersect(ray, hideSkin));

  std::vector<std::optional<RayHit>> a(rays.size()), b(rays.size());
  std::thread first([&] {
    for (std::size_t i = 0; i < rays.size(); ++i)
      a[i] = bvh.intersect(rays[i], hideSkin);
  });
  std::thread second([&] {
    for (std::size_t i = rays.size(); i-- > 0;)
      b[i] = bvh.intersect(rays[i], hideSkin);
  });
  first.join();
  second.join();
  for (std::size_t i = 0; i < rays.size(); ++i) {
    ASSERT_EQ(a[i].has_value(), serial[i].has_value());
    ASSERT_EQ(b[i].has_value(), serial[i].has_value());
    if (!serial[i]) continue;
    EXPECT_EQ(a[i]->triangle, serial[i]->triangle);
    EXPECT_EQ(b[i]->triangle, serial[i]->triangle);
    EXPECT_EQ(a[i]->t, serial[i]->t);
  }
}

} // namespace
} // namespace fascia
