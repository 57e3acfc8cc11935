#include "commands.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include <glm/geometric.hpp>

#include "section_view.h"
#include "uncover.h"

namespace fascia::app {
namespace {

constexpr float kTransitionSeconds = 0.45f;
constexpr float kFocusPointRadius = 0.09f; // metres

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};

bool isUndoable(const Command& command) {
  return std::holds_alternative<cmd::SetPeelDepth>(command) ||
         std::holds_alternative<cmd::SetLayerVisible>(command) ||
         std::holds_alternative<cmd::SetLayerOpacity>(command) ||
         std::holds_alternative<cmd::SetStructureHidden>(command) ||
         std::holds_alternative<cmd::IsolateStructure>(command) ||
         std::holds_alternative<cmd::UncoverStructure>(command) ||
         std::holds_alternative<cmd::ShowAll>(command) ||
         std::holds_alternative<cmd::ResetLayers>(command) ||
         std::holds_alternative<cmd::AddTriggerPoint>(command) ||
         std::holds_alternative<cmd::UpdateTriggerPoint>(command) ||
         std::holds_alternative<cmd::DeleteTriggerPoint>(command) ||
         std::holds_alternative<cmd::SetSection>(command);
}

// Hash of a string, for merge keys (a drag or typing in one point's field is one step).
std::size_t hashOf(const std::string& text) { return std::hash<std::string>{}(text); }

// Identifies "the same control": kind of command plus its target.
std::size_t mergeKeyOf(const Command& command) {
  const std::size_t kind = command.index() + 1;
  const std::size_t target = std::visit(
      Overloaded{[](const cmd::SetLayerVisible& c) { return std::size_t(layerIndex(c.layer)); },
                 [](const cmd::SetLayerOpacity& c) { return std::size_t(layerIndex(c.layer)); },
                 [](const cmd::SetStructureHidden& c) { return std::size_t(c.structure); },
                 [](const cmd::UpdateTriggerPoint& c) { return hashOf(c.point.id); },
                 [](const auto&) { return std::size_t(0); }},
      command);
  return kind * 1000003u + target;
}

std::string structureLabel(const AppState& state, std::uint32_t structure) {
  if (state.model == nullptr || structure >= state.model->structures.size()) return "structure";
  return state.model->structures[structure].info.label();
}

void startTransition(AppState& state, const Camera& goal) {
  state.transition.from = state.camera;
  state.transition.to = goal;
  state.transition.elapsed = 0.0f;
  state.transition.duration = kTransitionSeconds;
}

// The camera a transition is heading to, or the current one.
Camera currentGoal(const AppState& state) {
  return state.transition.active() ? state.transition.to : state.camera;
}

void stopTransition(AppState& state) { state.transition.duration = 0.0f; }

void resizeHidden(AppState& state) {
  const std::size_t count = state.model ? state.model->structures.size() : 0;
  state.display.hidden.resize(count, false);
}

TriggerPoint* findPoint(AppState& state, const std::string& id) {
  for (TriggerPoint& point : state.points.document.points) {
    if (point.id == id) return &point;
  }
  return nullptr;
}

// A selection or hover of a patient point that no longer exists is dropped.
void forgetMissingPoints(AppState& state) {
  TriggerPointState& points = state.points;
  const auto missing = [&](const std::optional<PointRef>& ref) {
    return ref && ref->source == PointRef::Source::Annotation &&
           findPoint(state, ref->id) == nullptr;
  };
  if (missing(points.selected)) points.selected.reset();
  if (missing(points.hovered)) points.hovered.reset();
}

void execute(const Command& command, AppState& state) {
  std::visit(
      Overloaded{
          [&](const cmd::SetPeelDepth& c) {
            state.display.peelDepth = std::clamp(c.depth, 0.0f, static_cast<float>(kLayerCount));
          },
          [&](const cmd::SetLayerVisible& c) {
            state.display.layers[static_cast<std::size_t>(layerIndex(c.layer))].visible = c.visible;
          },
          [&](const cmd::SetLayerOpacity& c) {
            state.display.layers[static_cast<std::size_t>(layerIndex(c.layer))].opacity =
                std::clamp(c.opacity, 0.0f, 1.0f);
          },
          [&](const cmd::SetStructureHidden& c) {
            resizeHidden(state);
            if (c.structure < state.display.hidden.size()) {
              state.display.hidden[c.structure] = c.hidden;
            }
          },
          [&](const cmd::IsolateStructure& c) {
            resizeHidden(state);
            if (c.structure >= state.display.hidden.size()) return;
            std::fill(state.display.hidden.begin(), state.display.hidden.end(), true);
            state.display.hidden[c.structure] = false;
            // Isolating something the peel or a layer switch hides would show nothing.
            const Layer layer = state.model->structures[c.structure].info.layer;
            auto& settings = state.display.layers[static_cast<std::size_t>(layerIndex(layer))];
            settings.visible = true;
            settings.opacity = std::max(settings.opacity, 0.2f);
            state.display.peelDepth =
                std::min(state.display.peelDepth, static_cast<float>(layerIndex(layer)));
          },
          [&](const cmd::UncoverStructure& c) { uncover(state, c.structure); },
          [&](const cmd::ShowAll&) {
            std::fill(state.display.hidden.begin(), state.display.hidden.end(), false);
          },
          [&](const cmd::ResetLayers&) {
            state.display.layers = {};
            state.display.peelDepth = 0.0f;
          },
          [&](const cmd::Select& c) { state.display.selected = c.structure; },
          [&](const cmd::Hover& c) { state.display.hovered = c.structure; },
          [&](const cmd::ViewPresetCmd& c) {
            if (state.model == nullptr) return;
            const Camera goal = presetCamera(c.preset, state.model->bounds(), state.freeAspect());
            if (c.animate) {
              startTransition(state, goal);
            } else {
              stopTransition(state);
              state.camera = goal;
            }
          },
          [&](const cmd::FrameAll&) {
            if (state.model == nullptr) return;
            Camera goal = currentGoal(state);
            goal.frame(state.model->bounds(), state.freeAspect());
            startTransition(state, goal);
          },
          [&](const cmd::FocusSelection&) {
            if (state.model == nullptr || !state.display.selected) return;
            const std::uint32_t index = *state.display.selected;
            if (index >= state.model->structures.size()) return;
            Camera goal = currentGoal(state);
            goal.frame(state.model->structures[index].mesh.bounds(), state.freeAspect());
            startTransition(state, goal);
          },
          [&](const cmd::FocusPoint& c) {
            if (state.model == nullptr) return;
            // About a hand's breadth around the point: the muscle and its neighbours.
            Bounds around;
            around.extend(c.position - glm::vec3(kFocusPointRadius));
            around.extend(c.position + glm::vec3(kFocusPointRadius));
            Camera goal = currentGoal(state);
            goal.frame(around, state.freeAspect());
            startTransition(state, goal);
          },
          [&](const cmd::Orbit& c) {
            stopTransition(state);
            state.camera.orbit(c.deltaYaw, c.deltaPitch);
          },
          [&](const cmd::Pan& c) {
            stopTransition(state);
            state.camera.pan(c.dxFraction, c.dyFraction);
          },
          [&](const cmd::Zoom& c) {
            stopTransition(state);
            state.camera.zoom(c.factor);
          },
          [&](const cmd::ReplaceModel& c) {
            state.model = c.model;
            state.technique = TechniqueSession{}; // its contact and muscle were on the old model
            state.bvh = nullptr;
            state.display = DisplaySettings{};
            resizeHidden(state);
            stopTransition(state);
            if (state.model) {
              state.display.section = defaultSection(state.model->bounds());
              state.camera =
                  presetCamera(ViewPreset::Posterior, state.model->bounds(), state.freeAspect());
              state.camera.lensShift = state.freeLensShift();
            }
          },
          [&](const cmd::SetBvh& c) {
            // A BVH finished for a model that has since been replaced is dropped.
            if (c.forModel == state.model) state.bvh = c.bvh;
          },
          [&](const cmd::AddTriggerPoint& c) {
            if (findPoint(state, c.point.id) != nullptr) return;
            state.points.document.points.push_back(c.point);
            state.points.selected = PointRef{PointRef::Source::Annotation, c.point.id};
            state.points.revision += 1;
          },
          [&](const cmd::UpdateTriggerPoint& c) {
            TriggerPoint* point = findPoint(state, c.point.id);
            if (point == nullptr || *point == c.point) return;
            *point = c.point;
            state.points.revision += 1;
          },
          [&](const cmd::DeleteTriggerPoint& c) {
            auto& list = state.points.document.points;
            const auto erased = std::erase_if(list, [&](const TriggerPoint& p) { return p.id == c.id; });
            if (erased == 0) return;
            state.points.revision += 1;
            forgetMissingPoints(state);
          },
          [&](const cmd::SelectTriggerPoint& c) { state.points.selected = c.point; },
          [&](const cmd::HoverTriggerPoint& c) { state.points.hovered = c.point; },
          [&](const cmd::ShowLibraryPoints& c) {
            for (const std::string& id : c.ids) {
              if (c.shown) {
                state.points.libraryShown.insert(id);
              } else {
                state.points.libraryShown.erase(id);
              }
            }
          },
          [&](const cmd::SetTool& c) { state.tool = c.tool; },
          [&](const cmd::ReplaceAnnotations& c) {
            state.points.document = c.document;
            state.points.saved = c.saved;
            state.points.path = c.path;
            state.points.revision += 1;
            forgetMissingPoints(state);
          },
          [&](const cmd::ChooseTechnique& c) {
            TechniqueSession probe;
            probe.preset = c.name;
            if (c.name.empty() || presetOf(probe) != nullptr) {
              state.technique = startTechnique(c.name, state.model.get(), state.technique);
            }
          },
          [&](const cmd::SetTechniqueParams& c) {
            // The contact is set by PlaceTechnique only, so a slider never moves the tool.
            TechniqueParams params = c.params;
            params.point = state.technique.params.point;
            params.direction = state.technique.params.direction;
            state.technique.params = params;
          },
          [&](const cmd::PlaceTechnique& c) {
            state.technique.params.point = c.contact.point;
            state.technique.params.direction = c.contact.direction;
            state.technique.params.axis = acrossAxis(c.contact.direction);
            state.technique.placed = true;
            state.technique.placedOn = c.placedOn;
          },
          [&](const cmd::SetTechniqueTransport& c) {
            TechniqueSession& session = state.technique;
            const TechniquePreset* preset = presetOf(session);
            const double duration = preset != nullptr ? preset->durationS : 0.0;
            session.time = std::isfinite(c.time) ? std::clamp(c.time, 0.0, duration) : 0.0;
            session.playing = c.playing && preset != nullptr;
            session.speed = std::isfinite(c.speed) ? std::clamp(c.speed, 0.05f, 8.0f) : 1.0f;
            session.loop = c.loop;
          },
          [&](const cmd::AdvanceTechnique& c) { advanceTechnique(state.technique, c.dt); },
          [&](const cmd::MarkAnnotationsSaved& c) {
            state.points.saved = state.points.document;
            state.points.path = c.path;
          },
          [&](const cmd::SetSection& c) {
            const glm::vec3 p = c.plane.point;
            const glm::vec3 n = c.plane.normal;
            const float length = glm::length(n);
            if (!std::isfinite(p.x + p.y + p.z) || !std::isfinite(length) || length < 1e-6f) {
              return;
            }
            state.display.section = c.plane;
            state.display.section.normal = n / length;
          },
      },
      command);
}

std::string pointLabel(const AppState& state, const std::string& id) {
  for (const TriggerPoint& point : state.points.document.points) {
    if (point.id == id) return point.label.empty() ? std::string("trigger point") : point.label;
  }
  return "trigger point";
}

} // namespace

