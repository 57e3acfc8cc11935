#include "annotations.h"

#include "fascia/heat_spot.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>
#include <random>
#include <unordered_map>

#include <glm/geometric.hpp>

#include "atomic_file.h"
#include "fascia/error.h"
#include "json_fields.h"

namespace fascia::app {
namespace {

using json::Json;
using json::OrderedJson;

constexpr std::string_view kFormat = "fascia-annotations";
constexpr std::string_view kWhat = "a Fascia Atlas annotation file";
/// Annotation files are hand-sized; anything this large is not one.
constexpr std::uintmax_t kMaxBytes = 256u * 1024u * 1024u;

bool isFinite(const glm::vec3& v) {
  return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z);
}

float kernel(float distance, float radius) {
  if (!(radius > 0.0f)) return 0.0f;
  return heatSpotFalloff(distance / radius);
}

// ---------------------------------------------------------------------------------------------
// Writing

OrderedJson blobsToJson(const std::vector<ReferralBlob>& blobs) {
  OrderedJson array = OrderedJson::array();
  for (const ReferralBlob& blob : blobs) {
    // A blob the reader would refuse (no usable radius) is left out: the file must load again.
    if (!std::isfinite(blob.radius) || !(blob.radius > 0.0f)) continue;
    OrderedJson b = OrderedJson::object();
    b["centre"] = json::vec3(blob.centre);
    b["radius"] = json::fromFloat(blob.radius);
    array.push_back(std::move(b));
  }
  return array;
}

OrderedJson pointToJson(const TriggerPoint& point) {
  OrderedJson p = OrderedJson::object();
  p["id"] = point.id;
  p["label"] = point.label;
  p["structure"] = point.structure;
  p["side"] = point.side;
  p["type"] = point.type == TriggerPointType::Latent ? "latent" : "active";
  p["pain"] = std::clamp(point.pain, 0, 10);
  p["notes"] = point.notes;
  p["created"] = point.created;
  p["modified"] = point.modified;
  if (point.colour && isFinite(*point.colour)) {
    p["colour"] = json::vec3(glm::clamp(*point.colour, 0.0f, 1.0f));
  }
  if (point.anchor && isFinite(point.anchor->barycentric)) {
    OrderedJson anchor = OrderedJson::object();
    anchor["triangle"] = point.anchor->triangle;
    anchor["barycentric"] = json::vec3(point.anchor->barycentric);
    p["anchor"] = std::move(anchor);
  }
  p["position"] = json::vec3(point.position);
  OrderedJson referral = OrderedJson::object();
  referral["source"] = point.referralSource;
  referral["essential"] = blobsToJson(point.referral.essential);
  referral["spillover"] = blobsToJson(point.referral.spillover);
  p["referral"] = std::move(referral);
  return p;
}

// ---------------------------------------------------------------------------------------------
// Reading


TriggerPoint readPoint(const Json& entry, const std::filesystem::path& file, std::size_t index) {
  std::string context = "point " + std::to_string(index + 1);
  if (!entry.is_object()) {
    throw InputError(file, context + " must be an object, not " + json::typeName(entry));
  }
  // Name the point by its id too, when it has a readable one, so the user can find it.
  if (const auto id = entry.find("id"); id != entry.end() && id->is_string()) {
    context += " (\"" + id->get<std::string>() + "\")";
  }
  const json::FieldReader reader(file, context);

  TriggerPoint point;
  point.id = reader.string(entry, "id");
  if (point.id.empty()) reader.fail("id", "must not be empty");
  point.label = reader.optionalString(entry, "label").value_or("");
  point.structure = reader.optionalString(entry, "structure").value_or("");
  point.side = reader.optionalString(entry, "side").value_or("");
  if (const auto type = reader.optionalString(entry, "type")) {
    if (*type == "active") {
      point.type = TriggerPointType::Active;
    } else if (*type == "latent") {
      point.type = TriggerPointType::Latent;
    } else {
      reader.fail("type", "is \"" + *type + "\"; use \"active\" or \"latent\"");
    }
  }
  if (reader.find(entry, "pain") != nullptr) {
    point.pain = static_cast<int>(reader.integer(entry, "pain", 0, 10));
  }
  point.notes = reader.optionalString(entry, "notes").value_or("");
  point.created = reader.optionalString(entry, "created").value_or("");
  point.modified = reader.optionalString(entry, "modified").value_or("");
  if (const Json* colour = reader.find(entry, "colour")) {
    const glm::vec3 rgb = reader.vec3(*colour, "colour");
    if (glm::any(glm::lessThan(rgb, glm::vec3(0.0f))) ||
        glm::any(glm::greaterThan(rgb, glm::vec3(1.0f)))) {
      reader.fail("colour", "must be three numbers between 0 and 1, e.g. [0.8, 0.2, 0.2]");
    }
    point.colour = rgb;
  }
  if (const Json* anchor = reader.find(entry, "anchor")) {
    if (!anchor->is_object()) {
      reader.fail("anchor", std::string("must be an object {\"triangle\", \"barycentric\"}, not ") +
                                json::typeName(*anchor));
    }
    const json::FieldReader anchorReader(file, context + ": field \"anchor\"");
    SurfaceAnchor a;
    a.triangle = static_cast<std::uint32_t>(
        anchorReader.integer(*anchor, "triangle", 0, std::numeric_limits<std::uint32_t>::max()));
    a.barycentric = anchorReader.vec3(anchorReader.require(*anchor, "barycentric"), "barycentric");
    point.anchor = a;
  }
  point.position = reader.vec3(reader.require(entry, "position"), "position");
  if (const Json* referral = reader.find(entry, "referral")) {
    if (!referral->is_object()) {
      reader.fail("referral", std::string("must be an object, not ") + json::typeName(*referral));
    }
    const json::FieldReader referralReader(file, context + ": field \"referral\"");
    point.referralSource = referralReader.optionalString(*referral, "source").value_or("");
    point.referral.essential = json::readReferralBlobs(reader, *referral, "essential");
    point.referral.spillover = json::readReferralBlobs(reader, *referral, "spillover");
  }
  return point;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Public functions

float referralHeat(const ReferralZone& zone, glm::vec3 p) {
  float heat = 0.0f;
  for (const ReferralBlob& blob : zone.essential) {
    heat = std::max(heat, kernel(glm::distance(p, blob.centre), blob.radius));
  }
  for (const ReferralBlob& blob : zone.spillover) {
    heat = std::max(heat, 0.5f * kernel(glm::distance(p, blob.centre), blob.radius));
  }
  return heat;
}

TriggerPoint* AnnotationDocument::find(std::string_view id) {
  for (TriggerPoint& point : points) {
    if (point.id == id) return &point;
  }
  return nullptr;
}

const TriggerPoint* AnnotationDocument::find(std::string_view id) const {
  for (const TriggerPoint& point : points) {
    if (point.id == id) return &point;
  }
  return nullptr;
}

std::string toJson(const AnnotationDocument& document) {
  OrderedJson root = OrderedJson::object();
  root["format"] = kFormat;
  root["version"] = kAnnotationsVersion;
  root["model"] = document.modelName;
  OrderedJson points = OrderedJson::array();
  for (const TriggerPoint& point : document.points) {
    points.push_back(pointToJson(point));
  }
  root["points"] = std::move(points);
  // Replacing stray non-UTF-8 bytes keeps a save from failing over one bad character in a
  // label: losing a whole session's work would be far worse.
  return root.dump(2, ' ', false, OrderedJson::error_handler_t::replace) + "\n";
}

AnnotationDocument parseAnnotations(std::string_view text,
                                    const std::filesystem::path& forMessages) {
  const Json root = json::parseObject(text, forMessages, "the annotation file");
  json::checkFormat(root, forMessages, kFormat, kAnnotationsVersion, kWhat);
  const json::FieldReader reader(forMessages, "the annotation file");

  AnnotationDocument document;
  document.modelName = reader.optionalString(root, "model").value_or("");
  const Json& points = reader.array(root, "points", true);
  document.points.reserve(points.size());
  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < points.size(); ++i) {
    TriggerPoint point = readPoint(points[i], forMessages, i);
    const auto [it, inserted] = seen.emplace(point.id, i);
    if (!inserted) {
      throw InputError(forMessages, "points " + std::to_string(it->second + 1) + " and " +
                                        std::to_string(i + 1) + " have the same id \"" + point.id +
                                        "\"; ids must be unique (change one)");
    }
    document.points.push_back(std::move(point));
  }
  return document;
}

AnnotationDocument readAnnotations(const std::filesystem::path& file) {
  return parseAnnotations(json::readTextFile(file, kWhat, kMaxBytes), file);
}

void saveAnnotations(const AnnotationDocument& document, const std::filesystem::path& file) {
  writeFileAtomically(file, toJson(document));
}

std::string newTriggerPointId() {
  // One random_device per call: ids are made at human speed, and no generator state is
  // shared between threads.
  std::random_device device;
  std::array<unsigned char, 16> bytes{};
  for (std::size_t i = 0; i < bytes.size(); i += 4) {
    const std::uint32_t word = device();
    for (std::size_t j = 0; j < 4; ++j) {
      bytes[i + j] = static_cast<unsigned char>(word >> (8 * j));
    }
  }
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40); // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80); // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  id.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) id += '-';
    id += kHex[bytes[i] >> 4];
    id += kHex[bytes[i] & 0x0f];
  }
  return id;
}

