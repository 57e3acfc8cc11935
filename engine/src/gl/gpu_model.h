#pragma once
/// \file gpu_model.h
/// A model's meshes uploaded to GL buffers: one vertex array per structure.

#include <cstdint>
#include <vector>

#include <glm/vec3.hpp>

#include "fascia/layer.h"
#include "fascia/model.h"
#include "gl/objects.h"

namespace fascia {

/// Vertex attribute locations shared with shaders/mesh.vert.
enum AttributeLocation : GLuint {
  kPositionAttribute = 0,
  kNormalAttribute = 1,
  kDisplacementAttribute = 2, ///< seam: per-vertex deformation, constant 0 when unbound
  kOverlayAttribute = 3,      ///< seam: per-vertex overlay value, constant 0 when unbound
};

/// One structure on the GPU.
struct GpuStructure {
  gl::VertexArray vertexArray;
  gl::Buffer vertices; ///< interleaved position + normal
  gl::Buffer indices;
  GLsizei indexCount = 0;
  Layer layer = Layer::Other;
  SurfaceOrientation orientation = SurfaceOrientation::Open;
  glm::vec3 colour{1.0f}; ///< linear RGB
  /// Rest-pose bounds, for occlusion culling. Deformation (the displacement seam) must grow
  /// them by its largest offset when it is added.
  Bounds bounds;
  /// Occlusion query over `bounds`, reused every frame.
  gl::Query occlusion;

  // Deformation (Renderer::setDeformation). The buffers are made the first time the structure
  // moves and then kept; while they exist they feed attributes 2 and 3.
  GLsizei vertexCount = 0;
  gl::Buffer displacement; ///< vec3 per vertex, metres
  gl::Buffer overlay;      ///< float per vertex, 0..1
  /// The buffers may be stale (after a reset to rest): the next upload writes them whole.
  bool deformationStale = false;
  /// Largest displacement now on the GPU: `bounds` grown by it holds the deformed surface.
  float maxOffset = 0.0f;
  /// Whether the overlay buffer holds values to show.
  bool hasOverlay = false;
};

/// Uploads one mesh as a structure (layer Other, white); for the model's structures and for
/// small helper shapes such as the technique's tool. Needs a current context.
GpuStructure uploadMesh(const MeshData& mesh);

/// All structures of a model, in model order. Needs a current context to create and destroy.
struct GpuModel {
  std::vector<GpuStructure> structures;

  /// Uploads every structure of `model`.
  static GpuModel upload(const Model& model);
};

} // namespace fascia
