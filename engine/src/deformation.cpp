// Pressure and stretch deformation. The physics is described, with its sources, in
// docs/deformation.md; this file follows its section names.

#include "fascia/deformation.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

#include <glm/common.hpp>
#include <glm/exponential.hpp>
#include <glm/geometric.hpp>
#include <glm/mat3x3.hpp>
#include <glm/matrix.hpp>
#include <glm/vec2.hpp>

namespace fascia {
namespace {

constexpr float kPi = 3.14159265358979f;
/// Soft tissue is nearly incompressible.
constexpr double kPoisson = 0.5;
/// Loads above this are not something a hand, elbow or body weight on a roller applies.
constexpr float kMaxForceN = 1000.0f;
/// How far below the skin the solver looks for bone; deeper tissue is taken as fixed.
constexpr float kMaxTissueDepth = 0.12f;
/// The skin under the tool is looked for this far above the given point (a picked point may
/// lie a little inside the skin).
constexpr float kAboveSurfaceTolerance = 0.03f;
/// The profile of layers under the tool is read from vertices this close to its axis.
constexpr float kProfileRadius = 0.012f;
/// The influence of a load reaches at most kReach contact radii (less over shallow bone); it
/// fades out over the last (kReach - kFade) / kReach of its reach.
constexpr float kReach = 8.0f;
constexpr float kFade = 5.0f;
/// Skin is looked for this far above the contact plane (a buttock beside the sacrum).
constexpr float kSkinSearch = 0.06f;
/// Vertices this far above the skin over them (noise of the smoothed skin height) still count
/// as on the surface; further out they are not body tissue under the tool.
constexpr float kAboveSkinTolerance = 0.01f;
/// Width (standard deviation) of the rounding of the tool's edge, in contact radii.
constexpr float kEdgeSoftening = 0.25f;
/// Skin this far below the skin over it belongs to another fold of the body (the flank beyond
/// the curve of a buttock, the far side of a limb): the tissue column under the tool ends
/// there. Well over the skin's own thickness along a slanted load (a few millimetres / cos).
constexpr float kSkinFoldDepth = 0.025f;

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
  static constexpr int kRhoNodes = 129;  // 0..8 in steps of 1/16
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
  float perRho = 0.0f, perDepth = 0.0f; // 1 / step
  std::vector<float> displacement;      // (kRho + 1) x (kDepth + 1)
  std::vector<float> stress;

