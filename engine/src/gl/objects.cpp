#include "gl/objects.h"

namespace fascia::gl {

Buffer Buffer::create() {
  GLuint name = 0;
  glGenBuffers(1, &name);
  return Buffer(name);
}

VertexArray VertexArray::create() {
  GLuint name = 0;
  glGenVertexArrays(1, &name);
  return VertexArray(name);
}

Texture Texture::create() {
  GLuint name = 0;
  glGenTextures(1, &name);
  return Texture(name);
}

Renderbuffer Renderbuffer::create() {
  GLuint name = 0;
  glGenRenderbuffers(1, &name);
  return Renderbuffer(name);
}

void Renderbuffer::allocate(GLenum format, int width, int height, int samples) {
  glBindRenderbuffer(GL_RENDERBUFFER, name());
  if (samples > 0) {
    glRenderbufferStorageMultisample(GL_RENDERBUFFER, samples, format, width, height);
  } else {
    glRenderbufferStorage(GL_RENDERBUFFER, format, width, height);
  }
  glBindRenderbuffer(GL_RENDERBUFFER, 0);
}

Framebuffer Framebuffer::create() {
  GLuint name = 0;
  glGenFramebuffers(1, &name);
  return Framebuffer(name);
}

Query Query::create() {
  GLuint name = 0;
  glGenQueries(1, &name);
  return Query(name);
}

} // namespace fascia::gl
