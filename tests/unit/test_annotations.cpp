// The annotation document: every field survives a save and a load, damaged files are refused
// with messages that say what is wrong where, and loading never drops a point.

#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <string_view>

#include <glm/geometric.hpp>
#include <gtest/gtest.h>
#include <unistd.h>

#include "annotations.h"
#include "fascia/error.h"
#include "test_models.h"

namespace fascia::app {
namespace {

const std::filesystem::path kFile = "patient.fascia.json";

TriggerPoint fullPoint() {
  TriggerPoint p;
  p.id = "3f0c9a52-7d1e-4b6a-9c43-0e5d2a1b7f88";
  p.label = "Trapèze \"supérieur\" 上部 😣";
  p.structure = "trapezius_upper_left";
  p.side = "left";
  p.type = TriggerPointType::Latent;
  p.pain = 7;
  p.notes = "Line one\nline two\twith a tab, a backslash \\ and \"quotes\"\n肩こり 🙂";
  p.created = "2024-05-01T09:30:00Z";
  p.modified = "2024-05-02T10:00:01Z";
  p.colour = glm::vec3(0.9f, 0.1f, 0.25f);
  p.anchor = SurfaceAnchor{1234, {0.2f, 0.3f, 0.5f}};
  p.position = {0.071f, 1.452f, -0.093f};
  p.referralSource = "upper-trapezius-1-left";
  p.referral.essential = {{{0.05f, 1.55f, -0.08f}, 0.04f}, {{0.07f, 1.6f, -0.02f}, 0.03f}};
  p.referral.spillover = {{{0.06f, 1.5f, 0.05f}, 0.05f}};
  return p;
}

AnnotationDocument sampleDocument() {
  AnnotationDocument document;
  document.modelName = "torso.glb";
  document.points.push_back(fullPoint());
  TriggerPoint bare; // no colour, no anchor, no referral
  bare.id = "b";
  bare.label = "Bare";
  bare.structure = "gluteus_medius_right";
  bare.position = {-0.1f, 0.95f, -0.1f};
  bare.pain = 0;
  document.points.push_back(bare);
  return document;
}

/// The message of the InputError that parsing throws, or a failure.
std::string parseError(const std::string& json) {
  try {
    parseAnnotations(json, kFile);
  } catch (const InputError& error) {
    EXPECT_EQ(error.file(), kFile);
    EXPECT_EQ(std::string(error.what()).rfind(kFile.string() + ": ", 0), 0u) << error.what();
    return error.what();
  }
  ADD_FAILURE() << "no InputError for: " << json;
  return {};
}

/// A file with one point whose fields are `fields` (added after a valid id and position).
std::string withPoint(const std::string& fields) {
  return R"({"format": "fascia-annotations", "version": 1, "points": [
    {"id": "tp-1", "position": [0, 1, 0])" +
         (fields.empty() ? "" : ", " + fields) + "}]}";
}

// ---------------------------------------------------------------------------------------------
// Round trips

TEST(Annotations, EveryFieldSurvivesARoundTrip) {
  const AnnotationDocument document = sampleDocument();
  const std::string text = toJson(document);
  EXPECT_EQ(parseAnnotations(text, kFile), document);

  test::TempDir dir;
  saveAnnotations(document, dir / "a.json");
  EXPECT_EQ(readAnnotations(dir / "a.json"), document);
  EXPECT_EQ(test::readBytes(dir / "a.json"), text);
}

TEST(Annotations, WritingIsStablePrettyUtf8InSchemaOrder) {
  const std::string text = toJson(sampleDocument());
  EXPECT_EQ(toJson(parseAnnotations(text, kFile)), text);
  EXPECT_EQ(text.rfind("{\n  \"format\": \"fascia-annotations\",\n  \"version\": 1,\n"
                       "  \"model\": \"torso.glb\",\n  \"points\": [",
                       0),
            0u)
      << text;
  EXPECT_EQ(text.back(), '\n');
  // Text is written as UTF-8, not \u escapes, so the file stays readable.
  EXPECT_NE(text.find("😣"), std::string::npos);
  EXPECT_NE(text.find("上部"), std::string::npos);
  // Point fields in the schema's order.
  std::size_t at = 0;
  for (const char* field : {"\"id\"", "\"label\"", "\"structure\"", "\"side\"", "\"type\"",
                            "\"pain\"", "\"notes\"", "\"created\"", "\"modified\"", "\"colour\"",
                            "\"anchor\"", "\"position\"", "\"referral\""}) {
    const std::size_t next = text.find(field, at);
    ASSERT_NE(next, std::string::npos) << field;
    at = next;
  }
  // Floats are written with the fewest digits that read back exactly.
  EXPECT_NE(text.find("0.071,"), std::string::npos) << text;
  EXPECT_NE(text.find("\"latent\""), std::string::npos);
}

TEST(Annotations, OptionalFieldsAreWrittenOnlyWhenPresent) {
  AnnotationDocument document;
  TriggerPoint p = fullPoint();
  p.colour.reset();
  p.anchor.reset();
  document.points.push_back(p);
  const std::string without = toJson(document);
  EXPECT_EQ(without.find("\"colour\""), std::string::npos);
  EXPECT_EQ(without.find("\"anchor\""), std::string::npos);
  EXPECT_EQ(parseAnnotations(without, kFile), document);

  document.points[0] = fullPoint();
  const std::string with = toJson(document);
  EXPECT_NE(with.find("\"colour\""), std::string::npos);
  EXPECT_NE(with.find("\"anchor\""), std::string::npos);
  EXPECT_EQ(parseAnnotations(with, kFile), document);
}

TEST(Annotations, FloatsRoundTripExactly) {
  std::mt19937 random(3);
  std::uniform_real_distribution<float> mantissa(-1.0f, 1.0f);
  std::uniform_int_distribution<int> exponent(-30, 10);
  AnnotationDocument document;
  for (int i = 0; i < 500; ++i) {
    TriggerPoint p;
    p.id = std::to_string(i);  // ("p" + ... trips a GCC 12 -O3 -Wrestrict false positive)
    p.position = {std::ldexp(mantissa(random), exponent(random)),
                  std::ldexp(mantissa(random), exponent(random)), mantissa(random)};
    p.anchor = SurfaceAnchor{static_cast<std::uint32_t>(i), {mantissa(random), 0.5f, 0.25f}};
    p.referral.essential = {{{mantissa(random), 0.0f, 0.0f}, 0.001f + std::abs(mantissa(random))}};
    document.points.push_back(p);
  }
  document.points[0].position = {std::numeric_limits<float>::denorm_min(),
                                 std::numeric_limits<float>::max(),
                                 -std::numeric_limits<float>::min()};
  EXPECT_EQ(parseAnnotations(toJson(document), kFile), document);
}

TEST(Annotations, ValuesJsonCannotHoldStillGiveALoadableFile) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  AnnotationDocument document;
  TriggerPoint p = fullPoint();
  p.position = {nan, 1.0f, std::numeric_limits<float>::infinity()};
  p.colour = glm::vec3(nan, 0.0f, 0.0f);
  p.anchor = SurfaceAnchor{3, {nan, 0.5f, 0.5f}};
  p.pain = 14;
  p.label = "bad \xff byte";
  p.referral.essential = {{{0.0f, 1.0f, 0.0f}, nan}, {{0.0f, 1.0f, 0.0f}, 0.04f}};
  p.referral.spillover = {{{0.0f, 1.0f, 0.0f}, 0.0f}};
  document.points.push_back(p);
  const AnnotationDocument back = parseAnnotations(toJson(document), kFile);
  ASSERT_EQ(back.points.size(), 1u);
  EXPECT_EQ(back.points[0].referral.essential.size(), 1u) << "the blob without a radius is left out";
  EXPECT_TRUE(back.points[0].referral.spillover.empty());
  ASSERT_EQ(back.points.size(), 1u);
  EXPECT_EQ(back.points[0].position, glm::vec3(0.0f, 1.0f, 0.0f));
  EXPECT_FALSE(back.points[0].colour);
  EXPECT_FALSE(back.points[0].anchor);
  EXPECT_EQ(back.points[0].pain, 10);
  EXPECT_EQ(back.points[0].label, "bad \xef\xbf\xbd byte"); // U+FFFD
}

TEST(Annotations, UnknownFieldsAreIgnoredAndDefaultsFilled) {
  const AnnotationDocument document = parseAnnotations(
      R"({"format": "fascia-annotations", "version": 1, "futureRootField": {"x": 1},
          "points": [{"id": "tp-1", "position": [0, 1, 0], "futureField": [1, 2],
                      "referral": {"futureBlobs": []}}]})",
      kFile);
  ASSERT_EQ(document.points.size(), 1u);
  const TriggerPoint& p = document.points[0];
  EXPECT_EQ(p.id, "tp-1");
  EXPECT_EQ(p.type, TriggerPointType::Active);
  EXPECT_EQ(p.pain, 5);
  EXPECT_TRUE(p.label.empty());
  EXPECT_TRUE(p.referral.empty());
  EXPECT_TRUE(document.modelName.empty());
}

