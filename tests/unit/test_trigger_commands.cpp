// Trigger-point commands (add, edit, move, delete) with undo and redo, and what the view
// derives from them: markers, unplaced points, the referral heat map, label lookup.

#include <gtest/gtest.h>

#include <memory>
#include <random>

#include "cli.h"
#include "commands.h"
#include "fascia/error.h"
#include "scene_setup.h"
#include "state.h"
#include "app_fixtures.h"
#include "test_models.h"
#include "trigger_view.h"

namespace {

using namespace fascia;
using namespace fascia::app;

using test::stateWithShells;

// The shells seen from behind (the view the pixel checks below use), without a transition.
AppState shellsFromBehind(CommandQueue& queue) {
  AppState state = stateWithShells(3);
  queue.apply(cmd::ViewPresetCmd{ViewPreset::Posterior, false}, state);
  return state;
}

// A point on the back (-Z) of the muscle block, bound by a real ray cast.
TriggerPoint pointOnMuscle(const AppState& state, const std::string& id, float x, float y) {
  const auto muscle = state.model->find("muscle_block");
  const auto placed = placeOnStructure(*state.model, static_cast<std::uint32_t>(*muscle),
                                       {x, y, -0.1f}, {0.0f, 0.0f, 1.0f});
  EXPECT_TRUE(placed.has_value());
  TriggerPoint point;
  point.id = id;
  point.label = std::string("Point ").append(id);
  point.structure = "muscle_block";
  point.side = x >= 0.0f ? "left" : "right";
  point.position = placed ? placed->position : glm::vec3(x, y, -0.1f);
  if (placed) point.anchor = SurfaceAnchor{placed->triangle, placed->barycentric};
  point.created = "2026-01-01T00:00:00Z";
  point.modified = point.created;
  return point;
}

TEST(TriggerCommands, AddEditDeleteUndoRedo) {
  AppState state = stateWithShells();
  CommandQueue queue;
  queue.apply(cmd::AddTriggerPoint{pointOnMuscle(state, "a", 0.05f, 0.1f)}, state);
  ASSERT_EQ(state.points.document.points.size(), 1u);
  EXPECT_TRUE(state.points.dirty());
  EXPECT_EQ(state.points.selected, (PointRef{PointRef::Source::Annotation, "a"}));
  EXPECT_EQ(queue.undoLabel(), "Add Point a");

  TriggerPoint edited = state.points.document.points[0];
  edited.pain = 8;
  edited.notes = "worse in the morning";
  queue.apply(cmd::UpdateTriggerPoint{edited}, state);
  EXPECT_EQ(state.points.document.points[0].pain, 8);
  EXPECT_EQ(queue.undoLabel(), "Edit Point a");

  queue.apply(cmd::DeleteTriggerPoint{"a"}, state);
  EXPECT_TRUE(state.points.document.points.empty());
  EXPECT_FALSE(state.points.selected.has_value()) << "a deleted point cannot stay selected";

  queue.undo(state);
  ASSERT_EQ(state.points.document.points.size(), 1u);
  EXPECT_EQ(state.points.document.points[0].pain, 8);
  queue.undo(state);
  EXPECT_EQ(state.points.document.points[0].pain, 5);
  queue.undo(state);
  EXPECT_TRUE(state.points.document.points.empty());
  EXPECT_FALSE(state.points.dirty()) << "undoing everything gives the saved document back";
  queue.redo(state);
  queue.redo(state);
  queue.redo(state);
  EXPECT_TRUE(state.points.document.points.empty());
  EXPECT_FALSE(queue.canRedo());
}

TEST(TriggerCommands, ADragIsOneUndoStep) {
  AppState state = stateWithShells();
  CommandQueue queue;
  queue.apply(cmd::AddTriggerPoint{pointOnMuscle(state, "a", 0.0f, 0.0f)}, state);
  const TriggerPoint start = state.points.document.points[0];
  queue.breakMerge();
  for (int step = 1; step <= 10; ++step) {
    queue.push(cmd::UpdateTriggerPoint{pointOnMuscle(state, "a", 0.005f * step, 0.0f)}, true);
  }
  queue.applyPending(state);
  EXPECT_NE(state.points.document.points[0].position, start.position);
  queue.undo(state);
  EXPECT_EQ(state.points.document.points[0], start);
  EXPECT_EQ(queue.undoLabel(), "Add Point a");
}

TEST(TriggerCommands, NoOpEditsLeaveNoUndoStep) {
  AppState state = stateWithShells();
  CommandQueue queue;
  queue.apply(cmd::AddTriggerPoint{pointOnMuscle(state, "a", 0.0f, 0.0f)}, state);
  queue.apply(cmd::UpdateTriggerPoint{state.points.document.points[0]}, state);
  queue.apply(cmd::DeleteTriggerPoint{"no-such-point"}, state);
  queue.undo(state);
  EXPECT_FALSE(queue.canUndo());
}

TEST(TriggerCommands, RandomEditSequencesUndoToTheStart) {
  std::mt19937 random(20261126);
  for (int round = 0; round < 20; ++round) {
    AppState state = stateWithShells();
    CommandQueue queue;
    queue.apply(cmd::AddTriggerPoint{pointOnMuscle(state, "seed", 0.0f, 0.05f)}, state);
    queue.clearHistory();
    const AnnotationDocument initial = state.points.document;
    const DisplaySettings initialDisplay = state.display;
    for (int i = 0; i < 25; ++i) {
      const auto& points = state.points.document.points;
      const int kind = std::uniform_int_distribution<int>(0, 4)(random);
      if (kind == 0 || points.empty()) {
        const float x = std::uniform_real_distribution<float>(-0.08f, 0.08f)(random);
        queue.apply(cmd::AddTriggerPoint{pointOnMuscle(state, std::to_string(1000 + i), x, 0.0f)},
                    state);
      } else {
        const std::size_t which =
            std::uniform_int_distribution<std::size_t>(0, points.size() - 1)(random);
        TriggerPoint point = points[which];
        if (kind == 1) {
          queue.apply(cmd::DeleteTriggerPoint{point.id}, state);
        } else if (kind == 2) {
          point.pain = std::uniform_int_distribution<int>(0, 10)(random);
          point.label.append("\xE2\x9C\x93"); // a check mark: unicode survives undo
          queue.apply(cmd::UpdateTriggerPoint{point}, state);
        } else if (kind == 3) {
          point.referral.essential.push_back(ReferralBlob{point.position, 0.03f});
          queue.apply(cmd::UpdateTriggerPoint{point}, state);
        } else {
          queue.apply(cmd::SetPeelDepth{static_cast<float>(i % 4)}, state);
        }
      }
    }
    while (queue.canUndo()) queue.undo(state);
    EXPECT_EQ(state.points.document, initial) << "round " << round;
    EXPECT_EQ(state.display.peelDepth, initialDisplay.peelDepth);
  }
}

TEST(TriggerCommands, OpeningADocumentClearsHistoryAndDirtiness) {
  AppState state = stateWithShells();
  CommandQueue queue;
  queue.apply(cmd::AddTriggerPoint{pointOnMuscle(state, "a", 0.0f, 0.0f)}, state);
  AnnotationDocument document;
  document.points.push_back(pointOnMuscle(state, "b", 0.02f, 0.0f));
  queue.apply(cmd::ReplaceAnnotations{document, "/tmp/patient.json", document}, state);
  EXPECT_FALSE(queue.canUndo());
  EXPECT_FALSE(state.points.dirty());
  EXPECT_FALSE(state.points.selected.has_value());
  queue.apply(cmd::DeleteTriggerPoint{"b"}, state);
  EXPECT_TRUE(state.points.dirty());
  queue.apply(cmd::MarkAnnotationsSaved{"/tmp/other.json"}, state);
  EXPECT_FALSE(state.points.dirty());
  EXPECT_EQ(state.points.path, std::filesystem::path("/tmp/other.json"));
}

TEST(TriggerView, MarkersForPlacedPointsAndUnplacedListed) {
  AppState state = stateWithShells();
  CommandQueue queue;
  queue.apply(cmd::AddTriggerPoint{pointOnMuscle(state, "a", 0.03f, 0.1f)}, state);
  TriggerPoint missing = pointOnMuscle(state, "b", 0.0f, 0.0f);
  missing.structure = "no_such_muscle";
  queue.apply(cmd::AddTriggerPoint{missing}, state);

  TriggerPointView view;
  view.update(state);
  ASSERT_EQ(view.markers().size(), 1u);
  EXPECT_EQ(view.markers()[0].ref.id, "a");
  EXPECT_LT(glm::distance(view.markers()[0].position, state.points.document.points[0].position),
            1e-4f);
  ASSERT_EQ(view.unplaced().size(), 1u);
  EXPECT_EQ(view.unplaced()[0], "b");
  EXPECT_EQ(state.points.document.points.size(), 2u) << "unplaced points are kept";
}

TEST(TriggerView, MarkerUnderItsProjectedPixel) {
  AppState state = stateWithShells();
  CommandQueue queue;
  queue.apply(cmd::ViewPresetCmd{ViewPreset::Posterior, false}, state);
  queue.apply(cmd::AddTriggerPoint{pointOnMuscle(state, "a", 0.04f, 0.12f)}, state);
  TriggerPointView view;
  view.update(state);
  const auto pixel = TriggerPointView::project(state, view.markers()[0].position);
  ASSERT_TRUE(pixel.has_value());
  // Seen from behind, the patient's left (+X) is on the viewer's left too; y is above centre.
  EXPECT_LT(pixel->x, state.viewport.x * 0.5f);
  EXPECT_LT(pixel->y, state.viewport.y * 0.5f);
  EXPECT_EQ(view.markerAt(state, *pixel + glm::vec2(3.0f, -2.0f), 8.0f),
            (std::optional<PointRef>(PointRef{PointRef::Source::Annotation, "a"})));
  EXPECT_FALSE(view.markerAt(state, *pixel + glm::vec2(40.0f, 0.0f), 8.0f).has_value());
}

TEST(TriggerView, HeatSpotsFollowTheSelectedPointsZone) {
  AppState state = stateWithShells();
  CommandQueue queue;
  TriggerPoint point = pointOnMuscle(state, "a", 0.0f, 0.0f);
  point.referral.essential.push_back(ReferralBlob{{0.0f, 0.3f, -0.08f}, 0.1f});
  point.referral.spillover.push_back(ReferralBlob{{0.05f, 0.2f, -0.1f}, 0.06f});
  queue.apply(cmd::AddTriggerPoint{point}, state);
  queue.apply(cmd::SelectTriggerPoint{std::nullopt}, state);

  TriggerPointView view;
  view.update(state);
  EXPECT_TRUE(view.heatSpots().empty()) << "nothing selected, no heat map";

  queue.apply(cmd::SelectTriggerPoint{PointRef{PointRef::Source::Annotation, "a"}}, state);
  view.update(state);
  ASSERT_EQ(view.heatSpots().size(), 2u);
  // The renderer's spots give the heat the document's zone defines, everywhere.
  std::mt19937 random(7);
  std::uniform_real_distribution<float> coordinate(-0.2f, 0.4f);
  for (int i = 0; i < 2000; ++i) {
    const glm::vec3 p(coordinate(random) * 0.5f, coordinate(random), coordinate(random) * 0.5f);
    float heat = 0.0f;
    for (const HeatSpot& spot : view.heatSpots()) {
      heat = std::max(heat, spot.strength * heatSpotFalloff(glm::distance(p, spot.centre) / spot.radius));
    }
    EXPECT_NEAR(heat, referralHeat(state.points.document.points[0].referral, p), 1e-5f);
  }

  // Editing the zone updates the spots; deleting the point removes them.
  TriggerPoint edited = state.points.document.points[0];
  edited.referral.spillover.clear();
  queue.apply(cmd::UpdateTriggerPoint{edited}, state);
  view.update(state);
  EXPECT_EQ(view.heatSpots().size(), 1u);
  queue.apply(cmd::DeleteTriggerPoint{"a"}, state);
  view.update(state);
  EXPECT_TRUE(view.heatSpots().empty());
}

TEST(TriggerView, FindsPointsByLabelInAnnotationsThenLibrary) {
  AppState state = stateWithShells();
  CommandQueue queue;
  TriggerPoint point = pointOnMuscle(state, "a", 0.0f, 0.0f);
  point.label = "Knot Under Shoulder";
  queue.apply(cmd::AddTriggerPoint{point}, state);
  auto library = std::make_shared<TriggerPointLibrary>();
  LibraryTriggerPoint entry;
  entry.id = "piriformis-1-left";
  entry.label = "Piriformis 1 (left)";
  library->points.push_back(entry);
  state.points.library = library;
  EXPECT_EQ(findPointByLabel(state, "knot under shoulder"),
            (std::optional<PointRef>(PointRef{PointRef::Source::Annotation, "a"})));
  EXPECT_EQ(findPointByLabel(state, "PIRIFORMIS 1 (LEFT)"),
            (std::optional<PointRef>(PointRef{PointRef::Source::Library, "piriformis-1-left"})));
  EXPECT_FALSE(findPointByLabel(state, "Piriformis 2").has_value());
}

TEST(TriggerOptions, CommandLineOptionsParseAndCombine) {
  const CommandLine options = parseCommandLine(
      {"--screenshot", "out.png", "--annotations", "p.json", "--show-referral", "Piriformis 1 (left)"});
  EXPECT_EQ(options.annotationsPath, std::filesystem::path("p.json"));
  EXPECT_EQ(options.showReferral, "Piriformis 1 (left)");
  EXPECT_EQ(parseCommandLine({"--list-trigger-points"}).mode, Mode::ListTriggerPoints);
  EXPECT_THROW(parseCommandLine({"--pick", "1,1", "--show-referral", "x"}), UsageError);
  EXPECT_THROW(parseCommandLine({"--list-trigger-points", "--annotations", "p.json"}), UsageError);
  EXPECT_THROW(parseCommandLine({"--annotations"}), UsageError);
  EXPECT_THROW(parseCommandLine({"--list-trigger-points", "--screenshot", "a.png"}), UsageError);
}

TEST(TriggerOptions, UnknownReferralLabelIsAnInputError) {
  AppState state = stateWithShells();
  CommandLine options;
  options.showReferral = "Nowhere 9";
  try {
    applyTriggerPointOptions(options, state);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("Nowhere 9"), std::string::npos);
  }
}

} // namespace

