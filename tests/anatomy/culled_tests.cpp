// The culled fields (tools/anatomy/culled.h) must give the same value, bit for bit, as the plain
// loops over all their parts that they replace: the builder's output, and so the committed
// model, must not depend on which parts a bound let it skip. Random parts and points, with
// values compared as bit patterns.

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "culled.h"
#include "mesh_ops.h"
#include "sdf.h"
#include "shapes.h"

namespace fascia::anatomy {
namespace {

bool sameBits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

/// The contract of below(p, limit): the exact value where it is under the limit, at least the
/// limit where it is not.
bool keepsBelowContract(float exact, float below, float limit) {
  return exact < limit ? sameBits(below, exact) : below >= limit;
}

class Random {
public:
  explicit Random(unsigned seed) : rng_(seed) {}
  float uniform(float lo, float hi) { return std::uniform_real_distribution<float>(lo, hi)(rng_); }
  glm::vec3 point(float r) { return {uniform(-r, r), uniform(-r, r), uniform(-r, r)}; }
  std::size_t below(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }

  /// A wandering tube of 2-7 knots, smoothed like the builder's (1-4 points per segment).
  Tube tube() {
    Tube t;
    glm::vec3 c = point(0.1f);
    const std::size_t knots = 2 + below(6);
    for (std::size_t i = 0; i < knots; ++i) {
      c += point(0.03f);
      t.points.push_back(c);
      t.radii.push_back(uniform(0.002f, 0.02f));
    }
    return smoothTube(t, 1 + static_cast<int>(below(4)));
  }

private:
  std::mt19937 rng_;
};

TEST(CulledFields, TubeBlendEqualsThePlainLoop) {
  Random r(1);
  int mismatches = 0, below = 0;
  for (int trial = 0; trial < 400; ++trial) {
    std::vector<Tube> tubes;
    for (std::size_t i = 0, n = 1 + r.below(12); i < n; ++i)
      tubes.push_back(r.tube());
    const float blend = trial % 3 == 0 ? 0.0f : r.uniform(0.002f, 0.02f);
    const TubeBlend field(tubes, blend);
    for (int q = 0; q < 200; ++q) {
      const glm::vec3 p = r.point(q % 2 == 0 ? 0.15f : 0.6f);
      const float start = q % 3 == 0 ? r.uniform(-0.02f, 0.05f) : 1.0e3f;
      float plain = start;
      for (const Tube& t : tubes)
        plain = smin(plain, t(p, 0.0f), blend);
      if (!sameBits(plain, field(p, start))) ++mismatches;
      // below(): exact under the limit, at least the limit above it.
      const float plainAlone = field(p);
      const float limit = r.uniform(-0.01f, 0.1f);
      const float got = field.below(p, limit);
      if (!keepsBelowContract(plainAlone, got, limit)) ++below;
    }
  }
  EXPECT_EQ(mismatches, 0);
  EXPECT_EQ(below, 0);
}

TEST(CulledFields, BlendedTubeEqualsTheTubesOwnBlend) {
  Random r(2);
  int mismatches = 0, widenedMismatches = 0, below = 0;
  for (int trial = 0; trial < 600; ++trial) {
    const Tube t = r.tube();
    const float blend = trial % 4 == 0 ? 0.0f : r.uniform(0.002f, 0.01f);
    const BlendedTube field(t, blend);
    std::vector<float> lateral, medial, backward;
    for (std::size_t i = 0; i < t.points.size(); ++i) {
      lateral.push_back(r.uniform(0.0f, 0.007f));
      medial.push_back(lateral.back() * 0.3f);
      backward.push_back(trial % 2 == 0 ? 0.0f : r.uniform(0.0f, 0.02f));
    }
    // Odd trials also deepen it towards -z (the back).
    const BlendedTube wide = trial % 2 == 0 ? BlendedTube(t, blend, lateral, medial)
                                            : BlendedTube(t, blend, lateral, medial, backward);
    for (int q = 0; q < 200; ++q) {
      const glm::vec3 p = r.point(q % 2 == 0 ? 0.15f : 0.6f);
      if (!sameBits(t(p, blend), field(p))) ++mismatches;
      // The widened tube against the stadium written out: each capsule's nearest point moved
      // towards p along x by up to the interpolated widths, and along -z by up to the
      // interpolated backward width, blended in order.
      float plain = std::numeric_limits<float>::max();
      for (std::size_t i = 0; i + 1 < t.points.size(); ++i) {
        const float s = segmentParam(p, t.points[i], t.points[i + 1]);
        glm::vec3 d = p - (t.points[i] + (t.points[i + 1] - t.points[i]) * s);
        d.x -=
            std::clamp(d.x, -mix(medial[i], medial[i + 1], s), mix(lateral[i], lateral[i + 1], s));
        d.z -= std::clamp(d.z, -mix(backward[i], backward[i + 1], s), 0.0f);
        plain = smin(plain, glm::length(d) - mix(t.radii[i], t.radii[i + 1], s), blend);
      }
      if (!sameBits(plain, wide(p))) ++widenedMismatches;
      const float limit = r.uniform(-0.01f, 0.1f);
      const float got = wide.below(p, limit);
      if (!keepsBelowContract(plain, got, limit)) ++below;
    }
  }
  EXPECT_EQ(mismatches, 0);
  EXPECT_EQ(widenedMismatches, 0);
  EXPECT_EQ(below, 0);
}

TEST(CulledFields, TriangleSetEqualsTheMinimumOverItsTriangles) {
  Random r(3);
  int mismatches = 0, below = 0;
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<TriangleSet::Triangle> triangles;
    glm::vec3 c = r.point(0.1f);
    for (std::size_t i = 0, n = 1 + r.below(120); i < n; ++i) {
      // A strip that wanders, as the builder's filler slabs do.
      const glm::vec3 a = c + r.point(0.03f);
      triangles.push_back({a, a + r.point(0.03f), a + r.point(0.03f)});
      c += r.point(0.01f);
    }
    const TriangleSet set(triangles);
    for (int q = 0; q < 200; ++q) {
      const glm::vec3 p = r.point(q % 2 == 0 ? 0.15f : 0.6f);
      float plain = 1.0e3f;
      for (const auto& t : triangles)
        plain = std::min(plain, udTriangle(p, t[0], t[1], t[2]));
      if (!sameBits(plain, set(p))) ++mismatches;
      const float limit = r.uniform(0.0f, 0.1f);
      const float got = set.below(p, limit);
      if (!keepsBelowContract(plain, got, limit)) ++below;
    }
  }
  EXPECT_EQ(mismatches, 0);
  EXPECT_EQ(below, 0);
}

TEST(CulledFields, Polygon2EqualsSdPolygon2) {
  Random r(4);
  int mismatches = 0;
  for (int trial = 0; trial < 600; ++trial) {
    // A wavy star outline of 3 to 120 vertices; every fifth one snapped to a 1 cm grid in y, so
    // that many vertices share a y (the edge cases of the crossing test).
    std::vector<glm::vec2> v;
    const std::size_t n = 3 + r.below(118);
    const float size = r.uniform(0.02f, 0.2f);
    for (std::size_t i = 0; i < n; ++i) {
      const float a = 6.2831853f * static_cast<float>(i) / static_cast<float>(n);
      const float radius = size * (0.6f + 0.4f * std::sin(3.0f * a + static_cast<float>(trial)));
      v.emplace_back(radius * std::cos(a) + r.uniform(-0.005f, 0.005f), radius * std::sin(a));
      if (trial % 5 == 0) v.back().y = std::round(v.back().y * 100.0f) / 100.0f;
    }
    const Polygon2 polygon(v);
    for (int q = 0; q < 200; ++q) {
      glm::vec2 p(r.uniform(-0.4f, 0.4f), r.uniform(-0.4f, 0.4f));
      if (q % 5 == 0) p.y = v[r.below(n)].y; // on a vertex's level
      if (!sameBits(sdPolygon2(p, v), polygon(p))) ++mismatches;
    }
  }
  EXPECT_EQ(mismatches, 0);
}

TEST(CulledFields, SignedPolylineDistanceTakesTheSideOfTheNearestSegment) {
  // An L: along +x, then up +y. Right of the direction is below the first leg and beyond the
  // second (x > 1).
  const std::vector<glm::vec2> line{{0.0f, 0.0f}, {1.0f, 0.0f}, {1.0f, 1.0f}};
  EXPECT_FLOAT_EQ(signedPolylineDistance({0.5f, -0.2f}, line), 0.2f);
  EXPECT_FLOAT_EQ(signedPolylineDistance({0.5f, 0.2f}, line), -0.2f);
  EXPECT_FLOAT_EQ(signedPolylineDistance({1.3f, 0.5f}, line), 0.3f);
  EXPECT_FLOAT_EQ(signedPolylineDistance({0.8f, 0.5f}, line), -0.2f);
  // Past the end the distance is to the last point, the side still the last segment's.
  EXPECT_FLOAT_EQ(signedPolylineDistance({2.0f, 2.0f}, line), std::sqrt(2.0f));
  EXPECT_FLOAT_EQ(signedPolylineDistance({0.0f, 2.0f}, line), -std::sqrt(2.0f));
}

TEST(CulledFields, DegeneratePartsGiveThePlainValues) {
  // A tube of one knot (no capsule), one with a repeated knot (a capsule of length 0), and a
  // flat polygon whose vertices all lie at one height, probed also from far above it.
  Tube single{{{0.0f, 0.0f, 0.0f}}, {0.01f}};
  Tube repeated{{{0.0f, 0.0f, 0.0f}, {0.0f, 0.0f, 0.0f}, {0.05f, 0.0f, 0.0f}},
                {0.01f, 0.01f, 0.02f}};
  const std::vector<Tube> tubes{single, repeated};
  const TubeBlend blend(tubes, 0.004f);
  const BlendedTube alone(repeated, 0.004f);
  const std::vector<glm::vec2> flat{{0.0f, 0.1f}, {0.1f, 0.1f}, {0.2f, 0.1f}};
  const Polygon2 polygon(flat);
  Random r(6);
  int mismatches = 0;
  for (int q = 0; q < 5000; ++q) {
    const glm::vec3 p = r.point(0.2f);
    float plain = 1.0e3f;
    for (const Tube& t : tubes)
      plain = smin(plain, t(p, 0.0f), 0.004f);
    mismatches += !sameBits(plain, blend(p)) + !sameBits(repeated(p, 0.004f), alone(p));
    const glm::vec2 q2(p.x, q % 2 == 0 ? 0.1f : p.y * 1.0e6f);
    mismatches += !sameBits(sdPolygon2(q2, flat), polygon(q2));
  }
  EXPECT_EQ(mismatches, 0);
  EXPECT_THROW(TriangleSet({}), std::invalid_argument);
  EXPECT_THROW(Polygon2({}), std::invalid_argument);
  EXPECT_THROW(BlendedTube(repeated, 0.004f, {0.01f}, {}), std::invalid_argument);
  const std::vector<float> widths(repeated.points.size(), 0.001f);
  EXPECT_THROW(BlendedTube(repeated, 0.004f, widths, widths, {0.01f}), std::invalid_argument);
  EXPECT_THROW(BlendedTube(repeated, 0.004f, {}, {}, widths), std::invalid_argument);
  const std::vector<float> negative(repeated.points.size(), -0.001f);
  EXPECT_THROW(BlendedTube(repeated, 0.004f, widths, widths, negative), std::invalid_argument);
}

TEST(CulledFields, BlurDoesNotDependOnTheThreadCount) {
  const Sdf sphere = [](const glm::vec3& p) { return glm::length(p) - 0.05f; };
  const Aabb box{glm::vec3(-0.08f), glm::vec3(0.08f)};
  GridField one(sphere, box, 0.004f, 1), three(sphere, box, 0.004f, 3);
  one.blur(4, 1);
  three.blur(4, 3);
  Random r(7);
  int mismatches = 0;
  for (int q = 0; q < 2000; ++q) {
    const glm::vec3 p = r.point(0.07f);
    mismatches += !sameBits(one(p), three(p));
  }
  EXPECT_EQ(mismatches, 0);
  // And it did blur: the sphere's surface moved inwards (a convex level set shrinks).
  EXPECT_GT(one(glm::vec3(0.05f, 0.0f, 0.0f)), 0.0f);
}

TEST(CulledFields, UnionOfCulledShapesEqualsTheUnionOfPlainOnes) {
  // The union asks culled shapes only for their value below what could change it.
  Random r(5);
  ShapeUnion culled(0.016f), plain(0.016f);
  for (int i = 0; i < 30; ++i) {
    std::vector<Tube> tubes;
    for (std::size_t k = 0, n = 1 + r.below(6); k < n; ++k)
      tubes.push_back(r.tube());
    const float blend = r.uniform(0.004f, 0.01f);
    Aabb box;
    for (const Tube& t : tubes)
      box.extend(t.bounds());
    culled.add(culledShape(TubeBlend(tubes, blend), box.padded(blend)));
    Shape s;
    s.box = box.padded(blend);
    s.f = [tubes, blend](const glm::vec3& p) {
      float d = 1.0e3f;
      for (const Tube& t : tubes)
        d = smin(d, t(p, 0.0f), blend);
      return d;
    };
    plain.add(s);
  }
  int mismatches = 0;
  for (int q = 0; q < 20000; ++q) {
    const glm::vec3 p = r.point(0.3f);
    if (!sameBits(culled(p), plain(p))) ++mismatches;
  }
  EXPECT_EQ(mismatches, 0);
}

TEST(CulledFields, FarSamplingKeepsTheGridExactNearTheSurface) {
  // The hull grid interpolates samples far outside (FarSampling): reads near the surface must
  // keep every bit, far reads stay close, fewer samples are evaluated, and the result does not
  // depend on the thread count.
  std::atomic<long> calls{0};
  const Sdf field = [&calls](const glm::vec3& p) {
    ++calls;
    return smin(glm::length(p - glm::vec3(-0.03f, 0.0f, 0.0f)) - 0.04f,
                glm::length(p - glm::vec3(0.05f, 0.02f, 0.01f)) - 0.03f, 0.01f);
  };
  // 104 samples a side: the last lattice cell (samples 100-103) is shorter than the others.
  const Aabb box{glm::vec3(-0.2f), glm::vec3(0.21f)};
  const float h = 0.004f;
  const GridField exact(field, box, h, 2);
  const long exactCalls = calls.exchange(0);
  const GridField sparse(field, box, h, 2, FarSampling{4, 0.05f});
  const long sparseCalls = calls.exchange(0);
  const GridField sparseOneThread(field, box, h, 1, FarSampling{4, 0.05f});
  EXPECT_LT(sparseCalls, exactCalls / 2);
  Random r(19);
  int nearMismatches = 0, farOff = 0, threadMismatches = 0, nearReads = 0, farReads = 0;
  for (int q = 0; q < 20000; ++q) {
    const glm::vec3 p = r.point(0.19f);
    const float d = field(p);
    if (d < 0.02f) {
      ++nearReads;
      nearMismatches += !sameBits(exact(p), sparse(p));
    } else if (d > 0.09f) {
      ++farReads;
      farOff += std::abs(exact(p) - sparse(p)) > 0.001f;
    }
    threadMismatches += !sameBits(sparse(p), sparseOneThread(p));
  }
  EXPECT_GT(nearReads, 500);
  EXPECT_GT(farReads, 5000);
  EXPECT_EQ(nearMismatches, 0);
  EXPECT_EQ(farOff, 0);
  EXPECT_EQ(threadMismatches, 0);
  // In the short last cell, and far reads are interpolated, not exact (the test would not see
  // a grid that ignored the setting).
  int lastCellOff = 0, farDiffer = 0;
  for (int q = 0; q < 2000; ++q) {
    const glm::vec3 last{r.uniform(0.197f, 0.21f), r.uniform(-0.19f, 0.19f),
                         r.uniform(-0.19f, 0.19f)};
    lastCellOff += std::abs(exact(last) - sparse(last)) > 0.001f;
    const glm::vec3 p = glm::vec3(0.15f, r.uniform(-0.15f, 0.15f), r.uniform(-0.15f, 0.15f));
    farDiffer += !sameBits(exact(p), sparse(p));
  }
  EXPECT_EQ(lastCellOff, 0);
  EXPECT_GT(farDiffer, 1000);
  // Interpolating from a cell that a surface could cross is refused.
  EXPECT_THROW(GridField(field, box, h, 2, FarSampling{4, 0.02f}), std::invalid_argument);
}

TEST(CulledFields, CheckEdgesCountsOpenAndDuplicatedEdges) {
  // A closed tetrahedron, then with one face missing, then with one face twice.
  TriMesh m;
  m.positions = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
  m.indices = {0, 2, 1, 0, 1, 3, 1, 2, 3, 0, 3, 2};
  EdgeReport r = checkEdges(m);
  EXPECT_EQ(r.edges, 12u);
  EXPECT_EQ(r.unpaired, 0u);
  EXPECT_EQ(r.duplicated, 0u);
  m.indices.resize(9);
  r = checkEdges(m);
  EXPECT_EQ(r.unpaired, 3u);
  EXPECT_EQ(r.duplicated, 0u);
  m.indices = {0, 2, 1, 0, 1, 3, 1, 2, 3, 0, 3, 2, 1, 2, 3};
  r = checkEdges(m);
  EXPECT_EQ(r.unpaired, 0u);
  EXPECT_EQ(r.duplicated, 3u);
}

} // namespace
} // namespace fascia::anatomy