TEST(Annotations, EmptyDocumentRoundTrips) {
  const AnnotationDocument empty;
  EXPECT_EQ(parseAnnotations(toJson(empty), kFile), empty);
}

TEST(Annotations, FindById) {
  AnnotationDocument document = sampleDocument();
  ASSERT_NE(document.find("b"), nullptr);
  EXPECT_EQ(document.find("b")->label, "Bare");
  document.find("b")->pain = 9;
  EXPECT_EQ(document.points[1].pain, 9);
  EXPECT_EQ(document.find("nope"), nullptr);
  const AnnotationDocument& constant = document;
  EXPECT_EQ(constant.find("b"), &document.points[1]);
}

// ---------------------------------------------------------------------------------------------
// Damaged files

TEST(Annotations, EveryTruncationIsRefused) {
  const std::string text = toJson(sampleDocument());
  const std::size_t lastBrace = text.rfind('}');
  for (std::size_t length = 0; length < lastBrace; ++length) {
    EXPECT_THROW(parseAnnotations(std::string_view(text).substr(0, length), kFile), InputError)
        << "prefix of " << length << " bytes";
  }
  EXPECT_NE(parseError(text.substr(0, text.size() / 2)).find("cut short"), std::string::npos);
}

TEST(Annotations, WrongFilesAreRefused) {
  EXPECT_NE(parseError("not json at all").find("not valid JSON"), std::string::npos);
  EXPECT_NE(parseError("[1, 2]").find("must be a JSON object, not an array"), std::string::npos);
  EXPECT_NE(parseError("{}").find("no \"format\""), std::string::npos);
  EXPECT_NE(parseError(R"({"format": "fascia-manifest", "version": 1, "structures": {}})")
                .find("\"fascia-manifest\", not \"fascia-annotations\""),
            std::string::npos);
  EXPECT_NE(parseError(R"({"format": "fascia-annotations", "points": []})").find("\"version\""),
            std::string::npos);
  EXPECT_NE(parseError(R"({"format": "fascia-annotations", "version": "1", "points": []})")
                .find("must be an integer"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"format": "fascia-annotations", "version": 0, "points": []})")
                .find("at least 1"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"format": "fascia-annotations", "version": 1})").find("\"points\""),
            std::string::npos);
  EXPECT_NE(parseError(R"({"format": "fascia-annotations", "version": 1, "points": {}})")
                .find("must be an array"),
            std::string::npos);
}

