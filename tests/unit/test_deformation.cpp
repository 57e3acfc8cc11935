// Pressure and stretch deformation on generated layered bodies: rest state, calibration, decay,
// rigid bone, layer order under the largest loads, volume kept by a stretch, determinism and
// rejected input.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include <glm/geometric.hpp>

#include "fascia/bvh.h"
#include "fascia/deformation.h"
#include "test_models.h"

namespace fascia {
namespace {

// ---------------------------------------------------------------------------------------------
// Models and helpers
// ---------------------------------------------------------------------------------------------

/// Nested ellipsoids with the thicknesses of the lumbar back (shared reference layers.md):
/// skin 2.5 mm, subcutaneous fat 15 mm, thoracolumbar fascia 1.5 mm, muscle 50 mm, then bone.
/// Each structure is the surface where its layer starts, like the bundled model's layers.
Model makeBackColumn(int subdivisions = 6) {
  const glm::vec3 skin(0.175f, 0.45f, 0.125f);
  struct Shell {
    const char* name;
    Layer layer;
    float depth;
  };
  const Shell shells[] = {{"skin", Layer::Skin, 0.0f},
                          {"superficial_fascia", Layer::SuperficialFascia, 0.0025f},
                          {"deep_fascia", Layer::DeepFascia, 0.0175f},
                          {"muscle", Layer::Muscle, 0.019f},
                          {"bone", Layer::Bone, 0.069f}};
  Model model;
  for (const Shell& shell : shells) {
    Structure s;
    s.info.name = shell.name;
    s.info.layer = shell.layer;
    s.mesh = test::makeEllipsoid(skin - glm::vec3(shell.depth), subdivisions);
    model.structures.push_back(std::move(s));
  }
  return model;
}

/// The middle of the back of the generated bodies, and "into the body" there.
const glm::vec3 kBackPoint(0.0f, 0.0f, -0.125f);
const glm::vec3 kInto(0.0f, 0.0f, 1.0f);

PressureLoad press(ToolKind tool, float forceN, glm::vec3 point = kBackPoint) {
  PressureLoad load;
  load.tool = tool;
  load.point = point;
  load.direction = kInto;
  load.axis = glm::vec3(1.0f, 0.0f, 0.0f);
  load.forceN = forceN;
  return load;
}

const Deformation& pressOnce(Deformer& deformer, const PressureLoad& load, float legend = 400.0f) {
  DeformationInput input;
  input.pressure = load;
  input.legendMaxKPa = legend;
  return deformer.update(input);
}

/// Displacement along the load of the vertex of `structure` nearest the load axis.
float onAxis(const Model& model, const Deformation& d, std::size_t structure) {
  const auto& p = model.structures[structure].mesh.positions;
  float best = std::numeric_limits<float>::max(), w = 0.0f;
  for (std::size_t v = 0; v < p.size(); ++v) {
    if (p[v].z > 0.0f) continue; // the back half only
    const float lateral = std::hypot(p[v].x, p[v].y);
    if (lateral < best) {
      best = lateral;
      w = glm::dot(d.structures[structure].displacement[v], kInto);
    }
  }
  return w;
}

bool allZero(const Deformation& d) {
  for (const StructureDeformation& s : d.structures) {
    for (const glm::vec3& u : s.displacement)
      if (u != glm::vec3(0.0f)) return false;
    for (const float o : s.overlay)
      if (o != 0.0f) return false;
  }
  return true;
}

Model deformed(const Model& model, const Deformation& d) {
  Model out = model;
  for (std::size_t s = 0; s < out.structures.size(); ++s)
    for (std::size_t v = 0; v < out.structures[s].mesh.positions.size(); ++v)
      out.structures[s].mesh.positions[v] += d.structures[s].displacement[v];
  return out;
}

/// The model with only the triangles of the back that loads at kBackPoint reach (|x| < 0.2 m,
/// |y| < 0.1 m, z < 0), so ray casts need a BVH over a tenth of it.
Model backPatch(const Model& model) {
  Model out = model;
  for (Structure& s : out.structures) {
    std::vector<std::uint32_t> kept;
    const auto& p = s.mesh.positions;
    for (std::size_t t = 0; t + 2 < s.mesh.indices.size(); t += 3) {
      const glm::vec3 c =
          (p[s.mesh.indices[t]] + p[s.mesh.indices[t + 1]] + p[s.mesh.indices[t + 2]]) / 3.0f;
      if (std::abs(c.x) < 0.2f && std::abs(c.y) < 0.1f && c.z < 0.0f)
        kept.insert(kept.end(), s.mesh.indices.begin() + static_cast<std::ptrdiff_t>(t),
                    s.mesh.indices.begin() + static_cast<std::ptrdiff_t>(t + 3));
    }
    s.mesh.indices = std::move(kept);
  }
  return out;
}

double enclosedVolume(const std::vector<glm::vec3>& p, const std::vector<std::uint32_t>& idx) {
  double volume = 0.0;
  for (std::size_t t = 0; t + 2 < idx.size(); t += 3) {
    const glm::dvec3 a(p[idx[t]]), b(p[idx[t + 1]]), c(p[idx[t + 2]]);
    volume += glm::dot(a, glm::cross(b, c)) / 6.0;
  }
  return volume;
}

class DeformationTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    model_ = new Model(makeBackColumn());
    deformer_ = new Deformer(*model_);
  }
  static void TearDownTestSuite() {
    delete deformer_;
    delete model_;
    deformer_ = nullptr;
    model_ = nullptr;
  }
  static Model* model_;
  static Deformer* deformer_;
};
Model* DeformationTest::model_ = nullptr;
Deformer* DeformationTest::deformer_ = nullptr;

