#include "trigger_library.h"

#include <cmath>
#include <tuple>
#include <unordered_map>
#include <utility>

#include <glm/geometric.hpp>

#include "fascia/error.h"
#include "fascia/surface.h"
#include "json_fields.h"
#include "paths.h"

namespace fascia::app {
namespace {

using json::Json;

constexpr std::string_view kFormat = "fascia-trigger-point-library";
constexpr std::string_view kWhat = "a Fascia Atlas trigger-point library";
constexpr std::uintmax_t kMaxBytes = 64u * 1024u * 1024u;

std::string lower(std::string_view text) {
  std::string result(text);
  for (char& c : result) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return result;
}


glm::vec3 mirrored(glm::vec3 v) { return {-v.x, v.y, v.z}; }

LibraryTriggerPoint mirror(const LibraryTriggerPoint& left) {
  LibraryTriggerPoint right = left;
  right.position = mirrored(left.position);
  right.approach = mirrored(left.approach);
  for (auto* blobs : {&right.referral.essential, &right.referral.spillover}) {
    for (ReferralBlob& blob : *blobs)
      blob.centre = mirrored(blob.centre);
  }
  return right;
}

/// Reads one entry and appends the one or two points it gives.
void readEntry(const Json& entry, const std::filesystem::path& file, std::size_t index,
               std::vector<LibraryTriggerPoint>& out) {
  std::string context = "entry " + std::to_string(index + 1);
  if (!entry.is_object()) {
    throw InputError(file, context + " must be an object, not " + json::typeName(entry));
  }
  if (const auto id = entry.find("id"); id != entry.end() && id->is_string()) {
    context += " (\"" + id->get<std::string>() + "\")";
  }
  const json::FieldReader reader(file, context);

  LibraryTriggerPoint point;
  point.id = reader.string(entry, "id");
  point.label = reader.string(entry, "label");
  point.muscle = reader.string(entry, "muscle");
  point.structure = reader.string(entry, "structure");
  point.region = reader.string(entry, "region");
  for (auto [field, value] : {std::pair{"id", &point.id}, std::pair{"label", &point.label},
                              std::pair{"structure", &point.structure}}) {
    if (value->empty()) reader.fail(field, "must not be empty");
  }
  const std::string sides = reader.string(entry, "sides");
  point.description = reader.optionalString(entry, "description").value_or("");
  point.provokers = reader.optionalString(entry, "provokers").value_or("");
  point.position = reader.vec3(reader.require(entry, "position"), "position");
  point.approach = reader.vec3(reader.require(entry, "approach"), "approach");
  const float length = glm::length(point.approach);
  if (!(length > 1e-6f) || !std::isfinite(length)) {
    reader.fail("approach", "must be a direction, not [0, 0, 0] (e.g. [0, 0, 1] presses "
                            "forward into the back)");
  }
  point.approach /= length;
  if (const Json* referral = reader.find(entry, "referral")) {
    if (!referral->is_object()) {
      reader.fail("referral", std::string("must be an object, not ") + json::typeName(*referral));
    }
    point.referral.essential = json::readReferralBlobs(reader, *referral, "essential");
    point.referral.spillover = json::readReferralBlobs(reader, *referral, "spillover");
  }

  // The patient's left is +X (docs/anatomy.md). A left point written at negative x would be
  // placed (and mirrored) onto the wrong side without anyone noticing.
  const auto requireSide = [&](bool leftSide) {
    if (leftSide ? point.position.x < 0.0f : point.position.x > 0.0f) {
      reader.fail("position", std::string("has x = ") + std::to_string(point.position.x) +
                                  " but \"sides\" is \"" + sides +
                                  "\"; the patient's left is +x, " + "so write " +
                                  (leftSide ? "left" : "right") + " points with x " +
                                  (leftSide ? ">= 0" : "<= 0"));
    }
  };
  const auto suffixed = [](LibraryTriggerPoint p, const std::string& side) {
    p.id += "-" + side;
    p.label += " (" + side + ")";
    p.structure += "_" + side;
    p.side = side;
    return p;
  };
  if (sides == "both") {
    requireSide(true);
    out.push_back(suffixed(point, "left"));
    out.push_back(suffixed(mirror(point), "right"));
  } else if (sides == "left" || sides == "right") {
    requireSide(sides == "left");
    out.push_back(suffixed(point, sides));
  } else if (sides == "midline") {
    point.side = "midline";
    out.push_back(point);
  } else {
    reader.fail("sides", "is \"" + sides + "\"; use \"both\", \"left\", \"right\" or \"midline\"");
  }
}

} // namespace

const LibraryTriggerPoint* TriggerPointLibrary::find(std::string_view idOrLabel) const {
  const std::string key = lower(idOrLabel);
  for (const LibraryTriggerPoint& point : points) {
    if (lower(point.id) == key) return &point;
  }
  for (const LibraryTriggerPoint& point : points) {
    if (lower(point.label) == key) return &point;
  }
  return nullptr;
}

TriggerPointLibrary parseTriggerPointLibrary(std::string_view text,
                                             const std::filesystem::path& forMessages) {
  const Json root = json::parseObject(text, forMessages, "the trigger-point library");
  json::checkFormat(root, forMessages, kFormat, kTriggerLibraryVersion, kWhat);
  const json::FieldReader reader(forMessages, "the trigger-point library");
  const Json& entries = reader.array(root, "points", true);

  TriggerPointLibrary library;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    readEntry(entries[i], forMessages, i, library.points);
  }
  // find() looks up by id or label ignoring case, so both must be unique that way.
  std::unordered_map<std::string, std::string> ids, labels;
  for (const LibraryTriggerPoint& point : library.points) {
    for (auto [seen, key, what] :
         {std::tuple{&ids, point.id, "id"}, std::tuple{&labels, point.label, "label"}}) {
      const auto [it, inserted] = seen->emplace(lower(key), key);
      if (!inserted) {
        throw InputError(forMessages, std::string("two points have the ") + what + " \"" + key +
                                          "\" (ignoring case" +
                                          (it->second != key ? ", as \"" + it->second + "\"" : "") +
                                          "); each " + what +
                                          " must be unique (a \"both\" entry makes -left and "
                                          "-right points)");
      }
    }
  }
  return library;
}

