// The app's technique session: commands, the transport, contacts from picks and trigger points,
// the command-line options, and that a frame is a pure function of (preset, parameters, t).

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include <glm/geometric.hpp>

#include "cli.h"
#include "commands.h"
#include "fascia/tool_glyph.h"
#include "state.h"
#include "technique_session.h"
#include "app_fixtures.h"
#include "technique_setup.h"
#include "test_models.h"

namespace fascia::app {
namespace {

AppState shellsState() {
  AppState state;
  state.model = std::make_shared<const Model>(test::makeNestedShells(3));
  state.display.hidden.assign(state.model->structures.size(), false);
  return state;
}

// The thumb on the back of the nested shells (skin 0.125 m deep each side).
void placeOnBack(AppState& state, CommandQueue& commands, const std::string& preset) {
  commands.apply(cmd::ChooseTechnique{preset}, state);
  commands.apply(
      cmd::PlaceTechnique{
          TechniqueContact{glm::vec3(0.0f, 0.0f, -0.125f), glm::vec3(0.0f, 0.0f, 1.0f)}, "skin"},
      state);
}

bool sameDeformation(const Deformation& a, const Deformation& b) {
  if (a.structures.size() != b.structures.size()) return false;
  for (std::size_t i = 0; i < a.structures.size(); ++i) {
    if (a.structures[i].displacement != b.structures[i].displacement) return false;
    if (a.structures[i].overlay != b.structures[i].overlay) return false;
  }
  return a.indentation == b.indentation && a.overlay == b.overlay;
}

TEST(TechniqueSession, NoTechniqueByDefaultAndNothingToDeform) {
  const AppState state = shellsState();
  EXPECT_FALSE(state.technique.active());
  EXPECT_FALSE(sessionState(state.technique));
  TechniqueFrames frames;
  frames.update(state);
  EXPECT_EQ(frames.deformation(), nullptr);
  EXPECT_FALSE(frames.tool());
}

TEST(TechniqueSession, PressureNeedsAContactBeforeItDeforms) {
  AppState state = shellsState();
  CommandQueue commands;
  commands.apply(cmd::ChooseTechnique{"ischaemic-compression"}, state);
  EXPECT_TRUE(needsContact(state.technique));
  TechniqueFrames frames;
  frames.update(state);
  EXPECT_EQ(frames.deformation(), nullptr);
  commands.apply(
      cmd::PlaceTechnique{
          TechniqueContact{glm::vec3(0.0f, 0.0f, -0.125f), glm::vec3(0.0f, 0.0f, 1.0f)}, "skin"},
      state);
  EXPECT_FALSE(needsContact(state.technique));
  commands.apply(cmd::SetTechniqueTransport{8.0, false, 1.0f, true}, state);
  EXPECT_TRUE(frames.update(state));
  ASSERT_NE(frames.deformation(), nullptr);
  EXPECT_GT(frames.deformation()->indentation, 0.002f);
  ASSERT_TRUE(frames.tool());
  EXPECT_EQ(frames.tool()->tool, ToolKind::Thumb);
  // The tool sits in the dent it makes.
  EXPECT_NEAR(frames.tool()->contact.z, -0.125f + frames.deformation()->indentation, 1e-5f);
  EXPECT_FALSE(frames.update(state)) << "nothing changed: nothing to recompute";
}

TEST(TechniqueSession, SameTimeGivesTheSameDeformationWhateverCameBefore) {
  AppState state = shellsState();
  CommandQueue commands;
  placeOnBack(state, commands, "ischaemic-compression");
  commands.apply(cmd::SetTechniqueTransport{7.0, false, 1.0f, true}, state);
  TechniqueFrames direct;
  direct.update(state);
  ASSERT_NE(direct.deformation(), nullptr);
  const Deformation first = *direct.deformation();

  // Play through other moments (another load too), then come back to t = 7 s.
  TechniqueFrames played;
  TechniqueParams heavier = state.technique.params;
  heavier.loadN = 80.0f;
  commands.apply(cmd::SetTechniqueParams{heavier}, state);
  commands.apply(cmd::SetTechniqueTransport{0.0, true, 2.0f, true}, state);
  for (int i = 0; i < 12; ++i) {
    commands.apply(cmd::AdvanceTechnique{0.4}, state);
    played.update(state);
  }
  commands.apply(cmd::SetTechniqueParams{TechniqueParams{}}, state); // load back to default
  commands.apply(cmd::SetTechniqueTransport{7.0, false, 1.0f, true}, state);
  played.update(state);
  ASSERT_NE(played.deformation(), nullptr);
  EXPECT_TRUE(sameDeformation(first, *played.deformation()));
}

TEST(TechniqueSession, ParamsCommandNeverMovesTheContact) {
  AppState state = shellsState();
  CommandQueue commands;
  placeOnBack(state, commands, "ischaemic-compression");
  TechniqueParams params; // point at the origin
  params.loadN = 20.0f;
  commands.apply(cmd::SetTechniqueParams{params}, state);
  EXPECT_EQ(state.technique.params.point, glm::vec3(0.0f, 0.0f, -0.125f));
  EXPECT_EQ(state.technique.params.loadN, 20.0f);
}

TEST(TechniqueSession, TransportLoopsOrStopsAtTheEnd) {
  AppState state = shellsState();
  CommandQueue commands;
  placeOnBack(state, commands, "ischaemic-compression");
  const double duration = presetOf(state.technique)->durationS;
  commands.apply(cmd::SetTechniqueTransport{duration - 1.0, true, 1.0f, true}, state);
  commands.apply(cmd::AdvanceTechnique{1.5}, state);
  EXPECT_NEAR(state.technique.time, 0.5, 1e-9);
  EXPECT_TRUE(state.technique.playing);
  commands.apply(cmd::SetTechniqueTransport{duration - 1.0, true, 2.0f, false}, state);
  commands.apply(cmd::AdvanceTechnique{1.0}, state);
  EXPECT_DOUBLE_EQ(state.technique.time, duration);
  EXPECT_FALSE(state.technique.playing);
  // Scrubbing is clamped to the technique.
  commands.apply(cmd::SetTechniqueTransport{-3.0, false, 1.0f, true}, state);
  EXPECT_DOUBLE_EQ(state.technique.time, 0.0);
  commands.apply(cmd::SetTechniqueTransport{1e9, false, 1.0f, true}, state);
  EXPECT_DOUBLE_EQ(state.technique.time, duration);
}

TEST(TechniqueSession, ChoosingKeepsTheContactAndUnknownNamesAreIgnored) {
  AppState state = shellsState();
  CommandQueue commands;
  placeOnBack(state, commands, "ischaemic-compression");
  commands.apply(cmd::ChooseTechnique{"myofascial-release"}, state);
  EXPECT_EQ(state.technique.preset, "myofascial-release");
  EXPECT_TRUE(state.technique.placed);
  commands.apply(cmd::ChooseTechnique{"no-such-technique"}, state);
  EXPECT_EQ(state.technique.preset, "myofascial-release");
  commands.apply(cmd::ChooseTechnique{""}, state);
  EXPECT_FALSE(state.technique.active());
}

TEST(TechniqueSession, StretchWithoutItsMuscleReportsAndStaysAtRest) {
  AppState state = shellsState(); // no "longissimus_left"
  CommandQueue commands;
  commands.apply(cmd::ChooseTechnique{"trunk-flexion-stretch"}, state);
  EXPECT_FALSE(state.technique.params.muscle);
  commands.apply(cmd::SetTechniqueTransport{8.0, false, 1.0f, true}, state);
  TechniqueFrames frames;
  frames.update(state);
  EXPECT_EQ(frames.deformation(), nullptr);
  EXPECT_NE(frames.error().find("muscle"), std::string::npos) << frames.error();

  // Choosing the shells' muscle makes it work; healthy and stiff differ.
  TechniqueParams params = state.technique.params;
  params.muscle = 3; // muscle_block
  commands.apply(cmd::SetTechniqueParams{params}, state);
  frames.update(state);
  ASSERT_NE(frames.deformation(), nullptr) << frames.error();
  EXPECT_TRUE(frames.error().empty());
  EXPECT_EQ(frames.deformation()->overlay, OverlayKind::Sliding);
  const Deformation healthy = *frames.deformation();
  params.stiff = true;
  commands.apply(cmd::SetTechniqueParams{params}, state);
  frames.update(state);
  ASSERT_NE(frames.deformation(), nullptr);
  EXPECT_FALSE(sameDeformation(healthy, *frames.deformation()));
}

TEST(TechniqueSession, ReplacingTheModelEndsTheTechnique) {
  AppState state = shellsState();
  CommandQueue commands;
  placeOnBack(state, commands, "ischaemic-compression");
  commands.apply(cmd::ReplaceModel{state.model}, state);
  EXPECT_FALSE(state.technique.active());
}

TEST(TechniqueSession, ContactFromAPickPressesAlongTheInwardNormalOnTheSkin) {
  const AppState state = shellsState();
  // A ray from behind the back straight into the shells.
  const Ray ray{glm::vec3(0.02f, 0.05f, -1.0f), glm::vec3(0.0f, 0.0f, 1.0f)};
  const auto hit = intersectBruteForce(*state.model, ray);
  ASSERT_TRUE(hit);
  const TechniqueContact contact = contactFromHit(*state.model, nullptr, *hit);
  EXPECT_GT(contact.direction.z, 0.9f);
  EXPECT_NEAR(glm::length(contact.direction), 1.0f, 1e-5f);
  EXPECT_NEAR(contact.point.z, hit->position.z, 0.005f);
  // From a point under the skin the contact goes out to the skin.
  const TechniqueContact deep = contactOnSkin(*state.model, nullptr, glm::vec3(0.0f, 0.0f, -0.09f),
                                              glm::vec3(0.0f, 0.0f, 1.0f));
  EXPECT_NEAR(deep.point.z, -0.125f, 0.004f);
}

TEST(TechniqueSession, ToolGlyphMeshesTouchTheContactFromOutside) {
  for (const ToolKind tool :
       {ToolKind::Thumb, ToolKind::Elbow, ToolKind::MassageBall, ToolKind::FoamRoller}) {
    ToolGlyph glyph;
    glyph.tool = tool;
    glyph.contact = glm::vec3(0.0f, 1.0f, -0.12f);
    const MeshData mesh = toolGlyphMesh(glyph);
    ASSERT_GT(mesh.triangleCount(), 20u) << toolId(tool);
    // Nothing of the tool reaches past the contact into the body (+Z).
    EXPECT_LE(mesh.bounds().max.z, -0.12f + 1e-4f) << toolId(tool);
    EXPECT_NEAR(mesh.bounds().max.z, -0.12f, 2e-3f) << toolId(tool);
    // Normals face away from the body of the tool (lit from outside).
    const glm::vec3 centre = mesh.bounds().centre();
    float outward = 0.0f;
    for (std::size_t i = 0; i < mesh.positions.size(); ++i) {
      outward += glm::dot(mesh.normals[i], mesh.positions[i] - centre);
    }
    EXPECT_GT(outward, 0.0f) << toolId(tool);
  }
}

// ---- command line ----------------------------------------------------------------------------

CommandLine parse(std::initializer_list<const char*> args) {
  return parseCommandLine(std::vector<std::string>(args.begin(), args.end()));
}

TEST(TechniqueSession, CaptionAndLegendSayWhatIsShown) {
  AppState state = test::stateWithShells();
  TechniqueFrames frames;
  EXPECT_EQ(techniqueCaption(state, frames), "");
  state.technique = startTechnique("ischaemic-compression", state.model.get());
  state.technique.time = 8.0;
  EXPECT_EQ(techniqueCaption(state, frames),
            "Ischaemic compression of a trigger point (8.0 s, x6)");
  // A stretch names the back (how much the layers glide is added only while it stretches).
  state.technique = startTechnique("piriformis-stretch", state.model.get());
  state.technique.params.stiff = true;
  EXPECT_EQ(techniqueCaption(state, frames), "Piriformis stretch (0.0 s, x3) - stiff back");
  Deformation sliding;
  sliding.overlay = OverlayKind::Sliding;
  EXPECT_EQ(legendLabel(sliding, 0.5f), "50 %");
  Deformation pressure;
  pressure.overlay = OverlayKind::Pressure;
  pressure.legendMaxKPa = 400.0f;
  EXPECT_EQ(legendLabel(pressure, 0.5f), "200 kPa");
}

TEST(TechniqueCommandLine, ScreenshotWithATechnique) {
  const CommandLine line = parse({"--screenshot", "out.png", "--technique", "ischaemic-compression",
                                  "--at", "640,300", "--load", "45", "--time", "6.5"});
  EXPECT_EQ(line.mode, Mode::Screenshot);
  EXPECT_EQ(line.technique, "ischaemic-compression");
  ASSERT_TRUE(line.techniqueAt);
  EXPECT_EQ(*line.techniqueAt, glm::ivec2(640, 300));
  EXPECT_EQ(line.techniqueLoadN, 45.0f);
  EXPECT_EQ(line.techniqueTime, 6.5);
  EXPECT_FALSE(line.noCloseUp);
  EXPECT_TRUE(parse({"--screenshot", "out.png", "--technique", "ischaemic-compression", "--at",
                     "640,300", "--no-close-up"})
                  .noCloseUp);
}

TEST(TechniqueCommandLine, FramesAndListing) {
  const CommandLine frames = parse({"--frames", "out", "--technique", "trunk-flexion-stretch",
                                    "--fps", "4", "--duration", "2", "--stiff"});
  EXPECT_EQ(frames.mode, Mode::Frames);
  EXPECT_EQ(frames.framesDir, "out");
  EXPECT_EQ(frames.framesPerSecond, 4);
  EXPECT_EQ(frames.framesDuration, 2.0);
  EXPECT_TRUE(frames.techniqueStiff);
  EXPECT_EQ(parse({"--list-techniques"}).mode, Mode::ListTechniques);
  const CommandLine trigger =
      parse({"--screenshot", "o.png", "--technique", "ischaemic-compression", "--at-trigger-point",
             "Piriformis 1 (left)"});
  EXPECT_EQ(trigger.techniqueAtTriggerPoint, "Piriformis 1 (left)");
}

TEST(TechniqueCommandLine, BadValuesAreUsageErrorsWithOneClearMessage) {
  const auto message = [](std::initializer_list<const char*> args) -> std::string {
    try {
      parse(args);
    } catch (const UsageError& error) {
      return error.what();
    }
    return "(accepted)";
  };
  EXPECT_NE(message({"--screenshot", "o.png", "--technique", "massage", "--at", "1,1"})
                .find("unknown technique"),
            std::string::npos);
  EXPECT_NE(message({"--screenshot", "o.png", "--technique", "ischaemic-compression", "--at", "1,1",
                     "--load", "0"})
                .find("--load"),
            std::string::npos);
  EXPECT_NE(message({"--screenshot", "o.png", "--technique", "ischaemic-compression", "--at", "1,1",
                     "--load", "5000"})
                .find("at most 1000"),
            std::string::npos);
  EXPECT_NE(message({"--screenshot", "o.png", "--technique", "ischaemic-compression", "--at", "1,1",
                     "--time", "-1"})
                .find("--time"),
            std::string::npos);
  EXPECT_NE(
      message({"--screenshot", "o.png", "--technique", "ischaemic-compression"}).find("--at X,Y"),
      std::string::npos);
  EXPECT_NE(
      message({"--screenshot", "o.png", "--technique", "ischaemic-compression", "--at", "5000,1"})
          .find("outside"),
      std::string::npos);
  EXPECT_NE(message({"--screenshot", "o.png", "--at", "1,1"}).find("--technique"),
            std::string::npos);
  EXPECT_NE(message({"--frames", "dir"}).find("--technique"), std::string::npos);
  EXPECT_NE(message({"--screenshot", "o.png", "--no-close-up"}).find("--technique"),
            std::string::npos);
  EXPECT_NE(message({"--pick", "1,1", "--technique", "piriformis-stretch"}).find("--screenshot"),
            std::string::npos);
  EXPECT_NE(message({"--screenshot", "o.png", "--technique", "piriformis-stretch", "--load", "5"})
                .find("stretch"),
            std::string::npos);
  EXPECT_NE(message({"--screenshot", "o.png", "--technique", "ischaemic-compression", "--at", "1,1",
                     "--at-trigger-point", "x"})
                .find("not both"),
            std::string::npos);
  EXPECT_NE(message({"--screenshot", "o.png", "--fps", "5"}).find("--frames"), std::string::npos);
}

TEST(TechniqueCommandLine, ListingNamesEveryPreset) {
  const std::string list = formatTechniqueList();
  for (const TechniquePreset& preset : techniquePresets()) {
    EXPECT_NE(list.find(std::string(preset.name) + "\n"), std::string::npos);
  }
}

} // namespace
} // namespace fascia::app

