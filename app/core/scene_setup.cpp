#include "scene_setup.h"

#include <memory>

#include "fascia/error.h"
#include "section_view.h"
#include "trigger_view.h"

#include <glm/geometric.hpp>

namespace fascia::app {

void applyViewOptions(const CommandLine& options, AppState& state) {
  state.viewport = options.size;
  state.display = DisplaySettings{};
  state.display.peelDepth = options.peelDepth;
  for (const auto& [layer, opacity] : options.layerOpacities) {
    state.display.layers[static_cast<std::size_t>(layerIndex(layer))].opacity = opacity;
  }
  if (state.model) {
    state.display.hidden.assign(state.model->structures.size(), false);
    state.camera = presetCamera(options.view, state.model->bounds(), state.aspect());
    state.display.section = sectionFromOption(options.section, state.model->bounds(),
                                              state.camera);
  }
}

SectionPlane sectionFromOption(const std::optional<SectionOption>& option, const Bounds& bounds,
                               const Camera& camera) {
  if (!option) return defaultSection(bounds);
  if (!option->axis) return sectionForView(bounds, camera);
  float offset = option->offset;
  if (option->point) {
    const glm::vec3 centre = bounds.empty() ? glm::vec3(0.0f) : bounds.centre();
    offset = glm::dot(*option->point - centre, sectionAxisDirection(*option->axis));
  }
  return sectionFacing(*option->axis, bounds, offset, camera);
}

std::optional<std::string> loadLibraryInto(AppState& state) {
  try {
    state.points.library =
        std::make_shared<const TriggerPointLibrary>(loadTriggerPointLibrary(defaultLibraryPath()));
    return std::nullopt;
  } catch (const std::exception& error) {
    state.points.library = nullptr;
    return std::string(error.what());
  }
}

void applyTriggerPointOptions(const CommandLine& options, AppState& state) {
  if (!options.annotationsPath.empty()) {
    AnnotationDocument document = readAnnotations(options.annotationsPath);
    state.points.saved = document;
    state.points.document = std::move(document);
    state.points.path = options.annotationsPath;
    state.points.revision += 1;
  }
  if (!options.showReferral.empty()) {
    const auto point = findPointByLabel(state, options.showReferral);
    if (!point) {
      throw InputError("--show-referral",
                       "no trigger point labelled '" + options.showReferral +
                           "' in the annotations or the library (see --list-trigger-points)");
    }
    state.points.selected = point;
    // A handout of a library point shows where the point is as well as where it hurts.
    if (point->source == PointRef::Source::Library) state.points.libraryShown.insert(point->id);
  }
}

} // namespace fascia::app