std::string describe(const Command& command, const AppState& state) {
  return std::visit(
      Overloaded{
          [](const cmd::SetPeelDepth&) { return std::string("Peel layers"); },
          [](const cmd::SetLayerVisible& c) {
            return std::string(c.visible ? "Show " : "Hide ") +
                   std::string(layerDisplayName(c.layer));
          },
          [](const cmd::SetLayerOpacity& c) {
            return std::string(layerDisplayName(c.layer)) + " opacity";
          },
          [&](const cmd::SetStructureHidden& c) {
            return std::string(c.hidden ? "Hide " : "Show ") + structureLabel(state, c.structure);
          },
          [&](const cmd::IsolateStructure& c) {
            return "Isolate " + structureLabel(state, c.structure);
          },
          [&](const cmd::UncoverStructure& c) {
            return "Uncover " + structureLabel(state, c.structure);
          },
          [](const cmd::ShowAll&) { return std::string("Show all"); },
          [](const cmd::ResetLayers&) { return std::string("Reset layers"); },
          [](const cmd::Select&) { return std::string("Select"); },
          [](const cmd::Hover&) { return std::string("Hover"); },
          [](const cmd::ViewPresetCmd& c) {
            return "View " + std::string(viewPresetId(c.preset));
          },
          [](const cmd::FrameAll&) { return std::string("Frame all"); },
          [](const cmd::FocusSelection&) { return std::string("Focus selection"); },
          [](const cmd::FocusPoint&) { return std::string("Focus trigger point"); },
          [](const cmd::Orbit&) { return std::string("Orbit"); },
          [](const cmd::Pan&) { return std::string("Pan"); },
          [](const cmd::Zoom&) { return std::string("Zoom"); },
          [](const cmd::ReplaceModel&) { return std::string("Open model"); },
          [](const cmd::SetBvh&) { return std::string("Picking ready"); },
          [](const cmd::AddTriggerPoint& c) {
            return "Add " + (c.point.label.empty() ? std::string("trigger point") : c.point.label);
          },
          [&](const cmd::UpdateTriggerPoint& c) { return "Edit " + pointLabel(state, c.point.id); },
          [&](const cmd::DeleteTriggerPoint& c) { return "Delete " + pointLabel(state, c.id); },
          [](const cmd::SelectTriggerPoint&) { return std::string("Select trigger point"); },
          [](const cmd::HoverTriggerPoint&) { return std::string("Hover trigger point"); },
          [](const cmd::ShowLibraryPoints& c) {
            return std::string(c.shown ? "Show" : "Hide") + " library points";
          },
          [](const cmd::SetTool&) { return std::string("Tool"); },
          [](const cmd::ReplaceAnnotations&) { return std::string("Open annotations"); },
          [](const cmd::MarkAnnotationsSaved&) { return std::string("Save annotations"); },
          [&](const cmd::SetSection& c) {
            if (c.plane.enabled == state.display.section.enabled) {
              return std::string("Move section");
            }
            return std::string(c.plane.enabled ? "Section view on" : "Section view off");
          },
          [](const cmd::ChooseTechnique& c) {
            return c.name.empty() ? std::string("No technique") : "Technique " + c.name;
          },
          [](const cmd::SetTechniqueParams&) { return std::string("Technique settings"); },
          [](const cmd::PlaceTechnique&) { return std::string("Place tool"); },
          [](const cmd::SetTechniqueTransport&) { return std::string("Technique playback"); },
          [](const cmd::AdvanceTechnique&) { return std::string("Play technique"); },
      },
      command);
}