namespace {

TEST(ReferralBrush, DabsAddBlobsErasingRemovesThem) {
  ReferralZone zone;
  EXPECT_TRUE(paintReferral(zone, {0.0f, 0.0f, 0.0f}, 0.03f, true, false));
  EXPECT_FALSE(paintReferral(zone, {0.005f, 0.0f, 0.0f}, 0.03f, true, false))
      << "a dab on top of the last one adds nothing";
  EXPECT_TRUE(paintReferral(zone, {0.02f, 0.0f, 0.0f}, 0.03f, true, false));
  EXPECT_TRUE(paintReferral(zone, {0.005f, 0.0f, 0.0f}, 0.03f, false, false))
      << "the spillover zone is separate";
  EXPECT_EQ(zone.essential.size(), 2u);
  EXPECT_EQ(zone.spillover.size(), 1u);
  EXPECT_EQ(referralHeat(zone, {0.01f, 0.0f, 0.0f}), 1.0f) << "blobs a radius apart form a band";

  EXPECT_TRUE(paintReferral(zone, {0.0f, 0.0f, 0.0f}, 0.015f, true, true));
  EXPECT_EQ(zone.essential.size(), 1u) << "only blobs within the brush are erased";
  EXPECT_TRUE(zone.spillover.empty());
  EXPECT_FALSE(paintReferral(zone, {1.0f, 0.0f, 0.0f}, 0.03f, true, true));
  EXPECT_FALSE(paintReferral(zone, {1.0f, 0.0f, 0.0f}, 0.0f, true, false)) << "no zero brush";

  ReferralZone full;
  for (std::size_t i = 0; i < kMaxHeatSpots; ++i) {
    ASSERT_TRUE(paintReferral(full, {0.1f * static_cast<float>(i), 0.0f, 0.0f}, 0.02f, true, false));
  }
  EXPECT_FALSE(paintReferral(full, {-1.0f, 0.0f, 0.0f}, 0.02f, true, false))
      << "no more blobs than the renderer draws";
}

TEST(TriggerPlacement, APickedPointIsPlacedWhereThePickHit) {
  CommandQueue queue;
  AppState state = shellsFromBehind(queue);
  queue.apply(cmd::SetPeelDepth{3.0f}, state); // the muscle block is the outermost layer
  const auto hit = pickPixel(state, {230.0f, 250.0f});
  ASSERT_TRUE(hit.has_value());
  ASSERT_EQ(state.model->structures[hit->structure].info.name, "muscle_block");
  TriggerPoint point;
  point.id = "picked";
  point.structure = "muscle_block";
  point.anchor = SurfaceAnchor{hit->triangle, hit->barycentric};
  point.position = hit->position;
  queue.apply(cmd::AddTriggerPoint{point}, state);
  TriggerPointView view;
  view.update(state);
  ASSERT_EQ(view.markers().size(), 1u);
  const auto pixel = TriggerPointView::project(state, view.markers()[0].position);
  ASSERT_TRUE(pixel.has_value());
  EXPECT_NEAR(pixel->x, 230.0f, 1.0f);
  EXPECT_NEAR(pixel->y, 250.0f, 1.0f);
  EXPECT_FALSE(isCovered(state, view.markers()[0].position)) << "nothing shown in front of it";
  queue.apply(cmd::SetPeelDepth{0.0f}, state);
  EXPECT_TRUE(isCovered(state, view.markers()[0].position)) << "under the skin again";
}

} // namespace

