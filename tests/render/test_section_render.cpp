// Render tests of the section view: the real `fascia` program cuts generated nested shells
// open, and the cut faces must show every layer's colour in order from the core outward.

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <glm/vec2.hpp>

#include "fascia/image.h"
#include "fascia/section.h"
#include "hues.h"
#include "process.h"
#include "test_models.h"

namespace {

using fascia::Image;
using fascia::test::runFascia;

using fascia::test::Hue;
using fascia::test::hueOf;

const char* nameOf(Hue hue) {
  static constexpr std::array<const char*, 6> kNames = {"red",    "green",   "blue",
                                                        "yellow", "magenta", "other"};
  return kNames[static_cast<std::size_t>(hue)];
}

std::string describe(const std::vector<Hue>& hues) {
  std::string text;
  for (const Hue hue : hues)
    text += std::string(text.empty() ? "" : " ") + nameOf(hue);
  return text;
}

// The hues met walking from `from` by `step` to the image's edge: runs of one hue at least
// `minRun` pixels long, in order, "other" (background, blends at borders) left out.
std::vector<Hue> huesAlong(const Image& image, glm::ivec2 from, glm::ivec2 step, int minRun) {
  std::vector<Hue> hues;
  Hue current = Hue::Other;
  int run = 0;
  for (glm::ivec2 p = from; p.x >= 0 && p.y >= 0 && p.x < image.width && p.y < image.height;
       p += step) {
    const Hue hue = hueOf(image.at(p.x, p.y));
    run = hue == current ? run + 1 : 1;
    current = hue;
    if (run == minRun && hue != Hue::Other && (hues.empty() || hues.back() != hue)) {
      hues.push_back(hue);
    }
  }
  return hues;
}

// The flat colour of a cut face: the structure's linear colour darkened as the renderer does,
// encoded to sRGB.
glm::u8vec4 capColour(glm::vec3 linear) {
  const auto encode = [](float c) {
    return static_cast<std::uint8_t>(
        std::lround(255.0f * std::pow(c * fascia::kSectionCapShade, 1.0f / 2.2f)));
  };
  return {encode(linear.r), encode(linear.g), encode(linear.b), 255};
}

bool near(glm::u8vec4 a, glm::u8vec4 b) {
  return std::abs(int(a.r) - int(b.r)) <= 8 && std::abs(int(a.g) - int(b.g)) <= 8 &&
         std::abs(int(a.b) - int(b.b)) <= 8;
}

std::string rgb(glm::u8vec4 p) {
  return "rgb(" + std::to_string(p.r) + "," + std::to_string(p.g) + "," + std::to_string(p.b) + ")";
}

// Five nested shells: skin red, superficial fascia green, deep fascia blue, muscle yellow,
// bone magenta (as in test_render_cli.cpp).
class SectionRender : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    dir_ = new fascia::test::TempDir();
    fascia::Model shells = fascia::test::makeNestedShells(3);
    fascia::test::paintLayersByHue(shells);
    fascia::test::writeObj(shells, *dir_ / "shells.obj");
    fascia::test::writeManifest(shells, *dir_ / "shells.manifest.json");
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static Image screenshot(const std::vector<std::string>& options, const std::string& name) {
    const auto png = *dir_ / (name + ".png");
    std::vector<std::string> args = {"--screenshot", png.string(), "--size", "300x400"};
    args.insert(args.end(), options.begin(), options.end());
    args.push_back((*dir_ / "shells.obj").string());
    const auto result = runFascia(args);
    EXPECT_EQ(result.exitCode, 0) << result.err;
    return fascia::readPng(png);
  }

  // Keeps the frame where a person can look at it when a check failed.
  static void keepOnFailure(const Image& image, const std::string& name) {
    if (!::testing::Test::HasFailure()) return;
    const auto kept = std::filesystem::current_path() / ("section_" + name + ".png");
    fascia::writePng(image, kept);
    std::cerr << "frame written to " << kept << '\n';
  }