TriggerPointLibrary loadTriggerPointLibrary(const std::filesystem::path& file) {
  return parseTriggerPointLibrary(json::readTextFile(file, kWhat, kMaxBytes), file);
}

std::string formatLibraryListing(const TriggerPointLibrary& library) {
  std::string text;
  for (const LibraryTriggerPoint& point : library.points) {
    text += point.label + '\t' + point.muscle + '\t' + point.side + '\t' + point.region + '\n';
  }
  return text;
}

TriggerPoint toAnnotation(const LibraryTriggerPoint& point, const Model* model) {
  TriggerPoint annotation;
  annotation.id = newTriggerPointId();
  annotation.label = point.label;
  annotation.structure = point.structure;
  annotation.side = point.side;
  annotation.created = nowIso8601Utc();
  annotation.modified = annotation.created;
  annotation.position = point.position;
  annotation.referralSource = point.id;
  annotation.referral = point.referral;
  if (model != nullptr) {
    if (const auto structure = model->find(point.structure)) {
      const auto placed = placeOnStructure(*model, static_cast<std::uint32_t>(*structure),
                                           point.position, point.approach);
      if (placed) {
        annotation.position = placed->position;
        annotation.anchor = SurfaceAnchor{placed->triangle, placed->barycentric};
      }
    }
  }
  return annotation;
}

std::filesystem::path defaultLibraryPath() { return dataDir() / "assets" / "trigger_points.json"; }

} // namespace fascia::app
