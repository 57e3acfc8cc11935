// Bad input through the real program: exit status 2 and one message naming the file and the
// reason; exit status 1 without a display. Never a crash or a hang (ctest's timeout).

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <string>

#include "process.h"
#include "test_models.h"

namespace {

using fascia::test::runFascia;
using fascia::test::TempDir;

void expectRejected(const std::vector<std::string>& args, const std::string& fileName,
                    const std::string& reason) {
  const auto result = runFascia(args);
  EXPECT_EQ(result.exitCode, 2) << result.err;
  EXPECT_NE(result.err.find("fascia: error:"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find(fileName), std::string::npos) << "names the file: " << result.err;
  EXPECT_NE(result.err.find(reason), std::string::npos) << "says why: " << result.err;
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << "one message: "
                                                                        << result.err;
  EXPECT_TRUE(result.out.empty()) << result.out;
}

// Each bad model is tried through --list-structures (no GL) and --screenshot (GL): both must
// refuse it the same way.
void expectBadModel(const std::filesystem::path& model, const std::string& reason) {
  TempDir out;
  expectRejected({"--list-structures", model.string()}, model.filename().string(), reason);
  expectRejected({"--screenshot", (out / "x.png").string(), model.string()},
                 model.filename().string(), reason);
  EXPECT_FALSE(std::filesystem::exists(out / "x.png")) << "no image from a bad model";
}

TEST(BadInput, MissingModel) {
  TempDir dir;
  expectBadModel(dir / "does-not-exist.glb", "no such file");
}

TEST(BadInput, EmptyFile) {
  TempDir dir;
  fascia::test::writeBytes(dir / "empty.obj", "");
  const auto result = runFascia({"--list-structures", (dir / "empty.obj").string()});
  EXPECT_EQ(result.exitCode, 2) << result.err;
  EXPECT_NE(result.err.find("empty.obj"), std::string::npos) << result.err;
}

TEST(BadInput, GarbageBytes) {
  TempDir dir;
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage.push_back(static_cast<char>((i * 7919) % 251));
  fascia::test::writeBytes(dir / "garbage.glb", garbage);
  const auto result = runFascia({"--list-structures", (dir / "garbage.glb").string()});
  EXPECT_EQ(result.exitCode, 2) << result.err;
  EXPECT_NE(result.err.find("garbage.glb"), std::string::npos) << result.err;
}

TEST(BadInput, TruncatedGlb) {
  TempDir dir;
  fascia::test::writeGltf(fascia::test::makeNestedShells(2), dir / "whole.glb");
  const std::string bytes = fascia::test::readBytes(dir / "whole.glb");
  fascia::test::writeBytes(dir / "truncated.glb", bytes.substr(0, bytes.size() / 2));
  const auto result = runFascia({"--list-structures", (dir / "truncated.glb").string()});
  EXPECT_EQ(result.exitCode, 2) << result.err;
  EXPECT_NE(result.err.find("truncated.glb"), std::string::npos) << result.err;
}

TEST(BadInput, NonFiniteVertex) {
  TempDir dir;
  fascia::MeshData mesh = fascia::test::makeIcosphere(1);
  mesh.positions[5].y = std::numeric_limits<float>::quiet_NaN();
  fascia::test::writeBinaryPly(mesh, dir / "nan.ply");
  expectBadModel(dir / "nan.ply", "not a finite number");
  mesh.positions[5].y = std::numeric_limits<float>::infinity();
  fascia::test::writeBinaryPly(mesh, dir / "inf.ply");
  expectBadModel(dir / "inf.ply", "not a finite number");
}

TEST(BadInput, ModelWithoutTriangles) {
  TempDir dir;
  fascia::test::writeBytes(dir / "points.obj", "o dots\nv 0 0 0\nv 1 0 0\nv 0 1 0\n");
  const auto result = runFascia({"--list-structures", (dir / "points.obj").string()});
  EXPECT_EQ(result.exitCode, 2) << result.err;
  EXPECT_NE(result.err.find("points.obj"), std::string::npos) << result.err;
}

TEST(BadInput, BadManifest) {
  TempDir dir;
  fascia::test::writeObj(fascia::test::makeNestedShells(1), dir / "body.obj");
  fascia::test::writeBytes(dir / "body.manifest.json", "{ \"version\": 1, \"structures\": [");
  // The message names the manifest, the file that is wrong, not the model.
  expectRejected({"--list-structures", (dir / "body.obj").string()}, "body.manifest.json", "JSON");
  expectRejected({"--screenshot", (dir / "x.png").string(), (dir / "body.obj").string()},
                 "body.manifest.json", "JSON");
}

TEST(BadInput, ManifestFromANewerVersion) {
  TempDir dir;
  fascia::test::writeObj(fascia::test::makeNestedShells(1), dir / "body.obj");
  fascia::test::writeBytes(dir / "body.manifest.json",
                           R"({"format": "fascia-manifest", "version": 99, "structures": {}})");
  const auto result = runFascia({"--list-structures", (dir / "body.obj").string()});
  EXPECT_EQ(result.exitCode, 2) << result.err;
  EXPECT_NE(result.err.find("body.manifest.json"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("newer"), std::string::npos) << result.err;
}

TEST(BadInput, UnwritableScreenshotPath) {
  TempDir dir;
  fascia::test::writeObj(fascia::test::makeNestedShells(1), dir / "body.obj");
  const auto target = dir / "no-such-folder" / "out.png";
  expectRejected({"--screenshot", target.string(), (dir / "body.obj").string()}, "out.png",
                 "cannot write");
}

TEST(BadInput, PickOutsideTheFrame) {
  TempDir dir;
  fascia::test::writeObj(fascia::test::makeNestedShells(1), dir / "body.obj");
  const auto result =
      runFascia({"--pick", "500,10", "--size", "100x100", (dir / "body.obj").string()});
  EXPECT_EQ(result.exitCode, 2) << result.err;
  EXPECT_NE(result.err.find("outside"), std::string::npos) << result.err;
}

TEST(BadInput, WindowWithAMissingModelExitsTwoWithoutOpening) {
  TempDir dir;
  const auto result = runFascia({(dir / "nowhere.glb").string()});
  EXPECT_EQ(result.exitCode, 2) << result.err;
  EXPECT_NE(result.err.find("nowhere.glb"), std::string::npos) << result.err;
}

TEST(BadInput, WindowWithACorruptModelExitsTwo) {
  TempDir dir;
  fascia::test::writeBytes(dir / "corrupt.glb", "glTF this is not a real binary glTF file");
  const auto result = runFascia({(dir / "corrupt.glb").string()});
  EXPECT_EQ(result.exitCode, 2) << result.err;
  EXPECT_NE(result.err.find("corrupt.glb"), std::string::npos) << result.err;
}

TEST(BadInput, BadUsageExitsTwo) {
  const auto result = runFascia({"--view", "sideways"});
  EXPECT_EQ(result.exitCode, 2);
  EXPECT_NE(result.err.find("sideways"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("--help"), std::string::npos) << result.err;
}

TEST(BadInput, NoDisplayExitsOneAndSaysHowToUseXvfb) {
  TempDir dir;
  fascia::test::writeObj(fascia::test::makeNestedShells(1), dir / "body.obj");
  const auto result = runFascia(
      {"--screenshot", (dir / "x.png").string(), (dir / "body.obj").string()}, true);
  EXPECT_EQ(result.exitCode, 1) << result.err;
  EXPECT_NE(result.err.find("display"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("xvfb-run"), std::string::npos) << result.err;
}

} // namespace
