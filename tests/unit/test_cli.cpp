// Command-line parsing: the exact forms scripts and tests rely on, and every bad usage.

#include <gtest/gtest.h>

#include "cli.h"

namespace {

using fascia::app::CommandLine;
using fascia::app::Mode;
using fascia::app::parseCommandLine;
using fascia::app::UsageError;

TEST(CommandLine, NoArgumentsOpensTheWindowOnTheDefaultModel) {
  const CommandLine line = parseCommandLine({});
  EXPECT_EQ(line.mode, Mode::Window);
  EXPECT_TRUE(line.model.empty());
  EXPECT_EQ(line.view, fascia::ViewPreset::Posterior);
  EXPECT_FLOAT_EQ(line.peelDepth, 0.0f);
}

TEST(CommandLine, ModelArgument) {
  const CommandLine line = parseCommandLine({"body.glb"});
  EXPECT_EQ(line.mode, Mode::Window);
  EXPECT_EQ(line.model, "body.glb");
}

TEST(CommandLine, ScreenshotWithEveryViewOption) {
  const CommandLine line =
      parseCommandLine({"--screenshot", "out.png", "--size", "640x480", "--view", "left",
                        "--peel", "1.5", "--layer-opacity", "skin=0.25", "--layer-opacity",
                        "deep-fascia=1", "model.obj"});
  EXPECT_EQ(line.mode, Mode::Screenshot);
  EXPECT_EQ(line.screenshotPath, "out.png");
  EXPECT_EQ(line.size, glm::ivec2(640, 480));
  EXPECT_EQ(line.view, fascia::ViewPreset::Left);
  EXPECT_FLOAT_EQ(line.peelDepth, 1.5f);
  ASSERT_EQ(line.layerOpacities.size(), 2u);
  EXPECT_EQ(line.layerOpacities[0].first, fascia::Layer::Skin);
  EXPECT_FLOAT_EQ(line.layerOpacities[0].second, 0.25f);
  EXPECT_EQ(line.layerOpacities[1].first, fascia::Layer::DeepFascia);
  EXPECT_EQ(line.model, "model.obj");
}

TEST(CommandLine, PickListHelpVersion) {
  const CommandLine pick = parseCommandLine({"--pick", "12,34", "--peel", "2"});
  EXPECT_EQ(pick.mode, Mode::Pick);
  EXPECT_EQ(pick.pickPixel, glm::ivec2(12, 34));
  EXPECT_EQ(parseCommandLine({"--list-structures", "x.ply"}).mode, Mode::ListStructures);
  EXPECT_EQ(parseCommandLine({"--help"}).mode, Mode::Help);
  EXPECT_EQ(parseCommandLine({"--version"}).mode, Mode::Version);
  EXPECT_NE(fascia::app::helpText().find("--screenshot"), std::string::npos);
  EXPECT_NE(fascia::app::versionText().find("Fascia Atlas"), std::string::npos);
}

struct BadUsage {
  std::vector<std::string> args;
  std::string expectedInMessage;
};

class CommandLineErrors : public ::testing::TestWithParam<BadUsage> {};

TEST_P(CommandLineErrors, AreRejectedWithAMessage) {
  const BadUsage& bad = GetParam();
  try {
    parseCommandLine(bad.args);
    FAIL() << "expected a UsageError";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find(bad.expectedInMessage), std::string::npos)
        << error.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    All, CommandLineErrors,
    ::testing::Values(
        BadUsage{{"--frobnicate"}, "unknown option '--frobnicate'"},
        BadUsage{{"--screenshot"}, "needs a value"},
        BadUsage{{"--screenshot", "a.png", "--size", "big"}, "WIDTHxHEIGHT"},
        BadUsage{{"--screenshot", "a.png", "--size", "0x10"}, "between 1 and"},
        BadUsage{{"--screenshot", "a.png", "--size", "100000x10"}, "between 1 and"},
        BadUsage{{"--screenshot", "a.png", "--size", "10x-3"}, "between 1 and"},
        BadUsage{{"--view", "back"}, "unknown view 'back'"},
        BadUsage{{"--peel", "nan"}, "not a number"},
        BadUsage{{"--peel", "-1"}, "between 0 and"},
        BadUsage{{"--peel", "7"}, "between 0 and"},
        BadUsage{{"--peel", "1.5x"}, "not a number"},
        BadUsage{{"--layer-opacity", "skin"}, "LAYER=VALUE"},
        BadUsage{{"--layer-opacity", "hair=0.5"}, "unknown layer 'hair'"},
        BadUsage{{"--layer-opacity", "skin=2"}, "between 0 and 1"},
        BadUsage{{"--pick", "12"}, "X,Y"},
        BadUsage{{"--pick", "a,b"}, "not a whole number"},
        BadUsage{{"--pick", "1,1", "--screenshot", "x.png"}, "cannot be combined"},
        BadUsage{{"a.glb", "b.glb"}, "only one model"}),
    [](const ::testing::TestParamInfo<BadUsage>& param) {
      return "Case" + std::to_string(param.index);
    });

} // namespace