void CommandQueue::push(Command command, bool mergeable) {
  pending_.push_back(Pending{std::move(command), mergeable});
}

void CommandQueue::breakMerge() { pending_.push_back(Pending{std::nullopt, false}); }

void CommandQueue::closeMerge() {
  if (!undo_.empty()) undo_.back().mergeKey = 0;
}

void CommandQueue::applyPending(AppState& state) {
  // Commands may not push while applying, but take the list first to be safe.
  auto pending = std::move(pending_);
  pending_.clear();
  for (const Pending& entry : pending) {
    if (entry.command) {
      apply(*entry.command, state, entry.mergeable);
    } else {
      closeMerge();
    }
  }
}

void CommandQueue::apply(const Command& command, AppState& state, bool mergeable) {
  if (std::holds_alternative<cmd::ReplaceModel>(command) ||
      std::holds_alternative<cmd::ReplaceAnnotations>(command)) {
    clearHistory();
  }
  if (!isUndoable(command)) {
    execute(command, state);
    return;
  }
  // Labels name what the command acts on, so take it before a deletion removes it.
  std::string label = describe(command, state);
  Snapshot before{state.display, state.points.document};
  execute(command, state);
  Snapshot after{state.display, state.points.document};
  if (before.display == after.display && before.document == after.document) return; // no-op
  const std::size_t key = mergeKeyOf(command);
  if (mergeable && !undo_.empty() && undo_.back().mergeKey == key) {
    undo_.back().after = std::move(after);
  } else {
    undo_.push_back(Step{std::move(label), mergeable ? key : 0, std::move(before), std::move(after)});
    if (undo_.size() > kMaxHistory) undo_.pop_front();
  }
  redo_.clear();
}

