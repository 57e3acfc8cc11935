// Render tests: real frames of a generated layered model through `fascia --screenshot` and
// `fascia --pick`, checked pixel by pixel.

#include <gtest/gtest.h>

#include <array>
#include <string>

#include <glm/vec2.hpp>

#include "fascia/image.h"
#include "hues.h"
#include "process.h"
#include "test_models.h"

namespace {

using fascia::Image;
using fascia::test::runFascia;

// Five nested shells coloured so the dominant channel says which layer a pixel shows.
struct ShellFixture {
  fascia::test::TempDir dir;
  std::filesystem::path model;

  ShellFixture() {
    fascia::Model shells = fascia::test::makeNestedShells(3);
    fascia::test::paintLayersByHue(shells);
    model = dir / "shells.obj";
    fascia::test::writeObj(shells, model);
    fascia::test::writeManifest(shells, dir / "shells.manifest.json");
  }

  Image screenshot(const std::vector<std::string>& options) const {
    const auto png = dir / "frame.png";
    std::vector<std::string> args = {"--screenshot", png.string()};
    args.insert(args.end(), options.begin(), options.end());
    args.push_back(model.string());
    const auto result = runFascia(args);
    EXPECT_EQ(result.exitCode, 0) << result.err;
    return fascia::readPng(png);
  }

