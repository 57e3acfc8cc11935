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
enum class Mode {
  Window,
  Screenshot,
  Pick,
  ListStructures,
  ListTriggerPoints,
  Help,
  Version,
  Frames,         ///< --frames DIR: a numbered PNG sequence of a technique
  ListTechniques, ///< --list-techniques
};

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
  /// Whether --peel was given (a stretch's image otherwise peels down to its muscle).
  bool peelGiven = false;
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

  // Techniques (docs/deformation.md)
  /// --technique NAME: a preset name (checked while parsing); empty when none.
  std::string technique;
  /// --at X,Y: the tool's contact is the body under this pixel of the frame (origin top-left).
  std::optional<glm::ivec2> techniqueAt;
  /// --at-trigger-point LABEL: the tool presses on this trigger point (annotations, library).
  std::string techniqueAtTriggerPoint;
  /// --load NEWTONS: 0 < load <= kMaxTechniqueLoadN; empty: the preset's default.
  std::optional<float> techniqueLoadN;
  /// --time SECONDS (technique seconds, >= 0); empty: the middle of the technique.
  std::optional<double> techniqueTime;
  /// --stiff: a stretch slides like a stiff back (chronic low back pain) instead of a healthy one.
  bool techniqueStiff = false;
  /// --no-close-up: leave out the close-up cross-section under a pressure tool (close_up.h).
  bool noCloseUp = false;
  /// --frames DIR: where the numbered PNG sequence goes.
  std::filesystem::path framesDir;
  /// --fps N, 1..120.
  int framesPerSecond = 10;
  /// --duration S (> 0); empty: the technique's whole length from --time (or 0).
  std::optional<double> framesDuration;
};

/// Largest accepted --load, newtons (about a heavy adult's weight on a roller).
inline constexpr float kMaxTechniqueLoadN = 1000.0f;

/// Largest number of frames --frames writes.
inline constexpr int kMaxTechniqueFrames = 10000;

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
