#include "fascia/renderer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>

#include <glm/common.hpp>
#include <glm/geometric.hpp>
#include <glm/vector_relational.hpp>

#include "fascia/error.h"
#include "gl/debug.h"
#include "gl/gl.h"
#include "gl/objects.h"
#include "gl/shader.h"
#include "gl/gpu_model.h"

namespace fascia {
namespace {

// Structures at or above this opacity are drawn in the opaque pass.
constexpr float kOpaque = 0.995f;
// Below this nothing is drawn at all.
constexpr float kInvisible = 0.004f;
// How strongly a pressure or sliding overlay tints the structures it covers.
constexpr float kLoadOverlayOpacity = 0.85f;

/// shaders/mesh.{vert,frag} with setters named after what each uniform means.
class MeshProgram {
public:
  MeshProgram() = default;
  explicit MeshProgram(const std::filesystem::path& shaderDir)
      : program_(gl::ShaderProgram::load(shaderDir / "mesh.vert", shaderDir / "mesh.frag")),
        view_(program_.location("uView")),
        viewProjection_(program_.location("uViewProjection")),
        baseColour_(program_.location("uBaseColour")),
        opacity_(program_.location("uOpacity")),
        highlight_(program_.location("uHighlight")),
        overlayOpacity_(program_.location("uOverlayOpacity")),
        heatSpotCount_(program_.location("uHeatSpotCount")),
        heatSpots_(program_.location("uHeatSpots")),
        heatStrengths_(program_.location("uHeatStrengths")),
        clipPlane_(program_.location("uClipPlane")),
        keptHeight_(program_.location("uKeptHeight")) {}

  void use() const { program_.use(); }
  void setCamera(const glm::mat4& view, const glm::mat4& viewProjection) const {
    program_.set(view_, view);
    program_.set(viewProjection_, viewProjection);
  }
  void setBaseColour(const glm::vec3& linearRgb) const { program_.set(baseColour_, linearRgb); }
  void setOpacity(float opacity) const { program_.set(opacity_, opacity); }
  void setHighlight(const glm::vec3& tint, float amount) const {
    program_.set(highlight_, glm::vec4(tint, amount));
  }
  void setOverlayOpacity(float opacity) const { program_.set(overlayOpacity_, opacity); }
  void setHeatSpots(const std::vector<HeatSpot>& spots) const {
    std::vector<glm::vec4> packed;
    std::vector<float> strengths;
    for (const HeatSpot& spot : spots) {
      packed.emplace_back(spot.centre, std::max(spot.radius, 1e-5f));
      strengths.push_back(spot.strength);
    }
    if (!spots.empty()) {
      glUniform4fv(heatSpots_, static_cast<GLsizei>(packed.size()), &packed[0].x);
      glUniform1fv(heatStrengths_, static_cast<GLsizei>(strengths.size()), strengths.data());
    }
  }
  /// How many of the spots set above apply to the next structure (0 for other layers).
  void setHeatSpotCount(int count) const { program_.set(heatSpotCount_, count); }
  /// The range of heights (world y) drawn, gl_ClipDistance[1] and [2]; everything when
  /// `bounds` is empty. Always set before drawing: llvmpipe clips by written clip distances
  /// even while they are disabled.
  void setKeptHeight(const Bounds& bounds) const {
    constexpr float kMargin = 0.001f;
    program_.set(keptHeight_, bounds.empty() ? glm::vec2(-1e9f, 1e9f)
                                             : glm::vec2(bounds.min.y - kMargin,
                                                         bounds.max.y + kMargin));
  }
  /// The section plane as gl_ClipDistance[0] sees it: positive where a point is kept. A
  /// disabled section keeps everything: Mesa's llvmpipe clips by a written clip distance even
  /// while GL_CLIP_DISTANCE0 is disabled.
  void setSection(const SectionPlane& section) const {
    program_.set(clipPlane_, section.enabled ? glm::vec4(-section.normal,
                                                         glm::dot(section.normal, section.point))
                                             : glm::vec4(0.0f, 0.0f, 0.0f, 1.0f));
  }

private:
  gl::ShaderProgram program_;
  GLint view_ = -1;
  GLint viewProjection_ = -1;
  GLint baseColour_ = -1;
  GLint opacity_ = -1;
  GLint highlight_ = -1;
  GLint overlayOpacity_ = -1;
  GLint heatSpotCount_ = -1;
  GLint heatSpots_ = -1;
  GLint heatStrengths_ = -1;
  GLint clipPlane_ = -1;
  GLint keptHeight_ = -1;
};

/// shaders/cap.{vert,frag}: the flat, solid face where the section plane cuts a closed
/// structure (one quad in the plane, masked by the stencil).
class CapProgram {
public:
  CapProgram() = default;
  explicit CapProgram(const std::filesystem::path& shaderDir)
      : program_(gl::ShaderProgram::load(shaderDir / "cap.vert", shaderDir / "cap.frag")),
        viewProjection_(program_.location("uViewProjection")),
        corners_(program_.location("uCorners")),
        colour_(program_.location("uColour")),
        highlight_(program_.location("uHighlight")) {}

