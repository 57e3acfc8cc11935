#pragma once
/// \file frame_caption.h
/// Writes what the window shows over the view into a rendered frame, for handouts made with
/// --screenshot and --frames: the technique's caption (title, phase, time, x N) at the top and
/// the overlay's legend (kPa or sliding %) at the right.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <glm/vec2.hpp>

#include "close_up.h"
#include "fascia/image.h"
#include "state.h"
#include "technique_session.h"

namespace fascia::app {

/// Draws captions with a TrueType font read once.
class FrameCaptioner {
public:
  /// Reads the font. A missing or unreadable font leaves the captioner without text: the
  /// legend's colour bar is still drawn. Throws nothing but std::bad_alloc.
  explicit FrameCaptioner(const std::filesystem::path& font);
  ~FrameCaptioner();
  FrameCaptioner(const FrameCaptioner&) = delete;
  FrameCaptioner& operator=(const FrameCaptioner&) = delete;

  /// Draws the caption and the legend of the state's technique onto `image`; nothing when no
  /// technique is shown.
  void draw(Image& image, const AppState& state, const TechniqueFrames& frames) const;

  /// Pastes `picture` (the square image of `closeUp`, `place.side` pixels) into `image` at
  /// `place` (closeUpPlace()) in a frame, with its title over its top, a scale bar and the
  /// colour `key` of the cut faces above it, and rings `contact` (a pixel of `image`, when it
  /// lies in the image) with a line to the close-up's nearer top corner.
  void drawCloseUp(Image& image, const Image& picture, const CloseUp& closeUp,
                   const CloseUpPlace& place, const std::vector<CloseUpKeyEntry>& key,
                   std::optional<glm::vec2> contact) const;

private:
  struct Font;
  std::unique_ptr<Font> font_;
};


} // namespace fascia::app
