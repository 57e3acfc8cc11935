#pragma once
/// \file deformation.h
/// What pressure from a tool (thumb, elbow, massage ball, foam roller) and a muscle stretch do to
/// the layers of a model: a displacement (metres) and an overlay value (0..1) per vertex of every
/// structure, for the renderer's `aDisplacement` / `aOverlay` seams. CPU only, no GL context.
/// The model and its numbers are described in docs/deformation.md.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include <glm/vec3.hpp>

#include "fascia/layer.h"
#include "fascia/model.h"

namespace fascia {

// ---------------------------------------------------------------------------------------------
// Tools and tissue

/// A contact tool.
enum class ToolKind : std::uint8_t { Thumb, Elbow, MassageBall, FoamRoller };

/// The contact geometry of a tool (metres).
struct ToolShape {
  /// Radius of the loaded disc for Thumb, Elbow and MassageBall; half-width of the loaded band
  /// for FoamRoller.
  float contactRadius = 0.0f;
  /// Radius of the tool's body (ball, roller) or of the thumb/elbow tip, for drawing it.
  float bodyRadius = 0.0f;
  /// Loaded length along the roller axis (FoamRoller only; 0 for the others).
  float contactLength = 0.0f;
  /// The roller's full length (FoamRoller only), for drawing it.
  float length = 0.0f;
};

/// The shape of a tool: thumb 0.6 cm contact radius, elbow/forearm 2.5 cm, massage ball (3 cm
/// radius sphere) 2 cm, foam roller (7.5 cm radius, 40 cm long) a 2 cm half-width band 30 cm long.
ToolShape toolShape(ToolKind tool);

/// The loaded area of a tool, m²: the contact disc, or the roller's band (2 × half-width ×
/// loaded length). Contact pressure is force / area.
float contactArea(ToolKind tool);

/// Machine name: "thumb", "elbow", "massage-ball", "foam-roller".
std::string_view toolId(ToolKind tool);

/// The word for users: "thumb", "elbow", "massage ball", "foam roller".
std::string_view toolName(ToolKind tool);

/// How one layer resists being pressed: a small-strain Young's modulus and the compressive
/// strain it stiffens towards and cannot pass (a limiting-strain law, docs/deformation.md).
struct TissueLaw {
  float youngsModulusKPa = 0.0f; ///< 0 for bone: rigid
  float limitStrain = 0.0f;      ///< 0 < limitStrain < 1 for soft layers
};

/// The law used for a layer (skin 600 kPa, fat 9 kPa, deep fascia 1 MPa across its thickness,
/// muscle and "other" 56 kPa; bone rigid).
TissueLaw tissueLaw(Layer layer);

// ---------------------------------------------------------------------------------------------
// Loads

/// Pressure of a tool on the skin.
struct PressureLoad {
  ToolKind tool = ToolKind::Thumb;
  /// A point on (or within a few centimetres of) the skin where the tool presses.
  glm::vec3 point{0.0f};
  /// Direction into the body (need not be unit length). On the back that is about +Z.
  glm::vec3 direction{0.0f, 0.0f, 1.0f};
  /// The roller's axis (FoamRoller only); its part along `direction` is ignored.
  glm::vec3 axis{1.0f, 0.0f, 0.0f};
  /// Force along `direction`, newtons. 0 presses nothing; validate() limits it to 1000 N.
  float forceN = 0.0f;
};

/// Sliding between the thoracolumbar fascia and the muscle under it in trunk flexion, as a
/// fraction of the muscle's displacement: healthy about 70%, chronic low back pain about 56%.
inline constexpr float kHealthySliding = 0.70f;
inline constexpr float kStiffSliding = 0.56f;

/// A muscle lengthening along its fibres.
struct StretchLoad {
  /// Index of the structure (a muscle) in the model.
  std::size_t muscle = 0;
  /// Lengthening strain, e.g. 0.2 for 20%. 0 <= strain <= 0.5.
  float strain = 0.0f;
  /// The muscle's fixed (origin) end is the end of its mean fibre axis nearest this point; when
  /// empty, the end with the lower coordinate along the axis.
  std::optional<glm::vec3> anchor;
  /// Fraction of the muscle's displacement by which the deep fascia over it slides (0..1); the
  /// fascia itself moves by the rest.
  float sliding = kHealthySliding;
};

/// Throws std::invalid_argument with a message a user can act on when the load is unusable:
/// a non-finite or zero-length direction or axis, a roller axis along the direction, or a force
/// that is negative, non-finite or above 1000 N.
void validate(const PressureLoad& load);

/// Throws std::invalid_argument when the strain is outside 0..0.5, the sliding outside 0..1, or
/// a value is not finite. The muscle index is checked by Deformer::update.
void validate(const StretchLoad& load);

/// Everything that deforms the model in one frame.
struct DeformationInput {
  std::optional<PressureLoad> pressure;
  std::optional<StretchLoad> stretch;
  /// Stress shown as overlay 1 (the top of the legend), kPa.
  float legendMaxKPa = 400.0f;
};

// ---------------------------------------------------------------------------------------------
// Output

/// Which quantity the overlay holds.
enum class OverlayKind : std::uint8_t {
  None,     ///< nothing to show
  Pressure, ///< stress along the load direction / legendMaxKPa
  Sliding,  ///< relative sliding of fascia and muscle, 0..1
};

/// A half-open range of vertex indices.
struct VertexRange {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

/// The deformation of one structure. Arrays have one entry per vertex of its mesh.
struct StructureDeformation {
  /// Offset from the rest position, metres.
  std::vector<glm::vec3> displacement;
  /// Overlay value 0..1 (see Deformation::overlay).
  std::vector<float> overlay;
  /// Stress along the load direction, kPa (0 where no pressure reaches).
  std::vector<float> stressKPa;
  /// Vertices whose values changed in the last update (including those reset to zero): sorted,
  /// disjoint ranges; gaps of a few vertices are merged. Upload only these.
  std::vector<VertexRange> dirty;
  /// Largest displacement length, metres (grow the structure's bounds by it).
  float maxOffset = 0.0f;
};

/// The deformation of a whole model, one entry per structure in model order.
struct Deformation {
  std::vector<StructureDeformation> structures;
  OverlayKind overlay = OverlayKind::None;
  /// The stress of overlay value 1, kPa (the legend's top) when overlay is Pressure.
  float legendMaxKPa = 0.0f;
  /// Mean contact pressure under the tool (force / contact area), kPa.
  float contactPressureKPa = 0.0f;
  /// How far the skin under the middle of the tool moves in, metres (to place the tool).
  float indentation = 0.0f;
  /// Depth of bone (or the deepest tissue considered) under the tool, metres below the skin.
  float tissueDepth = 0.0f;
  /// Vertices written in the last update (touched this update or reset from the last).
  std::size_t dirtyVertexCount = 0;
};

// ---------------------------------------------------------------------------------------------
// The solver

/// Computes deformations of one model. Construction precomputes what never changes (bounding
/// boxes of runs of 64 consecutive vertices; a muscle's fibre axis and centreline are built the
/// first time it is stretched); each update then visits only the vertex runs within reach of
/// the loads and resets those the last update wrote. The same input
/// always gives bit-identical output, whatever came before. Holds a copy of the positions it
/// needs, so the model may be moved or destroyed. Not thread-safe: one update at a time.
class Deformer {
public:
  /// Precomputes for `model`. O(vertices). Throws nothing but std::bad_alloc.
  explicit Deformer(const Model& model);
  ~Deformer();
  Deformer(Deformer&&) noexcept;
  Deformer& operator=(Deformer&&) noexcept;
  Deformer(const Deformer&) = delete;
  Deformer& operator=(const Deformer&) = delete;

  /// Computes the deformation for `input` and returns it (valid until the next update).
  /// An empty input returns the model to rest. Throws std::invalid_argument for a load that
  /// fails validate(), or a stretch of a structure index that is out of range or a bone.
  const Deformation& update(const DeformationInput& input);

  /// The last result (all zero before the first update).
  const Deformation& current() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace fascia
