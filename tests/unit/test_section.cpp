// The section view on the CPU: plane helpers, ray clipping, the command and its undo, the
// command line, and picking that ignores what the plane removes.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>

#include <glm/geometric.hpp>
#include <glm/mat4x4.hpp>
#include <glm/vec4.hpp>

#include "cli.h"
#include "commands.h"
#include "fascia/bvh.h"
#include "fascia/section.h"
#include "scene_setup.h"
#include "section_view.h"
#include "technique_setup.h"
#include "state.h"
#include "app_fixtures.h"
#include "test_models.h"

namespace {

using namespace fascia;
using namespace fascia::app;

constexpr float kInfinity = std::numeric_limits<float>::infinity();

using test::stateWithShells;

// The pixel (origin top-left) where a world point appears.
glm::vec2 pixelOf(const AppState& state, const glm::vec3& world) {
  const glm::vec4 clip =
      state.camera.projection(state.aspect()) * state.camera.view() * glm::vec4(world, 1.0f);
  const glm::vec2 ndc = glm::vec2(clip) / clip.w;
  return {(ndc.x * 0.5f + 0.5f) * float(state.viewport.x),
          (0.5f - ndc.y * 0.5f) * float(state.viewport.y)};
}

std::string pickedName(const AppState& state, glm::vec2 pixel) {
  const auto hit = pickPixel(state, pixel);
  return hit ? state.model->structures[hit->structure].info.name : std::string("none");
}

// ---------------------------------------------------------------------------------------------
// Plane helpers

TEST(SectionPlane, KeepsTheSideAwayFromTheNormal) {
  const SectionPlane plane = sectionThrough({0.0f, 1.0f, 0.0f}, {0.0f, 2.0f, 0.0f});
  EXPECT_TRUE(plane.enabled);
  EXPECT_FLOAT_EQ(glm::length(plane.normal), 1.0f);
  EXPECT_TRUE(plane.keeps({0.0f, 0.5f, 0.0f}));
  EXPECT_TRUE(plane.keeps({3.0f, 1.0f, 0.0f})); // on the plane
  EXPECT_FALSE(plane.keeps({0.0f, 1.5f, 0.0f}));
  EXPECT_FLOAT_EQ(plane.distance({0.0f, 1.5f, 0.0f}), 0.5f);
  SectionPlane off = plane;
  off.enabled = false;
  EXPECT_TRUE(off.keeps({0.0f, 1.5f, 0.0f}));
}

TEST(SectionPlane, ThroughRejectsAZeroOrNonFiniteNormal) {
  EXPECT_THROW(sectionThrough({0, 0, 0}, {0, 0, 0}), std::invalid_argument);
  EXPECT_THROW(sectionThrough({0, 0, 0}, {kInfinity, 0, 0}), std::invalid_argument);
  EXPECT_THROW(sectionThrough({std::nanf(""), 0, 0}, {0, 1, 0}), std::invalid_argument);
}

TEST(SectionPlane, PresetsFollowTheAnatomicalAxes) {
  Bounds bounds;
  bounds.extend(glm::vec3(-0.2f, 0.0f, -0.1f));
  bounds.extend(glm::vec3(0.2f, 1.6f, 0.1f));
  const SectionPlane transverse = sectionPreset(SectionAxis::Transverse, bounds, 0.12f, false);
  EXPECT_EQ(transverse.normal, glm::vec3(0, 1, 0));
  EXPECT_FLOAT_EQ(transverse.point.y, 0.92f);
  EXPECT_FLOAT_EQ(sectionOffset(transverse, bounds), 0.12f);
  const SectionPlane sagittal = sectionPreset(SectionAxis::Sagittal, bounds, -0.05f, true);
  EXPECT_EQ(sagittal.normal, glm::vec3(-1, 0, 0));
  EXPECT_EQ(sectionAxisOf(sagittal), SectionAxis::Sagittal);
  // The offset is measured along the axis, whichever side is removed.
  EXPECT_FLOAT_EQ(sectionOffset(sagittal, bounds), -0.05f);
  EXPECT_FLOAT_EQ(sectionOffset(flipped(sagittal), bounds), -0.05f);
  EXPECT_FALSE(sectionAxisOf(sectionThrough({0, 0, 0}, {1, 1, 0})).has_value());
  EXPECT_FLOAT_EQ(movedAlongNormal(sagittal, 0.03f).point.x, -0.08f);
}

TEST(SectionPlane, AxisNamesRoundTrip) {
  for (const SectionAxis axis :
       {SectionAxis::Sagittal, SectionAxis::Coronal, SectionAxis::Transverse}) {
    EXPECT_EQ(parseSectionAxis(sectionAxisId(axis)), axis);
  }
  EXPECT_EQ(parseSectionAxis("Frontal"), SectionAxis::Coronal);
  EXPECT_EQ(parseSectionAxis("axial"), SectionAxis::Transverse);
  EXPECT_FALSE(parseSectionAxis("sagital").has_value());
}

TEST(SectionPlane, KeptIntervalClipsTheRay) {
  const SectionPlane plane = sectionThrough({0, 0, 0}, {0, 0, -1}); // removes z < 0
  // From the removed side towards the plane: starts where it crosses.
  auto kept = keptInterval(plane, Ray{{0, 0, -2}, {0, 0, 1}});
  ASSERT_TRUE(kept);
  EXPECT_FLOAT_EQ(kept->begin, 2.0f);
  EXPECT_EQ(kept->end, kInfinity);
  // From the kept side towards the plane: ends there.
  kept = keptInterval(plane, Ray{{0, 0, 3}, {0, 0, -1}});
  ASSERT_TRUE(kept);
  EXPECT_FLOAT_EQ(kept->begin, 0.0f);
  EXPECT_FLOAT_EQ(kept->end, 3.0f);
  // From the removed side, away from the plane or along it: nothing.
  EXPECT_FALSE(keptInterval(plane, Ray{{0, 0, -2}, {0, 0, -1}}));
  EXPECT_FALSE(keptInterval(plane, Ray{{0, 0, -2}, {1, 0, 0}}));
  // Disabled: the whole ray.
  SectionPlane off = plane;
  off.enabled = false;
  kept = keptInterval(off, Ray{{0, 0, -2}, {0, 0, -1}});
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->end, kInfinity);
}