TEST(Annotations, NewerVersionsAreRefusedWithAdvice) {
  for (const char* version : {"2", "18446744073709551615"}) {
    const std::string message =
        parseError(std::string(R"({"format": "fascia-annotations", "version": )") + version +
                   R"(, "points": []})");
    EXPECT_NE(message.find(std::string("written by a newer version of Fascia Atlas (version ") +
                           version + "); this version reads up to 1"),
              std::string::npos)
        << message;
  }
}

TEST(Annotations, BadFieldsNameThePointAndField) {
  struct Case {
    std::string fields, expected;
  };
  const Case cases[] = {
      {R"("pain": 11)",
       R"(point 1 ("tp-1"): field "pain" must be a whole number from 0 to 10 (is 11))"},
      {R"("pain": -1)", R"(field "pain" must be a whole number from 0 to 10 (is -1))"},
      {R"("pain": 5.5)", R"(field "pain" must be a whole number from 0 to 10, not a number)"},
      {R"("pain": "5")", R"(field "pain" must be a whole number from 0 to 10, not a string)"},
      {R"("type": "chronic")", R"(field "type" is "chronic"; use "active" or "latent")"},
      {R"("label": 3)", R"(field "label" must be a string, not an integer)"},
      {R"("notes": null)", R"(field "notes" must be a string, not null)"},
      {R"("colour": [1.5, 0, 0])", R"(field "colour" must be three numbers between 0 and 1)"},
      {R"("colour": "red")", R"(field "colour" must be three numbers [x, y, z], not a string)"},
      {R"("anchor": {"triangle": -1, "barycentric": [1, 0, 0]})",
       R"(field "anchor": field "triangle" must be a whole number from 0 to 4294967295)"},
      {R"("anchor": {"triangle": 3})", R"(field "anchor": field "barycentric" is missing)"},
      {R"("anchor": [3])", R"(field "anchor" must be an object)"},
      {R"("referral": {"essential": [{"centre": [0, 0, 0], "radius": 0}]})",
       R"(field "referral.essential[1].radius" must be a positive distance in metres)"},
      {R"("referral": {"spillover": [{"centre": [0, 0], "radius": 0.1}]})",
       R"(field "referral.spillover[1].centre" must be three numbers [x, y, z], not 2 values)"},
      {R"("referral": {"essential": [3]})", R"(field "referral.essential[1]" must be an object)"},
      {R"("referral": {"source": 7})", R"(field "referral": field "source" must be a string)"},
  };
  for (const Case& c : cases) {
    const std::string message = parseError(withPoint(c.fields));
    EXPECT_NE(message.find(c.expected), std::string::npos)
        << "fields: " << c.fields << "\nmessage: " << message;
  }
}