// ---------------------------------------------------------------------------------------------
// Pressure
// ---------------------------------------------------------------------------------------------

TEST_F(DeformationTest, StartsAtRestAndZeroLoadIsRest) {
  Deformer fresh(*model_);
  EXPECT_TRUE(allZero(fresh.current()));
  EXPECT_TRUE(allZero(pressOnce(fresh, press(ToolKind::Thumb, 0.0f))));
  pressOnce(fresh, press(ToolKind::Thumb, 35.0f));
  EXPECT_FALSE(allZero(fresh.current()));
  const Deformation& rest = fresh.update({});
  EXPECT_TRUE(allZero(rest));
  EXPECT_EQ(rest.overlay, OverlayKind::None);
  EXPECT_GT(rest.dirtyVertexCount, 0u); // the reset vertices must be uploaded
}

TEST_F(DeformationTest, ThumbAtPainThresholdIndentsEightToFifteenMillimetres) {
  // PPT ~300 kPa over the thumb's ~1.1 cm^2: 30-40 N (reference: 5-15 mm indentation).
  for (const float force : {30.0f, 35.0f, 40.0f}) {
    const Deformation& d = pressOnce(*deformer_, press(ToolKind::Thumb, force));
    const float skin = onAxis(*model_, d, 0);
    EXPECT_GE(skin, 0.008f) << force << " N";
    EXPECT_LE(skin, 0.015f) << force << " N";
    EXPECT_NEAR(d.indentation, skin, 0.0015f);
    EXPECT_NEAR(d.contactPressureKPa, force / (3.14159f * 0.006f * 0.006f) / 1000.0f, 1.0f);
  }
}

TEST_F(DeformationTest, ContactPressureIsForceOverTheToolsArea) {
  EXPECT_NEAR(contactArea(ToolKind::Thumb), 3.14159265f * 0.006f * 0.006f, 1e-9f);
  EXPECT_NEAR(contactArea(ToolKind::FoamRoller), 2.0f * 0.02f * 0.30f, 1e-7f);
  for (const ToolKind tool :
       {ToolKind::Thumb, ToolKind::Elbow, ToolKind::MassageBall, ToolKind::FoamRoller}) {
    const Deformation& d = pressOnce(*deformer_, press(tool, 40.0f));
    EXPECT_NEAR(d.contactPressureKPa, 40.0f / contactArea(tool) / 1000.0f,
                1e-3f * d.contactPressureKPa)
        << toolId(tool);
  }
  EXPECT_EQ(toolName(ToolKind::MassageBall), "massage ball");
  EXPECT_EQ(toolId(ToolKind::MassageBall), "massage-ball");
}