  void use() const { program_.use(); }
  void setViewProjection(const glm::mat4& viewProjection) const {
    program_.set(viewProjection_, viewProjection);
  }
  /// The quad's corners in triangle-strip order.
  void setCorners(const std::array<glm::vec3, 4>& corners) const {
    glUniform3fv(corners_, 4, &corners[0].x);
  }
  void setColour(const glm::vec3& linearRgb) const { program_.set(colour_, linearRgb); }
  void setHighlight(const glm::vec3& tint, float amount) const {
    program_.set(highlight_, glm::vec4(tint, amount));
  }

private:
  gl::ShaderProgram program_;
  GLint viewProjection_ = -1;
  GLint corners_ = -1;
  GLint colour_ = -1;
  GLint highlight_ = -1;
};

/// shaders/background.{vert,frag}.
class BackgroundProgram {
public:
  BackgroundProgram() = default;
  explicit BackgroundProgram(const std::filesystem::path& shaderDir)
      : program_(gl::ShaderProgram::load(shaderDir / "background.vert",
                                         shaderDir / "background.frag")),
        top_(program_.location("uTopColour")),
        bottom_(program_.location("uBottomColour")) {}

  void use() const { program_.use(); }
  void setColours(const glm::vec3& top, const glm::vec3& bottom) const {
    program_.set(top_, top);
    program_.set(bottom_, bottom);
  }

private:
  gl::ShaderProgram program_;
  GLint top_ = -1;
  GLint bottom_ = -1;
};

/// shaders/box.{vert,frag}: bounding boxes for occlusion queries.
class BoxProgram {
public:
  BoxProgram() = default;
  explicit BoxProgram(const std::filesystem::path& shaderDir)
      : program_(gl::ShaderProgram::load(shaderDir / "box.vert", shaderDir / "box.frag")),
        viewProjection_(program_.location("uViewProjection")),
        boxMin_(program_.location("uBoxMin")),
        boxMax_(program_.location("uBoxMax")) {}

  void use() const { program_.use(); }
  void setViewProjection(const glm::mat4& viewProjection) const {
    program_.set(viewProjection_, viewProjection);
  }
  void setBox(const Bounds& box) const {
    program_.set(boxMin_, box.min);
    program_.set(boxMax_, box.max);
  }

private:
  gl::ShaderProgram program_;
  GLint viewProjection_ = -1;
  GLint boxMin_ = -1;
  GLint boxMax_ = -1;
};

/// shaders/marker.{vert,frag}: trigger-point beads.
class MarkerProgram {
public:
  MarkerProgram() = default;
  explicit MarkerProgram(const std::filesystem::path& shaderDir)
      : program_(gl::ShaderProgram::load(shaderDir / "marker.vert", shaderDir / "marker.frag")),
        view_(program_.location("uView")),
        viewProjection_(program_.location("uViewProjection")),
        centre_(program_.location("uCentre")),
        radius_(program_.location("uRadius")),
        colour_(program_.location("uColour")),
        ghost_(program_.location("uGhost")),
        ring_(program_.location("uRing")) {}

  void use() const { program_.use(); }
  void setCamera(const glm::mat4& view, const glm::mat4& viewProjection) const {
    program_.set(view_, view);
    program_.set(viewProjection_, viewProjection);
  }
  void setSphere(const glm::vec3& centre, float radius) const {
    program_.set(centre_, centre);
    program_.set(radius_, radius);
  }
  void setColour(const glm::vec3& linearRgb) const { program_.set(colour_, linearRgb); }
  void setGhost(bool ghost) const { program_.set(ghost_, ghost ? 1.0f : 0.0f); }
  void setRing(float amount) const { program_.set(ring_, amount); }

private:
  gl::ShaderProgram program_;
  GLint view_ = -1;
  GLint viewProjection_ = -1;
  GLint centre_ = -1;
  GLint radius_ = -1;
  GLint colour_ = -1;
  GLint ghost_ = -1;
  GLint ring_ = -1;
};

/// A unit sphere (latitude-longitude grid), for markers.
struct UnitSphere {
  gl::VertexArray vertexArray;
  gl::Buffer vertices;
  gl::Buffer indices;
  GLsizei indexCount = 0;

  static UnitSphere create() {
    constexpr int kRings = 12;
    constexpr int kSegments = 20;
    constexpr float kPi = 3.14159265358979f;
    std::vector<glm::vec3> points;
    for (int ring = 0; ring <= kRings; ++ring) {
      const float polar = kPi * static_cast<float>(ring) / kRings;
      for (int segment = 0; segment <= kSegments; ++segment) {
        const float azimuth = 2.0f * kPi * static_cast<float>(segment) / kSegments;
        points.emplace_back(std::sin(polar) * std::cos(azimuth), std::cos(polar),
                            std::sin(polar) * std::sin(azimuth));
      }
    }
    std::vector<std::uint16_t> triangles;
    for (int ring = 0; ring < kRings; ++ring) {
      for (int segment = 0; segment < kSegments; ++segment) {
        const auto a = static_cast<std::uint16_t>(ring * (kSegments + 1) + segment);
        const auto b = static_cast<std::uint16_t>(a + kSegments + 1);
        triangles.insert(triangles.end(), {a, static_cast<std::uint16_t>(a + 1), b,
                                           static_cast<std::uint16_t>(a + 1),
                                           static_cast<std::uint16_t>(b + 1), b});
      }
    }
    UnitSphere sphere;
    sphere.vertexArray = gl::VertexArray::create();
    sphere.vertices = gl::Buffer::create();
    sphere.indices = gl::Buffer::create();
    sphere.indexCount = static_cast<GLsizei>(triangles.size());
    glBindVertexArray(sphere.vertexArray.name());
    glBindBuffer(GL_ARRAY_BUFFER, sphere.vertices.name());
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(points.size() * sizeof(glm::vec3)),
                 points.data(), GL_STATIC_DRAW);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, sphere.indices.name());
    glBufferData(GL_ELEMENT_ARRAY_BUFFER,
                 static_cast<GLsizeiptr>(triangles.size() * sizeof(std::uint16_t)),
                 triangles.data(), GL_STATIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, sizeof(glm::vec3), nullptr);
    glBindVertexArray(0);
    return sphere;
  }
};

