// The close-up cross-section under a pressing tool: where its cut lies, where its camera looks
// from, and what it keeps in view.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include <glm/geometric.hpp>

#include "close_up.h"
#include "fascia/deformation.h"
#include "fascia/layer.h"
#include "test_models.h"

namespace fascia::app {
namespace {

Camera posteriorCamera() {
  Camera camera;
  camera.target = glm::vec3(0.0f, 1.2f, 0.0f);
  camera.yaw = 3.14159265f; // on -Z, behind the patient
  camera.distance = 2.0f;
  return camera;
}

ToolGlyph toolAt(ToolKind kind, glm::vec3 contact, glm::vec3 direction) {
  ToolGlyph tool;
  tool.tool = kind;
  tool.contact = contact;
  tool.direction = direction;
  tool.axis = glm::vec3(1.0f, 0.0f, 0.0f);
  return tool;
}

// The close-up's own square image, as --screenshot renders it.
constexpr int kSide = 300;

TEST(CloseUp, CutsAlongThePressAndLooksSquareAtTheCut) {
  const glm::vec3 contact(0.04f, 1.05f, -0.12f);
  const ToolGlyph thumb = toolAt(ToolKind::Thumb, contact, glm::vec3(0.0f, 0.0f, 2.0f));
  const CloseUp closeUp = closeUpOf(thumb, posteriorCamera());
  ASSERT_TRUE(closeUp.section.enabled);
  EXPECT_LT(glm::length(closeUp.section.point - contact), 1e-6f);
  // The press lies in the cut, which is vertical, so the close-up camera stays level.
  EXPECT_NEAR(glm::dot(closeUp.section.normal, glm::vec3(0.0f, 0.0f, 1.0f)), 0.0f, 1e-5f);
  EXPECT_NEAR(closeUp.section.normal.y, 0.0f, 1e-5f);
  EXPECT_NEAR(glm::dot(closeUp.camera.forward(), -closeUp.section.normal), 1.0f, 1e-5f);
  // The camera is on the side the cut removes, so it sees the cut face.
  EXPECT_GT(closeUp.section.distance(closeUp.camera.eye()), 0.1f);
  // The contact and the tissue 3 cm under it are in view, the contact off centre towards the
  // tool so the tissue gets the room.
  const glm::ivec2 square(kSide, kSide);
  const auto atContact = closeUp.camera.pixelOf(contact, square);
  const auto deeper = closeUp.camera.pixelOf(contact + glm::vec3(0.0f, 0.0f, 0.03f), square);
  ASSERT_TRUE(atContact && deeper);
  for (const glm::vec2 p : {*atContact, *deeper}) {
    EXPECT_GT(p.x, 0.1f * kSide);
    EXPECT_LT(p.x, 0.9f * kSide);
    EXPECT_NEAR(p.y, 0.5f * kSide, 1.0f);
  }
  EXPECT_GT(std::abs(atContact->x - 0.5f * kSide), 0.1f * kSide);
  EXPECT_LT(std::abs(deeper->x - 0.5f * kSide), std::abs(atContact->x - 0.5f * kSide));
  EXPECT_EQ(closeUp.title, "Cross-section under the thumb");
}

TEST(CloseUp, LooksFromTheSideOfTheMainCamera) {
  const glm::vec3 contact(0.0f, 1.0f, -0.12f);
  const ToolGlyph thumb = toolAt(ToolKind::Thumb, contact, glm::vec3(0.0f, 0.0f, 1.0f));
  Camera fromLeft = posteriorCamera();
  fromLeft.yaw = 2.6f; // behind and to the patient's left (+X)
  Camera fromRight = posteriorCamera();
  fromRight.yaw = -2.6f;
  EXPECT_GT(closeUpOf(thumb, fromLeft).camera.eye().x, contact.x);
  EXPECT_LT(closeUpOf(thumb, fromRight).camera.eye().x, contact.x);
}

TEST(CloseUp, PressStraightDownIsCutUprightAndARollerSquareToItsAxis) {
  const glm::vec3 contact(0.1f, 1.45f, -0.02f);
  const CloseUp down =
      closeUpOf(toolAt(ToolKind::Thumb, contact, glm::vec3(0.0f, -1.0f, 0.0f)), posteriorCamera());
  EXPECT_NEAR(down.section.normal.y, 0.0f, 1e-5f);
  EXPECT_NEAR(glm::dot(down.section.normal, glm::vec3(0.0f, -1.0f, 0.0f)), 0.0f, 1e-5f);
  EXPECT_NEAR(down.camera.pitch, 0.0f, 1e-5f);

  ToolGlyph roller = toolAt(ToolKind::FoamRoller, glm::vec3(0.0f, 1.0f, -0.12f),
                            glm::vec3(0.0f, 0.0f, 1.0f));
  const CloseUp across = closeUpOf(roller, posteriorCamera());
  EXPECT_NEAR(std::abs(across.section.normal.x), 1.0f, 1e-5f);
  // A 15 cm roller fits, a thumb's dent fills its smaller view.
  EXPECT_GT(across.viewHeight, 2.0f * toolShape(ToolKind::FoamRoller).bodyRadius);
  EXPECT_LT(down.viewHeight, across.viewHeight);
  EXPECT_EQ(across.title, "Cross-section under the foam roller");
}

TEST(CloseUp, KeyNamesTheModelsLayersInOrderInTheirCutColours) {
  const Model shells = test::makeNestedShells(1);
  const std::vector<CloseUpKeyEntry> key = closeUpKey(shells);
  ASSERT_EQ(key.size(), 5u);
  const char* words[] = {"skin", "fat", "fascia", "muscle", "bone"};
  for (std::size_t i = 0; i < key.size(); ++i) {
    EXPECT_EQ(key[i].label, words[i]);
    const Structure& structure = shells.structures[i];
    const glm::vec3 expected =
        structure.info.colour.value_or(defaultLayerColour(structure.info.layer)) * kSectionCapShade;
    EXPECT_LT(glm::length(key[i].colour - expected), 1e-6f) << words[i];
  }
  // A model without fascia or bone gets no entries for them.
  Model muscleOnly;
  muscleOnly.structures.push_back(shells.structures[3]);
  const auto single = closeUpKey(muscleOnly);
  ASSERT_EQ(single.size(), 1u);
  EXPECT_EQ(single[0].label, "muscle");
}

TEST(CloseUp, GoesBottomLeftUnlessTheContactIsThereAndNotWhenTooSmall) {
  const auto wide = closeUpPlace({1280, 720}, glm::vec2(640.0f, 300.0f));
  ASSERT_TRUE(wide);
  EXPECT_EQ(wide->side, 302);
  EXPECT_EQ(wide->corner, glm::ivec2(12, 720 - 12 - 302));
  EXPECT_TRUE(closeUpPlace({1280, 720}, std::nullopt));
  // A tall frame with the contact low on the left: the close-up moves right, clear of it and
  // of the ring round it.
  const glm::vec2 contact(250.0f, 640.0f);
  const auto tall = closeUpPlace({600, 900}, contact);
  ASSERT_TRUE(tall);
  EXPECT_EQ(tall->corner.x + tall->side, 600 - 10);
  EXPECT_GT(static_cast<float>(tall->corner.x), contact.x + frameTextPixels(900));
  // Below 120 px a side its title and key cannot be read: none.
  EXPECT_FALSE(closeUpPlace({320, 240}, std::nullopt));
  EXPECT_TRUE(closeUpPlace({300, 290}, std::nullopt));
}

TEST(CloseUp, UnusableToolIsRefused) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(closeUpOf(toolAt(ToolKind::Thumb, glm::vec3(nan), glm::vec3(0, 0, 1)),
                         posteriorCamera()),
               std::invalid_argument);
  EXPECT_THROW(closeUpOf(toolAt(ToolKind::Elbow, glm::vec3(0.0f), glm::vec3(0.0f)),
                         posteriorCamera()),
               std::invalid_argument);
}

} // namespace
} // namespace fascia::app