TEST_F(DeformationTest, LargestIndentationIsUnderTheToolAndGrowsWithLoad) {
  for (const ToolKind tool :
       {ToolKind::Thumb, ToolKind::Elbow, ToolKind::MassageBall, ToolKind::FoamRoller}) {
    float previous = 0.0f;
    for (const float force : {5.0f, 20.0f, 60.0f, 150.0f, 400.0f}) {
      const Deformation& d = pressOnce(*deformer_, press(tool, force));
      const auto& skin = model_->structures[0].mesh.positions;
      float most = 0.0f, lateral = 0.0f;
      for (std::size_t v = 0; v < skin.size(); ++v) {
        const float w = glm::dot(d.structures[0].displacement[v], kInto);
        if (w > most) {
          most = w;
          // For the roller, distance across its axis (x is along it).
          lateral =
              tool == ToolKind::FoamRoller ? std::abs(skin[v].y) : std::hypot(skin[v].x, skin[v].y);
        }
      }
      EXPECT_GT(most, previous) << toolId(tool) << " " << force << " N";
      EXPECT_LE(lateral, toolShape(tool).contactRadius + 0.005f) << toolId(tool);
      previous = most;
    }
  }
}

TEST_F(DeformationTest, DecaysWithDepthAndDistance) {
  const Deformation& d = pressOnce(*deformer_, press(ToolKind::Thumb, 35.0f));
  // Down the axis: every layer moves less than the one above; soft fat takes the most.
  const float skin = onAxis(*model_, d, 0), fat = onAxis(*model_, d, 1),
              fascia = onAxis(*model_, d, 2), muscle = onAxis(*model_, d, 3);
  EXPECT_GT(skin, fat);
  EXPECT_GT(fat, fascia);
  EXPECT_GE(fascia, muscle);
  EXPECT_GT(muscle, 0.0f);
  EXPECT_GT(fat - fascia, 0.5f * skin); // the fat layer is compressed the most
  // Across the skin: smaller further out, nothing beyond the reach of the load.
  const auto& p = model_->structures[0].mesh.positions;
  const auto& u = d.structures[0].displacement;
  std::vector<std::pair<float, float>> byDistance;
  for (std::size_t v = 0; v < p.size(); ++v)
    if (p[v].z < -0.1f) byDistance.emplace_back(std::hypot(p[v].x, p[v].y), u[v].z);
  std::sort(byDistance.begin(), byDistance.end());
  float ringMax[5] = {0, 0, 0, 0, 0}; // 0-1, 1-2, 2-3, 3-4, 6+ cm
  for (const auto& [r, w] : byDistance) {
    const int ring = r < 0.01f   ? 0
                     : r < 0.02f ? 1
                     : r < 0.03f ? 2
                     : r < 0.04f ? 3
                     : r > 0.06f ? 4
                                 : -1;
    if (ring >= 0) ringMax[ring] = std::max(ringMax[ring], w);
  }
  EXPECT_GT(ringMax[0], ringMax[1]);
  EXPECT_GT(ringMax[1], ringMax[2]);
  EXPECT_GT(ringMax[2], ringMax[3]);
  EXPECT_EQ(ringMax[4], 0.0f);
  // The stress overlay follows the same pattern and tops out at the contact pressure.
  EXPECT_EQ(d.overlay, OverlayKind::Pressure);
  float stressMax = 0.0f;
  for (const float s : d.structures[0].stressKPa)
    stressMax = std::max(stressMax, s);
  EXPECT_GT(stressMax, 0.7f * d.contactPressureKPa);
  EXPECT_LE(stressMax, 1.001f * d.contactPressureKPa);
}

