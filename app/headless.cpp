#include "headless.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <vector>
#include <iostream>
#include <memory>

#include "close_up.h"
#include "fascia/error.h"
#include "fascia/log.h"
#include "fascia/renderer.h"
#include "frame_caption.h"
#include "gl_context.h"
#include "model_loading.h"
#include "paths.h"
#include "scene_setup.h"
#include "technique_render.h"
#include "technique_setup.h"
#include "state.h"
#include "trigger_render.h"

namespace fascia::app {
namespace {

// The font the window uses (fonts-dejavu-core); without it captions are left out.
constexpr const char* kCaptionFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

AppState stateFor(const CommandLine& options) {
  AppState state;
  state.model = std::make_shared<const Model>(loadModelWithProgress(modelPathOf(options)));
  applyViewOptions(options, state);
  if (!options.showReferral.empty() || !options.annotationsPath.empty()) {
    // Library labels are only needed to find --show-referral's point.
    if (const auto problem = loadLibraryInto(state); problem && !options.showReferral.empty()) {
      log::warn("trigger-point library: " + *problem);
    }
    applyTriggerPointOptions(options, state);
  }
  applyTechniqueOptions(options, state);
  return state;
}

// Applies the state's technique to the renderer; a technique that cannot be applied is bad
// input (exit 2), not a frame at rest.
void applyTechnique(const AppState& state, TechniqueFrames& frames, Renderer& renderer) {
  const std::string& problem = syncTechnique(state, frames, renderer);
  if (!problem.empty()) throw InputError("--technique " + state.technique.preset, problem);
}

// Adds the close-up cross-section under a pressing tool (close_up.h) to a technique frame,
// unless --no-close-up. The close-up shows every layer, whatever the main frame peels: it is
// there to show how the layers give under the tool.
void addCloseUp(Image& image, Renderer& renderer, const AppState& state,
                const TechniqueFrames& frames, const FrameCaptioner& captioner,
                const CommandLine& options) {
  if (options.noCloseUp || !frames.tool()) return;
  const auto contact = state.camera.pixelOf(frames.tool()->contact, options.size);
  const auto place = closeUpPlace(options.size, contact);
  if (!place) return;
  const CloseUp closeUp = closeUpOf(*frames.tool(), state.camera);
  renderer.setSection(closeUp.section);
  const Image picture =
      renderer.renderImage(closeUp.camera, DisplaySettings{}, {place->side, place->side});
  renderer.setSection(state.display.section);
  captioner.drawCloseUp(image, picture, closeUp, *place, closeUpKey(*state.model), contact);
}

// Renders more frames of the same view off-screen (4x MSAA, resolved and read back, as a
// screenshot is) and prints the median, the fastest and the slowest.
void printFrameTimes(Renderer& renderer, const AppState& state, const CommandLine& options) {
  std::vector<double> milliseconds;
  for (int i = 0; i < options.timedFrames; ++i) {
    const auto start = std::chrono::steady_clock::now();
    static_cast<void>(renderer.renderImage(state.camera, state.display, options.size));
    renderer.finish();
    milliseconds.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(milliseconds.begin(), milliseconds.end());
  std::printf("frames\t%d\nsize\t%dx%d\nmedian_ms\t%.2f\nmin_ms\t%.2f\nmax_ms\t%.2f\n"
              "triangles\t%zu\ndriver\t%s\n",
              options.timedFrames, options.size.x, options.size.y,
              milliseconds[milliseconds.size() / 2], milliseconds.front(), milliseconds.back(),
              renderer.lastFrameStats().triangles, renderer.driverDescription().c_str());
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
  TriggerPointView triggerPoints;
  syncTriggerPoints(state, triggerPoints, renderer);
  renderer.setSection(state.display.section);
  TechniqueFrames technique;
  applyTechnique(state, technique, renderer);
  Image image = renderer.renderImage(state.camera, state.display, options.size);
  const FrameCaptioner captioner(kCaptionFont);
  addCloseUp(image, renderer, state, technique, captioner, options);
  captioner.draw(image, state, technique);
  writePng(image, options.screenshotPath);
  if (options.timedFrames > 0) printFrameTimes(renderer, state, options);
  std::fprintf(stderr, "fascia: wrote %s (%dx%d)\n", options.screenshotPath.string().c_str(),
               image.width, image.height);
  return 0;
}

int runFrames(const CommandLine& options) {
  AppState state = stateFor(options);
  const TechniquePreset& preset = *presetOf(state.technique);
  const double start = options.techniqueTime.value_or(0.0);
  const double duration =
      options.framesDuration.value_or(std::max(static_cast<double>(preset.durationS) - start, 0.0));
  const int count = std::clamp(
      static_cast<int>(std::lround(duration * options.framesPerSecond)), 1, kMaxTechniqueFrames);
  std::error_code error;
  std::filesystem::create_directories(options.framesDir, error);
  if (error) throw InputError(options.framesDir, "cannot create the folder: " + error.message());

  GlWindow window(GlWindow::Options{64, 64, "Fascia Atlas (headless)", false, 0});
  Renderer renderer(shaderDir());
  renderer.setModel(*state.model);
  renderer.setSection(state.display.section);
  TriggerPointView triggerPoints;
  syncTriggerPoints(state, triggerPoints, renderer);
  TechniqueFrames technique;
  const FrameCaptioner captioner(kCaptionFont);
  for (int i = 0; i < count; ++i) {
    // Each frame's time is computed from its number, never accumulated: frame k of two runs
    // shows the same moment.
    state.technique.time = start + static_cast<double>(i) / options.framesPerSecond;
    applyTechnique(state, technique, renderer);
    char name[32];
    std::snprintf(name, sizeof name, "frame-%04d.png", i + 1);
    Image image = renderer.renderImage(state.camera, state.display, options.size);
    addCloseUp(image, renderer, state, technique, captioner, options);
    captioner.draw(image, state, technique);
    writePng(image, options.framesDir / name);
  }
  std::fprintf(stderr, "fascia: wrote %d frames to %s (%dx%d, %d per second)\n", count,
               options.framesDir.string().c_str(), options.size.x, options.size.y,
               options.framesPerSecond);
  return 0;
}

int runListTechniques(const CommandLine&) {
  std::cout << formatTechniqueList();
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

int runListTriggerPoints(const CommandLine&) {
  const TriggerPointLibrary library = loadTriggerPointLibrary(defaultLibraryPath());
  std::cout << formatLibraryListing(library);
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
