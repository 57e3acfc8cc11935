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
};

/// All structures of a model, in model order. Needs a current context to create and destroy.
struct GpuModel {
  std::vector<GpuStructure> structures;

  /// Uploads every structure of `model`.
  static GpuModel upload(const Model& model);
};

} // namespace fascia
