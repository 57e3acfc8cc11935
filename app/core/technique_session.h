#pragma once
/// \file technique_session.h
/// A treatment technique shown on the body (issue 7): which preset, where and how hard it is
/// applied, and the transport (time, play, speed, loop). The frame at time t is a pure function
/// of (preset, parameters, t): TechniqueFrames turns it into a Deformation and the tool's shape.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <glm/vec3.hpp>

#include "fascia/bvh.h"
#include "fascia/deformation.h"
#include "fascia/model.h"
#include "fascia/technique.h"
#include "fascia/tool_glyph.h"

namespace fascia::app {

struct AppState;

/// The technique part of the viewer state.
struct TechniqueSession {
  /// A TechniquePreset name; empty when no technique is shown.
  std::string preset;
  /// Contact point and direction, load, stretched muscle, strain, healthy or stiff.
  TechniqueParams params;
  /// Whether params.point / params.direction were set (a click on the body, a trigger point).
  bool placed = false;
  /// What the contact was placed on, for the panel ("Piriformis 1 (left)", "skin").
  std::string placedOn;
  /// Technique seconds (see TechniquePreset::durationS).
  double time = 0.0;
  bool playing = false;
  /// Playback rate: 1 plays the (already compressed) animation in real time.
  float speed = 1.0f;
  bool loop = true;

  bool active() const { return !preset.empty(); }
};

/// Where a tool touches the body.
struct TechniqueContact {
  glm::vec3 point{0.0f};
  glm::vec3 direction{0.0f, 0.0f, 1.0f}; ///< unit, into the body
};

/// The preset a session shows, or null when none (or an unknown name).
const TechniquePreset* presetOf(const TechniqueSession& session);

/// Whether the session's technique presses with a tool and has no contact point yet.
bool needsContact(const TechniqueSession& session);

/// The technique's state at the session's time, or none when no technique is chosen or a
/// pressure technique has no contact yet. The same session always gives the same state.
/// Throws std::invalid_argument (from evaluate()) for an unusable load, strain or muscle.
std::optional<TechniqueState> sessionState(const TechniqueSession& session);

/// A session for `preset` on `model` with the preset's defaults: time 0, paused, the default
/// muscle of a stretch when the model has a structure of that name (else none).
/// Throws std::invalid_argument for an unknown preset name.
TechniqueSession startTechnique(const std::string& preset, const Model* model,
                                const TechniqueSession& previous = {});

/// The session `dt` wall-clock seconds later: time advances by dt * speed and wraps (loop) or
/// stops playing at the end.
void advanceTechnique(TechniqueSession& session, double dt);

/// The contact for a point on (or under) the body pressed along `direction`: where a ray
/// along `direction` first meets the skin within 25 cm before the point (the point itself
/// when the model has no skin there). `bvh` may be null (brute force).
TechniqueContact contactOnSkin(const Model& model, const Bvh* bvh, glm::vec3 point,
                               glm::vec3 direction);

/// The contact for a pick on the body: pressing along the inward surface normal at the hit,
/// from where that line meets the skin.
TechniqueContact contactFromHit(const Model& model, const Bvh* bvh, const RayHit& hit);

/// The roller axis (and release drift) for a tool pressing along `direction`: horizontal and
/// across the direction, so on the back it runs across the body (+X) and on a flank front to
/// back; +X when pressing straight down or up.
glm::vec3 acrossAxis(glm::vec3 direction);

/// A pressure technique's tool, posed in the dent it makes (none for stretches).
std::optional<ToolGlyph> toolGlyphOf(const TechniqueState& state, const Deformation& deformation);

/// Computes and caches the deformation of the state's technique; call update() once a frame.
class TechniqueFrames {
public:
  /// Recomputes when the model or the session changed. Returns whether the deformation or the
  /// tool changed (the renderer needs them again). Bad parameters show the model at rest and
  /// set error(). Throws only std::bad_alloc.
  bool update(const AppState& state);

  /// Why the last update could not deform the model ("" when it could).
  const std::string& error() const { return error_; }

  /// The current deformation, or null when the model is at rest (no technique).
  const Deformation* deformation() const;
  /// The tool to draw, if any.
  const std::optional<ToolGlyph>& tool() const { return tool_; }
  /// The technique's state now (force, strain, phase), if one is shown.
  const std::optional<TechniqueState>& state() const { return state_; }

private:
  std::shared_ptr<const Model> model_; // held, so a new model at the old address is noticed
  std::optional<Deformer> deformer_;
  std::optional<TechniqueSession> last_;
  std::optional<TechniqueState> state_;
  std::optional<ToolGlyph> tool_;
  bool deformed_ = false;
  std::string error_;
};

/// The caption of a technique frame, for the window and for images: "Title - Phase (8.0 s,
/// x6)"; a stretch adds the back ("healthy back", "stiff back") and, while it is stretched, how
/// much the layers glide. Empty when no technique is shown.
std::string techniqueCaption(const AppState& state, const TechniqueFrames& frames);

/// A label of the overlay's legend at `value` (0..1 of the bar): "200 kPa" or "50 %".
std::string legendLabel(const Deformation& deformation, float value);

} // namespace fascia::app
