#include "gl_context.h"

#include <GLFW/glfw3.h>

#include "fascia/log.h"

namespace fascia::app {
namespace {

// GLFW reports errors through a callback; keep the last one for the exception message.
std::string& lastGlfwError() {
  static std::string message;
  return message;
}

void onGlfwError(int code, const char* description) {
  lastGlfwError() = description != nullptr ? description : ("GLFW error " + std::to_string(code));
  log::debug("GLFW: " + lastGlfwError());
}

constexpr const char* kXvfbHint =
    "\nWithout a display, run under Xvfb, e.g.:\n"
    "  xvfb-run -s \"-screen 0 1920x1080x24\" fascia ...";

} // namespace

GlWindow::GlWindow(const Options& options) {
  glfwSetErrorCallback(onGlfwError);
  if (glfwInit() != GLFW_TRUE) {
    throw DisplayError("no display: cannot start the window system (" + lastGlfwError() + ")" +
                       kXvfbHint);
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 4);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 1);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE); // required on macOS
#ifndef NDEBUG
  glfwWindowHint(GLFW_OPENGL_DEBUG_CONTEXT, GLFW_TRUE);
#endif
  glfwWindowHint(GLFW_VISIBLE, options.visible ? GLFW_TRUE : GLFW_FALSE);
  glfwWindowHint(GLFW_SAMPLES, options.samples);
  glfwWindowHint(GLFW_STENCIL_BITS, 8); // the section view's caps
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  window_ = glfwCreateWindow(options.width, options.height, options.title.c_str(), nullptr,
                             nullptr);
  if (window_ == nullptr && options.samples > 0) {
    // Some drivers refuse multisampled default framebuffers; try without.
    glfwWindowHint(GLFW_SAMPLES, 0);
    window_ = glfwCreateWindow(options.width, options.height, options.title.c_str(), nullptr,
                               nullptr);
  }
  if (window_ == nullptr) {
    const std::string reason = lastGlfwError();
    glfwTerminate();
    throw DisplayError("cannot create an OpenGL 4.1 core context (" + reason +
                       "); the graphics driver must support OpenGL 4.1" + kXvfbHint);
  }
  glfwMakeContextCurrent(window_);
}

GlWindow::~GlWindow() {
  if (window_ != nullptr) glfwDestroyWindow(window_);
  glfwTerminate();
}

} // namespace fascia::app
