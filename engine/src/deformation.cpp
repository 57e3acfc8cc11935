// Pressure and stretch deformation. The physics is described, with its sources, in
// docs/deformation.md; this file follows its section names.

#include "fascia/deformation.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

#include <glm/common.hpp>
#include <glm/exponential.hpp>
#include <glm/geometric.hpp>
#include <glm/mat3x3.hpp>
#include <glm/matrix.hpp>

namespace fascia {
namespace {

constexpr float kPi = 3.14159265358979f;
/// Soft tissue is nearly incompressible.
constexpr double kPoisson = 0.5;
/// Loads above this are not something a hand, elbow or body weight on a roller applies.
constexpr float kMaxForceN = 1000.0f;
/// How far below the skin the solver looks for bone; deeper tissue is taken as fixed.
constexpr float kMaxTissueDepth = 0.12f;
/// Vertices this far above the contact plane (a concave spot, a fold) are still pressed.
constexpr float kAboveSurfaceTolerance = 0.03f;
/// The profile of layers under the tool is read from vertices this close to its axis.
constexpr float kProfileRadius = 0.012f;
/// The influence of a load reaches kReach contact radii; it fades out from kFade of them.
constexpr float kReach = 8.0f;
constexpr float kFade = 5.0f;
/// Grid cell edge, metres.
constexpr float kCellSize = 0.02f;
/// Dirty ranges closer than this many vertices are merged.
constexpr std::uint32_t kMergeGap = 16;

float smoothstep(float edge0, float edge1, float x) {
  const float t = std::clamp((x - edge0) / (edge1 - edge0), 0.0f, 1.0f);
  return t * t * (3.0f - 2.0f * t);
}

bool finite(const glm::vec3& v) {
  return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z);
}

// ---------------------------------------------------------------------------------------------
// Influence tables: the elastic half-space under a uniform load, in units of the contact radius
// (or strip half-width) a and of p/E. `strain` is the compressive vertical strain (negative
// parts, i.e. vertical stretching, cut off), `stress` the vertical stress over p.

struct InfluenceTable {
  static constexpr int kRhoNodes = 129; // 0..8 in steps of 1/16
  static constexpr int kZetaNodes = 193; // 0..24 in steps of 1/8
  static constexpr float kRhoStep = 1.0f / 16.0f;
  static constexpr float kZetaStep = 1.0f / 8.0f;
  std::vector<float> strain;
  std::vector<float> stress;