namespace fascia::app {
namespace {

TEST(TechniqueSession, RollerLiesAcrossTheBodyOnTheBackAndFrontToBackOnAFlank) {
  EXPECT_EQ(acrossAxis(glm::vec3(0.0f, 0.0f, 1.0f)), glm::vec3(1.0f, 0.0f, 0.0f));
  const glm::vec3 flank = acrossAxis(glm::vec3(-1.0f, 0.0f, 0.0f));
  EXPECT_NEAR(std::abs(flank.z), 1.0f, 1e-6f);
  EXPECT_EQ(acrossAxis(glm::vec3(0.0f, -1.0f, 0.0f)), glm::vec3(1.0f, 0.0f, 0.0f));
  AppState state = shellsState();
  CommandQueue commands;
  commands.apply(cmd::ChooseTechnique{"foam-rolling-lumbar"}, state);
  commands.apply(
      cmd::PlaceTechnique{
          TechniqueContact{glm::vec3(-0.175f, 0.0f, 0.0f), glm::vec3(1.0f, 0.0f, 0.0f)}, "skin"},
      state);
  EXPECT_NEAR(std::abs(state.technique.params.axis.z), 1.0f, 1e-6f);
  commands.apply(cmd::SetTechniqueTransport{5.0, false, 1.0f, true}, state);
  TechniqueFrames frames;
  frames.update(state);
  EXPECT_TRUE(frames.error().empty()) << frames.error();
  EXPECT_NE(frames.deformation(), nullptr);
}

} // namespace
} // namespace fascia::app
