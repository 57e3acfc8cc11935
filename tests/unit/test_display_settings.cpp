// Peeling, layer visibility and pickability.

#include <gtest/gtest.h>

#include "fascia/display_settings.h"
#include "test_models.h"

namespace {

using fascia::DisplaySettings;
using fascia::Layer;

TEST(DisplaySettings, PeelDepthFadesLayersFromTheOutsideIn) {
  DisplaySettings display;
  EXPECT_FLOAT_EQ(display.layerOpacity(Layer::Skin), 1.0f);
  display.peelDepth = 1.0f;
  EXPECT_FLOAT_EQ(display.layerOpacity(Layer::Skin), 0.0f);
  EXPECT_FLOAT_EQ(display.layerOpacity(Layer::SuperficialFascia), 1.0f);
  display.peelDepth = 1.5f;
  EXPECT_FLOAT_EQ(display.layerOpacity(Layer::SuperficialFascia), 0.5f);
  EXPECT_FLOAT_EQ(display.layerOpacity(Layer::DeepFascia), 1.0f);
  display.peelDepth = 4.0f;
  EXPECT_FLOAT_EQ(display.layerOpacity(Layer::Muscle), 0.0f);
  EXPECT_FLOAT_EQ(display.layerOpacity(Layer::Bone), 1.0f);
}

TEST(DisplaySettings, VisibilityAndOpacityCombineWithPeeling) {
  DisplaySettings display;
  auto& muscle = display.layers[static_cast<std::size_t>(fascia::layerIndex(Layer::Muscle))];
  muscle.opacity = 0.4f;
  EXPECT_FLOAT_EQ(display.layerOpacity(Layer::Muscle), 0.4f);
  display.peelDepth = 3.5f;
  EXPECT_FLOAT_EQ(display.layerOpacity(Layer::Muscle), 0.2f);
  muscle.visible = false;
  EXPECT_FLOAT_EQ(display.layerOpacity(Layer::Muscle), 0.0f);
}

TEST(DisplaySettings, HiddenAndPeeledStructuresAreNotPickable) {
  const fascia::Model model = fascia::test::makeNestedShells(1);
  DisplaySettings display;
  ASSERT_GE(model.structures.size(), 2u);
  EXPECT_TRUE(display.isPickable(model, 0));
  display.hidden.assign(model.structures.size(), false);
  display.hidden[0] = true;
  EXPECT_FALSE(display.isPickable(model, 0));
  EXPECT_TRUE(display.isPickable(model, 1));
  display.hidden[0] = false;
  display.peelDepth = 0.97f;
  EXPECT_FALSE(display.isPickable(model, 0)) << "an almost fully peeled layer is not pickable";
  EXPECT_FALSE(display.isPickable(model, 999));
}

} // namespace
