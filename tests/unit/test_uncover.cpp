// Uncovering a deep structure: which structures in front of it are hidden and how far the
// layers are peeled, on small generated scenes seen from behind.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>

#include "cli.h"
#include "commands.h"
#include "fascia/camera.h"
#include "state.h"
#include "technique_setup.h"
#include "test_models.h"
#include "uncover.h"

namespace fascia::app {
namespace {

Structure part(const std::string& name, Layer layer, glm::vec3 radii, glm::vec3 centre) {
  Structure s;
  s.info.name = name;
  s.info.layer = layer;
  s.mesh = test::makeEllipsoid(radii, 3, centre);
  return s;
}

// Seen from behind (the camera on -Z): a deep muscle, a muscle over its left half with a
// fascia sheet on that muscle, a fascia sheet lying directly on the deep muscle's right half,
// a muscle off to the side, a bone in front of it all and skin around everything.
struct Scene {
  enum Index : std::uint32_t { Skin, Deep, Cover, FasciaOnCover, FasciaOnDeep, Side, Bone };
  AppState state;

  explicit Scene(bool withOwnFascia = true) {
    auto model = std::make_shared<Model>();
    model->structures.push_back(
        part("skin", Layer::Skin, {0.5f, 0.4f, 0.2f}, {0.0f, 0.0f, 0.0f}));
    model->structures.push_back(
        part("deep", Layer::Muscle, {0.08f, 0.15f, 0.02f}, {0.0f, 0.0f, 0.05f}));
    model->structures.push_back(
        part("cover", Layer::Muscle, {0.05f, 0.12f, 0.012f}, {0.05f, 0.0f, 0.0f}));
    model->structures.push_back(
        part("fascia_on_cover", Layer::DeepFascia, {0.055f, 0.13f, 0.003f}, {0.05f, 0.0f, -0.02f}));
    model->structures.push_back(withOwnFascia ? part("fascia_on_deep", Layer::DeepFascia,
                                                     {0.035f, 0.14f, 0.003f},
                                                     {-0.045f, 0.0f, 0.025f})
                                              : part("fascia_on_deep", Layer::DeepFascia,
                                                     {0.01f, 0.01f, 0.003f},
                                                     {0.3f, 0.3f, 0.1f}));
    model->structures.push_back(
        part("side", Layer::Muscle, {0.05f, 0.05f, 0.02f}, {0.3f, 0.0f, -0.05f}));
    model->structures.push_back(
        part("bone_in_front", Layer::Bone, {0.01f, 0.2f, 0.01f}, {0.0f, 0.0f, -0.1f}));
    state.model = model;
    state.viewport = {400, 400};
    state.display.hidden.assign(model->structures.size(), false);
    state.camera = presetCamera(ViewPreset::Posterior, model->bounds(), state.aspect());
  }
};

bool contains(const std::vector<std::uint32_t>& list, std::uint32_t s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

TEST(Uncover, HidesTheMuscleInFrontAndTheFasciaOnItButKeepsTheFasciaOnTheTarget) {
  const Scene scene;
  const UncoverPlan plan = planUncover(scene.state, Scene::Deep);
  EXPECT_TRUE(contains(plan.hide, Scene::Cover));
  EXPECT_TRUE(contains(plan.hide, Scene::FasciaOnCover));
  EXPECT_FALSE(contains(plan.hide, Scene::FasciaOnDeep)) << "it slides on the target";
  EXPECT_FALSE(contains(plan.hide, Scene::Side)) << "it is not in front";
  EXPECT_FALSE(contains(plan.hide, Scene::Bone)) << "bones are never hidden";
  EXPECT_FALSE(contains(plan.hide, Scene::Skin)) << "peeling handles the skin";
  EXPECT_EQ(plan.peelDepth, static_cast<float>(layerIndex(Layer::DeepFascia)));
}

TEST(Uncover, WithoutFasciaOnItTheMusclesLayerIsPeeledTo) {
  const Scene scene(false);
  const UncoverPlan plan = planUncover(scene.state, Scene::Deep);
  EXPECT_TRUE(contains(plan.hide, Scene::Cover));
  EXPECT_EQ(plan.peelDepth, static_cast<float>(layerIndex(Layer::Muscle)));
}

TEST(Uncover, AnUncoveredStructureNeedsNothingHiddenAndHiddenOnesNeverCount) {
  Scene scene;
  EXPECT_TRUE(planUncover(scene.state, Scene::Side).hide.empty());
  scene.state.display.hidden[Scene::Cover] = true;
  scene.state.display.hidden[Scene::FasciaOnCover] = true;
  EXPECT_TRUE(planUncover(scene.state, Scene::Deep).hide.empty());
  EXPECT_TRUE(planUncover(scene.state, 999).hide.empty());
}

TEST(Uncover, AStretchImageShowsItsMuscleAndKeepsAGivenPeel) {
  // The piriformis stretch on a scene whose deep muscle is called piriformis_left.
  for (const bool peelGiven : {false, true}) {
    Scene scene(false);
    auto model = std::make_shared<Model>(*scene.state.model);
    model->structures[Scene::Deep].info.name = "piriformis_left";
    scene.state.model = model;
    std::vector<std::string> args = {"--screenshot", "o.png", "--size", "400x400",
                                     "--technique", "piriformis-stretch"};
    if (peelGiven) args.insert(args.end(), {"--peel", "1", "--layer-opacity", "muscle=0.5"});
    const CommandLine line = parseCommandLine(args);
    scene.state.display.peelDepth = line.peelDepth;
    for (const auto& [layer, opacity] : line.layerOpacities)
      scene.state.display.layers[static_cast<std::size_t>(layerIndex(layer))].opacity = opacity;
    applyTechniqueOptions(line, scene.state);
    EXPECT_EQ(scene.state.display.layerOpacity(Layer::Muscle) < 1.0f, peelGiven)
        << "a given --layer-opacity stays";
    EXPECT_TRUE(scene.state.bvh) << "built once for the rays, kept for picking";
    ASSERT_TRUE(scene.state.technique.params.muscle);
    EXPECT_EQ(*scene.state.technique.params.muscle, Scene::Deep);
    EXPECT_TRUE(scene.state.display.isHidden(Scene::Cover));
    EXPECT_FALSE(scene.state.display.isHidden(Scene::Side));
    EXPECT_EQ(scene.state.display.peelDepth, peelGiven ? 1.0f : 3.0f);
  }
}

TEST(Uncover, TheCommandIsOneUndoStep) {
  Scene scene;
  CommandQueue queue;
  queue.apply(cmd::SetPeelDepth{0.5f}, scene.state);
  // The muscle itself hidden and its layer faint: uncovering shows it all the same.
  queue.apply(cmd::SetStructureHidden{Scene::Deep, true}, scene.state);
  queue.apply(cmd::SetLayerOpacity{Layer::Muscle, 0.2f}, scene.state);
  const DisplaySettings before = scene.state.display;
  queue.apply(cmd::UncoverStructure{Scene::Deep}, scene.state);
  EXPECT_EQ(scene.state.display.layerOpacity(Layer::Muscle), 1.0f);
  EXPECT_TRUE(scene.state.display.isHidden(Scene::Cover));
  EXPECT_TRUE(scene.state.display.isHidden(Scene::FasciaOnCover));
  EXPECT_FALSE(scene.state.display.isHidden(Scene::Deep));
  EXPECT_EQ(scene.state.display.peelDepth, 2.0f);
  EXPECT_TRUE(isPickable(scene.state, Scene::Deep));
  queue.undo(scene.state);
  EXPECT_EQ(scene.state.display, before);
  EXPECT_EQ(describe(cmd::UncoverStructure{Scene::Deep}, scene.state), "Uncover deep");
}

} // namespace
} // namespace fascia::app
