// Muscles of the front of the trunk: the hip flexors on the lumbar spine and in the pelvis
// (psoas major, iliacus), the front abdominal wall (rectus abdominis) and the outer flat muscle
// of the flank (external oblique). Attachments follow standard atlas descriptions
// (docs/anatomy.md, landmark table); coordinates are the patient's left side (+x) and are
// mirrored for the right.

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>

#include "parts.h"

namespace fascia::anatomy {

namespace {

using V3 = glm::vec3;

// ---------------------------------------------------------------------------------------------
// Bundled muscles: a smooth union of fibre bundles, each a tube through its own control points
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Psoas major
// ---------------------------------------------------------------------------------------------

/// Psoas major: one bundle from the side of each vertebral body T12-L4 (and the disc above it),
/// joining a belly that runs beside the lumbar bodies in front of the transverse processes,
/// thickest at L4-L5 (4.5-5 cm across), then forward over the pelvic brim, in front of the
/// hip joint, and back down to the lesser trochanter on the posteromedial femur.
std::vector<Tube> psoasBundles() {
  struct Station {
    float y, x, z; // belly centre line
    float r;       // radius of one bundle here
    float spread;  // how far the bundles lie apart (1 in the belly, 0 in the tendon)
  };
  const V3 lesser = pelvisLeft().lesserTrochanter;
  // Down to L5 the belly follows the lumbar bodies (see the level table in skeleton.cpp), beside
  // and slightly behind their centres; then it comes forward over the brim.
  const Station belly[] = {
      {1.217f, 0.031f, -0.024f, 0.0075f, 1.0f},
      {1.182f, 0.036f, -0.017f, 0.0090f, 1.0f},
      {1.146f, 0.042f, -0.011f, 0.0100f, 1.0f},
      {1.110f, 0.047f, -0.006f, 0.0110f, 1.0f},
      {1.075f, 0.052f, -0.002f, 0.0115f, 1.0f},
      {1.040f, 0.058f, 0.006f, 0.0115f, 1.0f},
      {1.000f, 0.066f, 0.026f, 0.0105f, 0.9f},
      {0.965f, 0.074f, 0.052f, 0.0095f, 0.6f},
      {0.935f, 0.082f, 0.066f, 0.0085f, 0.35f},
      {0.905f, 0.095f, 0.052f, 0.0072f, 0.15f},
      {0.882f, 0.107f, 0.027f, 0.0060f, 0.0f},
      {lesser.y + 0.003f, lesser.x - 0.010f, lesser.z + 0.008f, 0.0048f, 0.0f}};
  // Where each level's bundle lies in the belly's cross-section. The highest (T12) bundle runs
  // along the medial edge, against the vertebral bodies, so the slips from the levels below join
  // a belly that already lies on the spine instead of reaching across a gap to it.
  const glm::vec2 offsets[] = {{-0.010f, 0.002f},
                               {0.008f, 0.007f},
                               {0.012f, -0.006f},
                               {-0.002f, -0.009f},
                               {-0.005f, 0.009f}};
  const char* origins[] = {"T12", "L1", "L2", "L3", "L4"};
  const auto& lv = spineLevels();
  std::vector<Tube> out;
  for (std::size_t k = 0; k < std::size(origins); ++k) {
    const SpineLevel* level = nullptr;
    for (const SpineLevel& s : lv)
      if (s.name == origins[k]) level = &s;
    assert(level != nullptr && "psoas origin level missing from spineLevels()");
    Tube t;
    // Origin on the side of the body, at its upper rim next to the disc above.
    t.points.push_back(level->body + V3(level->bodyHalfWidth + 0.005f, 0.006f, -0.002f));
    t.radii.push_back(0.0060f);
    bool first = true;
    for (const Station& s : belly) {
      if (s.y > level->body.y - 0.02f) continue;
      const glm::vec2 o = offsets[k] * s.spread;
      t.points.emplace_back(s.x + o.x, s.y, s.z + o.y);
      t.radii.push_back(first ? std::min(s.r, 0.008f) : s.r);
      first = false;
    }
    out.push_back(std::move(t));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Iliacus
// ---------------------------------------------------------------------------------------------

/// Iliacus: a fan filling the iliac fossa, the inner face of the iliac wing. Its bundles start
/// at the inner lip of the crest, from just behind the anterior superior iliac spine back to
/// the sacroiliac joint, lie on the fossa (kept a little more than their radius off the bone's
/// inner face), gather lateral to psoas at the brim, pass in front of the hip joint and end on
/// the femur just below the lesser trochanter, beside the psoas tendon.
std::vector<Tube> iliacusBundles() {
  const PelvisLandmarks& pelvis = pelvisLeft();
  const V3 hub = pelvis.iliumHub;
  const V3 pelvicCentre(0.0f, 1.0f, 0.03f);
  const V3 end = pelvis.lesserTrochanter + V3(0.0f, -0.007f, 0.011f);
  constexpr int kBundles = 12;
  std::vector<Tube> out;
  for (int i = 0; i < kBundles; ++i) {
    const float u = 0.03f + 0.67f * static_cast<float>(i) / (kBundles - 1);
    const V3 c = pelvis.iliacCrest.at(u);
    const V3 along = pelvis.iliacCrest.at(u + 0.02f) - pelvis.iliacCrest.at(u - 0.02f);
    // The wing is a fan of struts from the hub to the crest; its inner (fossa) side faces the
    // pelvic cavity.
    V3 n = glm::normalize(glm::cross(c - hub, along));
    if (glm::dot(n, pelvicCentre - c) < 0.0f) n = -n;
    auto onWing = [&](float s, float lift) { return hub + s * (c - hub) + n * lift; };
    const float spread = u - 0.36f; // anterior bundles < 0 < posterior bundles
    // The bundles start a little below the crest's inner lip, so that their rounded ends stay
    // under the crest seen from behind. Behind the tubercle the crest falls towards the PSIS and
    // a bundle lifted off the fossa lies medial to (and so above) the crest at its own x: there
    // the origin lies lower, at the fossa's back edge in front of the iliac tuberosity.
    const float start = 0.87f - 0.10f * std::clamp((u - 0.45f) / 0.25f, 0.0f, 1.0f);
    Tube t;
    // Lifts: the wing's half thickness there (about 6.5 mm near the crest, 10 mm near the hub)
    // plus the bundle's radius and a millimetre or two.
    t.points = {onWing(start, 0.0140f),
                onWing(0.70f, 0.017f),
                onWing(0.45f, 0.022f),
                V3(0.098f, 0.968f, 0.058f) + spread * V3(-0.012f, 0.010f, -0.020f),
                V3(0.105f, 0.942f, 0.066f) + spread * V3(-0.006f, 0.0f, -0.008f),
                {0.110f, 0.918f, 0.060f},
                {0.115f, 0.893f, 0.040f},
                {0.121f, 0.873f, 0.020f},
                end};
    t.radii = {0.0060f, 0.0095f, 0.0110f, 0.0110f, 0.0100f, 0.0085f, 0.0070f, 0.0058f, 0.0045f};
    out.push_back(std::move(t));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Rectus abdominis
// ---------------------------------------------------------------------------------------------

/// One height of the left rectus abdominis: how far its outer face lies outside the front of
/// the abdominal filler, its thickness next to the linea alba (it thins to 60 % at its lateral
/// border), and its medial (linea alba) and lateral (linea semilunaris) edges.
struct RectusRow {
  float y, lift, thickness, xMedial, xLateral;
};

// A narrow tendon on the pubic crest, about 7.5 cm wide and 1.3 cm thick at the navel (L3-L4),
// widest and thinnest on the cartilages of ribs 5-7 and the xiphoid. The outer face lies a
// couple of millimetres outside the filler (the abdominal contents and wall, see
// docs/anatomy.md), so the muscle shapes the front of the hull right under the subcutaneous
// layer instead of printing through it as a step.
constexpr RectusRow kRectus[] = {
    {0.915f, 0.003f, 0.008f, 0.003f, 0.030f},  {0.950f, 0.003f, 0.010f, 0.003f, 0.046f},
    {1.000f, 0.002f, 0.012f, 0.0035f, 0.064f}, {1.050f, 0.002f, 0.013f, 0.004f, 0.075f},
    {1.100f, 0.002f, 0.013f, 0.005f, 0.081f},  {1.150f, 0.002f, 0.012f, 0.005f, 0.086f},
    {1.200f, 0.002f, 0.011f, 0.005f, 0.089f},  {1.250f, 0.002f, 0.009f, 0.005f, 0.090f},
    {1.300f, 0.002f, 0.007f, 0.005f, 0.088f}};

/// The rows interpolated at height y (Catmull-Rom, so the borders are smooth curves).
RectusRow rectusAt(float y) {
  const int n = static_cast<int>(std::size(kRectus));
  y = std::clamp(y, kRectus[0].y, kRectus[n - 1].y);
  int i = 1;
  while (i + 1 < n && kRectus[i].y < y)
    ++i;
  const RectusRow& r0 = kRectus[std::max(i - 2, 0)];
  const RectusRow& r1 = kRectus[i - 1];
  const RectusRow& r2 = kRectus[i];
  const RectusRow& r3 = kRectus[std::min(i + 1, n - 1)];
  const float t = (y - r1.y) / (r2.y - r1.y);
  auto cr = [t](float a, float b, float c, float d) {
    return 0.5f * (2.0f * b + (-a + c) * t + (2.0f * a - 5.0f * b + 4.0f * c - d) * t * t +
                   (-a + 3.0f * b - 3.0f * c + d) * t * t * t);
  };
  return {y, cr(r0.lift, r1.lift, r2.lift, r3.lift),
          cr(r0.thickness, r1.thickness, r2.thickness, r3.thickness),
          cr(r0.xMedial, r1.xMedial, r2.xMedial, r3.xMedial),
          cr(r0.xLateral, r1.xLateral, r2.xLateral, r3.xLateral)};
}

/// Front of the abdominal filler at (x, y).
float fillerFront(float x, float y) {
  const auto& secs = trunkSections();
  std::size_t i = 1;
  while (i + 1 < secs.size() && secs[i].y < y)
    ++i;
  const Loft::Section& a = secs[i - 1];
  const Loft::Section& b = secs[i];
  const float t = std::clamp((y - a.y) / (b.y - a.y), 0.0f, 1.0f);
  const float hw = mix(a.halfWidth, b.halfWidth, t);
  const float u = std::min(std::abs(x) / hw, 0.9f);
  return mix(a.centreZ, b.centreZ, t) + mix(a.halfDepth, b.halfDepth, t) * std::sqrt(1.0f - u * u);
}

// Bottom on the pubic crest; the top slants up laterally, from the front of the xiphoid, 1 cm
// below the xiphisternal joint (about T9), to the fifth costal cartilage. (It started 2.5 cm
// below the joint, which left a hole beside the xiphoid, under pectoralis major's lower border,
// looking through onto T10.)
constexpr float kRectusBottom = 0.915f;
float rectusTop(float x) { return 1.286f + 0.15f * x; }

/// Extra lift of the upper lateral part: the filler recedes there while the front ends of ribs
/// 5-7 stand up to 2 cm proud of it, and the muscle lies in front of them.
float costalLift(float x, float y) {
  return 0.019f * smoothstep(1.19f, 1.27f, y) * smoothstep(0.03f, 0.085f, x);
}

/// Thickness of the left rectus at x in row r: it thins to 60 % at its lateral border.
float rectusThickness(const RectusRow& r, float x) {
  const float e = (std::clamp(x, r.xMedial, r.xLateral) - r.xMedial) / (r.xLateral - r.xMedial);
  return r.thickness * (1.0f - 0.4f * e * e);
}

/// Its outer face at (x, y), before the lift over the costal cartilages (CartilageCover).
float rectusFront(const RectusRow& r, float x, float y) {
  return fillerFront(x, y) + r.lift + costalLift(x, y);
}

/// How far the left rectus comes forward so it lies on the costal cartilages, where it
/// attaches, instead of being pierced by them. costalLift follows the ribs' front ends, but the
/// cartilages run on from there, forward and up to the sternum, and without this the seventh
/// and eighth stood up to 12 mm in front of the muscle's front face and showed through its top
/// as white bars (anterior view, peel 3). Measured from the cartilages themselves: their front
/// along -z on a 2 mm lattice over the muscle (sphere tracing), the lift that puts the muscle's
/// front about 3.5 mm in front of them, carried up each column (above the costal margin the muscle
/// lies on the cartilages as on a floor, so it does not dip into the spaces between them),
/// widened by 8 mm, blurred and given 1.5 mm more, so it forms a broad, smooth swelling over
/// the costal margin rather than printing each bar.
class CartilageCover {
public:
  CartilageCover() {
    const TubeBlend cartilage = costalCartilageField();
    std::vector<float> need(kNx * kNy, 0.0f);
    for (int j = 0; j < kNy; ++j)
      for (int i = 0; i < kNx; ++i) {
        const float x = kX0 + kStep * static_cast<float>(i);
        const float y = kY0 + kStep * static_cast<float>(j);
        const RectusRow r = rectusAt(y);
        if (x < r.xMedial || x > r.xLateral || y > rectusTop(x) + 0.010f) continue;
        float z = 0.17f; // in front of everything here
        float d = cartilage(V3(x, y, z));
        while (d > 0.0002f && z > 0.06f) {
          z -= std::max(d, 0.0002f);
          d = cartilage(V3(x, y, z));
        }
        if (d > 0.0002f) continue; // no cartilage behind this point
        need[index(i, j)] = std::max(0.0f, z + kCover - rectusFront(r, x, y));
      }
    // Going up each column, the lift never comes down again.
    for (int i = 0; i < kNx; ++i)
      for (int j = 1; j < kNy; ++j)
        need[index(i, j)] = std::max(need[index(i, j)], need[index(i, j - 1)]);
    // Widened by 8 mm each way (the largest need within reach), then blurred (16 passes, a
    // spread of about 6 mm): a ridge of need becomes a rounded swelling whose crest, wider than
    // the blur, keeps nearly the full height.
    lift_ = need;
    for (int j = 0; j < kNy; ++j)
      for (int i = 0; i < kNx; ++i)
        for (int dj = -kWiden; dj <= kWiden; ++dj)
          for (int di = -kWiden; di <= kWiden; ++di) {
            const int a = i + di, b = j + dj;
            if (a >= 0 && b >= 0 && a < kNx && b < kNy)
              lift_[index(i, j)] = std::max(lift_[index(i, j)], need[index(a, b)]);
          }
    for (int pass = 0; pass < 16; ++pass)
      blur();
    for (float& l : lift_)
      l += kClearance * smoothstep(0.0f, 2.0f * kClearance, l);
  }
  /// The lift at (x, y): a uniform cubic B-spline over the lattice, so its slope, and with it
  /// the muscle's shading, is smooth across the lattice lines (read bilinearly, the facets of
  /// the 2 mm cells showed as a crumpled patch). Outside the lattice, the lift at its nearest
  /// edge (0 below it and beside it, where there is no cartilage; carried up above it).
  float operator()(float x, float y) const {
    const float u = std::clamp((x - kX0) / kStep, 1.0f, static_cast<float>(kNx - 2) - 1e-3f);
    const float v = std::clamp((y - kY0) / kStep, 1.0f, static_cast<float>(kNy - 2) - 1e-3f);
    const int i = static_cast<int>(u), j = static_cast<int>(v);
    const auto wu = bSplineWeights(u - static_cast<float>(i));
    const auto wv = bSplineWeights(v - static_cast<float>(j));
    float sum = 0.0f;
    for (int b = 0; b < 4; ++b)
      for (int a = 0; a < 4; ++a)
        sum += wu[static_cast<std::size_t>(a)] * wv[static_cast<std::size_t>(b)] *
               lift_[index(i - 1 + a, j - 1 + b)];
    return sum;
  }

private:
  static constexpr float kX0 = -0.004f, kY0 = 1.120f, kStep = 0.002f, kClearance = 0.0015f;
  /// Muscle in front of the cartilages: more than the rounding of the carve (3 mm), so the
  /// groove the cartilages leave in its back face never reaches its front face.
  static constexpr float kCover = 0.0035f;
  static constexpr int kNx = 58, kNy = 106; // to x = 0.11, y = 1.33
  static constexpr int kWiden = 4;
  static std::size_t index(int i, int j) {
    return static_cast<std::size_t>(j) * kNx + static_cast<std::size_t>(i);
  }
  static std::array<float, 4> bSplineWeights(float t) {
    const float t2 = t * t, t3 = t2 * t;
    return {(1.0f - t) * (1.0f - t) * (1.0f - t) / 6.0f, (3.0f * t3 - 6.0f * t2 + 4.0f) / 6.0f,
            (-3.0f * t3 + 3.0f * t2 + 3.0f * t + 1.0f) / 6.0f, t3 / 6.0f};
  }
  /// One 1-2-1 pass along each axis (the border samples kept).
  void blur() {
    std::vector<float> t = lift_;
    for (int j = 0; j < kNy; ++j)
      for (int i = 1; i + 1 < kNx; ++i)
        t[index(i, j)] =
            0.25f * (lift_[index(i - 1, j)] + 2.0f * lift_[index(i, j)] + lift_[index(i + 1, j)]);
    for (int j = 1; j + 1 < kNy; ++j)
      for (int i = 0; i < kNx; ++i)
        lift_[index(i, j)] =
            0.25f * (t[index(i, j - 1)] + 2.0f * t[index(i, j)] + t[index(i, j + 1)]);
  }
  std::vector<float> lift_;
};

/// The one CartilageCover, built on first use (thread-safe: a function-local static).
const CartilageCover& cartilageCover() {
  static const CartilageCover cover;
  return cover;
}

/// Depth of the shallow transverse furrows the tendinous intersections make on the front of the
/// muscle: at the navel, at the costal margin and halfway between (slightly higher laterally).
float tendinousFurrow(float x, float y) {
  float g = 0.0f;
  for (float yi : {1.095f, 1.178f, 1.250f}) {
    const float d = (y - (yi + 0.05f * x)) / 0.0045f;
    g += 0.0016f * std::exp(-d * d);
  }
  return g;
}

/// A curved strap: in each horizontal slice a rounded rectangle laid on the front of the
/// abdomen, its size from kRectus, capped at the pubic crest and the costal margin with rounded
/// edges. Distances across are measured along the local normal of the strap's mid-surface; the
/// result is scaled down a little so it stays a safe lower bound where the rows change with
/// height.
Shape rectusShape() {
  Shape s;
  s.box = Aabb{V3(0.0f, kRectusBottom - 0.004f, 0.070f),
               V3(0.096f, rectusTop(0.096f) + 0.004f, 0.150f)};
  const CartilageCover* cover = &cartilageCover();
  s.f = [cover](const V3& p) {
    const RectusRow r = rectusAt(p.y);
    const float x = std::clamp(p.x, r.xMedial, r.xLateral);
    const float thickness = rectusThickness(r, x);
    auto midSurface = [&r, thickness, cover](float mx, float my) {
      return rectusFront(r, mx, my) + (*cover)(mx, my) - 0.5f * thickness;
    };
    constexpr float kStep = 0.002f;
    const float sx = (midSurface(x + kStep, p.y) - midSurface(x - kStep, p.y)) / (2.0f * kStep);
    const float sy = (midSurface(x, p.y + kStep) - midSurface(x, p.y - kStep)) / (2.0f * kStep);
    const float furrow = tendinousFurrow(x, p.y);
    // The furrows dent the outer face only.
    const float centre = midSurface(x, p.y) - 0.5f * furrow;
    const float half = 0.5f * (thickness - furrow);
    const float across = (p.z - centre) / std::sqrt(1.0f + sx * sx + sy * sy);
    const float round = 0.9f * half;
    const glm::vec2 q(std::abs(p.x - 0.5f * (r.xLateral + r.xMedial)) -
                          0.5f * (r.xLateral - r.xMedial) + round,
                      std::abs(across) - half + round);
    const float slice =
        glm::length(glm::max(q, glm::vec2(0.0f))) + std::min(std::max(q.x, q.y), 0.0f) - round;
    constexpr float kEdge = 0.003f; // rounding where the faces meet the end caps
    const float ends = std::max(kRectusBottom - p.y, p.y - rectusTop(p.x));
    const glm::vec2 w(slice + kEdge, ends + kEdge);
    return 0.85f *
           (glm::length(glm::max(w, glm::vec2(0.0f))) + std::min(std::max(w.x, w.y), 0.0f) - kEdge);
  };
  return s;
}

/// The linea alba: the tendinous seam between the two recti, from the pubic symphysis up to the
/// xiphoid. Without it the slit between the recti' rounded medial borders (6-10 mm) looked
/// through the invisible abdominal filler onto the lumbar spine from the front. A plate in the
/// midline from the back faces of the recti to a little behind their front faces (the seam lies
/// in a shallow groove), a millimetre and a half wider than the slit on each side; built after
/// the recti and carved by them, it fills the slit exactly.
VolumeDef lineaAlba() {
  VolumeDef v;
  v.meta = meta("linea_alba", "muscle", "Linea alba", "Linea alba", "Abdominal wall", "midline",
                "The white line down the middle of the belly, from the breastbone to the pubic "
                "bone: a seam of tendon where the sheaths of the two rectus muscles and the flat "
                "muscles of the sides meet. It is stretched apart in pregnancy, and a gap that "
                "stays open (diastasis recti) can weaken the belly wall.",
                {0.86f, 0.86f, 0.82f});
  const float top = rectusTop(0.0f);
  v.shape.box = Aabb{V3(-0.008f, kRectusBottom - 0.002f, 0.060f), V3(0.008f, top + 0.002f, 0.150f)};
  const CartilageCover* cover = &cartilageCover();
  v.shape.f = [top, cover](const V3& p) {
    const RectusRow r = rectusAt(p.y);
    // With the recti's medial borders, lifted as they are over the cartilages.
    const float mid = rectusFront(r, 0.0f, p.y) + (*cover)(r.xMedial, p.y) - 0.5f * r.thickness;
    const float half = 0.5f * r.thickness;
    return std::max({std::abs(p.x) - (r.xMedial + 0.0015f), (mid - half) - p.z,
                     p.z - (mid + 0.6f * half), kRectusBottom - p.y, p.y - top});
  };
  v.fibre = [](const V3&) { return V3(0.0f, 1.0f, 0.0f); }; // its fibres cross; the seam runs up
  v.spacing = 0.0010f;
  v.triangles = 2500;
  v.carve = true;
  return v;
}

// ---------------------------------------------------------------------------------------------
// External oblique
// ---------------------------------------------------------------------------------------------

// Axis of the flank chart (flankAngle) and a nominal flank radius that turns its angles into
// about metres on the body, so outlines drawn in the chart have metric distances.
constexpr float kFlankAxisZ = 0.02f;
constexpr float kFlankRadius = 0.145f;
constexpr float kDeg = 3.14159265f / 180.0f;

/// Chart coordinates of p: arc length round the flank, height.
glm::vec2 flankChart(const V3& p) { return {kFlankRadius * flankAngle(p), p.y}; }

/// Fibre angle from the vertical (forward positive) at flank angle theta: the back fibres, from
/// the lowest ribs to the iliac crest, run nearly straight down; further forward they slope down
/// and forward ("hands in the front pockets") towards the aponeurosis.
float obliqueFibreAngle(float theta) {
  return mix(10.0f * kDeg, 50.0f * kDeg, smoothstep(-15.0f * kDeg, 28.0f * kDeg, theta));
}

/// Chart direction of the fibres (down and forward) at flank angle theta.
glm::vec2 obliqueFibreChart(float theta) {
  const float phi = obliqueFibreAngle(theta);
  return {std::sin(phi), -std::cos(phi)};
}

/// Outline of the fleshy part in the flank chart. crestDrop moves the border on the iliac crest
/// down (negative: up; the thickness taper uses a raised copy, so the muscle thins out well
/// before the crest).
std::vector<glm::vec2> obliqueOutline(float crestDrop) {
  std::vector<glm::vec2> poly;
  // Insertion: outer lip of the anterior half of the iliac crest, from about its middle forward
  // to the anterior superior iliac spine; the border lies a few millimetres above the crest's
  // centre line, on its top.
  const Curve& crest = pelvisLeft().iliacCrest;
  std::vector<glm::vec2> onCrest;
  for (int i = 0; i <= 60; ++i) {
    const V3 c = crest.at(0.01f * static_cast<float>(i));
    if (flankAngle(c) < -11.0f * kDeg) break;
    onCrest.push_back(flankChart(c) + glm::vec2(0.0f, 0.004f - crestDrop));
  }
  poly.insert(poly.end(), onCrest.rbegin(), onCrest.rend());
  // Anterior border: the fleshy fibres end in the aponeurosis along a line from the ASIS up and
  // forward to the lateral border of rectus abdominis a little below the navel, then up along
  // it (that border itself is cut exactly by obliqueBesideRectus).
  poly.emplace_back(kFlankRadius * 46.0f * kDeg, 1.085f);
  poly.emplace_back(kFlankRadius * 56.0f * kDeg, 1.290f);
  // Origin: a slip from the outer surface of each of ribs 5-12, on a line that runs down and
  // back (the upper slips near the costal cartilages, the lowest on the tip of rib 12). Between
  // two slips the border notches in along the fibres: serratus anterior (not modelled) fills the
  // notches of the upper five, latissimus dorsi those of the lower three.
  constexpr float kSlipAngle[] = {36.0f, 32.0f, 27.0f, 21.0f, 14.0f, 6.0f, -1.0f, -19.0f};
  glm::vec2 previous(0.0f);
  for (int k = 5; k <= 12; ++k) {
    const V3 onRib = ribAtFlankAngle(k, kSlipAngle[k - 5] * kDeg);
    const glm::vec2 tip = flankChart(onRib) + glm::vec2(0.0f, 0.004f);
    if (k > 5) {
      const glm::vec2 mid = 0.5f * (previous + tip);
      poly.push_back(mid + obliqueFibreChart(mid.x / kFlankRadius) * (k <= 9 ? 0.016f : 0.011f));
    }
    poly.push_back(tip);
    previous = tip;
  }
  // The posterior border, from the tip of rib 12 to the crest, is free (the closing edge).
  return poly;
}

/// Negative where the external oblique may lie beside rectus abdominis: lateral to a line 2 mm
/// inside the rectus' lateral border (the oblique's thin edge lies on the rectus' rounded border,
/// standing in for its aponeurosis there), or above the rectus' top.
float obliqueBesideRectus(const V3& p) {
  return std::min(rectusAt(p.y).xLateral - 0.002f - p.x, rectusTop(p.x) + 0.004f - p.y);
}

/// External oblique (left): a sheet laid on the body hull over the lower ribs and the flank,
/// before latissimus dorsi, which then covers its back part.
SheetDef externalOblique() {
  const std::vector<glm::vec2> outline = obliqueOutline(0.0f);
  const std::vector<glm::vec2> taperOutline = obliqueOutline(-0.010f);
  SheetDef s;
  s.meta = meta("external_oblique_left", "muscle", "External oblique (left)",
                "Musculus obliquus externus abdominis", "Abdominal wall", "left",
                "The outermost of the three flat muscles of the side of the belly. It starts in "
                "finger-like slips on the lower eight ribs, and its fibres run down and forward, "
                "like hands slipped into the front pockets, to the top of the pelvis and into a "
                "broad tendon sheet over the front of the belly. It bends and turns the trunk and "
                "tightens the belly wall, as when you cough.",
                muscleTone(3));
  auto outside = [](const V3& p) {
    const float r = std::sqrt(p.x * p.x + (p.z - kFlankAxisZ) * (p.z - kFlankAxisZ));
    return std::max({0.055f - p.x, r - 0.19f, keepRegion(p, 0.006f)});
  };
  s.footprint = [outline = Polygon2(outline), outside](const V3& p) {
    return std::max({outline(flankChart(p)), obliqueBesideRectus(p), outside(p)});
  };
  // 6.5 mm thick on the flank and 4 mm on the ribs (the slips are thin), thinning over 1.4 cm
  // to its free borders (the slips, the posterior border and the aponeurosis) and over the last
  // 2.5 cm to the crest, so neither its edges nor the crest under it print through the fat as
  // steps or a ridge.
  s.thickness = [taperOutline = Polygon2(taperOutline)](const V3& p) {
    const float f = std::max(taperOutline(flankChart(p)), obliqueBesideRectus(p));
    const float full = mix(0.0065f, 0.0040f, smoothstep(1.17f, 1.25f, p.y));
    return 0.0004f + (full - 0.0004f) * smoothstep(0.0f, 0.014f, -f);
  };
  s.box = Aabb{V3(0.055f, 0.975f, -0.09f), V3(0.20f, 1.35f, 0.14f)};
  s.fibre = [](const V3& p) {
    const float theta = flankAngle(p);
    const float phi = obliqueFibreAngle(theta);
    const V3 around(-std::sin(theta), 0.0f, std::cos(theta)); // forward round the flank
    return std::sin(phi) * around + std::cos(phi) * V3(0.0f, -1.0f, 0.0f);
  };
  s.triangles = 5000;
  // On a blurred bed, as serratus anterior: at the costal margin, beside the front end of rib
  // 9, the hull has a narrow slot, and the sheet laid on the hull itself dipped into it and
  // left slits, 1-2 mm wide, through which rib 9 showed from the front beside the serratus'
  // slips.
  s.bedBlur = kSheetBedBlur;
  return s;
}

/// Each bundle smoothed by `passes` Catmull-Rom subdivisions.
std::vector<Tube> smoothed(std::vector<Tube> bundles, int passes) {
  for (Tube& t : bundles)
    t = smoothTube(t, passes);
  return bundles;
}

} // namespace

VolumeDef bundleMuscle(StructureMeta m, std::vector<Tube> bundles, float blend, float spacing,
                       std::size_t triangles) {
  Aabb box;
  for (const Tube& t : bundles)
    box.extend(t.bounds());
  VolumeDef v;
  v.meta = std::move(m);
  v.shape = culledShape(TubeBlend(bundles, blend), box.padded(blend));
  v.fibre = bundleFibre(bundles);
  v.spacing = spacing;
  v.triangles = triangles;
  return v;
}

FibreField bundleFibre(const std::vector<Tube>& bundles) {
  return [bundles](const V3& p) {
    float best = 1e9f;
    V3 dir(0, -1, 0);
    for (const Tube& t : bundles)
      for (std::size_t i = 0; i + 1 < t.points.size(); ++i) {
        const V3 a = t.points[i], b = t.points[i + 1];
        if (glm::length(b - a) <= 0.0f) continue;
        const float d = glm::length(p - (a + (b - a) * segmentParam(p, a, b))) -
                        0.5f * (t.radii[i] + t.radii[i + 1]);
        if (d < best) {
          best = d;
          dir = glm::normalize(b - a);
        }
      }
    return dir;
  };
}

// The flank chart: the angle round a vertical axis a little in front of the spine (0 straight
// out to the side, positive forward). The external oblique is outlined in it, and the
// intercostal filler (soft_tissue.cpp) spans the ribs in it.
float flankAngle(const glm::vec3& p) { return std::atan2(p.z - kFlankAxisZ, p.x); }

glm::vec3 ribAtFlankAngle(int k, float theta) {
  const std::vector<V3> path = ribPath(k);
  for (std::size_t i = 1; i < path.size(); ++i) {
    const float a = flankAngle(path[i - 1]), b = flankAngle(path[i]);
    if (a != b && (a - theta) * (b - theta) <= 0.0f)
      return path[i - 1] + (path[i] - path[i - 1]) * ((theta - a) / (b - a));
  }
  return path.back();
}

std::vector<VolumeDef> makeFrontMuscles() {
  std::vector<VolumeDef> left;
  left.push_back(
      bundleMuscle(meta("psoas_major_left", "muscle", "Psoas major (left)", "Musculus psoas major",
                        "Hip flexors", "left",
                        "A long, thick muscle deep in the belly that runs from the sides of the "
                        "lowest chest vertebra and the lumbar vertebrae down over the rim of the "
                        "pelvis to the inside of the thigh bone. It lifts the thigh toward the "
                        "trunk and, when tight, pulls the low back into a deeper arch.",
                        muscleTone(1)),
                   smoothed(psoasBundles(), 3), 0.010f, 0.0019f, 7000));
  left.push_back(bundleMuscle(
      meta("iliacus_left", "muscle", "Iliacus (left)", "Musculus iliacus", "Hip flexors", "left",
           "A fan-shaped muscle lining the inside of the wing of the pelvis. Its "
           "fibres gather beside psoas major and attach with it to the inside of the "
           "thigh bone, so the two work together as the main hip flexor, the "
           "iliopsoas.",
           muscleTone(4)),
      smoothed(iliacusBundles(), 3), 0.010f, 0.0019f, 6000));
  {
    VolumeDef v;
    v.meta = meta(
        "rectus_abdominis_left", "muscle", "Rectus abdominis (left)", "Musculus rectus abdominis",
        "Abdominal wall", "left",
        "The long, flat strap muscle at the front of the belly, running from the pubic bone up to "
        "the lower ribs and the tip of the breastbone, next to its partner across a thin midline "
        "seam, the linea alba. Tendon bands cross it and give the six-pack look; it bends the "
        "trunk forward and supports the belly.",
        muscleTone(6));
    v.shape = rectusShape();
    v.fibre = [](const V3&) {
      return V3(0.0f, 1.0f, 0.0f);
    }; // vertical; fillFibres lays it in the surface
    v.spacing = 0.0018f;
    v.triangles = 6000;
    left.push_back(std::move(v));
  }
  std::vector<VolumeDef> out = withRightSides(left, mirroredVolume);
  out.push_back(lineaAlba()); // after both recti, which carve it
  return out;
}

std::vector<SheetDef> makeAbdominalWallSheets() {
  // Serratus anterior after the oblique: where they meet on ribs 5-9 it is cut by the oblique's
  // footprint, so each slip lies beside the oblique's, edge to edge (its thin edge resting 1.5 cm
  // onto the oblique's), never under it.
  // Pectoralis major last: it lies over serratus anterior's upper slips and the top of the
  // oblique's.
  const SheetDef oblique = externalOblique();
  const SheetDef serratus = serratusAnteriorLeft(oblique.footprint);
  const SheetDef pectoralis = pectoralisMajorLeft();
  return {oblique,    mirroredSheet(oblique),   serratus, mirroredSheet(serratus),
          pectoralis, mirroredSheet(pectoralis)};
}

} // namespace fascia::anatomy
