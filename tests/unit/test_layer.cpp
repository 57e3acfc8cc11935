// Layers: ids, display names, parsing, default colours, and the name rules (layerFromName).

#include <set>
#include <string>
#include <string_view>

#include <glm/geometric.hpp>
#include <gtest/gtest.h>

#include "fascia/layer.h"
#include "fascia/manifest.h"

namespace fascia {
namespace {

TEST(Layer, IdsAndDisplayNames) {
  EXPECT_EQ(layerId(Layer::Skin), "skin");
  EXPECT_EQ(layerId(Layer::SuperficialFascia), "superficial-fascia");
  EXPECT_EQ(layerId(Layer::DeepFascia), "deep-fascia");
  EXPECT_EQ(layerId(Layer::Muscle), "muscle");
  EXPECT_EQ(layerId(Layer::Bone), "bone");
  EXPECT_EQ(layerId(Layer::Other), "other");
  EXPECT_EQ(layerDisplayName(Layer::Skin), "Skin");
  EXPECT_EQ(layerDisplayName(Layer::SuperficialFascia), "Superficial fascia");
  EXPECT_EQ(layerDisplayName(Layer::DeepFascia), "Deep fascia");
  EXPECT_EQ(layerDisplayName(Layer::Muscle), "Muscle");
  EXPECT_EQ(layerDisplayName(Layer::Bone), "Bone");
  EXPECT_EQ(layerDisplayName(Layer::Other), "Other");
}

TEST(Layer, OrderIsOutsideToInside) {
  EXPECT_EQ(layerIndex(Layer::Skin), 0);
  EXPECT_EQ(layerIndex(Layer::Other), kLayerCount - 1);
  for (int i = 0; i < kLayerCount; ++i) {
    EXPECT_EQ(layerIndex(kAllLayers[static_cast<std::size_t>(i)]), i);
  }
}

TEST(Layer, ParseRoundTripsEveryId) {
  for (Layer layer : kAllLayers) {
    EXPECT_EQ(parseLayer(layerId(layer)), layer) << layerId(layer);
  }
}

TEST(Layer, ParseAcceptsCaseUnderscoresAndSpaces) {
  EXPECT_EQ(parseLayer("SKIN"), Layer::Skin);
  EXPECT_EQ(parseLayer("Superficial Fascia"), Layer::SuperficialFascia);
  EXPECT_EQ(parseLayer("superficial_fascia"), Layer::SuperficialFascia);
  EXPECT_EQ(parseLayer("Deep-Fascia"), Layer::DeepFascia);
  EXPECT_EQ(parseLayer("deep fascia"), Layer::DeepFascia);
}

TEST(Layer, ParseRejectsUnknown) {
  EXPECT_FALSE(parseLayer(""));
  EXPECT_FALSE(parseLayer("fascia"));
  EXPECT_FALSE(parseLayer("muscles"));
  EXPECT_FALSE(parseLayer("skin "));
  EXPECT_FALSE(parseLayer("deepfascia"));
}

TEST(Layer, DefaultColoursAreValidAndDistinct) {
  for (Layer layer : kAllLayers) {
    const glm::vec3 c = defaultLayerColour(layer);
    for (int i = 0; i < 3; ++i) {
      EXPECT_GE(c[i], 0.0f) << layerId(layer);
      EXPECT_LE(c[i], 1.0f) << layerId(layer);
    }
  }
  for (Layer a : kAllLayers) {
    for (Layer b : kAllLayers) {
      if (a != b) {
        EXPECT_GT(glm::length(defaultLayerColour(a) - defaultLayerColour(b)), 0.1f)
            << layerId(a) << " vs " << layerId(b);
      }
    }
  }
  // Muscle reads as red, bone as light.
  const glm::vec3 muscle = defaultLayerColour(Layer::Muscle);
  EXPECT_GT(muscle.r, 2.0f * muscle.g);
  const glm::vec3 bone = defaultLayerColour(Layer::Bone);
  EXPECT_GT(bone.r + bone.g + bone.b, 2.0f);
}

struct NameCase {
  std::string_view name;
  Layer expected;
};

// The table in docs/manifest.md, plus the tricky cases.
constexpr NameCase kNameCases[] = {
    // Skin
    {"skin", Layer::Skin},
    {"Skin", Layer::Skin},
    {"body_skin", Layer::Skin},
    {"SkinTorso", Layer::Skin},
    {"epidermis", Layer::Skin},
    {"dermis.back", Layer::Skin},
    // Superficial fascia, before the generic fascia rule
    {"superficial_fascia", Layer::SuperficialFascia},
    {"Superficial Fascia", Layer::SuperficialFascia},
    {"superficialFasciaBack", Layer::SuperficialFascia},
    {"fascia superficialis", Layer::SuperficialFascia},
    {"subcutaneous_fat", Layer::SuperficialFascia},
    {"Subcutis", Layer::SuperficialFascia},
    {"hypodermis", Layer::SuperficialFascia},
    {"adipose-tissue", Layer::SuperficialFascia},
    // Deep fascia; fascia words win over muscle words
    {"fascia", Layer::DeepFascia},
    {"deep_fascia", Layer::DeepFascia},
    {"gluteal_fascia", Layer::DeepFascia},
    {"GlutealFascia", Layer::DeepFascia},
    {"trapezius fascia", Layer::DeepFascia},
    {"fascia_lata", Layer::DeepFascia},
    {"Fascia Lata (left)", Layer::DeepFascia},
    {"thoracolumbar", Layer::DeepFascia},
    {"superficial_layer_thoracolumbar_fascia", Layer::DeepFascia},
    {"external_oblique_aponeurosis", Layer::DeepFascia},
    {"extensor_retinaculum", Layer::DeepFascia},
    {"rectus_sheath", Layer::DeepFascia},
    {"iliotibial_tract", Layer::DeepFascia},
    // Muscle
    {"muscle_block", Layer::Muscle},
    {"Muscle", Layer::Muscle},
    {"m. trapezius", Layer::Muscle},
    {"M_Trapezius_L", Layer::Muscle},
    {"musculus latissimus dorsi", Layer::Muscle},
    {"trapezius_upper_left", Layer::Muscle},
    {"latissimus_dorsi.R", Layer::Muscle},
    {"rhomboid_major", Layer::Muscle},
    {"RhomboidMinor", Layer::Muscle},
    {"levator_scapulae", Layer::Muscle},
    {"serratus_posterior_inferior", Layer::Muscle},
    {"infraspinatus", Layer::Muscle},
    {"supraspinatus", Layer::Muscle},
    {"teres_major", Layer::Muscle},
    {"erector_spinae", Layer::Muscle},
    {"iliocostalis_lumborum", Layer::Muscle},
    {"longissimus thoracis", Layer::Muscle},
    {"spinalis", Layer::Muscle},
    {"multifidus_L4", Layer::Muscle},
    {"rotatores", Layer::Muscle},
    {"quadratus_lumborum", Layer::Muscle},
    {"gluteus_maximus", Layer::Muscle},
    {"GluteusMedius", Layer::Muscle},
    {"gluteal_min", Layer::Muscle},
    {"piriformis", Layer::Muscle},
    {"psoas_major", Layer::Muscle},
    {"iliacus", Layer::Muscle},
    {"external_oblique", Layer::Muscle},
    {"rectus_abdominis", Layer::Muscle},
    {"rectus_femoris", Layer::Muscle},
    {"transversus_abdominis", Layer::Muscle},
    {"splenius_capitis", Layer::Muscle},
    {"semispinalis", Layer::Muscle},
    {"deltoid", Layer::Muscle},
    {"pectoralis_major", Layer::Muscle},
    {"tensor_fasciae_latae", Layer::Muscle},
    {"m. tensor fasciae latae", Layer::Muscle},
    // Bone
    {"bone_core", Layer::Bone},
    {"hip bone", Layer::Bone},
    {"hipbone", Layer::Bone},
    {"os_coxae", Layer::Bone},
    {"vertebra_l4", Layer::Bone},
    {"VertebraL4", Layer::Bone},
    {"vertebrae", Layer::Bone},
    {"L4", Layer::Bone},
    {"C7", Layer::Bone},
    {"T12", Layer::Bone},
    {"Th12", Layer::Bone},
    {"S1", Layer::Bone},
    {"sacrum", Layer::Bone},
    {"coccyx", Layer::Bone},
    {"rib_7_left", Layer::Bone},
    {"costa", Layer::Bone},
    {"pelvis", Layer::Bone},
    {"ilium", Layer::Bone},
    {"ischium", Layer::Bone},
    {"pubis", Layer::Bone},
    {"scapula_left", Layer::Bone},
    {"clavicle.R", Layer::Bone},
    {"humerus", Layer::Bone},
    {"femur", Layer::Bone},
    {"skull", Layer::Bone},
    {"cranium", Layer::Bone},
    {"sternum", Layer::Bone},
    {"bones2", Layer::Bone},
    {"rib7", Layer::Bone},
    {"L4Vertebra", Layer::Bone},
    {"t_1", Layer::Bone},
    // Other, including near misses that must not match
    {"", Layer::Other},
    {"___", Layer::Other},
    {"heart", Layer::Other},
    {"spinal_cord", Layer::Other},
    {"L6", Layer::Other},
    {"C8", Layer::Other},
    {"T13", Layer::Other},
    {"L0", Layer::Other},
    {"mesh_01", Layer::Other},
    {"skinny", Layer::Other},
    {"fasciitis", Layer::Other},
    {"l_foot", Layer::Other},
    {"muscleman", Layer::Other},
};

TEST(Layer, NameRulesTable) {
  for (const NameCase& c : kNameCases) {
    EXPECT_EQ(layerId(layerFromName(c.name)), layerId(c.expected)) << "name: \"" << c.name << "\"";
  }
}

TEST(Layer, NameRulesCoverEveryLayer) {
  std::set<Layer> seen;
  for (const NameCase& c : kNameCases) {
    seen.insert(c.expected);
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kLayerCount));
}

TEST(Layer, NameRulesIgnoreCase) {
  EXPECT_EQ(layerFromName("GLUTEAL_FASCIA"), Layer::DeepFascia);
  EXPECT_EQ(layerFromName("SUPERFICIAL_FASCIA"), Layer::SuperficialFascia);
  EXPECT_EQ(layerFromName("TRAPEZIUS"), Layer::Muscle);
  EXPECT_EQ(layerFromName("vertebra_L4"), Layer::Bone);
}

} // namespace
} // namespace fascia