// ---------------------------------------------------------------------------------------------
// App: defaults, facing the camera, dragging

TEST(SectionView, ANewModelHasTheCoronalDefaultSwitchedOff) {
  const AppState state = stateWithShells();
  EXPECT_FALSE(state.display.section.enabled);
  EXPECT_EQ(sectionAxisOf(state.display.section), SectionAxis::Coronal);
}

TEST(SectionView, TheFirstToggleCutsFacingTheView) {
  AppState state = stateWithShells();
  CommandQueue queue;
  for (const ViewPreset preset : {ViewPreset::Posterior, ViewPreset::Left, ViewPreset::Superior}) {
    state.display.section = defaultSection(state.model->bounds());
    queue.apply(cmd::ViewPresetCmd{preset, false}, state);
    const SectionPlane plane = toggledSection(state);
    EXPECT_TRUE(plane.enabled);
    // The normal points at the eye: the near half goes, the cut faces the viewer.
    EXPECT_GT(glm::dot(plane.normal, glm::normalize(state.camera.eye() - plane.point)), 0.9f)
        << viewPresetId(preset);
  }
  // Off, then on again: the same plane comes back.
  state.display.section = movedAlongNormal(toggledSection(state), 0.02f);
  const SectionPlane off = toggledSection(state);
  EXPECT_FALSE(off.enabled);
  state.display.section = off;
  SectionPlane on = toggledSection(state);
  on.enabled = false;
  EXPECT_EQ(on, off);
}

TEST(SectionView, DraggingFollowsTheNormalOnScreen) {
  AppState state = stateWithShells();
  // From behind, the patient's left (+X) is on the image's left.
  const SectionPlane sagittal =
      sectionPreset(SectionAxis::Sagittal, state.model->bounds(), 0, false);
  const glm::vec2 start(200.0f, 300.0f);
  const float left = sectionDragDistance(state.camera, state.viewport, sagittal, start,
                                         start - glm::vec2(40.0f, 0.0f));
  const float right = sectionDragDistance(state.camera, state.viewport, sagittal, start,
                                          start + glm::vec2(40.0f, 0.0f));
  EXPECT_GT(left, 0.0f);
  EXPECT_NEAR(left, -right, 1e-4f);
  // Vertical motion does not move a plane whose normal runs across the screen.
  EXPECT_NEAR(sectionDragDistance(state.camera, state.viewport, sagittal, start,
                                  start + glm::vec2(0.0f, 40.0f)),
              0.0f, 1e-4f);
  // Face on (normal at the viewer): up pushes the plane away, deeper into the body.
  const SectionPlane coronal = defaultSection(state.model->bounds());
  EXPECT_LT(sectionDragDistance(state.camera, state.viewport, coronal, start,
                                start - glm::vec2(0.0f, 40.0f)),
            0.0f);
}

// ---------------------------------------------------------------------------------------------
// Commands and undo

