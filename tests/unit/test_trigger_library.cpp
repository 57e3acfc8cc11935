// The trigger-point library: expansion of "both" into mirrored left and right points, look-up,
// listing, copying into a patient's document, and refusal of bad library files.

#include <string>

#include <glm/geometric.hpp>
#include <gtest/gtest.h>

#include "fascia/error.h"
#include "test_models.h"
#include "trigger_library.h"

namespace fascia::app {
namespace {

const std::filesystem::path kFile = "trigger_points.json";

/// A library file whose "points" array holds `entries`.
std::string library(const std::string& entries) {
  return R"({"format": "fascia-trigger-point-library", "version": 1, "points": [)" + entries + "]}";
}

const std::string kBoth = R"({
  "id": "upper-trapezius-1", "label": "Upper trapezius 1", "muscle": "Upper trapezius",
  "structure": "trapezius_upper", "region": "Neck and shoulders", "sides": "both",
  "position": [0.08, 1.45, -0.06], "approach": [0, -1, 2],
  "description": "Midway between C7 and the acromion.", "provokers": "Shoulder bags.",
  "referral": {"essential": [{"centre": [0.05, 1.6, -0.05], "radius": 0.04}],
               "spillover": [{"centre": [0.07, 1.55, 0.02], "radius": 0.03}]},
  "futureField": true})";
const std::string kLeftOnly = R"({
  "id": "ql-1", "label": "Quadratus lumborum 1", "muscle": "Quadratus lumborum",
  "structure": "quadratus_lumborum", "region": "Low back", "sides": "left",
  "position": [0.07, 1.0, -0.05], "approach": [0, 0, 1]})";
const std::string kRightOnly = R"({
  "id": "ql-2", "label": "Quadratus lumborum 2", "muscle": "Quadratus lumborum",
  "structure": "quadratus_lumborum", "region": "Low back", "sides": "right",
  "position": [-0.07, 1.0, -0.05], "approach": [0, 0, 1]})";
const std::string kMidline = R"({
  "id": "multifidus-s1", "label": "Multifidus S1", "muscle": "Multifidus",
  "structure": "multifidus", "region": "Low back", "sides": "midline",
  "position": [0.0, 0.9, -0.08], "approach": [0, 0, 1]})";

std::string parseError(const std::string& json) {
  try {
    parseTriggerPointLibrary(json, kFile);
  } catch (const InputError& error) {
    EXPECT_EQ(error.file(), kFile);
    return error.reason();
  }
  ADD_FAILURE() << "no InputError for: " << json;
  return {};
}

TEST(TriggerLibrary, BothExpandsToLeftAndMirroredRight) {
  const TriggerPointLibrary lib = parseTriggerPointLibrary(library(kBoth), kFile);
  ASSERT_EQ(lib.points.size(), 2u);
  const LibraryTriggerPoint& left = lib.points[0];
  const LibraryTriggerPoint& right = lib.points[1];
  EXPECT_EQ(left.id, "upper-trapezius-1-left");
  EXPECT_EQ(left.label, "Upper trapezius 1 (left)");
  EXPECT_EQ(left.structure, "trapezius_upper_left");
  EXPECT_EQ(left.side, "left");
  EXPECT_EQ(left.muscle, "Upper trapezius");
  EXPECT_EQ(left.region, "Neck and shoulders");
  EXPECT_EQ(left.description, "Midway between C7 and the acromion.");
  EXPECT_EQ(left.provokers, "Shoulder bags.");
  EXPECT_EQ(left.position, glm::vec3(0.08f, 1.45f, -0.06f));
  EXPECT_NEAR(glm::length(left.approach), 1.0f, 1e-6f); // normalised
  EXPECT_NEAR(left.approach.z, 2.0f / std::sqrt(5.0f), 1e-6f);
  ASSERT_EQ(left.referral.essential.size(), 1u);
  EXPECT_EQ(left.referral.essential[0].centre, glm::vec3(0.05f, 1.6f, -0.05f));
  EXPECT_FLOAT_EQ(left.referral.essential[0].radius, 0.04f);

  EXPECT_EQ(right.id, "upper-trapezius-1-right");
  EXPECT_EQ(right.label, "Upper trapezius 1 (right)");
  EXPECT_EQ(right.structure, "trapezius_upper_right");
  EXPECT_EQ(right.side, "right");
  EXPECT_EQ(right.description, left.description);
  EXPECT_EQ(right.position, glm::vec3(-0.08f, 1.45f, -0.06f));
  EXPECT_EQ(right.approach, glm::vec3(-left.approach.x, left.approach.y, left.approach.z));
  EXPECT_EQ(right.referral.essential[0].centre, glm::vec3(-0.05f, 1.6f, -0.05f));
  EXPECT_EQ(right.referral.spillover[0].centre, glm::vec3(-0.07f, 1.55f, 0.02f));
  EXPECT_FLOAT_EQ(right.referral.spillover[0].radius, 0.03f);
}