  std::string pick(const std::vector<std::string>& options) const {
    std::vector<std::string> args = options;
    args.push_back(model.string());
    const auto result = runFascia(args);
    EXPECT_EQ(result.exitCode, 0) << result.err;
    return result.out;
  }
};

// A structure with a flat colour, for models that are built in a test.
fascia::Structure coloured(const char* name, fascia::Layer layer, glm::vec3 colour,
                           fascia::MeshData mesh) {
  fascia::Structure structure;
  structure.info.name = name;
  structure.info.layer = layer;
  structure.info.colour = colour;
  structure.mesh = std::move(mesh);
  return structure;
}

// Writes a model and its manifest (for the colours) into a folder; returns the model's path.
std::filesystem::path writeTestModel(const fascia::Model& model,
                                     const fascia::test::TempDir& dir, const std::string& stem) {
  fascia::test::writeObj(model, dir / (stem + ".obj"));
  fascia::test::writeManifest(model, dir / (stem + ".manifest.json"));
  return dir / (stem + ".obj");
}

using fascia::test::Hue;
using fascia::test::hueOf;

std::string describe(glm::u8vec4 p) {
  return "rgb(" + std::to_string(p.r) + "," + std::to_string(p.g) + "," + std::to_string(p.b) + ")";
}

// Keep the fixture model for the whole suite: writing it is cheap, but one is enough.
class RenderCli : public ::testing::Test {
protected:
  static void SetUpTestSuite() { fixture_ = new ShellFixture(); }
  static void TearDownTestSuite() {
    delete fixture_;
    fixture_ = nullptr;
  }
  static ShellFixture* fixture_;
};
ShellFixture* RenderCli::fixture_ = nullptr;

TEST_F(RenderCli, ScreenshotHasTheRequestedSize) {
  const Image wide = fixture_->screenshot({"--size", "320x200"});
  EXPECT_EQ(wide.width, 320);
  EXPECT_EQ(wide.height, 200);
  const Image tall = fixture_->screenshot({"--size", "150x260"});
  EXPECT_EQ(tall.width, 150);
  EXPECT_EQ(tall.height, 260);
}

TEST_F(RenderCli, EachPeelDepthShowsTheNextLayerAtTheCentre) {
  const std::array<Hue, 5> expected = {Hue::Red, Hue::Green, Hue::Blue, Hue::Yellow,
                                       Hue::Magenta};
  for (int peel = 0; peel < 5; ++peel) {
    const Image image =
        fixture_->screenshot({"--size", "240x240", "--peel", std::to_string(peel)});
    const glm::u8vec4 centre = image.at(120, 120);
    EXPECT_EQ(hueOf(centre), expected[static_cast<std::size_t>(peel)])
        << "peel " << peel << ": " << describe(centre);
  }
}

TEST_F(RenderCli, HalfTransparentSkinShowsTheLayerBeneath) {
  const Image image =
      fixture_->screenshot({"--size", "240x240", "--layer-opacity", "skin=0.5"});
  const glm::u8vec4 centre = image.at(120, 120);
  // Red skin over green fascia: both channels are clearly present, blue is not.
  EXPECT_GT(centre.r, 60) << describe(centre);
  EXPECT_GT(centre.g, 60) << describe(centre);
  EXPECT_LT(centre.b, std::min(centre.r, centre.g)) << describe(centre);
}

TEST_F(RenderCli, FullyPeeledModelShowsOnlyTheBackground) {
  const Image peeled = fixture_->screenshot({"--size", "200x200", "--peel", "6"});
  const Image shown = fixture_->screenshot({"--size", "200x200", "--peel", "0"});
  // The background is a vertical gradient with a soft vignette: along a row it changes only
  // slowly. With everything peeled the centre matches the row's edge; with skin it does not.
  const auto close = [](glm::u8vec4 a, glm::u8vec4 b) {
    return std::abs(int(a.r) - int(b.r)) + std::abs(int(a.g) - int(b.g)) +
               std::abs(int(a.b) - int(b.b)) < 30;
  };
  EXPECT_TRUE(close(peeled.at(100, 100), peeled.at(5, 100)))
      << describe(peeled.at(100, 100)) << " vs " << describe(peeled.at(5, 100));
  EXPECT_FALSE(close(shown.at(100, 100), shown.at(5, 100)));
}

TEST_F(RenderCli, BackgroundIsACalmLightGradient) {
  const Image image = fixture_->screenshot({"--size", "200x200"});
  const glm::u8vec4 top = image.at(100, 2);
  const glm::u8vec4 bottom = image.at(100, 197);
  EXPECT_GT(top.r + top.g + top.b, bottom.r + bottom.g + bottom.b) << "lighter at the top";
  EXPECT_GT(int(bottom.r), 60) << "not black";
  EXPECT_EQ(hueOf(top), Hue::Other) << describe(top);
}

// A model with a marker on the patient's left (+X), one in front (+Z) and one on top (+Y),
// so each view puts them in a known place in the image.
TEST(RenderCliViews, EachPresetLooksFromItsSide) {
  fascia::test::TempDir dir;
  fascia::Model model;
  const auto add = [&](const char* name, glm::vec3 radii, glm::vec3 centre, glm::vec3 colour) {
    model.structures.push_back(coloured(name, fascia::Layer::Bone, colour,
                                        fascia::test::makeEllipsoid(radii, 2, centre)));
  };
  add("body", glm::vec3(0.15f, 0.4f, 0.1f), glm::vec3(0.0f), glm::vec3(0.8f, 0.8f, 0.8f));
  add("left_marker", glm::vec3(0.06f), glm::vec3(0.2f, 0.0f, 0.0f), glm::vec3(0.85f, 0.05f, 0.05f));
  add("front_marker", glm::vec3(0.06f), glm::vec3(0.0f, 0.0f, 0.14f), glm::vec3(0.05f, 0.8f, 0.05f));
  add("top_marker", glm::vec3(0.06f), glm::vec3(0.0f, 0.44f, 0.0f), glm::vec3(0.05f, 0.05f, 0.85f));
  const auto path = writeTestModel(model, dir, "markers");

  // Where the centre of a hue lies in the image, as a fraction of width and height.
  const auto locate = [&](const char* view, Hue hue) {
    const auto png = dir / (std::string(view) + ".png");
    const auto result = runFascia({"--screenshot", png.string(), "--size", "200x200", "--view",
                                   view, path.string()});
    EXPECT_EQ(result.exitCode, 0) << result.err;
    const Image image = fascia::readPng(png);
    glm::vec2 sum(0.0f);
    int count = 0;
    for (int y = 0; y < image.height; ++y) {
      for (int x = 0; x < image.width; ++x) {
        if (hueOf(image.at(x, y)) == hue) {
          sum += glm::vec2(x, y);
          ++count;
        }
      }
    }
    return count == 0 ? glm::vec2(-1.0f) : sum / float(count) / glm::vec2(200.0f);
  };
  // From behind, the patient's left is on the image's left; from the front, on the right.
  EXPECT_LT(locate("posterior", Hue::Red).x, 0.4f);
  EXPECT_GT(locate("anterior", Hue::Red).x, 0.6f);
  EXPECT_EQ(locate("posterior", Hue::Green).x, -1.0f) << "the front marker is hidden from behind";
  // Looking at the patient's left side their front points to the viewer's left (as in a left
  // lateral radiograph); from the right side, to the viewer's right.
  EXPECT_LT(locate("left", Hue::Green).x, 0.47f);
  EXPECT_GT(locate("right", Hue::Green).x, 0.53f);
  EXPECT_LT(locate("posterior", Hue::Blue).y, 0.3f) << "the top is up";
  // From above, left and right stay as seen from behind (the camera is tipped over the back),
  // and the front marker lies beyond the top one, towards the image's top.
  const glm::vec2 top = locate("superior", Hue::Blue);
  const glm::vec2 left = locate("superior", Hue::Red);
  const glm::vec2 front = locate("superior", Hue::Green);
  ASSERT_GE(top.x, 0.0f);
  ASSERT_GE(left.x, 0.0f);
  ASSERT_GE(front.x, 0.0f);
  EXPECT_LT(left.x, top.x - 0.1f);
  EXPECT_LT(front.y, top.y - 0.05f);
}

// Pick and render agree away from the centre row and column too, on an asymmetric model.
TEST(RenderCliViews, PickAgreesWithTheFrameOffCentre) {
  fascia::test::TempDir dir;
  fascia::Model model;
  model.structures.push_back(
      coloured("body", fascia::Layer::Bone, glm::vec3(0.8f),
               fascia::test::makeEllipsoid(glm::vec3(0.15f, 0.4f, 0.1f), 3)));
  model.structures.push_back(coloured(
      "marker", fascia::Layer::Bone, glm::vec3(0.85f, 0.05f, 0.05f),
      fascia::test::makeEllipsoid(glm::vec3(0.07f), 3, glm::vec3(0.15f, 0.25f, -0.05f))));
  const auto path = writeTestModel(model, dir, "asym");
  const auto png = dir / "asym.png";
  ASSERT_EQ(runFascia({"--screenshot", png.string(), "--size", "160x120", path.string()}).exitCode,
            0);
  const Image image = fascia::readPng(png);
  int checked = 0;
  for (int y = 4; y < 116; y += 5) {
    for (int x = 4; x < 156; x += 5) {
      const Hue hue = hueOf(image.at(x, y));
      if (hue != Hue::Red) continue;
      // Skip the marker's rim, where MSAA blends it with its surroundings.
      if (hueOf(image.at(x - 2, y)) != Hue::Red || hueOf(image.at(x + 2, y)) != Hue::Red ||
          hueOf(image.at(x, y - 2)) != Hue::Red || hueOf(image.at(x, y + 2)) != Hue::Red) {
        continue;
      }
      const auto result = runFascia({"--pick", std::to_string(x) + "," + std::to_string(y),
                                     "--size", "160x120", path.string()});
      EXPECT_EQ(result.out, "marker\n") << "x=" << x << " y=" << y;
      ++checked;
    }
  }
  EXPECT_GE(checked, 2) << "the marker must be seen off-centre";
}

TEST_F(RenderCli, ViewsShowTheModelFromDifferentSides) {
  for (const char* view : {"posterior", "anterior", "left", "right", "superior"}) {
    const Image image = fixture_->screenshot({"--size", "200x200", "--view", view});
    EXPECT_EQ(hueOf(image.at(100, 100)), Hue::Red) << view;
  }
  // The shells are 0.9 tall and 0.35 wide: from behind the silhouette is tall and narrow,
  // from above it is not.
  const Image posterior = fixture_->screenshot({"--size", "200x200", "--view", "posterior"});
  const Image superior = fixture_->screenshot({"--size", "200x200", "--view", "superior"});
  const auto width = [](const Image& image) {
    int count = 0;
    for (int x = 0; x < image.width; ++x) count += hueOf(image.at(x, 100)) == Hue::Red ? 1 : 0;
    return count;
  };
  const auto height = [](const Image& image) {
    int count = 0;
    for (int y = 0; y < image.height; ++y) count += hueOf(image.at(100, y)) == Hue::Red ? 1 : 0;
    return count;
  };
  EXPECT_GT(height(posterior), 2 * width(posterior));
  EXPECT_LT(height(superior), 2 * width(superior));
}

TEST_F(RenderCli, PickAtTheCentreNamesTheOutermostShownLayer) {
  const std::array<const char*, 5> expected = {"skin", "superficial_fascia", "deep_fascia",
                                               "muscle_block", "bone_core"};
  for (int peel = 0; peel < 5; ++peel) {
    EXPECT_EQ(fixture_->pick({"--pick", "120,120", "--size", "240x240", "--peel",
                              std::to_string(peel)}),
              std::string(expected[static_cast<std::size_t>(peel)]) + "\n");
  }
  EXPECT_EQ(fixture_->pick({"--pick", "120,120", "--size", "240x240", "--peel", "5"}), "none\n");
}

TEST_F(RenderCli, PickIgnoresHiddenLayersAndBackground) {
  EXPECT_EQ(fixture_->pick({"--pick", "120,120", "--size", "240x240", "--layer-opacity",
                            "skin=0", "--layer-opacity", "superficial-fascia=0"}),
            "deep_fascia\n");
  EXPECT_EQ(fixture_->pick({"--pick", "0,0", "--size", "240x240"}), "none\n");
}

TEST_F(RenderCli, PickAgreesWithThePixelsOfTheFrame) {
  // Walk along the middle row: wherever the frame shows skin, pick names skin, and where it
  // shows background, pick says none.
  const Image image = fixture_->screenshot({"--size", "160x120"});
  for (int x = 4; x < 160; x += 12) {
    const Hue hue = hueOf(image.at(x, 60));
    if (hue != Hue::Red && hue != Hue::Other) continue;
    const std::string picked =
        fixture_->pick({"--pick", std::to_string(x) + ",60", "--size", "160x120"});
    EXPECT_EQ(picked, hue == Hue::Red ? "skin\n" : "none\n") << "x=" << x;
  }
}

TEST_F(RenderCli, ListStructuresPrintsLayerNameAndTriangles) {
  const auto result = runFascia({"--list-structures", fixture_->model.string()});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_NE(result.out.find("skin\tskin\t1280\n"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("bone\tbone_core\t1280\n"), std::string::npos) << result.out;
}

// Back faces of closed surfaces are culled; open sheets and inside-out volumes must still show.
TEST(RenderCliCulling, OpenSheetsAndInsideOutVolumesAreVisible) {
  fascia::test::TempDir dir;
  fascia::Model model;
  // A single open sheet facing the viewer of the anterior view (+Z), seen from behind.
  fascia::Structure sheet;
  sheet.info.name = "fascia_sheet";
  sheet.info.layer = fascia::Layer::DeepFascia;
  sheet.info.colour = glm::vec3(0.05f, 0.8f, 0.05f);
  sheet.mesh.positions = {{-0.3f, -0.3f, 0.0f}, {0.3f, -0.3f, 0.0f}, {0.3f, 0.3f, 0.0f},
                          {-0.3f, 0.3f, 0.0f}};
  sheet.mesh.normals.assign(4, glm::vec3(0.0f, 0.0f, 1.0f));
  sheet.mesh.indices = {0, 1, 2, 0, 2, 3};
  model.structures.push_back(sheet);
  // An inside-out sphere off to the side.
  fascia::Structure ball;
  ball.info.name = "inside_out_bone";
  ball.info.layer = fascia::Layer::Bone;
  ball.info.colour = glm::vec3(0.85f, 0.05f, 0.05f);
  ball.mesh = fascia::test::makeEllipsoid(glm::vec3(0.1f), 2, glm::vec3(0.0f, 0.0f, -0.4f));
  for (std::size_t i = 0; i + 2 < ball.mesh.indices.size(); i += 3) {
    std::swap(ball.mesh.indices[i + 1], ball.mesh.indices[i + 2]);
  }
  for (auto& n : ball.mesh.normals) n = -n;
  model.structures.push_back(ball);
  fascia::test::writeObj(model, dir / "culling.obj");
  fascia::test::writeManifest(model, dir / "culling.manifest.json");

  const auto shoot = [&](const char* view) {
    const auto png = dir / (std::string(view) + ".png");
    const auto result = runFascia({"--screenshot", png.string(), "--size", "200x200", "--view",
                                   view, (dir / "culling.obj").string()});
    EXPECT_EQ(result.exitCode, 0) << result.err;
    return fascia::readPng(png);
  };
  // Posterior: the sheet's back (it faces +Z) and, in front of it, the inside-out ball.
  const Image posterior = shoot("posterior");
  EXPECT_EQ(hueOf(posterior.at(100, 100)), Hue::Red) << describe(posterior.at(100, 100));
  EXPECT_EQ(hueOf(posterior.at(100, 55)), Hue::Green) << describe(posterior.at(100, 55));
  // Anterior: the sheet's front hides the ball.
  const Image anterior = shoot("anterior");
  EXPECT_EQ(hueOf(anterior.at(100, 100)), Hue::Green) << describe(anterior.at(100, 100));
}

TEST(RenderCliBasics, HelpAndVersion) {
  const auto help = runFascia({"--help"});
  EXPECT_EQ(help.exitCode, 0);
  EXPECT_NE(help.out.find("--screenshot OUT.png"), std::string::npos);
  const auto version = runFascia({"--version"});
  EXPECT_EQ(version.exitCode, 0);
  EXPECT_EQ(version.out.rfind("Fascia Atlas ", 0), 0u) << version.out;
}

} // namespace
