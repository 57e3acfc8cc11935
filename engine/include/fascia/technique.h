#pragma once
/// \file technique.h
/// Named treatment techniques (ischaemic compression, foam rolling, stretches...) as pure
/// functions of time: evaluate() gives the tool pose, force and stretch at time t, and apply()
/// turns that into per-vertex displacement and overlay values with a Deformer. CPU only.

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

#include <glm/vec3.hpp>

#include "fascia/deformation.h"

namespace fascia {

/// A technique preset. All text is for users; `name` is the command-line id.
struct TechniquePreset {
  /// Kebab-case id for `--technique NAME`, e.g. "ischaemic-compression".
  std::string_view name;
  /// Short title, e.g. "Ischaemic compression of a trigger point".
  std::string_view title;
  /// One or two sentences for a patient, in our own words.
  std::string_view caption;
  /// Length of the animation, seconds.
  float durationS = 0.0f;
  /// How many times faster than the real technique the animation runs (shown as "x6");
  /// 1 when it runs in real time.
  int timeCompression = 1;
  ToolKind tool = ToolKind::Thumb;
  /// Default force, newtons (0 for stretches, which press nothing).
  float defaultLoadN = 0.0f;
  /// Default peak lengthening strain of the stretched muscle (0 for pressure techniques).
  float defaultStrain = 0.0f;
  /// The muscle a stretch applies to by default (a structure name in the bundled model), or
  /// empty for pressure techniques.
  std::string_view defaultMuscle;
  /// Stress at the top of the pressure legend, kPa.
  float legendMaxKPa = 400.0f;
  /// True for stretches (they need TechniqueParams::muscle), false for pressure techniques.
  bool isStretch() const { return defaultStrain > 0.0f; }
};

/// Every preset, in the order `--list-techniques` shows them.
std::span<const TechniquePreset> techniquePresets();

/// The preset named `name`. Throws std::invalid_argument naming the known presets when there is
/// none.
const TechniquePreset& findTechnique(std::string_view name);

/// Where and how hard a technique is applied.
struct TechniqueParams {
  /// Contact point on the skin (from a pick or a trigger point). Foam rolling passes run
  /// through it.
  glm::vec3 point{0.0f};
  /// Direction into the body; on the back about +Z.
  glm::vec3 direction{0.0f, 0.0f, 1.0f};
  /// The foam roller's axis (passes run across it); the drift direction of a myofascial
  /// release hold. Default: across the body.
  glm::vec3 axis{1.0f, 0.0f, 0.0f};
  /// Force in newtons; empty: the preset's default. Must be > 0 and <= 1000.
  std::optional<float> loadN;
  /// The stretched muscle (structure index); needed by stretch presets.
  std::optional<std::size_t> muscle;
  /// Peak strain of a stretch; empty: the preset's default. 0 < strain <= 0.5.
  std::optional<float> strain;
  /// The muscle's fixed end is the one nearest this point (see StretchLoad::anchor).
  std::optional<glm::vec3> anchor;
  /// Stiff (chronic low back pain) sliding instead of healthy, for stretches.
  bool stiff = false;
};

/// Where the tool is, for drawing it. The point is on the skin at rest; move it in by
/// Deformation::indentation to show it pressing.
struct ToolPose {
  ToolKind tool = ToolKind::Thumb;
  glm::vec3 position{0.0f};
  glm::vec3 direction{0.0f, 0.0f, 1.0f};
  glm::vec3 axis{1.0f, 0.0f, 0.0f};
};

/// A technique at one moment.
struct TechniqueState {
  /// Present for pressure techniques.
  std::optional<ToolPose> tool;
  /// Force pressing now, newtons.
  float forceN = 0.0f;
  /// Strain of the stretched muscle now.
  float strain = 0.0f;
  /// What the deformer gets.
  DeformationInput input;
  /// What is happening, for a caption: "Pressing in", "Holding", "Easing off", "Rest"...
  std::string_view phase;
};

/// The state of `preset` at time t seconds (clamped to the duration; after the end the model is
/// at rest). The same arguments always give the same state.
/// Throws std::invalid_argument when t is negative or not finite, the load is <= 0 or above
/// 1000 N, the strain is outside (0, 0.5], the direction is zero, or a stretch has no muscle.
TechniqueState evaluate(const TechniquePreset& preset, const TechniqueParams& params, double t);

/// Applies a state to the deformer's model: per-structure displacement and overlay values.
/// Throws what Deformer::update throws.
const Deformation& apply(Deformer& deformer, const TechniqueState& state);

} // namespace fascia
