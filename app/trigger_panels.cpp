#include "trigger_panels.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include "trigger_view.h"
#include "ui_helpers.h"

namespace fascia::app {
namespace {

constexpr float kPanelWidth = 360.0f; // at the base font size, like the Info panel
constexpr ImGuiWindowFlags kDockedFlags =
    ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
    ImGuiWindowFlags_NoResize;




bool contains(std::string_view haystack, const std::string& needleLower) {
  return needleLower.empty() || ui::lower(haystack).find(needleLower) != std::string::npos;
}

std::string structureLabel(const AppState& state, const std::string& name) {
  if (state.model != nullptr) {
    if (const auto index = state.model->find(name)) {
      return state.model->structures[*index].info.label();
    }
  }
  return name.empty() ? std::string("(no structure)") : name;
}

// "2026-11-26T03:18:10Z" as "2026-11-26 03:18 UTC": what a person reads.
std::string readableTime(const std::string& iso) {
  if (iso.size() < 16 || iso[10] != 'T') return iso;
  return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

void colourDot(const glm::vec3& colour) {
  ImGui::ColorButton("##dot", ui::toImColour(colour),
                     ImGuiColorEditFlags_NoTooltip | ImGuiColorEditFlags_NoBorder,
                     ImVec2(ImGui::GetTextLineHeight() * 0.8f, ImGui::GetTextLineHeight() * 0.8f));
  ImGui::SameLine();
}

void heatLegend() {
  ImGui::PushID("essential");
  colourDot({0.80f, 0.04f, 0.04f});
  ImGui::PopID();
  ImGui::TextUnformatted("essential zone");
  ImGui::SameLine(0.0f, 16.0f);
  ImGui::PushID("spillover");
  colourDot({1.00f, 0.42f, 0.08f});
  ImGui::PopID();
  ImGui::TextUnformatted("spillover");
  ImGui::TextDisabled("Shown on the skin while the point is selected.");
}

// Pushes an edit of one point; `continuous` edits (typing, sliders, drags) merge into one undo
// step per widget activation.
void pushEdit(CommandQueue& commands, TriggerPoint point, bool continuous) {
  commands.push(cmd::UpdateTriggerPoint{editedPoint(point)}, continuous);
}

// ---------------------------------------------------------------------------------------------
// The patient's points
// ---------------------------------------------------------------------------------------------

void drawReferralEditor(const AppState& state, const TriggerPoint& point, CommandQueue& commands,
                        UiState& ui) {
  ImGui::TextUnformatted("Referred pain");
  const ReferralZone& zone = point.referral;
  if (zone.empty()) {
    ImGui::TextDisabled("No zone yet: take one from the library or paint it.");
  } else {
    ImGui::TextDisabled("%zu essential and %zu spillover areas%s%s", zone.essential.size(),
                        zone.spillover.size(), point.referralSource.empty() ? "" : ", from ",
                        point.referralSource.c_str());
    heatLegend();
  }
  if (state.points.library != nullptr) {
    ImGui::SetNextItemWidth(-1.0f);
    if (ImGui::BeginCombo("##fromLibrary", "Take the zone of a library point...")) {
      // Points on the same muscle first, then the rest.
      std::vector<const LibraryTriggerPoint*> ordered;
      for (const auto& candidate : state.points.library->points) ordered.push_back(&candidate);
      std::stable_partition(ordered.begin(), ordered.end(), [&](const LibraryTriggerPoint* p) {
        return p->structure == point.structure;
      });
      for (const LibraryTriggerPoint* candidate : ordered) {
        if (ImGui::Selectable(candidate->label.c_str())) {
          TriggerPoint changed = point;
          changed.referral = candidate->referral;
          changed.referralSource = candidate->id;
          pushEdit(commands, changed, false);
        }
      }
      ImGui::EndCombo();
    }
  }
  bool painting = state.tool == Tool::Paint;
  if (ImGui::Checkbox("Paint the zone on the skin (B)", &painting)) {
    commands.push(cmd::SetTool{painting ? Tool::Paint : Tool::Navigate});
  }
  if (painting) {
    ImGui::Indent();
    ImGui::TextDisabled("Click or drag on the body; Shift erases.");
    if (ImGui::RadioButton("Essential", ui.brushEssential)) ui.brushEssential = true;
    ImGui::SameLine();
    if (ImGui::RadioButton("Spillover", !ui.brushEssential)) ui.brushEssential = false;
    float radiusCm = ui.brushRadius * 100.0f;
    ImGui::SetNextItemWidth(-1.0f);
    if (ImGui::SliderFloat("##brush", &radiusCm, 1.0f, 10.0f, "brush %.1f cm")) {
      ui.brushRadius = radiusCm / 100.0f;
    }
    ImGui::Unindent();
  }
  if (!zone.empty() && ImGui::Button("Clear the zone")) {
    TriggerPoint changed = point;
    changed.referral = {};
    changed.referralSource.clear();
    pushEdit(commands, changed, false);
  }
}

void drawPointEditor(const AppState& state, const TriggerPoint& point, CommandQueue& commands,
                     UiState& ui) {
  ImGui::PushID(point.id.c_str());
  TriggerPoint edited = point;

  // Each widget's edits are one undo step: the merge is broken when the widget is activated,
  // before the edit of that same frame is queued.
  ImGui::SetNextItemWidth(-1.0f);
  const bool labelChanged = ImGui::InputTextWithHint("##label", "label", &edited.label);
  if (ImGui::IsItemActivated()) commands.breakMerge();
  if (labelChanged) pushEdit(commands, edited, true);

  ImGui::TextDisabled("On");
  ImGui::SameLine();
  ImGui::TextWrapped("%s", structureLabel(state, point.structure).c_str());
  ImGui::TextDisabled("Drag the marker to move it along the surface.");

  static constexpr std::array<const char*, 3> kSides = {"left", "right", "midline"};
  ImGui::TextUnformatted("Side");
  for (const char* side : kSides) {
    ImGui::SameLine();
    if (ImGui::RadioButton(side, point.side == side)) {
      edited.side = side;
      pushEdit(commands, edited, false);
    }
  }
  ImGui::TextUnformatted("Type");
  ImGui::SameLine();
  if (ImGui::RadioButton("active", point.type == TriggerPointType::Active)) {
    edited.type = TriggerPointType::Active;
    pushEdit(commands, edited, false);
  }
  ImGui::SameLine();
  if (ImGui::RadioButton("latent", point.type == TriggerPointType::Latent)) {
    edited.type = TriggerPointType::Latent;
    pushEdit(commands, edited, false);
  }
  if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip("Active: causes the current complaint.\nLatent: tender, refers pain only "
                      "when pressed.");
  }

  ImGui::SetNextItemWidth(-1.0f);
  int pain = point.pain;
  const bool painChanged = ImGui::SliderInt("##pain", &pain, 0, 10, "pain %d / 10");
  if (ImGui::IsItemActivated()) commands.breakMerge();
  if (painChanged) {
    edited.pain = pain;
    pushEdit(commands, edited, true);
  }

  bool ownColour = point.colour.has_value();
  if (ImGui::Checkbox("Own colour", &ownColour)) {
    edited.colour = ownColour ? std::optional(painColour(point.pain)) : std::nullopt;
    pushEdit(commands, edited, false);
  }
  if (point.colour) {
    ImGui::SameLine();
    float rgb[3] = {point.colour->x, point.colour->y, point.colour->z};
    const bool colourChanged = ImGui::ColorEdit3("##colour", rgb, ImGuiColorEditFlags_NoInputs);
    if (ImGui::IsItemActivated()) commands.breakMerge();
    if (colourChanged) {
      edited.colour = glm::vec3(rgb[0], rgb[1], rgb[2]);
      pushEdit(commands, edited, true);
    }
  }

  ImGui::TextUnformatted("Notes");
  const bool notesChanged = ImGui::InputTextMultiline(
      "##notes", &edited.notes, ImVec2(-1.0f, ImGui::GetTextLineHeight() * 4.5f));
  if (ImGui::IsItemActivated()) commands.breakMerge();
  if (notesChanged) pushEdit(commands, edited, true);
  ImGui::TextDisabled("Created %s, modified %s", readableTime(point.created).c_str(),
                      readableTime(point.modified).c_str());

  ImGui::Separator();
  drawReferralEditor(state, point, commands, ui);
  ImGui::Separator();
  if (ImGui::Button("Focus (F)")) commands.push(cmd::FocusPoint{point.position});
  ImGui::SameLine();
  if (ImGui::Button("Delete (Del)")) commands.push(cmd::DeleteTriggerPoint{point.id});
  ImGui::PopID();
}

void drawPatientTab(const AppState& state, const FrameInfo& info, CommandQueue& commands,
                    UiState& ui) {
  const auto& points = state.points.document.points;
  if (points.empty()) {
    ImGui::TextWrapped("No trigger points yet. Press M (or choose Mark above) and click on the "
                       "body, or copy points from the Library tab.");
  }
  const float listHeight =
      std::min(static_cast<float>(points.size()) + 0.5f, 7.5f) * ImGui::GetTextLineHeightWithSpacing();
  if (!points.empty() && ImGui::BeginChild("points", ImVec2(0.0f, listHeight), true)) {
    for (const TriggerPoint& point : points) {
      ImGui::PushID(point.id.c_str());
      colourDot(point.colour.value_or(painColour(point.pain)));
      const bool unplaced =
          info.unplacedPoints != nullptr &&
          std::find(info.unplacedPoints->begin(), info.unplacedPoints->end(), point.id) !=
              info.unplacedPoints->end();
      const std::string label = (point.label.empty() ? std::string("(no label)") : point.label) +
                                "  " + std::to_string(point.pain) + "/10" +
                                (point.type == TriggerPointType::Latent ? " latent" : "") +
                                (unplaced ? "  (not on this model)" : "");
      const bool selected = state.points.selected ==
                            PointRef{PointRef::Source::Annotation, point.id};
      if (ImGui::Selectable(label.c_str(), selected, ImGuiSelectableFlags_AllowDoubleClick)) {
        commands.push(cmd::SelectTriggerPoint{PointRef{PointRef::Source::Annotation, point.id}});
        if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left) && !unplaced) {
          commands.push(cmd::FocusPoint{point.position});
        }
      }
      ImGui::PopID();
    }
  }
  if (!points.empty()) ImGui::EndChild();
  if (info.unplacedPoints != nullptr && !info.unplacedPoints->empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.75f, 0.35f, 1.0f));
    ImGui::TextWrapped("%zu point(s) name a structure this model does not have. They are kept "
                       "in the document and saved with it.",
                       info.unplacedPoints->size());
    ImGui::PopStyleColor();
  }
  if (const TriggerPoint* selected = state.points.selectedAnnotation()) {
    ImGui::Separator();
    drawPointEditor(state, *selected, commands, ui);
  }
}