TEST(TriggerLibrary, OneSidedAndMidlineEntriesAreTakenAsWritten) {
  const TriggerPointLibrary lib =
      parseTriggerPointLibrary(library(kLeftOnly + "," + kRightOnly + "," + kMidline), kFile);
  ASSERT_EQ(lib.points.size(), 3u);
  EXPECT_EQ(lib.points[0].id, "ql-1-left");
  EXPECT_EQ(lib.points[0].structure, "quadratus_lumborum_left");
  EXPECT_EQ(lib.points[0].position.x, 0.07f);
  EXPECT_EQ(lib.points[1].id, "ql-2-right");
  EXPECT_EQ(lib.points[1].label, "Quadratus lumborum 2 (right)");
  EXPECT_EQ(lib.points[1].structure, "quadratus_lumborum_right");
  EXPECT_EQ(lib.points[1].position.x, -0.07f); // not mirrored
  EXPECT_EQ(lib.points[2].id, "multifidus-s1");
  EXPECT_EQ(lib.points[2].label, "Multifidus S1");
  EXPECT_EQ(lib.points[2].structure, "multifidus");
  EXPECT_EQ(lib.points[2].side, "midline");
  EXPECT_TRUE(lib.points[2].referral.empty());
  EXPECT_TRUE(lib.points[2].description.empty());
}

TEST(TriggerLibrary, FindIgnoresCaseAndMatchesIdOrLabel) {
  const TriggerPointLibrary lib = parseTriggerPointLibrary(library(kBoth + "," + kMidline), kFile);
  ASSERT_NE(lib.find("UPPER-trapezius-1-Right"), nullptr);
  EXPECT_EQ(lib.find("UPPER-trapezius-1-Right")->side, "right");
  ASSERT_NE(lib.find("upper trapezius 1 (left)"), nullptr);
  EXPECT_EQ(lib.find("upper trapezius 1 (left)")->id, "upper-trapezius-1-left");
  EXPECT_EQ(lib.find("multifidus s1"), &lib.points[2]);
  EXPECT_EQ(lib.find("upper-trapezius-1"), nullptr); // only the expanded ids exist
  EXPECT_EQ(lib.find(""), nullptr);
}

TEST(TriggerLibrary, ListingHasOneTabSeparatedLinePerPoint) {
  const TriggerPointLibrary lib = parseTriggerPointLibrary(library(kBoth + "," + kMidline), kFile);
  EXPECT_EQ(formatLibraryListing(lib),
            "Upper trapezius 1 (left)\tUpper trapezius\tleft\tNeck and shoulders\n"
            "Upper trapezius 1 (right)\tUpper trapezius\tright\tNeck and shoulders\n"
            "Multifidus S1\tMultifidus\tmidline\tLow back\n");
  EXPECT_EQ(formatLibraryListing(TriggerPointLibrary{}), "");
}

TEST(TriggerLibrary, LoadsFromAFile) {
  test::TempDir dir;
  test::writeBytes(dir / "lib.json", library(kBoth));
  EXPECT_EQ(loadTriggerPointLibrary(dir / "lib.json").points.size(), 2u);
  EXPECT_THROW(loadTriggerPointLibrary(dir / "missing.json"), InputError);
  test::writeBytes(dir / "empty.json", "");
  EXPECT_THROW(loadTriggerPointLibrary(dir / "empty.json"), InputError);
}

TEST(TriggerLibrary, BadLibrariesAreRefusedWithTheEntryAndField) {
  const auto replace = [](std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
  };
  struct Case {
    std::string json, expected;
  };
  const Case cases[] = {
      {"{", "not valid JSON"},
      {R"({"format": "fascia-annotations", "version": 1, "points": []})",
       "not \"fascia-trigger-point-library\""},
      {R"({"format": "fascia-trigger-point-library", "version": 2, "points": []})",
       "written by a newer version of Fascia Atlas (version 2); this version reads up to 1"},
      {R"({"format": "fascia-trigger-point-library", "version": 1})", "\"points\" is missing"},
      {library("3"), "entry 1 must be an object"},
      {library(replace(kBoth, R"("muscle": "Upper trapezius",)", "")),
       R"(entry 1 ("upper-trapezius-1"): field "muscle" is missing)"},
      {library(replace(kBoth, R"("sides": "both")", R"("sides": "up")")),
       R"(field "sides" is "up"; use "both", "left", "right" or "midline")"},
      {library(replace(kBoth, R"("approach": [0, -1, 2])", R"("approach": [0, 0, 0])")),
       R"(field "approach" must be a direction)"},
      {library(replace(kBoth, R"("position": [0.08,)", R"("position": [-0.08,)")),
       R"(field "position" has x = -0.080000 but "sides" is "both"; the patient's left is +x)"},
      {library(replace(kRightOnly, R"("position": [-0.07,)", R"("position": [0.07,)")),
       R"(but "sides" is "right")"},
      {library(replace(kBoth, R"("radius": 0.04)", R"("radius": -1)")),
       R"(field "referral.essential[1].radius" must be a positive distance)"},
      {library(replace(kBoth, R"("id": "upper-trapezius-1")", R"("id": "")")),
       R"(field "id" must not be empty)"},
      {library(kMidline + "," + kMidline), R"(two points have the id "multifidus-s1")"},
      // "both" makes "<id>-left", which a separate entry may not use too (ignoring case).
      {library(kBoth + "," +
               replace(replace(kLeftOnly, R"("id": "ql-1")", R"("id": "Upper-Trapezius-1")"),
                       R"("label": "Quadratus lumborum 1")", R"("label": "Other")")),
       R"(two points have the id "Upper-Trapezius-1-left" (ignoring case, as "upper-trapezius-1-left"))"},
      {library(kMidline + "," +
               replace(replace(kMidline, R"("id": "multifidus-s1")", R"("id": "other")"),
                       R"("label": "Multifidus S1")", R"("label": "MULTIFIDUS s1")")),
       R"(two points have the label "MULTIFIDUS s1")"},
  };
  for (const Case& c : cases) {
    const std::string message = parseError(c.json);
    EXPECT_NE(message.find(c.expected), std::string::npos)
        << "expected: " << c.expected << "\nmessage: " << message;
  }
}

