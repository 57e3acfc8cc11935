#pragma once
/// \file renderer.h
/// Draws a model's layers with lighting, per-layer opacity and peeling, hover and selection
/// highlights, into the current framebuffer or off-screen into an Image.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <glm/vec2.hpp>
#include <glm/vec3.hpp>

#include "fascia/camera.h"
#include "fascia/deformation.h"
#include "fascia/display_settings.h"
#include "fascia/heat_spot.h"
#include "fascia/image.h"
#include "fascia/marker.h"
#include "fascia/model.h"
#include "fascia/section.h"
#include "fascia/tool_glyph.h"

namespace fascia {

/// Colours of the frame around the anatomy (sRGB 0..1).
struct FrameStyle {
  glm::vec3 backgroundTop{0.80f, 0.84f, 0.87f};
  glm::vec3 backgroundBottom{0.55f, 0.60f, 0.65f};
  glm::vec3 hoverTint{1.0f, 1.0f, 1.0f};
  glm::vec3 selectionTint{0.10f, 0.75f, 0.80f};
};

/// What the last frame drew.
struct FrameStats {
  std::size_t drawCalls = 0;
  /// Triangles submitted; structures culled by occlusion queries still count here, since
  /// whether the GPU skipped them is not read back.
  std::size_t triangles = 0;
  std::size_t occlusionQueries = 0;
};

/// The renderer. It draws into whatever OpenGL 4.1 core context is current; it never creates
/// one (the app's window and the off-screen screenshot path make their own).
///
/// Transparency: opaque structures are drawn first; then each partly transparent layer, from
/// the innermost to the outermost, gets a depth-only pass followed by a colour pass, so only its
/// nearest surface blends over what lies beneath. Layers nest, so this order is back to front in
/// every view and needs no per-triangle sorting (no popping while orbiting).
class Renderer {
public:
  /// Compiles the shaders in `shaderDir`. Needs a current context.
  /// Throws GraphicsError when a shader is missing or fails to compile.
  explicit Renderer(const std::filesystem::path& shaderDir);
  ~Renderer();
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;
  Renderer(Renderer&&) noexcept;
  Renderer& operator=(Renderer&&) noexcept;

  /// Uploads a model's meshes, replacing the previous model. Needs a current context.
  void setModel(const Model& model);
  bool hasModel() const;

  /// Soft heat spots painted on every structure of `layer` (a referred-pain zone on the skin)
  /// in every following frame; an empty list removes them. At most kMaxHeatSpots are drawn.
  void setHeatSpots(std::vector<HeatSpot> spots, Layer layer = Layer::Skin);

  /// The markers drawn on top of the model in every following frame.
  void setMarkers(std::vector<Marker> markers);

  /// The section plane of every following frame (disabled: nothing is cut). What it removes
  /// is clipped away; where it cuts an opaque closed structure the cut face is filled flat in
  /// that structure's colour, so nested layers show as bands. Partly transparent layers and
  /// open sheets get no filled face. Markers on the removed side are not drawn. Needs a
  /// stencil buffer in the target framebuffer (renderImage has one; the window must ask for
  /// one).
  void setSection(const SectionPlane& section);

  /// Deforms the model by `deformation` (displacement and overlay per vertex, from
  /// Deformer::update for the current model) in every following frame; null returns it to rest.
  /// Pass the result of every update in turn: only the ranges it marks dirty are uploaded (the
  /// first upload after setModel or a reset writes whole structures). A deformation of another
  /// model (a different structure or vertex count) is ignored. Needs a current context.
  void setDeformation(const Deformation* deformation);

  /// The technique's tool, drawn see-through over the model in every following frame; empty
  /// removes it. Needs a current context.
  void setToolGlyph(const std::optional<ToolGlyph>& glyph);

  void setStyle(const FrameStyle& style);
  const FrameStyle& style() const;

  /// Draws one frame into the bound draw framebuffer, which is `viewport` pixels in size.
  void render(const Camera& camera, const DisplaySettings& display, glm::ivec2 viewport);

  /// Renders one frame off-screen at `size` with `samples`-times MSAA (clamped to what the
  /// driver offers) and reads it back, top row first. Throws GraphicsError when the driver
  /// cannot make a framebuffer of that size.
  Image renderImage(const Camera& camera, const DisplaySettings& display, glm::ivec2 size,
                    int samples = 4);

  FrameStats lastFrameStats() const;

  /// Waits until the GPU has finished every frame submitted so far (for timing).
  void finish();

  /// The driver's renderer and version strings, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)".
  std::string driverDescription() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace fascia