// ---------------------------------------------------------------------------------------------
// The library
// ---------------------------------------------------------------------------------------------

void drawLibraryDetails(const AppState& state, const FrameInfo& info,
                        const LibraryTriggerPoint& point, CommandQueue& commands, UiState& ui) {
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(point.label.c_str());
  ImGui::PopTextWrapPos();
  ImGui::TextDisabled("%s, %s side, %s", point.muscle.c_str(), point.side.c_str(),
                      point.region.c_str());
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(point.description.c_str());
  if (!point.provokers.empty()) {
    ImGui::TextDisabled("Often provoked by:");
    ImGui::TextUnformatted(point.provokers.c_str());
  }
  ImGui::PopTextWrapPos();
  heatLegend();
  const PlacedMarker* placed = nullptr;
  if (info.triggerView != nullptr) {
    for (const PlacedMarker& marker : info.triggerView->markers()) {
      if (marker.ref == PointRef{PointRef::Source::Library, point.id}) placed = &marker;
    }
  }
  const bool shown = state.points.libraryShown.count(point.id) > 0;
  if (ImGui::Button(shown ? "Hide marker" : "Show on body")) {
    commands.push(cmd::ShowLibraryPoints{{point.id}, !shown});
  }
  ImGui::SameLine();
  if (ImGui::Button("Focus")) {
    commands.push(cmd::FocusPoint{placed != nullptr ? placed->position : point.position});
  }
  ImGui::SameLine();
  if (ImGui::Button("Copy to patient")) {
    commands.push(cmd::AddTriggerPoint{toAnnotation(point, state.model.get())});
    ui.selectPatientTab = true; // the copy is selected there, ready to rate and edit
  }
  if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip("Adds this point, with its referred-pain zone, to the patient's "
                      "annotations, where you can rate and edit it.");
  }
}

