// Technique presets: names and texts, timelines, validation, and applying them to a generated
// body (rest at the start and after release, determinism, healthy vs stiff sliding).

#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <cstring>
#include <set>
#include <stdexcept>
#include <string>

#include <glm/geometric.hpp>

#include "fascia/technique.h"
#include "test_models.h"

namespace fascia {
namespace {

TechniqueParams backParams() {
  TechniqueParams p;
  p.point = glm::vec3(0.0f, 0.0f, -0.125f); // back of makeNestedShells' skin
  p.direction = glm::vec3(0.0f, 0.0f, 1.0f);
  return p;
}

bool allZero(const Deformation& d) {
  for (const StructureDeformation& s : d.structures)
    for (const glm::vec3& u : s.displacement)
      if (u != glm::vec3(0.0f)) return false;
  return true;
}

TEST(Technique, PresetsHaveNamesTextsAndTimes) {
  std::set<std::string> names;
  ASSERT_GE(techniquePresets().size(), 7u);
  for (const TechniquePreset& preset : techniquePresets()) {
    EXPECT_TRUE(names.insert(std::string(preset.name)).second) << preset.name;
    for (const char c : preset.name)
      EXPECT_TRUE(std::islower(static_cast<unsigned char>(c)) || c == '-') << preset.name;
    EXPECT_FALSE(preset.title.empty());
    EXPECT_GT(preset.caption.size(), 40u);
    EXPECT_GT(preset.durationS, 0.0f);
    EXPECT_GE(preset.timeCompression, 1);
    EXPECT_EQ(&findTechnique(preset.name), &preset);
    if (preset.isStretch()) {
      EXPECT_FALSE(preset.defaultMuscle.empty()) << preset.name;
    } else {
      EXPECT_GT(preset.defaultLoadN, 0.0f) << preset.name;
    }
  }
  for (const char* name : {"ischaemic-compression", "massage-ball-release", "myofascial-release",
                           "foam-rolling-lumbar",
                           "foam-rolling-glutes", "trunk-flexion-stretch", "piriformis-stretch"})
    EXPECT_TRUE(names.count(name)) << name;
  try {
    findTechnique("massage");
    ADD_FAILURE();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("ischaemic-compression"), std::string::npos);
  }
}

TEST(Technique, IschaemicCompressionRampsHoldsAndReleases) {
  const TechniquePreset& preset = findTechnique("ischaemic-compression");
  const TechniqueParams params = backParams();
  EXPECT_EQ(evaluate(preset, params, 0.0).forceN, 0.0f);
  EXPECT_GT(evaluate(preset, params, 1.5).forceN, 0.0f);
  EXPECT_LT(evaluate(preset, params, 1.5).forceN, preset.defaultLoadN);
  for (double t = 3.0; t <= 10.0; t += 0.5)
    EXPECT_FLOAT_EQ(evaluate(preset, params, t).forceN, preset.defaultLoadN) << t;
  // Released over 2-3 s after the hold, then at rest.
  float releasedAt = -1.0f;
  for (double t = 10.0; t <= preset.durationS; t += 0.05)
    if (releasedAt < 0.0f && evaluate(preset, params, t).forceN == 0.0f)
      releasedAt = static_cast<float>(t);
  EXPECT_GT(releasedAt, 12.0f);
  EXPECT_EQ(evaluate(preset, params, preset.durationS).forceN, 0.0f);
  EXPECT_EQ(evaluate(preset, params, 1000.0).forceN, 0.0f);
  EXPECT_EQ(evaluate(preset, params, 5.0).phase, "Holding until the tissue softens");
  TechniqueParams heavier = params;
  heavier.loadN = 50.0f;
  EXPECT_FLOAT_EQ(evaluate(preset, heavier, 6.0).forceN, 50.0f);
}

TEST(Technique, FoamRollingMakesSlowPasses) {
  for (const char* name : {"foam-rolling-lumbar", "foam-rolling-glutes"}) {
    const TechniquePreset& preset = findTechnique(name);
    TechniqueParams params = backParams();
    // Find the turning points of the roller along its travel (y here) and the pass speeds.
    float lowest = 1e9f, highest = -1e9f;
    for (double t = 0.0; t <= preset.durationS; t += 0.01) {
      const TechniqueState s = evaluate(preset, params, t);
      ASSERT_TRUE(s.tool.has_value());
      EXPECT_EQ(s.tool->tool, ToolKind::FoamRoller);
      if (s.forceN >= preset.defaultLoadN) {
        lowest = std::min(lowest, s.tool->position.y);
        highest = std::max(highest, s.tool->position.y);
      }
    }
    const float span = highest - lowest;
    EXPECT_GE(span, 0.199f) << name;
    EXPECT_LE(span, 0.301f) << name;
    // Four passes between lowering and lifting (1.5 s each); one pass goes from end to end in
    // 2-4 s at 7.5-15 cm/s.
    const double pass = (preset.durationS - 3.0) / 4.0;
    EXPECT_GE(pass, 2.0);
    EXPECT_LE(pass, 4.0);
    const TechniqueState a = evaluate(preset, params, 1.5),
                         b = evaluate(preset, params, 1.5 + pass);
    EXPECT_NEAR(std::abs(b.tool->position.y - a.tool->position.y), span, 1e-4f) << name;
    const double speed = span / pass;
    EXPECT_GE(speed, 0.075);
    EXPECT_LE(speed, 0.15);
  }
}

TEST(Technique, BadParametersAreRejected) {
  const TechniquePreset& preset = findTechnique("ischaemic-compression");
  TechniqueParams params = backParams();
  for (const float load : {0.0f, -5.0f, 1001.0f, std::nanf("")}) {
    params.loadN = load;
    try {
      evaluate(preset, params, 1.0);
      ADD_FAILURE() << load;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(" N"), std::string::npos) << e.what();
    }
  }
  params.loadN.reset();
  EXPECT_THROW(evaluate(preset, params, -0.1), std::invalid_argument);
  EXPECT_THROW(evaluate(preset, params, std::nan("")), std::invalid_argument);
  params.direction = glm::vec3(0.0f);
  EXPECT_THROW(evaluate(preset, params, 1.0), std::invalid_argument);
  const TechniquePreset& stretch = findTechnique("piriformis-stretch");
  EXPECT_THROW(evaluate(stretch, backParams(), 1.0), std::invalid_argument); // no muscle
  TechniqueParams strained = backParams();
  strained.muscle = 3;
  strained.strain = 0.9f;
  EXPECT_THROW(evaluate(stretch, strained, 1.0), std::invalid_argument);
  EXPECT_NO_THROW(evaluate(preset, backParams(), 1.0));
}