/// A unit cube (corners 0..1) as 12 triangles.
struct UnitCube {
  gl::VertexArray vertexArray;
  gl::Buffer vertices;
  gl::Buffer indices;

  static UnitCube create() {
    static constexpr std::array<float, 24> kCorners = {0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0,
                                                       0, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1};
    static constexpr std::array<std::uint8_t, 36> kTriangles = {
        0, 2, 1, 1, 2, 3, 4, 5, 6, 5, 7, 6, 0, 1, 4, 1, 5, 4,
        2, 6, 3, 3, 6, 7, 0, 4, 2, 2, 4, 6, 1, 3, 5, 3, 7, 5};
    UnitCube cube;
    cube.vertexArray = gl::VertexArray::create();
    cube.vertices = gl::Buffer::create();
    cube.indices = gl::Buffer::create();
    glBindVertexArray(cube.vertexArray.name());
    glBindBuffer(GL_ARRAY_BUFFER, cube.vertices.name());
    glBufferData(GL_ARRAY_BUFFER, sizeof(kCorners), kCorners.data(), GL_STATIC_DRAW);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, cube.indices.name());
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, sizeof(kTriangles), kTriangles.data(), GL_STATIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, 3 * sizeof(float), nullptr);
    glBindVertexArray(0);
    return cube;
  }
};

/// A multisampled off-screen target and the single-sample one it resolves into.
struct OffscreenTarget {
  glm::ivec2 size{0};
  int samples = 0;
  gl::Framebuffer multisampled;
  gl::Renderbuffer colour;
  gl::Renderbuffer depth;
  gl::Framebuffer resolved;
  gl::Renderbuffer resolvedColour;

  void ensure(glm::ivec2 wanted, int wantedSamples) {
    if (wanted == size && wantedSamples == samples && multisampled) return;
    size = wanted;
    samples = wantedSamples;
    multisampled = gl::Framebuffer::create();
    colour = gl::Renderbuffer::create();
    depth = gl::Renderbuffer::create();
    colour.allocate(GL_RGBA8, size.x, size.y, samples);
    // Stencil for the section view's caps.
    depth.allocate(GL_DEPTH24_STENCIL8, size.x, size.y, samples);
    glBindFramebuffer(GL_FRAMEBUFFER, multisampled.name());
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, colour.name());
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_STENCIL_ATTACHMENT, GL_RENDERBUFFER,
                              depth.name());
    const GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);

    resolved = gl::Framebuffer::create();
    resolvedColour = gl::Renderbuffer::create();
    resolvedColour.allocate(GL_RGBA8, size.x, size.y, 0);
    glBindFramebuffer(GL_FRAMEBUFFER, resolved.name());
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER,
                              resolvedColour.name());
    const GLenum resolvedStatus = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    if (status != GL_FRAMEBUFFER_COMPLETE || resolvedStatus != GL_FRAMEBUFFER_COMPLETE) {
      *this = OffscreenTarget{};
      throw GraphicsError("the graphics driver cannot make an off-screen image of " +
                          std::to_string(wanted.x) + "x" + std::to_string(wanted.y) +
                          " pixels; try a smaller --size");
    }
  }
};

} // namespace

struct Renderer::Impl {
  MeshProgram meshProgram;
  BackgroundProgram backgroundProgram;
  BoxProgram boxProgram;
  MarkerProgram markerProgram;
  CapProgram capProgram;
  SectionPlane section;
  UnitCube cube;
  UnitSphere sphere;
  std::vector<Marker> markers;
  std::vector<HeatSpot> heatSpots;
  Layer heatLayer = Layer::Skin;
  gl::VertexArray emptyVertexArray; // core profile needs a bound VAO even without attributes
  GpuModel model;
  /// The model's extent at rest: deformed tissue is not drawn beyond its cuts.
  Bounds restBounds;
  bool hasModel = false;
  GpuStructure tool; // the technique's tool; empty when none
  ToolGlyph toolGlyph;
  FrameStyle style;
  FrameStats stats;
  // Two, so a frame and its close-up (two sizes, one after the other in every --frames frame)
  // each keep their buffers instead of reallocating them twice a frame.
  std::array<OffscreenTarget, 2> offscreen;
  std::size_t lastOffscreen = 0;

  OffscreenTarget& offscreenFor(glm::ivec2 size, int samples) {
    std::size_t pick = 1 - lastOffscreen; // the least recently used
    for (std::size_t i = 0; i < offscreen.size(); ++i)
      if (offscreen[i].size == size && offscreen[i].samples == samples && offscreen[i].multisampled)
        pick = i;
    offscreen[pick].ensure(size, samples);
    lastOffscreen = pick;
    return offscreen[pick];
  }

  /// The clip distances of mesh.vert's model draws: the section plane (while it is on) and the
  /// model's own ends. Off for shaders that write none (the occlusion box, the cap quad), for
  /// which enabled distances would be undefined.
  void setModelClipping(bool on) const {
    if (on && section.enabled) {
      glEnable(GL_CLIP_DISTANCE0);
    } else {
      glDisable(GL_CLIP_DISTANCE0);
    }
    for (const GLenum distance : {GL_CLIP_DISTANCE1, GL_CLIP_DISTANCE2}) {
      if (on) {
        glEnable(distance);
      } else {
        glDisable(distance);
      }
    }
  }