TEST(Annotations, BadIdsAndPositionsAreRefused) {
  const std::string head = R"({"format": "fascia-annotations", "version": 1, "points": [)";
  EXPECT_NE(
      parseError(head + R"({"position": [0, 0, 0]}]})").find(R"(point 1: field "id" is missing)"),
      std::string::npos);
  EXPECT_NE(parseError(head + R"({"id": "", "position": [0, 0, 0]}]})")
                .find(R"(field "id" must not be empty)"),
            std::string::npos);
  EXPECT_NE(
      parseError(head + R"({"id": "a"}]})").find(R"(point 1 ("a"): field "position" is missing)"),
      std::string::npos);
  EXPECT_NE(parseError(head + R"({"id": "a", "position": [0, null, 0]}]})").find("value 2 is null"),
            std::string::npos);
  EXPECT_NE(parseError(head + R"({"id": "a", "position": [0, 1e300, 0]}]})").find("too large"),
            std::string::npos);
  EXPECT_NE(parseError(head + R"({"id": "a", "position": [0, 0, 0]}, 7]})")
                .find("point 2 must be an object, not an integer"),
            std::string::npos);
  EXPECT_NE(parseError(head + R"({"id": "a", "position": [0, 0, 0]},
                                 {"id": "b", "position": [0, 0, 0]},
                                 {"id": "a", "position": [0, 0, 0]}]})")
                .find(R"(points 1 and 3 have the same id "a")"),
            std::string::npos);
}

