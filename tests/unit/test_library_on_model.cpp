// The built-in trigger-point library on the bundled model: every point lies on its own muscle,
// near the landmark it was authored at, on the side it names; its referral zone lies on the
// skin.

#include <gtest/gtest.h>

#include <cmath>

#include <glm/geometric.hpp>

#include "fascia/model_loader.h"
#include "fascia/surface.h"
#include "paths.h"
#include "trigger_library.h"

namespace {

using namespace fascia;
using namespace fascia::app;

const Model& bundledModel() {
  static const Model model = loadModel(defaultModelPath());
  return model;
}

TEST(LibraryOnModel, HasTheClassicPointsOnBothSides) {
  const TriggerPointLibrary library = loadTriggerPointLibrary(defaultLibraryPath());
  EXPECT_GE(library.points.size(), 40u);
  for (const char* muscle :
       {"trapezius_upper", "trapezius_middle", "trapezius_lower", "levator_scapulae", "rhomboid",
        "supraspinatus", "infraspinatus", "latissimus_dorsi", "serratus_posterior_inferior", "iliocostalis",
        "longissimus", "multifidus", "quadratus_lumborum", "gluteus_maximus", "gluteus_medius",
        "gluteus_minimus", "piriformis", "psoas", "rectus_abdominis"}) {
    int left = 0;
    int right = 0;
    for (const LibraryTriggerPoint& point : library.points) {
      if (point.structure.find(muscle) != 0) continue;
      left += point.side == "left" ? 1 : 0;
      right += point.side == "right" ? 1 : 0;
    }
    EXPECT_GE(left, 1) << muscle;
    EXPECT_GE(right, 1) << muscle;
  }
}

TEST(LibraryOnModel, EveryPointLiesOnItsMuscleAtItsLandmarkAndSide) {
  const Model& model = bundledModel();
  const TriggerPointLibrary library = loadTriggerPointLibrary(defaultLibraryPath());
  for (const LibraryTriggerPoint& point : library.points) {
    SCOPED_TRACE(point.label);
    const auto structure = model.find(point.structure);
    ASSERT_TRUE(structure.has_value()) << point.structure << " is not in the model";
    const auto placed = placeOnStructure(model, static_cast<std::uint32_t>(*structure),
                                         point.position, point.approach);
    ASSERT_TRUE(placed.has_value()) << "pressing along the approach misses the muscle";
    // On the muscle's surface...
    const SurfacePoint closest =
        closestPointOnMesh(model.structures[*structure].mesh, placed->position);
    EXPECT_LT(glm::distance(closest.position, placed->position), 1e-3f);
    // ...near where it was authored from the landmark table...
    EXPECT_LT(glm::distance(placed->position, point.position), 0.03f);
    // ...on its side of the body (the patient's left is +X).
    if (point.side == "left") {
      EXPECT_GT(placed->position.x, 0.0f);
    } else if (point.side == "right") {
      EXPECT_LT(placed->position.x, 0.0f);
    }
  }
}

TEST(LibraryOnModel, ReferralZonesLieOnTheSkin) {
  const Model& model = bundledModel();
  const auto skin = model.find("skin");
  ASSERT_TRUE(skin.has_value());
  const TriggerPointLibrary library = loadTriggerPointLibrary(defaultLibraryPath());
  for (const LibraryTriggerPoint& point : library.points) {
    SCOPED_TRACE(point.label);
    EXPECT_FALSE(point.referral.essential.empty()) << "every point has an essential zone";
    for (const auto* zone : {&point.referral.essential, &point.referral.spillover}) {
      for (const ReferralBlob& blob : *zone) {
        const SurfacePoint onSkin = closestPointOnMesh(model.structures[*skin].mesh, blob.centre);
        // Within the blob's radius of the skin, so part of it colours the skin.
        EXPECT_LT(glm::distance(onSkin.position, blob.centre), 0.5f * blob.radius);
      }
    }
  }
}

} // namespace
