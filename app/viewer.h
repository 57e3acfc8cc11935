#pragma once
/// \file viewer.h
/// The interactive window.

#include "cli.h"

namespace fascia::app {

/// Opens the window on the command line's model (or the bundled one) and runs until the user
/// quits. Returns the exit status. Throws DisplayError when no window can be opened.
int runViewer(const CommandLine& options);

} // namespace fascia::app