TEST(Annotations, FileProblemsAreReported) {
  test::TempDir dir;
  const auto message = [](const std::filesystem::path& file) -> std::string {
    try {
      readAnnotations(file);
    } catch (const InputError& error) {
      EXPECT_EQ(error.file(), file);
      return error.reason();
    }
    ADD_FAILURE() << "no InputError for " << file;
    return {};
  };
  EXPECT_EQ(message(dir / "missing.json"), "no such file");
  EXPECT_NE(message(dir.path()).find("is a folder"), std::string::npos);
  test::writeBytes(dir / "empty.json", "");
  EXPECT_NE(message(dir / "empty.json").find("is empty"), std::string::npos);
  test::writeBytes(dir / "garbage.json", std::string("\x89PNG\r\n\x1a\n\0\0", 10));
  EXPECT_NE(message(dir / "garbage.json").find("not valid JSON"), std::string::npos);
  if (::geteuid() != 0) { // root reads anything
    saveAnnotations(AnnotationDocument{}, dir / "locked.json");
    std::filesystem::permissions(dir / "locked.json", std::filesystem::perms::none);
    EXPECT_NE(message(dir / "locked.json").find("cannot be read"), std::string::npos);
  }
}

// ---------------------------------------------------------------------------------------------
// Ids, times, referral heat

/// Whether `text` matches `pattern`, where '#' stands for a hex digit, 'd' for a decimal digit
/// and any other character for itself. (std::regex trips GCC 12's -Wmaybe-uninitialized under
/// the sanitizer build.)
bool matches(std::string_view text, std::string_view pattern) {
  if (text.size() != pattern.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool digit = c >= '0' && c <= '9';
    const bool ok = pattern[i] == '#'   ? digit || (c >= 'a' && c <= 'f')
                    : pattern[i] == 'd' ? digit
                                        : c == pattern[i];
    if (!ok) return false;
  }
  return true;
}

TEST(Annotations, IdsAreUniqueVersion4Uuids) {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = newTriggerPointId();
    EXPECT_TRUE(matches(id, "########-####-4###-####-############")) << id;
    EXPECT_NE(std::string_view("89ab").find(id[19]), std::string_view::npos) << id; // variant
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 1000u);
}

TEST(Annotations, TimestampsAreIso8601Utc) {
  const std::string now = nowIso8601Utc();
  EXPECT_TRUE(matches(now, "dddd-dd-ddTdd:dd:ddZ")) << now;
  EXPECT_GE(now, "2024-01-01T00:00:00Z");
}

TEST(Annotations, ReferralHeat) {
  ReferralZone zone;
  EXPECT_TRUE(zone.empty());
  EXPECT_EQ(referralHeat(zone, {0, 0, 0}), 0.0f);
  zone.essential = {{{0, 0, 0}, 0.1f}};
  zone.spillover = {{{1, 0, 0}, 0.2f}, {{0.05f, 0, 0}, 1.0f}, {{5, 0, 0}, 0.0f}};
  EXPECT_FALSE(zone.empty());
  EXPECT_FLOAT_EQ(referralHeat(zone, {0, 0, 0}), 1.0f);
  // Full strength over the core (40% of the radius)...
  EXPECT_FLOAT_EQ(referralHeat(zone, {0, 0.039f, 0}), 1.0f);
  // ...then a smoothstep: half way out, t = 1/6, 1 - t^2 (3 - 2t) = 0.925926.
  EXPECT_NEAR(referralHeat(zone, {0, 0.05f, 0}), 0.925926f, 1e-5f);
  EXPECT_NEAR(referralHeat(zone, {1, 0, 0}), 0.5f, 1e-5f);
  // Beyond the essential blob only the wide spillover blob counts, at half strength.
  const glm::vec3 far(0.05f, 0.5f, 0.0f);
  EXPECT_NEAR(referralHeat(zone, far), 0.5f * 0.925926f, 1e-5f);
  EXPECT_EQ(referralHeat(zone, {3, 0, 0}), 0.0f);
  EXPECT_EQ(referralHeat(zone, {5, 0, 0}), 0.0f); // a zero radius contributes nothing
  // Smooth at the rim: just inside is almost 0.
  EXPECT_LT(referralHeat(zone, {1.1995f, 0, 0}), 1e-4f);
  EXPECT_GT(referralHeat(zone, {1.1995f, 0, 0}), 0.0f);
}

