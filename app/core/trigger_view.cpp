#include "trigger_view.h"

#include <algorithm>
#include <cctype>

#include <glm/glm.hpp>

namespace fascia::app {
namespace {

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

const LibraryTriggerPoint* libraryPoint(const AppState& state, const std::string& id) {
  if (state.points.library == nullptr) return nullptr;
  for (const LibraryTriggerPoint& point : state.points.library->points) {
    if (point.id == id) return &point;
  }
  return nullptr;
}

} // namespace

glm::vec3 painColour(int pain) {
  const float t = static_cast<float>(std::clamp(pain, 0, 10)) / 10.0f;
  const glm::vec3 mild{0.45f, 0.80f, 0.15f};
  const glm::vec3 moderate{1.00f, 0.45f, 0.02f};
  const glm::vec3 severe{0.75f, 0.02f, 0.02f};
  return t < 0.5f ? glm::mix(mild, moderate, t * 2.0f) : glm::mix(moderate, severe, t * 2.0f - 1.0f);
}

std::optional<RayHit> pickForTriggerPoint(const AppState& state, glm::vec2 pixel) {
  auto hit = pickPixel(state, pixel);
  if (!hit) return hit;
  const Model& model = *state.model;
  const Layer layer = model.structures[hit->structure].info.layer;
  if (layer != Layer::Skin && layer != Layer::SuperficialFascia && layer != Layer::DeepFascia) {
    return hit;
  }
  const Ray ray = state.camera.rayThroughPixel(pixel, state.viewport);
  const float rayLength = glm::length(ray.direction);
  const StructureFilter muscles = [&state, &model](std::uint32_t structure) {
    return model.structures[structure].info.layer == Layer::Muscle &&
           !state.display.isHidden(structure);
  };
  const float maxT = hit->t + kMuscleReach / std::max(rayLength, 1e-6f);
  const auto muscle = state.bvh != nullptr ? state.bvh->intersect(ray, muscles, maxT)
                                           : intersectBruteForce(model, ray, muscles, maxT);
  return muscle ? muscle : hit;
}

void bindToHit(TriggerPoint& point, const Model& model, const RayHit& hit) {
  const StructureInfo& info = model.structures[hit.structure].info;
  point.structure = info.name;
  point.side = !info.side.empty() ? info.side : (hit.position.x >= 0.0f ? "left" : "right");
  point.anchor = SurfaceAnchor{hit.triangle, hit.barycentric};
  point.position = hit.position;
}

bool isCovered(const AppState& state, glm::vec3 position) {
  if (state.model == nullptr) return false;
  // A point on a surface is "covered" only by something clearly in front of that surface.
  constexpr float kTolerance = 0.003f; // metres
  const glm::vec3 eye = state.camera.eye();
  const float distance = glm::distance(eye, position);
  if (distance <= kTolerance) return false;
  const Ray ray{eye, (position - eye) / distance};
  // Anything the renderer draws covers (even a layer fading out below the opacity at which
  // it can be picked), or the marker would be drawn solid and hidden behind it.
  constexpr float kDrawnOpacity = 0.004f;
  const StructureFilter shown = [&state](std::uint32_t structure) {
    return state.display.structureOpacity(*state.model, structure) > kDrawnOpacity;
  };
  const float maxT = distance - kTolerance;
  const auto hit = state.bvh != nullptr ? state.bvh->intersect(ray, shown, maxT)
                                        : intersectBruteForce(*state.model, ray, shown, maxT);
  return hit.has_value();
}

glm::vec3 libraryMarkerColour() { return {0.32f, 0.16f, 0.75f}; }

const ReferralZone* referralZoneOf(const AppState& state, const PointRef& ref) {
  if (ref.source == PointRef::Source::Annotation) {
    for (const TriggerPoint& point : state.points.document.points) {
      if (point.id == ref.id) return &point.referral;
    }
    return nullptr;
  }
  const LibraryTriggerPoint* point = libraryPoint(state, ref.id);
  return point != nullptr ? &point->referral : nullptr;
}

std::optional<PointRef> findPointByLabel(const AppState& state, std::string_view label) {
  for (const TriggerPoint& point : state.points.document.points) {
    if (equalsIgnoringCase(point.label, label) || equalsIgnoringCase(point.id, label)) {
      return PointRef{PointRef::Source::Annotation, point.id};
    }
  }
  if (state.points.library != nullptr) {
    if (const LibraryTriggerPoint* point = state.points.library->find(label)) {
      return PointRef{PointRef::Source::Library, point->id};
    }
  }
  return std::nullopt;
}

std::vector<HeatSpot> heatSpotsOf(const ReferralZone& zone) {
  std::vector<HeatSpot> spots;
  for (const ReferralBlob& blob : zone.essential) spots.push_back({blob.centre, blob.radius, 1.0f});
  for (const ReferralBlob& blob : zone.spillover) spots.push_back({blob.centre, blob.radius, 0.5f});
  if (spots.size() > kMaxHeatSpots) spots.resize(kMaxHeatSpots);
  return spots;
}

bool paintReferral(ReferralZone& zone, glm::vec3 at, float radius, bool essential, bool erase) {
  if (!(radius > 0.0f)) return false;
  if (erase) {
    const auto near = [&](const ReferralBlob& blob) {
      return glm::distance(blob.centre, at) < radius;
    };
    const auto erased = std::erase_if(zone.essential, near) + std::erase_if(zone.spillover, near);
    return erased > 0;
  }
  if (zone.essential.size() + zone.spillover.size() >= kMaxHeatSpots) return false;
  auto& blobs = essential ? zone.essential : zone.spillover;
  for (const ReferralBlob& blob : blobs) {
    if (glm::distance(blob.centre, at) < radius / 3.0f) return false;
  }
  blobs.push_back(ReferralBlob{at, radius});
  return true;
}

std::optional<SurfacePoint> TriggerPointView::libraryPlacement(const AppState& state,
                                                               const std::string& id) {
  if (state.model.get() != model_) {
    libraryPlacements_.clear();
    model_ = state.model.get();
    revision_ = ~std::uint64_t{0}; // markers must be placed again too
  }
  if (const auto found = libraryPlacements_.find(id); found != libraryPlacements_.end()) {
    return found->second;
  }
  std::optional<SurfacePoint> placed;
  const LibraryTriggerPoint* point = libraryPoint(state, id);
  if (point != nullptr && state.model != nullptr) {
    if (const auto structure = state.model->find(point->structure)) {
      placed = placeOnStructure(*state.model, static_cast<std::uint32_t>(*structure),
                                point->position, point->approach);
    }
  }
  libraryPlacements_[id] = placed;
  return placed;
}

void TriggerPointView::update(const AppState& state) {
  if (state.model.get() != model_) {
    libraryPlacements_.clear();
    model_ = state.model.get();
    revision_ = ~std::uint64_t{0};
  }
  if (revision_ != state.points.revision || libraryShown_ != state.points.libraryShown) {
    revision_ = state.points.revision;
    libraryShown_ = state.points.libraryShown;
    markers_.clear();
    unplaced_.clear();
    for (const TriggerPoint& point : state.points.document.points) {
      const Placement placement =
          state.model ? placeOnModel(point, *state.model) : Placement{};
      if (!placement.point) {
        unplaced_.push_back(point.id);
        continue;
      }
      markers_.push_back(PlacedMarker{PointRef{PointRef::Source::Annotation, point.id},
                                      point.label, placement.point->position,
                                      placement.point->normal,
                                      point.colour.value_or(painColour(point.pain))});
    }
    for (const std::string& id : libraryShown_) {
      const LibraryTriggerPoint* point = libraryPoint(state, id);
      if (point == nullptr) continue;
      if (const auto placed = libraryPlacement(state, id)) {
        markers_.push_back(PlacedMarker{PointRef{PointRef::Source::Library, id}, point->label,
                                        placed->position, placed->normal, libraryMarkerColour()});
      }
    }
  }

  const ReferralZone* zone =
      state.points.selected ? referralZoneOf(state, *state.points.selected) : nullptr;
  heatSpots_ = zone != nullptr ? heatSpotsOf(*zone) : std::vector<HeatSpot>{};
}

std::optional<glm::vec2> TriggerPointView::project(const AppState& state, glm::vec3 position) {
  return state.camera.pixelOf(position, state.viewport);
}

std::optional<PointRef> TriggerPointView::markerAt(const AppState& state, glm::vec2 pixel,
                                                   float radiusPixels) const {
  std::optional<PointRef> best;
  float bestDepth = 0.0f;
  const glm::vec3 eye = state.camera.eye();
  for (const PlacedMarker& marker : markers_) {
    if (!state.display.section.keeps(marker.position)) continue; // cut away: not drawn
    const auto onScreen = project(state, marker.position);
    if (!onScreen || glm::distance(*onScreen, pixel) > radiusPixels) continue;
    const float depth = glm::distance(eye, marker.position);
    if (!best || depth < bestDepth) {
      best = marker.ref;
      bestDepth = depth;
    }
  }
  return best;
}

} // namespace fascia::app
