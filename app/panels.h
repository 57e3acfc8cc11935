#pragma once
/// \file panels.h
/// The ImGui panels: menu bar, Layers, Structures, Info, status bar, dialogs. Panels read the
/// state and push commands; requests that are not state changes (open a file, save a
/// screenshot, undo, quit) are returned through UiRequests for the viewer to act on.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <glm/vec2.hpp>

#include "commands.h"
#include "state.h"
#include "trigger_view.h"
#include "user_files.h"

namespace fascia::app {

class Progress;

/// Panel visibility and dialog state: UI-only, not part of what the user sees of the body.
struct UiState {
  bool showLayers = true;
  bool showStructures = true;
  bool showInfo = true;
  bool showStatusBar = true;
  bool showHelp = false;
  std::string structureFilter;

  bool openDialogVisible = false;
  std::filesystem::path browseDir;
  /// The listing of browseDir (folders and model files), read when browseDir changes.
  std::filesystem::path listedDir;
  std::vector<std::filesystem::path> listedFolders;
  std::vector<std::filesystem::path> listedFiles;
  std::string openPathInput;

  bool screenshotDialogVisible = false;
  std::string screenshotPathInput;

  bool showTriggerPoints = true;
  /// Bring the Patient tab to the front next frame (after copying a library point).
  bool selectPatientTab = false;
  std::string librarySearch;
  /// Annotation file dialogs (Open / Save As) share one path field.
  bool annotationsOpenDialogVisible = false;
  bool annotationsSaveDialogVisible = false;
  std::string annotationsPathInput;
  /// The Save As path names an existing file: the dialog asks before replacing it.
  bool replaceAsked = false;
  /// An action waiting for the user to decide about unsaved annotations.
  enum class Guarded { None, New, Open, OpenRecent, Quit };
  Guarded guarded = Guarded::None;
  std::filesystem::path guardedPath;
  /// An action to carry out once the Save As dialog has saved (the user chose "Save" in the
  /// unsaved-changes prompt of a document that had no file yet).
  Guarded afterSave = Guarded::None;
  std::filesystem::path afterSavePath;
  /// Annotations found in the recovery file at start-up, offered for restoring.
  std::optional<RecoveryStore::Recovery> recoveryOffer;
  /// Referral-zone brush: paints the essential (true) or the spillover zone, this radius (m).
  bool brushEssential = true;
  float brushRadius = 0.04f;

  /// An error to show in a modal until dismissed.
  std::optional<std::string> errorMessage;
  /// A short confirmation shown in the status bar ("Saved ...").
  std::string statusMessage;
};

/// What the user asked for this frame that is not a state command.
struct UiRequests {
  bool quit = false;
  bool undo = false;
  bool redo = false;
  std::optional<std::filesystem::path> openModel;
  std::optional<std::filesystem::path> saveScreenshot;
  /// Annotation documents. Unsaved changes were already dealt with when these are set.
  bool newAnnotations = false;
  std::optional<std::filesystem::path> openAnnotations;
  /// Save to the document's path (the panels ask for one first when it has none).
  bool saveAnnotations = false;
  std::optional<std::filesystem::path> saveAnnotationsAs;
  /// What to do once that save has succeeded (nothing when it fails: the work stays open).
  UiState::Guarded afterSave = UiState::Guarded::None;
  std::filesystem::path afterSavePath;
  bool restoreRecovery = false;
  bool discardRecovery = false;
  /// Quit even with unsaved changes (the user said "Don't save").
  bool quitDiscarding = false;
};

/// Read-only facts the panels show.
struct FrameInfo {
  float frameMilliseconds = 0.0f;
  std::size_t trianglesDrawn = 0;
  std::string driver;
  std::string modelName;
  /// Non-null while a model is loading.
  const Progress* loading = nullptr;
  std::string loadingName;
  std::string undoLabel;
  std::string redoLabel;
  /// Recently used annotation files, most recent first.
  std::vector<std::filesystem::path> recentAnnotations;
  /// Why the trigger-point library is missing, if it is.
  std::string libraryProblem;
  /// Patient points whose structure the model lacks (ids).
  const std::vector<std::string>* unplacedPoints = nullptr;
  /// Markers placed on the model this frame.
  const TriggerPointView* triggerView = nullptr;
  /// Draws the Techniques panel docked in the right column from a top edge at a width, and
  /// returns its bottom edge (the viewer owns its state); empty: none.
  std::function<float(float top, float width)> techniquePanel;
};

/// Width of the docked panels on the left and right of the window, in framebuffer pixels (0
/// where no panel is shown).
glm::vec2 panelInsets(const UiState& ui);

/// Draws every panel and dialog for this frame.
void drawPanels(const AppState& state, const FrameInfo& info, CommandQueue& commands,
                UiState& ui, UiRequests& requests);

/// A key press seen by the window (GLFW key code and modifier bits), queued between frames so
/// that a press and release within one slow frame is not lost.
struct KeyPress {
  int key = 0;
  int mods = 0;
  bool repeat = false;
};

/// Keyboard shortcuts (when ImGui does not want the keyboard). See the Help window.
void handleShortcuts(const std::vector<KeyPress>& presses, const AppState& state,
                     CommandQueue& commands, UiState& ui, UiRequests& requests);

} // namespace fascia::app
