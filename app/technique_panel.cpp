#include "technique_panel.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include <GLFW/glfw3.h>
#include <imgui.h>

#include "fascia/load_ramp.h"
#include "technique_setup.h"
#include "ui_helpers.h"

namespace fascia::app {
namespace {



ImU32 rampColour(float value) {
  // The ramp is linear RGB; the screen is not: encode as the mesh shader does.
  const glm::vec3 c = loadRampColour(value);
  return ImGui::GetColorU32(ImVec4(std::pow(c.x, 1.0f / 2.2f), std::pow(c.y, 1.0f / 2.2f),
                                   std::pow(c.z, 1.0f / 2.2f), 1.0f));
}

/// Contact pressure (kPa) of the whole load under a tool: force over the loaded area.
/// The largest load the slider offers for a tool: a hand, a forearm, part of the body weight.
float maxLoadN(ToolKind tool) {
  switch (tool) {
  case ToolKind::Thumb:
    return 100.0f;
  case ToolKind::Elbow:
    return 200.0f;
  case ToolKind::MassageBall:
    return 300.0f;
  case ToolKind::FoamRoller:
    return 600.0f;
  }
  return 100.0f;
}

cmd::SetTechniqueTransport transportOf(const TechniqueSession& session) {
  return cmd::SetTechniqueTransport{session.time, session.playing, session.speed, session.loop};
}

void drawPresetList(const AppState& state, CommandQueue& commands) {
  const TechniquePreset* current = presetOf(state.technique);
  ImGui::SetNextItemWidth(-1.0f);
  if (ImGui::BeginCombo("##technique",
                        current ? std::string(current->title).c_str() : "Choose a technique...")) {
    if (ImGui::Selectable("None", current == nullptr)) commands.push(cmd::ChooseTechnique{""});
    for (const TechniquePreset& preset : techniquePresets()) {
      const std::string title(preset.title);
      if (ImGui::Selectable(title.c_str(), current == &preset)) {
        commands.push(cmd::ChooseTechnique{std::string(preset.name)});
      }
    }
    ImGui::EndCombo();
  }
}

void drawPlacement(const AppState& state, const TechniquePreset& preset, CommandQueue& commands) {
  const TechniqueSession& session = state.technique;
  const std::string tool(toolName(preset.tool));
  if (session.placed) {
    ImGui::Text("The %s presses on: %s", tool.c_str(), session.placedOn.c_str());
  } else {
    ImGui::TextColored(ImVec4(1.0f, 0.75f, 0.3f, 1.0f), "Place the %s first.", tool.c_str());
  }
  const bool placing = state.tool == Tool::PlaceTechnique;
  if (placing) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetColorU32(ImGuiCol_ButtonActive));
  if (ImGui::Button(placing ? "Click on the body..." : "Place: click on the body")) {
    commands.push(cmd::SetTool{placing ? Tool::Navigate : Tool::PlaceTechnique});
  }
  if (placing) ImGui::PopStyleColor();
  ImGui::SameLine();
  const auto contact =
      state.points.selected ? contactForPoint(state, *state.points.selected) : std::nullopt;
  if (!contact) ImGui::BeginDisabled();
  if (ImGui::Button("On trigger point") && contact) {
    std::string label = "trigger point";
    if (const TriggerPoint* point = state.points.selectedAnnotation()) label = point->label;
    if (const LibraryTriggerPoint* point = state.points.selectedLibraryPoint())
      label = point->label;
    commands.push(cmd::PlaceTechnique{*contact, label});
    commands.push(cmd::SetTool{Tool::Navigate});
    commands.push(cmd::FocusPoint{contact->point}); // close enough to see the dent
  }
  if (!contact) ImGui::EndDisabled();

