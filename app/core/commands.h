#pragma once
/// \file commands.h
/// Every change to the viewer state is a command, applied at one point in the frame. Commands
/// that change what is shown (layers, peeling, hidden structures) are undoable; navigation,
/// hover and selection are not, as in other viewers.

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "fascia/camera.h"
#include "fascia/layer.h"
#include "state.h"

namespace fascia::app {

namespace cmd {
struct SetPeelDepth { float depth; };
struct SetLayerVisible { Layer layer; bool visible; };
struct SetLayerOpacity { Layer layer; float opacity; };
struct SetStructureHidden { std::uint32_t structure; bool hidden; };
/// Hides every structure but this one.
struct IsolateStructure { std::uint32_t structure; };
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
} // namespace cmd

/// Any command.
using Command = std::variant<cmd::SetPeelDepth, cmd::SetLayerVisible, cmd::SetLayerOpacity,
                             cmd::SetStructureHidden, cmd::IsolateStructure, cmd::ShowAll, cmd::ResetLayers,
                             cmd::Select, cmd::Hover, cmd::ViewPresetCmd, cmd::FrameAll,
                             cmd::FocusSelection, cmd::Orbit, cmd::Pan, cmd::Zoom,
                             cmd::ReplaceModel, cmd::SetBvh>;

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
  struct Step {
    std::string label;
    std::size_t mergeKey = 0;
    DisplaySettings before;
    DisplaySettings after;
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
