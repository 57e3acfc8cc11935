#pragma once
/// \file annotations.h
/// A patient's trigger-point annotations: the document, its JSON file format
/// (docs/annotations.md), safe saving, and placing saved points back on a model.
/// No GL, no ImGui; the app keeps the document in its state and changes it through commands.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <glm/vec3.hpp>

#include "fascia/model.h"
#include "fascia/surface.h"

namespace fascia::app {

// ---------------------------------------------------------------------------------------------
// Referral zones

/// A soft ball of referred pain: full strength at the centre, fading to nothing at `radius`.
struct ReferralBlob {
  glm::vec3 centre{0.0f}; ///< model space, metres
  float radius = 0.0f;    ///< metres; blobs with radius <= 0 contribute nothing
  bool operator==(const ReferralBlob&) const = default;
};

/// Where a trigger point refers pain: the essential zone (felt by nearly every patient with
/// that point) and the spillover zone (felt by some).
struct ReferralZone {
  std::vector<ReferralBlob> essential;
  std::vector<ReferralBlob> spillover;
  bool empty() const { return essential.empty() && spillover.empty(); }
  bool operator==(const ReferralZone&) const = default;
};

/// How strongly the zone covers a point, 0..1: the largest of 1.0 * k(d/r) over the essential
/// blobs and 0.5 * k(d/r) over the spillover blobs, where d is the distance to the blob's
/// centre, r its radius, and k is heatSpotFalloff (fascia/heat_spot.h): full strength over the
/// inner 40% of the radius, then a smooth fade to 0 at the rim (no visible edge; blobs about a
/// radius apart merge into one band).
float referralHeat(const ReferralZone& zone, glm::vec3 p);

// ---------------------------------------------------------------------------------------------
// The document

/// Active: causes the patient's current complaint. Latent: tender, refers pain only when pressed.
enum class TriggerPointType { Active, Latent };

/// Where a point sits on its structure's mesh: valid only for the mesh it was made on.
struct SurfaceAnchor {
  std::uint32_t triangle = 0;
  glm::vec3 barycentric{0.0f};
  bool operator==(const SurfaceAnchor&) const = default;
};

/// One trigger point of one patient.
struct TriggerPoint {
  std::string id;        ///< unique in the document, made by newTriggerPointId()
  std::string label;     ///< what the therapist calls it, any UTF-8 text
  std::string structure; ///< name of the model structure it lies on, e.g. "trapezius_upper_left"
  std::string side;      ///< "left", "right", "midline" or empty
  TriggerPointType type = TriggerPointType::Active;
  int pain = 5;        ///< 0-10 numeric rating scale
  std::string notes;   ///< free UTF-8 text, may hold newlines
  std::string created; ///< ISO-8601 UTC, e.g. "2024-05-01T09:30:00Z"
  std::string modified;
  std::optional<glm::vec3> colour; ///< linear RGB 0..1; the type's colour when empty
  /// Where it sits on the structure's mesh; empty for points never placed on a model.
  std::optional<SurfaceAnchor> anchor;
  /// Model-space position (metres). Kept alongside the anchor so a point can be placed again
  /// when the model changes and the anchor no longer fits.
  glm::vec3 position{0.0f};
  /// Id of the library point it was copied from, or empty.
  std::string referralSource;
  ReferralZone referral;

  bool operator==(const TriggerPoint&) const = default;
};

/// A patient's annotations: what an annotation file holds.
struct AnnotationDocument {
  std::vector<TriggerPoint> points;
  /// File name of the model the points were placed on, e.g. "torso.glb" (informative; points
  /// are placed by structure name, so another model with the same names works too).
  std::string modelName;

  /// Field-by-field equality (tests compare a document with its saved-and-loaded copy).
  bool operator==(const AnnotationDocument&) const = default;
  /// The point with this id, or null. The pointer is valid until `points` changes.
  TriggerPoint* find(std::string_view id);
  const TriggerPoint* find(std::string_view id) const;
};

/// The newest file version this build writes and reads.
inline constexpr int kAnnotationsVersion = 1;

/// The document as a pretty-printed annotation file (UTF-8, fields in the schema's order, one
/// trailing newline). Values JSON cannot hold are written so the file still loads: non-finite
/// coordinates as 0, referral blobs without a positive finite radius, a non-finite colour or
/// anchor left out, pain clamped to 0-10,
/// bytes that are not UTF-8 replaced by U+FFFD. Throws nothing but std::bad_alloc.
std::string toJson(const AnnotationDocument& document);

/// Reads an annotation file's text; `forMessages` names it in errors. Unknown fields are
/// ignored (a newer build of the same version may add some). Throws InputError naming the
/// point (1-based, with its id) and field for: text that is not JSON or is cut short, a wrong
/// "format", a "version" newer than kAnnotationsVersion, a missing or mistyped field, a pain
/// outside 0-10, an unknown type, coordinates that are not three numbers, a radius <= 0,
/// duplicate ids.
AnnotationDocument parseAnnotations(std::string_view json,
                                    const std::filesystem::path& forMessages);

/// Reads an annotation file. Throws InputError as parseAnnotations, and for a missing, empty,
/// unreadable or oversized file, or a folder.
AnnotationDocument readAnnotations(const std::filesystem::path& file);

/// Writes the document with writeFileAtomically (atomic_file.h): after a failure the previous
/// file is unchanged. Throws InputError naming the file and the reason.
void saveAnnotations(const AnnotationDocument& document, const std::filesystem::path& file);

/// A new random id (a version-4 UUID, e.g. "3f0c9a52-7d1e-4b6a-9c43-0e5d2a1b7f88").
std::string newTriggerPointId();

/// The current time as ISO-8601 UTC to the second, e.g. "2024-05-01T09:30:00Z".
std::string nowIso8601Utc();

// ---------------------------------------------------------------------------------------------
// Placing saved points on a model

/// Where a saved point goes on a model.
struct Placement {
  /// Index of the point's structure in the model; none when the model has no structure of
  /// that name (the point is "unplaced": kept in the document, listed, not drawn).
  std::optional<std::uint32_t> structure;
  /// The point on that structure; none when unplaced or the structure has no usable triangle.
  std::optional<SurfacePoint> point;
};

/// Places a saved point: finds its structure by name; uses the stored anchor when it is valid
/// for that structure's mesh and lands within 2 cm of the stored position (the same mesh),
/// otherwise the surface point closest to the stored position (the model was rebuilt). Never
/// throws for bad data; loading never drops points, so an unplaced point stays in the document.
Placement placeOnModel(const TriggerPoint& point, const Model& model);

/// Distance (metres) within which a stored anchor is trusted; see placeOnModel.
inline constexpr float kAnchorTolerance = 0.02f;

} // namespace fascia::app
