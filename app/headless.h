#pragma once
/// \file headless.h
/// The modes that run without a window: --screenshot, --pick, --list-structures,
/// --list-trigger-points.

#include <filesystem>

#include "cli.h"

namespace fascia::app {

/// The model the command line names, or the bundled default.
std::filesystem::path modelPathOf(const CommandLine& options);

/// Renders one frame off-screen and writes the PNG. Returns the exit status.
/// Throws InputError (bad model or unwritable output), DisplayError, GraphicsError.
int runScreenshot(const CommandLine& options);

/// Writes a technique as a numbered PNG sequence (--frames DIR). Returns the exit status.
/// Throws InputError (bad model, technique options or output folder), DisplayError,
/// GraphicsError.
int runFrames(const CommandLine& options);

/// Prints one technique name a line (--list-techniques).
int runListTechniques(const CommandLine& options);

/// Prints the name of the structure under the pixel, or "none". Needs no display: picking is a
/// CPU ray cast through the same camera the screenshot uses. Throws InputError.
int runPick(const CommandLine& options);

/// Prints the built-in trigger-point library, "label<TAB>muscle<TAB>side<TAB>region" per point.
/// Throws InputError when the library file is missing or bad.
int runListTriggerPoints(const CommandLine& options);

/// Prints "layer<TAB>name<TAB>triangles" per structure. Throws InputError.
int runListStructures(const CommandLine& options);

} // namespace fascia::app
