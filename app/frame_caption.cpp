#include "frame_caption.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>

#include <glm/geometric.hpp>

#define STBTT_STATIC
#define STB_TRUETYPE_IMPLEMENTATION
#include <stb_truetype.h>

#include "fascia/load_ramp.h"

namespace fascia::app {

struct FrameCaptioner::Font {
  std::vector<unsigned char> bytes;
  stbtt_fontinfo info{};
};

namespace {

struct Rgb {
  int r, g, b;
};

Rgb toScreen(const glm::vec3& linear) {
  const auto encode = [](float c) {
    return static_cast<int>(std::lround(255.0f * std::pow(std::clamp(c, 0.0f, 1.0f), 1.0f / 2.2f)));
  };
  return {encode(linear.x), encode(linear.y), encode(linear.z)};
}

void blend(Image& image, int x, int y, Rgb colour, float alpha) {
  if (x < 0 || y < 0 || x >= image.width || y >= image.height || alpha <= 0.0f) return;
  const std::size_t i = (static_cast<std::size_t>(y) * static_cast<std::size_t>(image.width) +
                         static_cast<std::size_t>(x)) *
                        4u;
  const int channel[3] = {colour.r, colour.g, colour.b};
  for (std::size_t c = 0; c < 3; ++c) {
    const float old = image.pixels[i + c];
    image.pixels[i + c] = static_cast<std::uint8_t>(
        std::lround(old + (static_cast<float>(channel[c]) - old) * std::min(alpha, 1.0f)));
  }
}

void fillRect(Image& image, int x0, int y0, int x1, int y1, Rgb colour, float alpha) {
  for (int y = std::max(y0, 0); y < std::min(y1, image.height); ++y)
    for (int x = std::max(x0, 0); x < std::min(x1, image.width); ++x)
      blend(image, x, y, colour, alpha);
}

// Width of a line of text at `pixels` height.
int textWidth(const stbtt_fontinfo& font, const std::string& text, float pixels) {
  const float scale = stbtt_ScaleForPixelHeight(&font, pixels);
  float width = 0.0f;
  for (const char c : text) {
    int advance = 0, bearing = 0;
    stbtt_GetCodepointHMetrics(&font, static_cast<unsigned char>(c), &advance, &bearing);
    width += static_cast<float>(advance) * scale;
  }
  return static_cast<int>(std::ceil(width));
}

// Draws ASCII text with its top-left corner at (x, y).
void drawText(Image& image, const stbtt_fontinfo& font, const std::string& text, int x, int y,
              float pixels, Rgb colour) {
  const float scale = stbtt_ScaleForPixelHeight(&font, pixels);
  int ascent = 0, descent = 0, gap = 0;
  stbtt_GetFontVMetrics(&font, &ascent, &descent, &gap);
  const int baseline = y + static_cast<int>(std::lround(static_cast<float>(ascent) * scale));
  float pen = static_cast<float>(x);
  for (const char c : text) {
    const int code = static_cast<unsigned char>(c);
    int advance = 0, bearing = 0;
    stbtt_GetCodepointHMetrics(&font, code, &advance, &bearing);
    int w = 0, h = 0, ox = 0, oy = 0;
    unsigned char* glyph = stbtt_GetCodepointBitmap(&font, scale, scale, code, &w, &h, &ox, &oy);
    if (glyph != nullptr) {
      const int left = static_cast<int>(std::lround(pen)) + ox;
      for (int gy = 0; gy < h; ++gy)
        for (int gx = 0; gx < w; ++gx)
          blend(image, left + gx, baseline + oy + gy, colour,
                static_cast<float>(glyph[gy * w + gx]) / 255.0f);
      stbtt_FreeBitmap(glyph, nullptr);
    }
    pen += static_cast<float>(advance) * scale;
  }
}

// A straight line `width` pixels wide from a to b.
void drawLine(Image& image, glm::vec2 a, glm::vec2 b, Rgb colour, float width) {
  const glm::vec2 d = b - a;
  const int steps = static_cast<int>(std::ceil(std::max(std::abs(d.x), std::abs(d.y)))) + 1;
  const int half = static_cast<int>(std::ceil(0.5f * width));
  for (int i = 0; i <= steps; ++i) {
    const glm::vec2 p = a + d * (static_cast<float>(i) / static_cast<float>(steps));
    fillRect(image, static_cast<int>(p.x) - half + 1, static_cast<int>(p.y) - half + 1,
             static_cast<int>(p.x) + half, static_cast<int>(p.y) + half, colour, 1.0f);
  }
}

// A circle outline of `radius` pixels, `width` pixels thick, anti-aliased.
void drawRing(Image& image, glm::vec2 centre, float radius, float width, Rgb colour) {
  const int reach = static_cast<int>(std::ceil(radius + width));
  for (int y = -reach; y <= reach; ++y)
    for (int x = -reach; x <= reach; ++x) {
      const float r = std::hypot(static_cast<float>(x) + 0.5f, static_cast<float>(y) + 0.5f);
      const float coverage = std::clamp(0.5f * width + 0.5f - std::abs(r - radius), 0.0f, 1.0f);
      blend(image, static_cast<int>(centre.x) + x, static_cast<int>(centre.y) + y, colour,
            coverage);
    }
}

// The longest of 1, 2, 5, 10, 20 cm... that is at most `most` metres.
float niceLength(float most) {
  float best = 0.01f;
  for (float decade = 0.01f; decade <= 10.0f; decade *= 10.0f)
    for (const float step : {1.0f, 2.0f, 5.0f})
      if (step * decade <= most) best = step * decade;
  return best;
}

} // namespace

FrameCaptioner::FrameCaptioner(const std::filesystem::path& font) {
  std::error_code error;
  const auto size = std::filesystem::file_size(font, error);
  std::ifstream in(font, std::ios::binary);
  if (error || !in || size == 0) return;
  auto loaded = std::make_unique<Font>();
  loaded->bytes.resize(size);
  // Read as chars into the byte buffer (same size and alignment).
  in.read(reinterpret_cast<char*>(loaded->bytes.data()), static_cast<std::streamsize>(size));
  if (!in || stbtt_InitFont(&loaded->info, loaded->bytes.data(),
                            stbtt_GetFontOffsetForIndex(loaded->bytes.data(), 0)) == 0) {
    return;
  }
  font_ = std::move(loaded);
}

FrameCaptioner::~FrameCaptioner() = default;

void FrameCaptioner::draw(Image& image, const AppState& state,
                          const TechniqueFrames& frames) const {
  if (presetOf(state.technique) == nullptr || image.width < 64 || image.height < 64) return;
  const Rgb white{255, 255, 255}, panel{20, 24, 30};
  const float textPixels = frameTextPixels(image.height);
  const int pad = static_cast<int>(textPixels * 0.4f);

  if (font_) {
    const std::string caption = techniqueCaption(state, frames);
    // A long caption on a narrow frame is set smaller rather than cut off.
    float captionPixels = textPixels;
    const int room = image.width - 4 * pad;
    const int natural = textWidth(font_->info, caption, captionPixels);
    if (natural > room) captionPixels *= static_cast<float>(room) / static_cast<float>(natural);
    const int width = textWidth(font_->info, caption, captionPixels);
    const int x = std::max((image.width - width) / 2, pad);
    fillRect(image, x - pad, pad, x + width + pad, pad * 3 + static_cast<int>(captionPixels), panel,
             0.7f);
    drawText(image, font_->info, caption, x, pad * 2, captionPixels, white);
  }

  const Deformation* deformation = frames.deformation();
  if (deformation == nullptr || deformation->overlay == OverlayKind::None) return;
  const bool pressure = deformation->overlay == OverlayKind::Pressure;
  const int barHeight = image.height * 2 / 5;
  const int barWidth = std::max(image.width / 60, 8);
  const int labelWidth = font_ ? textWidth(font_->info, "1000 kPa", textPixels) : 0;
  const int right = image.width - pad;
  const int barX = right - labelWidth - pad - barWidth;
  const int top = pad * 8 + static_cast<int>(textPixels) * 3;
  const std::string title = pressure ? "Pressure" : "Sliding";
  fillRect(image, barX - pad, top - pad * 2 - static_cast<int>(textPixels), right + pad / 2,
           top + barHeight + pad + static_cast<int>(textPixels) / 2, panel, 0.7f);
  for (int y = 0; y < barHeight; ++y) {
    const float value = 1.0f - static_cast<float>(y) / static_cast<float>(barHeight - 1);
    fillRect(image, barX, top + y, barX + barWidth, top + y + 1, toScreen(loadRampColour(value)),
             1.0f);
  }
  if (!font_) return;
  drawText(image, font_->info, title, barX, top - pad - static_cast<int>(textPixels), textPixels,
           white);
  for (const float value : {1.0f, 0.5f, 0.0f}) {
    const std::string label = legendLabel(*deformation, value);
    const int y = top + static_cast<int>((1.0f - value) * static_cast<float>(barHeight)) -
                  static_cast<int>(textPixels * 0.5f);
    drawText(image, font_->info, label, barX + barWidth + pad / 2, y, textPixels * 0.85f, white);
  }
}

void FrameCaptioner::drawCloseUp(Image& image, const Image& picture, const CloseUp& closeUp,
                                 const CloseUpPlace& place, const std::vector<CloseUpKeyEntry>& key,
                                 std::optional<glm::vec2> contact) const {
  const int side = place.side;
  const int x0 = place.corner.x, y0 = place.corner.y;
  if (side <= 0 || picture.width != side || picture.height != side || x0 < 0 || y0 < 0 ||
      x0 + side > image.width || y0 + side > image.height) {
    return;
  }
  const Rgb white{255, 255, 255}, panel{20, 24, 30}, ink{250, 250, 250};
  const float textPixels = frameTextPixels(image.height);
  const int pad = static_cast<int>(textPixels * 0.4f);

  // Ring the contact and lead a line from it to the nearer top corner of the close-up first,
  // so the close-up covers the end of the line. A contact outside the frame gets neither.
  const bool contactShown = contact && contact->x >= 0.0f && contact->y >= 0.0f &&
                            contact->x < static_cast<float>(image.width) &&
                            contact->y < static_cast<float>(image.height);
  if (contactShown) {
    const float ring = std::max(textPixels * 0.9f, 8.0f);
    const bool right = contact->x > static_cast<float>(x0) + 0.5f * static_cast<float>(side);
    const glm::vec2 corner(static_cast<float>(right ? x0 + side : x0), static_cast<float>(y0));
    const glm::vec2 toCorner = corner - *contact;
    const float length = glm::length(toCorner);
    if (length > ring) {
      const glm::vec2 from = *contact + toCorner * (ring / length);
      drawLine(image, from, corner, panel, 3.0f);
      drawLine(image, from, corner, ink, 1.0f);
    }
    drawRing(image, *contact, ring, 3.5f, panel);
    drawRing(image, *contact, ring, 1.5f, ink);
  }

  // The close-up in a dark frame.
  const int border = std::max(pad / 2, 2);
  fillRect(image, x0 - border, y0 - border, x0 + side + border, y0 + side + border, panel, 0.85f);
  for (int y = 0; y < side; ++y) {
    const std::size_t from = static_cast<std::size_t>(y) * static_cast<std::size_t>(side) * 4u;
    const std::size_t to = (static_cast<std::size_t>(y0 + y) * static_cast<std::size_t>(image.width) +
                            static_cast<std::size_t>(x0)) *
                           4u;
    std::copy_n(picture.pixels.begin() + static_cast<std::ptrdiff_t>(from), side * 4,
                image.pixels.begin() + static_cast<std::ptrdiff_t>(to));
  }
  if (!font_) return;

  // Title on a strip across the top of the close-up.
  const int strip = static_cast<int>(textPixels) + 2 * pad;
  fillRect(image, x0, y0, x0 + side, y0 + strip, panel, 0.7f);
  float titlePixels = textPixels;
  const int natural = textWidth(font_->info, closeUp.title, titlePixels);
  if (natural > side - 2 * pad)
    titlePixels *= static_cast<float>(side - 2 * pad) / static_cast<float>(natural);
  drawText(image, font_->info, closeUp.title, x0 + pad, y0 + pad, titlePixels, white);

  // The colour key of the cut faces on a strip just above the close-up: swatch, word, swatch...
  if (!key.empty()) {
    float keyPixels = textPixels * 0.85f;
    const auto keyWidth = [&](float pixels) {
      int width = 0;
      for (const CloseUpKeyEntry& entry : key)
        width += static_cast<int>(pixels) + pad / 2 + textWidth(font_->info, entry.label, pixels) +
                 pad;
      return width - pad;
    };
    // Swatches and gaps shrink in whole pixels, so shrink until it fits (a few steps).
    for (int step = 0; step < 4 && keyWidth(keyPixels) > side - 2 * pad; ++step)
      keyPixels *= 0.98f * static_cast<float>(side - 2 * pad) / static_cast<float>(keyWidth(keyPixels));
    const int keyHeight = static_cast<int>(keyPixels) + 2 * pad;
    const int top = y0 - border - keyHeight;
    fillRect(image, x0 - border, top, x0 + side + border, y0 - border, panel, 0.7f);
    int x = x0 + pad;
    const int box = static_cast<int>(keyPixels);
    for (const CloseUpKeyEntry& entry : key) {
      fillRect(image, x - 1, top + pad - 1, x + box + 1, top + pad + box + 1, white, 0.8f);
      fillRect(image, x, top + pad, x + box, top + pad + box, toScreen(entry.colour), 1.0f);
      x += box + pad / 2;
      drawText(image, font_->info, entry.label, x, top + pad, keyPixels, white);
      x += textWidth(font_->info, entry.label, keyPixels) + pad;
    }
  }

  // Scale bar at the bottom right: a round length of about a quarter of the width.
  const float viewHeight = closeUp.viewHeight;
  if (viewHeight <= 0.0f) return;
  const float pixelsPerMetre = static_cast<float>(side) / viewHeight;
  const float metres = niceLength(0.3f * viewHeight);
  const int bar = static_cast<int>(std::lround(metres * pixelsPerMetre));
  char label[32];
  std::snprintf(label, sizeof label, "%.0f cm", metres * 100.0f);
  const float labelPixels = textPixels * 0.85f;
  const int labelWidth = textWidth(font_->info, label, labelPixels);
  const int right = x0 + side - pad, bottom = y0 + side - pad;
  const int barY = bottom - static_cast<int>(labelPixels) - pad;
  fillRect(image, right - std::max(bar, labelWidth) - pad, barY - pad, right + pad / 2,
           bottom + pad / 2, panel, 0.7f);
  fillRect(image, right - bar, barY, right, barY + 3, white, 1.0f);
  fillRect(image, right - bar, barY - 4, right - bar + 2, barY + 3, white, 1.0f);
  fillRect(image, right - 2, barY - 4, right, barY + 3, white, 1.0f);
  drawText(image, font_->info, label, right - labelWidth, barY + pad / 2, labelPixels, white);
}

} // namespace fascia::app