void drawLibraryTab(const AppState& state, const FrameInfo& info, CommandQueue& commands,
                    UiState& ui) {
  const TriggerPointLibrary* library = state.points.library.get();
  if (library == nullptr) {
    ImGui::TextWrapped("The built-in library could not be read: %s", info.libraryProblem.c_str());
    return;
  }
  ImGui::SetNextItemWidth(-1.0f);
  ImGui::InputTextWithHint("##search", "search muscle, region or label", &ui.librarySearch);
  const std::string needle = ui::lower(ui.librarySearch);
  std::vector<const LibraryTriggerPoint*> matching;
  for (const LibraryTriggerPoint& point : library->points) {
    if (contains(point.label, needle) || contains(point.muscle, needle) ||
        contains(point.region, needle) || contains(point.side, needle)) {
      matching.push_back(&point);
    }
  }
  std::vector<std::string> ids;
  for (const LibraryTriggerPoint* point : matching) ids.push_back(point->id);
  if (ImGui::Button("Show these on body")) commands.push(cmd::ShowLibraryPoints{ids, true});
  ImGui::SameLine();
  if (ImGui::Button("Hide all")) {
    commands.push(cmd::ShowLibraryPoints{std::vector<std::string>(state.points.libraryShown.begin(),
                                                                  state.points.libraryShown.end()),
                                         false});
  }

  // Region -> muscle -> points, in library order.
  std::vector<std::string> regions;
  std::map<std::string, std::vector<std::string>> musclesOf;
  for (const LibraryTriggerPoint* point : matching) {
    if (std::find(regions.begin(), regions.end(), point->region) == regions.end()) {
      regions.push_back(point->region);
    }
    auto& muscles = musclesOf[point->region];
    if (std::find(muscles.begin(), muscles.end(), point->muscle) == muscles.end()) {
      muscles.push_back(point->muscle);
    }
  }
  // The tree takes about half of what is left, the selected point's details the rest.
  const float treeHeight = std::max(ImGui::GetTextLineHeightWithSpacing() * 8.0f,
                                    ImGui::GetContentRegionAvail().y * 0.45f);
  if (ImGui::BeginChild("library", ImVec2(0.0f, treeHeight), true)) {
    if (matching.empty()) ImGui::TextDisabled("Nothing matches.");
    for (const std::string& region : regions) {
      const ImGuiTreeNodeFlags open = needle.empty() ? 0 : ImGuiTreeNodeFlags_DefaultOpen;
      if (!ImGui::TreeNodeEx(region.c_str(), open)) continue;
      for (const std::string& muscle : musclesOf[region]) {
        if (!ImGui::TreeNodeEx(muscle.c_str(), open)) continue;
        for (const LibraryTriggerPoint* point : matching) {
          if (point->region != region || point->muscle != muscle) continue;
          ImGui::PushID(point->id.c_str());
          bool shown = state.points.libraryShown.count(point->id) > 0;
          if (ImGui::Checkbox("##shown", &shown)) {
            commands.push(cmd::ShowLibraryPoints{{point->id}, shown});
          }
          if (ImGui::IsItemHovered()) ImGui::SetTooltip("Show the marker on the body");
          ImGui::SameLine();
          const PointRef ref{PointRef::Source::Library, point->id};
          if (ImGui::Selectable(point->label.c_str(), state.points.selected == ref)) {
            commands.push(cmd::SelectTriggerPoint{ref});
            if (!shown) commands.push(cmd::ShowLibraryPoints{{point->id}, true});
          }
          ImGui::PopID();
        }
        ImGui::TreePop();
      }
      ImGui::TreePop();
    }
  }
  ImGui::EndChild();
  if (const LibraryTriggerPoint* selected = state.points.selectedLibraryPoint()) {
    ImGui::Separator();
    drawLibraryDetails(state, info, *selected, commands, ui);
  }
  ImGui::Separator();
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled("Trigger points are a clinical model: the maps come from clinical "
                      "observation and examiners agree on them only moderately. This atlas "
                      "teaches; it does not diagnose.");
  ImGui::PopTextWrapPos();
}