  TechniqueParams params = session.params;
  float load = params.loadN.value_or(preset.defaultLoadN);
  ImGui::SetNextItemWidth(200.0f * ui::scale());
  if (ImGui::SliderFloat("Load", &load, 1.0f, maxLoadN(preset.tool), "%.0f N",
                         ImGuiSliderFlags_AlwaysClamp)) {
    params.loadN = load;
    commands.push(cmd::SetTechniqueParams{params}, true);
  }
  // The same load as the pressure under the tool, for those who think in kPa.
  const float kPaPerNewton = 0.001f / contactArea(preset.tool);
  float pressure = load * kPaPerNewton;
  ImGui::SetNextItemWidth(200.0f * ui::scale());
  if (ImGui::SliderFloat("Pressure", &pressure, kPaPerNewton, maxLoadN(preset.tool) * kPaPerNewton,
                         "%.0f kPa", ImGuiSliderFlags_AlwaysClamp)) {
    params.loadN = pressure / kPaPerNewton;
    commands.push(cmd::SetTechniqueParams{params}, true);
  }
  ImGui::TextDisabled("Default %.0f N%s", preset.defaultLoadN,
                      preset.tool == ToolKind::Thumb ? " (what a patient rates about 7/10)" : "");
  if (params.loadN) {
    ImGui::SameLine();
    if (ImGui::SmallButton("Reset load")) {
      params.loadN.reset();
      commands.push(cmd::SetTechniqueParams{params});
    }
  }
}

void drawStretch(const AppState& state, const TechniquePreset& preset, CommandQueue& commands) {
  const TechniqueSession& session = state.technique;
  TechniqueParams params = session.params;
  const Model* model = state.model.get();
  if (params.muscle && model != nullptr && *params.muscle < model->structures.size()) {
    ImGui::Text("Stretched muscle: %s", model->structures[*params.muscle].info.label().c_str());
    // A deep muscle (piriformis under gluteus maximus) is out of sight until peeled to and
    // uncovered; one undoable step, from the current view.
    // Its rays use the picking BVH, built in the background after loading.
    const bool ready = state.bvh != nullptr;
    if (!ready) ImGui::BeginDisabled();
    if (ImGui::Button("Show it") && ready) {
      commands.push(cmd::UncoverStructure{static_cast<std::uint32_t>(*params.muscle)});
    }
    if (!ready) ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
      ImGui::SetTooltip(ready ? "Peel to the muscle (or the fascia on it) and hide what covers it "
                                "in this view. Ctrl+Z brings it back."
                              : "Available in a moment, once the model is ready for picking.");
    }
  } else {
    ImGui::TextColored(ImVec4(1.0f, 0.75f, 0.3f, 1.0f), "Select a muscle to stretch.");
  }
  const auto selected = state.display.selected;
  const bool muscle = selected && model != nullptr && *selected < model->structures.size() &&
                      model->structures[*selected].info.layer == Layer::Muscle;
  if (!muscle) ImGui::BeginDisabled();
  if (ImGui::Button("Stretch the selected muscle") && muscle) {
    params.muscle = *selected;
    commands.push(cmd::SetTechniqueParams{params});
  }
  if (!muscle) ImGui::EndDisabled();

  float strain = params.strain.value_or(preset.defaultStrain) * 100.0f;
  ImGui::SetNextItemWidth(200.0f * ui::scale());
  if (ImGui::SliderFloat("Lengthening", &strain, 5.0f, 30.0f, "%.0f %%",
                         ImGuiSliderFlags_AlwaysClamp)) {
    params.strain = strain / 100.0f;
    commands.push(cmd::SetTechniqueParams{params}, true);
  }
  // The comparison a patient flips: the same stretch with healthy and with stuck fascia.
  int stiff = params.stiff ? 1 : 0;
  bool changed = ImGui::RadioButton("Healthy back (layers slide ~70%)", &stiff, 0);
  changed = ImGui::RadioButton("Stiff back, low back pain (~56%)", &stiff, 1) || changed;
  if (changed) {
    params.stiff = stiff == 1;
    commands.push(cmd::SetTechniqueParams{params});
  }
}

