#pragma once
/// \file gl_context.h
/// A GLFW window with an OpenGL 4.1 core context: visible for the viewer, hidden for the
/// headless --screenshot mode (which renders into an off-screen framebuffer).

#include <stdexcept>
#include <string>

struct GLFWwindow;

namespace fascia::app {

/// No display, or no OpenGL 4.1 core context could be made. Exit status 1.
class DisplayError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Owns GLFW's global state and one window with its context, made current on construction.
class GlWindow {
public:
  struct Options {
    int width = 1600;
    int height = 1000;
    std::string title = "Fascia Atlas";
    bool visible = true;
    int samples = 4; ///< MSAA samples of the default framebuffer
  };

  /// Throws DisplayError with what GLFW said and how to run under Xvfb.
  explicit GlWindow(const Options& options);
  ~GlWindow();
  GlWindow(const GlWindow&) = delete;
  GlWindow& operator=(const GlWindow&) = delete;

  GLFWwindow* handle() const { return window_; }

private:
  GLFWwindow* window_ = nullptr;
};

} // namespace fascia::app