TEST(DeformationFolds, PressureStopsAtSkinOfAnotherFoldOfTheBody) {
  // A buttock in front of the flank, as seen by a massage ball pressed on the side of the hip:
  // the flank's skin lies 6 to 10 cm deeper along the load, under the buttock's skin. The
  // half-space solution reaches that deep; the tissue column under the tool ends at the flank's
  // skin, so the flank (facing away from the tool) takes no load.
  Model model;
  Structure buttock;
  buttock.info.name = "buttock_skin";
  buttock.info.layer = Layer::Skin;
  buttock.mesh = test::makeEllipsoid(glm::vec3(0.08f, 0.08f, 0.04f), 6);
  Structure flank;
  flank.info.name = "flank_skin";
  flank.info.layer = Layer::Skin;
  flank.mesh = test::makeEllipsoid(glm::vec3(0.15f, 0.15f, 0.04f), 6);
  for (glm::vec3& p : flank.mesh.positions)
    p.z += 0.10f;
  model.structures.push_back(std::move(buttock));
  model.structures.push_back(std::move(flank));
  Deformer deformer(model);
  const float legend = 10.0f; // low, so that faint stress would show
  const Deformation& d = pressOnce(
      deformer, press(ToolKind::MassageBall, 60.0f, glm::vec3(0.0f, 0.0f, -0.04f)), legend);
  float buttockMax = 0.0f;
  for (const float o : d.structures[0].overlay)
    buttockMax = std::max(buttockMax, o);
  EXPECT_GT(buttockMax, 0.5f);
  const auto& flankPositions = model.structures[1].mesh.positions;
  std::size_t under = 0;
  for (std::size_t v = 0; v < flankPositions.size(); ++v) {
    if (flankPositions[v].z > 0.09f) continue; // the flank's face towards the tool
    if (std::hypot(flankPositions[v].x, flankPositions[v].y) > 0.08f) continue;
    ++under;
    EXPECT_EQ(d.structures[1].overlay[v], 0.0f) << "flank vertex " << v;
    EXPECT_EQ(d.structures[1].displacement[v], glm::vec3(0.0f)) << "flank vertex " << v;
  }
  EXPECT_GT(under, 50u); // the test looked at the flank under the buttock
}

TEST(DeformationFolds, ASteeplyCurvedBackIsNotMistakenForAFold) {
  // A narrow body (9 cm half-width): under a roller across it the back curves away steeply
  // within the roller's reach, so skin of the same surface lies several centimetres below the
  // smoothed skin height of the grid cells over the flanks. That must not end the columns:
  // every skin vertex under the middle of the band is pressed in, and as deep as on a broad back.
  const auto body = [](float halfWidth) {
    Model model = makeBackColumn(5);
    for (Structure& s : model.structures)
      for (glm::vec3& p : s.mesh.positions)
        p.x *= halfWidth / 0.175f;
    return model;
  };
  const Model narrow = body(0.09f), broad = body(0.175f);
  Deformer narrowDeformer(narrow), broadDeformer(broad);
  const auto middleOfBand = [](const Model& model, const Deformation& d) {
    float least = std::numeric_limits<float>::max();
    const auto& p = model.structures[0].mesh.positions;
    for (std::size_t v = 0; v < p.size(); ++v) {
      if (p[v].z > -0.1f || std::abs(p[v].y) > 0.01f || std::abs(p[v].x) > 0.03f) continue;
      least = std::min(least, d.structures[0].displacement[v].z);
    }
    return least;
  };
  const float narrowLeast =
      middleOfBand(narrow, pressOnce(narrowDeformer, press(ToolKind::FoamRoller, 150.0f)));
  const float broadLeast =
      middleOfBand(broad, pressOnce(broadDeformer, press(ToolKind::FoamRoller, 150.0f)));
  ASSERT_LT(broadLeast, std::numeric_limits<float>::max());
  EXPECT_GT(broadLeast, 0.002f);
  EXPECT_GT(narrowLeast, 0.75f * broadLeast);
  // Across the band, out to where the narrow back has turned 60 degrees away from the roller,
  // every skin vertex is still pressed in.
  const Deformation& d = pressOnce(narrowDeformer, press(ToolKind::FoamRoller, 150.0f));
  const auto& p = narrow.structures[0].mesh.positions;
  std::size_t checked = 0;
  for (std::size_t v = 0; v < p.size(); ++v) {
    if (p[v].z > -0.03f || std::abs(p[v].y) > 0.01f || std::abs(p[v].x) > 0.078f) continue;
    ++checked;
    EXPECT_GT(d.structures[0].displacement[v].z, 0.0f) << "skin at x = " << p[v].x;
  }
  EXPECT_GT(checked, 10u);
}

