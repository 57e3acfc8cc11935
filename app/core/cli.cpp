#include "cli.h"

#include <charconv>
#include <cmath>
#include <stdexcept>
#include <string_view>

#include "fascia/technique.h"

namespace fascia::app {
namespace {

float parseFloat(std::string_view text, std::string_view option) {
  float value = 0.0f;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    throw UsageError(std::string(option) + ": '" + std::string(text) + "' is not a number");
  }
  return value;
}

int parseInt(std::string_view text, std::string_view option) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw UsageError(std::string(option) + ": '" + std::string(text) + "' is not a whole number");
  }
  return value;
}

// "AxB" or "A,B" into two integers.
glm::ivec2 parsePair(std::string_view text, char separator, std::string_view option,
                     std::string_view expected) {
  const auto split = text.find(separator);
  if (split == std::string_view::npos) {
    throw UsageError(std::string(option) + ": expected " + std::string(expected) + ", got '" +
                     std::string(text) + "'");
  }
  return {parseInt(text.substr(0, split), option), parseInt(text.substr(split + 1), option)};
}

// Whether the argument after --section is its PLANE rather than the model: a plane name, or
// anything with '@', or a bare word (no path separator or dot), so a mistyped plane name is
// reported as one instead of being opened as a model.
bool looksLikeSectionPlane(std::string_view text) {
  if (text.empty() || text[0] == '-') return false;
  if (text.find('@') != std::string_view::npos) return true;
  return text.find_first_of("/\\.") == std::string_view::npos;
}

// Largest accepted |offset| for --section PLANE@CM: far beyond any body, but finite.
constexpr float kMaxSectionOffsetCm = 500.0f;

