#include "panels.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cmath>
#include <ctime>
#include <utility>
#include <vector>

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include "fascia/model_loader.h"
#include "model_loading.h"
#include "section_panel.h"
#include "section_view.h"
#include "structure_tree.h"
#include "trigger_panels.h"
#include "ui_helpers.h"

namespace fascia::app {
namespace {

// ---------------------------------------------------------------------------------------------
// Layout and helpers
// ---------------------------------------------------------------------------------------------

// Panel widths at the base font size (16 px); they grow with the font on HiDPI screens.
constexpr float kLeftPanelWidth = 340.0f;
constexpr float kRightPanelWidth = 360.0f;

constexpr ImGuiWindowFlags kDockedFlags =
    ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings;

float menuBarHeight() { return ImGui::GetFrameHeight(); }

// Ends the current docked window and returns its bottom edge (the next panel starts there).
float endDockedWindow() {
  const float bottom = ImGui::GetWindowPos().y + ImGui::GetWindowSize().y;
  ImGui::End();
  return bottom;
}
float statusBarHeight() { return ImGui::GetFrameHeight() + ImGui::GetStyle().WindowPadding.y; }



bool matchesFilter(const StructureInfo& info, const std::string& filter) {
  if (filter.empty()) return true;
  const std::string needle = ui::lower(filter);
  return ui::lower(info.label()).find(needle) != std::string::npos ||
         ui::lower(info.name).find(needle) != std::string::npos ||
         ui::lower(info.latinName).find(needle) != std::string::npos;
}

std::string timestampedScreenshotName() {
  const std::time_t now = std::time(nullptr);
  std::array<char, 64> buffer{};
  std::tm local{};
  localtime_r(&now, &local);
  std::strftime(buffer.data(), buffer.size(), "fascia-%Y%m%d-%H%M%S.png", &local);
  return buffer.data();
}

void openScreenshotDialog(UiState& ui) {
  ui.screenshotDialogVisible = true;
  ui.screenshotPathInput = (std::filesystem::current_path() / timestampedScreenshotName()).string();
}

void openModelDialog(UiState& ui, const AppState& state) {
  ui.openDialogVisible = true;
  if (ui.browseDir.empty()) {
    ui.browseDir = state.model && !state.model->source.empty()
                       ? std::filesystem::absolute(state.model->source).parent_path()
                       : std::filesystem::current_path();
  }
}

std::string peelCaption(float depth) {
  static constexpr std::array<const char*, kLayerCount + 1> kCaptions = {
      "Skin shown", "Skin peeled", "Superficial fascia peeled", "Deep fascia peeled",
      "Muscles peeled", "Bones peeled", "All peeled"};
  const int whole = static_cast<int>(std::floor(depth + 1e-4f));
  const float fraction = depth - static_cast<float>(whole);
  if (fraction < 0.02f) return kCaptions[static_cast<std::size_t>(std::clamp(whole, 0, kLayerCount))];
  const Layer fading = kAllLayers[static_cast<std::size_t>(std::clamp(whole, 0, kLayerCount - 1))];
  return "Fading " + ui::lower(layerDisplayName(fading));
}

// ---------------------------------------------------------------------------------------------
// Menu bar
// ---------------------------------------------------------------------------------------------

void drawMenuBar(const AppState& state, const FrameInfo& info, CommandQueue& commands,
                 UiState& ui, UiRequests& requests) {
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu("File")) {
    drawAnnotationFileMenu(state, info, ui, requests);
    ImGui::Separator();
    if (ImGui::MenuItem("Open model...", "Ctrl+Shift+O")) openModelDialog(ui, state);
    if (ImGui::MenuItem("Save screenshot...", "Ctrl+E", false, state.model != nullptr)) {
      openScreenshotDialog(ui);
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Quit", "Ctrl+Q")) requestQuit(state, ui, requests);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Edit")) {
    const std::string undo = info.undoLabel.empty() ? "Undo" : "Undo " + info.undoLabel;
    const std::string redo = info.redoLabel.empty() ? "Redo" : "Redo " + info.redoLabel;
    if (ImGui::MenuItem(undo.c_str(), "Ctrl+Z", false, !info.undoLabel.empty())) {
      requests.undo = true;
    }
    if (ImGui::MenuItem(redo.c_str(), "Ctrl+Shift+Z", false, !info.redoLabel.empty())) {
      requests.redo = true;
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    static constexpr std::array<std::pair<ViewPreset, const char*>, 5> kPresets = {{
        {ViewPreset::Posterior, "1"}, {ViewPreset::Anterior, "2"}, {ViewPreset::Left, "3"},
        {ViewPreset::Right, "4"}, {ViewPreset::Superior, "5"}}};
    for (const auto& [preset, key] : kPresets) {
      std::string label(viewPresetId(preset));
      label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
      if (ImGui::MenuItem(label.c_str(), key, false, state.model != nullptr)) {
        commands.push(cmd::ViewPresetCmd{preset});
      }
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Frame all", "A", false, state.model != nullptr)) {
      commands.push(cmd::FrameAll{});
    }
    if (ImGui::MenuItem("Focus on selection", "F", false, state.display.selected.has_value())) {
      commands.push(cmd::FocusSelection{});
    }
    if (ImGui::MenuItem("Section view", "C", state.display.section.enabled,
                        state.model != nullptr)) {
      commands.push(cmd::SetSection{toggledSection(state)});
    }
    ImGui::Separator();
    ImGui::MenuItem("Layers panel", nullptr, &ui.showLayers);
    ImGui::MenuItem("Structures panel", nullptr, &ui.showStructures);
    ImGui::MenuItem("Info panel", nullptr, &ui.showInfo);
    ImGui::MenuItem("Trigger points panel", nullptr, &ui.showTriggerPoints);
    ImGui::MenuItem("Status bar", nullptr, &ui.showStatusBar);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    ImGui::MenuItem("Controls and shortcuts", "F1", &ui.showHelp);
    ImGui::EndMenu();
  }
  ImGui::EndMainMenuBar();
}

// ---------------------------------------------------------------------------------------------
// Layers panel
// ---------------------------------------------------------------------------------------------

// Returns the bottom edge of the panel, where the Structures panel starts.
float drawLayersPanel(const AppState& state, CommandQueue& commands, UiState& ui) {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(viewport->Pos.x, viewport->Pos.y + menuBarHeight()));
  ImGui::SetNextWindowSize(ImVec2(kLeftPanelWidth * ui::scale(), 0.0f), ImGuiCond_Always);
  if (!ImGui::Begin("Layers", &ui.showLayers, kDockedFlags | ImGuiWindowFlags_AlwaysAutoResize)) {
    const float bottom = ImGui::GetWindowPos().y + ImGui::GetWindowSize().y;
    ImGui::End();
    return bottom;
  }
  const DisplaySettings& display = state.display;

