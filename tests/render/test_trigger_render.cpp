// Trigger points in real frames: markers where their points project, ghosted under shown
// layers; the referred-pain heat map on the skin in its zone and nowhere else; the command
// line's trigger-point options and their errors.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <string>

#include <glm/geometric.hpp>
#include <glm/vec2.hpp>

#include "annotations.h"
#include "cli.h"
#include "fascia/image.h"
#include "fascia/model_loader.h"
#include "fascia/surface.h"
#include "process.h"
#include "scene_setup.h"
#include "state.h"
#include "test_models.h"
#include "trigger_view.h"

namespace {

using fascia::Image;
using fascia::test::runFascia;
using namespace fascia::app;

constexpr int kWidth = 320;
constexpr int kHeight = 400;
// Where the test "clicks" to place its trigger point: left of centre, above the middle.
const glm::vec2 kPickedPixel{130.5f, 150.5f};

// Grey nested shells (so the heat map's red and the marker's colour stand out), an annotation
// file with one point on the back of the muscle block, and the app state that frames them as
// the screenshot does.
struct TriggerFixture {
  fascia::test::TempDir dir;
  std::filesystem::path model;
  std::filesystem::path annotations;
  TriggerPoint point;
  glm::vec3 zoneCentre{0.0f};
  float zoneRadius = 0.07f;

  TriggerFixture() {
    fascia::Model shells = fascia::test::makeNestedShells(4);
    for (auto& structure : shells.structures) structure.info.colour = glm::vec3(0.55f);
    model = dir / "shells.obj";
    fascia::test::writeObj(shells, model);
    fascia::test::writeManifest(shells, dir / "shells.manifest.json");

    // The point is placed the way a click places it: the app's pick at a pixel of the frame
    // the screenshot renders (peel 3: the muscle block is the outermost layer there), on the
    // model loaded back as the program loads it.
    AppState state = frameState(3.0f);
    const auto onMuscle = pickForTriggerPoint(state, kPickedPixel);
    EXPECT_TRUE(onMuscle.has_value());
    if (onMuscle) {
      EXPECT_EQ(state.model->structures[onMuscle->structure].info.name, "muscle_block");
    }
    const fascia::Model& loaded = *state.model;
    const auto skin = static_cast<std::uint32_t>(*loaded.find("skin"));
    const auto onSkin = fascia::placeOnStructure(loaded, skin, {-0.05f, -0.15f, -0.1f},
                                                 {0.0f, 0.0f, 1.0f});
    EXPECT_TRUE(onSkin.has_value());
    zoneCentre = onSkin ? onSkin->position : glm::vec3(0.0f);

    point.id = "tp-1";
    point.label = "Test point";
    point.structure = "muscle_block";
    point.side = "left";
    point.pain = 9;
    point.created = "2026-11-26T00:00:00Z";
    point.modified = point.created;
    if (onMuscle) bindToHit(point, loaded, *onMuscle);
    point.referral.essential.push_back(ReferralBlob{zoneCentre, zoneRadius});
    AnnotationDocument document;
    document.points.push_back(point);
    annotations = dir / "patient.json";
    saveAnnotations(document, annotations);
  }

  Image screenshot(std::vector<std::string> options) const {
    const auto png = dir / "frame.png";
    std::vector<std::string> args = {"--screenshot", png.string(), "--size",
                                     std::to_string(kWidth) + "x" + std::to_string(kHeight)};
    args.insert(args.end(), options.begin(), options.end());
    args.push_back(model.string());
    const auto result = runFascia(args);
    EXPECT_EQ(result.exitCode, 0) << result.err;
    return fascia::readPng(png);
  }

  // The state --screenshot renders (same model file, camera and peel).
  AppState frameState(float peel) const {
    CommandLine options;
    options.size = {kWidth, kHeight};
    options.peelDepth = peel;
    AppState state;
    state.model = std::make_shared<const fascia::Model>(fascia::loadModel(model));
    applyViewOptions(options, state);
    return state;
  }

