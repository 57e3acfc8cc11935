#pragma once
/// \file debug.h
/// GL error reporting for debug builds.

namespace fascia::gl {

/// In debug builds, routes driver messages (errors, undefined behaviour, performance warnings)
/// to the log through KHR_debug when the context has it (macOS's GL 4.1 does not). Returns
/// whether debug output was enabled. Needs a current context. Does nothing in release builds.
bool enableDebugOutput();

/// The GL_RENDERER and GL_VERSION strings, for logs and the status bar.
const char* rendererName();
const char* versionString();

} // namespace fascia::gl