// ---------------------------------------------------------------------------------------------
// Placing on a model

Model twoSpheres() {
  Model model;
  Structure a;
  a.info.name = "trapezius_upper_left";
  a.mesh = test::makeEllipsoid(glm::vec3(0.1f), 2, {0.1f, 1.4f, 0.0f});
  Structure empty;
  empty.info.name = "empty_structure";
  model.structures.push_back(std::move(a));
  model.structures.push_back(std::move(empty));
  return model;
}

TEST(Annotations, PlacementUsesAValidAnchor) {
  const Model model = twoSpheres();
  const SurfacePoint surface = closestPointOnMesh(model.structures[0].mesh, {0.1f, 1.4f, -0.5f});
  TriggerPoint p;
  p.structure = "trapezius_upper_left";
  p.anchor = SurfaceAnchor{surface.triangle, surface.barycentric};
  p.position = surface.position + glm::vec3(0.0f, 0.015f, 0.0f); // within 2 cm
  const Placement placement = placeOnModel(p, model);
  ASSERT_EQ(placement.structure, 0u);
  ASSERT_TRUE(placement.point);
  EXPECT_EQ(placement.point->triangle, surface.triangle);
  EXPECT_LT(glm::distance(placement.point->position, surface.position), 1e-5f);
}

TEST(Annotations, PlacementFallsBackToTheClosestPoint) {
  const Model model = twoSpheres();
  TriggerPoint p;
  p.structure = "trapezius_upper_left";
  p.position = {0.1f, 1.4f, -0.3f};
  const glm::vec3 expected = closestPointOnMesh(model.structures[0].mesh, p.position).position;
  for (const std::optional<SurfaceAnchor>& anchor :
       {std::optional<SurfaceAnchor>(), std::optional(SurfaceAnchor{999999, {1, 0, 0}}),
        std::optional(SurfaceAnchor{0, {0.5f, 0.5f, 0.5f}}),
        // Valid for the mesh but far from the stored position: made on another mesh.
        std::optional(SurfaceAnchor{0, {1, 0, 0}})}) {
    p.anchor = anchor;
    const Placement placement = placeOnModel(p, model);
    ASSERT_EQ(placement.structure, 0u);
    ASSERT_TRUE(placement.point);
    EXPECT_LT(glm::distance(placement.point->position, expected), 1e-6f);
    EXPECT_NEAR(placement.point->position.z, -0.1f, 0.005f);
  }
}

TEST(Annotations, MissingStructuresLeavePointsUnplacedButKept) {
  const Model model = twoSpheres();
  test::TempDir dir;
  AnnotationDocument document = sampleDocument(); // "gluteus_medius_right" is not in the model
  saveAnnotations(document, dir / "p.json");
  const AnnotationDocument loaded = readAnnotations(dir / "p.json");
  ASSERT_EQ(loaded.points.size(), 2u);
  const Placement missing = placeOnModel(loaded.points[1], model);
  EXPECT_FALSE(missing.structure);
  EXPECT_FALSE(missing.point);
  // A structure without triangles: found, but there is nowhere to put the point.
  TriggerPoint p = loaded.points[1];
  p.structure = "empty_structure";
  const Placement empty = placeOnModel(p, model);
  EXPECT_EQ(empty.structure, 1u);
  EXPECT_FALSE(empty.point);
  // Saving again keeps the unplaced point as it was.
  saveAnnotations(loaded, dir / "p.json");
  EXPECT_EQ(readAnnotations(dir / "p.json"), document);
}

} // namespace
} // namespace fascia::app