TEST(SectionCommands, ToggleAndMoveAreUndoable) {
  AppState state = stateWithShells();
  CommandQueue queue;
  const SectionPlane original = state.display.section;
  queue.apply(cmd::SetSection{toggledSection(state)}, state);
  EXPECT_TRUE(state.display.section.enabled);
  EXPECT_EQ(queue.undoLabel(), "Section view on");
  // One drag: many mergeable moves, one undo step.
  const SectionPlane atPress = state.display.section;
  queue.breakMerge();
  queue.applyPending(state);
  for (int i = 1; i <= 5; ++i) {
    queue.apply(cmd::SetSection{movedAlongNormal(atPress, -0.01f * float(i))}, state, true);
  }
  EXPECT_EQ(queue.undoLabel(), "Move section");
  EXPECT_NEAR(atPress.distance(state.display.section.point), -0.05f, 1e-6f);
  queue.undo(state);
  EXPECT_EQ(state.display.section, atPress);
  queue.undo(state);
  EXPECT_EQ(state.display.section, original);
  EXPECT_FALSE(queue.canUndo());
  queue.redo(state);
  queue.redo(state);
  EXPECT_NEAR(atPress.distance(state.display.section.point), -0.05f, 1e-6f);
}

TEST(SectionCommands, ABadPlaneIsIgnored) {
  AppState state = stateWithShells();
  CommandQueue queue;
  const SectionPlane before = state.display.section;
  queue.apply(cmd::SetSection{SectionPlane{true, glm::vec3(0.0f), glm::vec3(0.0f)}}, state);
  queue.apply(cmd::SetSection{SectionPlane{true, glm::vec3(std::nanf("")), glm::vec3(0, 1, 0)}},
              state);
  EXPECT_EQ(state.display.section, before);
  EXPECT_FALSE(queue.canUndo());
  // A normal that is not unit length is normalised.
  queue.apply(cmd::SetSection{SectionPlane{true, glm::vec3(0.0f), glm::vec3(0, 3, 0)}}, state);
  EXPECT_EQ(state.display.section.normal, glm::vec3(0, 1, 0));
}

TEST(SectionCommands, ResetLayersKeepsTheSection) {
  AppState state = stateWithShells();
  CommandQueue queue;
  queue.apply(cmd::SetSection{toggledSection(state)}, state);
  queue.apply(cmd::ResetLayers{}, state);
  EXPECT_TRUE(state.display.section.enabled);
}

// ---------------------------------------------------------------------------------------------
// Picking

TEST(SectionPicking, IgnoresWhatThePlaneRemoves) {
  AppState state = stateWithShells();
  const glm::vec3 middle = state.model->bounds().centre();
  const glm::vec2 centre = pixelOf(state, middle);
  // Between the bone core (0.20 m tall semi-axis) and the muscle block's surface (0.36 m).
  const glm::vec2 inMuscle = pixelOf(state, middle - glm::vec3(0.0f, 0.28f, 0.0f));
  for (const bool withBvh : {false, true}) {
    state.bvh = withBvh ? std::make_shared<const Bvh>(*state.model) : nullptr;
    state.display.section = sectionPreset(SectionAxis::Coronal, state.model->bounds(), 0, true);
    state.display.section.enabled = false;
    EXPECT_EQ(pickedName(state, centre), "skin");
    // Coronal through the centre, removing the back half seen from behind: the ray starts at
    // the plane, inside every shell; the first surface beyond is the bone core's far side,
    // the innermost cut face drawn there.
    state.display.section.enabled = true;
    EXPECT_EQ(pickedName(state, centre), "bone_core");
    // Off-centre, outside the bone core's cut but inside the muscle block's.
    EXPECT_EQ(pickedName(state, inMuscle), "muscle_block");
    // The other side removed: the back half is whole and its skin is hit first.
    state.display.section = flipped(state.display.section);
    EXPECT_EQ(pickedName(state, centre), "skin");
    // Everything removed: nothing to hit.
    state.display.section = sectionPreset(SectionAxis::Coronal, state.model->bounds(), 1.0f, true);
    EXPECT_EQ(pickedName(state, centre), "none");
  }
}

// ---------------------------------------------------------------------------------------------
// Command line