  void drawBackground() const {
    glDisable(GL_DEPTH_TEST);
    glDepthMask(GL_FALSE);
    glDisable(GL_BLEND);
    backgroundProgram.use();
    backgroundProgram.setColours(style.backgroundTop, style.backgroundBottom);
    glBindVertexArray(emptyVertexArray.name());
    glDrawArrays(GL_TRIANGLES, 0, 3);
  }

  /// Whether the section plane passes through a structure's bounding box.
  bool isCut(const GpuStructure& gpu) const {
    if (!section.enabled) return false;
    const glm::vec3 centre = gpu.bounds.centre();
    const glm::vec3 half = 0.5f * gpu.bounds.size();
    const float reach = glm::dot(glm::abs(section.normal), half);
    return std::abs(section.distance(centre)) <= reach;
  }

  void drawStructure(std::uint32_t index, const DisplaySettings& display, float opacity) {
    const GpuStructure& gpu = model.structures[index];
    meshProgram.setOverlayOpacity(gpu.hasOverlay ? kLoadOverlayOpacity : 0.0f);
    meshProgram.setBaseColour(gpu.colour);
    meshProgram.setOpacity(opacity);
    meshProgram.setHeatSpotCount(gpu.layer == heatLayer ? static_cast<int>(heatSpots.size()) : 0);
    if (display.selected == index) {
      meshProgram.setHighlight(style.selectionTint, 0.35f);
    } else if (display.hovered == index) {
      meshProgram.setHighlight(style.hoverTint, 0.18f);
    } else {
      meshProgram.setHighlight(glm::vec3(0.0f), 0.0f);
    }
    // The far side of a closed surface is always hidden by its near side: culling it halves
    // the rasterising work, which is most of a frame on a software renderer. Open surfaces
    // (sheets, cut meshes) are drawn from both sides.
    // A structure the section cuts open shows its inside too.
    if (gpu.orientation == SurfaceOrientation::Open || isCut(gpu)) {
      glDisable(GL_CULL_FACE);
    } else {
      glEnable(GL_CULL_FACE);
      glCullFace(gpu.orientation == SurfaceOrientation::Outward ? GL_BACK : GL_FRONT);
    }
    glBindVertexArray(gpu.vertexArray.name());
    glDrawElements(GL_TRIANGLES, gpu.indexCount, GL_UNSIGNED_INT, nullptr);
    stats.drawCalls += 1;
    stats.triangles += static_cast<std::size_t>(gpu.indexCount / 3);
  }

