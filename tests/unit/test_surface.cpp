// Surface points: exact closest points (checked against hand-worked cases and dense sampling),
// anchors, and pressing onto one structure through others.

#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>

#include <glm/geometric.hpp>
#include <gtest/gtest.h>

#include "fascia/surface.h"
#include "test_models.h"

namespace fascia {
namespace {

constexpr float kEps = 1e-5f;

MeshData oneTriangle(glm::vec3 a, glm::vec3 b, glm::vec3 c) {
  MeshData mesh;
  mesh.positions = {a, b, c};
  mesh.indices = {0, 1, 2};
  mesh.computeNormals();
  return mesh;
}

Structure makeStructure(std::string name, MeshData mesh) {
  Structure s;
  s.info.name = std::move(name);
  s.mesh = std::move(mesh);
  return s;
}

void expectNear(glm::vec3 actual, glm::vec3 expected, float tolerance = kEps) {
  EXPECT_NEAR(actual.x, expected.x, tolerance);
  EXPECT_NEAR(actual.y, expected.y, tolerance);
  EXPECT_NEAR(actual.z, expected.z, tolerance);
}

// ---------------------------------------------------------------------------------------------
// closestPointOnMesh

TEST(Surface, ClosestPointInEveryRegionOfATriangle) {
  const MeshData mesh = oneTriangle({0, 0, 0}, {1, 0, 0}, {0, 1, 0});
  struct Case {
    glm::vec3 query, expected;
  };
  const Case cases[] = {
      {{0.2f, 0.3f, 0.5f}, {0.2f, 0.3f, 0.0f}},   // face, above
      {{0.2f, 0.3f, -0.5f}, {0.2f, 0.3f, 0.0f}},  // face, below
      {{-1.0f, -1.0f, 0.3f}, {0.0f, 0.0f, 0.0f}}, // vertex a
      {{2.0f, -0.5f, 1.0f}, {1.0f, 0.0f, 0.0f}},  // vertex b
      {{-0.5f, 2.0f, 0.0f}, {0.0f, 1.0f, 0.0f}},  // vertex c
      {{0.5f, -1.0f, 0.0f}, {0.5f, 0.0f, 0.0f}},  // edge ab
      {{1.0f, 1.0f, 0.2f}, {0.5f, 0.5f, 0.0f}},   // edge bc
      {{-1.0f, 0.5f, 0.0f}, {0.0f, 0.5f, 0.0f}},  // edge ca
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::Message()
                 << "query " << c.query.x << ", " << c.query.y << ", " << c.query.z);
    const SurfacePoint p = closestPointOnMesh(mesh, c.query);
    EXPECT_EQ(p.triangle, 0u);
    expectNear(p.position, c.expected);
    const glm::vec3 fromBary = p.barycentric.x * mesh.positions[0] +
                               p.barycentric.y * mesh.positions[1] +
                               p.barycentric.z * mesh.positions[2];
    expectNear(fromBary, c.expected);
    EXPECT_NEAR(p.barycentric.x + p.barycentric.y + p.barycentric.z, 1.0f, kEps);
    expectNear(p.normal, {0, 0, 1});
  }
  const SurfacePoint face = closestPointOnMesh(mesh, {0.2f, 0.3f, 0.5f});
  expectNear(face.barycentric, {0.5f, 0.2f, 0.3f});
}

TEST(Surface, ClosestPointIsNoFartherThanAnySampledSurfacePoint) {
  const MeshData mesh = test::makeEllipsoid({0.2f, 0.4f, 0.1f}, 2, {0.05f, 1.0f, -0.02f});
  std::mt19937 random(7);
  std::uniform_real_distribution<float> coordinate(-0.6f, 0.6f);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  // A dense set of points on the surface: any one of them closer than the answer disproves it.
  std::vector<glm::vec3> samples;
  for (std::size_t t = 0; t < mesh.triangleCount(); ++t) {
    const glm::vec3 a = mesh.positions[mesh.indices[3 * t]];
    const glm::vec3 b = mesh.positions[mesh.indices[3 * t + 1]];
    const glm::vec3 c = mesh.positions[mesh.indices[3 * t + 2]];
    for (int i = 0; i < 12; ++i) {
      float u = unit(random), v = unit(random);
      if (u + v > 1.0f) u = 1.0f - u, v = 1.0f - v;
      samples.push_back(a + u * (b - a) + v * (c - a));
    }
  }
  for (int q = 0; q < 60; ++q) {
    const glm::vec3 query = glm::vec3(coordinate(random), coordinate(random), coordinate(random)) +
                            glm::vec3(0.05f, 1.0f, -0.02f);
    const SurfacePoint p = closestPointOnMesh(mesh, query);
    const float distance = glm::distance(p.position, query);
    for (const glm::vec3& s : samples) {
      ASSERT_LE(distance, glm::distance(s, query) + 1e-5f);
    }
    EXPECT_GE(p.barycentric.x, 0.0f);
    EXPECT_GE(p.barycentric.y, 0.0f);
    EXPECT_GE(p.barycentric.z, 0.0f);
    EXPECT_NEAR(glm::length(p.normal), 1.0f, 1e-4f);
  }
}

TEST(Surface, ClosestPointOnASphereHasTheOutwardNormal) {
  const MeshData sphere = test::makeIcosphere(3);
  for (const glm::vec3 direction : {glm::vec3(0, 0, 1), glm::vec3(0.3f, -0.8f, 0.2f)}) {
    const glm::vec3 d = glm::normalize(direction);
    const SurfacePoint outside = closestPointOnMesh(sphere, 2.0f * d);
    EXPECT_NEAR(glm::length(outside.position), 1.0f, 0.01f);
    EXPECT_GT(glm::dot(outside.normal, d), 0.99f);
    const SurfacePoint inside = closestPointOnMesh(sphere, 0.5f * d);
    EXPECT_GT(glm::dot(inside.position, d), 0.98f);
  }
}

TEST(Surface, DegenerateAndBrokenTrianglesAreHandled) {
  MeshData mesh;
  // A collinear sliver, a triangle with an out-of-range index, one with a NaN vertex, and a
  // proper triangle far away.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  mesh.positions = {{0, 0, 0},  {1, 0, 0},  {2, 0, 0}, {nan, 0, 0},
                    {10, 0, 0}, {11, 0, 0}, {10, 1, 0}};
  mesh.indices = {0, 1, 2, 0, 1, 99, 0, 3, 1, 4, 5, 6};
  const SurfacePoint onSliver = closestPointOnMesh(mesh, {1.5f, 1.0f, 0.0f});
  EXPECT_EQ(onSliver.triangle, 0u);
  expectNear(onSliver.position, {1.5f, 0.0f, 0.0f});
  EXPECT_TRUE(std::isfinite(onSliver.normal.x) && std::isfinite(onSliver.normal.y) &&
              std::isfinite(onSliver.normal.z));
  const SurfacePoint onProper = closestPointOnMesh(mesh, {10.2f, 0.2f, 3.0f});
  EXPECT_EQ(onProper.triangle, 3u);
  expectNear(onProper.position, {10.2f, 0.2f, 0.0f});
}