  /// Bilinear lookup at (rho, zeta); outside the table the nearest edge value.
  void sample(float rho, float zeta, float& strainOut, float& stressOut) const {
    const float x = std::clamp(rho / kRhoStep, 0.0f, static_cast<float>(kRhoNodes - 1) - 1e-3f);
    const float y = std::clamp(zeta / kZetaStep, 0.0f, static_cast<float>(kZetaNodes - 1) - 1e-3f);
    const int i = static_cast<int>(x), j = static_cast<int>(y);
    const float fx = x - static_cast<float>(i), fy = y - static_cast<float>(j);
    const auto at = [&](const std::vector<float>& t, int a, int b) {
      return t[static_cast<std::size_t>(a * kZetaNodes + b)];
    };
    const auto lerp2 = [&](const std::vector<float>& t) {
      const float top = at(t, i, j) + fx * (at(t, i + 1, j) - at(t, i, j));
      const float bottom = at(t, i, j + 1) + fx * (at(t, i + 1, j + 1) - at(t, i, j + 1));
      return top + fy * (bottom - top);
    };
    strainOut = lerp2(strain);
    stressOut = lerp2(stress);
  }
};

/// Uniform pressure on a disc of radius 1 (Boussinesq's point-load solution integrated over the
/// disc). The integral runs in polar coordinates centred under the field point, where the radial
/// part has a closed form, so only the angle is summed numerically and nothing is singular:
/// with q = z / R at the near (1) and far (2) chord ends,
///   strain = (1+v)/(2 pi) * sum [2v (q2 - q1) - (q2^3 - q1^3)] dtheta
///   stress = 1/(2 pi) * sum [q1^3 - q2^3] dtheta
InfluenceTable makeDiscTable() {
  constexpr int kAngles = 360; // over [0, pi]; the integrand is symmetric in theta
  InfluenceTable table;
  table.strain.resize(InfluenceTable::kRhoNodes * InfluenceTable::kZetaNodes);
  table.stress.resize(table.strain.size());
  for (int i = 0; i < InfluenceTable::kRhoNodes; ++i) {
    const double rho = i * static_cast<double>(InfluenceTable::kRhoStep);
    for (int j = 0; j < InfluenceTable::kZetaNodes; ++j) {
      const double z = j * static_cast<double>(InfluenceTable::kZetaStep);
      double strainSum = 0.0, stressSum = 0.0;
      for (int k = 0; k < kAngles; ++k) {
        const double theta = (k + 0.5) * std::numbers::pi / kAngles;
        const double c = std::cos(theta), s = std::sin(theta);
        const double disc = 1.0 - rho * rho * s * s;
        if (disc <= 0.0) continue;
        const double root = std::sqrt(disc);
        double s1 = 0.0, s2 = -rho * c + root;
        if (rho > 1.0) {
          if (c >= 0.0) continue;
          s1 = -rho * c - root;
        }
        if (s2 <= s1) continue;
        const auto q = [z](double chord) {
          return chord == 0.0 ? 1.0 : z / std::sqrt(chord * chord + z * z);
        };
        const double q1 = q(s1), q2 = q(s2);
        strainSum += 2.0 * kPoisson * (q2 - q1) - (q2 * q2 * q2 - q1 * q1 * q1);
        stressSum += q1 * q1 * q1 - q2 * q2 * q2;
      }
      // Sum over [0, pi] doubled for the full circle, times dtheta / (2 pi).
      const double weight = 2.0 * (std::numbers::pi / kAngles) / (2.0 * std::numbers::pi);
      const std::size_t at = static_cast<std::size_t>(i * InfluenceTable::kZetaNodes + j);
      table.strain[at] = static_cast<float>(std::max(0.0, (1.0 + kPoisson) * weight * strainSum));
      table.stress[at] = static_cast<float>(std::clamp(weight * stressSum, 0.0, 1.0));
    }
  }
  return table;
}

/// Uniform pressure on an infinitely long strip of half-width 1, in plane strain: Flamant's
/// line-load stresses integrated across the strip give, with phi the angles from the vertical to
/// the strip's edges, sigma_z = [phi + sin phi cos phi] / pi and sigma_x = [phi - sin phi cos
/// phi] / pi, and the plane-strain vertical strain is (1-v^2) sigma_z - v(1+v) sigma_x.
InfluenceTable makeStripTable() {
  InfluenceTable table;
  table.strain.resize(InfluenceTable::kRhoNodes * InfluenceTable::kZetaNodes);
  table.stress.resize(table.strain.size());
  for (int i = 0; i < InfluenceTable::kRhoNodes; ++i) {
    const double x = i * static_cast<double>(InfluenceTable::kRhoStep);
    for (int j = 0; j < InfluenceTable::kZetaNodes; ++j) {
      const double z = j * static_cast<double>(InfluenceTable::kZetaStep);
      const double phi1 = std::atan2(x + 1.0, z), phi2 = std::atan2(x - 1.0, z);
      const auto sc = [](double phi) { return std::sin(phi) * std::cos(phi); };
      const double sz = (phi1 - phi2 + sc(phi1) - sc(phi2)) / std::numbers::pi;
      const double sx = (phi1 - phi2 - sc(phi1) + sc(phi2)) / std::numbers::pi;
      const double strain = (1.0 - kPoisson * kPoisson) * sz - kPoisson * (1.0 + kPoisson) * sx;
      const std::size_t at = static_cast<std::size_t>(i * InfluenceTable::kZetaNodes + j);
      table.strain[at] = static_cast<float>(std::max(0.0, strain));
      table.stress[at] = static_cast<float>(std::clamp(sz, 0.0, 1.0));
    }
  }
  return table;
}

const InfluenceTable& discTable() {
  static const InfluenceTable table = makeDiscTable();
  return table;
}

const InfluenceTable& stripTable() {
  static const InfluenceTable table = makeStripTable();
  return table;
}

// ---------------------------------------------------------------------------------------------
// Per-update field: displacement and stress on a (lateral distance, depth) grid for the current
// load and layer profile. Every vertex then needs one bilinear lookup.

struct Field {
  static constexpr int kRho = 48;
  static constexpr int kDepth = 240;
  float rhoMax = 0.0f;
  float depth = 0.0f; // rigid base, metres below the skin
  float rhoStep = 0.0f;
  float depthStep = 0.0f;
  std::vector<float> displacement; // (kRho + 1) x (kDepth + 1)
  std::vector<float> stress;

  void sample(float rho, float z, float& w, float& s) const {
    const float x = std::min(rho / rhoStep, static_cast<float>(kRho) - 1e-3f);
    const float y = std::min(z / depthStep, static_cast<float>(kDepth) - 1e-3f);
    const int i = static_cast<int>(x), j = static_cast<int>(y);
    const float fx = x - static_cast<float>(i), fy = y - static_cast<float>(j);
    const auto at = [](const std::vector<float>& t, int a, int b) {
      return t[static_cast<std::size_t>(a * (kDepth + 1) + b)];
    };
    const auto lerp2 = [&](const std::vector<float>& t) {
      const float top = at(t, i, j) + fx * (at(t, i + 1, j) - at(t, i, j));
      const float bottom = at(t, i, j + 1) + fx * (at(t, i + 1, j + 1) - at(t, i, j + 1));
      return top + fy * (bottom - top);
    };
    w = lerp2(displacement);
    s = lerp2(stress);
  }
};

/// Depths (metres below the skin) where each soft layer starts under the tool; a layer runs to
/// the start of the next one present. Bone (or kMaxTissueDepth) is the rigid base.
struct Profile {
  std::array<float, kLayerCount> top{};
  float base = kMaxTissueDepth;
  float skin = 0.0f; // depth of the skin surface along the load axis from the load point

