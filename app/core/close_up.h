#pragma once
/// \file close_up.h
/// The close-up that --screenshot and --frames add to a pressure technique's image: a cut
/// through the contact point along the press, seen square-on from the side, so the dent in
/// skin, fat, fascia and muscle reads at a glance while the main frame shows the whole body
/// (and keeps --at's pixels meaning what they meant). CPU only.

#include <optional>
#include <string>
#include <vector>

#include <glm/vec2.hpp>

#include "fascia/camera.h"
#include "fascia/model.h"
#include "fascia/section.h"
#include "fascia/tool_glyph.h"

namespace fascia::app {

/// A close-up: the camera, cut and scale of the picture drawn into the frame's corner.
struct CloseUp {
  /// Looks square at the cut, centred a little below the skin under the tool.
  Camera camera;
  /// Through the contact, containing the press direction (and, for a roller, square to its
  /// axis); removes the side the close-up camera is on.
  SectionPlane section;
  /// Metres shown from the top to the bottom of the close-up.
  float viewHeight = 0.0f;
  /// What it shows, for its title: "Cross-section under the thumb".
  std::string title;
};

/// Text height, pixels, of what is drawn into a frame of this height (caption, legend,
/// close-up): a fortieth of it, kept between 11 and 32.
float frameTextPixels(int frameHeight);

/// Where a close-up goes in a frame.
struct CloseUpPlace {
  glm::ivec2 corner{0}; ///< top-left, pixels from the frame's top-left
  int side = 0;         ///< pixels
};

/// The square for a close-up in a frame of `frameSize` pixels: 42% of the frame's smaller side,
/// in the bottom-left corner, or the bottom-right one when the contact (a pixel of the frame)
/// would lie under the bottom-left square or the key strip above it. None when the square would
/// be under 120 pixels, too small for its title and key to be read.
std::optional<CloseUpPlace> closeUpPlace(glm::ivec2 frameSize, std::optional<glm::vec2> contact);

/// One entry of the close-up's colour key: a short word and the linear colour of that layer's
/// cut faces.
struct CloseUpKeyEntry {
  std::string label;
  glm::vec3 colour{0.0f};
};

/// The key for `model`: "skin", "fat", "fascia", "muscle", "bone", in that order, for the layers
/// the model has, each in the colour its first structure's cut face is drawn in.
std::vector<CloseUpKeyEntry> closeUpKey(const Model& model);

/// The close-up of `tool`, looked at from the side of the cut nearer `mainCamera`'s eye (so
/// left stays left where it can). Shows about four tool radii plus 6 cm: a thumb's dent fills
/// it, a foam roller fits in it. Throws std::invalid_argument when the tool's contact is not
/// finite or its direction is zero.
CloseUp closeUpOf(const ToolGlyph& tool, const Camera& mainCamera);

} // namespace fascia::app