void drawToolRow(const AppState& state, CommandQueue& commands) {
  const auto toolButton = [&](const char* label, Tool tool, bool enabled) {
    if (!enabled) ImGui::BeginDisabled();
    if (ImGui::RadioButton(label, state.tool == tool)) commands.push(cmd::SetTool{tool});
    if (!enabled) ImGui::EndDisabled();
  };
  toolButton("Navigate", Tool::Navigate, true);
  ImGui::SameLine();
  toolButton("Mark (M)", Tool::Mark, state.model != nullptr);
  ImGui::SameLine();
  toolButton("Paint zone (B)", Tool::Paint, state.points.selectedAnnotation() != nullptr);
  if (state.tool == Tool::Mark) {
    ImGui::TextDisabled("Click on the body to place a trigger point.");
  }
}

// ---------------------------------------------------------------------------------------------
// Files and prompts
// ---------------------------------------------------------------------------------------------

std::string documentName(const AppState& state) {
  return state.points.path.empty() ? std::string("Untitled annotations")
                                   : state.points.path.filename().string();
}

// "patient.json" in the working folder, or "patient-2.json"... when that is taken.
std::filesystem::path unusedPatientFileName() {
  const std::filesystem::path folder = std::filesystem::current_path();
  std::error_code error;
  for (int n = 1; n < 1000; ++n) {
    const std::filesystem::path candidate =
        folder / (n == 1 ? std::string("patient.json") : "patient-" + std::to_string(n) + ".json");
    if (!std::filesystem::exists(candidate, error)) return candidate;
  }
  return folder / "patient.json";
}