  ImGui::TextUnformatted("Peel from the outside in");
  float peel = display.peelDepth;
  ImGui::SetNextItemWidth(-1.0f);
  const bool peelChanged =
      ImGui::SliderFloat("##peel", &peel, 0.0f, static_cast<float>(kLayerCount), "%.2f");
  if (ImGui::IsItemActivated()) commands.breakMerge(); // each drag is its own undo step
  if (peelChanged) commands.push(cmd::SetPeelDepth{peel}, true);
  ImGui::TextDisabled("%s   ([ and ] keys)", peelCaption(display.peelDepth).c_str());
  ImGui::Separator();

  if (ImGui::BeginTable("layers", 3, ImGuiTableFlags_SizingFixedFit)) {
    ImGui::TableSetupColumn("visible", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("name", ImGuiTableColumnFlags_WidthFixed, 150.0f);
    ImGui::TableSetupColumn("opacity", ImGuiTableColumnFlags_WidthStretch);
    for (const Layer layer : kAllLayers) {
      const auto& settings = display.layers[static_cast<std::size_t>(layerIndex(layer))];
      ImGui::PushID(layerIndex(layer));
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      bool visible = settings.visible;
      if (ImGui::Checkbox("##visible", &visible)) {
        commands.push(cmd::SetLayerVisible{layer, visible});
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Show or hide this layer");
      ImGui::TableNextColumn();
      ImGui::ColorButton("##colour", ui::toImColour(defaultLayerColour(layer)),
                         ImGuiColorEditFlags_NoTooltip, ImVec2(12.0f, 12.0f));
      ImGui::SameLine();
      const float effective = display.layerOpacity(layer);
      if (effective < kPickableOpacity) {
        ImGui::TextDisabled("%s", std::string(layerDisplayName(layer)).c_str());
      } else {
        ImGui::TextUnformatted(std::string(layerDisplayName(layer)).c_str());
      }
      ImGui::TableNextColumn();
      float opacity = settings.opacity;
      ImGui::SetNextItemWidth(-1.0f);
      const bool opacityChanged = ImGui::SliderFloat("##opacity", &opacity, 0.0f, 1.0f, "%.2f");
      if (ImGui::IsItemActivated()) commands.breakMerge();
      if (opacityChanged) commands.push(cmd::SetLayerOpacity{layer, opacity}, true);
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  if (ImGui::Button("Reset layers")) commands.push(cmd::ResetLayers{});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Every layer visible and opaque, nothing peeled");
  ImGui::Separator();
  drawSectionControls(state, commands);
  const float bottom = ImGui::GetWindowPos().y + ImGui::GetWindowSize().y;
  ImGui::End();
  return bottom;
}

// ---------------------------------------------------------------------------------------------
// Structures panel
// ---------------------------------------------------------------------------------------------

void structureContextMenu(const AppState& state, CommandQueue& commands, std::uint32_t index) {
  if (!ImGui::BeginPopupContextItem()) return;
  const bool hidden = state.display.isHidden(index);
  if (ImGui::MenuItem(hidden ? "Show" : "Hide", "H")) {
    commands.push(cmd::SetStructureHidden{index, !hidden});
  }
  if (ImGui::MenuItem("Isolate", "I")) commands.push(cmd::IsolateStructure{index});
  if (ImGui::MenuItem("Focus", "F")) {
    commands.push(cmd::Select{index});
    commands.push(cmd::FocusSelection{});
  }
  ImGui::Separator();
  if (ImGui::MenuItem("Show all", "Shift+H")) commands.push(cmd::ShowAll{});
  ImGui::EndPopup();
}

void drawStructuresPanel(const AppState& state, CommandQueue& commands, UiState& ui,
                         float top) {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  const float bottom = viewport->Pos.y + viewport->Size.y - (ui.showStatusBar ? statusBarHeight() : 0.0f);
  ImGui::SetNextWindowPos(ImVec2(viewport->Pos.x, top));
  ImGui::SetNextWindowSize(ImVec2(kLeftPanelWidth * ui::scale(), std::max(bottom - top, 120.0f)));
  if (!ImGui::Begin("Structures", &ui.showStructures, kDockedFlags | ImGuiWindowFlags_NoResize)) {
    ImGui::End();
    return;
  }
  if (state.model == nullptr) {
    ImGui::TextDisabled("No model loaded.");
    ImGui::End();
    return;
  }
  ImGui::SetNextItemWidth(-1.0f);
  ImGui::InputTextWithHint("##filter", "Search structures (name or Latin)", &ui.structureFilter);

  const auto& selected = state.display.selected;
  const bool hasSelection = selected.has_value();
  if (!hasSelection) ImGui::BeginDisabled();
  if (ImGui::Button("Hide") && hasSelection) {
    commands.push(cmd::SetStructureHidden{*selected, true});
  }
  ImGui::SameLine();
  if (ImGui::Button("Isolate") && hasSelection) commands.push(cmd::IsolateStructure{*selected});
  if (!hasSelection) ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Show all")) commands.push(cmd::ShowAll{});
  ImGui::Separator();

  ImGui::BeginChild("tree");
  const auto& structures = state.model->structures;
  for (const Layer layer : kAllLayers) {
    std::vector<std::uint32_t> members;
    for (std::uint32_t i = 0; i < structures.size(); ++i) {
      if (structures[i].info.layer == layer && matchesFilter(structures[i].info, ui.structureFilter)) {
        members.push_back(i);
      }
    }
    if (members.empty()) continue;
    members = groupedForPanel(*state.model, std::move(members));
    const std::string header =
        std::string(layerDisplayName(layer)) + " (" + std::to_string(members.size()) + ")";
    ImGuiTreeNodeFlags flags = ImGuiTreeNodeFlags_SpanAvailWidth;
    if (!ui.structureFilter.empty()) flags |= ImGuiTreeNodeFlags_DefaultOpen;
    if (!ui.structureFilter.empty()) ImGui::SetNextItemOpen(true, ImGuiCond_Always);
    if (!ImGui::TreeNodeEx(std::string(layerId(layer)).c_str(), flags, "%s", header.c_str())) {
      continue;
    }
    // Second level: the structure's group ("Superficial muscles", "Vertebrae"...), if any.
    std::string openGroup;
    bool groupOpen = true;
    for (const std::uint32_t index : members) {
      const StructureInfo& info = structures[index].info;
      if (info.group != openGroup) {
        if (!openGroup.empty() && groupOpen) ImGui::TreePop();
        openGroup = info.group;
        groupOpen = openGroup.empty() ||
                    ImGui::TreeNodeEx(openGroup.c_str(), ImGuiTreeNodeFlags_SpanAvailWidth |
                                          (ui.structureFilter.empty() ? 0 : ImGuiTreeNodeFlags_DefaultOpen));
      }
      if (!groupOpen) continue;
      ImGui::PushID(static_cast<int>(index));
      bool visible = !state.display.isHidden(index);
      if (ImGui::Checkbox("##shown", &visible)) {
        commands.push(cmd::SetStructureHidden{index, !visible});
      }
      ImGui::SameLine();
      const bool peeled = !state.display.isPickable(*state.model, index);
      if (peeled) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
      if (ImGui::Selectable(info.label().c_str(), selected == index)) {
        commands.push(cmd::Select{index});
      }
      if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
        commands.push(cmd::FocusSelection{});
      }
      if (peeled) ImGui::PopStyleColor();
      structureContextMenu(state, commands, index);
      ImGui::PopID();
    }
    if (!openGroup.empty() && groupOpen) ImGui::TreePop();
    ImGui::TreePop();
  }
  ImGui::EndChild();
  ImGui::End();
}

// ---------------------------------------------------------------------------------------------
// Info panel
// ---------------------------------------------------------------------------------------------

void labelledText(const char* label, const std::string& value) {
  if (value.empty()) return;
  ImGui::TextDisabled("%s", label);
  ImGui::SameLine(110.0f);
  ImGui::TextWrapped("%s", value.c_str());
}

// Returns the bottom edge of the panel, where the Trigger points panel starts.
float drawInfoPanel(const AppState& state, CommandQueue& commands, UiState& ui) {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  const float width = kRightPanelWidth * ui::scale();
  ImGui::SetNextWindowPos(ImVec2(viewport->Pos.x + viewport->Size.x - width,
                                 viewport->Pos.y + menuBarHeight()));
  ImGui::SetNextWindowSize(ImVec2(width, 0.0f));
  if (!ImGui::Begin("Info", &ui.showInfo, kDockedFlags | ImGuiWindowFlags_AlwaysAutoResize)) {
    return endDockedWindow();
  }
  const auto& selected = state.display.selected;
  if (state.model == nullptr || !selected || *selected >= state.model->structures.size()) {
    ImGui::TextWrapped("Click a structure to see its name, layer and description. "
                       "Hovering highlights what is under the pointer.");
    return endDockedWindow();
  }
  const Structure& structure = state.model->structures[*selected];
  const StructureInfo& info = structure.info;
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(info.label().c_str());
  ImGui::PopTextWrapPos();
  if (!info.latinName.empty()) ImGui::TextDisabled("%s", info.latinName.c_str());
  ImGui::Separator();
  labelledText("Layer", std::string(layerDisplayName(info.layer)));
  labelledText("Group", info.group);
  labelledText("Side", info.side);
  labelledText("FMA", info.fmaId);
  labelledText("Triangles", std::to_string(structure.mesh.triangleCount()));
  if (!info.description.empty()) {
    ImGui::Separator();
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(info.description.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::Separator();
  if (ImGui::Button("Focus")) commands.push(cmd::FocusSelection{});
  ImGui::SameLine();
  if (ImGui::Button("Hide")) commands.push(cmd::SetStructureHidden{*selected, true});
  ImGui::SameLine();
  if (ImGui::Button("Isolate")) commands.push(cmd::IsolateStructure{*selected});
  ImGui::SameLine();
  if (ImGui::Button("Deselect")) commands.push(cmd::Select{std::nullopt});
  return endDockedWindow();
}

// ---------------------------------------------------------------------------------------------
// Status bar, loading overlay, dialogs, help
// ---------------------------------------------------------------------------------------------

void drawStatusBar(const AppState& state, const FrameInfo& info, const UiState& ui) {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  const float height = statusBarHeight();
  ImGui::SetNextWindowPos(ImVec2(viewport->Pos.x, viewport->Pos.y + viewport->Size.y - height));
  ImGui::SetNextWindowSize(ImVec2(viewport->Size.x, height));
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(8.0f, 3.0f));
  if (ImGui::Begin("##status", nullptr, flags)) {
    ImGui::Text("%.1f ms (%.0f fps)", static_cast<double>(info.frameMilliseconds),
                info.frameMilliseconds > 0.0f ? 1000.0 / static_cast<double>(info.frameMilliseconds) : 0.0);
    ImGui::SameLine(0.0f, 24.0f);
    const std::size_t total = state.model ? state.model->triangleCount() : 0;
    ImGui::Text("%zu / %zu triangles", info.trianglesDrawn, total);
    ImGui::SameLine(0.0f, 24.0f);
    if (state.model && state.bvh == nullptr) {
      ImGui::TextDisabled("preparing picking...");
      ImGui::SameLine(0.0f, 24.0f);
    }
    if (state.display.hovered && state.model && *state.display.hovered < state.model->structures.size()) {
      ImGui::Text("%s", state.model->structures[*state.display.hovered].info.label().c_str());
      ImGui::SameLine(0.0f, 24.0f);
    }
    if (!ui.statusMessage.empty()) {
      ImGui::TextDisabled("%s", ui.statusMessage.c_str());
      ImGui::SameLine(0.0f, 24.0f);
    }
    ImGui::TextDisabled("%s  |  %s", info.modelName.c_str(), info.driver.c_str());
  }
  ImGui::End();
  ImGui::PopStyleVar();
}

void drawLoadingOverlay(const FrameInfo& info) {
  if (info.loading == nullptr) return;
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(viewport->Pos.x + viewport->Size.x * 0.5f,
                                 viewport->Pos.y + viewport->Size.y * 0.5f),
                          ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(420.0f, 0.0f));
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_AlwaysAutoResize;
  if (ImGui::Begin("##loading", nullptr, flags)) {
    ImGui::Text("Loading %s", info.loadingName.c_str());
    const float fraction = info.loading->fraction();
    const std::string stage = info.loading->stage();
    ImGui::ProgressBar(fraction, ImVec2(-1.0f, 0.0f), stage.empty() ? nullptr : stage.c_str());
  }
  ImGui::End();
}

// Reads the folder once per visit, not every frame: folders first, then model files.
void refreshListing(UiState& ui) {
  if (ui.listedDir == ui.browseDir && !ui.listedDir.empty()) return;
  ui.listedDir = ui.browseDir;
  ui.listedFolders.clear();
  ui.listedFiles.clear();
  std::error_code error;
  for (std::filesystem::directory_iterator it(ui.browseDir, error), end; !error && it != end;
       it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    std::error_code typeError;
    if (it->is_directory(typeError)) {
      ui.listedFolders.push_back(it->path());
    } else if (isModelFileExtension(it->path())) {
      ui.listedFiles.push_back(it->path());
    }
  }
  std::sort(ui.listedFolders.begin(), ui.listedFolders.end());
  std::sort(ui.listedFiles.begin(), ui.listedFiles.end());
}

// The button row of a path dialog: returns true when the user confirms (button or Enter in the
// path field) with something to act on; Cancel or Escape just closes. Both close the popup.
bool confirmOrCancel(const char* confirmLabel, bool enteredInField, bool canConfirm) {
  const bool confirmed = (ImGui::Button(confirmLabel) || enteredInField) && canConfirm;
  ImGui::SameLine();
  const bool cancelled = ImGui::Button("Cancel") || ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false);
  if (confirmed || cancelled) ImGui::CloseCurrentPopup();
  return confirmed;
}

void drawOpenDialog(UiState& ui, UiRequests& requests) {
  if (ui.openDialogVisible) {
    ImGui::OpenPopup("Open model");
    ui.openDialogVisible = false;
    ui.openPathInput.clear();
  }
  ImGui::SetNextWindowSize(ImVec2(620.0f, 460.0f), ImGuiCond_Appearing);
  if (!ImGui::BeginPopupModal("Open model", nullptr)) return;
  ImGui::TextWrapped("A model file (glTF/GLB, OBJ, FBX, STL, PLY, DAE...) or a folder of mesh "
                     "files, one structure per file.");
  ImGui::TextDisabled("%s", ui.browseDir.string().c_str());
  if (ImGui::Button("Up") && ui.browseDir.has_parent_path()) {
    ui.browseDir = ui.browseDir.parent_path();
  }
  ImGui::SameLine();
  if (ImGui::Button("Open this folder as a model")) {
    requests.openModel = ui.browseDir;
    ImGui::CloseCurrentPopup();
  }
  ImGui::BeginChild("entries", ImVec2(0.0f, -2.2f * ImGui::GetFrameHeightWithSpacing()), true);
  refreshListing(ui);
  std::optional<std::filesystem::path> enter;
  const auto entry = [&](const std::filesystem::path& path, bool isFolder) {
    const std::string label = (isFolder ? "[folder] " : "") + path.filename().string();
    if (ImGui::Selectable(label.c_str(), ui.openPathInput == path.string(),
                          ImGuiSelectableFlags_AllowDoubleClick)) {
      ui.openPathInput = path.string();
      if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
        if (isFolder) {
          enter = path;
        } else {
          requests.openModel = path;
          ImGui::CloseCurrentPopup();
        }
      }
    }
  };
  for (const auto& folder : ui.listedFolders) entry(folder, true);
  for (const auto& file : ui.listedFiles) entry(file, false);
  if (enter) {
    ui.browseDir = *enter;
    ui.openPathInput.clear();
  }
  ImGui::EndChild();
  ImGui::SetNextItemWidth(-1.0f);
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  const bool entered = ImGui::InputTextWithHint("##path", "path to a model file or folder",
                                                &ui.openPathInput,
                                                ImGuiInputTextFlags_EnterReturnsTrue);
  if (confirmOrCancel("Open", entered, !ui.openPathInput.empty())) {
    requests.openModel = std::filesystem::path(ui.openPathInput);
  }
  ImGui::EndPopup();
}

void drawScreenshotDialog(UiState& ui, UiRequests& requests) {
  if (ui.screenshotDialogVisible) {
    ImGui::OpenPopup("Save screenshot");
    ui.screenshotDialogVisible = false;
  }
  ImGui::SetNextWindowSize(ImVec2(560.0f, 0.0f), ImGuiCond_Appearing);
  if (!ImGui::BeginPopupModal("Save screenshot", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    return;
  }
  ImGui::TextUnformatted("Saves the 3D view without the panels, as PNG.");
  ImGui::SetNextItemWidth(540.0f);
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  const bool entered = ImGui::InputText("##file", &ui.screenshotPathInput,
                                        ImGuiInputTextFlags_EnterReturnsTrue);
  if (confirmOrCancel("Save", entered, !ui.screenshotPathInput.empty())) {
    requests.saveScreenshot = std::filesystem::path(ui.screenshotPathInput);
  }
  ImGui::EndPopup();
}

void drawErrorDialog(UiState& ui) {
  if (!ui.errorMessage) return;
  // After any other modal has closed (see drawAnnotationDialogs: one modal at a time).
  if (!ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) ImGui::OpenPopup("Something went wrong");
  ImGui::SetNextWindowSize(ImVec2(520.0f, 0.0f), ImGuiCond_Appearing);
  if (ImGui::BeginPopupModal("Something went wrong", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::PushTextWrapPos(500.0f);
    ImGui::TextUnformatted(ui.errorMessage->c_str());
    ImGui::PopTextWrapPos();
    ImGui::Spacing();
    // Only a fresh press dismisses it, not the Enter still held from the Open dialog.
    const bool keyDismiss = !ImGui::IsWindowAppearing() &&
                            (ImGui::IsKeyPressed(GLFW_KEY_ENTER, false) ||
                             ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false));
    if (ImGui::Button("OK") || keyDismiss) {
      ui.errorMessage.reset();
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }
}

void drawHelpWindow(UiState& ui) {
  if (!ui.showHelp) return;
  ImGui::SetNextWindowSize(ImVec2(460.0f, 0.0f), ImGuiCond_Appearing);
  if (ImGui::Begin("Controls and shortcuts", &ui.showHelp, ImGuiWindowFlags_AlwaysAutoResize)) {
    static constexpr std::array<std::pair<const char*, const char*>, 27> kRows = {{
        {"Left drag", "orbit"},
        {"Right or middle drag, Shift+left drag", "pan"},
        {"Scroll", "zoom"},
        {"Click", "select the structure under the pointer"},
        {"Double-click", "select and focus"},
        {"1 2 3 4 5", "posterior, anterior, left, right, superior view"},
        {"A", "frame all"},
        {"F", "focus on the selected structure or trigger point"},
        {"[  ]", "peel one layer less / more"},
        {"C", "section view on / off (cut the body open)"},
        {"Alt+drag", "move the section plane"},
        {"H / I", "hide / isolate the selection"},
        {"Shift+H", "show all"},
        {"Esc", "leave Mark / Paint, then clear the selection"},
        {"M", "mark trigger points: click on the body"},
        {"Drag a marker", "move the trigger point along the surface"},
        {"B", "paint the selected point's referred-pain zone"},
        {"Del", "delete the selected trigger point"},
        {"T / Space", "techniques panel / play or pause the technique"},
        {"Ctrl+Z / Ctrl+Shift+Z", "undo / redo (layers, section, trigger points)"},
        {"Ctrl+N", "new annotations"},
        {"Ctrl+O", "open annotations"},
        {"Ctrl+S / Ctrl+Shift+S", "save annotations / save as"},
        {"Ctrl+Shift+O", "open a model"},
        {"Ctrl+E", "save a screenshot"},
        {"F1", "this help"},
        {"Ctrl+Q", "quit"},
    }};
    if (ImGui::BeginTable("keys", 2)) {
      for (const auto& [keys, action] : kRows) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(keys);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(action);
      }
      ImGui::EndTable();
    }
    ImGui::Separator();
    ImGui::PushTextWrapPos(440.0f);
    ImGui::TextDisabled("Fascia Atlas is for teaching and explaining. It does not diagnose.");
    ImGui::PopTextWrapPos();
  }
  ImGui::End();
}

} // namespace

glm::vec2 panelInsets(const UiState& ui) {
  const float toPixels = ImGui::GetIO().DisplayFramebufferScale.x * ui::scale();
  return {(ui.showLayers || ui.showStructures) ? kLeftPanelWidth * toPixels : 0.0f,
          (ui.showInfo || ui.showTriggerPoints) ? kRightPanelWidth * toPixels : 0.0f};
}

void drawPanels(const AppState& state, const FrameInfo& info, CommandQueue& commands,
                UiState& ui, UiRequests& requests) {
  drawMenuBar(state, info, commands, ui, requests);
  float structuresTop = ImGui::GetMainViewport()->Pos.y + menuBarHeight();
  if (ui.showLayers) {
    structuresTop = drawLayersPanel(state, commands, ui);
  }
  if (ui.showStructures) drawStructuresPanel(state, commands, ui, structuresTop);
  float triggerPointsTop = ImGui::GetMainViewport()->Pos.y + menuBarHeight();
  if (ui.showInfo) triggerPointsTop = drawInfoPanel(state, commands, ui);
  if (info.techniquePanel) {
    triggerPointsTop = info.techniquePanel(triggerPointsTop, kRightPanelWidth * ui::scale());
  }
  if (ui.showTriggerPoints) drawTriggerPointsPanel(state, info, commands, ui, triggerPointsTop);
  if (ui.showStatusBar) drawStatusBar(state, info, ui);
  drawLoadingOverlay(info);
  drawHelpWindow(ui);
  drawOpenDialog(ui, requests);
  drawScreenshotDialog(ui, requests);
  drawAnnotationDialogs(state, ui, requests);
  drawErrorDialog(ui);
}

void handleShortcuts(const std::vector<KeyPress>& presses, const AppState& state,
                     CommandQueue& commands, UiState& ui, UiRequests& requests) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  static constexpr std::array<ViewPreset, 5> kPresets = {
      ViewPreset::Posterior, ViewPreset::Anterior, ViewPreset::Left, ViewPreset::Right,
      ViewPreset::Superior};
  for (const KeyPress& press : presses) {
    const bool ctrl = (press.mods & (GLFW_MOD_CONTROL | GLFW_MOD_SUPER)) != 0;
    const bool shift = (press.mods & GLFW_MOD_SHIFT) != 0;
    const int key = press.key;
    if (ctrl) {
      // File shortcuts would open a dialog behind a modal that is already up.
      if (press.repeat || ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) continue;
      if (key == GLFW_KEY_Z) (shift ? requests.redo : requests.undo) = true;
      if (key == GLFW_KEY_Y) requests.redo = true;
      if (key == GLFW_KEY_O) {
        if (shift) {
          openModelDialog(ui, state);
        } else {
          requestOpenAnnotationsDialog(state, ui);
        }
      }
      if (key == GLFW_KEY_N) requestNewAnnotations(state, ui, requests);
      if (key == GLFW_KEY_S) {
        if (shift) {
          requestSaveAnnotationsAs(state, ui);
        } else {
          requestSaveAnnotations(state, ui, requests);
        }
      }
      if (key == GLFW_KEY_E && state.model) openScreenshotDialog(ui);
      if (key == GLFW_KEY_Q) requestQuit(state, ui, requests);
      continue;
    }
    if (key == GLFW_KEY_F1 && !press.repeat) ui.showHelp = !ui.showHelp;
    if (io.WantCaptureKeyboard || state.model == nullptr) continue;
    // Peeling repeats while the key is held; everything else acts once per press.
    const float peel = state.display.peelDepth;
    if (key == GLFW_KEY_RIGHT_BRACKET) {
      commands.push(
          cmd::SetPeelDepth{std::min(std::floor(peel + 1e-3f) + 1.0f, float(kLayerCount))});
    }
    if (key == GLFW_KEY_LEFT_BRACKET) {
      commands.push(cmd::SetPeelDepth{std::max(std::ceil(peel - 1e-3f) - 1.0f, 0.0f)});
    }
    if (press.repeat) continue;
    for (std::size_t i = 0; i < kPresets.size(); ++i) {
      if (key == GLFW_KEY_1 + static_cast<int>(i) || key == GLFW_KEY_KP_1 + static_cast<int>(i)) {
        commands.push(cmd::ViewPresetCmd{kPresets[i]});
      }
    }
    if (key == GLFW_KEY_A) commands.push(cmd::FrameAll{});
    const TriggerPoint* point = state.points.selectedAnnotation();
    if (key == GLFW_KEY_F) {
      if (point != nullptr) {
        commands.push(cmd::FocusPoint{point->position});
      } else {
        commands.push(cmd::FocusSelection{});
      }
    }
    if (key == GLFW_KEY_M) {
      commands.push(cmd::SetTool{state.tool == Tool::Mark ? Tool::Navigate : Tool::Mark});
    }
    if (key == GLFW_KEY_B && point != nullptr) {
      commands.push(cmd::SetTool{state.tool == Tool::Paint ? Tool::Navigate : Tool::Paint});
    }
    if ((key == GLFW_KEY_DELETE || key == GLFW_KEY_BACKSPACE) && point != nullptr) {
      commands.push(cmd::DeleteTriggerPoint{point->id});
    }
    const auto& selected = state.display.selected;
    if (key == GLFW_KEY_H) {
      if (shift) {
        commands.push(cmd::ShowAll{});
      } else if (selected) {
        commands.push(cmd::SetStructureHidden{*selected, true});
      }
    }
    if (key == GLFW_KEY_I && selected) commands.push(cmd::IsolateStructure{*selected});
    if (key == GLFW_KEY_C) commands.push(cmd::SetSection{toggledSection(state)}); // "cut"
    if (key == GLFW_KEY_ESCAPE) {
      // Leave a tool first; a second Escape clears the selection.
      if (state.tool != Tool::Navigate) {
        commands.push(cmd::SetTool{Tool::Navigate});
      } else {
        commands.push(cmd::Select{std::nullopt});
        commands.push(cmd::SelectTriggerPoint{std::nullopt});
      }
    }
  }
}

} // namespace fascia::app
