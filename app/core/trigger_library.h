#pragma once
/// \file trigger_library.h
/// The built-in library of classic trigger points (assets/trigger_points.json): where each
/// lies, how to press onto it, where it refers pain. A therapist copies a library point into
/// a patient's document with toAnnotation(). Schema: docs/annotations.md.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <glm/vec3.hpp>

#include "annotations.h"
#include "fascia/model.h"

namespace fascia::app {

/// One library point for one side of the body.
struct LibraryTriggerPoint {
  std::string id;                       ///< e.g. "upper-trapezius-1-left"; unique in the library
  std::string label;                    ///< e.g. "Upper trapezius 1 (left)"; unique in the library
  std::string muscle;                   ///< e.g. "Upper trapezius"
  std::string structure;                ///< model structure name, e.g. "trapezius_upper_left"
  std::string region;                   ///< grouping for lists, e.g. "Neck and shoulders"
  std::string side;                     ///< "left", "right" or "midline"
  std::string description;              ///< where to find it, in words (may be empty)
  std::string provokers;                ///< what typically sets it off (may be empty)
  glm::vec3 position{0.0f};             ///< model space, metres
  glm::vec3 approach{0.0f, 0.0f, 1.0f}; ///< unit direction a finger presses in along
  ReferralZone referral;

  bool operator==(const LibraryTriggerPoint&) const = default;
};

/// The whole library, in file order; a "both" entry gives its left point then its right one.
struct TriggerPointLibrary {
  std::vector<LibraryTriggerPoint> points;

  /// The point whose id or label equals `idOrLabel`, ignoring ASCII case; null when none.
  const LibraryTriggerPoint* find(std::string_view idOrLabel) const;
};

/// The newest library file version this build reads.
inline constexpr int kTriggerLibraryVersion = 1;

/// Reads a library file's text; `forMessages` names it in errors. "sides": "both" gives two
/// points: the left one as written (id + "-left", label + " (left)", structure + "_left") and
/// the right one mirrored across the midline, x -> -x in position, approach and referral
/// centres (id + "-right", label + " (right)", structure + "_right"). "left" and "right" give
/// one point with that suffix as written; "midline" one point as written. The approach is
/// normalised. Throws InputError naming the entry and field for: text that is not JSON, a
/// wrong format, a newer version, a missing or mistyped field, an unknown "sides", a zero
/// approach, a radius <= 0, a left point with x < 0 or a right one with x > 0 (the patient's
/// left is +X), and ids or labels used twice (ignoring case, after expansion).
TriggerPointLibrary parseTriggerPointLibrary(std::string_view json,
                                             const std::filesystem::path& forMessages);

/// Reads a library file. Throws InputError as parseTriggerPointLibrary, and for a missing,
/// empty or unreadable file.
TriggerPointLibrary loadTriggerPointLibrary(const std::filesystem::path& file);

/// One line per point, "label\tmuscle\tside\tregion\n", in library order (for --list output
/// and scripts).
std::string formatLibraryListing(const TriggerPointLibrary& library);

/// A patient's copy of a library point: a new id, created = modified = now, referralSource =
/// the library id, type Active, pain 5, the library's label, structure, side, position and
/// referral. With a model, the point is pressed onto its structure (placeOnStructure along the
/// approach) and gets that surface position and an anchor; when the structure is missing or
/// the ray misses, it keeps the library position and no anchor.
TriggerPoint toAnnotation(const LibraryTriggerPoint& point, const Model* model = nullptr);

/// The bundled library next to the bundled model: dataDir() / "assets/trigger_points.json".
/// Throws std::runtime_error as dataDir() does.
std::filesystem::path defaultLibraryPath();

} // namespace fascia::app