// Runs `action` now, or asks first when there are unsaved changes.
void guard(const AppState& state, UiState& ui, UiState::Guarded action,
           const std::filesystem::path& path, UiRequests& requests) {
  if (state.points.dirty()) {
    ui.guarded = action;
    ui.guardedPath = path;
    return;
  }
  runFileAction(action, path, ui, requests);
}

// A path dialog. With `askBeforeReplacing`, confirming a file that exists (other than
// `ownFile`, the document's own) asks "Replace it?" first: a new patient saved under the
// suggested name must not silently overwrite another patient's file.
void drawPathDialog(const char* title, const char* hint, const char* confirm, bool& visible,
                    UiState& ui, bool askBeforeReplacing, const std::filesystem::path& ownFile,
                    const std::function<void(const std::filesystem::path&)>& done) {
  if (visible) {
    ImGui::OpenPopup(title);
    visible = false;
    ui.replaceAsked = false;
  }
  ImGui::SetNextWindowSize(ImVec2(560.0f * ui::scale(), 0.0f), ImGuiCond_Appearing);
  if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  ImGui::TextUnformatted(hint);
  ImGui::SetNextItemWidth(540.0f * ui::scale());
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  const bool entered = ImGui::InputText("##path", &ui.annotationsPathInput,
                                        ImGuiInputTextFlags_EnterReturnsTrue);
  if (ImGui::IsItemEdited()) ui.replaceAsked = false;
  const std::filesystem::path path(ui.annotationsPathInput);
  if (ui.replaceAsked) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.75f, 0.35f, 1.0f));
    ImGui::TextWrapped("%s already exists. Replace it?", path.filename().string().c_str());
    ImGui::PopStyleColor();
  }
  bool confirmed = (ImGui::Button(ui.replaceAsked ? "Replace" : confirm) || entered) &&
                   !ui.annotationsPathInput.empty();
  ImGui::SameLine();
  const bool cancelled = ImGui::Button("Cancel") || ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false);
  if (confirmed && askBeforeReplacing && !ui.replaceAsked) {
    std::error_code error;
    const bool exists = std::filesystem::exists(path, error);
    const bool own = !ownFile.empty() && std::filesystem::equivalent(path, ownFile, error);
    if (exists && !own) {
      ui.replaceAsked = true;
      confirmed = false;
    }
  }
  if (confirmed) done(path);
  if (confirmed || cancelled) {
    ui.afterSave = UiState::Guarded::None; // copied into the request by `done` if confirmed
    ui.replaceAsked = false;
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

} // namespace

