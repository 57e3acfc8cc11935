// The sidecar manifest: parsing, defaults, validation messages, file handling and applyTo.

#include <string>

#include <gtest/gtest.h>

#include "fascia/error.h"
#include "fascia/manifest.h"
#include "test_models.h"

namespace fascia {
namespace {

const std::filesystem::path kFile = "body.manifest.json";

/// The reason of the InputError that parsing `json` throws, or a failure when none is thrown.
std::string parseError(const std::string& json) {
  try {
    parseManifest(json, kFile);
  } catch (const InputError& error) {
    EXPECT_EQ(error.file(), kFile);
    EXPECT_NE(std::string(error.what()).find("body.manifest.json"), std::string::npos)
        << error.what();
    return error.what();
  }
  ADD_FAILURE() << "no InputError for: " << json;
  return {};
}

/// A manifest with one structure "trapezius" whose entry is `entry`.
std::string withEntry(const std::string& entry) {
  return R"({"format": "fascia-manifest", "version": 1, "structures": {"trapezius": )" + entry +
         "}}";
}

TEST(Manifest, ParsesEveryField) {
  const Manifest manifest = parseManifest(R"json({
    "format": "fascia-manifest",
    "version": 1,
    "structures": {
      "trapezius_upper_left": {
        "layer": "muscle",
        "displayName": "Upper trapezius (left)",
        "latinName": "Pars descendens musculi trapezii",
        "fmaId": "FMA:32555",
        "description": "Lifts the shoulder.",
        "group": "Superficial back muscles",
        "side": "left",
        "colour": [0.8, 0.2, 0.1]
      }
    }
  })json",
                                          kFile);
  EXPECT_EQ(manifest.version, 1);
  ASSERT_EQ(manifest.structures.size(), 1u);
  const ManifestEntry& entry = manifest.structures.at("trapezius_upper_left");
  EXPECT_EQ(entry.layer, Layer::Muscle);
  EXPECT_EQ(entry.displayName, "Upper trapezius (left)");
  EXPECT_EQ(entry.latinName, "Pars descendens musculi trapezii");
  EXPECT_EQ(entry.fmaId, "FMA:32555");
  EXPECT_EQ(entry.description, "Lifts the shoulder.");
  EXPECT_EQ(entry.group, "Superficial back muscles");
  EXPECT_EQ(entry.side, "left");
  ASSERT_TRUE(entry.colour);
  EXPECT_FLOAT_EQ(entry.colour->r, 0.8f);
  EXPECT_FLOAT_EQ(entry.colour->g, 0.2f);
  EXPECT_FLOAT_EQ(entry.colour->b, 0.1f);
}

TEST(Manifest, UnsetFieldsStayUnset) {
  const Manifest manifest = parseManifest(withEntry("{}"), kFile);
  const ManifestEntry& entry = manifest.structures.at("trapezius");
  EXPECT_FALSE(entry.layer);
  EXPECT_FALSE(entry.displayName);
  EXPECT_FALSE(entry.latinName);
  EXPECT_FALSE(entry.fmaId);
  EXPECT_FALSE(entry.description);
  EXPECT_FALSE(entry.group);
  EXPECT_FALSE(entry.side);
  EXPECT_FALSE(entry.colour);
}

TEST(Manifest, FormatMayBeOmitted) {
  const Manifest manifest =
      parseManifest(R"({"version": 1, "structures": {"a": {"layer": "bone"}}})", kFile);
  EXPECT_EQ(manifest.structures.at("a").layer, Layer::Bone);
}

TEST(Manifest, EmptyStructuresIsFine) {
  EXPECT_TRUE(parseManifest(R"({"version": 1, "structures": {}})", kFile).structures.empty());
}

TEST(Manifest, UnknownKeysAreIgnored) {
  const Manifest manifest = parseManifest(R"({
    "version": 1, "generator": "somebody's tool", "futureTopLevel": [1, 2],
    "structures": {"a": {"layer": "skin", "trigger_points": [{"x": 1}], "opacity": 0.5}}
  })",
                                          kFile);
  EXPECT_EQ(manifest.structures.at("a").layer, Layer::Skin);
}

TEST(Manifest, LayerIdsAreCaseAndSeparatorTolerant) {
  const Manifest manifest = parseManifest(R"({"version": 1, "structures": {
    "a": {"layer": "Superficial Fascia"}, "b": {"layer": "deep_fascia"}, "c": {"layer": "OTHER"}
  }})",
                                          kFile);
  EXPECT_EQ(manifest.structures.at("a").layer, Layer::SuperficialFascia);
  EXPECT_EQ(manifest.structures.at("b").layer, Layer::DeepFascia);
  EXPECT_EQ(manifest.structures.at("c").layer, Layer::Other);
}