SectionOption parseSectionPlane(std::string_view text) {
  constexpr std::string_view kUse =
      "(use sagittal, coronal or transverse, optionally followed by @CM or @X,Y,Z)";
  const auto at = text.find('@');
  const std::string_view name = text.substr(0, at);
  SectionOption option;
  option.axis = parseSectionAxis(name);
  if (!option.axis) {
    throw UsageError("--section: unknown plane '" + std::string(name) + "' " + std::string(kUse));
  }
  if (at == std::string_view::npos) return option;
  const std::string_view where = text.substr(at + 1);
  if (where.empty()) {
    throw UsageError("--section: nothing after '@' in '" + std::string(text) + "' " +
                     std::string(kUse));
  }
  if (where.find(',') == std::string_view::npos) {
    const float centimetres = parseFloat(where, "--section");
    if (std::abs(centimetres) > kMaxSectionOffsetCm) {
      throw UsageError("--section: offset " + std::string(where) + " cm is outside -" +
                       std::to_string(static_cast<int>(kMaxSectionOffsetCm)) + "..+" +
                       std::to_string(static_cast<int>(kMaxSectionOffsetCm)) + " cm");
    }
    option.offset = centimetres * 0.01f;
    return option;
  }
  glm::vec3 point(0.0f);
  std::string_view rest = where;
  for (int i = 0; i < 3; ++i) {
    const auto comma = rest.find(',');
    if ((i < 2) != (comma != std::string_view::npos)) {
      throw UsageError("--section: expected a point X,Y,Z in metres after '@', got '" +
                       std::string(where) + "'");
    }
    point[i] = parseFloat(rest.substr(0, comma), "--section");
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  option.point = point;
  return option;
}

// --technique and the options that go with it. Returns false when `args[i]` is none of them;
// otherwise consumes its value.
template <class SetMode>
bool parseTechniqueOption(const std::vector<std::string>& args, std::size_t& i,
                          CommandLine& result, const SetMode& setMode) {
  const std::string& arg = args[i];
  const auto value = [&]() -> const std::string& {
    if (i + 1 >= args.size()) throw UsageError(arg + " needs a value (see --help)");
    return args[++i];
  };
  if (arg == "--technique") {
    result.technique = value();
    try {
      static_cast<void>(findTechnique(result.technique));
    } catch (const std::invalid_argument& error) {
      throw UsageError(std::string("--technique: ") + error.what());
    }
  } else if (arg == "--list-techniques") {
    setMode(Mode::ListTechniques, arg);
  } else if (arg == "--at") {
    result.techniqueAt = parsePair(value(), ',', arg, "X,Y (pixel from the top-left)");
  } else if (arg == "--at-trigger-point") {
    result.techniqueAtTriggerPoint = value();
    if (result.techniqueAtTriggerPoint.empty()) {
      throw UsageError("--at-trigger-point needs a trigger point label (see --list-trigger-points)");
    }
  } else if (arg == "--load") {
    const float load = parseFloat(value(), arg);
    if (!(load > 0.0f) || load > kMaxTechniqueLoadN) {
      throw UsageError("--load: the force must be above 0 and at most " +
                       std::to_string(static_cast<int>(kMaxTechniqueLoadN)) + " newtons, got " +
                       args[i]);
    }
    result.techniqueLoadN = load;
  } else if (arg == "--time") {
    const float time = parseFloat(value(), arg);
    if (time < 0.0f) throw UsageError("--time: seconds must be 0 or more, got " + args[i]);
    result.techniqueTime = time;
  } else if (arg == "--stiff") {
    result.techniqueStiff = true;
  } else if (arg == "--no-close-up") {
    result.noCloseUp = true;
  } else if (arg == "--frames") {
    setMode(Mode::Frames, arg);
    result.framesDir = value();
    if (result.framesDir.empty()) throw UsageError("--frames needs a folder name");
  } else if (arg == "--fps") {
    result.framesPerSecond = parseInt(value(), arg);
    if (result.framesPerSecond < 1 || result.framesPerSecond > 120) {
      throw UsageError("--fps: frames per second must be between 1 and 120, got " + args[i]);
    }
  } else if (arg == "--duration") {
    const float duration = parseFloat(value(), arg);
    if (!(duration > 0.0f) || duration > 3600.0f) {
      throw UsageError("--duration: seconds must be above 0 and at most 3600, got " + args[i]);
    }
    result.framesDuration = duration;
  } else {
    return false;
  }
  return true;
}

// The technique options make sense together and with the mode.
void checkTechniqueOptions(const CommandLine& result) {
  const bool anyTechniqueOption = result.techniqueAt || !result.techniqueAtTriggerPoint.empty() ||
                                  result.techniqueLoadN || result.techniqueTime ||
                                  result.techniqueStiff || result.noCloseUp;
  if (result.technique.empty()) {
    if (anyTechniqueOption) {
      throw UsageError("--at, --at-trigger-point, --load, --time, --stiff and --no-close-up need "
                       "--technique NAME (see --list-techniques)");
    }
    if (result.mode == Mode::Frames) {
      throw UsageError("--frames needs --technique NAME (see --list-techniques)");
    }
  } else if (result.mode != Mode::Screenshot && result.mode != Mode::Frames) {
    throw UsageError("--technique only works with --screenshot or --frames");
  }
  if ((result.framesDuration || result.framesPerSecond != 10) && result.mode != Mode::Frames) {
    throw UsageError("--fps and --duration only work with --frames");
  }
  if (result.techniqueAt && !result.techniqueAtTriggerPoint.empty()) {
    throw UsageError("give either --at or --at-trigger-point, not both");
  }
  if (result.techniqueAt) {
    const glm::ivec2 at = *result.techniqueAt;
    if (at.x < 0 || at.y < 0 || at.x >= result.size.x || at.y >= result.size.y) {
      throw UsageError("--at: pixel " + std::to_string(at.x) + "," + std::to_string(at.y) +
                       " lies outside the " + std::to_string(result.size.x) + "x" +
                       std::to_string(result.size.y) + " frame");
    }
  }
  if (!result.technique.empty()) {
    const TechniquePreset& preset = findTechnique(result.technique);
    if (!preset.isStretch() && !result.techniqueAt && result.techniqueAtTriggerPoint.empty()) {
      throw UsageError("--technique " + result.technique +
                       " presses on the body: say where with --at X,Y or --at-trigger-point LABEL");
    }
    if (preset.isStretch() && (result.techniqueAt || !result.techniqueAtTriggerPoint.empty() ||
                               result.techniqueLoadN)) {
      throw UsageError("--technique " + result.technique +
                       " is a stretch: --at, --at-trigger-point and --load do not apply");
    }
    if (!preset.isStretch() && result.techniqueStiff) {
      throw UsageError("--stiff only applies to the stretches (see --list-techniques)");
    }
  }
}

} // namespace

