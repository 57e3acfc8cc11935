#include "fascia/camera.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <string>

#include <glm/gtc/constants.hpp>
#include <glm/gtc/matrix_transform.hpp>
#include <glm/mat4x4.hpp>

#include "fascia/bvh.h"

namespace fascia {
namespace {

// Short of the poles so that lookAt's world-up stays well defined.
constexpr float kMaxPitch = 1.55f;
constexpr float kMinDistance = 0.05f;
constexpr float kMaxDistance = 50.0f;

struct PresetAngles {
  ViewPreset preset;
  std::string_view id;
  float yaw;
  float pitch;
};

// Patient faces +Z and their left hand is on +X, so the left view looks from +X.
constexpr std::array<PresetAngles, 5> kPresets = {{
    {ViewPreset::Posterior, "posterior", glm::pi<float>(), 0.0f},
    {ViewPreset::Anterior, "anterior", 0.0f, 0.0f},
    {ViewPreset::Left, "left", glm::half_pi<float>(), 0.0f},
    {ViewPreset::Right, "right", -glm::half_pi<float>(), 0.0f},
    {ViewPreset::Superior, "superior", glm::pi<float>(), 1.5f},
}};

const PresetAngles& anglesOf(ViewPreset preset) {
  for (const PresetAngles& angles : kPresets) {
    if (angles.preset == preset) return angles;
  }
  return kPresets[0];
}

float wrapAngle(float angle) {
  const float twoPi = glm::two_pi<float>();
  angle = std::fmod(angle + glm::pi<float>(), twoPi);
  if (angle < 0.0f) angle += twoPi;
  return angle - glm::pi<float>();
}

} // namespace

std::string_view viewPresetId(ViewPreset preset) { return anglesOf(preset).id; }

std::optional<ViewPreset> parseViewPreset(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const PresetAngles& angles : kPresets) {
    if (angles.id == lower) return angles.preset;
  }
  return std::nullopt;
}

glm::vec3 Camera::forward() const {
  const glm::vec3 toEye(std::sin(yaw) * std::cos(pitch), std::sin(pitch),
                        std::cos(yaw) * std::cos(pitch));
  return -toEye;
}

glm::vec3 Camera::eye() const { return target - forward() * distance; }

glm::mat4 Camera::view() const { return glm::lookAt(eye(), target, glm::vec3(0.0f, 1.0f, 0.0f)); }

glm::mat4 Camera::projection(float aspect) const {
  const glm::mat4 shift = glm::translate(glm::mat4(1.0f), glm::vec3(lensShift, 0.0f));
  return shift * glm::perspective(fovY, std::max(aspect, 1e-3f), nearPlane(), farPlane());
}

float Camera::nearPlane() const {
  // A twentieth of the gap to the scene keeps depth precision; never closer than 5 mm.
  return std::max(0.005f, (distance - sceneRadius) * 0.05f);
}

float Camera::farPlane() const { return distance + sceneRadius * 2.0f + 1.0f; }

void Camera::orbit(float deltaYaw, float deltaPitch) {
  yaw = wrapAngle(yaw + deltaYaw);
  pitch = std::clamp(pitch + deltaPitch, -kMaxPitch, kMaxPitch);
}

void Camera::pan(float dxFraction, float dyFraction) {
  const glm::vec3 f = forward();
  const glm::vec3 right = glm::normalize(glm::cross(f, glm::vec3(0.0f, 1.0f, 0.0f)));
  const glm::vec3 up = glm::cross(right, f);
  const float visibleHeight = 2.0f * distance * std::tan(fovY * 0.5f);
  target += (-right * dxFraction + up * dyFraction) * visibleHeight;
}

void Camera::zoom(float factor) {
  distance = std::clamp(distance * factor, kMinDistance, kMaxDistance);
}

void Camera::setPreset(ViewPreset preset) {
  const PresetAngles& angles = anglesOf(preset);
  yaw = angles.yaw;
  pitch = angles.pitch;
}