TEST_F(DeformationTest, BoneNeverMovesAndLayersKeepTheirOrder) {
  // The largest load any preset uses is 200 N (foam rolling); test well above it.
  const Bvh restBvh(backPatch(*model_));
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> offset(-0.05f, 0.05f);
  for (const ToolKind tool :
       {ToolKind::Thumb, ToolKind::Elbow, ToolKind::MassageBall, ToolKind::FoamRoller}) {
    for (const float force : {200.0f, 1000.0f}) {
      const Deformation& d = pressOnce(*deformer_, press(tool, force));
      for (const glm::vec3& u : d.structures[4].displacement)
        ASSERT_EQ(u, glm::vec3(0.0f));
      EXPECT_TRUE(d.structures[4].dirty.empty());
      const Bvh bvh(backPatch(deformed(*model_, d)));
      // Rays along the load through the loaded region: each layer's surface must be met in the
      // same order as at rest (skin, fat, fascia, muscle, bone), never crossed.
      for (int ray = 0; ray < 150; ++ray) {
        const float scale = tool == ToolKind::FoamRoller ? 3.0f : 1.0f;
        const Ray r{glm::vec3(scale * offset(rng), offset(rng), -0.3f), kInto};
        float last = -1.0f;
        for (std::uint32_t s = 0; s < 5; ++s) {
          const auto only = [s](std::uint32_t k) { return k == s; };
          if (!restBvh.intersect(r, only, 0.29f)) continue; // passes beside this layer
          const auto hit = bvh.intersect(r, only, 0.29f);
          ASSERT_TRUE(hit.has_value()) << toolId(tool) << " layer " << s;
          EXPECT_GT(hit->t, last) << toolId(tool) << " " << force << " N, layer " << s;
          last = hit->t;
        }
      }
    }
  }
}

TEST_F(DeformationTest, DeeperVertexNeverMovesMoreAlongTheLoad) {
  // The invariant behind the layer order, on dense samples down columns: displacement along the
  // load does not grow with depth, and depth + displacement keeps increasing.
  Model column;
  Structure s;
  s.info.name = "probe";
  s.info.layer = Layer::Other;
  for (int i = 0; i < 40; ++i)
    for (int k = 0; k < 200; ++k)
      s.mesh.positions.push_back(kBackPoint + glm::vec3(0.0012f * static_cast<float>(i), 0.0f,
                                                        0.0004f * static_cast<float>(k)));
  s.mesh.normals.assign(s.mesh.positions.size(), glm::vec3(0, 0, -1));
  Model both = *model_;
  both.structures.push_back(s);
  Deformer deformer(both);
  for (const ToolKind tool : {ToolKind::Thumb, ToolKind::MassageBall, ToolKind::FoamRoller}) {
    const Deformation& d = pressOnce(deformer, press(tool, 1000.0f));
    const auto& u = d.structures.back().displacement;
    for (int i = 0; i < 40; ++i)
      for (int k = 1; k < 200; ++k) {
        const std::size_t a = static_cast<std::size_t>(i * 200 + k - 1), b = a + 1;
        EXPECT_LE(u[b].z, u[a].z + 1e-7f) << toolId(tool) << " column " << i << " step " << k;
        EXPECT_GT(0.0004f + u[b].z - u[a].z, 0.0f) << toolId(tool);
      }
  }
}