CommandLine parseCommandLine(const std::vector<std::string>& args) {
  CommandLine result;
  bool modeSet = false;
  const auto setMode = [&](Mode mode, std::string_view option) {
    if (modeSet && result.mode != mode) {
      throw UsageError(std::string(option) +
                       " cannot be combined with another of --screenshot, --pick, --frames, "
                       "--list-structures, --list-trigger-points, --list-techniques");
    }
    modeSet = true;
    result.mode = mode;
  };

  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const auto value = [&]() -> const std::string& {
      if (i + 1 >= args.size()) throw UsageError(arg + " needs a value (see --help)");
      return args[++i];
    };

    if (arg == "--help" || arg == "-h") {
      result.mode = Mode::Help;
      return result;
    }
    if (arg == "--version") {
      result.mode = Mode::Version;
      return result;
    }
    if (arg == "--screenshot") {
      setMode(Mode::Screenshot, arg);
      result.screenshotPath = value();
      if (result.screenshotPath.empty()) throw UsageError("--screenshot needs a file name");
    } else if (arg == "--pick") {
      setMode(Mode::Pick, arg);
      result.pickPixel = parsePair(value(), ',', arg, "X,Y (pixel from the top-left)");
    } else if (arg == "--list-structures") {
      setMode(Mode::ListStructures, arg);
    } else if (arg == "--list-trigger-points") {
      setMode(Mode::ListTriggerPoints, arg);
    } else if (arg == "--annotations") {
      result.annotationsPath = value();
      if (result.annotationsPath.empty()) throw UsageError("--annotations needs a file name");
    } else if (arg == "--show-referral") {
      result.showReferral = value();
      if (result.showReferral.empty()) {
        throw UsageError("--show-referral needs a trigger point label (see --list-trigger-points)");
      }
    } else if (arg == "--size") {
      result.size = parsePair(value(), 'x', arg, "WIDTHxHEIGHT, e.g. 1280x720");
      result.sizeGiven = true;
      if (result.size.x < 1 || result.size.y < 1 || result.size.x > kMaxImageEdge ||
          result.size.y > kMaxImageEdge) {
        throw UsageError("--size: each side must be between 1 and " +
                         std::to_string(kMaxImageEdge) + " pixels");
      }
    } else if (arg == "--view") {
      const std::string& name = value();
      const auto preset = parseViewPreset(name);
      if (!preset) {
        throw UsageError("--view: unknown view '" + name +
                         "' (use posterior, anterior, left, right or superior)");
      }
      result.view = *preset;
    } else if (arg == "--peel") {
      result.peelDepth = parseFloat(value(), arg);
      result.peelGiven = true;
      if (result.peelDepth < 0.0f || result.peelDepth > static_cast<float>(kLayerCount)) {
        throw UsageError("--peel: depth must be between 0 and " + std::to_string(kLayerCount));
      }
    } else if (arg == "--layer-opacity") {
      const std::string& spec = value();
      const auto equals = spec.find('=');
      if (equals == std::string::npos) {
        throw UsageError("--layer-opacity: expected LAYER=VALUE, e.g. skin=0.3, got '" + spec +
                         "'");
      }
      const auto layer = parseLayer(std::string_view(spec).substr(0, equals));
      if (!layer) {
        throw UsageError("--layer-opacity: unknown layer '" + spec.substr(0, equals) +
                         "' (use skin, superficial-fascia, deep-fascia, muscle, bone, other)");
      }
      const float opacity = parseFloat(std::string_view(spec).substr(equals + 1), arg);
      if (opacity < 0.0f || opacity > 1.0f) {
        throw UsageError("--layer-opacity: opacity must be between 0 and 1, got '" +
                         spec.substr(equals + 1) + "'");
      }
      result.layerOpacities.emplace_back(*layer, opacity);
    } else if (arg == "--section") {
      result.section = SectionOption{};
      if (i + 1 < args.size() && looksLikeSectionPlane(args[i + 1])) {
        result.section = parseSectionPlane(args[++i]);
      }
    } else if (arg == "--frame-times") {
      result.timedFrames = parseInt(value(), arg);
      if (result.timedFrames < 1 || result.timedFrames > 10000) {
        throw UsageError("--frame-times: the frame count must be between 1 and 10000");
      }
    } else if (arg == "--benchmark-startup") {
      result.benchmarkStartup = true;
    } else if (parseTechniqueOption(args, i, result, setMode)) {
      // a technique option (below)
    } else if (arg.size() > 1 && arg[0] == '-') {
      throw UsageError("unknown option '" + arg + "' (see --help)");
    } else {
      if (!result.model.empty()) {
        throw UsageError("only one model can be given, got '" + result.model.string() +
                         "' and '" + arg + "'");
      }
      result.model = arg;
    }
  }
  if (result.timedFrames > 0 && result.mode != Mode::Screenshot) {
    throw UsageError("--frame-times only works with --screenshot");
  }
  if (!result.showReferral.empty() && result.mode != Mode::Screenshot &&
      result.mode != Mode::Window) {
    throw UsageError("--show-referral only works with --screenshot or in the window");
  }
  if (!result.annotationsPath.empty() &&
      (result.mode == Mode::ListStructures || result.mode == Mode::ListTriggerPoints)) {
    throw UsageError("--annotations cannot be combined with --list-structures or "
                     "--list-trigger-points");
  }
  if (result.benchmarkStartup && result.mode != Mode::Window) {
    throw UsageError("--benchmark-startup only works when opening the window");
  }
  checkTechniqueOptions(result);
  return result;
}

