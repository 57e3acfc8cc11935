#include "technique_setup.h"

#include <memory>

#include "fascia/bvh.h"
#include "fascia/error.h"
#include "scene_setup.h"
#include "trigger_view.h"
#include "uncover.h"

namespace fascia::app {
namespace {

std::string pixelText(glm::ivec2 pixel) {
  return std::to_string(pixel.x) + "," + std::to_string(pixel.y);
}

} // namespace

void applyTechniqueOptions(const CommandLine& options, AppState& state) {
  if (options.technique.empty() || state.model == nullptr) return;
  TechniqueSession session = startTechnique(options.technique, state.model.get());
  const TechniquePreset& preset = *presetOf(session);
  if (preset.isStretch() && !session.params.muscle) {
    throw InputError("--technique " + options.technique,
                     "the model has no muscle named '" + std::string(preset.defaultMuscle) +
                         "' to stretch (see --list-structures)");
  }
  // A section without a point of its own goes through the contact, so the layers are seen
  // indenting in cross-section; the contact is then found on the whole body, not on what the
  // plane, still where --section first put it, would leave (that could be the inside of the
  // far body wall).
  const bool sectionFollowsContact =
      options.section && !options.section->point && state.display.section.enabled;
  if (options.techniqueAt) {
    const SectionPlane section = state.display.section;
    if (sectionFollowsContact) state.display.section.enabled = false;
    const auto hit = pickPixel(state, glm::vec2(*options.techniqueAt) + glm::vec2(0.5f));
    state.display.section = section;
    if (!hit) {
      throw InputError("--at", "pixel " + pixelText(*options.techniqueAt) +
                                   " is not on the body in this view; pick a pixel on the body");
    }
    const TechniqueContact contact = contactFromHit(*state.model, state.bvh.get(), *hit);
    session.params.point = contact.point;
    session.params.direction = contact.direction;
    session.placed = true;
    session.placedOn = contactLabel(state, *hit);
  } else if (!options.techniqueAtTriggerPoint.empty()) {
    if (state.points.library == nullptr) static_cast<void>(loadLibraryInto(state));
    const auto ref = findPointByLabel(state, options.techniqueAtTriggerPoint);
    const auto contact = ref ? contactForPoint(state, *ref) : std::nullopt;
    if (!contact) {
      throw InputError("--at-trigger-point",
                       "no trigger point labelled '" + options.techniqueAtTriggerPoint +
                           "' lies on this model (see --list-trigger-points)");
    }
    session.params.point = contact->point;
    session.params.direction = contact->direction;
    session.placed = true;
    session.placedOn = options.techniqueAtTriggerPoint;
  }
  if (session.placed) {
    session.params.axis = acrossAxis(session.params.direction);
    if (sectionFollowsContact) state.display.section.point = session.params.point;
  }
  // A stretch's image shows its muscle: what covers it in this view is hidden and, unless
  // --peel says otherwise, the layers above it (or above the fascia sliding on it) are peeled.
  if (preset.isStretch() && session.params.muscle) {
    // Its rays need a BVH; keep the one built here for what else picks.
    if (state.bvh == nullptr) state.bvh = std::make_shared<const Bvh>(*state.model);
    uncover(state, static_cast<std::uint32_t>(*session.params.muscle),
            UncoverKeep{options.peelGiven, !options.layerOpacities.empty()});
  }
  session.params.loadN = options.techniqueLoadN;
  session.params.stiff = options.techniqueStiff;
  session.time = options.techniqueTime.value_or(0.5 * static_cast<double>(preset.durationS));
  state.technique = std::move(session);
}

std::optional<TechniqueContact> contactForPoint(const AppState& state, const PointRef& ref) {
  if (state.model == nullptr) return std::nullopt;
  if (ref.source == PointRef::Source::Library) {
    const LibraryTriggerPoint* point =
        state.points.library != nullptr ? state.points.library->find(ref.id) : nullptr;
    if (point == nullptr) return std::nullopt;
    return contactOnSkin(*state.model, state.bvh.get(), point->position, point->approach);
  }
  const TriggerPoint* point = state.points.document.find(ref.id);
  if (point == nullptr) return std::nullopt;
  // A patient's point has no approach of its own: pressed straight in, as the viewer sees it.
  return contactOnSkin(*state.model, state.bvh.get(), point->position, state.camera.forward());
}

std::string formatTechniqueList() {
  std::string text;
  for (const TechniquePreset& preset : techniquePresets())
    text += std::string(preset.name) + '\n';
  return text;
}

std::string contactLabel(const AppState& state, const RayHit& hit) {
  if (state.model == nullptr || hit.structure >= state.model->structures.size()) return "body";
  return state.model->structures[hit.structure].info.label();
}

} // namespace fascia::app