void runFileAction(UiState::Guarded action, const std::filesystem::path& path, UiState& ui,
                   UiRequests& requests) {
  switch (action) {
  case UiState::Guarded::New: requests.newAnnotations = true; break;
  case UiState::Guarded::Open: ui.annotationsOpenDialogVisible = true; break;
  case UiState::Guarded::OpenRecent: requests.openAnnotations = path; break;
  case UiState::Guarded::Quit: requests.quitDiscarding = true; break;
  case UiState::Guarded::None: break;
  }
}

TriggerPoint editedPoint(const TriggerPoint& point) {
  TriggerPoint edited = point;
  edited.modified = nowIso8601Utc();
  return edited;
}

void requestNewAnnotations(const AppState& state, UiState& ui, UiRequests& requests) {
  guard(state, ui, UiState::Guarded::New, {}, requests);
}

void requestOpenAnnotationsDialog(const AppState& state, UiState& ui) {
  UiRequests none;
  if (state.points.path.empty()) {
    ui.annotationsPathInput = (std::filesystem::current_path() / "").string();
  } else {
    ui.annotationsPathInput = state.points.path.string();
  }
  guard(state, ui, UiState::Guarded::Open, {}, none);
}

void requestQuit(const AppState& state, UiState& ui, UiRequests& requests) {
  guard(state, ui, UiState::Guarded::Quit, {}, requests);
}

void requestSaveAnnotationsAs(const AppState& state, UiState& ui) {
  ui.annotationsPathInput = state.points.path.empty() ? unusedPatientFileName().string()
                                                      : state.points.path.string();
  ui.annotationsSaveDialogVisible = true;
}

void requestSaveAnnotations(const AppState& state, UiState& ui, UiRequests& requests) {
  if (state.points.path.empty()) {
    requestSaveAnnotationsAs(state, ui);
  } else {
    requests.saveAnnotations = true;
  }
}

void drawAnnotationFileMenu(const AppState& state, const FrameInfo& info, UiState& ui,
                            UiRequests& requests) {
  if (ImGui::MenuItem("New annotations", "Ctrl+N")) requestNewAnnotations(state, ui, requests);
  if (ImGui::MenuItem("Open annotations...", "Ctrl+O")) requestOpenAnnotationsDialog(state, ui);
  if (ImGui::BeginMenu("Open recent", !info.recentAnnotations.empty())) {
    for (const auto& path : info.recentAnnotations) {
      if (ImGui::MenuItem(path.string().c_str())) {
        guard(state, ui, UiState::Guarded::OpenRecent, path, requests);
      }
    }
    ImGui::EndMenu();
  }
  if (ImGui::MenuItem("Save annotations", "Ctrl+S")) requestSaveAnnotations(state, ui, requests);
  if (ImGui::MenuItem("Save annotations as...", "Ctrl+Shift+S")) {
    requestSaveAnnotationsAs(state, ui);
  }
}