TEST(Manifest, AcceptsAmericanColorSpelling) {
  const Manifest manifest = parseManifest(withEntry(R"({"color": [0, 1, 0.5]})"), kFile);
  ASSERT_TRUE(manifest.structures.at("trapezius").colour);
  EXPECT_FLOAT_EQ(manifest.structures.at("trapezius").colour->b, 0.5f);
}

TEST(Manifest, ColourBoundsAreInclusive) {
  const Manifest manifest = parseManifest(withEntry(R"({"colour": [0, 1, 1.0]})"), kFile);
  EXPECT_EQ(*manifest.structures.at("trapezius").colour, glm::vec3(0.0f, 1.0f, 1.0f));
}

TEST(Manifest, SideIsNormalisedToLowerCase) {
  const Manifest manifest = parseManifest(withEntry(R"({"side": "Midline"})"), kFile);
  EXPECT_EQ(manifest.structures.at("trapezius").side, "midline");
}

TEST(Manifest, MalformedJsonIsRefused) {
  const std::string message = parseError(R"({"version": 1, "structures": {)");
  EXPECT_NE(message.find("not valid JSON"), std::string::npos) << message;
  parseError("");
  parseError("\x01\x02\xff garbage");
}

TEST(Manifest, TopLevelMustBeAnObject) {
  EXPECT_NE(parseError("[1, 2, 3]").find("object"), std::string::npos);
  parseError("42");
}

TEST(Manifest, WrongFormatIsRefused) {
  EXPECT_NE(parseError(R"({"format": "gltf", "version": 1, "structures": {}})").find("format"),
            std::string::npos);
  parseError(R"({"format": 1, "version": 1, "structures": {}})");
}

TEST(Manifest, NewerVersionIsRefused) {
  const std::string message = parseError(R"({"version": 2, "structures": {}})");
  EXPECT_NE(message.find("newer Fascia Atlas"), std::string::npos) << message;
  parseError(R"({"version": 18446744073709551615, "structures": {}})");
}

TEST(Manifest, BadVersionIsRefused) {
  EXPECT_NE(parseError(R"({"structures": {}})").find("version"), std::string::npos);
  EXPECT_NE(parseError(R"({"version": "1", "structures": {}})").find("version"), std::string::npos);
  EXPECT_NE(parseError(R"({"version": 1.5, "structures": {}})").find("version"), std::string::npos);
  EXPECT_NE(parseError(R"({"version": 0, "structures": {}})").find("version"), std::string::npos);
  EXPECT_NE(parseError(R"({"version": -3, "structures": {}})").find("version"), std::string::npos);
}

TEST(Manifest, StructuresMustBeAnObjectOfObjects) {
  EXPECT_NE(parseError(R"({"version": 1})").find("structures"), std::string::npos);
  EXPECT_NE(parseError(R"({"version": 1, "structures": []})").find("structures"),
            std::string::npos);
  EXPECT_NE(
      parseError(R"({"version": 1, "structures": {"trapezius": "muscle"}})").find("trapezius"),
      std::string::npos);
}

