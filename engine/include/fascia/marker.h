#pragma once
/// \file marker.h
/// Markers drawn over the anatomy: trigger points, for now.

#include <glm/vec3.hpp>

namespace fascia {

/// A round marker sitting on a surface. Its size is given in pixels so it stays readable at
/// every zoom. A ghosted marker is drawn faint and see-through on top of everything: a point
/// under layers that are still shown is never lost, and peeling those layers makes it solid.
struct Marker {
  glm::vec3 position{0.0f}; ///< on the surface, world metres
  glm::vec3 normal{0.0f};   ///< outward surface normal (zero when unknown)
  glm::vec3 colour{1.0f};   ///< linear RGB
  float radiusPixels = 8.0f;
  bool selected = false;    ///< drawn larger with a bright ring
  bool hovered = false;     ///< drawn slightly larger
  bool ghosted = false;     ///< covered by a shown surface: faint, drawn over it
};

} // namespace fascia
