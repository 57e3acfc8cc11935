#include "section_panel.h"

#include <array>
#include <cmath>
#include <optional>
#include <utility>

#include <glm/geometric.hpp>
#include <imgui.h>

#include "section_view.h"

namespace fascia::app {

void drawSectionControls(const AppState& state, CommandQueue& commands) {
  if (state.model == nullptr) return;
  const SectionPlane& plane = state.display.section;
  const Bounds bounds = state.model->bounds();

  bool enabled = plane.enabled;
  if (ImGui::Checkbox("Section view (C)", &enabled)) {
    commands.push(cmd::SetSection{toggledSection(state)});
  }
  if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip("Cut the body open along a plane: the cut faces show each layer in its\n"
                      "colour. Alt+drag in the view moves the plane.");
  }
  if (!enabled) return;

  // The plane: one of the anatomical ones, each removing the side that faces the camera when
  // chosen, or square to the line of sight.
  const std::optional<SectionAxis> axis = sectionAxisOf(plane);
  static constexpr std::array<std::pair<SectionAxis, const char*>, 3> kAxes = {
      {{SectionAxis::Sagittal, "Sagittal"},
       {SectionAxis::Coronal, "Coronal"},
       {SectionAxis::Transverse, "Transverse"}}};
  for (const auto& [candidate, label] : kAxes) {
    if (ImGui::RadioButton(label, axis == candidate)) {
      commands.push(cmd::SetSection{sectionFacing(candidate, bounds, 0.0f, state.camera)});
    }
    ImGui::SameLine();
  }
  if (ImGui::RadioButton("Facing view", !axis.has_value())) {
    commands.push(cmd::SetSection{sectionFacingCamera(bounds, 0.0f, state.camera)});
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("A plane square to the line of sight");

  // Offset from the model's centre, in centimetres, over the model's extent along the normal.
  const glm::vec3 along = axis ? sectionAxisDirection(*axis) : plane.normal;
  const glm::vec3 half = 0.5f * bounds.size();
  const float reachCm =
      std::ceil(100.0f * (std::abs(along.x) * half.x + std::abs(along.y) * half.y +
                          std::abs(along.z) * half.z));
  float offsetCm = 100.0f * sectionOffset(plane, bounds);
  ImGui::SetNextItemWidth(-90.0f);
  const bool moved = ImGui::SliderFloat("Offset cm", &offsetCm, -reachCm, reachCm, "%.1f");
  if (ImGui::IsItemActivated()) commands.breakMerge(); // each drag is its own undo step
  if (moved) {
    const float change = 0.01f * offsetCm - sectionOffset(plane, bounds);
    // Along the axis's positive direction whichever side is removed.
    const float sign = glm::dot(plane.normal, along) >= 0.0f ? 1.0f : -1.0f;
    commands.push(cmd::SetSection{movedAlongNormal(plane, sign * change)}, true);
  }
  if (ImGui::Button("Flip side")) commands.push(cmd::SetSection{flipped(plane)});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Show the other part of the body");
  ImGui::SameLine();
  if (ImGui::Button("Centre")) {
    commands.push(cmd::SetSection{movedAlongNormal(plane, -plane.distance(bounds.centre()))});
  }
  ImGui::TextDisabled("Alt+drag in the view moves the plane");
}

} // namespace fascia::app