  static fascia::test::TempDir* dir_;
};
fascia::test::TempDir* SectionRender::dir_ = nullptr;

TEST_F(SectionRender, CutFacesShowEveryLayerInOrderFromTheCore) {
  const std::vector<Hue> expected = {Hue::Magenta, Hue::Yellow, Hue::Blue, Hue::Green, Hue::Red};
  // A coronal cut through the centre seen from behind, and a sagittal one seen from the left:
  // both remove the half facing the camera, so the plane faces it.
  for (const auto& [view, plane] : std::vector<std::pair<std::string, std::string>>{
           {"posterior", "coronal"}, {"left", "sagittal"}, {"posterior", "coronal@2"}}) {
    const std::string name = view + "_" + plane.substr(0, plane.find('@'));
    const Image image = screenshot({"--view", view, "--section", plane}, name);
    const glm::ivec2 centre(image.width / 2, image.height / 2);
    // Flat cut faces, not the lit inside of the shells: the bone core's cap at the centre, and
    // the muscle block's just outside the core (the core's cut is 0.45 of the skin's size,
    // the muscle block's 0.80).
    const glm::ivec2 inMuscle(centre.x, centre.y - image.height / 4);
    EXPECT_TRUE(near(image.at(centre.x, centre.y), capColour({0.85f, 0.05f, 0.85f})))
        << name << ": " << rgb(image.at(centre.x, centre.y));
    EXPECT_TRUE(near(image.at(inMuscle.x, inMuscle.y), capColour({0.85f, 0.85f, 0.05f})))
        << name << ": " << rgb(image.at(inMuscle.x, inMuscle.y));
    for (const glm::ivec2 step : {glm::ivec2(0, -1), glm::ivec2(0, 1)}) {
      EXPECT_EQ(describe(huesAlong(image, centre, step, 3)), describe(expected))
          << view << " view, " << plane << " plane, walking " << (step.y < 0 ? "up" : "down");
    }
    keepOnFailure(image, name);
  }
}

TEST_F(SectionRender, WithoutTheSectionOnlySkinIsSeen) {
  const Image image = screenshot({}, "whole");
  const glm::ivec2 centre(image.width / 2, image.height / 2);
  EXPECT_EQ(describe(huesAlong(image, centre, {0, -1}, 3)), describe({Hue::Red}));
  keepOnFailure(image, "whole");
}

TEST_F(SectionRender, AnEdgeOnPlaneLeavesTheSkinFacingTheViewer) {
  // Transverse cut seen from behind: the plane is edge-on, so the skin still covers the view.
  const Image image = screenshot({"--section", "transverse"}, "edge_on");
  const glm::ivec2 centre(image.width / 2, image.height / 2);
  EXPECT_EQ(hueOf(image.at(centre.x, centre.y + 40)), Hue::Red);
  keepOnFailure(image, "edge_on");
}

TEST_F(SectionRender, PickingFindsTheCutStructure) {
  const auto pick = [](const std::string& pixel, const std::vector<std::string>& options) {
    std::vector<std::string> args = {"--pick", pixel, "--size", "300x400"};
    args.insert(args.end(), options.begin(), options.end());
    args.push_back((*dir_ / "shells.obj").string());
    const auto result = runFascia(args);
    EXPECT_EQ(result.exitCode, 0) << result.err;
    return result.out;
  };
  EXPECT_EQ(pick("150,200", {}), "skin\n");
  EXPECT_EQ(pick("150,200", {"--section", "coronal"}), "bone_core\n");
}

TEST_F(SectionRender, BadPlaneExitsWithUsageStatus) {
  const auto result = runFascia({"--screenshot", (*dir_ / "bad.png").string(), "--section",
                                 "sagital", (*dir_ / "shells.obj").string()});
  EXPECT_EQ(result.exitCode, 2);
  EXPECT_NE(result.err.find("unknown plane 'sagital'"), std::string::npos) << result.err;
}

} // namespace