void drawTransport(const AppState& state, const TechniquePreset& preset,
                   const TechniqueFrames& frames, CommandQueue& commands) {
  const TechniqueSession& session = state.technique;
  cmd::SetTechniqueTransport transport = transportOf(session);
  if (ImGui::Button(session.playing ? "Pause" : "Play", ImVec2(70.0f * ui::scale(), 0.0f))) {
    transport.playing = !session.playing;
    // Play at the end starts again.
    if (transport.playing && session.time >= preset.durationS) transport.time = 0.0;
    commands.push(transport);
  }
  ImGui::SameLine();
  if (ImGui::Button("Restart")) {
    transport.time = 0.0;
    commands.push(transport);
  }
  ImGui::SameLine();
  if (ImGui::Checkbox("Loop", &transport.loop)) commands.push(transport);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1.0f);
  if (ImGui::SliderFloat("##speed", &transport.speed, 0.25f, 4.0f, "speed %.2fx",
                         ImGuiSliderFlags_Logarithmic)) {
    commands.push(transport);
  }
  float time = static_cast<float>(session.time);
  ImGui::SetNextItemWidth(-1.0f);
  const std::string phase = frames.state() ? std::string(frames.state()->phase) : "";
  char format[96];
  std::snprintf(format, sizeof format, "%%.1f s of %.0f s  %s", preset.durationS, phase.c_str());
  if (ImGui::SliderFloat("##time", &time, 0.0f, preset.durationS, format)) {
    transport.time = time;
    transport.playing = false; // scrubbing holds the frame
    commands.push(transport);
  }
  if (preset.timeCompression > 1) {
    ImGui::TextDisabled("Shown x%d faster than a real session.", preset.timeCompression);
  } else {
    ImGui::TextDisabled("Shown in real time.");
  }
}

} // namespace

float drawTechniquePanel(const AppState& state, const TechniqueFrames& frames,
                         CommandQueue& commands, TechniquePanelState& panel, float top,
                         float width) {
  if (!panel.open || state.model == nullptr) return top;
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  // Docked in the right column, between Info and Trigger points: the view stays clear.
  ImGui::SetNextWindowPos(ImVec2(viewport->Pos.x + viewport->Size.x - width, top),
                          ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(width, 0.0f), ImGuiCond_Always);
  if (!ImGui::Begin("Techniques (T)", &panel.open,
                    ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoMove |
                        ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
    ImGui::End();
    return top;
  }
  drawPresetList(state, commands);
  const TechniquePreset* preset = presetOf(state.technique);
  if (preset != nullptr) {
    ImGui::PushTextWrapPos(width - ImGui::GetStyle().WindowPadding.x);
    ImGui::TextWrapped("%s", std::string(preset->caption).c_str());
    ImGui::PopTextWrapPos();
    ImGui::Separator();
    if (preset->isStretch()) {
      drawStretch(state, *preset, commands);
    } else {
      drawPlacement(state, *preset, commands);
    }
    ImGui::Separator();
    drawTransport(state, *preset, frames, commands);
    if (!frames.error().empty()) {
      ImGui::PushTextWrapPos(width - ImGui::GetStyle().WindowPadding.x);
      ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "%s", frames.error().c_str());
      ImGui::PopTextWrapPos();
    }
  }
  const float bottom = ImGui::GetWindowPos().y + ImGui::GetWindowSize().y;
  ImGui::End();
  return bottom;
}

