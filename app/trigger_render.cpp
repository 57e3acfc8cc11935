#include "trigger_render.h"

#include <vector>

namespace fascia::app {

void syncTriggerPoints(const AppState& state, TriggerPointView& view, Renderer& renderer,
                       float pixelScale) {
  view.update(state);
  renderer.setHeatSpots(view.heatSpots(), Layer::Skin);
  std::vector<Marker> markers;
  markers.reserve(view.markers().size());
  for (const PlacedMarker& placed : view.markers()) {
    Marker marker;
    marker.position = placed.position;
    marker.normal = placed.normal;
    marker.colour = placed.colour;
    marker.radiusPixels = kMarkerRadiusPixels * pixelScale;
    marker.selected = state.points.selected == placed.ref;
    marker.hovered = state.points.hovered == placed.ref;
    marker.ghosted = isCovered(state, placed.position);
    markers.push_back(marker);
  }
  renderer.setMarkers(std::move(markers));
}

} // namespace fascia::app
