#pragma once
/// \file process.h
/// Running the fascia program from tests and capturing what it says.

#include <string>
#include <vector>

namespace fascia::test {

/// What a finished process left behind.
struct ProcessResult {
  int exitCode = -1;
  std::string out;
  std::string err;
};

/// Runs the fascia executable under test with `args` (no shell involved in the arguments),
/// waits for it, and returns its exit code and output. `unsetDisplay` runs it without DISPLAY.
ProcessResult runFascia(const std::vector<std::string>& args, bool unsetDisplay = false);

} // namespace fascia::test