void drawTechniqueOverlay(const AppState& state, const TechniqueFrames& frames) {
  const TechniquePreset* preset = presetOf(state.technique);
  if (preset == nullptr || state.model == nullptr) return;
  const ImGuiIO& io = ImGui::GetIO();
  ImDrawList* draw = ImGui::GetBackgroundDrawList();
  const float scale = ui::scale();
  // The free part of the view, in ImGui coordinates (insets are framebuffer pixels).
  const float toUi =
      io.DisplayFramebufferScale.x > 0.0f ? 1.0f / io.DisplayFramebufferScale.x : 1.0f;
  const float left = state.insets.x * toUi;
  const float right = io.DisplaySize.x - state.insets.y * toUi;
  const float top = ImGui::GetFrameHeight() + 12.0f * scale;

  // Caption: what is happening, for a patient (the same line images carry).
  const std::string line = techniqueCaption(state, frames);
  const ImVec2 size = ImGui::CalcTextSize(line.c_str());
  const ImVec2 at((left + right - size.x) * 0.5f, top);
  draw->AddRectFilled(ImVec2(at.x - 10 * scale, at.y - 5 * scale),
                      ImVec2(at.x + size.x + 10 * scale, at.y + size.y + 5 * scale),
                      IM_COL32(20, 24, 30, 170), 6.0f * scale);
  draw->AddText(at, IM_COL32(255, 255, 255, 255), line.c_str());

  // Legend: a vertical ramp with three values.
  const Deformation* deformation = frames.deformation();
  if (deformation == nullptr || deformation->overlay == OverlayKind::None) return;
  const bool pressure = deformation->overlay == OverlayKind::Pressure;
  const float barWidth = 18.0f * scale, barHeight = 200.0f * scale;
  const ImVec2 barMin(right - 110.0f * scale, top + 60.0f * scale);
  const char* title = pressure ? "Pressure" : "Sliding";
  draw->AddRectFilled(ImVec2(barMin.x - 10 * scale, barMin.y - 30 * scale),
                      ImVec2(right - 8 * scale, barMin.y + barHeight + 14 * scale),
                      IM_COL32(20, 24, 30, 170), 6.0f * scale);
  draw->AddText(ImVec2(barMin.x - 4 * scale, barMin.y - 24 * scale), IM_COL32_WHITE, title);
  constexpr int kSteps = 16;
  for (int i = 0; i < kSteps; ++i) {
    // Top of the bar is the legend's maximum.
    const float v0 = 1.0f - static_cast<float>(i) / kSteps;
    const float v1 = 1.0f - static_cast<float>(i + 1) / kSteps;
    const float y0 = barMin.y + barHeight * static_cast<float>(i) / kSteps;
    const float y1 = barMin.y + barHeight * static_cast<float>(i + 1) / kSteps;
    draw->AddRectFilledMultiColor(ImVec2(barMin.x, y0), ImVec2(barMin.x + barWidth, y1),
                                  rampColour(v0), rampColour(v0), rampColour(v1), rampColour(v1));
  }
  for (const float v : {1.0f, 0.5f, 0.0f}) {
    const std::string label = legendLabel(*deformation, v);
    const float y = barMin.y + barHeight * (1.0f - v) - ImGui::GetFontSize() * 0.5f;
    draw->AddText(ImVec2(barMin.x + barWidth + 6 * scale, y), IM_COL32_WHITE, label.c_str());
  }
}

void handleTechniqueKeys(const std::vector<KeyPress>& presses, const AppState& state,
                         CommandQueue& commands, TechniquePanelState& panel) {
  // The window's own key queue, not ImGui's once-a-frame sampling, which loses a quick press
  // at the frame rates of a software renderer.
  if (ImGui::GetIO().WantCaptureKeyboard) return;
  for (const KeyPress& press : presses) {
    if (press.repeat || (press.mods & (GLFW_MOD_CONTROL | GLFW_MOD_SUPER | GLFW_MOD_ALT)) != 0) {
      continue;
    }
    if (press.key == GLFW_KEY_T) panel.open = !panel.open;
    const TechniquePreset* preset = presetOf(state.technique);
    if (preset != nullptr && press.key == GLFW_KEY_SPACE) {
      cmd::SetTechniqueTransport transport = transportOf(state.technique);
      transport.playing = !transport.playing;
      if (transport.playing && state.technique.time >= preset->durationS) transport.time = 0.0;
      commands.push(transport);
    }
  }
}

} // namespace fascia::app