  // Where a model point lands in the frame.
  glm::vec2 project(glm::vec3 position) const {
    const AppState state = frameState(0.0f);
    const auto pixel = TriggerPointView::project(state, position);
    EXPECT_TRUE(pixel.has_value());
    return pixel.value_or(glm::vec2(-1000.0f));
  }
};

int difference(glm::u8vec4 a, glm::u8vec4 b) {
  return std::abs(a.r - b.r) + std::abs(a.g - b.g) + std::abs(a.b - b.b);
}

// Pixels that differ by more than `threshold`, split by distance from `centre`.
struct Changes {
  int near = 0;
  int far = 0;
  int strongestNear = 0;
};
// Pixels within `ignoreRadius` of `ignore` are left out (a marker that changes too).
Changes changesAround(const Image& a, const Image& b, glm::vec2 centre, float nearRadius,
                      float farRadius, int threshold, glm::vec2 ignore = glm::vec2(-1e6f),
                      float ignoreRadius = 0.0f) {
  Changes changes;
  for (int y = 0; y < a.height; ++y) {
    for (int x = 0; x < a.width; ++x) {
      if (glm::distance(glm::vec2(x, y) + 0.5f, ignore) <= ignoreRadius) continue;
      const int d = difference(a.at(x, y), b.at(x, y));
      const float distance = glm::distance(glm::vec2(x, y) + 0.5f, centre);
      if (distance <= nearRadius) changes.strongestNear = std::max(changes.strongestNear, d);
      if (d <= threshold) continue;
      if (distance <= nearRadius) ++changes.near;
      if (distance > farRadius) ++changes.far;
    }
  }
  return changes;
}

class TriggerRender : public ::testing::Test {
protected:
  static void SetUpTestSuite() { fixture_ = new TriggerFixture(); }
  static void TearDownTestSuite() {
    delete fixture_;
    fixture_ = nullptr;
  }
  static TriggerFixture* fixture_;
};
TriggerFixture* TriggerRender::fixture_ = nullptr;

TEST_F(TriggerRender, MarkerAppearsWhereThePointWasPickedSolidOnceUncovered) {
  const glm::vec2 pixel = fixture_->project(fixture_->point.position);
  EXPECT_NEAR(pixel.x, kPickedPixel.x, 1.0f) << "the point projects back to the picked pixel";
  EXPECT_NEAR(pixel.y, kPickedPixel.y, 1.0f);
  const std::string annotations = fixture_->annotations.string();
  // Peel 3: the muscle block is the outermost shown layer, so the marker is solid.
  const Image plain = fixture_->screenshot({"--peel", "3"});
  const Image marked = fixture_->screenshot({"--peel", "3", "--annotations", annotations});
  const Changes solid = changesAround(plain, marked, pixel, 14.0f, 30.0f, 60);
  EXPECT_GE(solid.near, 40) << "a marker of about 8 px radius at " << pixel.x << "," << pixel.y;
  EXPECT_EQ(solid.far, 0) << "nothing changes away from the marker";
  // Its colour is the pain colour (pain 9: red).
  const glm::u8vec4 centre = marked.at(static_cast<int>(pixel.x), static_cast<int>(pixel.y));
  EXPECT_GT(centre.r, centre.g + 60);
  EXPECT_GT(centre.r, centre.b + 60);

  // Peel 0: the skin covers the point; the marker is still there, ghosted (fainter).
  const Image skinPlain = fixture_->screenshot({});
  const Image skinMarked = fixture_->screenshot({"--annotations", annotations});
  const Changes ghost = changesAround(skinPlain, skinMarked, pixel, 14.0f, 30.0f, 20);
  EXPECT_GE(ghost.near, 40) << "a covered point keeps a visible (ghosted) marker";
  EXPECT_EQ(ghost.far, 0);
  EXPECT_LT(ghost.strongestNear, solid.strongestNear) << "ghosted is fainter than solid";
}

TEST_F(TriggerRender, ReferralHeatMapPaintsTheZoneOnly) {
  const std::string annotations = fixture_->annotations.string();
  const Image without = fixture_->screenshot({"--annotations", annotations});
  const Image with =
      fixture_->screenshot({"--annotations", annotations, "--show-referral", "test point"});
  const glm::vec2 centre = fixture_->project(fixture_->zoneCentre);
  // The zone's radius on screen, from a point on its rim.
  const float radius =
      glm::distance(fixture_->project(fixture_->zoneCentre +
                                      glm::vec3(fixture_->zoneRadius, 0.0f, 0.0f)),
                    centre);
  ASSERT_GT(radius, 8.0f);
  const glm::u8vec4 before = without.at(static_cast<int>(centre.x), static_cast<int>(centre.y));
  const glm::u8vec4 after = with.at(static_cast<int>(centre.x), static_cast<int>(centre.y));
  EXPECT_GT(after.r - after.g, before.r - before.g + 60) << "the zone's centre turns red";
  // Selecting the point also enlarges its marker: leave the marker out of the comparison.
  const glm::vec2 marker = fixture_->project(fixture_->point.position);
  ASSERT_GT(glm::distance(marker, centre), radius * 1.3f + 20.0f) << "test set-up";
  const Changes changes =
      changesAround(without, with, centre, radius * 0.5f, radius * 1.3f, 12, marker, 20.0f);
  EXPECT_GE(changes.near, 20);
  EXPECT_EQ(changes.far, 0) << "nothing changes well outside the zone";
}

TEST_F(TriggerRender, UnknownReferralLabelAndBadAnnotationsExitTwo) {
  const auto png = (fixture_->dir / "bad.png").string();
  auto result = runFascia({"--screenshot", png, "--annotations", fixture_->annotations.string(),
                           "--show-referral", "No such point", fixture_->model.string()});
  EXPECT_EQ(result.exitCode, 2);
  EXPECT_NE(result.err.find("No such point"), std::string::npos) << result.err;

  const auto corrupt = fixture_->dir / "corrupt.json";
  fascia::test::writeBytes(corrupt, "{\"format\": \"fascia-annotations\", \"version\": 1, \"poi");
  result = runFascia({"--screenshot", png, "--annotations", corrupt.string(),
                      fixture_->model.string()});
  EXPECT_EQ(result.exitCode, 2);
  EXPECT_NE(result.err.find("corrupt.json"), std::string::npos) << result.err;
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;

  const auto newer = fixture_->dir / "newer.json";
  fascia::test::writeBytes(newer,
                           "{\"format\": \"fascia-annotations\", \"version\": 7, \"points\": []}");
  const std::string before = fascia::test::readBytes(newer);
  result = runFascia({"--screenshot", png, "--annotations", newer.string(),
                      fixture_->model.string()});
  EXPECT_EQ(result.exitCode, 2);
  EXPECT_NE(result.err.find("newer"), std::string::npos) << result.err;
  EXPECT_EQ(fascia::test::readBytes(newer), before) << "a refused file is left untouched";
}

TEST(TriggerCli, ListTriggerPointsPrintsTheLibrary) {
  const auto result = runFascia({"--list-trigger-points"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  std::istringstream lines(result.out);
  std::string line;
  int count = 0;
  bool sawPiriformis = false;
  while (std::getline(lines, line)) {
    ++count;
    EXPECT_EQ(std::count(line.begin(), line.end(), '\t'), 3) << line;
    const auto side = line.substr(0, line.rfind('\t'));
    const auto sideField = side.substr(side.rfind('\t') + 1);
    EXPECT_TRUE(sideField == "left" || sideField == "right" || sideField == "midline") << line;
    sawPiriformis = sawPiriformis || line.rfind("Piriformis", 0) == 0;
  }
  EXPECT_GE(count, 40) << "at least 20 classic points, both sides";
  EXPECT_TRUE(sawPiriformis);
}

} // namespace
