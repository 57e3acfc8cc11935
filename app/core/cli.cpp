#include "cli.h"

#include <charconv>
#include <cmath>
#include <string_view>

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

} // namespace

CommandLine parseCommandLine(const std::vector<std::string>& args) {
  CommandLine result;
  bool modeSet = false;
  const auto setMode = [&](Mode mode, std::string_view option) {
    if (modeSet && result.mode != mode) {
      throw UsageError(std::string(option) +
                       " cannot be combined with another of --screenshot, --pick, "
                       "--list-structures, --list-trigger-points");
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