TEST(Technique, AppliedPresetsStartAndEndAtRestAndRepeatExactly) {
  const Model model = test::makeNestedShells(4);
  Deformer deformer(model);
  for (const TechniquePreset& preset : techniquePresets()) {
    TechniqueParams params = backParams();
    params.muscle = *model.find("muscle_block");
    EXPECT_TRUE(allZero(apply(deformer, evaluate(preset, params, 0.0)))) << preset.name;
    const double middle = 0.5 * preset.durationS;
    const std::vector<StructureDeformation> first =
        apply(deformer, evaluate(preset, params, middle)).structures;
    EXPECT_FALSE(allZero(deformer.current())) << preset.name;
    apply(deformer, evaluate(preset, params, 0.3 * preset.durationS));
    const std::vector<StructureDeformation> again =
        apply(deformer, evaluate(preset, params, middle)).structures;
    for (std::size_t s = 0; s < first.size(); ++s)
      EXPECT_EQ(0, std::memcmp(first[s].displacement.data(), again[s].displacement.data(),
                               first[s].displacement.size() * sizeof(glm::vec3)))
          << preset.name;
    EXPECT_TRUE(allZero(apply(deformer, evaluate(preset, params, preset.durationS))))
        << preset.name;
  }
}

TEST(Technique, TrunkFlexionSlidesLessWhenStiff) {
  const Model model = test::makeNestedShells(4);
  Deformer deformer(model);
  const TechniquePreset& preset = findTechnique("trunk-flexion-stretch");
  TechniqueParams params = backParams();
  params.muscle = *model.find("muscle_block");
  const std::size_t fascia = *model.find("deep_fascia");
  const auto maxSlide = [&](bool stiff) {
    params.stiff = stiff;
    const TechniqueState state = evaluate(preset, params, 8.0);
    EXPECT_FLOAT_EQ(state.strain, preset.defaultStrain);
    const Deformation& d = apply(deformer, state);
    float most = 0.0f;
    for (const float o : d.structures[fascia].overlay)
      most = std::max(most, o);
    return most;
  };
  const float healthy = maxSlide(false), stiff = maxSlide(true);
  EXPECT_GT(healthy, stiff);
  EXPECT_NEAR(stiff / healthy, kStiffSliding / kHealthySliding, 0.02f);
}

} // namespace
} // namespace fascia
