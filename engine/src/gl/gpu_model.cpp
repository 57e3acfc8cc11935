#include "gl/gpu_model.h"

#include <cstddef>

namespace fascia {
namespace {

struct Vertex {
  glm::vec3 position;
  glm::vec3 normal;
};

} // namespace

GpuStructure uploadMesh(const MeshData& mesh) {
  std::vector<Vertex> vertices(mesh.positions.size());
  for (std::size_t i = 0; i < vertices.size(); ++i) {
    vertices[i].position = mesh.positions[i];
    vertices[i].normal = i < mesh.normals.size() ? mesh.normals[i] : glm::vec3(0.0f, 1.0f, 0.0f);
  }

  GpuStructure gpu;
  gpu.vertexArray = gl::VertexArray::create();
  gpu.vertices = gl::Buffer::create();
  gpu.indices = gl::Buffer::create();
  gpu.indexCount = static_cast<GLsizei>(mesh.indices.size());
  gpu.vertexCount = static_cast<GLsizei>(mesh.positions.size());
  gpu.bounds = mesh.bounds();
  gpu.orientation = mesh.orientation;
  gpu.occlusion = gl::Query::create();

  glBindVertexArray(gpu.vertexArray.name());
  glBindBuffer(GL_ARRAY_BUFFER, gpu.vertices.name());
  glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(vertices.size() * sizeof(Vertex)),
               vertices.data(), GL_STATIC_DRAW);
  glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, gpu.indices.name());
  glBufferData(GL_ELEMENT_ARRAY_BUFFER,
               static_cast<GLsizeiptr>(mesh.indices.size() * sizeof(std::uint32_t)),
               mesh.indices.data(), GL_STATIC_DRAW);
  glEnableVertexAttribArray(kPositionAttribute);
  glVertexAttribPointer(kPositionAttribute, 3, GL_FLOAT, GL_FALSE, sizeof(Vertex),
                        reinterpret_cast<const void*>(offsetof(Vertex, position)));
  glEnableVertexAttribArray(kNormalAttribute);
  glVertexAttribPointer(kNormalAttribute, 3, GL_FLOAT, GL_FALSE, sizeof(Vertex),
                        reinterpret_cast<const void*>(offsetof(Vertex, normal)));
  // The deformation and overlay seams stay disabled arrays: the renderer supplies constants.
  glDisableVertexAttribArray(kDisplacementAttribute);
  glDisableVertexAttribArray(kOverlayAttribute);
  glBindVertexArray(0);
  return gpu;
}

namespace {

GpuStructure uploadStructure(const Structure& structure) {
  GpuStructure gpu = uploadMesh(structure.mesh);
  gpu.layer = structure.info.layer;
  gpu.colour = structure.info.colour.value_or(defaultLayerColour(structure.info.layer));
  return gpu;
}

} // namespace

GpuModel GpuModel::upload(const Model& model) {
  GpuModel gpu;
  gpu.structures.reserve(model.structures.size());
  for (const Structure& structure : model.structures) {
    gpu.structures.push_back(uploadStructure(structure));
  }
  return gpu;
}

} // namespace fascia
