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