TEST_F(DeformationTest, SameInputGivesBitIdenticalOutput) {
  const PressureLoad a = press(ToolKind::MassageBall, 40.0f);
  const auto copy = [](const Deformation& d) { return d.structures; };
  const std::vector<StructureDeformation> first = copy(pressOnce(*deformer_, a));
  pressOnce(*deformer_, press(ToolKind::FoamRoller, 150.0f, kBackPoint + glm::vec3(0, 0.1f, 0)));
  const std::vector<StructureDeformation> second = copy(pressOnce(*deformer_, a));
  ASSERT_EQ(first.size(), second.size());
  for (std::size_t s = 0; s < first.size(); ++s) {
    ASSERT_EQ(first[s].displacement.size(), second[s].displacement.size());
    EXPECT_EQ(0, std::memcmp(first[s].displacement.data(), second[s].displacement.data(),
                             first[s].displacement.size() * sizeof(glm::vec3)));
    EXPECT_EQ(0, std::memcmp(first[s].overlay.data(), second[s].overlay.data(),
                             first[s].overlay.size() * sizeof(float)));
  }
}

TEST_F(DeformationTest, DirtyRangesCoverEveryChangedVertex) {
  pressOnce(*deformer_, press(ToolKind::Thumb, 35.0f));
  const std::vector<StructureDeformation> before = deformer_->current().structures;
  const Deformation& after =
      pressOnce(*deformer_, press(ToolKind::Thumb, 35.0f, kBackPoint + glm::vec3(0.01f, 0, 0)));
  std::size_t changed = 0, total = 0;
  for (std::size_t s = 0; s < before.size(); ++s) {
    const auto& ranges = after.structures[s].dirty;
    for (std::size_t r = 1; r < ranges.size(); ++r)
      EXPECT_GT(ranges[r].begin, ranges[r - 1].end);
    total += before[s].displacement.size();
    for (std::size_t v = 0; v < before[s].displacement.size(); ++v) {
      if (before[s].displacement[v] == after.structures[s].displacement[v] &&
          before[s].overlay[v] == after.structures[s].overlay[v])
        continue;
      ++changed;
      const bool covered = std::any_of(ranges.begin(), ranges.end(), [&](const VertexRange& r) {
        return v >= r.begin && v < r.end;
      });
      EXPECT_TRUE(covered) << "structure " << s << " vertex " << v;
    }
  }
  EXPECT_GT(changed, 0u);
  EXPECT_LT(after.dirtyVertexCount, total / 20); // a thumb touches a small part
}

