// Tests of the anatomy builder, run in-process at reduced detail (one build shared by the tests,
// made once per process), and of its meshing steps on small shapes made here.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <glm/geometric.hpp>
#include <glm/vec2.hpp>
#include <glm/vec3.hpp>
#include <gtest/gtest.h>

#include "anatomy.h"
#include "fma_ids.h"
#include "glb_reader.h"
#include "mesh_ops.h"
#include "model_checks.h"
#include "nesting.h"
#include "parts.h"
#include "sdf.h"

namespace fascia::anatomy {
namespace {

using test::expectClosed;
using test::expectedStructures;
using test::expectUnitAttributes;

// A reduced-detail build shared by the builder tests (built once per test process).
const std::vector<BuiltStructure>& reducedBuild() {
  static const std::vector<BuiltStructure> built = [] {
    BuildOptions o;
    o.detail = 0.35f;
    return buildAnatomy(o);
  }();
  return built;
}

std::vector<test::RankedMesh> ranked(const std::vector<BuiltStructure>& s) {
  std::vector<test::RankedMesh> out;
  for (const auto& b : s)
    out.push_back({b.meta.id, test::layerRank(b.meta.layer), &b.mesh});
  return out;
}

// ---------------------------------------------------------------------------------------------
// Builder (in-process, reduced detail)
// ---------------------------------------------------------------------------------------------

TEST(AnatomyBuilder, SameBytesOnEveryRunWhateverTheThreadCount) {
  BuildOptions a;
  a.detail = 0.25f;
  a.threads = 2;
  BuildOptions b = a;
  b.threads = 1;
  // Two runs, one with two threads and one with one: equal bytes show both run-to-run
  // determinism and that threading does not leak into the output.
  const auto first = buildAnatomy(a);
  const auto single = buildAnatomy(b);
  EXPECT_TRUE(encodeGlb(first) == encodeGlb(single));
  EXPECT_EQ(encodeManifest(first), encodeManifest(single));
}

TEST(AnatomyBuilder, EveryListedStructureIsPresentWithMetadata) {
  const auto& built = reducedBuild();
  std::set<std::string> ids;
  const std::set<std::string> layers{"skin", "superficial-fascia", "deep-fascia", "muscle", "bone"};
  const std::set<std::string> groups{"Skin",
                                     "Superficial fascia",
                                     "Deep fascia",
                                     "Superficial muscles",
                                     "Intermediate muscles",
                                     "Deep muscles",
                                     "Hip flexors",
                                     "Abdominal wall",
                                     "Arm muscles",
                                     "Vertebrae",
                                     "Ribs",
                                     "Pelvis and sacrum",
                                     "Shoulder girdle",
                                     "Femur",
                                     "Ligaments"};
  for (const auto& s : built) {
    EXPECT_TRUE(ids.insert(s.meta.id).second) << "duplicate " << s.meta.id;
    EXPECT_GT(s.mesh.triangleCount(), 0u) << s.meta.id;
    EXPECT_TRUE(layers.count(s.meta.layer)) << s.meta.id << " layer " << s.meta.layer;
    EXPECT_TRUE(groups.count(s.meta.group)) << s.meta.id << " group " << s.meta.group;
    EXPECT_FALSE(s.meta.displayName.empty()) << s.meta.id;
    EXPECT_FALSE(s.meta.latinName.empty()) << s.meta.id;
    EXPECT_GE(std::count(s.meta.description.begin(), s.meta.description.end(), '.'), 2)
        << s.meta.id;
    const std::string expectedSide = s.meta.id.ends_with("_left")    ? "left"
                                     : s.meta.id.ends_with("_right") ? "right"
                                                                     : "midline";
    EXPECT_EQ(s.meta.side, expectedSide) << s.meta.id;
    for (float c : s.meta.colour)
      EXPECT_TRUE(c >= 0.0f && c <= 1.0f) << s.meta.id;
  }
  for (const auto& id : expectedStructures())
    EXPECT_TRUE(ids.count(id)) << "missing " << id;
}

// The right side's sheets are mirror images of the left's: what a sheet passes under, where
// its bed is closed and where it thickens the hull must be mirrored with it, or the right
// latissimus would bridge the armpit and the right infraspinatus pass under the left deltoid.
TEST(AnatomyBuilder, MirroredSheetPassesUnderAndIsClosedOnItsOwnSide) {
  SheetDef left;
  left.meta.id = "test_sheet_left";
  left.meta.side = "left";
  left.footprint = [](const glm::vec3& p) { return 0.1f - p.x; };
  left.thickness = [](const glm::vec3&) { return 0.002f; };
  left.passesUnder = {"deltoid_left"};
  left.bedClosing = {0.04f, [](const glm::vec3& p) { return p.x > 0.14f ? 1.0f : 0.0f; }};
  left.thickensWhere = [](const glm::vec3& p, float f) { return std::max(f, 0.12f - p.x); };
  const SheetDef right = mirroredSheet(left);
  EXPECT_EQ(right.meta.id, "test_sheet_right");
  EXPECT_EQ(right.passesUnder, std::vector<std::string>{"deltoid_right"});
  EXPECT_EQ(right.bedClosing.radius, 0.04f);
  ASSERT_TRUE(right.bedClosing.weight);
  EXPECT_EQ(right.bedClosing.weight(glm::vec3(-0.15f, 1.3f, 0.0f)), 1.0f);
  EXPECT_EQ(right.bedClosing.weight(glm::vec3(-0.12f, 1.3f, 0.0f)), 0.0f);
  EXPECT_EQ(right.bedClosing.weight(glm::vec3(0.15f, 1.3f, 0.0f)), 0.0f);
  EXPECT_LT(right.footprint(glm::vec3(-0.15f, 1.3f, 0.0f)), 0.0f);
  // Where it thickens the hull is mirrored too: unmirrored, the right investing fascia was asked
  // about its own side with the left's function (which there gives back the footprint), thickened
  // the hull under all of its reach over the crest, and the fat and the skin came out changed.
  ASSERT_TRUE(right.thickensWhere);
  EXPECT_LT(right.thickensWhere(glm::vec3(-0.13f, 1.3f, 0.0f), -0.05f), 0.0f);
  EXPECT_GT(right.thickensWhere(glm::vec3(-0.11f, 1.3f, 0.0f), -0.05f), 0.0f);
  EXPECT_GT(right.thickensWhere(glm::vec3(0.13f, 1.3f, 0.0f), -0.05f), 0.0f);
}

TEST(AnatomyBuilder, FmaIdsComeFromTheTableAndNameRealStructures) {
  const auto& built = reducedBuild();
  const std::regex wellFormed("FMA:[1-9][0-9]*");
  for (const FmaEntry& e : fmaTable()) {
    EXPECT_TRUE(std::regex_match(std::string(e.fmaId), wellFormed))
        << e.structure << " " << e.fmaId;
    EXPECT_FALSE(e.source.empty()) << e.structure << " needs the source its id was read from";
    // A misspelt key would silently give its structure no id.
    const bool named = std::any_of(built.begin(), built.end(), [&](const BuiltStructure& s) {
      return fmaTableKey(s.meta.id) == e.structure;
    });
    EXPECT_TRUE(named) << "table entry " << e.structure << " matches no structure";
  }
  for (const auto& s : built)
    EXPECT_EQ(s.meta.fmaId, fmaIdFor(s.meta.id)) << s.meta.id;
  EXPECT_EQ(fmaIdFor("trapezius_upper_right"), "FMA:9626");
  EXPECT_EQ(fmaIdFor("multifidus_left"), "FMA:22827"); // the side stripped, the column's id
  EXPECT_EQ(fmaIdFor("gluteal_fascia_left"), "");      // none found: none rather than a guess
  EXPECT_EQ(fmaIdFor("intervertebral_disc_l4_l5"), "FMA:10446"); // the levels stripped
}

TEST(AnatomyBuilder, VolumesAreClosedAndConsistentlyOriented) {
  for (const auto& s : reducedBuild())
    expectClosed(s.meta.id, s.mesh);
}

TEST(AnatomyBuilder, NormalsAreUnitAndMusclesCarryFibres) {
  for (const auto& s : reducedBuild())
    expectUnitAttributes(s.meta.id, s.mesh, s.meta.layer == "muscle");
}

TEST(AnatomyBuilder, LayersNestAlongRays) {
  // At this coarse test resolution (7 mm sheet grid) a thin edge can graze through the layer
  // above on a ray or two; the shipped model (CommittedModel.LayersNestAlongRays) allows none.
  const auto report = test::checkNesting(ranked(reducedBuild()), 41, 21);
  EXPECT_GT(report.rays, 500);
  EXPECT_LE(report.violations, report.rays / 100) << [&] {
    std::string s;
    for (const auto& e : report.examples)
      s += "\n  " + e;
    return s;
  }();
}

/// Caps m's border on the plane y = y0 (keep) and checks the cap: no triangle of it facing the
/// wrong way, the surface closed, every new vertex on the plane with the plane's normal (+y).
/// Returns where the cap's indices start.
std::size_t capAndCheck(const std::string& name, TriMesh& m, const Sdf& keep, float y0,
                        float bevel) {
  const std::size_t before = m.positions.size(), capFrom = m.indices.size();
  EXPECT_EQ(capPlanarBorders(m, keep, bevel), 0u) << name;
  expectClosed(name, m);
  EXPECT_GT(m.positions.size(), before) << name;
  for (std::size_t i = before; i < m.positions.size(); ++i) {
    EXPECT_NEAR(m.positions[i].y, y0, 1e-5f) << name;
    EXPECT_NEAR(m.normals[i].y, 1.0f, 1e-5f) << name;
  }
  return capFrom;
}

TEST(AnatomyBuilder, CapsCloseACutSurfaceWithAFlatFace) {
  // A sphere cut by the plane y = 0.01: the cap closes the clipped surface, lies on the plane,
  // faces outwards (+y) and carries the plane's normal.
  const Sdf sphere = [](const glm::vec3& p) { return glm::length(p) - 0.03f; };
  const Sdf keep = [](const glm::vec3& p) { return p.y - 0.01f; };
  const Sdf region = [&](const glm::vec3& p) { return std::max(sphere(p), keep(p) - 0.004f); };
  const Aabb box{glm::vec3(-0.04f), glm::vec3(0.04f)};
  TriMesh m = clipMesh(polygonise(region, box, 0.002f, 2), keep);
  projectAndShade(m, sphere);
  EXPECT_GT(checkEdges(m).unpaired, 0u);
  capAndCheck("capped sphere", m, keep, 0.01f, 0.0005f);
  for (const glm::vec3& p : m.positions)
    EXPECT_LE(p.y, 0.01f + 1e-5f);
}

/// Area of the triangles from index `first` on, and how many of them face down (-y).
std::pair<double, std::size_t> areaFacingUp(const TriMesh& m, std::size_t first) {
  double area = 0.0;
  std::size_t facingDown = 0;
  for (std::size_t t = first; t < m.indices.size(); t += 3) {
    const glm::vec3 a = m.positions[m.indices[t]], b = m.positions[m.indices[t + 1]],
                    c = m.positions[m.indices[t + 2]];
    const glm::vec3 fn = glm::cross(b - a, c - a);
    facingDown += fn.y < 0.0f ? 1 : 0;
    area += 0.5 * static_cast<double>(glm::length(fn));
  }
  return {area, facingDown};
}

TEST(AnatomyBuilder, CapsCloseACutThroughAHorseshoeFacingOutwards) {
  // A C-shaped bar (a ring 4 cm across with a 1.6 cm gap, 1.2 cm thick, standing along y) cut
  // by the plane y = 0.01 and meshed as the builder meshes a cut volume: the section's border
  // loop is not star-shaped around its centroid, which lies in the ring's hole, so a fan from
  // there folds over itself (as the fat's lids beside the armpits did). The cap must close the
  // surface, flat, facing +y, and cover the section and nothing else.
  const Sdf horseshoe = [](const glm::vec3& p) {
    const float ring = std::abs(glm::length(glm::vec2(p.x, p.z)) - 0.02f) - 0.006f;
    const float gap =
        sdRoundBox(p, glm::vec3(0.03f, 0.0f, 0.0f), glm::vec3(0.02f, 0.05f, 0.008f), 0.0f);
    return std::max({ring, -gap, std::abs(p.y) - 0.03f});
  };
  const Sdf keep = [](const glm::vec3& p) { return p.y - 0.01f; };
  const Sdf region = [&](const glm::vec3& p) { return std::max(horseshoe(p), keep(p) - 0.004f); };
  const Aabb box{glm::vec3(-0.035f), glm::vec3(0.035f)};
  TriMesh m = clipMesh(polygonise(region, box, 0.002f, 2), keep);
  simplify(m, 3000, 0.001f);
  projectAndShade(m, horseshoe);
  const std::size_t capFrom = capAndCheck("capped horseshoe", m, keep, 0.01f, 0.0006f);
  // The section: 2 pi r w less the gap, about 13 cm2; a folded fan also covered the hole.
  const auto [area, facingDown] = areaFacingUp(m, capFrom);
  EXPECT_EQ(facingDown, 0u);
  const double section = 2.0 * 3.14159265 * 0.02 * 0.012 - 0.012 * 0.016;
  EXPECT_NEAR(area, section, 0.05 * section);
}

TEST(AnatomyBuilder, EarClippingTriangulatesAConcavePolygonFacingItsNormal) {
  // Polygons in the plane y = 0, counter-clockwise seen from +y, in centimetres (x to the
  // right, -z up): their triangles must all face +y and cover the polygon once, so their
  // areas add up to its own.
  const auto check = [](const std::string& name, const std::vector<glm::vec2>& corners) {
    std::vector<glm::vec3> positions;
    std::vector<std::uint32_t> polygon;
    double area = 0.0;
    for (std::size_t i = 0; i < corners.size(); ++i) {
      const glm::vec2 a = corners[i], b = corners[(i + 1) % corners.size()];
      area += 0.5 * static_cast<double>(a.x * b.y - b.x * a.y) * 1e-4;
      polygon.push_back(static_cast<std::uint32_t>(positions.size()));
      positions.emplace_back(0.01f * a.x, 0.0f, -0.01f * a.y);
    }
    ASSERT_GT(area, 0.0) << name << " must be counter-clockwise";
    TriMesh m;
    m.positions = positions;
    m.indices = earClip(positions, polygon, glm::vec3(0, 1, 0));
    const auto [covered, facingDown] = areaFacingUp(m, 0);
    EXPECT_EQ(facingDown, 0u) << name;
    EXPECT_NEAR(covered, area, 1e-9) << name;
  };
  // A "C" with a collinear run down its back.
  check("C", {{0, 0},
              {3, 0},
              {3, 1},
              {1, 1},
              {1, 2},
              {3, 2},
              {3, 3},
              {0, 3},
              {0, 2},
              {0, 1.5f},
              {0, 1},
              {0, 0.5f}});
  // A dart: the convex corner (4, 0) is no ear, its triangle holds the reflex corner (2, 1).
  check("dart", {{0, 0}, {4, 0}, {4, 4}, {2, 1}, {0, 4}});
  // A reflex corner, (1, 1), exactly on the diagonal of the convex corner (2, 1).
  check("corner on a diagonal", {{0, 1}, {2, 0}, {2, 1}, {1, 1}, {0, 2}});
}

TEST(AnatomyBuilder, GlbRoundTripsThroughTheReader) {
  const auto& built = reducedBuild();
  const auto meshes = test::parseGlb(encodeGlb(built));
  ASSERT_EQ(meshes.size(), built.size());
  for (std::size_t i = 0; i < built.size(); ++i) {
    EXPECT_EQ(meshes[i].name, built[i].meta.id);
    EXPECT_EQ(meshes[i].primitiveCount, 1);
    EXPECT_EQ(meshes[i].mode, 4);
    EXPECT_EQ(meshes[i].mesh.indices, built[i].mesh.indices);
    EXPECT_EQ(meshes[i].hasTangents, built[i].meta.layer == "muscle") << meshes[i].name;
    for (float w : meshes[i].tangentW)
      EXPECT_EQ(w, 1.0f);
  }
}

} // namespace
} // namespace fascia::anatomy
