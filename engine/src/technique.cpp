// Technique presets: timelines and loads. Numbers from shared reference treatment-numbers.md;
// docs/deformation.md explains the choices.

#include "fascia/technique.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <string>

#include <glm/geometric.hpp>

namespace fascia {
namespace {

constexpr float kPi = 3.14159265358979f;

/// Roughly the middle of the sacrum (docs/anatomy.md: PSIS at 0.993 m, 4.6 cm from the
/// midline). Both stretches keep the muscle's end nearest it fixed: the erector spinae arise
/// from the sacrum, piriformis from its front.
constexpr glm::vec3 kSacrum(0.0f, 0.95f, -0.06f);

// Timelines (seconds of animation).
struct Timeline {
  float rampEnd;    // pressing in / moving into the stretch
  float holdEnd;    // holding
  float releaseEnd; // easing off; rest afterwards
};

constexpr Timeline kCompression{3.0f, 13.0f, 15.5f};
constexpr Timeline kRelease{4.0f, 16.0f, 19.0f};
constexpr Timeline kStretch{4.0f, 14.0f, 17.0f};

// Foam rolling: the roller is lowered, makes four slow passes, and is lifted.
constexpr float kRollerLower = 1.5f;
// Passes: 25 cm in 3 s on the lower back, 20 cm in 2.5 s on the buttocks (reference: 20-30 cm
// in 2-4 s, 7.5-15 cm/s).
constexpr float kLumbarPassS = 3.0f, kLumbarSpan = 0.25f;
constexpr float kGlutealPassS = 2.5f, kGlutealSpan = 0.20f;
constexpr int kPasses = 4;

constexpr std::array<TechniquePreset, 7> kPresets = {{
    {"ischaemic-compression", "Ischaemic compression of a trigger point",
     "The therapist's thumb presses slowly into the tight spot and holds until it softens, "
     "then lets go gently. Blood flows back in once the pressure is released.",
     16.0f, 6, ToolKind::Thumb, 35.0f, 0.0f, "", 400.0f},
    {"massage-ball-release", "Massage ball on a trigger point",
     "Lying on a massage ball, part of your own weight presses into the tender spot. You stay "
     "still and breathe slowly until it eases, then roll off the ball.",
     16.0f, 6, ToolKind::MassageBall, 80.0f, 0.0f, "", 100.0f},
    {"myofascial-release", "Myofascial release hold",
     "A broad, steady pressure from the forearm rests on the fascia and follows it slowly as it "
     "gives way. The real hold lasts two minutes or more.",
     20.0f, 10, ToolKind::Elbow, 40.0f, 0.0f, "", 100.0f},
    {"foam-rolling-lumbar", "Foam rolling the lower back",
     "Lying on a foam roller, part of your body weight presses the soft tissue of the lower back. "
     "Slow passes of a few seconds let the tissue give way.",
     kRollerLower * 2.0f + kLumbarPassS* kPasses, 1, ToolKind::FoamRoller, 150.0f, 0.0f, "", 50.0f},
    {"foam-rolling-glutes", "Foam rolling the buttocks",
     "Sitting on the roller with the weight on one side, the buttock muscles are pressed and "
     "rolled slowly up and down.",
     kRollerLower * 2.0f + kGlutealPassS* kPasses, 1, ToolKind::FoamRoller, 200.0f, 0.0f, "",
     50.0f},
    {"trunk-flexion-stretch", "Trunk flexion stretch",
     "Bending forward lengthens the back muscles, and the fascia over them slides. Stiff, stuck "
     "layers slide less than healthy ones.",
     18.0f, 3, ToolKind::Thumb, 0.0f, 0.15f, "longissimus_left", 400.0f},
    {"piriformis-stretch", "Piriformis stretch",
     "Crossing the leg and pulling the knee towards the opposite shoulder lengthens the "
     "piriformis, the deep muscle under the buttock.",
     18.0f, 3, ToolKind::Thumb, 0.0f, 0.20f, "piriformis_left", 400.0f},
}};

/// 0 -> 1 -> 0 over a timeline, with smooth starts and stops.
float envelope(const Timeline& line, float t, std::string_view& phase, std::string_view rampName,
               std::string_view holdName, std::string_view releaseName) {
  const auto smooth = [](float x) {
    x = std::clamp(x, 0.0f, 1.0f);
    return x * x * (3.0f - 2.0f * x);
  };
  if (t < line.rampEnd) {
    phase = rampName;
    return smooth(t / line.rampEnd);
  }
  if (t < line.holdEnd) {
    phase = holdName;
    return 1.0f;
  }
  if (t < line.releaseEnd) {
    phase = releaseName;
    return 1.0f - smooth((t - line.holdEnd) / (line.releaseEnd - line.holdEnd));
  }
  phase = "Rest";
  return 0.0f;
}

bool finite(const glm::vec3& v) {
  return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z);
}

} // namespace

std::span<const TechniquePreset> techniquePresets() { return kPresets; }

const TechniquePreset& findTechnique(std::string_view name) {
  for (const TechniquePreset& preset : kPresets)
    if (preset.name == name) return preset;
  std::string known;
  for (const TechniquePreset& preset : kPresets)
    known += (known.empty() ? "" : ", ") + std::string(preset.name);
  throw std::invalid_argument("unknown technique \"" + std::string(name) + "\" (known: " + known +
                              ")");
}