  /// Issues an occlusion query of a structure's bounding box against the depth drawn so far.
  /// Returns false (draw unconditionally) when the eye is inside the box, where a box's faces
  /// would be clipped by the near plane and the query would wrongly report "hidden".
  bool queryVisibility(std::uint32_t index, const glm::vec3& eye, const glm::mat4& viewProjection) {
    const GpuStructure& gpu = model.structures[index];
    // A deformed surface may leave its rest bounds by up to its largest offset.
    const float margin = std::max(0.02f, 0.02f * gpu.bounds.radius()) + gpu.maxOffset;
    Bounds box = gpu.bounds;
    box.min -= glm::vec3(margin);
    box.max += glm::vec3(margin);
    if (glm::all(glm::greaterThanEqual(eye, box.min)) && glm::all(glm::lessThanEqual(eye, box.max))) {
      return false;
    }
    boxProgram.use();
    boxProgram.setViewProjection(viewProjection);
    boxProgram.setBox(box);
    glColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_FALSE);
    glDepthMask(GL_FALSE);
    glDisable(GL_CULL_FACE); // every face of the box counts
    // The box shader writes no clip distance; the whole box counts anyway (conservative: a
    // structure the section cuts is still drawn when any part of its box may show).
    setModelClipping(false);
    glBeginQuery(GL_ANY_SAMPLES_PASSED, gpu.occlusion.name());
    glBindVertexArray(cube.vertexArray.name());
    glDrawElements(GL_TRIANGLES, 36, GL_UNSIGNED_BYTE, nullptr);
    glEndQuery(GL_ANY_SAMPLES_PASSED);
    glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
    glDepthMask(GL_TRUE);
    setModelClipping(true);
    meshProgram.use();
    stats.occlusionQueries += 1;
    return true;
  }

  void drawModel(const Camera& camera, const DisplaySettings& display, glm::ivec2 viewport) {
    const float aspect = static_cast<float>(viewport.x) / static_cast<float>(std::max(viewport.y, 1));
    const glm::mat4 view = camera.view();
    const glm::mat4 viewProjection = camera.projection(aspect) * view;

    meshProgram.use();
    meshProgram.setCamera(view, viewProjection);
    meshProgram.setOverlayOpacity(0.0f);
    meshProgram.setHeatSpots(heatSpots);
    glVertexAttrib3f(kDisplacementAttribute, 0.0f, 0.0f, 0.0f);
    glVertexAttrib1f(kOverlayAttribute, 0.0f);
    meshProgram.setSection(section);
    meshProgram.setKeptHeight(restBounds);
    setModelClipping(true);
    glDisable(GL_CULL_FACE);
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_LESS);

    // Effective opacity per structure, computed once.
    std::vector<float> opacity(model.structures.size());
    for (std::size_t i = 0; i < opacity.size(); ++i) {
      const GpuStructure& gpu = model.structures[i];
      opacity[i] = display.isHidden(static_cast<std::uint32_t>(i))
                       ? 0.0f
                       : display.layerOpacity(gpu.layer);
    }

    // Opaque pass, outer layers first. Once an opaque layer has filled the depth buffer, each
    // deeper structure is drawn only if its bounding box is not hidden behind it (occlusion
    // query with conditional rendering: no read-back, no stall). With the skin shown this skips
    // most of the muscles and bones, the bulk of an anatomy model's triangles.
    glDisable(GL_BLEND);
    glDepthMask(GL_TRUE);
    const glm::vec3 eye = camera.eye();
    bool anyOccluder = false;
    for (const Layer layer : kAllLayers) {
      bool drewLayer = false;
      for (std::size_t i = 0; i < opacity.size(); ++i) {
        if (opacity[i] < kOpaque || model.structures[i].layer != layer) continue;
        const auto index = static_cast<std::uint32_t>(i);
        if (anyOccluder && queryVisibility(index, eye, viewProjection)) {
          glBeginConditionalRender(model.structures[i].occlusion.name(), GL_QUERY_WAIT);
          drawStructure(index, display, 1.0f);
          glEndConditionalRender();
        } else {
          drawStructure(index, display, 1.0f);
        }
        drewLayer = true;
      }
      anyOccluder = anyOccluder || drewLayer;
    }
    drawCaps(viewProjection, display, opacity);

    // Transparent layers, innermost first: depth-only pass, then blend the nearest surface.
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    for (auto layerIt = kAllLayers.rbegin(); layerIt != kAllLayers.rend(); ++layerIt) {
      const Layer layer = *layerIt;
      const auto inLayer = [&](std::size_t i) {
        return model.structures[i].layer == layer && opacity[i] > kInvisible &&
               opacity[i] < kOpaque;
      };
      bool any = false;
      for (std::size_t i = 0; i < opacity.size() && !any; ++i) any = inLayer(i);
      if (!any) continue;

      glColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_FALSE);
      glDepthMask(GL_TRUE);
      glDepthFunc(GL_LESS);
      for (std::size_t i = 0; i < opacity.size(); ++i) {
        if (inLayer(i)) drawStructure(static_cast<std::uint32_t>(i), display, opacity[i]);
      }
      glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
      glDepthMask(GL_FALSE);
      glDepthFunc(GL_LEQUAL);
      for (std::size_t i = 0; i < opacity.size(); ++i) {
        if (inLayer(i)) drawStructure(static_cast<std::uint32_t>(i), display, opacity[i]);
      }
    }
    glDepthMask(GL_TRUE);
    glDepthFunc(GL_LESS);
    glDisable(GL_BLEND);
    glDisable(GL_CULL_FACE);
    setModelClipping(false);
    glBindVertexArray(0);
  }

  /// The rectangle in the section plane that covers a box's shadow on it (so every pixel
  /// where the plane cuts what the box holds), in triangle-strip order. Small quads keep the
  /// cap fill cheap: a software renderer pays for every covered sample.
  std::array<glm::vec3, 4> capQuad(const Bounds& box) const {
    const glm::vec3 n = section.normal;
    const glm::vec3 helper = std::abs(n.x) < 0.9f ? glm::vec3(1, 0, 0) : glm::vec3(0, 1, 0);
    const glm::vec3 u = glm::normalize(glm::cross(n, helper));
    const glm::vec3 v = glm::cross(n, u);
    const glm::vec3 origin = section.point;
    glm::vec2 low(std::numeric_limits<float>::max());
    glm::vec2 high(std::numeric_limits<float>::lowest());
    for (int corner = 0; corner < 8; ++corner) {
      const glm::vec3 p((corner & 1) ? box.max.x : box.min.x, (corner & 2) ? box.max.y : box.min.y,
                        (corner & 4) ? box.max.z : box.min.z);
      const glm::vec2 inPlane(glm::dot(p - origin, u), glm::dot(p - origin, v));
      low = glm::min(low, inPlane);
      high = glm::max(high, inPlane);
    }
    low -= glm::vec2(0.001f); // a millimetre of margin against rounding at the rim
    high += glm::vec2(0.001f);
    return {origin + low.x * u + low.y * v, origin + high.x * u + low.y * v,
            origin + low.x * u + high.y * v, origin + high.x * u + high.y * v};
  }

  /// Section caps, the classic stencil way. For each opaque closed structure the plane cuts:
  /// draw its clipped surface into the stencil only, front faces adding one and back faces
  /// taking one away, with no depth test. Along a pixel's ray the count is then +-1 exactly
  /// where the ray meets the plane inside the structure's volume (the clipped surface has one
  /// crossing too many on one side) and 0 elsewhere. Then one quad in the plane fills the
  /// pixels whose count is not zero with the structure's colour, and zeroes the stencil for
  /// the next structure. Caps are drawn outer layers first with LEQUAL and a depth offset
  /// growing with the layer's depth, so where volumes nest (a bone inside a muscle block) the
  /// inner one's cap lands on top of the outer one's; the bundled model's structures do not
  /// overlap, so there the order is moot.
  /// Open sheets get no cap (they are thin already); neither do partly transparent layers,
  /// whose cut is seen through anyway (their far side shows, since cut structures are drawn
  /// two-sided).
  void drawCaps(const glm::mat4& viewProjection, const DisplaySettings& display,
                const std::vector<float>& opacity) {
    if (!section.enabled) return;
    glEnable(GL_STENCIL_TEST);
    glStencilMask(0xFF);
    glDisable(GL_CULL_FACE);
    for (const Layer layer : kAllLayers) {
      for (std::size_t i = 0; i < opacity.size(); ++i) {
        const GpuStructure& gpu = model.structures[i];
        if (gpu.layer != layer || opacity[i] < kOpaque ||
            gpu.orientation == SurfaceOrientation::Open || !isCut(gpu)) {
          continue;
        }
        meshProgram.use();
        setModelClipping(true);
        glColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_FALSE);
        glDepthMask(GL_FALSE);
        glDisable(GL_DEPTH_TEST);
        glStencilFunc(GL_ALWAYS, 0, 0xFF);
        glStencilOpSeparate(GL_FRONT, GL_KEEP, GL_KEEP, GL_INCR_WRAP);
        glStencilOpSeparate(GL_BACK, GL_KEEP, GL_KEEP, GL_DECR_WRAP);
        glBindVertexArray(gpu.vertexArray.name());
        glDrawElements(GL_TRIANGLES, gpu.indexCount, GL_UNSIGNED_INT, nullptr);

        // The quad lies in the plane (rounding must not clip it) and its shader writes no
        // clip distance.
        setModelClipping(false);
        capProgram.use();
        capProgram.setViewProjection(viewProjection);
        capProgram.setCorners(capQuad(gpu.bounds));
        capProgram.setColour(gpu.colour * kSectionCapShade);
        const auto index = static_cast<std::uint32_t>(i);
        if (display.selected == index) {
          capProgram.setHighlight(style.selectionTint, 0.35f);
        } else if (display.hovered == index) {
          capProgram.setHighlight(style.hoverTint, 0.18f);
        } else {
          capProgram.setHighlight(glm::vec3(0.0f), 0.0f);
        }
        glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
        glDepthMask(GL_TRUE);
        glEnable(GL_DEPTH_TEST);
        glDepthFunc(GL_LEQUAL);
        // Each structure's quad has its own corners, so depths along the one plane differ by
        // rounding; pulling deeper layers' caps forward by a few depth steps makes the inner
        // cap win where volumes nest.
        glEnable(GL_POLYGON_OFFSET_FILL);
        glPolygonOffset(0.0f, -4.0f * static_cast<float>(layerIndex(layer)));
        glStencilFunc(GL_NOTEQUAL, 0, 0xFF);
        glStencilOp(GL_ZERO, GL_ZERO, GL_ZERO);
        glBindVertexArray(emptyVertexArray.name());
        glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
        stats.drawCalls += 2;
        stats.triangles += static_cast<std::size_t>(gpu.indexCount / 3) + 2;
      }
    }
    glDisable(GL_STENCIL_TEST);
    glDisable(GL_POLYGON_OFFSET_FILL);
    glPolygonOffset(0.0f, 0.0f);
    glStencilOp(GL_KEEP, GL_KEEP, GL_KEEP);
    glDepthFunc(GL_LESS);
    setModelClipping(true);
    meshProgram.use();
  }

  // ---------------------------------------------------------------------------------------
  // Deformation and the technique's tool

  void uploadDeformation(const Deformation& deformation) {
    if (deformation.structures.size() != model.structures.size()) return;
    const bool showOverlay = deformation.overlay != OverlayKind::None;
    for (std::size_t i = 0; i < model.structures.size(); ++i) {
      GpuStructure& gpu = model.structures[i];
      const StructureDeformation& source = deformation.structures[i];
      const auto count = static_cast<std::size_t>(gpu.vertexCount);
      if (source.displacement.size() != count || source.overlay.size() != count) {
        // Nothing computed for it (the deformer's first update has not run): at rest.
        if (gpu.displacement) resetDeformation(gpu);
        continue;
      }
      // A structure without buffers has been at rest on the GPU all along; while nothing of
      // it changes it needs none.
      if (!gpu.displacement && source.dirty.empty()) continue;
      glBindVertexArray(gpu.vertexArray.name());
      if (!gpu.displacement) {
        gpu.displacement = gl::Buffer::create();
        gpu.overlay = gl::Buffer::create();
        glBindBuffer(GL_ARRAY_BUFFER, gpu.displacement.name());
        glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(count * sizeof(glm::vec3)),
                     source.displacement.data(), GL_DYNAMIC_DRAW);
        glVertexAttribPointer(kDisplacementAttribute, 3, GL_FLOAT, GL_FALSE, sizeof(glm::vec3),
                              nullptr);
        glBindBuffer(GL_ARRAY_BUFFER, gpu.overlay.name());
        glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(count * sizeof(float)),
                     source.overlay.data(), GL_DYNAMIC_DRAW);
        glVertexAttribPointer(kOverlayAttribute, 1, GL_FLOAT, GL_FALSE, sizeof(float), nullptr);
      } else if (gpu.deformationStale) {
        writeRange(gpu, source, VertexRange{0, static_cast<std::uint32_t>(count)});
      } else {
        for (const VertexRange& range : source.dirty) writeRange(gpu, source, range);
      }
      glEnableVertexAttribArray(kDisplacementAttribute);
      glEnableVertexAttribArray(kOverlayAttribute);
      glBindVertexArray(0);
      gpu.deformationStale = false;
      gpu.maxOffset = source.maxOffset;
      gpu.hasOverlay = showOverlay;
    }
  }

  static void writeRange(const GpuStructure& gpu, const StructureDeformation& source,
                         VertexRange range) {
    const std::uint32_t end = std::min(range.end, static_cast<std::uint32_t>(gpu.vertexCount));
    if (range.begin >= end) return;
    const std::size_t begin = range.begin, length = end - range.begin;
    glBindBuffer(GL_ARRAY_BUFFER, gpu.displacement.name());
    glBufferSubData(GL_ARRAY_BUFFER, static_cast<GLintptr>(begin * sizeof(glm::vec3)),
                    static_cast<GLsizeiptr>(length * sizeof(glm::vec3)),
                    source.displacement.data() + begin);
    glBindBuffer(GL_ARRAY_BUFFER, gpu.overlay.name());
    glBufferSubData(GL_ARRAY_BUFFER, static_cast<GLintptr>(begin * sizeof(float)),
                    static_cast<GLsizeiptr>(length * sizeof(float)), source.overlay.data() + begin);
  }

  /// Back to the rest pose: the attributes become constant zeros again. The buffers are kept
  /// but may no longer match the deformer, so the next upload rewrites them whole.
  static void resetDeformation(GpuStructure& gpu) {
    if (gpu.displacement) {
      glBindVertexArray(gpu.vertexArray.name());
      glDisableVertexAttribArray(kDisplacementAttribute);
      glDisableVertexAttribArray(kOverlayAttribute);
      glBindVertexArray(0);
      gpu.deformationStale = true;
    }
    gpu.maxOffset = 0.0f;
    gpu.hasOverlay = false;
  }

  /// The tool after the model, see-through and without writing depth, so the dent it makes and
  /// the overlay under it stay visible.
  void drawTool(const Camera& camera, glm::ivec2 viewport) {
    if (!tool.vertexArray) return;
    const float aspect = static_cast<float>(viewport.x) / static_cast<float>(std::max(viewport.y, 1));
    const glm::mat4 view = camera.view();
    meshProgram.use();
    meshProgram.setCamera(view, camera.projection(aspect) * view);
    meshProgram.setBaseColour(toolGlyph.colour);
    meshProgram.setOpacity(toolGlyph.opacity);
    meshProgram.setHighlight(glm::vec3(0.0f), 0.0f);
    meshProgram.setHeatSpotCount(0);
    meshProgram.setOverlayOpacity(0.0f);
    // The section cuts the body, not the tool: the whole thumb or ball is seen pressing into
    // the cut (and llvmpipe would clip by the plane even with GL_CLIP_DISTANCE0 disabled).
    meshProgram.setSection(SectionPlane{});
    meshProgram.setKeptHeight(Bounds{});
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_LESS);
    glDepthMask(GL_FALSE);
    glEnable(GL_CULL_FACE);
    glCullFace(GL_BACK);
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glBindVertexArray(tool.vertexArray.name());
    glDrawElements(GL_TRIANGLES, tool.indexCount, GL_UNSIGNED_INT, nullptr);
    stats.drawCalls += 1;
    stats.triangles += static_cast<std::size_t>(tool.indexCount / 3);
    glBindVertexArray(0);
    glDepthMask(GL_TRUE);
    glDisable(GL_BLEND);
    glDisable(GL_CULL_FACE);
  }

  /// Markers after the model: solid ones depth-tested (they sit on the visible surface), then
  /// ghosted ones faint and on top (a point under layers still shown stays findable).
  void drawMarkers(const Camera& camera, glm::ivec2 viewport) {
    if (markers.empty()) return;
    const float aspect = static_cast<float>(viewport.x) / static_cast<float>(std::max(viewport.y, 1));
    const glm::mat4 view = camera.view();
    const glm::mat4 viewProjection = camera.projection(aspect) * view;
    // World size of one pixel at unit distance along the view direction.
    const float pixelAtUnitDepth =
        2.0f * std::tan(camera.fovY * 0.5f) / static_cast<float>(std::max(viewport.y, 1));

    markerProgram.use();
    markerProgram.setCamera(view, viewProjection);
    glBindVertexArray(sphere.vertexArray.name());
    glEnable(GL_DEPTH_TEST);
    glEnable(GL_CULL_FACE);
    glCullFace(GL_BACK);
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    for (const bool ghost : {false, true}) {
      if (ghost) {
        glDisable(GL_DEPTH_TEST);
      } else {
        glEnable(GL_DEPTH_TEST);
        glDepthFunc(GL_LESS);
      }
      glDepthMask(ghost ? GL_FALSE : GL_TRUE);
      markerProgram.setGhost(ghost);
      for (const Marker& marker : markers) {
        // A point in the part the section view cuts away is not shown, like its tissue.
        if (marker.ghosted != ghost || !section.keeps(marker.position)) continue;
        const float depth = std::max(-(view * glm::vec4(marker.position, 1.0f)).z, camera.nearPlane());
        const float scale = marker.selected ? 1.45f : (marker.hovered ? 1.2f : 1.0f);
        const float radius = marker.radiusPixels * scale * pixelAtUnitDepth * depth;
        // Lifted off the surface by half its radius so the bead sits on it, not in it.
        const float normalLength = glm::length(marker.normal);
        const glm::vec3 lift =
            normalLength > 1e-6f ? marker.normal * (0.5f * radius / normalLength) : glm::vec3(0.0f);
        markerProgram.setSphere(marker.position + lift, radius);
        markerProgram.setColour(marker.colour);
        markerProgram.setRing(marker.selected ? 1.0f : 0.0f);
        glDrawElements(GL_TRIANGLES, sphere.indexCount, GL_UNSIGNED_SHORT, nullptr);
        stats.drawCalls += 1;
      }
    }
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_LESS);
    glDepthMask(GL_TRUE);
    glDisable(GL_BLEND);
    glDisable(GL_CULL_FACE);
    glBindVertexArray(0);
  }
};

