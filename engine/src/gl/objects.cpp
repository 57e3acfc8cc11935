#include "gl/objects.h"

namespace fascia::gl {
namespace {

// Every glGen* entry point has the same shape: make one name, wrap it.
template <typename Owner>
Owner generate(void(GLAPIENTRYP generator)(GLsizei, GLuint*)) {
  GLuint name = 0;
  generator(1, &name);
  return Owner(name);
}

} // namespace

Buffer Buffer::create() { return generate<Buffer>(glGenBuffers); }
VertexArray VertexArray::create() { return generate<VertexArray>(glGenVertexArrays); }
Texture Texture::create() { return generate<Texture>(glGenTextures); }
Renderbuffer Renderbuffer::create() { return generate<Renderbuffer>(glGenRenderbuffers); }
Framebuffer Framebuffer::create() { return generate<Framebuffer>(glGenFramebuffers); }
Query Query::create() { return generate<Query>(glGenQueries); }

void Renderbuffer::allocate(GLenum format, int width, int height, int samples) {
  glBindRenderbuffer(GL_RENDERBUFFER, name());
  if (samples > 0) {
    glRenderbufferStorageMultisample(GL_RENDERBUFFER, samples, format, width, height);
  } else {
    glRenderbufferStorage(GL_RENDERBUFFER, format, width, height);
  }
  glBindRenderbuffer(GL_RENDERBUFFER, 0);
}

} // namespace fascia::gl
