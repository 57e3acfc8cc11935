#pragma once
/// \file camera.h
/// An orbit camera around a target point, with the anatomical view presets.

#include <optional>
#include <string_view>

#include <glm/mat4x4.hpp>
#include <glm/vec2.hpp>
#include <glm/vec3.hpp>

#include "fascia/mesh.h"

namespace fascia {

struct Ray;

/// Standard anatomical views. The patient faces +Z and +Y is up, so "posterior" looks at the
/// back from behind (camera on -Z looking towards +Z).
enum class ViewPreset { Posterior, Anterior, Left, Right, Superior };

/// "posterior", "anterior", "left", "right", "superior".
std::string_view viewPresetId(ViewPreset preset);
/// Parses a preset id (case-insensitive); empty when unknown.
std::optional<ViewPreset> parseViewPreset(std::string_view text);

/// An orbit camera: it sits `distance` from `target` in the direction given by yaw and pitch.
/// yaw 0 / pitch 0 puts the camera on +Z (anterior view); yaw pi puts it on -Z (posterior).
struct Camera {
  glm::vec3 target{0.0f};
  float distance = 2.0f;
  float yaw = 3.14159265f;  ///< radians around +Y
  float pitch = 0.0f;       ///< radians, positive looks down from above
  float fovY = 0.6f;        ///< vertical field of view, radians
  /// Radius of what is shown around the target (set by frame()); the clip planes follow the
  /// distance so that zooming never clips the model away.
  float sceneRadius = 1.0f;
  /// Shifts the image centre by this much in normalised device coordinates (-1..1), without
  /// turning the camera: the window uses it to centre the body between its side panels.
  glm::vec2 lensShift{0.0f};

  /// The camera position in world space.
  glm::vec3 eye() const;
  /// World-space unit vector the camera looks along.
  glm::vec3 forward() const;
  glm::mat4 view() const;
  glm::mat4 projection(float aspect) const;
  /// Clip plane distances for the current distance and scene radius.
  float nearPlane() const;
  float farPlane() const;

  /// Turns the camera around the target (radians). Pitch is clamped short of the poles.
  void orbit(float deltaYaw, float deltaPitch);
  /// Moves target and eye in the view plane by a fraction of the visible height.
  void pan(float dxFraction, float dyFraction);
  /// Multiplies the distance by `factor` (< 1 moves closer), clamped to a sane range.
  void zoom(float factor);

  /// Sets yaw and pitch for a preset; keeps target and distance.
  void setPreset(ViewPreset preset);
  /// Centres on the box and sets the distance so that it fills the view at `aspect`.
  void frame(const Bounds& bounds, float aspect);

  /// The ray through a pixel (origin top-left, pixel centres at +0.5) of a viewport. It starts
  /// on the near plane, so what the near plane clips away is not picked either.
  Ray rayThroughPixel(glm::vec2 pixel, glm::ivec2 viewport) const;
  /// Where `point` appears in a viewport (pixels, origin top-left; the inverse of
  /// rayThroughPixel); none when it lies at or behind the eye.
  std::optional<glm::vec2> pixelOf(const glm::vec3& point, glm::ivec2 viewport) const;

  /// Interpolates between two cameras (t in 0..1), taking the short way round in yaw.
  static Camera lerp(const Camera& a, const Camera& b, float t);
};

/// A camera at a preset that frames the model's bounds.
Camera presetCamera(ViewPreset preset, const Bounds& bounds, float aspect);

} // namespace fascia
