// Render tests of techniques through the real program: a pressure frame changes the picture
// where the tool presses and nowhere far from it; --frames writes the sequence; bad technique
// input exits 2 with one message.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <glm/vec3.hpp>

#include "fascia/camera.h"
#include "fascia/image.h"
#include "hues.h"
#include "process.h"
#include "test_models.h"

namespace {

using fascia::Image;
using fascia::test::runFascia;

constexpr int kWidth = 320;
constexpr int kHeight = 240;

struct TechniqueFixture {
  fascia::test::TempDir dir;
  std::filesystem::path model;
  std::string size;

  explicit TechniqueFixture(const fascia::Model& shells = fascia::test::makeNestedShells(4),
                            int width = kWidth, int height = kHeight)
      : size(std::to_string(width) + "x" + std::to_string(height)) {
    model = dir / "shells.obj";
    fascia::test::writeObj(shells, model);
    fascia::test::writeManifest(shells, dir / "shells.manifest.json");
  }

  Image screenshot(const std::string& name, std::vector<std::string> options) const {
    const auto png = dir / name;
    std::vector<std::string> args = {"--screenshot", png.string(), "--size", size};
    args.insert(args.end(), options.begin(), options.end());
    args.push_back(model.string());
    const auto result = runFascia(args);
    EXPECT_EQ(result.exitCode, 0) << result.err;
    return fascia::readPng(png);
  }
};

// Mean absolute difference of the RGB channels over a square of pixels around a centre.
double meanDifference(const Image& a, const Image& b, int cx, int cy, int half) {
  double sum = 0.0;
  int count = 0;
  for (int y = cy - half; y <= cy + half; ++y) {
    for (int x = cx - half; x <= cx + half; ++x) {
      const std::size_t i = (static_cast<std::size_t>(y) * static_cast<std::size_t>(a.width) +
                             static_cast<std::size_t>(x)) *
                            4u;
      for (std::size_t c = 0; c < 3; ++c)
        sum += std::abs(int(a.pixels[i + c]) - int(b.pixels[i + c]));
      count += 3;
    }
  }
  return sum / count;
}

TEST(TechniqueRender, PressureFrameDiffersNearTheContactAndNotFarFromIt) {
  const TechniqueFixture fixture;
  const int cx = kWidth / 2, cy = kHeight / 2;
  const Image rest = fixture.screenshot("rest.png", {});
  const Image pressed =
      fixture.screenshot("pressed.png", {"--technique", "ischaemic-compression", "--at",
                                         std::to_string(cx) + "," + std::to_string(cy), "--load",
                                         "60", "--time", "8"});
  ASSERT_EQ(rest.width, pressed.width);
  const double near = meanDifference(rest, pressed, cx, cy, 8);
  const double far = meanDifference(rest, pressed, cx, cy - 80, 8);
  EXPECT_GT(near, 5.0) << "the contact should show the tool, the dent and the pressure overlay";
  EXPECT_LT(far, 1.0) << "a point 80 px (about 30 cm) away should be untouched";

  // At t = 0 nothing presses yet and after the release the tissue is back at rest: only the
  // tool may differ, in a small area around the contact.
  const Image after = fixture.screenshot(
      "after.png", {"--technique", "ischaemic-compression", "--at", "160,120", "--time", "100"});
  EXPECT_LT(meanDifference(rest, after, cx, cy - 40, 8), 1.0);
}

TEST(TechniqueRender, FramesWritesTheNumberedSequence) {
  const TechniqueFixture fixture;
  const auto out = fixture.dir / "frames";
  const auto result =
      runFascia({"--frames", out.string(), "--technique", "ischaemic-compression", "--at", "80,60",
                 "--size", "160x120", "--fps", "2", "--duration", "1.5", fixture.model.string()});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  for (const char* name : {"frame-0001.png", "frame-0002.png", "frame-0003.png"}) {
    EXPECT_TRUE(std::filesystem::exists(out / name)) << name;
  }
  EXPECT_FALSE(std::filesystem::exists(out / "frame-0004.png"));
  const Image first = fascia::readPng(out / "frame-0001.png");
  EXPECT_EQ(first.width, 160);
  EXPECT_EQ(first.height, 120);
}

// --frames uploads only what each update changed; the frame it reaches at t = 8 s must be the
// frame a fresh --screenshot uploads whole at t = 8 s.
TEST(TechniqueRender, IncrementalFramesMatchAFreshScreenshotOfTheSameMoment) {
  const TechniqueFixture fixture;
  const auto out = fixture.dir / "sequence";
  const auto result = runFascia({"--frames", out.string(), "--technique", "ischaemic-compression",
                                 "--at", "80,60", "--size", "160x120", "--fps", "1", "--duration",
                                 "9", "--load", "70", fixture.model.string()});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const auto png = fixture.dir / "fresh.png";
  const auto fresh = runFascia({"--screenshot", png.string(), "--technique",
                                "ischaemic-compression", "--at", "80,60", "--size", "160x120",
                                "--load", "70", "--time", "8", fixture.model.string()});
  ASSERT_EQ(fresh.exitCode, 0) << fresh.err;
  const Image sequenced = fascia::readPng(out / "frame-0009.png");
  const Image single = fascia::readPng(png);
  ASSERT_EQ(sequenced.pixels.size(), single.pixels.size());
  EXPECT_EQ(meanDifference(sequenced, single, 80, 60, 59), 0.0);
}

// The close-up (bottom left, 42% of the frame's height) cuts through the contact along the
// press: walking across it through the contact from the deep side, the coloured shells' cut
// faces come in order (muscle yellow, deep fascia blue, superficial fascia green, skin red)
// before the tool. --no-close-up leaves the whole-body frame alone; the two frames agree away
// from the close-up, its leader line and the ring round the contact.
TEST(TechniqueRender, CloseUpShowsTheLayersUnderTheToolInCrossSection) {
  using fascia::test::Hue;
  fascia::Model shells = fascia::test::makeNestedShells(4);
  fascia::test::paintLayersByHue(shells);
  const TechniqueFixture fixture(shells, 480, 360);
  const std::vector<std::string> elbow = {"--technique", "myofascial-release", "--at", "240,180",
                                          "--time", "6"};
  const Image with = fixture.screenshot("close_up.png", elbow);
  std::vector<std::string> plain = elbow;
  plain.push_back("--no-close-up");
  const Image without = fixture.screenshot("no_close_up.png", plain);
  ASSERT_EQ(with.width, 480);
  ASSERT_EQ(without.width, 480);

  // The close-up's square: 151 px at (6, 203). Its middle row runs through the contact.
  const int side = 360 * 42 / 100, x0 = 6, y0 = 360 - 6 - side;
  const int row = y0 + side / 2;
  std::vector<Hue> across;
  for (const int step : {1, -1}) {
    std::vector<Hue> hues;
    Hue current = Hue::Other;
    int run = 0;
    for (int x = step > 0 ? x0 + 2 : x0 + side - 3; x >= x0 + 2 && x <= x0 + side - 3; x += step) {
      const Hue hue = fascia::test::hueOf(with.at(x, row));
      run = hue == current ? run + 1 : 1;
      current = hue;
      if (run == 2 && hue != Hue::Other && (hues.empty() || hues.back() != hue)) hues.push_back(hue);
    }
    if (hues.size() > across.size()) across = hues;
  }
  const std::vector<Hue> inward = {Hue::Yellow, Hue::Blue, Hue::Green, Hue::Red};
  auto found = across.begin();
  for (const Hue hue : inward) found = std::find(found, across.end(), hue);
  EXPECT_NE(found, across.end()) << "the cut faces of muscle, deep fascia, superficial fascia "
                                    "and skin should lie in order along the middle row";
  // Without the close-up that corner shows the background and nothing else.
  EXPECT_GT(meanDifference(with, without, x0 + side / 2, row, side / 3), 20.0);
  // Far from the close-up and the contact the frames are the same.
  EXPECT_EQ(meanDifference(with, without, 400, 60, 20), 0.0);
  EXPECT_EQ(meanDifference(with, without, 400, 300, 20), 0.0);
}

// A stretched muscle lengthens away from its fixed end; where that would carry it past the
// model's own ends (the neck and thighs of a torso), it is cut there like everything else. The
// muscle block of the shells, renamed to the trunk flexion stretch's muscle and made nearly as
// tall as the skin, would reach about 13 cm past the body at 15%; outside the rows the model's
// height range covers, the stretched frame must show only the background the rest frame shows.
TEST(TechniqueRender, StretchedMuscleIsCutAtTheModelsOwnEnds) {
  fascia::Model shells = fascia::test::makeNestedShells(4);
  fascia::test::paintLayersByHue(shells);
  fascia::Structure& muscle = shells.structures[3];
  muscle.info.name = "longissimus_left";
  muscle.mesh = fascia::test::makeEllipsoid(glm::vec3(0.10f, 0.44f, 0.08f), 4);
  muscle.mesh.fibres.assign(muscle.mesh.positions.size(), glm::vec3(0.0f, 1.0f, 0.0f));
  const TechniqueFixture fixture(shells, 300, 400);
  const Image rest = fixture.screenshot("rest.png", {});
  const Image stretched = fixture.screenshot(
      "stretched.png", {"--technique", "trunk-flexion-stretch", "--time", "9", "--peel", "3"});
  // The rows the model's height range spans where the muscle is (10 cm either side of the
  // midline, 8 cm front and back), from the camera the program uses: a horizontal cut face
  // below or above the eye shows as an ellipse, so it may reach a little past the skin's tip.
  const fascia::Bounds bounds = shells.bounds();
  const fascia::Camera camera = fascia::presetCamera(
      fascia::ViewPreset::Posterior, bounds,
      static_cast<float>(rest.width) / static_cast<float>(rest.height));
  float top = static_cast<float>(rest.height), bottom = 0.0f;
  for (const float x : {-0.1f, 0.1f})
    for (const float y : {bounds.min.y, bounds.max.y})
      for (const float z : {-0.08f, 0.08f}) {
        const auto pixel = camera.pixelOf({x, y, z}, {rest.width, rest.height});
        ASSERT_TRUE(pixel);
        top = std::min(top, pixel->y);
        bottom = std::max(bottom, pixel->y);
      }
  ASSERT_GT(top, 0.0f);
  ASSERT_LT(bottom, static_cast<float>(rest.height) - 10.0f);
  const auto differs = [&](int x, int y) {
    const auto a = rest.at(x, y), b = stretched.at(x, y);
    return std::abs(int(a.r) - int(b.r)) + std::abs(int(a.g) - int(b.g)) +
               std::abs(int(a.b) - int(b.b)) > 30;
  };
  // Below the caption strip, away from the legend on the right; 2 rows for anti-aliasing.
  int outside = 0, inside = 0;
  for (int y = 24; y < stretched.height; ++y)
    for (int x = 0; x < stretched.width * 2 / 3; ++x) {
      if (!differs(x, y)) continue;
      if (static_cast<float>(y) < top - 2.0f || static_cast<float>(y) > bottom + 2.0f) {
        ++outside;
      } else {
        ++inside;
      }
    }
  EXPECT_EQ(outside, 0) << "the stretched muscle shows past the model's ends";
  EXPECT_GT(inside, 1000) << "the stretched muscle is in view";
}

TEST(TechniqueRender, BadTechniqueInputExitsTwoWithOneMessage) {
  const TechniqueFixture fixture;
  const auto png = (fixture.dir / "bad.png").string();
  const auto check = [&](std::vector<std::string> args, const std::string& expected) {
    args.push_back(fixture.model.string());
    const auto result = runFascia(args);
    EXPECT_EQ(result.exitCode, 2) << result.err;
    EXPECT_NE(result.err.find(expected), std::string::npos) << result.err;
    EXPECT_FALSE(std::filesystem::exists(png));
  };
  // The corner of the frame is background, not body.
  check({"--screenshot", png, "--technique", "ischaemic-compression", "--at", "2,2"},
        "not on the body");
  // The generated shells have no piriformis.
  check({"--screenshot", png, "--technique", "piriformis-stretch"}, "piriformis_left");
  check({"--screenshot", png, "--technique", "thumb-wrestling", "--at", "2,2"},
        "unknown technique");
  check({"--screenshot", png, "--technique", "ischaemic-compression", "--at-trigger-point",
         "No such point"},
        "No such point");
}

TEST(TechniqueRender, ListTechniquesPrintsOneNameALine) {
  const auto result = runFascia({"--list-techniques"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_NE(result.out.find("ischaemic-compression\n"), std::string::npos);
  EXPECT_NE(result.out.find("piriformis-stretch\n"), std::string::npos);
}

} // namespace