TEST(Surface, ClosestPointRejectsEmptyMeshesAndNonFiniteQueries) {
  EXPECT_THROW(closestPointOnMesh(MeshData{}, {0, 0, 0}), std::invalid_argument);
  const MeshData mesh = oneTriangle({0, 0, 0}, {1, 0, 0}, {0, 1, 0});
  EXPECT_THROW(closestPointOnMesh(mesh, {std::numeric_limits<float>::quiet_NaN(), 0, 0}),
               std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// pointFromAnchor

TEST(Surface, AnchorGivesBackTheClosestPoint) {
  const MeshData sphere = test::makeIcosphere(2);
  const SurfacePoint p = closestPointOnMesh(sphere, {0.4f, 0.7f, 0.9f});
  const auto again = pointFromAnchor(sphere, p.triangle, p.barycentric);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->triangle, p.triangle);
  expectNear(again->position, p.position);
  expectNear(again->normal, p.normal);
}

TEST(Surface, InvalidAnchorsGiveNothing) {
  const MeshData mesh = oneTriangle({0, 0, 0}, {1, 0, 0}, {0, 1, 0});
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_FALSE(pointFromAnchor(mesh, 1, {0.3f, 0.3f, 0.4f}));
  EXPECT_FALSE(pointFromAnchor(mesh, 4'000'000'000u, {0.3f, 0.3f, 0.4f}));
  EXPECT_FALSE(pointFromAnchor(mesh, 0, {nan, 0.5f, 0.5f}));
  EXPECT_FALSE(pointFromAnchor(mesh, 0, {inf, 0.0f, 0.0f}));
  EXPECT_FALSE(pointFromAnchor(mesh, 0, {2.0f, -1.0f, 0.0f})); // sums to 1, outside
  EXPECT_FALSE(pointFromAnchor(mesh, 0, {0.5f, 0.5f, 0.5f}));  // does not sum to 1
  EXPECT_FALSE(pointFromAnchor(MeshData{}, 0, {1.0f, 0.0f, 0.0f}));
  // Rounding-sized errors are forgiven.
  const auto nearly = pointFromAnchor(mesh, 0, {-1e-5f, 0.5f, 0.5f + 1e-5f});
  ASSERT_TRUE(nearly.has_value());
  EXPECT_GE(nearly->barycentric.x, 0.0f);
  expectNear(nearly->position, {0.5f, 0.5f, 0.0f});
}

// ---------------------------------------------------------------------------------------------
// placeOnStructure

/// Skin (radius 1) around a muscle (radius 0.5), both centred at the origin.
Model skinAndMuscle() {
  Model model;
  model.structures.push_back(makeStructure("skin", test::makeEllipsoid(glm::vec3(1.0f), 3)));
  model.structures.push_back(makeStructure("muscle", test::makeEllipsoid(glm::vec3(0.5f), 3)));
  return model;
}

TEST(Surface, PlaceOnStructureIgnoresOtherStructures) {
  const Model model = skinAndMuscle();
  // Pressing forward (+z) into the back: the point lands on the muscle's back, under the skin.
  const auto placed = placeOnStructure(model, 1, {0.0f, 0.0f, -0.55f}, {0.0f, 0.0f, 2.0f});
  ASSERT_TRUE(placed.has_value());
  EXPECT_NEAR(placed->position.z, -0.5f, 0.01f);
  EXPECT_NEAR(placed->position.x, 0.0f, 1e-4f);
  EXPECT_LT(placed->normal.z, -0.99f);
  // The anchor it gives leads back to the same point.
  const auto anchored =
      pointFromAnchor(model.structures[1].mesh, placed->triangle, placed->barycentric);
  ASSERT_TRUE(anchored.has_value());
  expectNear(anchored->position, placed->position, 1e-4f);
  // Given a point already inside the muscle, the 25 cm back-off still finds its surface.
  const auto fromInside = placeOnStructure(model, 1, {0.0f, 0.0f, -0.3f}, {0.0f, 0.0f, 1.0f});
  ASSERT_TRUE(fromInside.has_value());
  EXPECT_NEAR(fromInside->position.z, -0.5f, 0.01f);
  // The skin is hit where the ray meets it.
  const auto skin = placeOnStructure(model, 0, {0.0f, 0.0f, -1.0f}, {0.0f, 0.0f, 1.0f});
  ASSERT_TRUE(skin.has_value());
  EXPECT_NEAR(skin->position.z, -1.0f, 0.01f);
}

TEST(Surface, PlaceOnStructureMissesGiveNothing) {
  const Model model = skinAndMuscle();
  EXPECT_FALSE(placeOnStructure(model, 1, {0.8f, 0.0f, -0.55f}, {0, 0, 1})); // beside it
  EXPECT_FALSE(placeOnStructure(model, 1, {0.0f, 0.0f, -0.9f}, {0, 0, -1})); // pointing away
  EXPECT_FALSE(placeOnStructure(model, 2, {0.0f, 0.0f, -0.5f}, {0, 0, 1}));  // no such index
  EXPECT_FALSE(placeOnStructure(model, 1, {0.0f, 0.0f, -0.5f}, {0, 0, 0}));  // no direction
  EXPECT_FALSE(placeOnStructure(model, 1, {0.0f, 0.0f, -0.5f},
                                {0, 0, std::numeric_limits<float>::quiet_NaN()}));
}

} // namespace
} // namespace fascia