TEST_F(DeformationTest, BadLoadsAreRejectedWithAMessage) {
  const auto rejects = [&](const PressureLoad& load, const char* words) {
    try {
      pressOnce(*deformer_, load);
      ADD_FAILURE() << "accepted: " << words;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
  };
  rejects(press(ToolKind::Thumb, -1.0f), "load");
  rejects(press(ToolKind::Thumb, 1500.0f), "1000 N");
  rejects(press(ToolKind::Thumb, std::nanf("")), "load");
  PressureLoad noDirection = press(ToolKind::Thumb, 10.0f);
  noDirection.direction = glm::vec3(0.0f);
  rejects(noDirection, "direction");
  PressureLoad badAxis = press(ToolKind::FoamRoller, 100.0f);
  badAxis.axis = kInto;
  rejects(badAxis, "axis");

  DeformationInput stretch;
  stretch.stretch = StretchLoad{3, 0.8f, std::nullopt, kHealthySliding};
  EXPECT_THROW(deformer_->update(stretch), std::invalid_argument);
  stretch.stretch = StretchLoad{99, 0.2f, std::nullopt, kHealthySliding};
  EXPECT_THROW(deformer_->update(stretch), std::invalid_argument);
  stretch.stretch = StretchLoad{4, 0.2f, std::nullopt, kHealthySliding}; // bone
  EXPECT_THROW(deformer_->update(stretch), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// Stretch
// ---------------------------------------------------------------------------------------------

TEST(DeformationStretch, KeepsMuscleVolumeAndLengthens) {
  const Model model = test::makeNestedShells(4);
  const std::size_t muscle = *model.find("muscle_block");
  const MeshData& mesh = model.structures[muscle].mesh;
  const double rest = enclosedVolume(mesh.positions, mesh.indices);
  Deformer deformer(model);
  for (const float strain : {0.1f, 0.2f, 0.3f}) {
    DeformationInput input;
    input.stretch = StretchLoad{muscle, strain, glm::vec3(0.0f, -1.0f, 0.0f), kHealthySliding};
    const Deformation& d = deformer.update(input);
    const Model moved = deformed(model, d);
    const auto& p = moved.structures[muscle].mesh.positions;
    const double volume = enclosedVolume(p, mesh.indices);
    EXPECT_NEAR(volume / rest, 1.0, 0.03) << strain;
    float yMin = 1e9f, yMax = -1e9f;
    for (const glm::vec3& q : p) {
      yMin = std::min(yMin, q.y);
      yMax = std::max(yMax, q.y);
    }
    const Bounds b = mesh.bounds();
    EXPECT_NEAR((yMax - yMin) / b.size().y, 1.0f + strain, 0.01f);
    EXPECT_NEAR(yMin, b.min.y, 5e-4f); // anchored at the end nearest the anchor (the bottom)
    for (const glm::vec3& u : d.structures[*model.find("bone_core")].displacement)
      EXPECT_EQ(u, glm::vec3(0.0f));
  }
}

TEST(DeformationStretch, FasciaMovesLessAndSlidesLessWhenStiff) {
  const Model model = test::makeNestedShells(4);
  const std::size_t muscle = *model.find("muscle_block");
  const std::size_t fascia = *model.find("deep_fascia");
  Deformer deformer(model);
  const auto run = [&](float sliding, float& fasciaMove, float& fasciaSlide, float& muscleMove) {
    DeformationInput input;
    input.stretch = StretchLoad{muscle, 0.15f, std::nullopt, sliding};
    const Deformation& d = deformer.update(input);
    EXPECT_EQ(d.overlay, OverlayKind::Sliding);
    fasciaMove = fasciaSlide = muscleMove = 0.0f;
    for (std::size_t v = 0; v < d.structures[fascia].displacement.size(); ++v) {
      fasciaMove = std::max(fasciaMove, glm::length(d.structures[fascia].displacement[v]));
      fasciaSlide = std::max(fasciaSlide, d.structures[fascia].overlay[v]);
    }
    for (const glm::vec3& u : d.structures[muscle].displacement)
      muscleMove = std::max(muscleMove, glm::length(u));
  };
  float healthyMove, healthySlide, healthyMuscle, stiffMove, stiffSlide, stiffMuscle;
  run(kHealthySliding, healthyMove, healthySlide, healthyMuscle);
  run(kStiffSliding, stiffMove, stiffSlide, stiffMuscle);
  EXPECT_GT(healthyMove, 0.0f);
  EXPECT_LT(healthyMove, 0.5f * healthyMuscle); // fascia moves far less than the muscle
  EXPECT_GT(stiffMove, healthyMove);            // stuck fascia is dragged along more
  EXPECT_NEAR(healthySlide, kHealthySliding, 0.02f);
  EXPECT_NEAR(stiffSlide, kStiffSliding, 0.02f);
  EXPECT_FLOAT_EQ(healthyMuscle, stiffMuscle);
}

} // namespace
} // namespace fascia
