#pragma once
/// \file commands.h
/// Every change to the viewer state is a command, applied at one point in the frame. Commands
/// that change what is shown (layers, peeling, hidden structures) or the patient's trigger-point
/// annotations are undoable; navigation, hover and selection are not, as in other viewers.

#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "fascia/camera.h"
#include "fascia/layer.h"
#include "fascia/section.h"
#include "state.h"

namespace fascia::app {

namespace cmd {
struct SetPeelDepth { float depth; };
struct SetLayerVisible { Layer layer; bool visible; };
struct SetLayerOpacity { Layer layer; float opacity; };
struct SetStructureHidden { std::uint32_t structure; bool hidden; };
/// Hides every structure but this one.
struct IsolateStructure { std::uint32_t structure; };
/// Brings a structure into view from the current camera (uncover.h): the peel depth that shows
/// it (and the fascia lying on it), its layer switched on, and what covers it hidden.
struct UncoverStructure { std::uint32_t structure; };
/// Unhides every structure.
struct ShowAll {};
/// Every layer visible and opaque, peel depth 0.
struct ResetLayers {};
struct Select { std::optional<std::uint32_t> structure; };
struct Hover { std::optional<std::uint32_t> structure; };
/// Moves smoothly to a preset view framing the model.
struct ViewPresetCmd {
  ViewPreset preset;
  bool animate = true; ///< false jumps there (start-up)
};
/// Frames the whole model from the current direction.
struct FrameAll {};
/// Centres on the selected structure and frames it.
struct FocusSelection {};
/// Centres on a point (a trigger point) and zooms to its surroundings.
struct FocusPoint { glm::vec3 position; };
struct Orbit { float deltaYaw; float deltaPitch; };
struct Pan { float dxFraction; float dyFraction; };
struct Zoom { float factor; };
/// Replaces the model (after a successful load): resets display, selection and history.
struct ReplaceModel {
  std::shared_ptr<const Model> model;
};
/// Installs a BVH built in the background for the current model.
struct SetBvh {
  std::shared_ptr<const Model> forModel;
  std::shared_ptr<const Bvh> bvh;
};
/// Adds a trigger point to the patient's annotations and selects it.
struct AddTriggerPoint { TriggerPoint point; };
/// Replaces the annotation point with the same id (any field, a move, a new zone).
struct UpdateTriggerPoint { TriggerPoint point; };
struct DeleteTriggerPoint { std::string id; };
struct SelectTriggerPoint { std::optional<PointRef> point; };
struct HoverTriggerPoint { std::optional<PointRef> point; };
/// Shows or hides the markers of library points.
struct ShowLibraryPoints {
  std::vector<std::string> ids;
  bool shown = true;
};
struct SetTool { Tool tool; };
/// Installs an annotation document (File > New, Open, or a restored recovery file): `saved` is
/// what is on disk at `path` (equal to `document` unless restoring). Clears undo history.
struct ReplaceAnnotations {
  AnnotationDocument document;
  std::filesystem::path path;
  AnnotationDocument saved;
};
/// The document was written to `path`: it has no unsaved changes now.
struct MarkAnnotationsSaved { std::filesystem::path path; };
/// Switches the section view on or off, or moves its plane (undoable; push a drag as
/// mergeable so it is one step). A plane with a zero or non-finite normal or point is ignored.
struct SetSection { SectionPlane plane; };

// Techniques (technique_session.h). Not undoable: they change the demonstration, not the
// patient's document or what is shown of the anatomy.
/// Shows a technique preset (empty name: none) from time 0, paused, with the preset's defaults
/// and the default muscle of a stretch; a contact already placed is kept. Unknown: ignored.
struct ChooseTechnique { std::string name; };
/// Sets where and how hard the technique is applied (load, strain, muscle, healthy or stiff).
struct SetTechniqueParams { TechniqueParams params; };
/// Places the tool at a contact on the skin; `placedOn` names it for the panel.
struct PlaceTechnique {
  TechniqueContact contact;
  std::string placedOn;
};
/// The transport: time (technique seconds, clamped to 0..duration), play, speed, loop.
struct SetTechniqueTransport {
  double time = 0.0;
  bool playing = false;
  float speed = 1.0f;
  bool loop = true;
};
/// Advances a playing technique by dt wall-clock seconds (once a frame).
struct AdvanceTechnique { double dt; };
} // namespace cmd

/// Any command.
using Command = std::variant<cmd::SetPeelDepth, cmd::SetLayerVisible, cmd::SetLayerOpacity,
                             cmd::SetStructureHidden, cmd::IsolateStructure, cmd::UncoverStructure,
                             cmd::ShowAll, cmd::ResetLayers,
                             cmd::Select, cmd::Hover, cmd::ViewPresetCmd, cmd::FrameAll,
                             cmd::FocusSelection, cmd::FocusPoint, cmd::Orbit, cmd::Pan, cmd::Zoom,
                             cmd::ReplaceModel, cmd::SetBvh, cmd::AddTriggerPoint,
                             cmd::UpdateTriggerPoint, cmd::DeleteTriggerPoint,
                             cmd::SelectTriggerPoint, cmd::HoverTriggerPoint,
                             cmd::ShowLibraryPoints, cmd::SetTool, cmd::ReplaceAnnotations,
                             cmd::MarkAnnotationsSaved, cmd::SetSection,
                             cmd::ChooseTechnique, cmd::SetTechniqueParams, cmd::PlaceTechnique,
                             cmd::SetTechniqueTransport, cmd::AdvanceTechnique>;

/// A short label for menus and the history ("Peel layers", "Hide Trapezius"...).
std::string describe(const Command& command, const AppState& state);

/// Queues commands and applies them at one point in the frame; keeps undo and redo history.
class CommandQueue {
public:
  /// Queues a command. `mergeable`: a continuous edit (a slider drag) whose undo step merges
  /// with the previous one of the same kind and target, so one drag is one undo step.
  void push(Command command, bool mergeable = false);

  /// Queues the start of a new continuous edit: the next mergeable command starts its own undo
  /// step even if it has the same kind and target as the last one (a second drag).
  void breakMerge();

  /// Applies every queued command to `state`, in order.
  void applyPending(AppState& state);

  /// Applies one command now (for the command line and tests).
  void apply(const Command& command, AppState& state, bool mergeable = false);

  bool canUndo() const { return !undo_.empty(); }
  bool canRedo() const { return !redo_.empty(); }
  /// Labels of the next undo / redo steps ("" when none).
  std::string undoLabel() const;
  std::string redoLabel() const;
  void undo(AppState& state);
  void redo(AppState& state);
  /// Forgets history (a new model was loaded).
  void clearHistory();

  /// Upper bound on remembered undo steps.
  static constexpr std::size_t kMaxHistory = 200;

private:
  /// What an undo step restores: what is shown and the annotations. Documents are small (tens
  /// of points), so whole snapshots are simpler and safer than inverse operations.
  struct Snapshot {
    DisplaySettings display;
    AnnotationDocument document;
  };
  struct Step {
    std::string label;
    std::size_t mergeKey = 0;
    Snapshot before;
    Snapshot after;
  };
  struct Pending {
    std::optional<Command> command; ///< empty: a breakMerge() marker
    bool mergeable = false;
  };
  void closeMerge();
  std::vector<Pending> pending_;
  std::deque<Step> undo_;
  std::vector<Step> redo_;
};

} // namespace fascia::app