  TissueLaw lawAt(float z) const {
    // Layers in order skin, superficial fascia, deep fascia, muscle; "other" counts as muscle.
    Layer layer = Layer::Skin;
    for (const Layer candidate : {Layer::SuperficialFascia, Layer::DeepFascia, Layer::Muscle})
      if (z >= top[static_cast<std::size_t>(layerIndex(candidate))]) layer = candidate;
    return tissueLaw(layer);
  }
};

/// Integrates the limiting-strain law up from the rigid base for one lateral column.
void integrateColumn(const InfluenceTable& table, const Profile& profile, float contactRadius,
                     float pressureKPa, float rho, float window, float* w, float* s,
                     float depthStep) {
  w[Field::kDepth] = 0.0f;
  for (int k = Field::kDepth - 1; k >= 0; --k) {
    const float mid = (static_cast<float>(k) + 0.5f) * depthStep;
    const TissueLaw law = profile.lawAt(mid);
    float strainShape = 0.0f, stressShape = 0.0f;
    table.sample(rho / contactRadius, mid / contactRadius, strainShape, stressShape);
    const float linear = pressureKPa / law.youngsModulusKPa * strainShape;
    const float strain = law.limitStrain * linear / (law.limitStrain + linear);
    w[k] = w[k + 1] + strain * depthStep;
  }
  for (int k = 0; k <= Field::kDepth; ++k) {
    float strainShape = 0.0f, stressShape = 0.0f;
    table.sample(rho / contactRadius, static_cast<float>(k) * depthStep / contactRadius,
                 strainShape, stressShape);
    w[k] *= window;
    s[k] = pressureKPa * stressShape * window;
  }
}

// ---------------------------------------------------------------------------------------------
// Spatial grid of every vertex (bone included: the profile needs it)

struct GridEntry {
  glm::vec3 position;
  std::uint32_t structure;
  std::uint32_t vertex;
};

struct Grid {
  glm::vec3 origin{0.0f};
  glm::ivec3 dims{0};
  std::vector<std::uint32_t> cellStart; // dims.x*dims.y*dims.z + 1
  std::vector<GridEntry> entries;

  glm::ivec3 cellOf(const glm::vec3& p) const {
    const glm::ivec3 c(glm::floor((p - origin) / kCellSize));
    return glm::clamp(c, glm::ivec3(0), dims - 1);
  }
  std::size_t index(int x, int y, int z) const {
    return (static_cast<std::size_t>(z) * static_cast<std::size_t>(dims.y) +
            static_cast<std::size_t>(y)) *
               static_cast<std::size_t>(dims.x) +
           static_cast<std::size_t>(x);
  }

  /// Calls fn(entry) for every entry in the cells overlapping [lo, hi].
  template <typename Fn> void forEachIn(const glm::vec3& lo, const glm::vec3& hi, Fn&& fn) const {
    if (entries.empty()) return;
    const glm::ivec3 a = cellOf(lo), b = cellOf(hi);
    for (int z = a.z; z <= b.z; ++z)
      for (int y = a.y; y <= b.y; ++y) {
        // Cells along x are contiguous: one run per row.
        const std::uint32_t begin = cellStart[index(a.x, y, z)];
        const std::uint32_t end = cellStart[index(b.x, y, z) + 1];
        for (std::uint32_t e = begin; e < end; ++e) fn(entries[e]);
      }
  }
};

Grid buildGrid(const Model& model) {
  Grid grid;
  const Bounds bounds = model.bounds();
  if (bounds.empty()) return grid;
  grid.origin = bounds.min;
  grid.dims = glm::max(glm::ivec3(glm::ceil(bounds.size() / kCellSize)), glm::ivec3(1));
  const std::size_t cells = static_cast<std::size_t>(grid.dims.x) *
                            static_cast<std::size_t>(grid.dims.y) *
                            static_cast<std::size_t>(grid.dims.z);
  std::vector<std::uint32_t> counts(cells + 1, 0);
  std::vector<std::uint32_t> cellOfEntry;
  for (const Structure& structure : model.structures)
    for (const glm::vec3& p : structure.mesh.positions) {
      const glm::ivec3 c = grid.cellOf(p);
      const auto cell = static_cast<std::uint32_t>(grid.index(c.x, c.y, c.z));
      cellOfEntry.push_back(cell);
      ++counts[cell + 1];
    }
  for (std::size_t i = 1; i <= cells; ++i) counts[i] += counts[i - 1];
  grid.cellStart = counts;
  // Counting sort: slot -> (structure, vertex), then the entries in slot order.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> bySlot(cellOfEntry.size());
  std::size_t n = 0;
  for (std::size_t s = 0; s < model.structures.size(); ++s)
    for (std::size_t v = 0; v < model.structures[s].mesh.positions.size(); ++v, ++n)
      bySlot[counts[cellOfEntry[n]]++] = {static_cast<std::uint32_t>(s),
                                          static_cast<std::uint32_t>(v)};
  grid.entries.reserve(bySlot.size());
  for (const auto& [s, v] : bySlot)
    grid.entries.push_back({model.structures[s].mesh.positions[v], s, v});
  return grid;
}

// ---------------------------------------------------------------------------------------------
// Muscle rigs for stretching: mean fibre axis, a centreline and the deep fascia over the muscle

constexpr int kSlices = 16;
/// Deep fascia this far outside a muscle's outline still follows it, fading out.
constexpr float kFasciaMargin = 0.02f;

struct FasciaVertex {
  std::uint32_t structure;
  std::uint32_t vertex;
  float along;  // coordinate along the muscle axis
  float weight; // 0..1
};

struct MuscleRig {
  glm::vec3 axis{0.0f, 1.0f, 0.0f};
  float sMin = 0.0f, sMax = 0.0f;
  std::array<glm::vec3, kSlices> centre{};
  std::array<float, kSlices> radius{};
  std::vector<glm::vec3> fibres; // unit, oriented along +axis
  std::vector<FasciaVertex> fascia;