TechniqueState evaluate(const TechniquePreset& preset, const TechniqueParams& params, double t) {
  if (!std::isfinite(t) || t < 0.0)
    throw std::invalid_argument("the technique time must be 0 or more seconds");
  if (!finite(params.point)) throw std::invalid_argument("the contact point is not finite");
  if (!finite(params.direction) || glm::length(params.direction) < 1e-6f)
    throw std::invalid_argument("the pressing direction must be a finite, non-zero vector");
  const float load = params.loadN.value_or(preset.defaultLoadN);
  const float time = static_cast<float>(std::min(t, static_cast<double>(preset.durationS)));

  TechniqueState state;
  state.input.legendMaxKPa = preset.legendMaxKPa;
  if (preset.isStretch()) {
    const float strain = params.strain.value_or(preset.defaultStrain);
    if (!std::isfinite(strain) || strain <= 0.0f || strain > 0.5f)
      throw std::invalid_argument("the stretch strain must be above 0 and at most 0.5 (got " +
                                  std::to_string(strain) + ")");
    if (!params.muscle)
      throw std::invalid_argument("the " + std::string(preset.name) +
                                  " technique needs a muscle to stretch");
    const float level = envelope(kStretch, time, state.phase, "Moving into the stretch",
                                 "Holding the stretch", "Coming back");
    state.strain = strain * level;
    StretchLoad stretch;
    stretch.muscle = *params.muscle;
    stretch.strain = state.strain;
    stretch.anchor = params.anchor.value_or(kSacrum);
    stretch.sliding = params.stiff ? kStiffSliding : kHealthySliding;
    state.input.stretch = stretch;
    return state;
  }

  if (!std::isfinite(load) || load <= 0.0f)
    throw std::invalid_argument("the load must be more than 0 N (got " + std::to_string(load) +
                                " N)");
  if (load > 1000.0f)
    throw std::invalid_argument("a load of " + std::to_string(load) +
                                " N is more than a hand or body weight applies (at most 1000 N)");
  const glm::vec3 dir = glm::normalize(params.direction);
  ToolPose pose;
  pose.tool = preset.tool;
  pose.position = params.point;
  pose.direction = dir;
  pose.axis = params.axis;
  float level = 0.0f;

  if (preset.tool == ToolKind::FoamRoller) {
    const glm::vec3 axis = params.axis - glm::dot(params.axis, dir) * dir;
    if (!finite(axis) || glm::length(axis) < 1e-3f)
      throw std::invalid_argument("the roller axis must be across the pressing direction");
    pose.axis = glm::normalize(axis);
    const glm::vec3 travel = glm::cross(dir, pose.axis);
    const bool glutes = preset.name == "foam-rolling-glutes";
    const float span = glutes ? kGlutealSpan : kLumbarSpan;
    const float passS = glutes ? kGlutealPassS : kLumbarPassS;
    const float rolling = time - kRollerLower;
    float offset = -0.5f; // of the span, along `travel`
    if (rolling < 0.0f) {
      level = std::clamp(time / kRollerLower, 0.0f, 1.0f);
      state.phase = "Lowering onto the roller";
    } else if (rolling < passS * kPasses) {
      const int pass = std::min(static_cast<int>(rolling / passS), kPasses - 1);
      const float u = (rolling - static_cast<float>(pass) * passS) / passS;
      // Even passes go up, odd ones come back; eased at the turns.
      const float x = -0.5f * std::cos(kPi * u);
      offset = pass % 2 == 0 ? x : -x;
      level = 1.0f;
      state.phase = "Rolling slowly";
    } else if (rolling < passS * kPasses + kRollerLower) {
      level = 1.0f - (rolling - passS * kPasses) / kRollerLower;
      state.phase = "Getting off the roller";
    } else {
      state.phase = "Rest";
    }
    level = level * level * (3.0f - 2.0f * level);
    pose.position = params.point + offset * span * travel;
  } else if (preset.name == "myofascial-release") {
    level = envelope(kRelease, time, state.phase, "Sinking in", "Holding and following the tissue",
                     "Easing off");
    // The hand drifts about 1 cm as the tissue gives way during the hold, then stays.
    const float drift =
        std::clamp((time - kRelease.rampEnd) / (kRelease.holdEnd - kRelease.rampEnd), 0.0f, 1.0f);
    const glm::vec3 along = params.axis - glm::dot(params.axis, dir) * dir;
    if (glm::length(along) > 1e-6f) pose.position += 0.01f * drift * glm::normalize(along);
  } else {
    level = envelope(kCompression, time, state.phase, "Pressing in",
                     "Holding until the tissue softens", "Easing off");
  }
  state.forceN = load * level;
  state.tool = pose;
  PressureLoad pressure;
  pressure.tool = preset.tool;
  pressure.point = pose.position;
  pressure.direction = dir;
  pressure.axis = pose.axis;
  pressure.forceN = state.forceN;
  state.input.pressure = pressure;
  return state;
}

const Deformation& apply(Deformer& deformer, const TechniqueState& state) {
  return deformer.update(state.input);
}

} // namespace fascia
