#pragma once
/// \file cli.h
/// The command line: parsing into a plain struct, and the help text.

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <glm/vec2.hpp>
#include <glm/vec3.hpp>

#include "fascia/camera.h"
#include "fascia/layer.h"
#include "fascia/section.h"

namespace fascia::app {

/// Bad usage: unknown option, missing or malformed value. Exit status 2.
class UsageError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// What the program was asked to do.
enum class Mode { Window, Screenshot, Pick, ListStructures, ListTriggerPoints, Help, Version };

/// --section [PLANE]: a section view, as given on the command line.
struct SectionOption {
  /// The anatomical plane; empty: the one most square to the view (app::sectionForView).
  std::optional<SectionAxis> axis;
  /// PLANE@CM: metres from the model's centre along the axis's positive direction (+X left,
  /// +Z anterior, +Y up).
  float offset = 0.0f;
  /// PLANE@X,Y,Z: a point the plane passes through (metres, model coordinates) instead.
  std::optional<glm::vec3> point;
};

/// A parsed command line.
struct CommandLine {
  Mode mode = Mode::Window;
  /// The model to open; empty means the bundled default model.
  std::filesystem::path model;
  /// --screenshot OUT.png
  std::filesystem::path screenshotPath;
  /// --pick X,Y (pixel, origin top-left)
  glm::ivec2 pickPixel{0};
  /// --size WxH for --screenshot and --pick (and the window's size)
  glm::ivec2 size{1280, 720};
  bool sizeGiven = false;
  ViewPreset view = ViewPreset::Posterior;
  /// --peel DEPTH, 0..kLayerCount
  float peelDepth = 0.0f;
  /// --layer-opacity LAYER=VALUE, in the order given
  std::vector<std::pair<Layer, float>> layerOpacities;
  /// --section [PLANE]; it removes the side facing the camera.
  std::optional<SectionOption> section;
  /// --annotations FILE: the patient's trigger-point annotations to open (and draw).
  std::filesystem::path annotationsPath;
  /// --show-referral LABEL: select this trigger point (annotations first, then the library),
  /// so its referred-pain zone is painted on the skin.
  std::string showReferral;
  /// --frame-times N (with --screenshot): also render N more frames and print their timing.
  int timedFrames = 0;
  /// --benchmark-startup (window): print the time from start to the first frame that shows
  /// the model, then quit.
  bool benchmarkStartup = false;
};

/// Parses argv (without the program name). Throws UsageError with a message naming the
/// offending argument and what was expected.
CommandLine parseCommandLine(const std::vector<std::string>& args);

/// The --help text.
std::string helpText();

/// "Fascia Atlas <version>".
std::string versionText();

/// Largest accepted --size edge, in pixels.
inline constexpr int kMaxImageEdge = 8192;

} // namespace fascia::app