// ---------------------------------------------------------------------------------------------
// Copying into a patient's document

TEST(TriggerLibrary, ToAnnotationMakesAPatientCopy) {
  const TriggerPointLibrary lib = parseTriggerPointLibrary(library(kBoth), kFile);
  const LibraryTriggerPoint& right = lib.points[1];
  const TriggerPoint a = toAnnotation(right);
  const TriggerPoint b = toAnnotation(right);
  EXPECT_NE(a.id, b.id);
  EXPECT_EQ(a.id.size(), 36u);
  EXPECT_EQ(a.label, "Upper trapezius 1 (right)");
  EXPECT_EQ(a.structure, "trapezius_upper_right");
  EXPECT_EQ(a.side, "right");
  EXPECT_EQ(a.type, TriggerPointType::Active);
  EXPECT_EQ(a.pain, 5);
  EXPECT_FALSE(a.created.empty());
  EXPECT_EQ(a.created, a.modified);
  EXPECT_EQ(a.referralSource, "upper-trapezius-1-right");
  EXPECT_EQ(a.referral, right.referral);
  EXPECT_EQ(a.position, right.position);
  EXPECT_FALSE(a.anchor);
  EXPECT_FALSE(a.colour);
}

TEST(TriggerLibrary, ToAnnotationPressesOntoTheStructure) {
  // A "muscle" ball under the right shoulder's library position, covered by a larger "skin".
  const glm::vec3 centre(-0.08f, 1.45f, 0.0f);
  Model model;
  Structure skin;
  skin.info.name = "skin";
  skin.mesh = test::makeEllipsoid(glm::vec3(0.15f), 3, centre);
  Structure muscle;
  muscle.info.name = "trapezius_upper_right";
  muscle.mesh = test::makeEllipsoid(glm::vec3(0.05f), 3, centre);
  model.structures.push_back(std::move(skin));
  model.structures.push_back(std::move(muscle));

  const std::string straight = R"({
    "id": "ut", "label": "UT", "muscle": "Upper trapezius", "structure": "trapezius_upper",
    "region": "Neck", "sides": "both", "position": [0.08, 1.45, -0.06], "approach": [0, 0, 1]})";
  const TriggerPointLibrary lib = parseTriggerPointLibrary(library(straight), kFile);
  const TriggerPoint placed = toAnnotation(lib.points[1], &model);
  ASSERT_TRUE(placed.anchor);
  EXPECT_NEAR(placed.position.z, -0.05f, 0.002f); // the muscle's back, not the skin's
  EXPECT_NEAR(placed.position.x, -0.08f, 1e-4f);
  const auto again = pointFromAnchor(model.structures[1].mesh, placed.anchor->triangle,
                                     placed.anchor->barycentric);
  ASSERT_TRUE(again);
  EXPECT_LT(glm::distance(again->position, placed.position), 1e-5f);
  // The stored point is placed back on the same spot.
  const Placement placement = placeOnModel(placed, model);
  ASSERT_EQ(placement.structure, 1u);
  ASSERT_TRUE(placement.point);
  EXPECT_EQ(placement.point->triangle, placed.anchor->triangle);

  // The left point's structure is not in this model: library position, no anchor.
  const TriggerPoint unplaced = toAnnotation(lib.points[0], &model);
  EXPECT_FALSE(unplaced.anchor);
  EXPECT_EQ(unplaced.position, lib.points[0].position);
}

TEST(TriggerLibrary, DefaultPathIsNextToTheBundledModel) {
  const std::filesystem::path path = defaultLibraryPath();
  EXPECT_EQ(path.filename(), "trigger_points.json");
  EXPECT_EQ(path.parent_path().filename(), "assets");
}

} // namespace
} // namespace fascia::app
