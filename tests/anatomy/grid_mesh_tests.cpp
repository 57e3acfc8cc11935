// The grid fields and mesh operations the builder's skin and fat rely on: the draped shell
// field (GridField::cover, a coarser copy of a grid), the closed bed of latissimus dorsi
// (GridField::close), the flips that turn the slivers simplification leaves (flipToDelaunay)
// and the splits of the edges whose normals it leaves astray (splitBentEdges).

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <glm/common.hpp>
#include <glm/geometric.hpp>
#include <glm/gtc/constants.hpp>
#include <glm/vector_relational.hpp>

#include "mesh_ops.h"
#include "sdf.h"

namespace fascia::anatomy {
namespace {

/// The shortest and the longest side of any triangle of m.
std::pair<float, float> edgeLengths(const TriMesh& m) {
  float shortest = std::numeric_limits<float>::max(), longest = 0.0f;
  for (std::size_t c = 0; c < m.indices.size(); ++c) {
    const float l =
        glm::length(m.positions[m.indices[c]] - m.positions[m.indices[c - c % 3 + (c + 1) % 3]]);
    shortest = std::min(shortest, l);
    longest = std::max(longest, l);
  }
  return {shortest, longest};
}

/// How many triangles of m face down (-z) or are flat, seen from above.
std::size_t facingDown(const TriMesh& m) {
  std::size_t down = 0;
  for (std::size_t t = 0; t < m.indices.size(); t += 3) {
    const glm::vec3 a = m.positions[m.indices[t]], b = m.positions[m.indices[t + 1]],
                    c = m.positions[m.indices[t + 2]];
    if (glm::cross(b - a, c - a).z <= 0.0f) ++down;
  }
  return down;
}

constexpr float kCoverStep = 0.004f, kCoverBand = 0.004f;

/// A floor (y < 0) with `feature` standing on it, sampled every 4 mm in box, and a copy
/// blurred as the draped shell field is (six passes), which takes a thin feature off.
std::pair<GridField, GridField> floorAndBlurred(const Sdf& feature, const Aabb& box) {
  const Sdf sharp = [feature](const glm::vec3& p) { return std::min(p.y, feature(p)); };
  GridField under(sharp, box, kCoverStep, 2);
  GridField blurred = under;
  blurred.blur(6, 2);
  return {std::move(under), std::move(blurred)};
}

// The draped shell field (builder.cpp, ShellField): a blurred field lowered by cover() must
// hold the sharp field's inside at every sample, with a lift that stays local and smooth.
TEST(GridField, CoverHoldsTheSharpFieldWithALocalSmoothLift) {
  // A thin wall standing 4 cm on the floor: the blur takes the wall off entirely and leaves
  // the floor as it was.
  const Aabb box{glm::vec3(-0.08f, -0.06f, -0.16f), glm::vec3(0.08f, 0.08f, 0.16f)};
  const auto [under, blurred] = floorAndBlurred(
      [](const glm::vec3& p) {
        return sdRoundBox(p, glm::vec3(0.0f, 0.02f, 0.0f), glm::vec3(0.03f, 0.02f, 0.002f), 0.0f);
      },
      box);
  const float h = kCoverStep, band = kCoverBand;
  GridField covered = blurred, coveredOnThree = blurred;
  const float rest = covered.cover(under, band, 2.5f, 9, 1);
  EXPECT_EQ(coveredOnThree.cover(under, band, 2.5f, 9, 3), rest);
  // Read at the samples themselves (the tricubic read returns a sample's value there).
  int needed = 0, uncovered = 0, threadMismatches = 0;
  for (float z = box.lo.z; z <= box.hi.z; z += h)
    for (float y = box.lo.y; y <= box.hi.y; y += h)
      for (float x = box.lo.x; x <= box.hi.x; x += h) {
        const glm::vec3 p(x, y, z);
        const float u = under(p);
        if (u > band) continue;
        const float most = std::max(u, -band) + 1.0e-6f;
        needed += blurred(p) > most;
        uncovered += covered(p) > most;
        threadMismatches += covered(p) != coveredOnThree(p);
      }
  EXPECT_GT(needed, 50) << "the blur must have taken the fin off for this test to mean anything";
  EXPECT_EQ(uncovered, 0);
  EXPECT_EQ(threadMismatches, 0);
  // Two rounds of lifting leave little to take off everywhere.
  EXPECT_GE(rest, 0.0f);
  EXPECT_LT(rest, 0.001f);
  // The wall's top is inside again ...
  const glm::vec3 top(0.0f, 0.038f, 0.0f);
  EXPECT_LT(covered(top), 0.0f);
  EXPECT_GT(blurred(top), 0.0f);
  // ... the floor 12 cm from the wall is left as blurred (but for the rest) ...
  const glm::vec3 farFloor(0.0f, 0.0f, 0.12f);
  EXPECT_NEAR(covered(farFloor), blurred(farFloor) - rest, 1.0e-6f);
  // ... and the lift is smooth: along a line past the fin its second difference stays small
  // against its size (a lift of the spread's plain maximum would jump by the full need).
  float largest = 0.0f, bend = 0.0f;
  const auto lift = [&](float x) {
    const glm::vec3 p(x, 0.045f, 0.0f);
    return blurred(p) - covered(p);
  };
  for (float x = -0.07f; x <= 0.07f; x += h) {
    largest = std::max(largest, lift(x));
    bend = std::max(bend, std::abs(lift(x - h) - 2.0f * lift(x) + lift(x + h)));
  }
  EXPECT_GT(largest, 0.004f);
  EXPECT_LT(bend, 0.05f * largest);
  EXPECT_THROW(covered.cover(GridField([](const glm::vec3& p) { return p.y; }, box, 2.0f * h, 1),
                             band, 2.5f, 9),
               std::invalid_argument);
}

// The lift cover() spreads is the same in every direction: a maximum over a cube, blurred,
// reached farther along the diagonals than along the axes, and the skin over the back showed
// the cube's straight edges as faint lines and a rectangle.
TEST(GridField, CoverLiftsAlikeInEveryDirection) {
  // A thin post 3 cm high on the floor: the blur takes the post off and the lift must put it
  // back, spreading round it.
  const Aabb box{glm::vec3(-0.12f, -0.05f, -0.12f), glm::vec3(0.12f, 0.07f, 0.12f)};
  const auto [under, blurred] = floorAndBlurred(
      [](const glm::vec3& p) {
        return sdRoundBox(p, glm::vec3(0.0f, 0.015f, 0.0f), glm::vec3(0.002f, 0.015f, 0.002f),
                          0.0f);
      },
      box);
  GridField covered = blurred;
  covered.cover(under, kCoverBand, 2.5f, 9, 2);
  // The lift on the floor round the post, along the x axis and along the diagonal, at the same
  // distances, 2, 4 and 6 cm (the points on the axis lie on samples; those on the diagonal are
  // read through the tricubic interpolation).
  const auto lift = [&](float x, float z) {
    const glm::vec3 p(x, 0.0f, z);
    return blurred(p) - covered(p);
  };
  for (float r : {0.02f, 0.04f, 0.06f}) {
    const float alongAxis = lift(r, 0.0f),
                alongDiagonal = lift(r / std::sqrt(2.0f), r / std::sqrt(2.0f));
    EXPECT_GT(alongAxis, 0.0f) << "r " << r;
    EXPECT_NEAR(alongDiagonal, alongAxis, 0.1f * alongAxis + 2.0e-5f) << "r " << r;
  }
  EXPECT_THROW(covered.cover(under, kCoverBand, 0.0f, 9), std::invalid_argument);
}

// Latissimus dorsi's bed (soft_tissue.cpp): a closing fills the foot of a step with a fillet
// of the radius asked for, leaves flat and convex surface where it was, and moves a sample only
// as far as its weight says.
TEST(GridField, CloseFillsTheFootOfAStepWithAFillet) {
  // A floor (y < 0) with a step 3 cm high on it for x >= 0, the same along z.
  const float stepHeight = 0.03f, radius = 0.05f;
  const Sdf step = [](const glm::vec3& p) {
    const float block =
        sdRoundBox(p, glm::vec3(0.25f, 0.015f, 0.0f), glm::vec3(0.25f, 0.015f, 1.0f), 0.0f);
    return std::min(p.y, block);
  };
  const Aabb box{glm::vec3(-0.12f, -0.04f, -0.03f), glm::vec3(0.12f, 0.12f, 0.03f)};
  const float h = 0.002f;
  const GridField open(step, box, h, 1);
  GridField closed = open, closedOnThree = open, half = open;
  closed.close(radius, {}, 1);
  closedOnThree.close(radius, {}, 3);
  half.close(
      radius, [](const glm::vec3& p) { return p.z < 0.0f ? 1.0f : 0.0f; }, 2);
  // Where the surface crosses the vertical line through (x, z), between y = -2 and 6 cm.
  const auto surfaceAt = [](const GridField& f, float x, float z) {
    float lo = -0.02f, hi = 0.06f;
    for (int i = 0; i < 40; ++i) {
      const float mid = 0.5f * (lo + hi);
      (f(glm::vec3(x, mid, z)) < 0.0f ? lo : hi) = mid;
    }
    return 0.5f * (lo + hi);
  };
  // The ball that rolls off the step's edge onto the floor stands, as it touches both, with its
  // centre at height `radius` and at this distance from the step's face.
  const float centre = -std::sqrt(radius * radius - (radius - stepHeight) * (radius - stepHeight));
  for (int i = 0; i < 8; ++i) {
    const float x = -0.04f + 0.005f * static_cast<float>(i);
    const float fillet = radius - std::sqrt(radius * radius - (x - centre) * (x - centre));
    EXPECT_NEAR(surfaceAt(closed, x, 0.0f), fillet, 0.2f * h) << "x = " << x;
    EXPECT_LT(surfaceAt(open, x, 0.0f), 0.5f * h) << "the step's foot was open before, x = " << x;
  }
  // Beyond the ball's reach the floor stays, and so does the step's top right to its edge.
  EXPECT_NEAR(surfaceAt(closed, -0.08f, 0.0f), 0.0f, 0.5f * h);
  EXPECT_NEAR(surfaceAt(closed, 0.002f, 0.0f), stepHeight, 0.5f * h);
  EXPECT_NEAR(surfaceAt(closed, 0.08f, 0.0f), stepHeight, 0.5f * h);
  // Samples are read back exactly at their own positions: compare whole planes of them (the
  // planes z = 0 and +-2 cm are sample planes: the box starts at z = -3 cm, h = 2 mm).
  int threadMismatches = 0, weightedOff = 0, weightedOn = 0;
  for (int j = 0; j <= 80; ++j)
    for (int i = 0; i <= 120; ++i) {
      const float x = box.lo.x + h * static_cast<float>(i),
                  y = box.lo.y + h * static_cast<float>(j);
      const glm::vec3 p(x, y, 0.0f), off(x, y, 0.02f), on(x, y, -0.02f);
      threadMismatches += closed(p) != closedOnThree(p);
      weightedOff += half(off) != open(off);
      weightedOn += half(on) != closed(on);
    }
  EXPECT_EQ(threadMismatches, 0);
  EXPECT_EQ(weightedOff, 0);
  EXPECT_EQ(weightedOn, 0);
  EXPECT_THROW(closed.close(0.0f), std::invalid_argument);
}

TEST(GridField, SubsampledGridKeepsTheSamplesItLandsOn) {
  // A field that differs along every axis, on a box of a different size along each, so that a
  // swapped or transposed index shows.
  const Sdf slope = [](const glm::vec3& p) { return p.x + 2.0f * p.y + 3.0f * p.z; };
  const Aabb box{glm::vec3(-0.08f, -0.05f, -0.03f), glm::vec3(0.081f, 0.06f, 0.035f)};
  const float h = 0.004f;
  const GridField fine(slope, box, h, 1);
  const GridField coarse(fine, 2);
  EXPECT_EQ(coarse.box().lo, fine.box().lo);
  // The coarse box ends on the last sample it keeps: lo + (n - 1) * 2h along each axis.
  const glm::vec3 samples = glm::floor((fine.box().hi - fine.box().lo) / h + 0.5f) + 1.0f;
  const glm::vec3 kept = glm::floor((samples - 1.0f) / 2.0f) + 1.0f;
  for (int axis = 0; axis < 3; ++axis)
    EXPECT_NEAR(coarse.box().hi[axis], fine.box().lo[axis] + (kept[axis] - 1.0f) * 2.0f * h,
                1.0e-6f)
        << "axis " << axis;
  int mismatches = 0, count = 0;
  for (int k = 0; k < static_cast<int>(kept.z); ++k)
    for (int j = 0; j < static_cast<int>(kept.y); ++j)
      for (int i = 0; i < static_cast<int>(kept.x); ++i, ++count) {
        const glm::vec3 p = box.lo + glm::vec3(static_cast<float>(i), static_cast<float>(j),
                                               static_cast<float>(k)) *
                                         (2.0f * h);
        mismatches += std::abs(coarse(p) - slope(p)) > 1.0e-6f;
      }
  EXPECT_EQ(mismatches, 0) << "of " << count;
  EXPECT_THROW(GridField(fine, 0), std::invalid_argument);
}

// polygonise (mesh_ops.h) evaluates the field at one lattice point in eight (those even on all
// three axes) in the blocks near the surface, and at the points between them only where those
// leave the sign undecided: a point is skipped where an even neighbour (within sqrt(3) h) reads
// more than 2 * 1.6 * sqrt(3) h + h, so no skipped point ends a crossing edge.
TEST(MeshOps, PolygoniseEvaluatesOnlyThePointsNearTheSurface) {
  const float r = 0.05f, h = 0.002f;
  const Aabb box{glm::vec3(-0.08f), glm::vec3(0.08f)};
  std::vector<glm::vec3> evaluated;
  const Sdf sphere = [&evaluated, r](const glm::vec3& p) {
    evaluated.push_back(p);
    return glm::length(p) - r;
  };
  const TriMesh m = polygonise(sphere, box, h, 1); // one thread: the log is not shared
  ASSERT_GT(m.triangleCount(), 1000u);
  const EdgeReport edges = checkEdges(m);
  EXPECT_EQ(edges.unpaired, 0u);
  EXPECT_EQ(edges.duplicated, 0u);
  // Each vertex is interpolated between two exact values (a placeholder of 1 at one end would
  // put it up to h off); values within 0.2 h of 0 are pushed to 0.2 h, which moves it less.
  float worst = 0.0f;
  for (const glm::vec3& p : m.positions)
    worst = std::max(worst, std::abs(glm::length(p) - r));
  EXPECT_LT(worst, 0.25f * h);

  // Points with an odd lattice coordinate are evaluated only within 2 * 1.6 * sqrt(3) h + h of
  // the surface plus the sqrt(3) h to their even neighbour: 8.3 h.
  // (Points next to the box's faces are always evaluated.)
  const int last = static_cast<int>(std::round((box.hi.x - box.lo.x) / h));
  std::size_t oddFar = 0, odd = 0;
  for (const glm::vec3& p : evaluated) {
    const glm::ivec3 q(glm::round((p - box.lo) / h));
    if (((q.x | q.y | q.z) & 1) == 0) continue;
    if (glm::any(glm::equal(q, glm::ivec3(1))) || glm::any(glm::equal(q, glm::ivec3(last - 1))))
      continue;
    ++odd;
    if (std::abs(glm::length(p) - r) > 8.3f * h) ++oddFar;
  }
  EXPECT_GT(odd, 0u);
  EXPECT_EQ(oddFar, 0u) << "of " << odd << " odd points evaluated";
  // All told, fewer than the lattice points within 8.3 h of the surface (the whole band the
  // near blocks cover, about 29 h thick, holds about 1.7 times as many).
  std::size_t withinReach = 0;
  const int n = static_cast<int>(std::round((box.hi.x - box.lo.x) / h));
  for (int k = 0; k <= n; ++k)
    for (int j = 0; j <= n; ++j)
      for (int i = 0; i <= n; ++i) {
        const glm::vec3 p = box.lo + glm::vec3(i, j, k) * h;
        withinReach += std::abs(glm::length(p) - r) <= 8.3f * h;
      }
  EXPECT_LT(evaluated.size(), withinReach) << withinReach << " lattice points within reach";
}

// The points polygonise skips cannot change the mesh: clamped to +-6 h, a field reads below
// every threshold, so no block is far and no point is skipped, while every edge the surface
// crosses (|f| up to sqrt(3) h at its ends) keeps its values; the two meshes must be the same
// to the bit. Also for a sphere the box cuts: there the surface also crosses the edges from
// the box's faces (raised to 0.25 h) to the points next to them, whatever their |f|, so those
// points are left unclamped, and polygonise must not skip them; nor the blocks on the faces
// inside the solid, or the cut would not be capped.
TEST(MeshOps, PolygoniseGivesTheMeshOfEveryPointEvaluated) {
  const float h = 0.002f;
  for (const glm::vec3 centre : {glm::vec3(0.0f), glm::vec3(0.0f, 0.07f, 0.01f)}) {
    const Sdf sphere = [centre](const glm::vec3& p) { return glm::length(p - centre) - 0.05f; };
    const Aabb box{glm::vec3(-0.08f), glm::vec3(0.08f)};
    const Sdf clamped = [sphere, h, box](const glm::vec3& p) {
      const glm::vec3 inside = glm::min(p - box.lo, box.hi - p);
      const bool nextToFace = std::min({inside.x, inside.y, inside.z}) < 1.5f * h;
      return nextToFace ? sphere(p) : std::clamp(sphere(p), -6.0f * h, 6.0f * h);
    };
    const TriMesh skipping = polygonise(sphere, box, h, 2);
    const TriMesh every = polygonise(clamped, box, h, 2);
    ASSERT_GT(skipping.triangleCount(), 1000u);
    EXPECT_EQ(skipping.indices, every.indices) << "sphere at y " << centre.y;
    ASSERT_EQ(skipping.positions.size(), every.positions.size()) << "sphere at y " << centre.y;
    std::size_t moved = 0;
    for (std::size_t i = 0; i < every.positions.size(); ++i)
      moved += skipping.positions[i] != every.positions[i] ? 1 : 0;
    EXPECT_EQ(moved, 0u) << "sphere at y " << centre.y;
    const EdgeReport edges = checkEdges(skipping);
    EXPECT_EQ(edges.unpaired, 0u) << "sphere at y " << centre.y;
    EXPECT_EQ(edges.duplicated, 0u) << "sphere at y " << centre.y;
  }
}

// Simplification leaves slivers; flipToDelaunay (mesh_ops.h) turns them into the Delaunay
// diagonals where the surface is flat enough, and never moves it more than allowed.
TEST(MeshOps, FlipToDelaunayTurnsSliversWithoutMovingTheSurface) {
  // A strip of 8 unit squares triangulated as two fans from opposite corners: all slivers.
  TriMesh strip;
  for (int row = 0; row < 2; ++row)
    for (int i = 0; i <= 8; ++i)
      strip.positions.emplace_back(static_cast<float>(i), static_cast<float>(row), 0.0f);
  const auto top = [](std::uint32_t i) { return 9 + i; };
  for (std::uint32_t i = 0; i < 8; ++i)
    strip.indices.insert(strip.indices.end(), {0, top(i + 1), top(i)});
  for (std::uint32_t i = 0; i < 8; ++i)
    strip.indices.insert(strip.indices.end(), {top(8), i, i + 1});
  EXPECT_GT(edgeLengths(strip).second, 8.0f);
  const TriMesh before = strip;
  EXPECT_GT(flipToDelaunay(strip, 1.0e-3f), 0u);
  EXPECT_LT(edgeLengths(strip).second, 1.5f); // every square has its own diagonal
  EXPECT_EQ(strip.positions, before.positions);
  EXPECT_EQ(strip.triangleCount(), before.triangleCount());
  const EdgeReport r = checkEdges(strip);
  EXPECT_EQ(r.unpaired, checkEdges(before).unpaired); // the border is kept
  EXPECT_EQ(r.duplicated, 0u);
  for (std::size_t t = 0; t < strip.indices.size(); t += 3) {
    const glm::vec3 a = strip.positions[strip.indices[t]],
                    b = strip.positions[strip.indices[t + 1]],
                    c = strip.positions[strip.indices[t + 2]];
    EXPECT_GT(glm::cross(b - a, c - a).z, 0.0f) << "triangle " << t / 3 << " turned over";
  }
  // A quad folded 1 cm along its long diagonal: the Delaunay flip would move the surface by
  // that much, so it is made only when that is allowed.
  TriMesh roof;
  roof.positions = {
      {0.0f, 0.0f, 0.0f}, {0.1f, 0.0f, 0.0f}, {0.05f, 0.01f, 0.01f}, {0.05f, -0.01f, 0.01f}};
  roof.indices = {0, 1, 2, 1, 0, 3};
  TriMesh allowed = roof;
  EXPECT_EQ(flipToDelaunay(roof, 0.001f), 0u);
  EXPECT_EQ(roof.indices, allowed.indices);
  EXPECT_EQ(flipToDelaunay(allowed, 0.02f), 1u);
  // A flat rhombus closed by a bottom face: the top's long diagonal would flip to the short
  // one, which the bottom already has, so nothing flips (the mesh would have a doubled edge).
  TriMesh pillow;
  pillow.positions = {
      {-1.0f, 0.0f, 0.0f}, {1.0f, 0.0f, 0.0f}, {0.0f, 0.5f, 0.0f}, {0.0f, -0.5f, 0.0f}};
  pillow.indices = {0, 1, 2, 1, 0, 3, 2, 1, 3, 3, 0, 2};
  ASSERT_EQ(checkEdges(pillow).unpaired, 0u);
  EXPECT_EQ(flipToDelaunay(pillow, 1.0f), 0u);
  EXPECT_EQ(checkEdges(pillow).duplicated, 0u);
  // The same top alone (open) does flip.
  TriMesh open = pillow;
  open.indices.resize(6);
  EXPECT_EQ(flipToDelaunay(open, 1.0f), 1u);
  // A strip flipped once more changes nothing: every edge is Delaunay or may not move.
  EXPECT_EQ(flipToDelaunay(strip, 1.0e-3f), 0u);
  // A sliver along a line of corners: its third corner 0.1 mm beside the middle of its 10 cm
  // edge and 0.5 mm out of the plane (0.6 degrees off the edge), so its own normal turns 79
  // degrees from the surface's. Its direction means nothing, so only the broad triangle
  // across the edge is compared: the flip is made (the surface moves by the 0.5 mm).
  TriMesh line;
  line.positions = {
      {0.0f, 0.0f, 0.0f}, {0.1f, 0.0f, 0.0f}, {0.05f, 1.0e-4f, 5.0e-4f}, {0.05f, -0.05f, 0.0f}};
  line.indices = {0, 1, 2, 1, 0, 3};
  EXPECT_EQ(flipToDelaunay(line, 0.002f), 1u);
  EXPECT_EQ(line.indices, std::vector<std::uint32_t>({0, 3, 2, 3, 1, 2}));
  // Two slivers across one edge: nothing to compare the new pair with, so nothing flips.
  TriMesh both = line;
  both.positions[3] = {0.05f, -1.0e-4f, 5.0e-4f};
  both.indices = {0, 1, 2, 1, 0, 3};
  EXPECT_EQ(flipToDelaunay(both, 0.002f), 0u);
}

// Moving the corners of a sliver onto the field one by one can carry its third corner across its
// long edge: the sliver then faces into the body, folded over its neighbour (the bundled model
// had 1,906 such triangles, 162 on the skin). unfoldSlivers flips that edge where the pair it
// makes faces the right way.
TEST(MeshOps, UnfoldSliversFlipsTheLongEdgeOfAFoldedSliver) {
  const glm::vec3 up(0.0f, 0.0f, 1.0f);
  const auto facesUp = [&](const TriMesh& m) {
    for (std::size_t t = 0; t < m.indices.size(); t += 3) {
      const glm::vec3 a = m.positions[m.indices[t]], b = m.positions[m.indices[t + 1]],
                      c = m.positions[m.indices[t + 2]];
      if (glm::dot(glm::cross(b - a, c - a), up) <= 0.0f) return false;
    }
    return true;
  };
  // a b is the long edge; c crossed it by 1 mm into the neighbour a b d, on d's side of it.
  TriMesh folded;
  folded.positions = {
      {0.0f, 0.0f, 0.0f}, {1.0f, 0.0f, 0.0f}, {0.5f, -0.001f, 0.0f}, {0.5f, -0.5f, 0.0f}};
  folded.normals.assign(4, up);
  folded.indices = {0, 1, 2, 1, 0, 3};
  ASSERT_FALSE(facesUp(folded));
  TriMesh m = folded;
  EXPECT_EQ(unfoldSlivers(m), 1u);
  EXPECT_TRUE(facesUp(m));
  EXPECT_EQ(m.positions, folded.positions);
  EXPECT_EQ(checkEdges(m).duplicated, 0u);
  EXPECT_EQ(checkEdges(m).unpaired, checkEdges(folded).unpaired);
  EXPECT_EQ(unfoldSlivers(m), 0u); // nothing left to unfold
  // Alone, with no neighbour across any edge, the sliver stays as it is.
  TriMesh alone = folded;
  alone.indices.resize(3);
  EXPECT_EQ(unfoldSlivers(alone), 0u);
  EXPECT_EQ(alone.indices, std::vector<std::uint32_t>({0, 1, 2}));
  // With d far above the plane the new pair would turn more than 60 degrees from the normals,
  // so nothing flips.
  TriMesh steep = folded;
  steep.positions[3].z = 2.0f;
  EXPECT_EQ(unfoldSlivers(steep), 0u);
  EXPECT_EQ(steep.indices, folded.indices);
  // With a third triangle on a b (a non-manifold edge) there is no one neighbour to flip with.
  TriMesh fin = folded;
  fin.positions.push_back({0.5f, 0.0f, 0.5f});
  fin.normals.push_back(up);
  fin.indices.insert(fin.indices.end(), {0, 1, 4});
  EXPECT_EQ(unfoldSlivers(fin), 0u);
  EXPECT_EQ(fin.indices, std::vector<std::uint32_t>({0, 1, 2, 1, 0, 3, 0, 1, 4}));
}

// Projecting corners onto a field one by one can land two of them next to each other (the
// skin had a 0.016 mm side between two needles 11-24 mm long). collapseShortEdges merges them
// where the mesh stays manifold, and leaves a border's short edges alone.
TEST(MeshOps, CollapseShortEdgesMergesCornersThatLandTogether) {
  // A 4 x 4 grid of corners 1 cm apart on the plane z = 0, each square split along the same
  // diagonal: 18 triangles, the four middle corners inside.
  TriMesh grid;
  for (int j = 0; j < 4; ++j)
    for (int i = 0; i < 4; ++i)
      grid.positions.push_back(
          {0.01f * static_cast<float>(i), 0.01f * static_cast<float>(j), 0.0f});
  for (std::uint32_t j = 0; j < 3; ++j)
    for (std::uint32_t i = 0; i < 3; ++i) {
      const std::uint32_t a = 4 * j + i;
      grid.indices.insert(grid.indices.end(), {a, a + 1, a + 5, a, a + 5, a + 4});
    }
  grid.normals.assign(grid.positions.size(), glm::vec3(0.0f, 0.0f, 1.0f));
  TriMesh m = grid;
  EXPECT_EQ(collapseShortEdges(m, 5.0e-5f), 0u); // nothing short
  EXPECT_EQ(m.indices, grid.indices);
  // Inner corner 6 carried to 0.01 mm from inner corner 5.
  m.positions[6] = m.positions[5] + glm::vec3(1.0e-5f, 0.0f, 0.0f);
  EXPECT_EQ(collapseShortEdges(m, 5.0e-5f), 1u);
  EXPECT_EQ(m.triangleCount(), 16u);
  EXPECT_EQ(m.positions.size(), 15u);
  EXPECT_EQ(m.normals.size(), 15u);
  EXPECT_GT(edgeLengths(m).first, 0.009f);
  const EdgeReport edges = checkEdges(m);
  EXPECT_EQ(edges.duplicated, 0u);
  EXPECT_EQ(edges.unpaired, 12u); // the grid's border, as before
  // The corner that stays keeps its position, and fibres follow the vertices.
  EXPECT_EQ(m.positions[5], grid.positions[5]);
  TriMesh withFibres = grid;
  withFibres.fibres.assign(grid.positions.size(), glm::vec3(1.0f, 0.0f, 0.0f));
  withFibres.positions[6] = withFibres.positions[5] + glm::vec3(1.0e-5f, 0.0f, 0.0f);
  EXPECT_EQ(collapseShortEdges(withFibres, 5.0e-5f), 1u);
  EXPECT_EQ(withFibres.fibres.size(), 15u);
  // Two short edges whose corners are neighbours: one pass puts the second off, the next one
  // collapses it.
  TriMesh two = grid;
  two.positions[6] = two.positions[5] + glm::vec3(1.0e-5f, 0.0f, 0.0f);
  two.positions[10] = two.positions[9] + glm::vec3(1.0e-5f, 0.0f, 0.0f);
  EXPECT_EQ(collapseShortEdges(two, 5.0e-5f), 2u);
  EXPECT_EQ(two.triangleCount(), 14u);
  EXPECT_EQ(two.positions.size(), 14u);
  EXPECT_EQ(checkEdges(two).duplicated, 0u);
  EXPECT_EQ(checkEdges(two).unpaired, 12u);
  // Border corner 1 carried to 0.01 mm from border corner 0: a border's edge stays; so does an
  // inner edge with a corner on the border (inner corner 5 carried next to border corner 1).
  TriMesh border = grid;
  border.positions[1] = border.positions[0] + glm::vec3(1.0e-5f, 0.0f, 0.0f);
  EXPECT_EQ(collapseShortEdges(border, 5.0e-5f), 0u);
  EXPECT_EQ(border.indices, grid.indices);
  TriMesh toBorder = grid;
  toBorder.positions[5] = toBorder.positions[1] + glm::vec3(0.0f, 1.0e-5f, 0.0f);
  EXPECT_EQ(collapseShortEdges(toBorder, 5.0e-5f), 0u);
  EXPECT_EQ(toBorder.indices, grid.indices);
}

// Two corners that share a third neighbour besides the two opposite their edge: merging them
// would pinch the mesh (two triangles on one edge twice over), so the edge stays. A closed
// triangular bipyramid, two of its equator corners 0.01 mm apart.
TEST(MeshOps, CollapseShortEdgesLeavesAnEdgeWhoseCollapseWouldPinch) {
  TriMesh m;
  m.positions = {{0.0f, 0.0f, 1.0f},
                 {0.0f, 0.0f, -1.0f},
                 {1.0f, 0.0f, 0.0f},
                 {1.00001f, 0.0f, 0.0f},
                 {-0.5f, 0.87f, 0.0f}};
  m.indices = {0, 2, 3, 0, 3, 4, 0, 4, 2, 1, 3, 2, 1, 4, 3, 1, 2, 4};
  m.normals.assign(m.positions.size(), glm::vec3(0.0f, 0.0f, 1.0f));
  const std::vector<std::uint32_t> before = m.indices;
  EXPECT_EQ(collapseShortEdges(m, 5.0e-5f), 0u);
  EXPECT_EQ(m.indices, before);
}

// A corner of a long sliver can lie as close to the far side of its neighbour as to the corner
// it would merge with. Here merging corner 1 into corner 0 would turn the triangle 1 2 3 over
// (0 lies beyond the line from 2 to 3), and merging 0 into 1 the triangle 0 8 2: the edge
// stays. (Without the check, 1 merged into 0 and one of the seven triangles faced down.)
TEST(MeshOps, CollapseShortEdgesTurnsNoTriangleOver) {
  constexpr float s = 4.0e-5f;
  TriMesh m;
  for (const glm::vec2 q : {glm::vec2(1.0f, 0.0f), glm::vec2(0.0f, 0.0f), glm::vec2(0.5f, 0.1f),
                            glm::vec2(0.3f, 0.52f), glm::vec2(-1.0f, 0.5f), glm::vec2(-0.5f, -1.0f),
                            glm::vec2(0.5f, -0.5f), glm::vec2(1.5f, -1.0f), glm::vec2(1.8f, 0.8f)})
    m.positions.emplace_back(s * q.x, s * q.y, 0.0f);
  m.indices = {1, 0, 2, 1, 2, 3, 1, 3, 4, 1, 4, 5, 1, 5, 6, 1, 6, 0, 0, 8, 2, 0, 6, 7, 0, 7, 8};
  m.normals.assign(m.positions.size(), glm::vec3(0.0f, 0.0f, 1.0f));
  ASSERT_EQ(facingDown(m), 0u);
  // Only the edge 0-1 (0.04 mm) is shorter than 0.045 mm; corners 0 and 1 are the only two
  // not on the border.
  const std::vector<std::uint32_t> before = m.indices;
  EXPECT_EQ(collapseShortEdges(m, 4.5e-5f), 0u);
  EXPECT_EQ(m.indices, before);
  // With corner 8 moved in, only merging 1 into 0 turns a triangle over: 0 merges into 1.
  m.positions[8] = s * glm::vec3(1.0f, 0.1f, 0.0f);
  ASSERT_EQ(facingDown(m), 0u);
  EXPECT_EQ(collapseShortEdges(m, 4.5e-5f), 1u);
  EXPECT_EQ(m.triangleCount(), 7u);
  EXPECT_EQ(facingDown(m), 0u);
}

// A corner carried across a chain of nearly collinear slivers folds a triangle that no flip of
// one edge unfolds; relaxFoldedCorners moves it back into the fan of its neighbours.
TEST(MeshOps, RelaxFoldedCornersMovesAFoldedCornerBackIntoItsFan) {
  const Sdf plane = [](const glm::vec3& p) { return p.z; };
  const glm::vec3 up(0.0f, 0.0f, 1.0f);
  const auto facingUp = [&](const TriMesh& m) {
    std::size_t n = 0;
    for (std::size_t t = 0; t < m.indices.size(); t += 3) {
      const glm::vec3 a = m.positions[m.indices[t]], b = m.positions[m.indices[t + 1]],
                      c = m.positions[m.indices[t + 2]];
      if (glm::dot(glm::cross(b - a, c - a), up) > 0.0f) ++n;
    }
    return n;
  };
  // A fan of six triangles round vertex 0 on the plane z = 0, its centre carried out to
  // x = 1.6, 0.6 past the ring (and 3 mm off the plane), so that two of the six face down.
  TriMesh fan;
  fan.positions.push_back({1.6f, 0.1f, 0.003f});
  for (int i = 0; i < 6; ++i) {
    const float a = static_cast<float>(i) * 3.14159265f / 3.0f;
    fan.positions.push_back({std::cos(a), std::sin(a), 0.0f});
  }
  for (std::uint32_t i = 0; i < 6; ++i)
    fan.indices.insert(fan.indices.end(), {0u, 1u + i, 1u + (i + 1) % 6});
  fan.normals.assign(fan.positions.size(), up);
  ASSERT_LT(facingUp(fan), 6u);
  TriMesh m = fan;
  EXPECT_EQ(relaxFoldedCorners(m, plane), 1u);
  EXPECT_EQ(facingUp(m), 6u);
  EXPECT_LT(glm::length(m.positions[0]), 1.0e-5f); // the centroid of the ring, on the plane
  EXPECT_EQ(m.indices, fan.indices);
  EXPECT_EQ(std::vector<glm::vec3>(m.positions.begin() + 1, m.positions.end()),
            std::vector<glm::vec3>(fan.positions.begin() + 1, fan.positions.end()));
  EXPECT_EQ(relaxFoldedCorners(m, plane), 0u); // nothing left to move
  // A lone folded triangle: each corner's neighbours are the other two, whose midpoint would
  // make it degenerate, so it stays as it is, its normals too (tilted, unlike the plane's
  // gradient, so that a move tried and undone would show).
  TriMesh alone;
  alone.positions = {{0.0f, 0.0f, 0.0f}, {0.0f, 1.0f, 0.0f}, {1.0f, 0.0f, 0.0f}};
  alone.normals.assign(3, glm::normalize(glm::vec3(0.2f, 0.1f, 1.0f)));
  alone.indices = {0, 1, 2};
  ASSERT_EQ(facingUp(alone), 0u);
  const TriMesh before = alone;
  EXPECT_EQ(relaxFoldedCorners(alone, plane), 0u);
  EXPECT_EQ(alone.positions, before.positions);
  EXPECT_EQ(alone.normals, before.normals);
}

// Where several neighbouring corners crossed their neighbours together (on the skin, a corner
// carried across a fan of slivers that all start at one vertex), moving any one corner back
// into its fan leaves another triangle folded; relaxFoldedPatches lays the whole patch out
// again, as a net of centroids with its rim held.
TEST(MeshOps, RelaxFoldedPatchesIronsOutAFoldThatNoCornerMoveUndoes) {
  const Sdf plane = [](const glm::vec3& p) { return p.z; };
  // A 21 x 21 grid of corners 1 cm apart on the plane z = 0, each square split along the same
  // diagonal, its middle 2 x 2 corners carried 2.6 cm along x and 0.4 cm along y (the patches
  // tried, up to 4 times the fold's longest side, end well inside the grid's border).
  constexpr std::uint32_t n = 21;
  TriMesh grid;
  for (std::uint32_t j = 0; j < n; ++j)
    for (std::uint32_t i = 0; i < n; ++i)
      grid.positions.push_back(
          {0.01f * static_cast<float>(i), 0.01f * static_cast<float>(j), 0.0f});
  for (std::uint32_t j = 0; j + 1 < n; ++j)
    for (std::uint32_t i = 0; i + 1 < n; ++i) {
      const std::uint32_t a = n * j + i;
      grid.indices.insert(grid.indices.end(), {a, a + 1, a + n + 1, a, a + n + 1, a + n});
    }
  grid.normals.assign(grid.positions.size(), glm::vec3(0.0f, 0.0f, 1.0f));
  TriMesh folded = grid;
  for (std::uint32_t v : {n * 10 + 9, n * 10 + 10, n * 11 + 9, n * 11 + 10})
    folded.positions[v] += glm::vec3(0.026f, 0.004f, 0.0f);
  ASSERT_GT(facingDown(folded), 0u);
  // No single corner's move undoes it.
  TriMesh corners = folded;
  relaxFoldedCorners(corners, plane);
  ASSERT_GT(facingDown(corners), 0u);
  TriMesh m = corners;
  EXPECT_GE(relaxFoldedPatches(m, plane), 1u);
  EXPECT_EQ(facingDown(m), 0u);
  EXPECT_EQ(m.indices, grid.indices);
  // Every corner stays on the plane, and those more than 6 cm from the fold (the largest patch)
  // where they were.
  for (std::size_t v = 0; v < m.positions.size(); ++v) {
    EXPECT_NEAR(m.positions[v].z, 0.0f, 1.0e-6f);
    if (glm::distance(grid.positions[v], glm::vec3(0.11f, 0.105f, 0.0f)) > 0.08f) {
      EXPECT_EQ(m.positions[v], corners.positions[v]);
    }
  }
  EXPECT_EQ(relaxFoldedPatches(m, plane), 0u); // nothing left folded
  // The grid as it was is left alone.
  TriMesh flat = grid;
  EXPECT_EQ(relaxFoldedPatches(flat, plane), 0u);
  EXPECT_EQ(flat.positions, grid.positions);
  // A lone folded triangle has only border corners: there is no patch to move, and it stays.
  TriMesh alone;
  alone.positions = {{0.0f, 0.0f, 0.0f}, {0.0f, 0.01f, 0.0f}, {0.01f, 0.0f, 0.0f}};
  alone.normals.assign(3, glm::vec3(0.0f, 0.0f, 1.0f));
  alone.indices = {0, 1, 2};
  ASSERT_EQ(facingDown(alone), 1u);
  EXPECT_EQ(relaxFoldedPatches(alone, plane), 0u);
  EXPECT_EQ(alone.positions,
            (std::vector<glm::vec3>{{0.0f, 0.0f, 0.0f}, {0.0f, 0.01f, 0.0f}, {0.01f, 0.0f, 0.0f}}));
}

// Simplification bounds only the distance to the surface, so on a broad, gently curved surface
// it leaves triangles centimetres long whose linearly interpolated normals stray from the
// surface's by degrees (on the skin they shaded as faint straight lines): splitBentEdges splits
// them until none strays by more than the bound.
// A sliver lying along a bent edge: splitting the edge would put a corner right beside the
// sliver's third corner, and split in turn, pass after pass, such slivers became ladders of
// corners a few hundredths of a millimetre apart, which showed as specks in the skin.
TEST(MeshOps, SplitBentEdgesLeavesTheLongEdgeOfASliver) {
  const glm::vec3 radii(0.12f, 0.06f, 0.03f);
  const Sdf f = [radii](const glm::vec3& p) { return (glm::length(p / radii) - 1.0f) * radii.z; };
  const auto on = [&](float x, float y) {
    const float u = x / radii.x, v = y / radii.y;
    return glm::vec3(x, y, radii.z * std::sqrt(1.0f - u * u - v * v));
  };
  // a b (5 cm) bends: its midpoint's normal strays 2.3 degrees from the mean of its ends'. c
  // lies 0.4 mm beside its middle (under a tenth of minLength), d 2 cm away on the other side;
  // both triangles face out.
  TriMesh m;
  m.positions = {on(0.05f, 0.0f), on(0.10f, 0.0f), on(0.075f, 0.0004f), on(0.075f, -0.02f)};
  m.indices = {0, 1, 2, 1, 0, 3};
  const float bound = 1.0f * glm::pi<float>() / 180.0f;
  // Room for one split of an edge between two triangles: a b is the worst, and without the
  // sliver beside it, it is the one split.
  TriMesh sliver = m;
  splitBentEdges(sliver, f, bound, 0.008f, 4, 2.5e-4f);
  for (std::size_t i = 4; i < sliver.positions.size(); ++i)
    EXPECT_GT(glm::distance(sliver.positions[i], on(0.075f, 0.0f)), 0.005f);
  TriMesh wide = m;
  wide.positions[2] = on(0.075f, 0.02f);
  EXPECT_EQ(splitBentEdges(wide, f, bound, 0.008f, 4, 2.5e-4f), 1u);
  ASSERT_EQ(wide.positions.size(), 5u);
  EXPECT_LT(glm::distance(wide.positions[4], on(0.075f, 0.0f)), 0.001f);
}

TEST(MeshOps, SplitBentEdgesBringsInterpolatedNormalsWithinTheBound) {
  // An ellipsoid 24 x 12 x 6 cm (its curvature changes along every edge, unlike a sphere's),
  // scaled so that its slope stays at most 1.
  const glm::vec3 radii(0.12f, 0.06f, 0.03f);
  const Sdf f = [radii](const glm::vec3& p) { return (glm::length(p / radii) - 1.0f) * radii.z; };
  const Aabb box{-radii - glm::vec3(0.01f), radii + glm::vec3(0.01f)};
  TriMesh m = polygonise(f, box, 0.004f, 1);
  simplify(m, 1500, 0.004f);
  const float bound = 1.0f * glm::pi<float>() / 180.0f, minLength = 0.008f, step = 2.5e-4f;
  // Edges longer than minLength whose midpoint, moved onto the surface, has a normal more than
  // `bound` from the normalised mean of its ends' normals, and the largest such angle.
  struct Stray {
    int edges = 0;
    float worst = 0.0f;
  };
  const auto strayEdges = [&](const TriMesh& mesh) {
    TriMesh shaded = mesh;
    projectAndShade(shaded, f, step);
    Stray stray;
    for (std::size_t t = 0; t < shaded.indices.size(); ++t) {
      const std::uint32_t a = shaded.indices[t], b = shaded.indices[t - t % 3 + (t + 1) % 3];
      if (a > b || glm::distance(shaded.positions[a], shaded.positions[b]) <= minLength) continue;
      glm::vec3 mid = 0.5f * (shaded.positions[a] + shaded.positions[b]);
      for (int i = 0; i < 4; ++i) {
        const glm::vec3 g = gradient(f, mid, step);
        mid -= g * (f(mid) / glm::dot(g, g));
      }
      const glm::vec3 n = glm::normalize(gradient(f, mid, step));
      const glm::vec3 mean = glm::normalize(shaded.normals[a] + shaded.normals[b]);
      const float angle = std::acos(std::clamp(glm::dot(n, mean), -1.0f, 1.0f));
      // A hair over the bound: the builder moves a midpoint onto the surface by one step.
      stray.edges += angle > 1.02f * bound;
      stray.worst = std::max(stray.worst, angle);
    }
    return stray;
  };
  // Triangles that face against the surface's normals at their corners: simplification leaves
  // a few slivers so; a split must add none.
  const auto facingIn = [&](const TriMesh& mesh) {
    TriMesh shaded = mesh;
    projectAndShade(shaded, f, step);
    int in = 0;
    for (std::size_t t = 0; t < shaded.indices.size(); t += 3) {
      const std::uint32_t* c = &shaded.indices[t];
      const glm::vec3 a = shaded.positions[c[0]], b = shaded.positions[c[1]],
                      d = shaded.positions[c[2]];
      in += glm::dot(glm::cross(b - a, d - a),
                     shaded.normals[c[0]] + shaded.normals[c[1]] + shaded.normals[c[2]]) <= 0.0f;
    }
    return in;
  };
  projectAndShade(m, f, step); // on the surface, as the builder's meshes are when split
  m.normals.clear();
  const Stray before = strayEdges(m);
  EXPECT_GT(before.edges, 50) << "the simplified ellipsoid must have stray edges to mean anything";
  TriMesh split = m, again = m, capped = m;
  const std::size_t splits = splitBentEdges(split, f, bound, minLength, 100000, step);
  EXPECT_GT(splits, 0u);
  // Nearly none is left: an edge beside a sliver that already faces in, or whose split would
  // fold one, stays.
  const Stray after = strayEdges(split);
  EXPECT_LE(after.edges, before.edges / 100);
  EXPECT_LT(after.worst, 1.5f * bound);
  // Each split adds a vertex and two triangles on a closed surface; the surface stays closed,
  // manifold and facing out, and the result depends on nothing but the mesh.
  EXPECT_EQ(split.positions.size(), m.positions.size() + splits);
  EXPECT_EQ(split.triangleCount(), m.triangleCount() + 2 * splits);
  const EdgeReport r = checkEdges(split);
  EXPECT_EQ(r.unpaired, 0u);
  EXPECT_EQ(r.duplicated, 0u);
  EXPECT_EQ(facingIn(split), facingIn(m));
  splitBentEdges(again, f, bound, minLength, 100000, step);
  EXPECT_EQ(again.indices, split.indices);
  EXPECT_EQ(again.positions, split.positions);
  // The budget stops it: the worst edges are split first, and no more than allowed.
  const std::size_t most = m.triangleCount() + 20;
  splitBentEdges(capped, f, bound, minLength, most, step);
  EXPECT_LE(capped.triangleCount(), most);
  EXPECT_GT(capped.triangleCount(), m.triangleCount());
  EXPECT_LT(strayEdges(capped).worst, before.worst);
  // An open patch (the ellipsoid's back half, as the skin is open at its cuts): an edge on the
  // border has one triangle, which splits in two, and the border stays one loop.
  TriMesh open;
  open.positions = m.positions;
  for (std::size_t t = 0; t < m.indices.size(); t += 3)
    if (m.positions[m.indices[t]].z < 0.0f && m.positions[m.indices[t + 1]].z < 0.0f &&
        m.positions[m.indices[t + 2]].z < 0.0f)
      open.indices.insert(open.indices.end(), m.indices.begin() + static_cast<std::ptrdiff_t>(t),
                          m.indices.begin() + static_cast<std::ptrdiff_t>(t) + 3);
  const EdgeReport openBefore = checkEdges(open);
  ASSERT_GT(openBefore.unpaired, 0u);
  TriMesh openSplit = open;
  const std::size_t openSplits = splitBentEdges(openSplit, f, bound, minLength, 100000, step);
  EXPECT_GT(openSplits, 0u);
  const EdgeReport openAfter = checkEdges(openSplit);
  EXPECT_EQ(openAfter.duplicated, 0u);
  // Each split on the border adds one border edge and one triangle; inside, two triangles.
  const std::size_t onBorder = openAfter.unpaired - openBefore.unpaired;
  EXPECT_EQ(openSplit.triangleCount(), open.triangleCount() + 2 * openSplits - onBorder);
  EXPECT_EQ(facingIn(openSplit), facingIn(open));
  EXPECT_LE(strayEdges(openSplit).edges, strayEdges(open).edges / 20);
}

// A sheet's patch is every zero crossing of the hull inside its outline, so where the hull has
// an open pocket under the outline the patch also lines the pocket (builder.cpp, sheet()).
TEST(MeshOps, PiecesFacingAHollowAreDropped) {
  // A slab 7 cm thick (y from -7 to 0 cm) with a slot 1 cm high and 4 cm deep through it, open
  // at both ends along x; the patch is what lies inside a 6 cm square outline seen from above.
  const Sdf slab = [](const glm::vec3& p) {
    const float slot =
        sdRoundBox(p, glm::vec3(0.0f, -0.025f, 0.0f), glm::vec3(1.0f, 0.005f, 0.02f), 0.0f);
    return std::max({p.y, -0.07f - p.y, -slot});
  };
  const Sdf outline = [](const glm::vec3& p) {
    return std::max(std::abs(p.x), std::abs(p.z)) - 0.03f;
  };
  const float h = 0.0025f;
  const Sdf region = [&](const glm::vec3& p) { return std::max(slab(p), outline(p) - 2.0f * h); };
  TriMesh m = clipMesh(
      polygonise(region, Aabb{glm::vec3(-0.05f, -0.09f, -0.05f), glm::vec3(0.05f, 0.02f, 0.05f)}, h,
                 2),
      outline);
  const auto countIn = [&m](float lo, float hi) {
    std::size_t n = 0;
    for (std::size_t t = 0; t < m.indices.size(); t += 3) {
      const float y = (m.positions[m.indices[t]].y + m.positions[m.indices[t + 1]].y +
                       m.positions[m.indices[t + 2]].y) /
                      3.0f;
      n += y > lo && y < hi ? 1 : 0;
    }
    return n;
  };
  const std::size_t top = countIn(-0.001f, 0.001f), bottom = countIn(-0.071f, -0.069f);
  const std::size_t slot = countIn(-0.031f, -0.019f);
  ASSERT_GT(top, 100u);
  ASSERT_GT(bottom, 100u);
  ASSERT_GT(slot, 100u); // its ceiling, floor and side walls
  EXPECT_EQ(top + bottom + slot, m.triangleCount());
  const TriMesh patch = m;
  // From the slot's ceiling and floor the other is 1 cm away; from its side walls, 4 cm.
  EXPECT_EQ(dropStrayPieces(m, slab, 0.036f, 0.003f), slot);
  EXPECT_EQ(countIn(-0.031f, -0.019f), 0u);
  EXPECT_EQ(countIn(-0.001f, 0.001f), top);
  EXPECT_EQ(countIn(-0.071f, -0.069f), bottom);
  for (std::uint32_t v : m.indices)
    ASSERT_LT(v, m.positions.size());
  // A surface that only lines a hollow is kept: nothing else would be left of it.
  TriMesh lining;
  lining.positions = patch.positions;
  for (std::size_t t = 0; t < patch.indices.size(); t += 3)
    if (std::abs(patch.positions[patch.indices[t]].y + 0.025f) < 0.006f)
      lining.indices.insert(lining.indices.end(),
                            patch.indices.begin() + static_cast<std::ptrdiff_t>(t),
                            patch.indices.begin() + static_cast<std::ptrdiff_t>(t + 3));
  const std::size_t lined = lining.triangleCount();
  ASSERT_EQ(lined, slot);
  // ... and so is such a surface beside a small island on the outside (a corner of a sheet's
  // outline), which is not large enough to take its place.
  TriMesh withIsland = lining;
  for (std::size_t t = 0; t < patch.indices.size(); t += 3) {
    const glm::vec3 p = patch.positions[patch.indices[t]];
    if (std::abs(p.y) < 0.001f && std::abs(p.x) < 0.006f && std::abs(p.z) < 0.006f)
      withIsland.indices.insert(withIsland.indices.end(),
                                patch.indices.begin() + static_cast<std::ptrdiff_t>(t),
                                patch.indices.begin() + static_cast<std::ptrdiff_t>(t + 3));
  }
  ASSERT_GT(withIsland.triangleCount(), lined);
  ASSERT_LT(10 * (withIsland.triangleCount() - lined), lined);
  const std::size_t withIslandCount = withIsland.triangleCount();
  EXPECT_EQ(dropStrayPieces(lining, slab, 0.036f, 0.003f), 0u);
  EXPECT_EQ(lining.triangleCount(), lined);
  EXPECT_EQ(dropStrayPieces(withIsland, slab, 0.036f, 0.003f), 0u);
  EXPECT_EQ(withIsland.triangleCount(), withIslandCount);
  // A crumb under a hundredth of the largest piece goes even on the outside: the slab's top
  // with a few triangles of its bottom (facing down, out of the slab).
  TriMesh withCrumb;
  withCrumb.positions = patch.positions;
  std::size_t crumb = 0;
  for (std::size_t t = 0; t < patch.indices.size(); t += 3) {
    const glm::vec3 p = patch.positions[patch.indices[t]];
    const bool onTop = std::abs(p.y) < 0.001f;
    const bool inCrumb =
        std::abs(p.y + 0.07f) < 0.001f && std::abs(p.x) < 0.0015f && std::abs(p.z) < 0.0015f;
    if (!onTop && !inCrumb) continue;
    crumb += inCrumb ? 1 : 0;
    withCrumb.indices.insert(withCrumb.indices.end(),
                             patch.indices.begin() + static_cast<std::ptrdiff_t>(t),
                             patch.indices.begin() + static_cast<std::ptrdiff_t>(t + 3));
  }
  ASSERT_GT(crumb, 0u);
  ASSERT_LT(100 * crumb, top);
  EXPECT_EQ(dropStrayPieces(withCrumb, slab, 0.036f, 0.003f), crumb);
  EXPECT_EQ(withCrumb.triangleCount(), top);
  // A crumb is small against the piece that stays, not against the largest: beside the slab's
  // top, a lining of the slot larger than the top goes, and an island on the bottom of over a
  // hundredth of the top (though under a hundredth of the lining) stays.
  const auto islandOfHalfWidth = [&patch](float half) {
    std::vector<std::uint32_t> tris;
    for (std::size_t t = 0; t < patch.indices.size(); t += 3) {
      const glm::vec3 p = patch.positions[patch.indices[t]];
      if (std::abs(p.y + 0.07f) < 0.001f && std::abs(p.x) < half && std::abs(p.z) < half)
        tris.insert(tris.end(), patch.indices.begin() + static_cast<std::ptrdiff_t>(t),
                    patch.indices.begin() + static_cast<std::ptrdiff_t>(t + 3));
    }
    return tris;
  };
  float half = 0.001f;
  while (100 * islandOfHalfWidth(half).size() / 3 <= top)
    half += 0.0005f;
  const std::vector<std::uint32_t> island = islandOfHalfWidth(half);
  ASSERT_GT(slot, top);
  ASSERT_LT(100 * island.size() / 3, slot);
  TriMesh withLining;
  withLining.positions = patch.positions;
  for (std::size_t t = 0; t < patch.indices.size(); t += 3) {
    const float y = patch.positions[patch.indices[t]].y;
    if (std::abs(y) < 0.001f || std::abs(y + 0.025f) < 0.006f)
      withLining.indices.insert(withLining.indices.end(),
                                patch.indices.begin() + static_cast<std::ptrdiff_t>(t),
                                patch.indices.begin() + static_cast<std::ptrdiff_t>(t + 3));
  }
  withLining.indices.insert(withLining.indices.end(), island.begin(), island.end());
  EXPECT_EQ(dropStrayPieces(withLining, slab, 0.036f, 0.003f), slot);
  EXPECT_EQ(withLining.triangleCount(), top + island.size() / 3);
}

} // namespace
} // namespace fascia::anatomy
