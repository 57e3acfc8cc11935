// The committed model (assets/torso.glb + manifest) as a whole: its manifest and budget, closed
// meshes in nested layers that overlap nothing, sheets in one piece, landmarks at atlas heights,
// and that it is what a fresh full build writes.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <glm/geometric.hpp>
#include <glm/gtc/constants.hpp>
#include <glm/vec3.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "anatomy.h"
#include "committed_model.h"
#include "glb_reader.h"
#include "mesh_ops.h"
#include "model_checks.h"
#include "nesting.h"

namespace fascia::anatomy {
namespace {

using test::committed;
using test::committedMesh;
using test::expectClosed;
using test::expectedStructures;
using test::expectNoOverlap;
using test::expectUnitAttributes;
using test::GlbMesh;
using test::kAssets;
using test::rankedCommitted;
using test::rayHit;

// ---------------------------------------------------------------------------------------------
// The committed model
// ---------------------------------------------------------------------------------------------

TEST(CommittedModel, ManifestKeysMatchMeshNames) {
  const auto& m = committed();
  ASSERT_EQ(m.manifest.at("format"), "fascia-manifest");
  ASSERT_EQ(m.manifest.at("version"), 1);
  std::set<std::string> meshNames, keys;
  for (const auto& g : m.meshes)
    meshNames.insert(g.name);
  for (const auto& [key, value] : m.manifest.at("structures").items()) {
    keys.insert(key);
    for (const char* field :
         {"layer", "displayName", "latinName", "group", "side", "description", "colour"})
      EXPECT_TRUE(value.contains(field)) << key << " lacks " << field;
  }
  EXPECT_EQ(meshNames, keys);
  for (const auto& id : expectedStructures())
    EXPECT_TRUE(meshNames.count(id)) << "missing " << id;
}

TEST(CommittedModel, WithinTriangleAndSizeBudget) {
  const auto& m = committed();
  std::size_t tris = 0;
  for (const auto& g : m.meshes)
    tris += g.mesh.triangleCount();
  EXPECT_GE(tris, 300000u);
  EXPECT_LE(tris, 1000000u);
  EXPECT_LE(m.glbBytes.size(), 30u * 1024u * 1024u);
}

TEST(CommittedModel, MeshesAreClosedWithUnitNormals) {
  const auto& m = committed();
  for (const auto& g : m.meshes) {
    expectClosed(g.name, g.mesh);
    const std::string layer = m.manifest.at("structures").at(g.name).at("layer");
    expectUnitAttributes(g.name, g.mesh, layer == "muscle");
  }
}

// A triangle that faces against all three of its corners' normals is folded over its neighbour
// (a sliver whose corner the projection onto the surface carried across its long edge). The
// model had 398 such triangles over 1 mm², 17 of them on the skin over 4 mm² (up to 30 mm²);
// unfoldSlivers left 87 over 1 mm², none on the skin over 4 mm² (and in a trial of a finer
// iliac wing one of 33 mm² on the lower back, which relaxFoldedCorners undoes); with
// relaxFoldedCorners and without the ladders of split edges (below) 45 were left, the largest
// on the skin 3.5 mm² (on its inner face); relaxFoldedPatches leaves 22 and none on the skin
// (without it, changes far away left folds of 30-54 mm² on the skin). The bound on the skin
// stays 4 mm², as before, though none is left there.
TEST(CommittedModel, HardlyAnyTriangleIsFoldedOverItsNeighbour) {
  std::size_t folded = 0;
  float largestOnSkin = 0.0f;
  for (const auto& g : committed().meshes) {
    const TriMesh& mesh = g.mesh;
    for (std::size_t t = 0; t < mesh.indices.size(); t += 3) {
      const std::uint32_t a = mesh.indices[t], b = mesh.indices[t + 1], c = mesh.indices[t + 2];
      const glm::vec3 n =
          glm::cross(mesh.positions[b] - mesh.positions[a], mesh.positions[c] - mesh.positions[a]);
      const float area = 0.5f * glm::length(n);
      if (area <= 1.0e-6f) continue; // 1 mm²
      const glm::vec3 u = n / (2.0f * area);
      if (glm::dot(u, mesh.normals[a]) >= -0.5f || glm::dot(u, mesh.normals[b]) >= -0.5f ||
          glm::dot(u, mesh.normals[c]) >= -0.5f)
        continue;
      ++folded;
      if (g.name == "skin") largestOnSkin = std::max(largestOnSkin, area);
    }
  }
  EXPECT_LE(folded, 30u);
  EXPECT_LT(largestOnSkin, 4.0e-6f);
}

// Long slivers (a corner within half a degree of the opposite side, over 5 mm long), mostly
// along lines of corners the simplifier left: seen from afar, under a pixel wide and turned
// over in the view at some pixels, they drew dotted lines of specks in the skin and the fat at
// peels 0 and 1. Splitting bent edges then split them into ladders of corners a few hundredths
// of a millimetre apart. The model had 1,668 long slivers, 701 of them on the skin, and 266
// sides on the skin under 0.05 mm; now 718, 212 and none.
TEST(CommittedModel, FewLongSliversAndNoLaddersOnTheSkin) {
  constexpr float kSliver = 0.5f * glm::pi<float>() / 180.0f;
  std::size_t slivers = 0, onSkin = 0, shortSides = 0;
  for (const auto& g : committed().meshes) {
    const TriMesh& mesh = g.mesh;
    for (std::size_t t = 0; t < mesh.indices.size(); t += 3) {
      float smallest = glm::pi<float>(), longest = 0.0f;
      for (std::size_t k = 0; k < 3; ++k) {
        const glm::vec3 p = mesh.positions[mesh.indices[t + k]];
        const glm::vec3 u = mesh.positions[mesh.indices[t + (k + 1) % 3]] - p;
        const glm::vec3 v = mesh.positions[mesh.indices[t + (k + 2) % 3]] - p;
        smallest = std::min(smallest, std::atan2(glm::length(glm::cross(u, v)), glm::dot(u, v)));
        longest = std::max(longest, glm::length(u));
        if (g.name == "skin" && glm::length(u) < 5.0e-5f) ++shortSides;
      }
      if (smallest < kSliver && longest > 0.005f) {
        ++slivers;
        if (g.name == "skin") ++onSkin;
      }
    }
  }
  EXPECT_LE(slivers, 900u);
  EXPECT_LE(onSkin, 300u);
  EXPECT_EQ(shortSides, 0u);
}

TEST(CommittedModel, LayersNestAlongRays) {
  const auto& m = committed();
  std::vector<test::RankedMesh> meshes;
  for (const auto& g : m.meshes)
    meshes.push_back(
        {g.name, test::layerRank(m.manifest.at("structures").at(g.name).at("layer")), &g.mesh});
  const auto report = test::checkNesting(meshes, 81, 41);
  EXPECT_GT(report.rays, 2000);
  EXPECT_EQ(report.violations, 0) << [&] {
    std::string s;
    for (const auto& e : report.examples)
      s += "\n  " + e;
    return s;
  }();
}

/// Left and right names of paired structures.
std::vector<std::string> bothSides(std::initializer_list<const char*> bases) {
  std::vector<std::string> out;
  for (const char* base : bases)
    for (const char* side : {"_left", "_right"})
      out.push_back(std::string(base) + side);
  return out;
}

TEST(CommittedModel, HipFlexorsAndRectusOverlapNothing) {
  // They are carved by every structure built before them; check the finished meshes too, since
  // simplification moves vertices after carving (by up to about a millimetre: the tolerance).
  expectNoOverlap(rankedCommitted(), bothSides({"psoas_major", "iliacus", "rectus_abdominis"}), 3,
                  0.001f, 3000);
}

TEST(CommittedModel, ExternalObliquesOverlapNothing) {
  // A sheet laid on the hull of everything under it (0.8 mm gap), with latissimus dorsi laid on
  // it in turn. Each vertex is moved 0.5 mm into the sheet before the test: at its free edges the
  // sheet is only 0.4 mm thick, so a vertex moved in by the 1 mm used for the volumes above would
  // come out of the far face and could land in the gap-wide layer next to it.
  expectNoOverlap(rankedCommitted(), bothSides({"external_oblique"}), 1, 0.0005f, 5000);
}

TEST(CommittedModel, SerratusAnteriorOverlapsNothing) {
  // A sheet like the external oblique (same 0.5 mm tolerance: it also thins to 0.4 mm at its
  // slips), laid after it and cut by its footprint, so where their slips interdigitate on ribs
  // 5-9 they lie edge to edge; latissimus dorsi is laid on its back part in turn.
  expectNoOverlap(rankedCommitted(), bothSides({"serratus_anterior"}), 1, 0.0005f, 4000);
}

TEST(CommittedModel, NeckMusclesOverlapNothing) {
  // Carved by everything built before them (erector spinae, levator scapulae, each other); the
  // same 1 mm tolerance as for the hip flexors. They run to the neck cut, where the subcutaneous
  // layer's 4 mm lid closes the cut over every structure's cut end (as over the humerus at the
  // arm cut), so the superficial fascia is left out here.
  const auto noFat = [](const std::string&, const std::string& layer) {
    return layer == "superficial-fascia";
  };
  expectNoOverlap(rankedCommitted(noFat),
                  bothSides({"semispinalis_capitis", "splenius_cervicis", "splenius_capitis"}), 2,
                  0.001f, 5000);
}

TEST(CommittedModel, PectoralisMajorOverlapsNothing) {
  // A sheet laid after serratus anterior (over its upper slips) and kept 2.5 mm clear of the
  // deltoid; the same 0.5 mm tolerance as the other sheets, since it thins to 0.4 mm at its
  // borders. The deltoid, serratus anterior and the external oblique are among what it is tested
  // against.
  expectNoOverlap(rankedCommitted(), bothSides({"pectoralis_major"}), 1, 0.0005f, 4000);
}

TEST(CommittedModel, SternumAndCostalCartilagesOverlapNothing) {
  // Built after the ribs and the clavicles, which carve them where they meet (the costochondral
  // joints, the clavicular notches); the 1 mm tolerance of the other carved volumes.
  std::vector<std::string> names = bothSides({"costal_cartilages"});
  names.push_back("sternum");
  expectNoOverlap(rankedCommitted(), names, 1, 0.001f, 3000);
}

TEST(CommittedModel, HipBonesOverlapNothing) {
  // Issue 5: the rim of the socket ran through the femoral neck, and where the two meshes
  // crossed a ragged dark line ringed the neck at peel 4. The femur is now built first and
  // carves the hip bone; the 1 mm tolerance of the other carved volumes.
  expectNoOverlap(rankedCommitted(), bothSides({"hip_bone"}), 1, 0.001f, 5000);
}

TEST(CommittedModel, LumbarVertebraeOverlapNothing) {
  // The lumbar articular processes of neighbouring vertebrae overlap by design (vertebraShape):
  // each vertebra is carved by the one above at the facet joints. Not carved, L1-L5 each
  // passed up to 2-3 mm into the vertebra above there (7-62 vertices a pair, all at the
  // articular processes, 12-15 mm from the midline). The sacrum is carved by L5 in the same way
  // at the lumbosacral facet joints. Checked against the column (vertebrae,
  // discs, sacrum): the supraspinous ligament runs through the spinous tips by design.
  const auto notColumn = [](const std::string& name, const std::string&) {
    return !name.starts_with("vertebra_") && !name.starts_with("intervertebral_disc_") &&
           name != "sacrum";
  };
  expectNoOverlap(
      rankedCommitted(notColumn),
      {"vertebra_l1", "vertebra_l2", "vertebra_l3", "vertebra_l4", "vertebra_l5", "sacrum"}, 1,
      0.001f, 5000);
}

TEST(CommittedModel, LandmarksAtAtlasHeights) {
  auto extreme = [&](const std::string& name, auto better) {
    const TriMesh& m = committedMesh(name);
    glm::vec3 best = m.positions.front();
    for (const auto& p : m.positions)
      if (better(p, best)) best = p;
    return best;
  };
  auto mostPosterior = [](const glm::vec3& a, const glm::vec3& b) { return a.z < b.z; };
  // C7 spinous process (vertebra prominens) about 1.50 m above the floor.
  EXPECT_NEAR(extreme("vertebra_c7", mostPosterior).y, 1.50f, 0.015f);
  // Highest point of the iliac crests about 1.05 m, at the L4 spinous process / L4-L5 gap.
  const float crest =
      extreme("hip_bone_left", [](const glm::vec3& a, const glm::vec3& b) { return a.y > b.y; }).y;
  EXPECT_NEAR(crest, 1.05f, 0.015f);
  EXPECT_NEAR(crest, extreme("vertebra_l4", mostPosterior).y, 0.03f);
  // Biacromial width (between the acromions' outer edges) 0.39-0.41 m. (The bi-iliac width,
  // 0.308 m between the outer lips of the crests, is a little over the reference's 0.28-0.30 m;
  // see the landmark table.)
  const auto mostLateral = [](const glm::vec3& a, const glm::vec3& b) { return a.x > b.x; };
  EXPECT_NEAR(2.0f * extreme("scapula_left", mostLateral).x, 0.40f, 0.01f);
  // Greater trochanter (most lateral point of the femur) about 0.90 m; bitrochanteric width
  // 0.32-0.36 m.
  const glm::vec3 gt = extreme("femur_left", mostLateral);
  EXPECT_NEAR(gt.y, 0.90f, 0.02f);
  EXPECT_NEAR(2.0f * gt.x, 0.34f, 0.02f);
  // Inferior angle of the scapula level with the T7 spinous process.
  const float inferiorAngle =
      extreme("scapula_left", [](const glm::vec3& a, const glm::vec3& b) { return a.y < b.y; }).y;
  EXPECT_NEAR(inferiorAngle, extreme("vertebra_t7", mostPosterior).y, 0.015f);
  // Scapula height 0.15-0.17 m: superior angle (highest point of the medial part, away from the
  // acromion) to inferior angle.
  const float superiorAngle = extreme("scapula_left", [](const glm::vec3& a, const glm::vec3& b) {
                                return (a.x < 0.1f ? a.y : -1.0f) > (b.x < 0.1f ? b.y : -1.0f);
                              }).y;
  EXPECT_NEAR(superiorAngle - inferiorAngle, 0.16f, 0.015f);
}

// The waist is 0.19-0.22 m deep from the skin of the back to the skin of the belly at L3
// (../shared/reference/landmarks.md). The belly stood 1.5 cm too far forward (0.235 m), which
// made the side view of the trunk look heavy.
TEST(CommittedModel, WaistDepthAtL3IsWithinTheReference) {
  const TriMesh& skin = committedMesh("skin");
  const TriMesh& l3 = committedMesh("vertebra_l3");
  glm::vec3 tip = l3.positions.front();
  for (const glm::vec3& p : l3.positions)
    if (p.z < tip.z) tip = p;
  // Lumbar spinous tips lie level with their bodies, so the tip's height is L3's.
  float deepest = 0.0f, shallowest = 1.0f;
  for (float x = 0.0f; x <= 0.0801f; x += 0.01f) {
    const auto back = rayHit(skin, {x, tip.y, -1.0f}, {0, 0, 1});
    const auto front = rayHit(skin, {x, tip.y, 1.0f}, {0, 0, -1});
    ASSERT_TRUE(back && front) << "x = " << x;
    const float depth = 2.0f - *back - *front;
    deepest = std::max(deepest, depth);
    shallowest = std::min(shallowest, depth);
  }
  EXPECT_LE(deepest, 0.22f);
  EXPECT_GE(shallowest, 0.19f);
}

/// Connected pieces of a mesh, by shared positions (a sheet's faces and rims share them): the
/// triangle indices (first index of each) of every piece.
std::vector<std::vector<std::size_t>> piecesOf(const TriMesh& m) {
  std::map<std::array<float, 3>, std::size_t> weld;
  std::vector<std::size_t> id(m.positions.size());
  for (std::size_t v = 0; v < m.positions.size(); ++v) {
    const glm::vec3& p = m.positions[v];
    id[v] = weld.try_emplace({p.x, p.y, p.z}, weld.size()).first->second;
  }
  std::vector<std::size_t> parent(weld.size());
  for (std::size_t i = 0; i < parent.size(); ++i)
    parent[i] = i;
  const auto root = [&parent](std::size_t x) {
    while (parent[x] != x)
      x = parent[x] = parent[parent[x]];
    return x;
  };
  for (std::size_t t = 0; t < m.indices.size(); t += 3) {
    parent[root(id[m.indices[t]])] = root(id[m.indices[t + 1]]);
    parent[root(id[m.indices[t + 1]])] = root(id[m.indices[t + 2]]);
  }
  std::map<std::size_t, std::vector<std::size_t>> byRoot;
  for (std::size_t t = 0; t < m.indices.size(); t += 3)
    byRoot[root(id[m.indices[t]])].push_back(t);
  std::vector<std::vector<std::size_t>> out;
  for (auto& [r, tris] : byRoot)
    out.push_back(std::move(tris));
  return out;
}

// A sheet is laid on the body hull wherever its outline lies, and so it also lined the hull's
// open pockets under that outline: between the scapula and the ribs, inside the chest wall
// behind the intercostal spaces, beside the iliac crests. Those pieces were hidden in the body
// but showed on their own when a student isolated the muscle, in a section and in the
// technique's close-up, and they took more than half of some muscles' triangles (infraspinatus
// 56 %, rhomboid major up to 73 %; also serratus posterior superior and anterior, latissimus
// dorsi, the fasciae).
// Every sheet is one piece now, not even a crumb apart: the islands of a few millimetres that
// the outline's clip left where it grazed the hull (8-36 triangles, on the outside or in a
// pocket open to it) are dropped with the hidden pieces.
TEST(CommittedModel, EverySheetIsOnePiece) {
  const std::set<std::string> sheets = {"serratus_posterior_inferior",
                                        "serratus_posterior_superior",
                                        "rhomboid_minor",
                                        "rhomboid_major",
                                        "infraspinatus",
                                        "latissimus_dorsi",
                                        "trapezius_lower",
                                        "trapezius_middle",
                                        "trapezius_upper",
                                        "external_oblique",
                                        "serratus_anterior",
                                        "pectoralis_major",
                                        "investing_fascia_upper_back",
                                        "gluteal_fascia"};
  int checked = 0;
  for (const GlbMesh& g : committed().meshes) {
    const std::string base = g.name.substr(0, g.name.rfind('_'));
    if (!sheets.count(base) && g.name != "thoracolumbar_fascia") continue;
    ++checked;
    int pieces = 0;
    std::string sizes;
    for (const auto& piece : piecesOf(g.mesh)) {
      sizes.push_back(' ');
      sizes += std::to_string(piece.size());
      ++pieces;
    }
    EXPECT_EQ(pieces, 1) << g.name << ": pieces of" << sizes << " triangles";
  }
  EXPECT_EQ(checked, 29);
}

TEST(CommittedModel, MatchesAFreshFullBuild) {
  if (std::getenv("FASCIA_SKIP_FULL_BUILD") != nullptr)
    GTEST_SKIP() << "FASCIA_SKIP_FULL_BUILD is set";
  const auto built = buildAnatomy(BuildOptions{});
  EXPECT_TRUE(encodeGlb(built) == committed().glbBytes)
      << "assets/torso.glb is stale: run cmake --build <dir> --target anatomy-model";
  const std::string manifest = encodeManifest(built);
  const auto bytes = test::readBytes(kAssets / "torso.manifest.json");
  EXPECT_EQ(manifest, std::string(bytes.begin(), bytes.end()));
}

} // namespace
} // namespace fascia::anatomy