TEST(SectionCommandLine, PlaneForms) {
  CommandLine line = parseCommandLine({"--screenshot", "a.png", "--section", "body.glb"});
  ASSERT_TRUE(line.section);
  EXPECT_FALSE(line.section->axis);
  EXPECT_EQ(line.model, "body.glb");

  line = parseCommandLine({"--screenshot", "a.png", "--section"});
  ASSERT_TRUE(line.section);
  EXPECT_FALSE(line.section->axis);

  line = parseCommandLine({"--section", "transverse@12", "--pick", "1,2"});
  ASSERT_TRUE(line.section);
  EXPECT_EQ(line.section->axis, SectionAxis::Transverse);
  EXPECT_FLOAT_EQ(line.section->offset, 0.12f);

  line = parseCommandLine({"--section", "Frontal@-3.5"});
  EXPECT_EQ(line.section->axis, SectionAxis::Coronal);
  EXPECT_FLOAT_EQ(line.section->offset, -0.035f);

  line = parseCommandLine({"--section", "sagittal@0.1,1.2,-0.05"});
  EXPECT_EQ(line.section->axis, SectionAxis::Sagittal);
  ASSERT_TRUE(line.section->point);
  EXPECT_EQ(*line.section->point, glm::vec3(0.1f, 1.2f, -0.05f));

  EXPECT_FALSE(parseCommandLine({"--screenshot", "a.png"}).section);
}

TEST(SectionCommandLine, BadPlanesAreUsageErrors) {
  const auto message = [](std::vector<std::string> args) {
    try {
      parseCommandLine(args);
    } catch (const UsageError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message({"--section", "sagital"}).find("unknown plane 'sagital'"), std::string::npos);
  EXPECT_NE(message({"--section", "oblique@3"}).find("unknown plane 'oblique'"), std::string::npos);
  EXPECT_NE(message({"--section", "coronal@"}).find("nothing after '@'"), std::string::npos);
  EXPECT_NE(message({"--section", "coronal@abc"}).find("not a number"), std::string::npos);
  EXPECT_NE(message({"--section", "coronal@1,2"}).find("X,Y,Z"), std::string::npos);
  EXPECT_NE(message({"--section", "coronal@1,2,3,4"}).find("X,Y,Z"), std::string::npos);
  EXPECT_NE(message({"--section", "coronal@9000"}).find("outside"), std::string::npos);
}

TEST(SectionCommandLine, SceneSetupCutsFacingTheView) {
  AppState state = stateWithShells();
  CommandLine line =
      parseCommandLine({"--screenshot", "a.png", "--view", "left", "--section", "transverse@5"});
  applyViewOptions(line, state);
  const SectionPlane& plane = state.display.section;
  EXPECT_TRUE(plane.enabled);
  EXPECT_EQ(sectionAxisOf(plane), SectionAxis::Transverse);
  EXPECT_NEAR(sectionOffset(plane, state.model->bounds()), 0.05f, 1e-6f);

  line = parseCommandLine({"--screenshot", "a.png", "--view", "left", "--section"});
  applyViewOptions(line, state);
  EXPECT_EQ(sectionAxisOf(state.display.section), SectionAxis::Sagittal);
  EXPECT_GT(state.display.section.normal.x, 0.5f) << "the left view looks from +X";

  line = parseCommandLine({"--screenshot", "a.png"});
  applyViewOptions(line, state);
  EXPECT_FALSE(state.display.section.enabled);
}

TEST(SectionCommandLine, WithATechniqueTheCutGoesThroughTheContactFoundOnTheWholeBody) {
  // From behind, --section first removes the back a fifth of the depth behind the centre; a
  // pick through that plane would land on the inside of the front wall. The contact must be on
  // the back's skin, and the cut then goes through it.
  AppState state = stateWithShells();
  state.camera = presetCamera(ViewPreset::Posterior, state.model->bounds(), state.aspect());
  const CommandLine line = parseCommandLine({"--screenshot", "a.png", "--size", "400x600",
                                             "--technique", "ischaemic-compression", "--at",
                                             "200,300", "--section"});
  applyViewOptions(line, state);
  const SectionPlane before = state.display.section;
  ASSERT_TRUE(before.enabled);
  applyTechniqueOptions(line, state);
  ASSERT_TRUE(state.technique.placed);
  const glm::vec3 contact = state.technique.params.point;
  const Bounds bounds = state.model->bounds();
  EXPECT_LT(contact.z, bounds.min.z + 0.01f) << "on the back's skin, not inside the front wall";
  EXPECT_GT(state.technique.params.direction.z, 0.9f);
  EXPECT_TRUE(state.display.section.enabled);
  EXPECT_EQ(state.display.section.point, contact);
  EXPECT_EQ(state.display.section.normal, before.normal);

  // A plane given with its own point stays where it was put.
  AppState placed = stateWithShells();
  placed.camera = state.camera;
  const CommandLine own = parseCommandLine({"--screenshot", "a.png", "--size", "400x600",
                                            "--technique", "ischaemic-compression", "--at",
                                            "200,300", "--section", "coronal@0,0,0.02"});
  applyViewOptions(own, placed);
  applyTechniqueOptions(own, placed);
  EXPECT_NEAR(placed.display.section.point.z, 0.02f, 1e-6f);
}

} // namespace
