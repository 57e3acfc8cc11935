#pragma once
/// \file objects.h
/// RAII owners of GL object names: one type per object kind, move-only, each owning exactly one
/// name. A default-constructed object is empty and needs no context; creating or destroying a
/// non-empty one needs the context it was created in to be current.

#include <utility>

#include "gl/gl.h"

namespace fascia::gl {

/// Owns one GL name; `Deleter::destroy(GLuint)` frees it. The base of the typed wrappers below.
template <typename Deleter>
class Object {
public:
  Object() noexcept = default;
  /// Takes ownership of an existing name (0 means empty).
  explicit Object(GLuint name) noexcept : name_(name) {}
  ~Object() { reset(); }
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;
  Object(Object&& other) noexcept : name_(other.release()) {}
  Object& operator=(Object&& other) noexcept {
    if (this != &other) {
      reset();
      name_ = other.release();
    }
    return *this;
  }

  GLuint name() const noexcept { return name_; }
  explicit operator bool() const noexcept { return name_ != 0; }
  /// Gives up ownership without deleting; returns the name.
  GLuint release() noexcept { return std::exchange(name_, 0u); }
  /// Deletes the owned name, if any.
  void reset() noexcept {
    if (name_ != 0) Deleter::destroy(name_);
    name_ = 0;
  }

private:
  GLuint name_ = 0;
};

struct BufferDeleter { static void destroy(GLuint n) { glDeleteBuffers(1, &n); } };
struct VertexArrayDeleter { static void destroy(GLuint n) { glDeleteVertexArrays(1, &n); } };
struct TextureDeleter { static void destroy(GLuint n) { glDeleteTextures(1, &n); } };
struct RenderbufferDeleter { static void destroy(GLuint n) { glDeleteRenderbuffers(1, &n); } };
struct FramebufferDeleter { static void destroy(GLuint n) { glDeleteFramebuffers(1, &n); } };
struct ShaderDeleter { static void destroy(GLuint n) { glDeleteShader(n); } };
struct ProgramDeleter { static void destroy(GLuint n) { glDeleteProgram(n); } };
struct QueryDeleter { static void destroy(GLuint n) { glDeleteQueries(1, &n); } };

/// A buffer object (vertex, index, uniform data).
class Buffer : public Object<BufferDeleter> {
public:
  using Object::Object;
  /// Generates a new buffer name.
  static Buffer create();
};

/// A vertex array object: the vertex layout and bound buffers of one mesh.
class VertexArray : public Object<VertexArrayDeleter> {
public:
  using Object::Object;
  static VertexArray create();
};

/// A texture object.
class Texture : public Object<TextureDeleter> {
public:
  using Object::Object;
  static Texture create();
};

/// A renderbuffer (multisampled colour and depth attachments).
class Renderbuffer : public Object<RenderbufferDeleter> {
public:
  using Object::Object;
  static Renderbuffer create();
  /// Allocates storage, multisampled when samples > 0.
  void allocate(GLenum format, int width, int height, int samples);
};

/// A framebuffer object.
class Framebuffer : public Object<FramebufferDeleter> {
public:
  using Object::Object;
  static Framebuffer create();
};

/// A compiled shader stage.
class Shader : public Object<ShaderDeleter> {
public:
  using Object::Object;
};

/// A linked shader program.
class Program : public Object<ProgramDeleter> {
public:
  using Object::Object;
};

/// A query object (occlusion queries for culling hidden structures).
class Query : public Object<QueryDeleter> {
public:
  using Object::Object;
  static Query create();
};

} // namespace fascia::gl
