// Commands, undo and redo, picking through the app state.

#include <gtest/gtest.h>

#include <memory>
#include <random>

#include "commands.h"
#include "scene_setup.h"
#include "state.h"
#include "app_fixtures.h"
#include "test_models.h"

namespace {

using namespace fascia;
using namespace fascia::app;

using test::stateWithShells;

bool sameDisplay(const DisplaySettings& a, const DisplaySettings& b) {
  for (std::size_t i = 0; i < a.layers.size(); ++i) {
    if (a.layers[i].visible != b.layers[i].visible || a.layers[i].opacity != b.layers[i].opacity) {
      return false;
    }
  }
  return a.peelDepth == b.peelDepth && a.hidden == b.hidden;
}

TEST(Commands, ReplaceModelFramesThePosteriorView) {
  const AppState state = stateWithShells();
  ASSERT_NE(state.model, nullptr);
  EXPECT_EQ(state.display.hidden.size(), state.model->structures.size());
  EXPECT_LT(state.camera.eye().z, state.model->bounds().min.z);
}

TEST(Commands, UndoAndRedoLayerChanges) {
  AppState state = stateWithShells();
  CommandQueue queue;
  queue.apply(cmd::SetPeelDepth{2.0f}, state);
  queue.apply(cmd::SetLayerVisible{Layer::Muscle, false}, state);
  EXPECT_FALSE(state.display.layers[3].visible);
  ASSERT_TRUE(queue.canUndo());
  EXPECT_EQ(queue.undoLabel(), "Hide Muscle");
  queue.undo(state);
  EXPECT_TRUE(state.display.layers[3].visible);
  EXPECT_FLOAT_EQ(state.display.peelDepth, 2.0f);
  queue.undo(state);
  EXPECT_FLOAT_EQ(state.display.peelDepth, 0.0f);
  EXPECT_FALSE(queue.canUndo());
  queue.redo(state);
  queue.redo(state);
  EXPECT_FLOAT_EQ(state.display.peelDepth, 2.0f);
  EXPECT_FALSE(state.display.layers[3].visible);
  EXPECT_FALSE(queue.canRedo());
}

TEST(Commands, ASliderDragIsOneUndoStep) {
  AppState state = stateWithShells();
  CommandQueue queue;
  for (int i = 1; i <= 20; ++i) queue.apply(cmd::SetPeelDepth{0.1f * i}, state, true);
  queue.apply(cmd::SetLayerOpacity{Layer::Skin, 0.5f}, state, true);
  queue.apply(cmd::SetLayerOpacity{Layer::Skin, 0.3f}, state, true);
  queue.undo(state);
  EXPECT_FLOAT_EQ(state.display.layers[0].opacity, 1.0f);
  EXPECT_NEAR(state.display.peelDepth, 2.0f, 1e-5f);
  queue.undo(state);
  EXPECT_FLOAT_EQ(state.display.peelDepth, 0.0f);
  EXPECT_FALSE(queue.canUndo());
}

TEST(Commands, TwoDragsOfTheSameSliderAreTwoUndoSteps) {
  AppState state = stateWithShells();
  CommandQueue queue;
  // First drag 0 -> 1, released; second drag 1 -> 2. The panels mark each drag's start.
  queue.breakMerge();
  for (int i = 1; i <= 10; ++i) queue.push(cmd::SetPeelDepth{0.1f * i}, true);
  queue.applyPending(state);
  queue.breakMerge();
  for (int i = 11; i <= 20; ++i) queue.push(cmd::SetPeelDepth{0.1f * i}, true);
  queue.applyPending(state);
  EXPECT_NEAR(state.display.peelDepth, 2.0f, 1e-5f);
  queue.undo(state);
  EXPECT_NEAR(state.display.peelDepth, 1.0f, 1e-5f);
  ASSERT_TRUE(queue.canUndo());
  queue.undo(state);
  EXPECT_FLOAT_EQ(state.display.peelDepth, 0.0f);
}

TEST(Commands, ADragAfterAnUndoStartsANewStep) {
  AppState state = stateWithShells();
  CommandQueue queue;
  queue.apply(cmd::SetPeelDepth{1.0f}, state, true);
  queue.apply(cmd::SetPeelDepth{2.0f}, state);
  queue.undo(state); // back to 1, the mergeable step is on top again
  queue.apply(cmd::SetPeelDepth{3.0f}, state, true);
  queue.undo(state);
  EXPECT_FLOAT_EQ(state.display.peelDepth, 1.0f) << "the new drag must not merge into the old";
}

TEST(Commands, NewEditClearsRedo) {
  AppState state = stateWithShells();
  CommandQueue queue;
  queue.apply(cmd::SetPeelDepth{1.0f}, state);
  queue.undo(state);
  EXPECT_TRUE(queue.canRedo());
  queue.apply(cmd::SetLayerOpacity{Layer::Bone, 0.5f}, state);
  EXPECT_FALSE(queue.canRedo());
}

TEST(Commands, IsolateHidesEverythingElseAndShowAllUndoesIt) {
  AppState state = stateWithShells();
  CommandQueue queue;
  queue.apply(cmd::SetPeelDepth{5.0f}, state);
  queue.apply(cmd::IsolateStructure{3}, state);
  for (std::uint32_t i = 0; i < state.display.hidden.size(); ++i) {
    EXPECT_EQ(state.display.isHidden(i), i != 3);
  }
  // Isolating a peeled structure brings its layer back.
  EXPECT_TRUE(isPickable(state, 3));
  queue.apply(cmd::ShowAll{}, state);
  for (std::uint32_t i = 0; i < state.display.hidden.size(); ++i) EXPECT_FALSE(state.display.isHidden(i));
}

TEST(Commands, UndoKeepsSelection) {
  AppState state = stateWithShells();
  CommandQueue queue;
  queue.apply(cmd::SetStructureHidden{1, true}, state);
  queue.apply(cmd::Select{2}, state);
  queue.undo(state);
  EXPECT_EQ(state.display.selected, std::optional<std::uint32_t>(2));
  EXPECT_FALSE(state.display.isHidden(1));
}

TEST(Commands, RandomEditSequencesUndoneFullyRestoreTheStart) {
  std::mt19937 random(1234);
  for (int run = 0; run < 20; ++run) {
    AppState state = stateWithShells();
    const DisplaySettings start = state.display;
    CommandQueue queue;
    const int steps = 1 + static_cast<int>(random() % 40);
    std::vector<DisplaySettings> after;
    for (int i = 0; i < steps; ++i) {
      const Layer layer = kAllLayers[random() % kLayerCount];
      const std::uint32_t structure = random() % 5;
      switch (random() % 7) {
      case 0: queue.apply(cmd::SetPeelDepth{float(random() % 60) / 10.0f}, state); break;
      case 1: queue.apply(cmd::SetLayerVisible{layer, random() % 2 == 0}, state); break;
      case 2: queue.apply(cmd::SetLayerOpacity{layer, float(random() % 11) / 10.0f}, state); break;
      case 3: queue.apply(cmd::SetStructureHidden{structure, random() % 2 == 0}, state); break;
      case 4: queue.apply(cmd::IsolateStructure{structure}, state); break;
      case 5: queue.apply(cmd::ShowAll{}, state); break;
      default: queue.apply(cmd::ResetLayers{}, state); break;
      }
      // An edit that changes nothing (hiding a hidden structure) leaves no undo step.
      if (state.display != (after.empty() ? start : after.back())) after.push_back(state.display);
    }
    if (after.empty()) continue;
    const DisplaySettings end = state.display;
    // Each undo steps back exactly one edit.
    for (std::size_t i = after.size(); i-- > 1;) {
      ASSERT_TRUE(queue.canUndo());
      queue.undo(state);
      EXPECT_TRUE(sameDisplay(state.display, after[i - 1])) << "run " << run << ", step " << i;
    }
    queue.undo(state);
    EXPECT_FALSE(queue.canUndo());
    EXPECT_TRUE(sameDisplay(state.display, start)) << "run " << run;
    while (queue.canRedo()) queue.redo(state);
    EXPECT_TRUE(sameDisplay(state.display, end)) << "run " << run;
  }
}

TEST(Commands, CameraTransitionEndsAtThePreset) {
  AppState state = stateWithShells();
  CommandQueue queue;
  queue.apply(cmd::ViewPresetCmd{ViewPreset::Left}, state);
  EXPECT_TRUE(state.transition.active());
  for (int i = 0; i < 100; ++i) advanceCamera(state, 0.016f);
  EXPECT_FALSE(state.transition.active());
  const Camera expected = presetCamera(ViewPreset::Left, state.model->bounds(), state.aspect());
  EXPECT_NEAR(glm::distance(state.camera.eye(), expected.eye()), 0.0f, 1e-4f);
}

TEST(Commands, FocusSelectionMovesTheTargetToTheStructure) {
  AppState state = stateWithShells();
  CommandQueue queue;
  queue.apply(cmd::Select{4}, state);
  queue.apply(cmd::FocusSelection{}, state);
  for (int i = 0; i < 100; ++i) advanceCamera(state, 0.016f);
  const glm::vec3 centre = state.model->structures[4].mesh.bounds().centre();
  EXPECT_NEAR(glm::distance(state.camera.target, centre), 0.0f, 1e-4f);
}

TEST(Picking, CentrePixelHitsTheOutermostShownLayer) {
  AppState state = stateWithShells();
  CommandQueue queue;
  const glm::vec2 centre = glm::vec2(state.viewport) * 0.5f;
  const std::vector<std::string> expected = {"skin", "superficial_fascia", "deep_fascia",
                                             "muscle_block", "bone_core"};
  for (int peel = 0; peel < 5; ++peel) {
    queue.apply(cmd::SetPeelDepth{float(peel)}, state);
    const auto hit = pickPixel(state, centre);
    ASSERT_TRUE(hit.has_value()) << "peel " << peel;
    EXPECT_EQ(state.model->structures[hit->structure].info.name, expected[std::size_t(peel)]);
  }
  queue.apply(cmd::SetPeelDepth{5.0f}, state);
  EXPECT_FALSE(pickPixel(state, centre).has_value());
}

TEST(Picking, HiddenStructuresAreNotPicked) {
  AppState state = stateWithShells();
  CommandQueue queue;
  queue.apply(cmd::SetStructureHidden{0, true}, state);
  const auto hit = pickPixel(state, glm::vec2(state.viewport) * 0.5f);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(state.model->structures[hit->structure].info.name, "superficial_fascia");
  EXPECT_FALSE(pickPixel(state, glm::vec2(2.0f, 2.0f)).has_value()) << "a corner is background";
}

TEST(Picking, BvhAndBruteForceAgreeThroughTheState) {
  AppState state = stateWithShells();
  const auto brute = pickPixel(state, glm::vec2(210.0f, 280.0f));
  state.bvh = std::make_shared<const Bvh>(*state.model);
  const auto fast = pickPixel(state, glm::vec2(210.0f, 280.0f));
  ASSERT_TRUE(brute.has_value()) << "the pixel must hit the model";
  ASSERT_TRUE(fast.has_value());
  EXPECT_EQ(brute->structure, fast->structure);
  EXPECT_EQ(brute->triangle, fast->triangle);
}

TEST(SceneSetup, ViewOptionsBecomeState) {
  AppState state;
  state.model = std::make_shared<const Model>(test::makeNestedShells(1));
  CommandLine options;
  options.size = {300, 200};
  options.view = ViewPreset::Right;
  options.peelDepth = 2.0f;
  options.layerOpacities = {{Layer::Bone, 0.5f}};
  applyViewOptions(options, state);
  EXPECT_EQ(state.viewport, glm::ivec2(300, 200));
  EXPECT_FLOAT_EQ(state.display.peelDepth, 2.0f);
  EXPECT_FLOAT_EQ(state.display.layers[4].opacity, 0.5f);
  EXPECT_LT(state.camera.eye().x, state.model->bounds().min.x);
}

} // namespace

namespace {

using namespace fascia;
using namespace fascia::app;

TEST(SceneSetup, PanelsShiftTheFramingIntoTheFreePart) {
  AppState state;
  state.viewport = {1000, 500};
  EXPECT_FLOAT_EQ(state.freeAspect(), 2.0f);
  EXPECT_EQ(state.freeLensShift(), glm::vec2(0.0f));
  state.insets = {300.0f, 100.0f};
  EXPECT_FLOAT_EQ(state.freeAspect(), 2.0f * 0.6f);
  // The free part spans x = 300..900, centred at 600: 0.2 of the half-width right of centre.
  EXPECT_NEAR(state.freeLensShift().x, 0.2f, 1e-6f);
  // Absurd panels never take more than 60% of the view.
  state.insets = {2000.0f, 0.0f};
  EXPECT_NEAR(state.freeAspect(), 2.0f * 0.4f, 1e-6f);
  EXPECT_NEAR(state.freeLensShift().x, 0.6f, 1e-6f);
}

} // namespace
