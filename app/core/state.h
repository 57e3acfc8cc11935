#pragma once
/// \file state.h
/// The one struct that holds what the user sees. Panels, input and the command line read it;
/// only commands (commands.h) change it.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include <glm/vec2.hpp>

#include "fascia/bvh.h"
#include "fascia/camera.h"
#include "fascia/display_settings.h"
#include "fascia/model.h"
#include "annotations.h"
#include "technique_session.h"
#include "trigger_library.h"

namespace fascia::app {

/// A smooth move of the camera from one pose to another.
struct CameraTransition {
  Camera from;
  Camera to;
  float elapsed = 0.0f;  ///< seconds
  float duration = 0.0f; ///< seconds; 0 means no transition is running

  bool active() const { return duration > 0.0f && elapsed < duration; }
};

/// What a click in the view does.
enum class Tool {
  Navigate, ///< select structures and trigger points, orbit
  Mark,     ///< place a trigger point on the surface under the pointer
  Paint,    ///< paint the selected trigger point's referred-pain zone on the skin
  PlaceTechnique, ///< place the technique's tool (thumb, ball, roller) where the body is clicked
};

/// A trigger point shown in the view: one of the patient's (by document id) or one of the
/// built-in library's (by library id).
struct PointRef {
  enum class Source : std::uint8_t { Annotation, Library };
  Source source = Source::Annotation;
  std::string id;
  bool operator==(const PointRef&) const = default;
};

/// The patient's trigger-point annotations and the built-in library.
struct TriggerPointState {
  AnnotationDocument document;
  /// Where the document was opened from or last saved to; empty for a new, unsaved document.
  std::filesystem::path path;
  /// The document as it is on disk (empty for a new one): unsaved changes are the difference.
  AnnotationDocument saved;
  /// Counts every change of `document`, for caches derived from it.
  std::uint64_t revision = 0;
  /// The built-in clinical library (null when its file could not be read).
  std::shared_ptr<const TriggerPointLibrary> library;
  /// Library points whose markers are shown on the body.
  std::set<std::string> libraryShown;
  std::optional<PointRef> selected;
  std::optional<PointRef> hovered;

  bool dirty() const { return !(document == saved); }
  /// The selected patient point, if the selection is one.
  const TriggerPoint* selectedAnnotation() const;
  /// The selected library point, if the selection is one.
  const LibraryTriggerPoint* selectedLibraryPoint() const;
};

/// The viewer's state.
struct AppState {
  /// The loaded model; shared read-only with the picking structure and loaders.
  std::shared_ptr<const Model> model;
  /// Picking acceleration over `model`; null until built.
  std::shared_ptr<const Bvh> bvh;
  DisplaySettings display;
  TriggerPointState points;
  /// The treatment technique shown on the body (none by default).
  TechniqueSession technique;
  Tool tool = Tool::Navigate;
  Camera camera;
  CameraTransition transition;
  /// Size of the 3D view in framebuffer pixels.
  glm::ivec2 viewport{1280, 720};
  /// Framebuffer pixels covered by panels on the left and right of the view; framing centres
  /// the body in what is left.
  glm::vec2 insets{0.0f};

  float aspect() const {
    return viewport.y > 0 ? static_cast<float>(viewport.x) / static_cast<float>(viewport.y) : 1.0f;
  }
  /// The aspect ratio of the part of the view not covered by panels.
  float freeAspect() const;
  /// The lens shift that centres the image in the part of the view not covered by panels.
  glm::vec2 freeLensShift() const;
};

/// Advances a running camera transition by dt seconds (smoothstep easing).
void advanceCamera(AppState& state, float dt);

/// Whether a structure is pickable in this state (loaded, visible, not peeled or hidden).
bool isPickable(const AppState& state, std::uint32_t structure);

/// The structure under a pixel of the view (origin top-left), or none. Uses the BVH when built,
/// else the brute-force ray cast, so results never depend on timing. What the section view
/// removes is not hit; a click on a cut face gives the structure that was cut.
std::optional<RayHit> pickPixel(const AppState& state, glm::vec2 pixel);

} // namespace fascia::app