std::string CommandQueue::undoLabel() const { return undo_.empty() ? "" : undo_.back().label; }
std::string CommandQueue::redoLabel() const { return redo_.empty() ? "" : redo_.back().label; }

namespace {
// Undo restores what is shown and the annotations, not where the pointer is or what is
// selected (unless the selected point is gone).
void restoreSnapshot(AppState& state, const DisplaySettings& settings,
                     const AnnotationDocument& document) {
  const auto hovered = state.display.hovered;
  const auto selected = state.display.selected;
  state.display = settings;
  state.display.hovered = hovered;
  state.display.selected = selected;
  if (!(state.points.document == document)) {
    state.points.document = document;
    state.points.revision += 1;
    forgetMissingPoints(state);
  }
}
} // namespace

void CommandQueue::undo(AppState& state) {
  if (undo_.empty()) return;
  Step step = std::move(undo_.back());
  undo_.pop_back();
  restoreSnapshot(state, step.before.display, step.before.document);
  step.mergeKey = 0;
  redo_.push_back(std::move(step));
  // A drag after an undo is a new step, never a continuation of an older one.
  closeMerge();
}

void CommandQueue::redo(AppState& state) {
  if (redo_.empty()) return;
  Step step = std::move(redo_.back());
  redo_.pop_back();
  restoreSnapshot(state, step.after.display, step.after.document);
  undo_.push_back(std::move(step));
  closeMerge();
}

void CommandQueue::clearHistory() {
  undo_.clear();
  redo_.clear();
}

} // namespace fascia::app