  void sample(float rho, float z, float& w, float& s) const {
    const float x = std::min(rho * perRho, static_cast<float>(kRho) - 1e-3f);
    const float y = std::min(z * perDepth, static_cast<float>(kDepth) - 1e-3f);
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

  /// Gaussian blur across the columns (lateral distance), mirrored at the axis, zero beyond
  /// rhoMax. Each new column is a positive combination of old ones with weights summing to at
  /// most 1, so displacement stays non-increasing with depth and its slope stays above -limit:
  /// the layer order is kept.
  void blurAcross(float sigma) {
    const int reach = std::min(kRho, static_cast<int>(std::ceil(2.5f * sigma / rhoStep)));
    if (reach < 1) return;
    std::vector<float> weights(static_cast<std::size_t>(reach) + 1);
    float total = 0.0f;
    for (int j = 0; j <= reach; ++j) {
      const float x = static_cast<float>(j) * rhoStep / sigma;
      weights[static_cast<std::size_t>(j)] = std::exp(-0.5f * x * x);
      total += (j == 0 ? 1.0f : 2.0f) * weights[static_cast<std::size_t>(j)];
    }
    for (float& w : weights)
      w /= total;
    constexpr std::size_t kColumn = kDepth + 1;
    for (std::vector<float>* table : {&displacement, &stress}) {
      const std::vector<float> source = *table;
      std::fill(table->begin(), table->end(), 0.0f);
      for (int i = 0; i <= kRho; ++i) {
        float* to = table->data() + static_cast<std::size_t>(i) * kColumn;
        for (int j = -reach; j <= reach; ++j) {
          const int from = std::abs(i + j); // mirrored at rho = 0
          if (from > kRho) continue;        // zero beyond the reach
          const float weight = weights[static_cast<std::size_t>(std::abs(j))];
          const float* column = source.data() + static_cast<std::size_t>(from) * kColumn;
          for (std::size_t k = 0; k < kColumn; ++k)
            to[k] += weight * column[k];
        }
      }
    }
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
// Vertex chunks: runs of kChunk consecutive vertices with their bounding box. Loaded meshes are
// ordered for the vertex cache, so consecutive vertices lie close together; a frame tests the
// boxes, then walks and writes only the chunks the load reaches, in memory order, and reports
// them as the dirty ranges.

constexpr std::uint32_t kChunk = 64;

struct Chunk {
  glm::vec3 centre{0.0f};
  glm::vec3 half{0.0f}; // half extent
};

std::vector<Chunk> makeChunks(const std::vector<glm::vec3>& positions) {
  std::vector<Chunk> chunks;
  chunks.reserve((positions.size() + kChunk - 1) / kChunk);
  for (std::size_t b = 0; b < positions.size(); b += kChunk) {
    Bounds box;
    for (std::size_t v = b; v < std::min<std::size_t>(b + kChunk, positions.size()); ++v)
      box.extend(positions[v]);
    chunks.push_back({box.centre(), 0.5f * box.size()});
  }
  return chunks;
}

/// The region a load reaches, in its own frame: depth along `dir` from `origin`, lateral
/// distance from the axis (disc) or across the roller, and distance along the roller.
struct Reach {
  glm::vec3 origin{0.0f};
  glm::vec3 dir{0.0f, 0.0f, 1.0f};
  float depthMin = 0.0f, depthMax = 0.0f;
  float lateral = 0.0f;
  bool roller = false;
  glm::vec3 across{0.0f}, axis{0.0f};
  float along = 0.0f; // roller only

  /// Conservative: false only when no point of the box can be within reach.
  bool mayTouch(const Chunk& c) const {
    const glm::vec3 q = c.centre - origin;
    const float depth = glm::dot(q, dir);
    const float depthSpread = glm::dot(c.half, glm::abs(dir));
    if (depth + depthSpread < depthMin || depth - depthSpread > depthMax) return false;
    if (roller) {
      const float a = std::abs(glm::dot(q, across)) - glm::dot(c.half, glm::abs(across));
      const float b = std::abs(glm::dot(q, axis)) - glm::dot(c.half, glm::abs(axis));
      return a < lateral && b < along;
    }
    const float radial = glm::length(q - depth * dir) - glm::length(c.half);
    return radial < lateral;
  }
};

// ---------------------------------------------------------------------------------------------
// Skin height: the depth of the skin surface along the load direction over the loaded region,
// on a grid of nodes across the load. Each vertex's depth is measured below the skin above it,
// so a curved back or the bulge of a buttock is pressed like the skin under the tool rather than
// as if it stood above a flat contact plane.

struct SkinHeight {
  static constexpr int kNodes = 33; // per side
  glm::vec3 e1{1.0f, 0.0f, 0.0f}, e2{0.0f, 1.0f, 0.0f};
  float half1 = 1.0f, half2 = 1.0f;
  std::vector<float> h = std::vector<float>(kNodes * kNodes, 0.0f);
  float lowest = 0.0f, highest = 0.0f;

  /// Continuous node coordinates of a point (relative to the load's surface point).
  glm::vec2 node(const glm::vec3& q) const {
    const float per1 = (kNodes - 1) / (2.0f * half1), per2 = (kNodes - 1) / (2.0f * half2);
    const float top = static_cast<float>(kNodes - 1) - 1e-3f;
    return {std::clamp((glm::dot(q, e1) + half1) * per1, 0.0f, top),
            std::clamp((glm::dot(q, e2) + half2) * per2, 0.0f, top)};
  }
  /// The index of the node nearest a point.
  std::size_t nearest(const glm::vec3& q) const {
    const glm::vec2 x = node(q) + 0.5f;
    return static_cast<std::size_t>(static_cast<int>(x.y) * kNodes + static_cast<int>(x.x));
  }
  float at(const glm::vec3& q) const { return at(node(q)); }
  /// Bilinear value at node coordinates from node().
  float at(const glm::vec2& x) const {
    const int i = static_cast<int>(x.x), j = static_cast<int>(x.y);
    const float fx = x.x - static_cast<float>(i), fy = x.y - static_cast<float>(j);
    const auto n = [&](int a, int b) { return h[static_cast<std::size_t>(b * kNodes + a)]; };
    const float top = n(i, j) + fx * (n(i + 1, j) - n(i, j));
    const float bottom = n(i, j + 1) + fx * (n(i + 1, j + 1) - n(i, j + 1));
    return top + fy * (bottom - top);
  }

  /// Fills nodes no skin vertex fell on from their neighbours, then smooths twice (3 x 3).
  void complete(const std::vector<char>& filled) {
    std::vector<char> have = filled;
    if (std::none_of(have.begin(), have.end(), [](char c) { return c != 0; })) {
      std::fill(h.begin(), h.end(), 0.0f);
    } else {
      for (bool missing = true; missing;) {
        missing = false;
        const std::vector<float> src = h;
        const std::vector<char> was = have;
        for (int j = 0; j < kNodes; ++j)
          for (int i = 0; i < kNodes; ++i) {
            const std::size_t at = static_cast<std::size_t>(j * kNodes + i);
            if (was[at]) continue;
            float sum = 0.0f;
            int count = 0;
            for (const auto& [di, dj] : {std::pair{-1, 0}, {1, 0}, {0, -1}, {0, 1}}) {
              const int a = i + di, b = j + dj;
              if (a < 0 || b < 0 || a >= kNodes || b >= kNodes) continue;
              const std::size_t from = static_cast<std::size_t>(b * kNodes + a);
              if (!was[from]) continue;
              sum += src[from];
              ++count;
            }
            if (count > 0) {
              h[at] = sum / static_cast<float>(count);
              have[at] = 1;
            } else {
              missing = true;
            }
          }
      }
    }
    for (int pass = 0; pass < 2; ++pass) {
      const std::vector<float> src = h;
      for (int j = 0; j < kNodes; ++j)
        for (int i = 0; i < kNodes; ++i) {
          float sum = 0.0f;
          int count = 0;
          for (int b = std::max(0, j - 1); b <= std::min(kNodes - 1, j + 1); ++b)
            for (int a = std::max(0, i - 1); a <= std::min(kNodes - 1, i + 1); ++a) {
              sum += src[static_cast<std::size_t>(b * kNodes + a)];
              ++count;
            }
          h[static_cast<std::size_t>(j * kNodes + i)] = sum / static_cast<float>(count);
        }
    }
    lowest = *std::min_element(h.begin(), h.end());
    highest = *std::max_element(h.begin(), h.end());
  }

  /// Each node takes the smallest value of its 3 x 3 neighbourhood.
  void erode() {
    const std::vector<float> src = h;
    for (int j = 0; j < kNodes; ++j)
      for (int i = 0; i < kNodes; ++i) {
        float least = src[static_cast<std::size_t>(j * kNodes + i)];
        for (int b = std::max(0, j - 1); b <= std::min(kNodes - 1, j + 1); ++b)
          for (int a = std::max(0, i - 1); a <= std::min(kNodes - 1, i + 1); ++a)
            least = std::min(least, src[static_cast<std::size_t>(b * kNodes + a)]);
        h[static_cast<std::size_t>(j * kNodes + i)] = least;
      }
  }
};

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
  std::vector<FasciaVertex> fascia;
  /// Per muscle vertex: coordinate along the axis, and offset from the centreline across it.
  std::vector<float> along;
  std::vector<glm::vec3> across;

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
  for (const glm::vec3& v : vectors)
    m += glm::outerProduct(glm::dvec3(v), glm::dvec3(v));
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
  const double largest =
      mag.x >= mag.y && mag.x >= mag.z ? axis.x : (mag.y >= mag.z ? axis.y : axis.z);
  return glm::vec3(largest < 0.0 ? -axis : axis);
}

MuscleRig buildRig(const Model& model, std::size_t muscle) {
  const MeshData& mesh = model.structures[muscle].mesh;
  MuscleRig rig;
  if (mesh.positions.empty()) return rig;
  glm::dvec3 mean(0.0);
  for (const glm::vec3& p : mesh.positions)
    mean += glm::dvec3(p);
  mean /= static_cast<double>(mesh.positions.size());
  if (!mesh.fibres.empty()) {
    rig.axis = principalAxis(mesh.fibres);
  } else {
    // No fibre directions: take the muscle's long axis.
    std::vector<glm::vec3> offsets;
    offsets.reserve(mesh.positions.size());
    for (const glm::vec3& p : mesh.positions)
      offsets.push_back(p - glm::vec3(mean));
    rig.axis = principalAxis(offsets);
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
    const int i = static_cast<int>((s - rig.sMin) / std::max(rig.sMax - rig.sMin, 1e-6f) * kSlices);
    return static_cast<std::size_t>(std::clamp(i, 0, kSlices - 1));
  };
  for (const glm::vec3& p : mesh.positions) {
    const std::size_t i = slice(glm::dot(p, rig.axis));
    sum[i] += glm::dvec3(p);
    ++count[i];
  }
  for (std::size_t i = 0; i < kSlices; ++i)
    rig.centre[i] =
        count[i] > 0 ? glm::vec3(sum[i] / static_cast<double>(count[i])) : glm::vec3(mean);
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

  rig.along.reserve(mesh.positions.size());
  rig.across.reserve(mesh.positions.size());
  for (const glm::vec3& p : mesh.positions) {
    const float s = glm::dot(p, rig.axis);
    const glm::vec3 q = p - rig.centreAt(s);
    rig.along.push_back(s);
    rig.across.push_back(q - glm::dot(q, rig.axis) * rig.axis);
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
        rig.fascia.push_back(
            {static_cast<std::uint32_t>(f), static_cast<std::uint32_t>(v), clamped, weight});
    }
  }
  return rig;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Tools, tissue and validation

ToolShape toolShape(ToolKind tool) {
  switch (tool) {
  case ToolKind::Thumb:
    return {0.006f, 0.009f, 0.0f, 0.0f};
  case ToolKind::Elbow:
    return {0.025f, 0.03f, 0.0f, 0.0f};
  // A 3 cm ball sunk about 8 mm into soft tissue touches a disc of radius
  // sqrt(2 R d - d^2) ~ 2 cm.
  case ToolKind::MassageBall:
    return {0.02f, 0.03f, 0.0f, 0.0f};
  // The roller is 40 cm long but a back or the buttocks load about 30 cm of it.
  case ToolKind::FoamRoller:
    return {0.02f, 0.075f, 0.30f, 0.40f};
  }
  return {};
}

namespace {

struct ToolNames {
  std::string_view id;
  std::string_view name;
};

// In ToolKind order.
constexpr std::array<ToolNames, 4> kToolNames = {{{"thumb", "thumb"},
                                                  {"elbow", "elbow"},
                                                  {"massage-ball", "massage ball"},
                                                  {"foam-roller", "foam roller"}}};

ToolNames namesOf(ToolKind tool) {
  const auto index = static_cast<std::size_t>(tool);
  return index < kToolNames.size() ? kToolNames[index] : ToolNames{"unknown", "tool"};
}

} // namespace

float contactArea(ToolKind tool) {
  const ToolShape shape = toolShape(tool);
  return tool == ToolKind::FoamRoller ? 2.0f * shape.contactRadius * shape.contactLength
                                      : kPi * shape.contactRadius * shape.contactRadius;
}

std::string_view toolName(ToolKind tool) { return namesOf(tool).name; }

std::string_view toolId(ToolKind tool) { return namesOf(tool).id; }

TissueLaw tissueLaw(Layer layer) {
  // Young's modulus E = 3 G for an incompressible solid (G: shear modulus). Numbers and sources
  // in docs/deformation.md and shared reference treatment-numbers.md.
  switch (layer) {
  case Layer::Skin:
    return {600.0f, 0.30f};
  case Layer::SuperficialFascia:
    return {9.0f, 0.50f}; // subcutaneous fat, G ~ 3 kPa
  case Layer::DeepFascia:
    return {1000.0f, 0.20f}; // across its thickness
  case Layer::Muscle:
  case Layer::Other:
    return {56.0f, 0.30f}; // relaxed muscle, G ~ 18.6 kPa
  case Layer::Bone:
    return {0.0f, 0.0f};
  }
  return {};
}

void validate(const PressureLoad& load) {
  if (!finite(load.point))
    throw std::invalid_argument("the pressure point is not a finite position");
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
  std::vector<std::vector<Chunk>> chunks;
  std::vector<std::optional<MuscleRig>> rigs;
  Model rigSource; // positions, fibres and layers of muscles and deep fascia, for lazy rigs

  Deformation out;
  /// Per structure, sorted chunk indices written by the last update / this update.
  std::vector<std::vector<std::uint32_t>> touched;
  std::vector<std::vector<std::uint32_t>> touchedNext;
  Field field;

  void touch(std::size_t s, std::uint32_t chunk) {
    std::vector<std::uint32_t>& list = touchedNext[s];
    if (list.empty() || list.back() < chunk) {
      list.push_back(chunk);
    } else if (!std::binary_search(list.begin(), list.end(), chunk)) {
      list.insert(std::lower_bound(list.begin(), list.end(), chunk), chunk);
    }
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
  m.chunks.resize(n);
  m.rigs.resize(n);
  m.out.structures.resize(n);
  m.touched.resize(n);
  m.touchedNext.resize(n);
  for (std::size_t s = 0; s < n; ++s) {
    const Structure& structure = model.structures[s];
    const std::size_t count = structure.mesh.positions.size();
    m.layers[s] = structure.info.layer;
    m.positions[s] = structure.mesh.positions;
    m.chunks[s] = makeChunks(structure.mesh.positions);
    StructureDeformation& d = m.out.structures[s];
    d.displacement.assign(count, glm::vec3(0.0f));
    d.overlay.assign(count, 0.0f);
    d.stressKPa.assign(count, 0.0f);
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
                                  std::to_string(input.stretch->muscle) + " is not in the model (" +
                                  std::to_string(m.layers.size()) + " structures)");
    if (m.layers[input.stretch->muscle] == Layer::Bone)
      throw std::invalid_argument("a bone cannot be stretched");
  }
  if (!std::isfinite(input.legendMaxKPa) || input.legendMaxKPa <= 0.0f)
    throw std::invalid_argument("the legend's top stress must be a positive number of kPa");

  // Reset what the last update wrote: outside the touched chunks everything is zero.
  for (std::size_t s = 0; s < m.touched.size(); ++s) {
    StructureDeformation& d = m.out.structures[s];
    const auto count = static_cast<std::uint32_t>(d.displacement.size());
    for (const std::uint32_t c : m.touched[s]) {
      const std::uint32_t begin = c * kChunk, end = std::min(begin + kChunk, count);
      std::fill(d.displacement.begin() + begin, d.displacement.begin() + end, glm::vec3(0.0f));
      std::fill(d.overlay.begin() + begin, d.overlay.begin() + end, 0.0f);
      std::fill(d.stressKPa.begin() + begin, d.stressKPa.begin() + end, 0.0f);
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
  std::vector<std::uint32_t> both;
  for (std::size_t s = 0; s < touched.size(); ++s) {
    std::vector<VertexRange>& ranges = out.structures[s].dirty;
    ranges.clear();
    both.clear();
    std::set_union(touched[s].begin(), touched[s].end(), touchedNext[s].begin(),
                   touchedNext[s].end(), std::back_inserter(both));
    const auto count = static_cast<std::uint32_t>(out.structures[s].displacement.size());
    for (const std::uint32_t c : both) {
      const std::uint32_t begin = c * kChunk, end = std::min(begin + kChunk, count);
      if (!ranges.empty() && ranges.back().end == begin) {
        ranges.back().end = end;
      } else {
        ranges.push_back({begin, end});
      }
      out.dirtyVertexCount += end - begin;
    }
  }
}

void Deformer::Impl::applyStretch(const StretchLoad& load) {
  std::optional<MuscleRig>& slot = rigs[load.muscle];
  if (!slot) slot = buildRig(rigSource, load.muscle);
  const MuscleRig& rig = *slot;
  const std::size_t count = rig.along.size();
  if (count == 0) return;

  // Which end is fixed: the end of the axis nearest the anchor, else the low end.
  bool fromLow = true;
  if (load.anchor) {
    const glm::vec3 low = rig.centre.front(), high = rig.centre.back();
    fromLow = glm::distance(*load.anchor, low) <= glm::distance(*load.anchor, high);
  }
  const float sign = fromLow ? 1.0f : -1.0f;
  const float origin = fromLow ? rig.sMin : rig.sMax;
  const float invLength = 1.0f / std::max(rig.sMax - rig.sMin, 1e-6f);
  const float e = load.strain;
  // Lengthening along the fibre axis and narrowing across it about the centreline: the map's
  // Jacobian is triangular with diagonal (1+e, k, k), k = 1/sqrt(1+e), so its determinant is
  // exactly 1 whatever the centreline's curve (docs/deformation.md, "Stretch").
  const float narrowing = 1.0f / std::sqrt(1.0f + e) - 1.0f;
  const glm::vec3 lengthening = (e * sign) * rig.axis;

  out.overlay = OverlayKind::Sliding;
  StructureDeformation& d = out.structures[load.muscle];
  float maxOffset = d.maxOffset;
  for (std::size_t v = 0; v < count; ++v) {
    const float along = sign * (rig.along[v] - origin); // 0 at the fixed end, length at the other
    const glm::vec3 u = along * lengthening + narrowing * rig.across[v];
    d.displacement[v] += u;
    d.overlay[v] = std::max(d.overlay[v], load.sliding * along * invLength);
    maxOffset = std::max(maxOffset, glm::length(d.displacement[v]));
  }
  d.maxOffset = maxOffset;
  for (std::uint32_t c = 0; c * kChunk < count; ++c)
    touch(load.muscle, c);
  // The fascia over the muscle follows by what does not slide, along the muscle's axis.
  for (const FasciaVertex& fv : rig.fascia) {
    const float along = sign * (fv.along - origin);
    StructureDeformation& fd = out.structures[fv.structure];
    fd.displacement[fv.vertex] += (fv.weight * (1.0f - load.sliding) * along) * lengthening;
    fd.overlay[fv.vertex] =
        std::max(fd.overlay[fv.vertex], fv.weight * load.sliding * along * invLength);
    fd.maxOffset = std::max(fd.maxOffset, glm::length(fd.displacement[fv.vertex]));
    touch(fv.structure, fv.vertex / kChunk);
  }
}

Profile Deformer::Impl::sampleProfile(const glm::vec3& point, const glm::vec3& dir) const {
  constexpr float kUnset = std::numeric_limits<float>::max();
  Reach reach;
  reach.origin = point;
  reach.dir = dir;
  reach.depthMin = -kAboveSurfaceTolerance;
  reach.depthMax = kMaxTissueDepth;
  reach.lateral = kProfileRadius;
  /// Calls fn(structure, depth) for each vertex of the structures `want` accepts that lies
  /// within the thin cylinder around the load axis.
  const auto forEachNearAxis = [&](auto&& want, auto&& fn) {
    for (std::size_t s = 0; s < positions.size(); ++s) {
      if (!want(layers[s])) continue;
      const std::vector<glm::vec3>& p = positions[s];
      for (std::size_t c = 0; c < chunks[s].size(); ++c) {
        if (!reach.mayTouch(chunks[s][c])) continue;
        const std::size_t end = std::min<std::size_t>((c + 1) * kChunk, p.size());
        for (std::size_t v = c * kChunk; v < end; ++v) {
          const glm::vec3 q = p[v] - point;
          const float z = glm::dot(q, dir);
          if (z < reach.depthMin || z > reach.depthMax) continue;
          if (glm::length(q - z * dir) < kProfileRadius) fn(s, z);
        }
      }
    }
  };
  // The skin surface first, then every layer's first appearance below it.
  float skin = kUnset;
  forEachNearAxis([](Layer l) { return l == Layer::Skin; },
                  [&](std::size_t, float z) { skin = std::min(skin, z); });
  if (skin == kUnset) skin = 0.0f;
  std::array<float, kLayerCount> first;
  first.fill(kUnset);
  forEachNearAxis([](Layer) { return true; },
                  [&](std::size_t s, float z) {
                    if (z < skin || z > skin + kMaxTissueDepth) return;
                    float& f = first[static_cast<std::size_t>(layerIndex(layers[s]))];
                    f = std::min(f, z - skin);
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
  const float pressureKPa = load.forceN / contactArea(load.tool) / 1000.0f;
  const Profile profile = sampleProfile(load.point, dir);
  const glm::vec3 surface = load.point + profile.skin * dir;

  // The field for this load.
  Field& f = field;
  // Over a rigid base at depth D the surface settles only within about 1.5 D of the load's edge
  // (a layer on bone, not an infinite half-space), so the reach is limited by it too.
  f.rhoMax = std::min(kReach * radius, radius + 1.5f * profile.base);
  const float fadeFrom = kFade / kReach * f.rhoMax;
  f.depth = profile.base;
  f.rhoStep = f.rhoMax / Field::kRho;
  f.depthStep = f.depth / Field::kDepth;
  f.perRho = 1.0f / f.rhoStep;
  f.perDepth = 1.0f / f.depthStep;
  const InfluenceTable& table = roller ? stripTable() : discTable();
  for (int i = 0; i <= Field::kRho; ++i) {
    const float rho = static_cast<float>(i) * f.rhoStep;
    const float window = 1.0f - smoothstep(fadeFrom, f.rhoMax, rho);
    const std::size_t at = static_cast<std::size_t>(i * (Field::kDepth + 1));
    integrateColumn(table, profile, radius, pressureKPa, rho, window, &f.displacement[at],
                    &f.stress[at], f.depthStep);
  }
  // The uniform-pressure solution has a sharp step at the tool's edge. Real edges are rounded
  // (a thumb pad, skin's own stiffness), and a step would let thin, closely stacked sheets with
  // large triangles (fascia on muscle) interpolate across each other; a blur of a quarter of
  // the contact radius rounds it.
  f.blurAcross(kEdgeSoftening * radius);

  Reach reach;
  reach.origin = surface;
  reach.dir = dir;
  reach.depthMin = -kAboveSurfaceTolerance;
  reach.depthMax = f.depth;
  reach.lateral = f.rhoMax;
  reach.roller = roller;
  float halfLength = 0.0f;
  if (roller) {
    reach.axis = glm::normalize(load.axis - glm::dot(load.axis, dir) * dir);
    reach.across = glm::cross(dir, reach.axis);
    halfLength = 0.5f * shape.contactLength;
    reach.along = 0.5f * shape.length;
  }

  // Skin height over the loaded region (searching up to kSkinSearch above the contact plane).
  SkinHeight skinHeight;
  if (roller) {
    skinHeight.e1 = reach.axis;
    skinHeight.e2 = reach.across;
    skinHeight.half1 = reach.along;
  } else {
    const glm::vec3 other = std::abs(dir.x) < 0.9f ? glm::vec3(1, 0, 0) : glm::vec3(0, 1, 0);
    skinHeight.e1 = glm::normalize(glm::cross(dir, other));
    skinHeight.e2 = glm::cross(dir, skinHeight.e1);
    skinHeight.half1 = f.rhoMax;
  }
  skinHeight.half2 = f.rhoMax;
  {
    std::vector<char> filled(skinHeight.h.size(), 0);
    std::fill(skinHeight.h.begin(), skinHeight.h.end(), std::numeric_limits<float>::max());
    Reach search = reach;
    search.depthMin = -kSkinSearch;
    for (std::size_t st = 0; st < positions.size(); ++st) {
      if (layers[st] != Layer::Skin) continue;
      const std::vector<glm::vec3>& p = positions[st];
      for (std::size_t c = 0; c < chunks[st].size(); ++c) {
        if (!search.mayTouch(chunks[st][c])) continue;
        const std::size_t end = std::min<std::size_t>((c + 1) * kChunk, p.size());
        for (std::size_t v = c * kChunk; v < end; ++v) {
          const glm::vec3 q = p[v] - surface;
          const float zRaw = glm::dot(q, dir);
          if (zRaw < search.depthMin || zRaw > search.depthMax) continue;
          const float u1 = glm::dot(q, skinHeight.e1), u2 = glm::dot(q, skinHeight.e2);
          if (std::abs(u1) > skinHeight.half1 || std::abs(u2) > skinHeight.half2) continue;
          const std::size_t at = skinHeight.nearest(q);
          skinHeight.h[at] = std::min(skinHeight.h[at], zRaw);
          filled[at] = 1;
        }
      }
    }
    skinHeight.complete(filled);
  }
  reach.depthMin = skinHeight.lowest - kAboveSkinTolerance;
  reach.depthMax = skinHeight.highest + f.depth;

  // Bone depth below the skin over the loaded region: bone is the rigid base of each column, so
  // where it lies shallower than under the tool (a rib beside the spine) the tissue above it is
  // compressed only down to it. Skin of another fold of the body ends a column as well: the
  // half-space solution would otherwise reach through the body's curve and colour the outside
  // of a flank or hip that faces away from the tool. Each node keeps the shallowest base of its
  // 3 x 3 neighbourhood, so interpolating between nodes never places the base below a bone or
  // fold vertex.
  SkinHeight boneDepth = skinHeight;
  {
    std::fill(boneDepth.h.begin(), boneDepth.h.end(), f.depth);
    for (std::size_t st = 0; st < positions.size(); ++st) {
      const bool skin = layers[st] == Layer::Skin;
      if (layers[st] != Layer::Bone && !skin) continue;
      const std::vector<glm::vec3>& p = positions[st];
      for (std::size_t c = 0; c < chunks[st].size(); ++c) {
        if (!reach.mayTouch(chunks[st][c])) continue;
        const std::size_t end = std::min<std::size_t>((c + 1) * kChunk, p.size());
        for (std::size_t v = c * kChunk; v < end; ++v) {
          const glm::vec3 q = p[v] - surface;
          const float zRaw = glm::dot(q, dir);
          if (zRaw >= reach.depthMax || zRaw < reach.depthMin) continue;
          const float u1 = glm::dot(q, boneDepth.e1), u2 = glm::dot(q, boneDepth.e2);
          if (std::abs(u1) > boneDepth.half1 || std::abs(u2) > boneDepth.half2) continue;
          const float z = zRaw - skinHeight.at(q);
          if (z >= f.depth || z < -kAboveSkinTolerance) continue;
          if (skin && z < kSkinFoldDepth) continue; // the skin over the column itself
          float& at = boneDepth.h[boneDepth.nearest(q)];
          at = std::min(at, std::max(z, 0.0f));
        }
      }
    }
    boneDepth.erode();
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
  for (std::size_t st = 0; st < positions.size(); ++st) {
    if (layers[st] == Layer::Bone) continue; // rigid
    const std::vector<glm::vec3>& p = positions[st];
    StructureDeformation& d = out.structures[st];
    float maxOffset = d.maxOffset;
    for (std::size_t c = 0; c < chunks[st].size(); ++c) {
      if (!reach.mayTouch(chunks[st][c])) continue;
      bool wrote = false;
      const std::size_t end = std::min<std::size_t>((c + 1) * kChunk, p.size());
      for (std::size_t v = c * kChunk; v < end; ++v) {
        const glm::vec3 q = p[v] - surface;
        const float zRaw = glm::dot(q, dir);
        if (zRaw >= reach.depthMax || zRaw < reach.depthMin) continue;
        // Cheap lateral tests first: most visited vertices fail them.
        float rho = 0.0f, axial = 1.0f;
        if (roller) {
          rho = std::abs(glm::dot(q, reach.across));
          const float along = std::abs(glm::dot(q, reach.axis));
          if (rho >= f.rhoMax || along >= reach.along) continue;
          axial = 1.0f - smoothstep(halfLength, reach.along, along);
        } else {
          const glm::vec3 lateral = q - zRaw * dir;
          const float rho2 = glm::dot(lateral, lateral);
          if (rho2 >= f.rhoMax * f.rhoMax) continue;
          rho = std::sqrt(rho2);
        }
        const glm::vec2 node = skinHeight.node(q);  // the bone map shares the skin's nodes
        const float z = zRaw - skinHeight.at(node); // below the skin above this vertex
        if (z >= f.depth || z < -kAboveSkinTolerance) continue;
        const float base = boneDepth.at(node);
        if (z >= base) continue;
        float w = 0.0f, s = 0.0f;
        f.sample(rho, std::max(z, 0.0f), w, s);
        if (base < f.depth) {
          // Only the tissue between this vertex and the bone under it compresses.
          float wBase = 0.0f, sBase = 0.0f;
          f.sample(rho, base, wBase, sBase);
          w -= wBase;
        }
        w *= axial;
        s *= axial;
        if (w <= 0.0f && s <= 0.0f) continue;
        d.displacement[v] += w * dir;
        d.stressKPa[v] = s;
        d.overlay[v] = std::max(d.overlay[v], std::min(1.0f, s * invLegend));
        maxOffset = std::max(maxOffset, glm::length(d.displacement[v]));
        wrote = true;
      }
      if (wrote) touch(st, static_cast<std::uint32_t>(c));
    }
    d.maxOffset = maxOffset;
  }
}

} // namespace fascia