Renderer::Renderer(const std::filesystem::path& shaderDir) : impl_(std::make_unique<Impl>()) {
  gl::enableDebugOutput();
  impl_->meshProgram = MeshProgram(shaderDir);
  impl_->backgroundProgram = BackgroundProgram(shaderDir);
  impl_->boxProgram = BoxProgram(shaderDir);
  impl_->markerProgram = MarkerProgram(shaderDir);
  impl_->capProgram = CapProgram(shaderDir);
  impl_->cube = UnitCube::create();
  impl_->sphere = UnitSphere::create();
  impl_->emptyVertexArray = gl::VertexArray::create();
}

Renderer::~Renderer() = default;
Renderer::Renderer(Renderer&&) noexcept = default;
Renderer& Renderer::operator=(Renderer&&) noexcept = default;

void Renderer::setModel(const Model& model) {
  impl_->model = GpuModel::upload(model);
  impl_->restBounds = model.bounds();
  impl_->hasModel = true;
}

bool Renderer::hasModel() const { return impl_->hasModel; }

void Renderer::setHeatSpots(std::vector<HeatSpot> spots, Layer layer) {
  if (spots.size() > kMaxHeatSpots) spots.resize(kMaxHeatSpots);
  impl_->heatSpots = std::move(spots);
  impl_->heatLayer = layer;
}