namespace {

TEST(TriggerPlacement, AClickOnSkinMarksTheMuscleBeneath) {
  CommandQueue queue;
  AppState state = shellsFromBehind(queue);
  // Skin shown: the pick hits the skin, the trigger point goes to the muscle under it.
  const auto skinHit = pickPixel(state, {230.0f, 250.0f});
  ASSERT_TRUE(skinHit.has_value());
  ASSERT_EQ(state.model->structures[skinHit->structure].info.name, "skin");
  const auto hit = pickForTriggerPoint(state, {230.0f, 250.0f});
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(state.model->structures[hit->structure].info.name, "muscle_block");
  EXPECT_GT(hit->t, skinHit->t);

  TriggerPoint point;
  bindToHit(point, *state.model, *hit);
  EXPECT_EQ(point.structure, "muscle_block");
  ASSERT_TRUE(point.anchor.has_value());
  EXPECT_EQ(point.anchor->triangle, hit->triangle);
  EXPECT_EQ(point.position, hit->position);

  // A hidden muscle is not marked through the skin: the point stays on what was clicked.
  queue.apply(cmd::SetStructureHidden{static_cast<std::uint32_t>(*state.model->find("muscle_block")),
                                      true},
              state);
  const auto withoutMuscle = pickForTriggerPoint(state, {230.0f, 250.0f});
  ASSERT_TRUE(withoutMuscle.has_value());
  EXPECT_EQ(state.model->structures[withoutMuscle->structure].info.name, "skin");
  // Outside the body there is nothing to mark.
  EXPECT_FALSE(pickForTriggerPoint(state, {2.0f, 2.0f}).has_value());
}

TEST(TriggerCommands, MixedMergedEditsUndoAndRedoStepByStep) {
  std::mt19937 random(99);
  for (int round = 0; round < 20; ++round) {
    AppState state = stateWithShells();
    CommandQueue queue;
    queue.apply(cmd::AddTriggerPoint{pointOnMuscle(state, "a", 0.0f, 0.05f)}, state);
    queue.apply(cmd::AddTriggerPoint{pointOnMuscle(state, "b", 0.03f, 0.05f)}, state);
    queue.clearHistory();
    // Each "widget session" (breakMerge, then a few mergeable edits of one point) is one step.
    std::vector<AnnotationDocument> afterEachStep{state.points.document};
    for (int session = 0; session < 12; ++session) {
      const std::string id = random() % 2 == 0 ? "a" : "b";
      queue.breakMerge();
      const int edits = 1 + static_cast<int>(random() % 4);
      for (int e = 0; e < edits; ++e) {
        TriggerPoint point = *state.points.document.find(id);
        point.pain = static_cast<int>(random() % 11);
        point.notes.append("x");
        queue.push(cmd::UpdateTriggerPoint{point}, true);
      }
      queue.applyPending(state);
      afterEachStep.push_back(state.points.document);
    }
    for (std::size_t i = afterEachStep.size() - 1; i > 0; --i) {
      ASSERT_TRUE(queue.canUndo());
      queue.undo(state);
      EXPECT_EQ(state.points.document, afterEachStep[i - 1]) << "round " << round << " step " << i;
    }
    EXPECT_FALSE(queue.canUndo());
    for (std::size_t i = 1; i < afterEachStep.size(); ++i) {
      queue.redo(state);
      EXPECT_EQ(state.points.document, afterEachStep[i]) << "round " << round << " redo " << i;
    }
  }
}

} // namespace

namespace {

TEST(TriggerView, MarkersCutAwayBySectionAreNotPicked) {
  CommandQueue queue;
  AppState state = shellsFromBehind(queue);
  queue.apply(cmd::AddTriggerPoint{pointOnMuscle(state, "a", 0.04f, 0.12f)}, state);
  TriggerPointView view;
  view.update(state);
  const auto pixel = TriggerPointView::project(state, view.markers()[0].position);
  ASSERT_TRUE(pixel.has_value());
  ASSERT_TRUE(view.markerAt(state, *pixel, 8.0f).has_value());
  // A sagittal cut removing the patient's left (+X) half takes the point with it.
  SectionPlane cut;
  cut.enabled = true;
  cut.point = glm::vec3(0.0f);
  cut.normal = glm::vec3(1.0f, 0.0f, 0.0f);
  queue.apply(cmd::SetSection{cut}, state);
  EXPECT_FALSE(view.markerAt(state, *pixel, 8.0f).has_value());
  cut.normal = glm::vec3(-1.0f, 0.0f, 0.0f); // the other half goes instead
  queue.apply(cmd::SetSection{cut}, state);
  EXPECT_TRUE(view.markerAt(state, *pixel, 8.0f).has_value());
}

} // namespace
