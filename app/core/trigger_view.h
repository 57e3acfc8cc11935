#pragma once
/// \file trigger_view.h
/// What the view shows of trigger points: where each shown point sits on the current model
/// (markers), and the referred-pain heat map of the selected one on the skin. Derived from the
/// state and cached, so panels and the renderer can ask every frame.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <glm/vec2.hpp>
#include <glm/vec3.hpp>

#include "fascia/heat_spot.h"
#include "fascia/surface.h"
#include "state.h"

namespace fascia::app {

/// A trigger point placed on the current model.
struct PlacedMarker {
  PointRef ref;
  std::string label;
  glm::vec3 position{0.0f};
  glm::vec3 normal{0.0f};
  glm::vec3 colour{1.0f}; ///< linear RGB
};

/// Marker colour for a pain rating 0..10: yellow-green (mild) through orange to red (severe),
/// linear RGB.
glm::vec3 painColour(int pain);

/// Where a trigger point goes for a click at a pixel of the view: the structure under the
/// pointer, except that a click on skin or fascia goes through to the muscle just beneath it
/// (within kMuscleReach along the same ray), as a therapist pressing there means the muscle.
/// Used for marking and for dragging a point. None when the pixel shows no structure.
std::optional<RayHit> pickForTriggerPoint(const AppState& state, glm::vec2 pixel);

/// How far below a clicked skin or fascia surface a muscle is still meant (metres).
inline constexpr float kMuscleReach = 0.06f;

/// Binds a point to a ray hit: structure, side (the structure's, else by the hit's x), anchor
/// and position.
void bindToHit(TriggerPoint& point, const Model& model, const RayHit& hit);

/// Whether a shown surface lies between the eye and a point on the model (more than a few
/// millimetres in front of it): its marker is then drawn ghosted. Uses the BVH when built.
bool isCovered(const AppState& state, glm::vec3 position);

/// Colour of library markers (a calm violet, apart from every pain colour), linear RGB.
glm::vec3 libraryMarkerColour();

/// The referral zone of a point (a patient point's own, or a library point's), or none.
const ReferralZone* referralZoneOf(const AppState& state, const PointRef& ref);

/// Finds a point by label or id, case-insensitively: the patient's annotations first, then the
/// library (whose ids and labels name the side, e.g. "Piriformis 1 (left)").
std::optional<PointRef> findPointByLabel(const AppState& state, std::string_view label);

/// A referral zone as the renderer's heat spots: essential blobs at full strength, spillover
/// at half (the same weights as referralHeat()), at most kMaxHeatSpots, essential first.
std::vector<HeatSpot> heatSpotsOf(const ReferralZone& zone);

/// One dab of the referral-zone brush at a point on the skin: adds a blob of `radius` to the
/// essential or the spillover zone, unless one lies within a third of the radius already (a
/// slow drag must not pile up blobs); with `erase`, removes every blob of either zone whose
/// centre lies within `radius`. Returns whether the zone changed. A zone holds at most
/// kMaxHeatSpots blobs (what the renderer can draw); dabs beyond that are refused.
bool paintReferral(ReferralZone& zone, glm::vec3 at, float radius, bool essential, bool erase);

/// Caches markers and the heat map; call update() once a frame.
class TriggerPointView {
public:
  /// Recomputes what changed since the last call: model, document, shown library points,
  /// selection.
  void update(const AppState& state);

  const std::vector<PlacedMarker>& markers() const { return markers_; }
  /// Ids of patient points whose structure is missing from the model (kept, not drawn).
  const std::vector<std::string>& unplaced() const { return unplaced_; }
  /// The referred-pain zone of the selected point (empty when none is selected or it has none).
  const std::vector<HeatSpot>& heatSpots() const { return heatSpots_; }

  /// Where a library point sits on the model (cached per model), or none when its muscle is
  /// missing or the ray misses it.
  std::optional<SurfacePoint> libraryPlacement(const AppState& state, const std::string& id);

  /// The marker drawn under a pixel of the view (within `radiusPixels`), nearest the eye;
  /// markers in the part the section view removes are not drawn, so not found either.
  std::optional<PointRef> markerAt(const AppState& state, glm::vec2 pixel,
                                   float radiusPixels) const;

  /// Where a marker is on screen (pixels, origin top-left), or none when behind the eye.
  static std::optional<glm::vec2> project(const AppState& state, glm::vec3 position);

private:
  const Model* model_ = nullptr;
  std::uint64_t revision_ = ~std::uint64_t{0};
  std::set<std::string> libraryShown_;
  std::map<std::string, std::optional<SurfacePoint>> libraryPlacements_;
  std::vector<PlacedMarker> markers_;
  std::vector<std::string> unplaced_;
  std::vector<HeatSpot> heatSpots_;
};

} // namespace fascia::app