void drawAnnotationDialogs(const AppState& state, UiState& ui, UiRequests& requests) {
  drawPathDialog("Open annotations", "A trigger-point annotation file (.json).", "Open",
                 ui.annotationsOpenDialogVisible, ui, false, {},
                 [&](const std::filesystem::path& path) { requests.openAnnotations = path; });
  drawPathDialog("Save annotations as", "Where to save the patient's trigger points (.json).",
                 "Save", ui.annotationsSaveDialogVisible, ui, true, state.points.path,
                 [&](const std::filesystem::path& path) {
                   requests.saveAnnotationsAs = path;
                   requests.afterSave = ui.afterSave;
                   requests.afterSavePath = ui.afterSavePath;
                 });

  // One modal at a time: in ImGui a second OpenPopup at the same level replaces the first, and
  // two wanting to be open would take turns every frame and never be clickable.
  const bool anyModal = ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId);
  if (ui.guarded != UiState::Guarded::None && !anyModal) ImGui::OpenPopup("Unsaved annotations");
  if (ImGui::BeginPopupModal("Unsaved annotations", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::Text("%s has changes that are not saved.", documentName(state).c_str());
    ImGui::TextDisabled("Save them first?");
    const UiState::Guarded action = ui.guarded;
    const std::filesystem::path path = ui.guardedPath;
    bool close = false;
    const auto proceed = [&] { runFileAction(action, path, ui, requests); };
    if (ImGui::Button("Save")) {
      close = true;
      ui.guarded = UiState::Guarded::None;
      // The action goes on only once the save has succeeded (the viewer checks).
      if (state.points.path.empty()) {
        requestSaveAnnotationsAs(state, ui); // a file name first
        ui.afterSave = action;
        ui.afterSavePath = path;
      } else {
        requests.saveAnnotations = true;
        requests.afterSave = action;
        requests.afterSavePath = path;
      }
    }
    ImGui::SameLine();
    if (ImGui::Button("Don't save")) {
      close = true;
      ui.guarded = UiState::Guarded::None;
      proceed();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false)) {
      close = true;
      ui.guarded = UiState::Guarded::None;
    }
    if (close) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }

  if (ui.recoveryOffer && !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) {
    ImGui::OpenPopup("Restore annotations?");
  }
  if (ImGui::BeginPopupModal("Restore annotations?", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    const auto& offer = *ui.recoveryOffer;
    ImGui::PushTextWrapPos(520.0f * ui::scale());
    ImGui::TextWrapped("Fascia Atlas did not close normally last time. Unsaved trigger-point "
                       "annotations were kept: %zu point(s)%s%s, autosaved %s.",
                       offer.document.points.size(),
                       offer.documentPath.empty() ? "" : " of ",
                       offer.documentPath.string().c_str(), readableTime(offer.savedAt).c_str());
    ImGui::PopTextWrapPos();
    if (ImGui::Button("Restore")) {
      requests.restoreRecovery = true;
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Discard")) {
      requests.discardRecovery = true;
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }
}

void drawTriggerPointsPanel(const AppState& state, const FrameInfo& info, CommandQueue& commands,
                            UiState& ui, float top) {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  const float width = kPanelWidth * ui::scale();
  const float bottom = viewport->Pos.y + viewport->Size.y - ImGui::GetFrameHeight() -
                       ImGui::GetStyle().WindowPadding.y;
  ImGui::SetNextWindowPos(ImVec2(viewport->Pos.x + viewport->Size.x - width, top));
  ImGui::SetNextWindowSize(ImVec2(width, std::max(bottom - top, 120.0f)));
  const std::string title = "Trigger points - " + documentName(state) +
                            (state.points.dirty() ? " *" : "") + "###triggerpoints";
  if (!ImGui::Begin(title.c_str(), &ui.showTriggerPoints, kDockedFlags)) {
    ImGui::End();
    return;
  }
  drawToolRow(state, commands);
  if (ImGui::BeginTabBar("tabs")) {
    const std::string patient =
        "Patient (" + std::to_string(state.points.document.points.size()) + ")###patient";
    const ImGuiTabItemFlags patientFlags = ui.selectPatientTab ? ImGuiTabItemFlags_SetSelected : 0;
    ui.selectPatientTab = false;
    if (ImGui::BeginTabItem(patient.c_str(), nullptr, patientFlags)) {
      drawPatientTab(state, info, commands, ui);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Library")) {
      drawLibraryTab(state, info, commands, ui);
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  ImGui::End();
}

} // namespace fascia::app