void Renderer::setMarkers(std::vector<Marker> markers) { impl_->markers = std::move(markers); }
void Renderer::setSection(const SectionPlane& section) { impl_->section = section; }

void Renderer::setDeformation(const Deformation* deformation) {
  if (deformation != nullptr) {
    impl_->uploadDeformation(*deformation);
  } else {
    for (GpuStructure& gpu : impl_->model.structures) Impl::resetDeformation(gpu);
  }
}

void Renderer::setToolGlyph(const std::optional<ToolGlyph>& glyph) {
  if (!glyph) {
    impl_->tool = GpuStructure{};
    return;
  }
  impl_->toolGlyph = *glyph;
  impl_->tool = uploadMesh(toolGlyphMesh(*glyph));
}
void Renderer::setStyle(const FrameStyle& style) { impl_->style = style; }
const FrameStyle& Renderer::style() const { return impl_->style; }
FrameStats Renderer::lastFrameStats() const { return impl_->stats; }

void Renderer::render(const Camera& camera, const DisplaySettings& display, glm::ivec2 viewport) {
  impl_->stats = {};
  glViewport(0, 0, viewport.x, viewport.y);
  glClearColor(0.0f, 0.0f, 0.0f, 1.0f);
  glClearDepth(1.0);
  glClearStencil(0);
  glDepthMask(GL_TRUE);
  glStencilMask(0xFF);
  glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
  glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT | GL_STENCIL_BUFFER_BIT);
  impl_->drawBackground();
  if (impl_->hasModel && viewport.x > 0 && viewport.y > 0) {
    impl_->drawModel(camera, display, viewport);
    impl_->drawTool(camera, viewport);
    impl_->drawMarkers(camera, viewport);
  }
}

