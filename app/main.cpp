// Fascia Atlas: entry point. Parses the command line and runs the window or a headless mode.
// Exit status: 0 success, 2 bad usage or bad input, 1 any other failure.

#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli.h"
#include "fascia/error.h"
#include "gl_context.h"
#include "headless.h"
#include "viewer.h"

namespace {

int fail(int status, const std::string& message) {
  std::fprintf(stderr, "fascia: error: %s\n", message.c_str());
  return status;
}

} // namespace

int main(int argc, char** argv) {
  using namespace fascia;
  using namespace fascia::app;
  try {
    const std::vector<std::string> args(argv + 1, argv + argc);
    const CommandLine options = parseCommandLine(args);
    switch (options.mode) {
    case Mode::Help:
      std::cout << helpText();
      return 0;
    case Mode::Version:
      std::cout << versionText() << '\n';
      return 0;
    case Mode::ListTriggerPoints:
      return runListTriggerPoints(options);
    case Mode::ListStructures:
      return runListStructures(options);
    case Mode::Pick:
      return runPick(options);
    case Mode::Screenshot:
      return runScreenshot(options);
    case Mode::Window:
      return runViewer(options);
    case Mode::Frames:
      return runFrames(options);
    case Mode::ListTechniques:
      return runListTechniques(options);
    }
    return 0;
  } catch (const UsageError& error) {
    return fail(2, std::string(error.what()) + "\n(run 'fascia --help' for usage)");
  } catch (const InputError& error) {
    return fail(2, error.what());
  } catch (const DisplayError& error) {
    return fail(1, error.what());
  } catch (const GraphicsError& error) {
    return fail(1, error.what());
  } catch (const std::exception& error) {
    return fail(1, error.what());
  }
}