  float sliceCoordinate(float s) const {
    const float t = (s - sMin) / std::max(sMax - sMin, 1e-6f) * kSlices - 0.5f;
    return std::clamp(t, 0.0f, static_cast<float>(kSlices - 1));
  }
  glm::vec3 centreAt(float s) const {
    const float t = sliceCoordinate(s);
    const int i = std::min(static_cast<int>(t), kSlices - 2);
    const float f = t - static_cast<float>(i);
    return centre[static_cast<std::size_t>(i)] * (1.0f - f) +
           centre[static_cast<std::size_t>(i) + 1] * f;
  }
  float radiusAt(float s) const {
    const float t = sliceCoordinate(s);
    const int i = std::min(static_cast<int>(t), kSlices - 2);
    const float f = t - static_cast<float>(i);
    return radius[static_cast<std::size_t>(i)] * (1.0f - f) +
           radius[static_cast<std::size_t>(i) + 1] * f;
  }
};

/// The dominant direction of a set of (sign-free) directions or offsets: power iteration on
/// the sum of outer products, started from a fixed vector so the result is deterministic.
glm::vec3 principalAxis(const std::vector<glm::vec3>& vectors) {
  glm::dmat3 m(0.0);
  for (const glm::vec3& v : vectors) m += glm::outerProduct(glm::dvec3(v), glm::dvec3(v));
  glm::dvec3 axis(0.31, 0.87, 0.38);
  for (int i = 0; i < 64; ++i) {
    const glm::dvec3 next = m * axis;
    const double length = glm::length(next);
    if (length < 1e-30) return glm::vec3(0.0f, 1.0f, 0.0f);
    axis = next / length;
  }
  // The sign is arbitrary: make the largest component positive, so "the low end" of a vertical
  // muscle is its lower end.
  const glm::dvec3 mag = glm::abs(axis);
  const double largest = mag.x >= mag.y && mag.x >= mag.z ? axis.x : (mag.y >= mag.z ? axis.y : axis.z);
  return glm::vec3(largest < 0.0 ? -axis : axis);
}

MuscleRig buildRig(const Model& model, std::size_t muscle) {
  const MeshData& mesh = model.structures[muscle].mesh;
  MuscleRig rig;
  if (mesh.positions.empty()) return rig;
  glm::dvec3 mean(0.0);
  for (const glm::vec3& p : mesh.positions) mean += glm::dvec3(p);
  mean /= static_cast<double>(mesh.positions.size());
  if (!mesh.fibres.empty()) {
    rig.axis = principalAxis(mesh.fibres);
  } else {
    // No fibre directions: take the muscle's long axis.
    std::vector<glm::vec3> offsets;
    offsets.reserve(mesh.positions.size());
    for (const glm::vec3& p : mesh.positions) offsets.push_back(p - glm::vec3(mean));
    rig.axis = principalAxis(offsets);
  }
  rig.fibres.resize(mesh.positions.size());
  for (std::size_t v = 0; v < mesh.positions.size(); ++v) {
    const glm::vec3 f = mesh.fibres.empty() ? rig.axis : mesh.fibres[v];
    rig.fibres[v] = glm::dot(f, rig.axis) < 0.0f ? -f : f;
  }
  rig.sMin = std::numeric_limits<float>::max();
  rig.sMax = std::numeric_limits<float>::lowest();
  for (const glm::vec3& p : mesh.positions) {
    const float s = glm::dot(p, rig.axis);
    rig.sMin = std::min(rig.sMin, s);
    rig.sMax = std::max(rig.sMax, s);
  }
  std::array<glm::dvec3, kSlices> sum{};
  std::array<int, kSlices> count{};
  const auto slice = [&](float s) {
    const int i = static_cast<int>((s - rig.sMin) / std::max(rig.sMax - rig.sMin, 1e-6f) *
                                   kSlices);
    return static_cast<std::size_t>(std::clamp(i, 0, kSlices - 1));
  };
  for (const glm::vec3& p : mesh.positions) {
    const std::size_t i = slice(glm::dot(p, rig.axis));
    sum[i] += glm::dvec3(p);
    ++count[i];
  }
  for (std::size_t i = 0; i < kSlices; ++i)
    rig.centre[i] = count[i] > 0 ? glm::vec3(sum[i] / static_cast<double>(count[i]))
                                 : glm::vec3(mean);
  // Empty slices (a muscle with a gap along its axis) take the nearest filled one.
  for (std::size_t i = 1; i < kSlices; ++i)
    if (count[i] == 0 && count[i - 1] > 0) {
      rig.centre[i] = rig.centre[i - 1];
      count[i] = -1;
    }
  for (const glm::vec3& p : mesh.positions) {
    const float s = glm::dot(p, rig.axis);
    const glm::vec3 q = p - rig.centreAt(s);
    const float across = glm::length(q - glm::dot(q, rig.axis) * rig.axis);
    const std::size_t i = slice(s);
    rig.radius[i] = std::max(rig.radius[i], across);
  }

  for (std::size_t f = 0; f < model.structures.size(); ++f) {
    if (model.structures[f].info.layer != Layer::DeepFascia) continue;
    const auto& positions = model.structures[f].mesh.positions;
    for (std::size_t v = 0; v < positions.size(); ++v) {
      const float s = glm::dot(positions[v], rig.axis);
      const float beyond = std::max({0.0f, s - rig.sMax, rig.sMin - s});
      if (beyond >= kFasciaMargin) continue;
      const float clamped = std::clamp(s, rig.sMin, rig.sMax);
      const glm::vec3 q = positions[v] - rig.centreAt(clamped);
      const float across = glm::length(q - glm::dot(q, rig.axis) * rig.axis);
      const float r = rig.radiusAt(clamped);
      const float weight = (1.0f - smoothstep(r, r + kFasciaMargin, across)) *
                           (1.0f - smoothstep(0.0f, kFasciaMargin, beyond));
      if (weight > 0.0f)
        rig.fascia.push_back({static_cast<std::uint32_t>(f), static_cast<std::uint32_t>(v),
                              clamped, weight});
    }
  }
  return rig;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Tools, tissue and validation

ToolShape toolShape(ToolKind tool) {
  switch (tool) {
  case ToolKind::Thumb: return {0.006f, 0.009f, 0.0f, 0.0f};
  case ToolKind::Elbow: return {0.025f, 0.03f, 0.0f, 0.0f};
  // A 3 cm ball sunk about 8 mm into soft tissue touches a disc of radius
  // sqrt(2 R d - d^2) ~ 2 cm.
  case ToolKind::MassageBall: return {0.02f, 0.03f, 0.0f, 0.0f};
  // The roller is 40 cm long but a back or the buttocks load about 30 cm of it.
  case ToolKind::FoamRoller: return {0.02f, 0.075f, 0.30f, 0.40f};
  }
  return {};
}

std::string_view toolId(ToolKind tool) {
  switch (tool) {
  case ToolKind::Thumb: return "thumb";
  case ToolKind::Elbow: return "elbow";
  case ToolKind::MassageBall: return "massage-ball";
  case ToolKind::FoamRoller: return "foam-roller";
  }
  return "unknown";
}

TissueLaw tissueLaw(Layer layer) {
  // Young's modulus E = 3 G for an incompressible solid (G: shear modulus). Numbers and sources
  // in docs/deformation.md and shared reference treatment-numbers.md.
  switch (layer) {
  case Layer::Skin: return {600.0f, 0.30f};
  case Layer::SuperficialFascia: return {9.0f, 0.50f}; // subcutaneous fat, G ~ 3 kPa
  case Layer::DeepFascia: return {1000.0f, 0.20f};     // across its thickness
  case Layer::Muscle:
  case Layer::Other: return {56.0f, 0.30f}; // relaxed muscle, G ~ 18.6 kPa
  case Layer::Bone: return {0.0f, 0.0f};
  }
  return {};
}

void validate(const PressureLoad& load) {
  if (!finite(load.point)) throw std::invalid_argument("the pressure point is not a finite position");
  if (!finite(load.direction) || glm::length(load.direction) < 1e-6f)
    throw std::invalid_argument("the pressure direction must be a finite, non-zero vector");
  if (!std::isfinite(load.forceN) || load.forceN < 0.0f)
    throw std::invalid_argument("the load must be a finite number of newtons, 0 or more (got " +
                                std::to_string(load.forceN) + ")");
  if (load.forceN > kMaxForceN)
    throw std::invalid_argument("a load of " + std::to_string(load.forceN) +
                                " N is more than a hand or body weight applies (at most 1000 N)");
  if (load.tool == ToolKind::FoamRoller) {
    const glm::vec3 d = glm::normalize(load.direction);
    if (!finite(load.axis) || glm::length(load.axis - glm::dot(load.axis, d) * d) < 1e-3f)
      throw std::invalid_argument(
          "the foam roller's axis must be a finite vector across the pressing direction");
  }
}

void validate(const StretchLoad& load) {
  if (!std::isfinite(load.strain) || load.strain < 0.0f || load.strain > 0.5f)
    throw std::invalid_argument("the stretch strain must be between 0 and 0.5 (got " +
                                std::to_string(load.strain) + ")");
  if (!std::isfinite(load.sliding) || load.sliding < 0.0f || load.sliding > 1.0f)
    throw std::invalid_argument("the sliding fraction must be between 0 and 1 (got " +
                                std::to_string(load.sliding) + ")");
  if (load.anchor && !finite(*load.anchor))
    throw std::invalid_argument("the stretch anchor is not a finite position");
}

// ---------------------------------------------------------------------------------------------
// Deformer

struct Deformer::Impl {
  std::vector<Layer> layers;
  std::vector<std::vector<glm::vec3>> positions;
  Grid grid;
  std::vector<std::optional<MuscleRig>> rigs;
  Model rigSource; // positions, fibres and layers of muscles and deep fascia, for lazy rigs

  Deformation out;
  std::vector<std::vector<std::uint32_t>> touched; // per structure, last update
  std::vector<std::vector<std::uint32_t>> touchedNext;
  std::vector<std::vector<std::uint64_t>> dirtyBits;
  Field field;

  void markTouched(std::size_t s, std::uint32_t v) {
    touchedNext[s].push_back(v);
    dirtyBits[s][v >> 6] |= std::uint64_t{1} << (v & 63);
  }

  void applyStretch(const StretchLoad& load);
  void applyPressure(const PressureLoad& load, float legendMaxKPa);
  Profile sampleProfile(const glm::vec3& point, const glm::vec3& dir) const;
  void finishDirty();
};

Deformer::Deformer(const Model& model) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  const std::size_t n = model.structures.size();
  m.layers.resize(n);
  m.positions.resize(n);
  m.rigs.resize(n);
  m.out.structures.resize(n);
  m.touched.resize(n);
  m.touchedNext.resize(n);
  m.dirtyBits.resize(n);
  for (std::size_t s = 0; s < n; ++s) {
    const Structure& structure = model.structures[s];
    const std::size_t count = structure.mesh.positions.size();
    m.layers[s] = structure.info.layer;
    m.positions[s] = structure.mesh.positions;
    StructureDeformation& d = m.out.structures[s];
    d.displacement.assign(count, glm::vec3(0.0f));
    d.overlay.assign(count, 0.0f);
    d.stressKPa.assign(count, 0.0f);
    m.dirtyBits[s].assign((count + 63) / 64, 0);
    // Rigs need muscles and the deep fascia; other structures are kept as empty meshes.
    Structure copy;
    copy.info.layer = structure.info.layer;
    if (structure.info.layer == Layer::DeepFascia || structure.info.layer == Layer::Muscle ||
        structure.info.layer == Layer::Other) {
      copy.mesh.positions = structure.mesh.positions;
      copy.mesh.fibres = structure.mesh.fibres;
    }
    m.rigSource.structures.push_back(std::move(copy));
  }
  m.grid = buildGrid(model);
  m.field.displacement.resize((Field::kRho + 1) * (Field::kDepth + 1));
  m.field.stress.resize(m.field.displacement.size());
  // Build the half-space tables now rather than in the first frame.
  (void)discTable();
  (void)stripTable();
}

Deformer::~Deformer() = default;
Deformer::Deformer(Deformer&&) noexcept = default;
Deformer& Deformer::operator=(Deformer&&) noexcept = default;

const Deformation& Deformer::current() const { return impl_->out; }

const Deformation& Deformer::update(const DeformationInput& input) {
  Impl& m = *impl_;
  // Validate everything before changing anything, so a bad input leaves the last result.
  if (input.pressure) validate(*input.pressure);
  if (input.stretch) {
    validate(*input.stretch);
    if (input.stretch->muscle >= m.layers.size())
      throw std::invalid_argument("the stretched structure " +
                                  std::to_string(input.stretch->muscle) +
                                  " is not in the model (" + std::to_string(m.layers.size()) +
                                  " structures)");
    if (m.layers[input.stretch->muscle] == Layer::Bone)
      throw std::invalid_argument("a bone cannot be stretched");
  }
  if (!std::isfinite(input.legendMaxKPa) || input.legendMaxKPa <= 0.0f)
    throw std::invalid_argument("the legend's top stress must be a positive number of kPa");

  // Reset what the last update moved; mark it dirty.
  for (std::size_t s = 0; s < m.touched.size(); ++s) {
    StructureDeformation& d = m.out.structures[s];
    for (const std::uint32_t v : m.touched[s]) {
      d.displacement[v] = glm::vec3(0.0f);
      d.overlay[v] = 0.0f;
      d.stressKPa[v] = 0.0f;
      m.dirtyBits[s][v >> 6] |= std::uint64_t{1} << (v & 63);
    }
    d.maxOffset = 0.0f;
    m.touchedNext[s].clear();
  }
  m.out.overlay = OverlayKind::None;
  m.out.legendMaxKPa = input.legendMaxKPa;
  m.out.contactPressureKPa = 0.0f;
  m.out.indentation = 0.0f;
  m.out.tissueDepth = 0.0f;

  if (input.stretch && input.stretch->strain > 0.0f) m.applyStretch(*input.stretch);
  if (input.pressure && input.pressure->forceN > 0.0f)
    m.applyPressure(*input.pressure, input.legendMaxKPa);

  m.finishDirty();
  std::swap(m.touched, m.touchedNext);
  return m.out;
}

void Deformer::Impl::finishDirty() {
  out.dirtyVertexCount = 0;
  for (std::size_t s = 0; s < dirtyBits.size(); ++s) {
    std::vector<VertexRange>& ranges = out.structures[s].dirty;
    ranges.clear();
    if (touched[s].empty() && touchedNext[s].empty()) continue;
    std::vector<std::uint64_t>& bits = dirtyBits[s];
    // Only words between the lowest and highest marked vertex can be set.
    std::uint32_t lo = std::numeric_limits<std::uint32_t>::max(), hi = 0;
    for (const auto* list : {&touched[s], &touchedNext[s]})
      for (const std::uint32_t v : *list) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
    for (std::size_t w = lo >> 6; w <= (hi >> 6); ++w) {
      std::uint64_t word = bits[w];
      bits[w] = 0;
      while (word != 0) {
        const auto bit = static_cast<std::uint32_t>(std::countr_zero(word));
        const auto v = static_cast<std::uint32_t>(w * 64) + bit;
        word &= word - 1;
        ++out.dirtyVertexCount;
        if (!ranges.empty() && v <= ranges.back().end + kMergeGap) {
          ranges.back().end = v + 1;
        } else {
          ranges.push_back({v, v + 1});
        }
      }
    }
  }
}

void Deformer::Impl::applyStretch(const StretchLoad& load) {
  std::optional<MuscleRig>& slot = rigs[load.muscle];
  if (!slot) slot = buildRig(rigSource, load.muscle);
  const MuscleRig& rig = *slot;
  const std::vector<glm::vec3>& p = positions[load.muscle];
  if (p.empty()) return;

  // Which end is fixed: the end of the axis nearest the anchor, else the low end.
  bool fromLow = true;
  if (load.anchor) {
    const glm::vec3 low = rig.centre.front(), high = rig.centre.back();
    fromLow = glm::distance(*load.anchor, low) <= glm::distance(*load.anchor, high);
  }
  const float sign = fromLow ? 1.0f : -1.0f;
  const float origin = fromLow ? rig.sMin : rig.sMax;
  const float length = std::max(rig.sMax - rig.sMin, 1e-6f);
  const float e = load.strain;
  // Volume is kept when the cross-section shrinks by 1/sqrt(1+e) in both directions.
  const float narrowing = 1.0f / std::sqrt(1.0f + e) - 1.0f;

  out.overlay = OverlayKind::Sliding;
  StructureDeformation& d = out.structures[load.muscle];
  for (std::size_t v = 0; v < p.size(); ++v) {
    const float s = glm::dot(p[v], rig.axis);
    const float along = sign * (s - origin); // 0 at the fixed end, `length` at the other
    const glm::vec3 f = sign * rig.fibres[v];
    const glm::vec3 q = p[v] - rig.centreAt(s);
    const glm::vec3 across = q - glm::dot(q, f) * f;
    const glm::vec3 u = e * along * f + narrowing * across;
    const auto vi = static_cast<std::uint32_t>(v);
    d.displacement[vi] += u;
    d.overlay[vi] = std::max(d.overlay[vi], load.sliding * along / length);
    d.maxOffset = std::max(d.maxOffset, glm::length(d.displacement[vi]));
    markTouched(load.muscle, vi);
  }
  // The fascia over the muscle follows by what does not slide, along the muscle's axis.
  for (const FasciaVertex& fv : rig.fascia) {
    const float along = sign * (fv.along - origin);
    StructureDeformation& fd = out.structures[fv.structure];
    fd.displacement[fv.vertex] +=
        (fv.weight * (1.0f - load.sliding) * e * along * sign) * rig.axis;
    fd.overlay[fv.vertex] =
        std::max(fd.overlay[fv.vertex], fv.weight * load.sliding * along / length);
    fd.maxOffset = std::max(fd.maxOffset, glm::length(fd.displacement[fv.vertex]));
    markTouched(fv.structure, fv.vertex);
  }
}

Profile Deformer::Impl::sampleProfile(const glm::vec3& point, const glm::vec3& dir) const {
  constexpr float kUnset = std::numeric_limits<float>::max();
  std::array<float, kLayerCount> first;
  first.fill(kUnset);
  const glm::vec3 a = point - kAboveSurfaceTolerance * dir;
  const glm::vec3 b = point + kMaxTissueDepth * dir;
  const glm::vec3 lo = glm::min(a, b) - kProfileRadius, hi = glm::max(a, b) + kProfileRadius;
  // Pass 1: the skin surface; pass 2: every layer's first appearance below it.
  float skin = kUnset;
  grid.forEachIn(lo, hi, [&](const GridEntry& e) {
    if (layers[e.structure] != Layer::Skin) return;
    const glm::vec3 q = e.position - point;
    const float z = glm::dot(q, dir);
    if (z < -kAboveSurfaceTolerance || z > kMaxTissueDepth) return;
    if (glm::length(q - z * dir) < kProfileRadius) skin = std::min(skin, z);
  });
  if (skin == kUnset) skin = 0.0f;
  grid.forEachIn(lo, hi, [&](const GridEntry& e) {
    const glm::vec3 q = e.position - point;
    const float z = glm::dot(q, dir) - skin;
    if (z < 0.0f || z > kMaxTissueDepth) return;
    if (glm::length(q - glm::dot(q, dir) * dir) >= kProfileRadius) return;
    float& f = first[static_cast<std::size_t>(layerIndex(layers[e.structure]))];
    f = std::min(f, z);
  });
  Profile profile;
  profile.skin = skin;
  const auto at = [](Layer l) { return static_cast<std::size_t>(layerIndex(l)); };
  profile.base = std::min(first[at(Layer::Bone)], kMaxTissueDepth);
  // "Other" soft tissue counts as muscle; a layer starts no higher than the one above it.
  first[at(Layer::Muscle)] = std::min(first[at(Layer::Muscle)], first[at(Layer::Other)]);
  float previous = 0.0f;
  profile.top[at(Layer::Skin)] = 0.0f;
  for (const Layer l : {Layer::SuperficialFascia, Layer::DeepFascia, Layer::Muscle}) {
    const float t = first[at(l)] == kUnset ? kUnset : std::max(first[at(l)], previous);
    profile.top[at(l)] = t;
    if (t != kUnset) previous = t;
  }
  profile.base = std::max(profile.base, previous + 1e-3f);
  profile.base = std::min(profile.base, kMaxTissueDepth);
  return profile;
}

void Deformer::Impl::applyPressure(const PressureLoad& load, float legendMaxKPa) {
  const ToolShape shape = toolShape(load.tool);
  const glm::vec3 dir = glm::normalize(load.direction);
  const bool roller = load.tool == ToolKind::FoamRoller;
  const float radius = shape.contactRadius;
  const float areaM2 = roller ? 2.0f * radius * shape.contactLength : kPi * radius * radius;
  const float pressureKPa = load.forceN / areaM2 / 1000.0f;
  const Profile profile = sampleProfile(load.point, dir);
  const glm::vec3 surface = load.point + profile.skin * dir;

  // The field for this load.
  Field& f = field;
  f.rhoMax = kReach * radius;
  f.depth = profile.base;
  f.rhoStep = f.rhoMax / Field::kRho;
  f.depthStep = f.depth / Field::kDepth;
  const InfluenceTable& table = roller ? stripTable() : discTable();
  for (int i = 0; i <= Field::kRho; ++i) {
    const float rho = static_cast<float>(i) * f.rhoStep;
    const float window = 1.0f - smoothstep(kFade * radius, kReach * radius, rho);
    const std::size_t at = static_cast<std::size_t>(i * (Field::kDepth + 1));
    integrateColumn(table, profile, radius, pressureKPa, rho, window, &f.displacement[at],
                    &f.stress[at], f.depthStep);
  }

  // The region the load reaches, as a box.
  glm::vec3 axis(0.0f), across(0.0f);
  float halfLength = 0.0f, taperEnd = 0.0f;
  if (roller) {
    axis = glm::normalize(load.axis - glm::dot(load.axis, dir) * dir);
    across = glm::cross(dir, axis);
    halfLength = 0.5f * shape.contactLength;
    taperEnd = 0.5f * shape.length;
  }
  glm::vec3 lo(std::numeric_limits<float>::max()), hi(std::numeric_limits<float>::lowest());
  for (const float z : {-kAboveSurfaceTolerance, f.depth}) {
    const glm::vec3 c = surface + z * dir;
    glm::vec3 extent;
    if (roller) {
      extent = glm::abs(axis) * taperEnd + glm::abs(across) * f.rhoMax;
    } else {
      // A disc of radius rhoMax across `dir` spans rhoMax * sqrt(1 - d_i^2) along axis i.
      extent = f.rhoMax * glm::sqrt(glm::max(glm::vec3(1.0f) - dir * dir, glm::vec3(0.0f)));
    }
    lo = glm::min(lo, c - extent);
    hi = glm::max(hi, c + extent);
  }

  out.overlay = OverlayKind::Pressure;
  out.contactPressureKPa = pressureKPa;
  out.tissueDepth = f.depth;
  {
    float w = 0.0f, s = 0.0f;
    f.sample(0.0f, 0.0f, w, s);
    out.indentation = w;
  }
  const float invLegend = 1.0f / legendMaxKPa;
  grid.forEachIn(lo, hi, [&](const GridEntry& e) {
    if (layers[e.structure] == Layer::Bone) return;
    const glm::vec3 q = e.position - surface;
    const float zRaw = glm::dot(q, dir);
    if (zRaw >= f.depth || zRaw < -kAboveSurfaceTolerance) return;
    float rho = 0.0f, axial = 1.0f;
    if (roller) {
      rho = std::abs(glm::dot(q, across));
      const float along = std::abs(glm::dot(q, axis));
      if (along >= taperEnd) return;
      axial = 1.0f - smoothstep(halfLength, taperEnd, along);
    } else {
      rho = glm::length(q - zRaw * dir);
    }
    if (rho >= f.rhoMax) return;
    float w = 0.0f, s = 0.0f;
    f.sample(rho, std::max(zRaw, 0.0f), w, s);
    w *= axial;
    s *= axial;
    if (w <= 0.0f && s <= 0.0f) return;
    StructureDeformation& d = out.structures[e.structure];
    d.displacement[e.vertex] += w * dir;
    d.stressKPa[e.vertex] = s;
    d.overlay[e.vertex] = std::max(d.overlay[e.vertex], std::min(1.0f, s * invLegend));
    d.maxOffset = std::max(d.maxOffset, glm::length(d.displacement[e.vertex]));
    markTouched(e.structure, e.vertex);
  });
}

} // namespace fascia