void Camera::frame(const Bounds& bounds, float aspect) {
  if (bounds.empty()) return;
  target = bounds.centre();
  // Fit the box as seen from the current direction, not its bounding sphere: a body is much
  // taller than it is wide, and a sphere fit would leave it small in the frame.
  const glm::vec3 f = forward();
  const glm::vec3 right = glm::normalize(glm::cross(f, glm::vec3(0.0f, 1.0f, 0.0f)));
  const glm::vec3 up = glm::cross(right, f);
  float halfWidth = 0.0f;
  float halfHeight = 0.0f;
  float halfDepth = 0.0f;
  for (int corner = 0; corner < 8; ++corner) {
    const glm::vec3 p((corner & 1) != 0 ? bounds.max.x : bounds.min.x,
                      (corner & 2) != 0 ? bounds.max.y : bounds.min.y,
                      (corner & 4) != 0 ? bounds.max.z : bounds.min.z);
    const glm::vec3 d = p - target;
    halfWidth = std::max(halfWidth, std::abs(glm::dot(d, right)));
    halfHeight = std::max(halfHeight, std::abs(glm::dot(d, up)));
    halfDepth = std::max(halfDepth, std::abs(glm::dot(d, f)));
  }
  const float tanY = std::tan(fovY * 0.5f);
  const float tanX = tanY * std::max(aspect, 1e-3f);
  constexpr float kMargin = 1.08f;
  const float fit = std::max(halfHeight / tanY, halfWidth / tanX) * kMargin + halfDepth;
  distance = std::clamp(fit, kMinDistance, kMaxDistance);
  sceneRadius = std::max(bounds.radius(), 1e-3f);
}

Ray Camera::rayThroughPixel(glm::vec2 pixel, glm::ivec2 viewport) const {
  const float width = static_cast<float>(std::max(viewport.x, 1));
  const float height = static_cast<float>(std::max(viewport.y, 1));
  const glm::vec2 ndc(2.0f * pixel.x / width - 1.0f, 1.0f - 2.0f * pixel.y / height);
  const glm::mat4 inverse = glm::inverse(projection(width / height) * view());
  const glm::vec4 nearPoint = inverse * glm::vec4(ndc, -1.0f, 1.0f);
  const glm::vec4 farPoint = inverse * glm::vec4(ndc, 1.0f, 1.0f);
  const glm::vec3 a = glm::vec3(nearPoint) / nearPoint.w;
  const glm::vec3 b = glm::vec3(farPoint) / farPoint.w;
  return Ray{a, glm::normalize(b - a)};
}

std::optional<glm::vec2> Camera::pixelOf(const glm::vec3& point, glm::ivec2 viewport) const {
  const float width = static_cast<float>(std::max(viewport.x, 1));
  const float height = static_cast<float>(std::max(viewport.y, 1));
  const glm::vec4 clip = projection(width / height) * view() * glm::vec4(point, 1.0f);
  if (clip.w <= 1e-6f) return std::nullopt;
  const glm::vec2 ndc(clip.x / clip.w, clip.y / clip.w);
  return glm::vec2((ndc.x * 0.5f + 0.5f) * width, (0.5f - ndc.y * 0.5f) * height);
}

Camera Camera::lerp(const Camera& a, const Camera& b, float t) {
  t = std::clamp(t, 0.0f, 1.0f);
  Camera result = b;
  result.target = glm::mix(a.target, b.target, t);
  // Distance interpolates geometrically so zooming feels even.
  result.distance = a.distance * std::pow(b.distance / a.distance, t);
  result.yaw = wrapAngle(a.yaw + wrapAngle(b.yaw - a.yaw) * t);
  result.pitch = glm::mix(a.pitch, b.pitch, t);
  result.fovY = glm::mix(a.fovY, b.fovY, t);
  result.sceneRadius = glm::mix(a.sceneRadius, b.sceneRadius, t);
  return result;
}

Camera presetCamera(ViewPreset preset, const Bounds& bounds, float aspect) {
  Camera camera;
  camera.setPreset(preset);
  camera.frame(bounds, aspect);
  return camera;
}

} // namespace fascia