std::string nowIso8601Utc() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  const std::size_t length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(buffer, length);
}

Placement placeOnModel(const TriggerPoint& point, const Model& model) {
  Placement placement;
  const auto structure = model.find(point.structure);
  if (!structure) return placement;
  placement.structure = static_cast<std::uint32_t>(*structure);
  const MeshData& mesh = model.structures[*structure].mesh;

  if (point.anchor) {
    const auto anchored = pointFromAnchor(mesh, point.anchor->triangle, point.anchor->barycentric);
    // An anchor that lands far from the stored position belongs to another version of the
    // mesh (same name, rebuilt model); the position is the more lasting of the two.
    if (anchored && glm::distance(anchored->position, point.position) <= kAnchorTolerance) {
      placement.point = anchored;
      return placement;
    }
  }
  if (!isFinite(point.position)) return placement;
  try {
    placement.point = closestPointOnMesh(mesh, point.position);
  } catch (const std::invalid_argument&) {
    // A structure with no usable triangle: the point stays listed but unplaced.
  }
  return placement;
}

std::vector<ReferralBlob> json::readReferralBlobs(const json::FieldReader& reader,
                                                 const Json& referral, std::string_view field) {
  std::vector<ReferralBlob> blobs;
  const Json& array = reader.array(referral, field, false);
  for (std::size_t i = 0; i < array.size(); ++i) {
    const std::string name = "referral." + std::string(field) + "[" + std::to_string(i + 1) + "]";
    const Json& entry = array[i];
    if (!entry.is_object()) {
      reader.fail(name, std::string("must be an object {\"centre\", \"radius\"}, not ") +
                            json::typeName(entry));
    }
    ReferralBlob blob;
    blob.centre = reader.vec3(reader.require(entry, "centre"), name + ".centre");
    blob.radius = reader.number(reader.require(entry, "radius"), name + ".radius");
    if (!(blob.radius > 0.0f)) {
      reader.fail(name + ".radius", "must be a positive distance in metres");
    }
    blobs.push_back(blob);
  }
  return blobs;
}

} // namespace fascia::app