std::string helpText() {
  return R"help(Usage:
  fascia [--annotations FILE] [MODEL] open the viewer (default: the bundled torso model),
                                      with a patient's trigger-point annotations
  fascia --screenshot OUT.png [VIEW OPTIONS] [MODEL]
                                      render one frame off-screen, write a PNG, exit
  fascia --pick X,Y [VIEW OPTIONS] [MODEL]
                                      print the structure under pixel X,Y (origin top-left)
                                      of that frame, or "none"
  fascia --list-structures [MODEL]    print layer, name and triangle count per structure
  fascia --list-trigger-points        print the built-in trigger-point library: label, muscle,
                                      side, region (tab-separated), one point a line
  fascia --screenshot OUT.png --technique NAME [--at X,Y | --at-trigger-point LABEL]
         [--load NEWTONS] [--time SECONDS] [--stiff] [--no-close-up] [VIEW OPTIONS] [MODEL]
                                      render a treatment technique at one moment
  fascia --frames DIR --technique NAME [--fps N] [--duration S] [same options] [MODEL]
                                      write the technique as DIR/frame-0001.png, ...
  fascia --list-techniques            print the technique names, one a line
  fascia --help | --version

View options:
  --size WxH                 image size in pixels (default 1280x720)
  --view NAME                posterior (default), anterior, left, right, superior
  --peel DEPTH               0 = skin opaque, 1 = skin gone, 2 = superficial fascia gone, ...
  --layer-opacity LAYER=V    opacity 0..1 of skin, superficial-fascia, deep-fascia, muscle,
                             bone or other; may be repeated
  --section [PLANE]          cut the body open along a plane and remove the side facing the
                             camera; the cut faces show each layer in its colour. PLANE is
                             sagittal, coronal or transverse (default: the one facing the
                             view), optionally @CM (moved from the model's centre towards the
                             patient's left, front or top) or @X,Y,Z (through that point, in
                             metres), e.g. --section transverse@12. Put MODEL before
                             --section when it is a folder name without a dot

Trigger points (docs/annotations.md, docs/trigger-points.md):
  --annotations FILE         open these annotations; --screenshot draws their markers
  --show-referral LABEL      paint the referred-pain zone of this point (from the annotations
                             or the library, e.g. "Piriformis 1 (left)") on the skin

Techniques (docs/deformation.md):
  --technique NAME           show a pressure or stretch technique (see --list-techniques);
                             a stretch's image hides what covers its muscle and, without
                             --peel, peels down to it
  --at X,Y                   press the body under this pixel of the frame (origin top-left)
  --at-trigger-point LABEL   press on this trigger point (annotations or library)
  --load NEWTONS             force of the tool, 0 < N <= 1000 (default: the preset's)
  --time SECONDS             moment of the technique, >= 0 (default: the middle)
  --stiff                    a stretch slides like a stiff back (chronic low back pain)
  --no-close-up              leave out the close-up cross-section under a pressing tool
                             (drawn bottom left, the contact ringed in the frame)
  --fps N                    with --frames: frames per technique second, 1..120 (default 10)
  --duration S               with --frames: seconds to write (default: to the end)

Developer options (docs/BENCHMARKS.md):
  --frame-times N            with --screenshot: render N more frames, print their timing
  --benchmark-startup        open the window, print the time to the first frame that shows
                             the model, and quit

MODEL is any file Assimp reads (glTF/GLB, OBJ, FBX, STL, PLY, DAE, ...) or a folder of mesh
files, one structure per file. Layers come from MODEL's sidecar manifest (docs/manifest.md).

Exit status: 0 success, 2 bad usage or bad input file, 1 other failure (e.g. no display).
Without a display, run under Xvfb:  xvfb-run -s "-screen 0 1920x1080x24" fascia ...
)help";
}

std::string versionText() { return std::string("Fascia Atlas ") + FASCIA_VERSION; }

} // namespace fascia::app
