#include "gl/debug.h"

#include <string>

#include "fascia/log.h"
#include "gl/gl.h"

namespace fascia::gl {
namespace {

[[maybe_unused]] void GLAPIENTRY onDebugMessage(GLenum /*source*/, GLenum type, GLuint id, GLenum severity,
                               GLsizei length, const GLchar* message, const void* /*user*/) {
  if (severity == GL_DEBUG_SEVERITY_NOTIFICATION) return;
  const std::string text = "GL [" + std::to_string(id) + "] " +
                           std::string(message, static_cast<std::size_t>(length));
  if (type == GL_DEBUG_TYPE_ERROR || severity == GL_DEBUG_SEVERITY_HIGH) {
    log::error(text);
  } else {
    log::debug(text);
  }
}

const char* glString(GLenum name) {
  const GLubyte* value = glGetString(name);
  return value == nullptr ? "unknown" : reinterpret_cast<const char*>(value);
}

} // namespace

bool enableDebugOutput() {
#ifdef NDEBUG
  return false;
#else
  if (!epoxy_has_gl_extension("GL_KHR_debug") && epoxy_gl_version() < 43) return false;
  glEnable(GL_DEBUG_OUTPUT);
  glEnable(GL_DEBUG_OUTPUT_SYNCHRONOUS);
  glDebugMessageCallback(onDebugMessage, nullptr);
  log::debug("GL debug output enabled (KHR_debug)");
  return true;
#endif
}

const char* rendererName() { return glString(GL_RENDERER); }
const char* versionString() { return glString(GL_VERSION); }

} // namespace fascia::gl