Image Renderer::renderImage(const Camera& camera, const DisplaySettings& display, glm::ivec2 size,
                            int samples) {
  GLint maxSamples = 0;
  glGetIntegerv(GL_MAX_SAMPLES, &maxSamples);
  samples = std::clamp(samples, 0, maxSamples);
  const OffscreenTarget& target = impl_->offscreenFor(size, samples);

  glBindFramebuffer(GL_FRAMEBUFFER, target.multisampled.name());
  glEnable(GL_MULTISAMPLE);
  render(camera, display, size);

  glBindFramebuffer(GL_READ_FRAMEBUFFER, target.multisampled.name());
  glBindFramebuffer(GL_DRAW_FRAMEBUFFER, target.resolved.name());
  glBlitFramebuffer(0, 0, size.x, size.y, 0, 0, size.x, size.y, GL_COLOR_BUFFER_BIT, GL_NEAREST);

  Image image;
  image.width = size.x;
  image.height = size.y;
  image.pixels.resize(static_cast<std::size_t>(size.x) * static_cast<std::size_t>(size.y) * 4u);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, target.resolved.name());
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, size.x, size.y, GL_RGBA, GL_UNSIGNED_BYTE, image.pixels.data());
  glBindFramebuffer(GL_FRAMEBUFFER, 0);

  // GL rows run bottom-up; images top-down.
  const std::size_t rowBytes = static_cast<std::size_t>(size.x) * 4u;
  std::vector<std::uint8_t> row(rowBytes);
  for (int y = 0; y < size.y / 2; ++y) {
    std::uint8_t* top = image.pixels.data() + static_cast<std::size_t>(y) * rowBytes;
    std::uint8_t* bottom = image.pixels.data() + static_cast<std::size_t>(size.y - 1 - y) * rowBytes;
    std::memcpy(row.data(), top, rowBytes);
    std::memcpy(top, bottom, rowBytes);
    std::memcpy(bottom, row.data(), rowBytes);
  }
  // The frame is fully opaque; blending may have left alpha below one.
  for (std::size_t i = 3; i < image.pixels.size(); i += 4) image.pixels[i] = 255;
  return image;
}

void Renderer::finish() { glFinish(); }

std::string Renderer::driverDescription() const {
  return std::string(gl::rendererName()) + ", OpenGL " + gl::versionString();
}

} // namespace fascia