/// Each bad field value: the message names the file (checked in parseError), the structure and
/// the field.
TEST(Manifest, BadFieldValuesNameStructureAndField) {
  const struct {
    const char* entry;
    const char* field;
  } cases[] = {
      {R"({"layer": "fat"})", "layer"},
      {R"({"layer": 3})", "layer"},
      {R"({"layer": null})", "layer"},
      {R"({"displayName": 5})", "displayName"},
      {R"({"latinName": ["a"]})", "latinName"},
      {R"({"fmaId": 32555})", "fmaId"},
      {R"({"description": {}})", "description"},
      {R"({"group": true})", "group"},
      {R"({"side": "up"})", "side"},
      {R"({"side": 1})", "side"},
      {R"({"colour": [1, 0]})", "colour"},
      {R"({"colour": [1, 0, 0, 1]})", "colour"},
      {R"({"colour": [1, 0, 2]})", "colour"},
      {R"({"colour": [1, -0.1, 0]})", "colour"},
      {R"({"colour": [1, "0", 0]})", "colour"},
      {R"({"colour": "#ff0000"})", "colour"},
      {R"({"colour": [255, 0, 0]})", "colour"},
      {R"({"color": [1, 0, 7]})", "color"},
  };
  for (const auto& c : cases) {
    const std::string message = parseError(withEntry(c.entry));
    EXPECT_NE(message.find("trapezius"), std::string::npos) << c.entry << " -> " << message;
    EXPECT_NE(message.find(std::string("\"") + c.field + "\""), std::string::npos)
        << c.entry << " -> " << message;
  }
}

TEST(Manifest, UnknownLayerMessageListsTheLayers) {
  const std::string message = parseError(withEntry(R"({"layer": "fat"})"));
  EXPECT_NE(message.find("superficial-fascia"), std::string::npos) << message;
}

TEST(Manifest, ApplyToCopiesOnlySetFields) {
  StructureInfo info;
  info.name = "trapezius";
  info.displayName = "Trapezius";
  info.description = "from the model";
  info.layer = Layer::Muscle;
  ManifestEntry entry;
  entry.layer = Layer::DeepFascia;
  entry.fmaId = "FMA:1";
  entry.colour = glm::vec3(0.1f, 0.2f, 0.3f);
  entry.side = "right";
  entry.applyTo(info);
  EXPECT_EQ(info.name, "trapezius");
  EXPECT_EQ(info.layer, Layer::DeepFascia);
  EXPECT_EQ(info.displayName, "Trapezius");
  EXPECT_EQ(info.description, "from the model");
  EXPECT_EQ(info.fmaId, "FMA:1");
  EXPECT_EQ(info.side, "right");
  EXPECT_EQ(info.colour, glm::vec3(0.1f, 0.2f, 0.3f));

  ManifestEntry all;
  all.displayName = "A";
  all.latinName = "B";
  all.description = "C";
  all.group = "D";
  all.applyTo(info);
  EXPECT_EQ(info.displayName, "A");
  EXPECT_EQ(info.latinName, "B");
  EXPECT_EQ(info.description, "C");
  EXPECT_EQ(info.group, "D");
  EXPECT_EQ(info.label(), "A");
}

TEST(Manifest, PathForFileAndFolder) {
  const test::TempDir dir;
  EXPECT_EQ(manifestPathFor(dir.path()), dir.path() / "manifest.json");
  EXPECT_EQ(manifestPathFor(dir / "body.glb"), dir.path() / "body.manifest.json");
  EXPECT_EQ(manifestPathFor("models/back.v2.obj"),
            std::filesystem::path("models/back.v2.manifest.json"));
}

TEST(Manifest, LoadReadsAFile) {
  const test::TempDir dir;
  test::writeBytes(dir / "m.json", R"({"version": 1, "structures": {"x": {"layer": "bone"}}})");
  EXPECT_EQ(loadManifest(dir / "m.json").structures.at("x").layer, Layer::Bone);
}

TEST(Manifest, WriterOutputParses) {
  const test::TempDir dir;
  Model model = test::makeNestedShells(0);
  model.structures[0].info.colour = glm::vec3(0.25f, 0.5f, 0.75f);
  model.structures[0].info.fmaId = "FMA:7163";
  test::writeManifest(model, dir / "shells.manifest.json");
  const Manifest manifest = loadManifest(dir / "shells.manifest.json");
  ASSERT_EQ(manifest.structures.size(), model.structures.size());
  for (const Structure& structure : model.structures) {
    const ManifestEntry& entry = manifest.structures.at(structure.info.name);
    EXPECT_EQ(entry.layer, structure.info.layer) << structure.info.name;
    EXPECT_EQ(entry.displayName, structure.info.displayName);
  }
  EXPECT_EQ(manifest.structures.at("skin").colour, glm::vec3(0.25f, 0.5f, 0.75f));
  EXPECT_EQ(manifest.structures.at("skin").fmaId, "FMA:7163");
}

TEST(Manifest, LoadMissingFileSaysSo) {
  const test::TempDir dir;
  try {
    loadManifest(dir / "nothing.manifest.json");
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("nothing.manifest.json"), std::string::npos);
    EXPECT_NE(error.reason().find("no such file"), std::string::npos) << error.what();
  }
}

TEST(Manifest, LoadFolderIsRefused) {
  const test::TempDir dir;
  EXPECT_THROW(loadManifest(dir.path()), InputError);
}

TEST(Manifest, LoadBadContentNamesTheFile) {
  const test::TempDir dir;
  test::writeBytes(dir / "bad.manifest.json",
                   R"({"version": 1, "structures": {"x": {"layer": 1}}})");
  try {
    loadManifest(dir / "bad.manifest.json");
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("bad.manifest.json"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("\"layer\""), std::string::npos) << error.what();
  }
}

} // namespace
} // namespace fascia
