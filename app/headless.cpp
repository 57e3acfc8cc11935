#include "headless.h"

#include <cstdio>
#include <iostream>
#include <memory>

#include "fascia/error.h"
#include "fascia/log.h"
#include "fascia/renderer.h"
#include "gl_context.h"
#include "model_loading.h"
#include "paths.h"
#include "scene_setup.h"
#include "state.h"

namespace fascia::app {
namespace {

AppState stateFor(const CommandLine& options) {
  AppState state;
  state.model = std::make_shared<const Model>(loadModelWithProgress(modelPathOf(options)));
  applyViewOptions(options, state);
  return state;
}

} // namespace

std::filesystem::path modelPathOf(const CommandLine& options) {
  return options.model.empty() ? defaultModelPath() : options.model;
}

int runScreenshot(const CommandLine& options) {
  const AppState state = stateFor(options);
  // A hidden window only provides the context; the frame goes to an off-screen framebuffer at
  // exactly the requested size, whatever the screen.
  GlWindow window(GlWindow::Options{64, 64, "Fascia Atlas (headless)", false, 0});
  Renderer renderer(shaderDir());
  log::debug("renderer: " + renderer.driverDescription());
  renderer.setModel(*state.model);
  const Image image = renderer.renderImage(state.camera, state.display, options.size);
  writePng(image, options.screenshotPath);
  std::fprintf(stderr, "fascia: wrote %s (%dx%d)\n", options.screenshotPath.string().c_str(),
               image.width, image.height);
  return 0;
}

int runPick(const CommandLine& options) {
  const AppState state = stateFor(options);
  if (options.pickPixel.x < 0 || options.pickPixel.y < 0 || options.pickPixel.x >= options.size.x ||
      options.pickPixel.y >= options.size.y) {
    throw InputError("--pick", "pixel " + std::to_string(options.pickPixel.x) + "," +
                                   std::to_string(options.pickPixel.y) +
                                   " lies outside the " + std::to_string(options.size.x) + "x" +
                                   std::to_string(options.size.y) + " frame");
  }
  const glm::vec2 centre = glm::vec2(options.pickPixel) + glm::vec2(0.5f);
  const auto hit = pickPixel(state, centre);
  if (hit) {
    std::cout << state.model->structures[hit->structure].info.name << '\n';
  } else {
    std::cout << "none\n";
  }
  return 0;
}

int runListStructures(const CommandLine& options) {
  const Model model = loadModelWithProgress(modelPathOf(options));
  for (const Structure& structure : model.structures) {
    std::cout << layerId(structure.info.layer) << '\t' << structure.info.name << '\t'
              << structure.mesh.triangleCount() << '\n';
  }
  return 0;
}

} // namespace fascia::app
