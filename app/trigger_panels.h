#pragma once
/// \file trigger_panels.h
/// The trigger-point panels (the patient's points and the built-in library), the annotation
/// file dialogs and the unsaved-changes and recovery prompts. Like the other panels they read
/// the state and push commands; file operations go back to the viewer as UiRequests.

#include "commands.h"
#include "panels.h"
#include "state.h"

namespace fascia::app {

/// The "Trigger points" window docked on the right from `top` down to the status bar.
void drawTriggerPointsPanel(const AppState& state, const FrameInfo& info, CommandQueue& commands,
                            UiState& ui, float top);

/// File menu entries for annotation documents.
void drawAnnotationFileMenu(const AppState& state, const FrameInfo& info, UiState& ui,
                            UiRequests& requests);

/// Open / Save As dialogs, the unsaved-changes prompt and the recovery offer.
void drawAnnotationDialogs(const AppState& state, UiState& ui, UiRequests& requests);

/// File > New / Open / Quit go through these: with unsaved annotations they ask first.
void requestNewAnnotations(const AppState& state, UiState& ui, UiRequests& requests);
void requestOpenAnnotationsDialog(const AppState& state, UiState& ui);
void requestQuit(const AppState& state, UiState& ui, UiRequests& requests);
/// Saves to the document's file, or asks for one.
void requestSaveAnnotations(const AppState& state, UiState& ui, UiRequests& requests);
void requestSaveAnnotationsAs(const AppState& state, UiState& ui);

/// Carries out a File action whose unsaved-changes question has been answered (or that came
/// after a successful save): sets the matching request or opens the Open dialog.
void runFileAction(UiState::Guarded action, const std::filesystem::path& path, UiState& ui,
                   UiRequests& requests);

/// A copy of the current point with a new modification time, for edits.
TriggerPoint editedPoint(const TriggerPoint& point);

} // namespace fascia::app
