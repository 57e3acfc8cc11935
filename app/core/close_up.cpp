#include "close_up.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <utility>

#include <glm/geometric.hpp>

#include "fascia/deformation.h"

namespace fascia::app {
namespace {

bool finite(const glm::vec3& v) {
  return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z);
}

// A field of view like the main camera's: the close-up is the same scene seen nearer.
constexpr float kFovY = 0.6f;
// What the close-up shows besides the tool: skin, fat, fascia and the top of the muscle under
// it (the tissue the reference thicknesses put within about 6 cm of the skin on the back).
constexpr float kTissueMargin = 0.06f;

} // namespace

CloseUp closeUpOf(const ToolGlyph& tool, const Camera& mainCamera) {
  if (!finite(tool.contact) || !finite(tool.direction) || glm::length(tool.direction) <= 0.0f) {
    throw std::invalid_argument("the tool's contact point or direction is unusable");
  }
  const glm::vec3 into = glm::normalize(tool.direction);
  const glm::vec3 up(0.0f, 1.0f, 0.0f);
  // The cut contains the press. A roller is cut square to its axis, so it shows as a disc
  // sitting in its trough; the others are cut along the vertical through the press (or, for a
  // press straight down, across the body), so the close-up camera stays level.
  glm::vec3 normal(0.0f);
  if (tool.tool == ToolKind::FoamRoller && finite(tool.axis)) {
    normal = tool.axis - glm::dot(tool.axis, into) * into;
  }
  if (glm::length(normal) < 1e-3f) normal = glm::cross(into, up);
  if (glm::length(normal) < 1e-3f) normal = glm::vec3(1.0f, 0.0f, 0.0f);
  normal = glm::normalize(normal);
  // Look from the side nearer the main camera's eye: the body does not flip between the main
  // frame and the close-up.
  if (glm::dot(normal, mainCamera.eye() - tool.contact) < 0.0f) normal = -normal;

  const ToolShape shape = toolShape(tool.tool);
  CloseUp closeUp;
  closeUp.viewHeight = 4.0f * shape.bodyRadius + kTissueMargin;
  closeUp.section = sectionThrough(tool.contact, normal);
  closeUp.title = "Cross-section under the " + std::string(toolName(tool.tool));

  Camera& camera = closeUp.camera;
  camera.fovY = kFovY;
  camera.yaw = std::atan2(normal.x, normal.z);
  camera.pitch = std::asin(std::clamp(normal.y, -1.0f, 1.0f));
  camera.distance = 0.5f * closeUp.viewHeight / std::tan(0.5f * kFovY);
  camera.sceneRadius = closeUp.viewHeight;
  // The skin a little above the centre, the tissue it presses into below it.
  camera.target = tool.contact + 0.2f * closeUp.viewHeight * into;
  return closeUp;
}

float frameTextPixels(int frameHeight) {
  return std::clamp(static_cast<float>(frameHeight) / 40.0f, 11.0f, 32.0f);
}

std::optional<CloseUpPlace> closeUpPlace(glm::ivec2 frameSize, std::optional<glm::vec2> contact) {
  constexpr int kMinSide = 120;
  const int smaller = std::min(frameSize.x, frameSize.y);
  const int side = smaller * 42 / 100;
  if (side < kMinSide) return std::nullopt;
  const int margin = std::max(smaller / 60, 4);
  CloseUpPlace place{{margin, frameSize.y - margin - side}, side};
  if (contact) {
    // The square, the key strip above it and the ring round the contact must not overlap.
    const float text = frameTextPixels(frameSize.y);
    const glm::vec2 low(static_cast<float>(place.corner.x) - 2.0f * text,
                        static_cast<float>(place.corner.y) - 3.0f * text);
    const glm::vec2 high(static_cast<float>(place.corner.x + side) + text,
                         static_cast<float>(frameSize.y));
    if (contact->x >= low.x && contact->x <= high.x && contact->y >= low.y && contact->y <= high.y) {
      place.corner.x = frameSize.x - margin - side;
    }
  }
  return place;
}

std::vector<CloseUpKeyEntry> closeUpKey(const Model& model) {
  // Words a patient uses; the superficial fascia layer is mostly fat.
  constexpr std::array<std::pair<Layer, const char*>, 5> kWords = {
      std::pair{Layer::Skin, "skin"}, std::pair{Layer::SuperficialFascia, "fat"},
      std::pair{Layer::DeepFascia, "fascia"}, std::pair{Layer::Muscle, "muscle"},
      std::pair{Layer::Bone, "bone"}};
  std::vector<CloseUpKeyEntry> key;
  for (const auto& [layer, word] : kWords) {
    for (const Structure& structure : model.structures) {
      if (structure.info.layer != layer) continue;
      const glm::vec3 colour = structure.info.colour.value_or(defaultLayerColour(layer));
      key.push_back({word, colour * kSectionCapShade});
      break;
    }
  }
  return key;
}

} // namespace fascia::app
