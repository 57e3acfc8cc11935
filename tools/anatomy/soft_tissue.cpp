// Muscles, fascia and the body filler. Attachments follow standard atlas descriptions (see
// docs/anatomy.md); all coordinates are the patient's left side (+x) and are mirrored for the
// right.

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <limits>
#include <span>

#include "parts.h"

namespace fascia::anatomy {

namespace {

using V3 = glm::vec3;

FibreField tubeFibre(const Tube& t) {
  return [t](const V3& p) {
    float best = 1e9f;
    V3 dir(0, 1, 0);
    for (std::size_t i = 0; i + 1 < t.points.size(); ++i) {
      const float s = segmentParam(p, t.points[i], t.points[i + 1]);
      const float d = glm::length(p - (t.points[i] + (t.points[i + 1] - t.points[i]) * s));
      if (d < best) {
        best = d;
        dir = glm::normalize(t.points[i + 1] - t.points[i]);
      }
    }
    return dir.y < 0 ? -dir : dir;
  };
}

FibreField fanFibre(const Fan& f) {
  return [f](const V3& p) { return f.fibreDirection(p); };
}

VolumeDef tubeMuscle(StructureMeta m, Tube t, float blend, float spacing, std::size_t tris) {
  t = smoothTube(t, 4);
  VolumeDef v;
  v.meta = std::move(m);
  v.shape = culledShape(BlendedTube(t, blend), t.bounds().padded(blend));
  v.fibre = tubeFibre(t);
  v.spacing = spacing;
  v.triangles = tris;
  return v;
}

/// The knots of a column muscle: centre line, radius, half width and how far it reaches further
/// back (widenedColumn).
struct Column {
  Tube tube;
  std::vector<float> halfWidth, backward;
  void add(const V3& p, float r, float w = 0.0f, float back = 0.0f) {
    tube.points.push_back(p);
    tube.radii.push_back(r);
    halfWidth.push_back(w);
    backward.push_back(back);
  }
};

/// A column muscle widened at its i-th knot by its half width towards the patient's side and by
/// medialShare times that towards the midline (medialShare < 1 keeps it off the spinous
/// processes), and deepened by its backward width towards the back. In the lumbar region the
/// erector spinae columns are broad masses that touch one another and fill the gutter beside
/// the spine (round tubes left grooves down to the bone between them), and reach further back
/// than the spinous processes, which lie in a groove between them. Fibres follow the centre
/// line.
VolumeDef widenedColumn(StructureMeta m, const Column& column, float medialShare, float blend,
                        float spacing, std::size_t tris) {
  const Tube& t = column.tube;
  const std::vector<float>& halfWidth = column.halfWidth;
  // The widths are resampled along the same spline as the points (carried as a tube's radii).
  // The spline overshoots a little below zero where a run of zeros meets the first width: a
  // width is never negative.
  const auto resampled = [&t](const std::vector<float>& knotWidths) {
    std::vector<float> out = smoothTube(Tube{t.points, knotWidths}, 4).radii;
    for (float& w : out)
      w = std::max(w, 0.0f);
    return out;
  };
  const Tube centre = smoothTube(t, 4);
  const std::vector<float> lateral = resampled(halfWidth);
  std::vector<float> medial;
  for (const float w : lateral)
    medial.push_back(w * medialShare);
  // A column that is not deepened anywhere keeps the plain stadium.
  const bool deepened =
      std::any_of(column.backward.begin(), column.backward.end(), [](float b) { return b > 0.0f; });
  std::vector<float> backward = deepened ? resampled(column.backward) : std::vector<float>{};
  const float widest = *std::max_element(halfWidth.begin(), halfWidth.end()) +
                       *std::max_element(column.backward.begin(), column.backward.end());
  VolumeDef v;
  v.meta = std::move(m);
  v.shape = culledShape(BlendedTube(centre, blend, lateral, std::move(medial), std::move(backward)),
                        centre.bounds().padded(blend + widest));
  v.fibre = tubeFibre(centre);
  v.spacing = spacing;
  v.triangles = tris;
  return v;
}

/// Where a sheet ends on the flank (< 0 behind the edge). A plane z = zFront would end it at a
/// straight vertical line seen from the side; instead the edge is rounded: frontmost (zFront)
/// halfway between yLo and yHi and receding backwards by `recede` towards both, so the sheet's
/// side edge curves around the flank (and its thickness, which tapers with the footprint, fades
/// along that curve). recede = 0 is the plane z = zFront.
float flankEdge(const V3& p, float zFront, float yLo, float yHi, float recede) {
  if (recede <= 0.0f || yHi <= yLo) return p.z - zFront;
  const float s = std::clamp((2.0f * p.y - yLo - yHi) / (yHi - yLo), -1.0f, 1.0f);
  return p.z - (zFront - recede * s * s);
}

struct FlankSpec {
  float recede = 0.0f;      // how far (m) the edge recedes backwards at the ends of the y range
  float yLo = 0.0f, yHi = 0.0f; // y range of the curve; empty: the fan outline's own extent
};

/// Where the upper trapezius ends on the side of the neck (< 0 behind it). Its anterior border
/// runs obliquely in a side view, from the back of the skull down and forward to the lateral
/// clavicle, and is the back edge of the posterior triangle of the neck, where splenius capitis
/// and levator scapulae show. Ended by the flank's vertical edge instead, the part stood on the
/// side of the neck as a flat panel with a square corner at mid-neck.
float trapeziusAnteriorBorder(const V3& p) {
  constexpr float kAtClavicle = 0.015f; // z of the border up to 1.49 m, over the clavicle
  constexpr float kRecede = 0.40f;      // how far back it goes per metre up the neck
  return p.z - (kAtClavicle - kRecede * std::max(0.0f, p.y - 1.49f));
}

/// Where the trapezius ends on the flank (FlankSpec): its sheets' edges, curving round the side
/// of the chest between 1.205 and 1.64 m.
FlankSpec trapeziusFlank() { return {0.02f, 1.205f, 1.640f}; }

/// The upper trapezius' front edges (< 0 behind them), moved `inset` inwards: on the flank
/// (flankEdge, 1.5 cm in front of the lower parts') and on the neck (trapeziusAnteriorBorder).
float upperTrapeziusFront(const V3& p, float inset) {
  const FlankSpec f = trapeziusFlank();
  return std::max(flankEdge(p, 0.015f, f.yLo, f.yHi, f.recede), trapeziusAnteriorBorder(p)) + inset;
}

/// The middle and lower trapezius' front edge on the flank (< 0 behind it).
float restOfTrapeziusFront(const V3& p) {
  const FlankSpec f = trapeziusFlank();
  return flankEdge(p, 0.0f, f.yLo, f.yHi, f.recede);
}

/// Above this height the upper trapezius also covers the top of the shoulder (see
/// shoulderTopOutline).
constexpr float kShoulderTopFrom = 1.44f;

/// An outline seen from behind cannot describe the top of the shoulder, which faces up: there
/// the upper trapezius' outline is a sliver between its lower border and the clavicle. So, above
/// kShoulderTopFrom, the upper part also covers what lies inside this outline seen from above
/// (x, z): from the root of the neck to the acromion, from the back of the shoulder top (behind
/// it the middle part's outline from behind takes over) to its insertion on the back of the
/// lateral clavicle. Laterally it ends 4-6 mm past the deltoid's origin line (2 mm at its front
/// end on the clavicle; arm.cpp), on the deltoid's upper slope, where onDeltoidOriginSink lays
/// its edge down: stopping short of the origin, a slit under its edge opened from the side into
/// the hollow beneath it. Medially it starts 4.5 cm from the midline, inside the outline from
/// behind: starting at 5.5 cm, it left a strip of the neck's side between the two outlines
/// uncovered above 1.55 m, and a pinhole through the neck between splenius capitis and levator
/// scapulae.
const std::vector<glm::vec2>& shoulderTopOutline() {
  static const std::vector<glm::vec2> outline{
      {0.045f, -0.065f}, {0.160f, -0.065f}, {0.181f, -0.069f}, {0.194f, -0.061f},
      {0.200f, -0.046f}, {0.192f, -0.028f}, {0.175f, -0.011f}, {0.149f, 0.012f},
      {0.100f, -0.002f}, {0.045f, -0.016f}};
  return outline;
}

/// Inside (< 0) the part of the upper trapezius that shoulderTopOutline describes.
float upperTrapeziusFromAbove(const V3& p) {
  static const Polygon2 inside(shoulderTopOutline());
  return std::max(inside(glm::vec2(p.x, p.z)), kShoulderTopFrom - p.y);
}

/// How far the trapezius and its fascia sink below the hull where they end on the deltoid's
/// origin over the top of the shoulder (SheetDef::sink): 3.3 mm within 6 mm of its line seen
/// from above, nothing from 3.5 cm. Laid on the hull alone, the trapezius' edge stood 2-3 mm
/// above the deltoid's crest, and the hollow under it showed in a side view as a dark line along
/// the top of the shoulder. Only over the shoulder top: from 1.44-1.46 m up, in front of the
/// spine of the scapula (z -8 to -6.6 cm) and from 10-12 cm out, each limit a smooth fade.
/// Along the spine the investing fascia faces backwards over infraspinatus, which does not sink:
/// sunk there too, it let infraspinatus and the middle trapezius show through it at peel 2 (the
/// muscle and fascia above the spine sink in onScapularSpineSink, which fades out on the crest,
/// above infraspinatus).
float onDeltoidOriginSink(const V3& p) {
  constexpr float kSink = 0.0033f, kFull = 0.006f, kNone = 0.035f;
  const float overTop = smoothstep(kShoulderTopFrom, 1.460f, p.y) *
                        smoothstep(-0.080f, -0.066f, p.z) * smoothstep(0.100f, 0.120f, p.x);
  if (overTop <= 0.0f) return 0.0f;
  static const std::vector<glm::vec2> line = [] {
    std::vector<glm::vec2> xz;
    for (const V3& q : deltoidOriginLeft().points())
      xz.emplace_back(q.x, q.z);
    return xz;
  }();
  const float distance = std::abs(signedPolylineDistance(glm::vec2(p.x, p.z), line));
  return kSink * overTop * smoothstep(kNone, kFull, distance);
}

/// A sheet covering the outline of a fan (seen from behind), on the back of the body (behind
/// z = zLimit, the edge rounded on the flank as flankEdge describes).
SheetDef fanSheet(StructureMeta m, const Fan& fan, float zLimit, float tMax, float taper,
                  std::size_t tris, Sdf taperRegion = {}, FlankSpec flank = {}) {
  const std::vector<glm::vec2> poly = fan.outlineXY(16);
  if (flank.yHi <= flank.yLo) {
    flank.yLo = 1e9f;
    flank.yHi = -1e9f;
    for (const auto& q : poly) {
      flank.yLo = std::min(flank.yLo, q.y);
      flank.yHi = std::max(flank.yHi, q.y);
    }
  }
  SheetDef s;
  s.meta = std::move(m);
  s.footprint = [poly = Polygon2(poly), zLimit, flank](const V3& p) {
    return std::max({poly(glm::vec2(p.x, p.y)),
                     flankEdge(p, zLimit, flank.yLo, flank.yHi, flank.recede),
                     keepRegion(p, 0.006f)});
  };
  // Parts of one muscle taper only at the muscle's outer edge, not where they meet each other.
  const Sdf fp = taperRegion ? taperRegion : s.footprint;
  s.thickness = [fp, tMax, taper](const V3& p) {
    return 0.0004f + (tMax - 0.0004f) * smoothstep(0.0f, taper, -fp(p));
  };
  Aabb box;
  for (const auto& q : poly) {
    box.extend(V3(q.x, q.y, -0.25f));
    box.extend(V3(q.x, q.y, zLimit));
  }
  s.box = box.padded(0.012f);
  s.fibre = fanFibre(fan);
  s.triangles = tris;
  return s;
}

/// Lets each of the sheets that share borders (the parts of one muscle, laid on one bed) reach
/// `overlap` under the parts after it, thinning to half its thickness there, so the parts join
/// without a slit: the later part's edge lies on the earlier one, whose outer face dips under it.
void overlapParts(std::span<SheetDef> parts, float overlap) {
  std::vector<Sdf> footprints;
  for (const SheetDef& part : parts)
    footprints.push_back(part.footprint);
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    const std::vector<Sdf> later(footprints.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                                 footprints.end());
    const Sdf own = footprints[i];
    parts[i].footprint = [own, later, overlap](const V3& p) {
      const float f = own(p);
      if (f <= 0.0f || f >= overlap) return f;
      float under = 1.0e3f;
      for (const Sdf& g : later)
        under = std::min(under, g(p));
      return std::min(f, std::max(f - overlap, under));
    };
    parts[i].thickness = [own, thickness = parts[i].thickness, overlap](const V3& p) {
      return thickness(p) * (1.0f - 0.5f * std::clamp(own(p) / overlap, 0.0f, 1.0f));
    };
  }
}

std::vector<glm::vec2> mirrorPoly(std::vector<glm::vec2> v) {
  for (auto& q : v) q.x = -q.x;
  std::reverse(v.begin(), v.end());
  return v;
}

/// Adds a filler slab reaching 4.8 mm either side of a triangulated surface on the patient's
/// left (inside `box`), and its mirror image on the right.
void addMirroredSlab(std::vector<Shape>& out, const std::vector<std::array<V3, 3>>& tris,
                     const Aabb& box) {
  constexpr float kHalfThickness = 0.0048f;
  const auto set = std::make_shared<const TriangleSet>(tris);
  for (float side : {1.0f, -1.0f}) {
    Shape slab;
    slab.box = box.padded(0.005f);
    if (side < 0.0f) slab.box = mirrorX(slab.box);
    slab.f = [set, side](const V3& p) { return (*set)(V3(p.x * side, p.y, p.z)) - kHalfThickness; };
    slab.below = [set, side](const V3& p, float limit) {
      // Rounding of limit + h and of the difference must not bring a value that is only a
      // bound below the limit.
      const float reach = limit + kHalfThickness;
      const float d = set->below(V3(p.x * side, p.y, p.z), reach);
      return d >= reach ? std::max(d - kHalfThickness, limit) : d - kHalfThickness;
    };
    out.push_back(slab);
  }
}

} // namespace

VolumeDef fanMuscle(StructureMeta m, const Fan& fan, int fibres, float rEnd, float rMid,
                    float blend, float spacing, std::size_t tris) {
  VolumeDef v;
  v.meta = std::move(m);
  v.shape = fan.volume(fibres, rEnd, rMid, blend);
  v.fibre = fanFibre(fan);
  v.spacing = spacing;
  v.triangles = tris;
  return v;
}

// ---------------------------------------------------------------------------------------------
// Metadata helpers
// ---------------------------------------------------------------------------------------------

std::array<float, 3> muscleTone(int i) {
  // Reddish muscle tones that differ a little from one muscle to the next.
  static constexpr std::array<std::array<float, 3>, 8> kTones{{{0.66f, 0.20f, 0.18f},
                                                               {0.72f, 0.26f, 0.22f},
                                                               {0.60f, 0.17f, 0.17f},
                                                               {0.70f, 0.30f, 0.26f},
                                                               {0.63f, 0.23f, 0.16f},
                                                               {0.75f, 0.22f, 0.20f},
                                                               {0.57f, 0.20f, 0.20f},
                                                               {0.68f, 0.24f, 0.28f}}};
  return kTones[static_cast<std::size_t>(i) % kTones.size()];
}

StructureMeta meta(std::string id, std::string layer, std::string display, std::string latin,
                   std::string group, std::string side, std::string description,
                   std::array<float, 3> colour) {
  return StructureMeta{std::move(id),    std::move(layer), std::move(display),     std::move(latin),
                       std::string(),    std::move(group), std::move(side),        std::move(description),
                       colour};
}

namespace {

/// Replaces every `a` in s by `b`.
void replaceAll(std::string& s, const std::string& a, const std::string& b) {
  for (std::size_t pos = s.find(a); pos != std::string::npos; pos = s.find(a, pos + b.size()))
    s.replace(pos, a.size(), b);
}

/// The id of the right-side twin of a left structure.
std::string rightId(std::string id) {
  replaceAll(id, "_left", "_right");
  return id;
}

} // namespace

StructureMeta rightOf(const StructureMeta& left) {
  StructureMeta r = left;
  r.id = rightId(left.id);
  replaceAll(r.displayName, "(left)", "(right)");
  replaceAll(r.latinName, "sinistra", "dextra");
  replaceAll(r.latinName, "sinistrum", "dextrum");
  replaceAll(r.latinName, "sinister", "dexter");
  replaceAll(r.description, "left", "right");
  r.side = "right";
  for (float& c : r.colour) c = std::clamp(c * 0.97f + 0.01f, 0.0f, 1.0f);
  return r;
}

VolumeDef mirroredVolume(const VolumeDef& left) {
  VolumeDef r = left;
  r.meta = rightOf(left.meta);
  r.shape = mirrored(left.shape);
  if (left.fibre) {
    const FibreField f = left.fibre;
    r.fibre = [f](const V3& p) { return mirrorX(f(mirrorX(p))); };
  }
  r.carveRound = [width = left.carveRound](const V3& p) { return width(mirrorX(p)); };
  return r;
}

SheetDef mirroredSheet(const SheetDef& left) {
  SheetDef r = left;
  r.meta = rightOf(left.meta);
  const Sdf fp = left.footprint;
  r.footprint = [fp](const V3& p) { return fp(mirrorX(p)); };
  if (left.thickensWhere) {
    const auto thickens = left.thickensWhere;
    r.thickensWhere = [thickens](const V3& p, float f) { return thickens(mirrorX(p), f); };
  }
  const auto th = left.thickness;
  r.thickness = [th](const V3& p) { return th(mirrorX(p)); };
  r.box = mirrorX(left.box);
  r.bedBox = mirrorX(left.bedBox);
  for (std::string& id : r.passesUnder)
    id = rightId(id);
  if (left.bedClosing.weight) {
    const auto w = left.bedClosing.weight;
    r.bedClosing.weight = [w](const V3& p) { return w(mirrorX(p)); };
  }
  if (left.fibre) {
    const FibreField f = left.fibre;
    r.fibre = [f](const V3& p) { return mirrorX(f(mirrorX(p))); };
  }
  if (left.sink) {
    const auto sink = left.sink;
    r.sink = [sink](const V3& p) { return sink(mirrorX(p)); };
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Filler: what gives the body its outline without being a structure here
// ---------------------------------------------------------------------------------------------

// The front of the abdomen (0.96-1.17 m) is set so that the waist is 0.21-0.22 m deep at L3,
// within the reference's 0.19-0.22 m (landmarks.md; 2 cm further forward it was 0.235 m).
// Rectus abdominis, the linea alba and the costal-margin slope are placed from this filler.
const std::vector<Loft::Section>& trunkSections() {
  static const std::vector<Loft::Section> sections{
      {0.86f, 0.040f, 0.030f, 0.030f},   {0.90f, 0.075f, 0.035f, 0.048f},
      {0.96f, 0.108f, 0.0375f, 0.0555f}, {1.03f, 0.126f, 0.033f, 0.059f},
      {1.10f, 0.130f, 0.030f, 0.058f},   {1.17f, 0.127f, 0.033f, 0.063f},
      {1.25f, 0.126f, 0.035f, 0.080f},   {1.32f, 0.124f, 0.028f, 0.088f},
      {1.40f, 0.112f, 0.025f, 0.082f},   {1.46f, 0.090f, 0.025f, 0.066f},
      {1.50f, 0.060f, 0.020f, 0.050f}};
  return sections;
}

std::vector<Shape> makeFiller() {
  std::vector<Shape> out;
  // Chest and abdomen inside the ribs and the abdominal wall.
  Loft trunk;
  trunk.sections = trunkSections();
  out.push_back(trunk.shape());
  Loft neck;
  neck.sections = {{1.46f, 0.062f, 0.005f, 0.052f}, {1.55f, 0.052f, 0.008f, 0.048f}, {1.70f, 0.050f, 0.012f, 0.048f}};
  out.push_back(neck.shape());
  // Spinal canal and the interspinous ligaments, so the hull has no hollows along the spine.
  {
    Tube canal, ligaments;
    for (const SpineLevel& s : spineLevels()) {
      canal.points.push_back(s.body + s.back * (s.bodyHalfDepth + s.canal));
      canal.radii.push_back(s.canal + 0.001f);
      ligaments.points.push_back(0.5f * (s.lamina + s.spinousTip));
      ligaments.radii.push_back(0.0035f);
    }
    for (const Tube& t : {canal, ligaments}) {
      out.push_back(culledShape(BlendedTube(t, 0.004f), t.bounds().padded(0.004f)));
    }
  }
  auto capsule = [](V3 a, V3 b, float ra, float rb) {
    Shape s;
    const Tube t{{a, b}, {ra, rb}};
    s.box = t.bounds();
    s.f = [t](const V3& p) { return t(p, 0.0f); };
    return s;
  };
  auto ellipsoid = [](V3 c, V3 r) {
    Shape s;
    s.box = Aabb{c - r, c + r}.padded(0.001f);
    s.f = [c, r](const V3& p) { return sdEllipsoid(p, c, r); };
    return s;
  };
    // Intercostal muscles and costal cartilages between ribs 5 and 12 on the side and front of
    // the chest: bands spanning each intercostal space, about as thick as the ribs, so the
    // external oblique lies on a continuous chest wall rather than wrapping each rib. Where a rib
    // ends before the one above it (the costal margin: the front ends of ribs 7-10 stand up to
    // 2 cm proud of the chest filler, and 11 and 12 float), the band narrows to a wedge that
    // closes at the end of the rib above, standing in for the cartilages that join them. Only
    // where the external oblique lies: from its free back border forward to rectus abdominis.
    constexpr float kDegree = 3.14159265f / 180.0f;
    for (int k = 5; k < 12; ++k) {
      const float endUpper = std::min(flankAngle(ribPath(k).back()), 44.0f * kDegree);
      const float endLower = flankAngle(ribPath(k + 1).back());
      std::vector<float> angles;
      for (float a = -24.0f * kDegree; a < endUpper; a += 4.0f * kDegree) angles.push_back(a);
      if (endLower < endUpper) angles.push_back(endLower);
      angles.push_back(endUpper);
      std::sort(angles.begin(), angles.end());
      const V3 lowerEnd = ribPath(k + 1).back();
      const V3 upperAtLowerEnd = ribAtFlankAngle(k, endLower);
      auto lower = [&](float a) {
        if (a <= endLower) return ribAtFlankAngle(k + 1, a);
        const float t = (a - endLower) / std::max(endUpper - endLower, 1e-3f);
        return ribAtFlankAngle(k, a) + (lowerEnd - upperAtLowerEnd) * (1.0f - t);
      };
      std::vector<std::array<V3, 3>> tris;
      Aabb box;
      for (std::size_t i = 0; i + 1 < angles.size(); ++i) {
        if (angles[i + 1] - angles[i] < 1e-4f) continue;
        const V3 p0 = ribAtFlankAngle(k, angles[i]), p1 = ribAtFlankAngle(k, angles[i + 1]);
        const V3 q0 = lower(angles[i]), q1 = lower(angles[i + 1]);
        tris.push_back({p0, p1, q0});
        tris.push_back({p1, q1, q0});
        for (const V3& v : {p0, p1, q0, q1}) box.extend(v);
      }
      addMirroredSlab(out, tris, box);
    }
    // The same bands between ribs 1 and 5 on the side of the chest, under serratus anterior
    // (serratus_anterior.cpp): from its back border in front of the posterior fold of the armpit
    // (14 degrees behind the side) forward to a little past its slips on the rib below, so it
    // lies on a continuous wall instead of dipping into each intercostal space. Reaching further
    // back they changed the crease between teres major and the chest wall that latissimus dorsi
    // wraps into.
    constexpr float kUpperBandEnd[] = {20.0f, 27.0f, 31.0f, 35.0f}; // bands 1-2 .. 4-5, degrees
    for (int k = 1; k < 5; ++k) {
      std::vector<std::array<V3, 3>> tris;
      Aabb box;
      const float end = kUpperBandEnd[k - 1] * kDegree;
      for (float a = -14.0f * kDegree; a < end - 1e-4f; a += 4.0f * kDegree) {
        const float b = std::min(a + 4.0f * kDegree, end);
        const V3 p0 = ribAtFlankAngle(k, a), p1 = ribAtFlankAngle(k, b);
        const V3 q0 = ribAtFlankAngle(k + 1, a), q1 = ribAtFlankAngle(k + 1, b);
        tris.push_back({p0, p1, q0});
        tris.push_back({p1, q1, q0});
        for (const V3& v : {p0, p1, q0, q1}) box.extend(v);
      }
      addMirroredSlab(out, tris, box);
    }
  // Below the costal margin: the abdominal wall under the external oblique (internal oblique
  // and transversus) slopes from the margin, which stands up to 2.5 cm proud of the abdominal
  // filler, down to that filler over 6 cm, so the external oblique runs on from the ribs over
  // the upper flank instead of dropping off the margin in a step.
  {
    const Shape abdomen = trunk.shape();
    // The lowest rib that reaches angle a: the margin's edge there.
    auto margin = [&](float a) {
      for (int k = 10; k >= 5; --k)
        if (flankAngle(ribPath(k).back()) >= a) return ribAtFlankAngle(k, a);
      return ribAtFlankAngle(5, a);
    };
    // The abdominal filler's surface at angle a and height y, 6 mm in from it.
    auto onAbdomen = [&](float a, float y) {
      const V3 dir(std::cos(a), 0.0f, std::sin(a));
      float lo = 0.02f, hi = 0.25f;
      for (int i = 0; i < 30; ++i) {
        const float mid = 0.5f * (lo + hi);
        (abdomen(V3(0.0f, y, 0.02f) + dir * mid) < 0.0f ? lo : hi) = mid;
      }
      return V3(0.0f, y, 0.02f) + dir * (lo - 0.006f);
    };
    std::vector<std::array<V3, 3>> tris;
    Aabb box;
    for (float a = -2.0f; a < 40.0f; a += 3.0f) {
      const float a0 = a * kDegree, a1 = std::min(a + 3.0f, 40.0f) * kDegree;
      const V3 c0 = margin(a0), c1 = margin(a1);
      const V3 d0 = onAbdomen(a0, c0.y - 0.06f), d1 = onAbdomen(a1, c1.y - 0.06f);
      tris.push_back({c0, c1, d0});
      tris.push_back({c1, d1, d0});
      for (const V3& v : {c0, c1, d0, d1}) box.extend(v);
    }
    addMirroredSlab(out, tris, box);
  }
  for (float side : {1.0f, -1.0f}) {
    auto m = [side](V3 p) { return V3(p.x * side, p.y, p.z); };
    // Shoulder (the arm stub and the tissue under the deltoid come from armFiller; the deltoid
    // itself fills the cap of the shoulder up to the acromion, where an ellipsoid of filler
    // stood 1 cm above the bone and held the trapezius off it).
    // The root of the neck between the clavicle and the scapula (first rib, scalenes, the fat of
    // the posterior triangle): it fills the hollow between the clavicle in front and the
    // supraspinatus behind up to the top of those two (about 1.47 m at x = 0.10).
    out.push_back(ellipsoid(m({0.110f, 1.449f, -0.014f}), {0.068f, 0.022f, 0.048f}));
    // Under pectoralis major (pectoral.cpp), which is a structure of its own laid on this:
    // pectoralis minor, from ribs 3-5 near their cartilages up to the coracoid process, and the
    // fat and vessels of the armpit under the anterior fold, which carry the fold across the
    // hollow of the armpit from the chest wall to the arm.
    out.push_back(
        capsule(m({0.088f, 1.352f, 0.088f}), m({0.145f, 1.428f, 0.024f}), 0.008f, 0.005f));
    out.push_back(
        capsule(m({0.110f, 1.322f, 0.062f}), m({0.172f, 1.366f, 0.016f}), 0.012f, 0.011f));
    // Lateral hip (tensor fasciae latae, upper vastus) around the greater trochanter.
    out.push_back(ellipsoid(m({0.148f, 0.895f, 0.012f}), {0.042f, 0.070f, 0.058f}));
    // Flank: the internal oblique and transversus under the external oblique, which is a
    // structure of its own (front_muscles.cpp) laid on this. Thigh.
    out.push_back(capsule(m({0.100f, 1.200f, -0.010f}), m({0.112f, 1.070f, -0.005f}), 0.027f, 0.029f));
    out.push_back(capsule(m({0.095f, 0.950f, 0.015f}), m({0.112f, 0.690f, 0.018f}), 0.066f, 0.060f));
  }
  for (Shape& s : armFiller()) out.push_back(std::move(s));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Volume muscles
// ---------------------------------------------------------------------------------------------

/// How much further back the lumbar erector spinae columns reach than their round (widened)
/// sections: enough for the spinous processes and the supraspinous ligament to lie in a shallow
/// groove between the two erector masses, as in the reference (landmarks.md), rather than
/// stand out of them.
constexpr float kLumbarDepth = 0.015f;
/// How steeply iliocostalis' lumbar section narrows towards its outer edge (see there).
constexpr float kIliocostalisSlope = 0.8f;

std::vector<VolumeDef> makeVolumeMuscles() {
  std::vector<VolumeDef> left;
  const auto& lv = spineLevels();
  auto levelIndex = [&](const char* n) {
    for (std::size_t i = 0; i < lv.size(); ++i)
      if (lv[i].name == n) return i;
    return std::size_t{0};
  };
  const std::size_t iL1 = levelIndex("L1");
  // How far level k is into the lumbar part of the erector spinae: 0 down to T10, rising to 1 at
  // L1 and below, where the columns widen into one broad mass (widenedColumn).
  const std::size_t iT10 = levelIndex("T10");
  auto lumbarShare = [&](std::size_t k) {
    const float f =
        (static_cast<float>(k) - static_cast<float>(iT10)) / static_cast<float>(iL1 - iT10);
    return smoothstep(0.0f, 1.0f, f);
  };
  // How far the lumbar columns reach further back: 0 down to T11, all of kLumbarDepth from L2.
  const std::size_t iT11 = levelIndex("T11"), iL2 = levelIndex("L2");
  auto lumbarDepthShare = [&](std::size_t k) {
    const float f =
        (static_cast<float>(k) - static_cast<float>(iT11)) / static_cast<float>(iL2 - iT11);
    return smoothstep(0.0f, 1.0f, f);
  };

  // Multifidus: in the groove between spinous and transverse processes, thickest at L4-S1.
  {
    Column c;
    for (std::size_t i = 0; i < lv.size(); ++i) {
      const float r = i < iL1 ? (i >= iL1 - 2 ? 0.0085f + 0.001f * static_cast<float>(i + 2 - iL1) : 0.0072f)
                              : 0.011f + 0.0014f * static_cast<float>(i - iL1);
      const float x = i < iL1 ? 0.017f : 0.021f;
      c.add(lv[i].lamina + V3(x, 0, 0) + lv[i].back * (r * 0.75f), r, 0.005f * lumbarShare(i),
            kLumbarDepth * lumbarDepthShare(i));
    }
    c.add({0.022f, 1.002f, -0.058f}, 0.0155f, 0.005f, kLumbarDepth);
    c.add({0.020f, 0.968f, -0.071f}, 0.010f, 0.003f, 0.5f * kLumbarDepth);
    c.add({0.017f, 0.948f, -0.074f}, 0.005f);
    left.push_back(widenedColumn(
        meta("multifidus_left", "muscle", "Multifidus (left)", "Musculus multifidus",
             "Deep muscles", "left",
             "Short, deep muscle bundles that span two to four vertebrae right next to "
             "the spine. They steady each vertebra against the next one and are "
             "often weak or slow to switch on in people with long-standing low back "
             "pain, which is why exercise programmes target them.",
             muscleTone(0)),
        c, 0.3f, 0.006f, 0.0019f, 7000));
  }
  // Spinalis: beside the thoracic spinous processes.
  {
    Tube t;
    const std::size_t first = levelIndex("T2"), last = iL1;
    for (std::size_t i = first; i <= last; ++i) {
      const float f = static_cast<float>(i - first) / static_cast<float>(last - first);
      const float r = 0.0045f + 0.0035f * std::sin(3.14159f * f);
      const V3 mid = 0.5f * (lv[i].lamina + lv[i].spinousTip);
      t.points.push_back(mid + V3(0.0085f + r, 0, 0) + lv[i].back * 0.003f);
      t.radii.push_back(r);
    }
    left.push_back(tubeMuscle(meta("spinalis_left", "muscle", "Spinalis (left)", "Musculus spinalis",
                                   "Deep muscles", "left",
                                   "The innermost and smallest column of the erector spinae, running "
                                   "between the spinous processes of the upper back. It helps straighten "
                                   "and hold the upper back upright.",
                                   muscleTone(1)),
                              t, 0.005f, 0.0017f, 4500));
  }
  // Longissimus: the middle column, on the transverse processes, from sacrum to neck.
  {
    Column col;
    // The lower end lies beside the sacral multifidus, not over its back (at 3.0-3.6 cm from the
    // midline, as it was before, it wrapped round it as a thin lip that looked ragged from behind
    // at peel 3). Its depth tapers there as multifidus' does.
    col.add({0.037f, 0.974f, -0.073f}, 0.007f, 0.003f, 0.3f * kLumbarDepth);
    col.add({0.040f, 1.012f, -0.067f}, 0.013f, 0.006f, 0.8f * kLumbarDepth);
    for (std::size_t k = lv.size(); k-- > 0;) {
      const float f = static_cast<float>(k) / static_cast<float>(lv.size() - 1); // 1 at L5
      const float r = 0.006f + 0.011f * std::pow(f, 1.3f);
      const bool lumbar = k >= iL1;
      V3 c = lv[k].transverseTipLeft;
      c.x = lumbar ? 0.040f : 0.034f;
      c += lv[k].back * (r + (lumbar ? 0.004f : 0.003f));
      col.add(c, r, 0.007f * lumbarShare(k), kLumbarDepth * lumbarDepthShare(k));
    }
    // Cervical part (longissimus cervicis and capitis): a slender column behind the cervical
    // transverse processes, between levator scapulae in front and splenius capitis behind and
    // lateral (neck.cpp), which covers it, on to the mastoid above the neck cut.
    col.add({0.035f, 1.560f, -0.038f}, 0.005f);
    col.add({0.035f, 1.610f, -0.030f}, 0.004f);
    col.add({0.037f, 1.668f, -0.027f}, 0.0035f);
    left.push_back(
        widenedColumn(meta("longissimus_left", "muscle", "Longissimus (left)",
                           "Musculus longissimus", "Deep muscles", "left",
                           "The middle and longest column of the erector spinae, running from the "
                           "sacrum up to the neck along the transverse processes. It arches the "
                           "back and, working on one side, bends the trunk sideways.",
                           muscleTone(2)),
                      col, 1.0f, 0.008f, 0.0021f, 9000));
    // Carved by everything built before it; the rounding matters where multifidus carves it. At
    // the default 3 mm the carving left a thin lip wrapped round the back of multifidus, up to
    // 4 mm wide between L5 and the sacrum and 1.5 mm wide up to L2; 8 mm all the way up
    // deepened the furrow between the two columns at L2 to 8.9 mm. So 8 mm up to 1.05 m (L5),
    // 5 mm from the L3-L4 gap to L1, and the default above L1, where no lip formed.
    left.back().carveRound = [](const V3& p) {
      return 0.008f - 0.003f * smoothstep(1.05f, 1.09f, p.y) -
             (0.005f - kDefaultCarveRound) * smoothstep(1.18f, 1.22f, p.y);
    };
  }
  // Iliocostalis: the lateral column, from the iliac crest up along the angles of the ribs.
  {
    Column col;
    // Its lower end, under gluteus maximus, is deepened less: 40 % at 1.058 m and not at all at
    // its tip. At 80 % (and 30 % at the tip) the wall it carved into gluteus maximus left a
    // slit down to iliacus from behind.
    col.add({0.070f, 1.030f, -0.060f}, 0.007f, 0.003f);
    col.add({0.068f, 1.058f, -0.058f}, 0.012f, 0.005f, 0.4f * kLumbarDepth);
    for (std::size_t k = levelIndex("L4") + 1; k-- > 0;) {
      const float f = static_cast<float>(k) / static_cast<float>(lv.size() - 1);
      const float r = 0.0045f + 0.0095f * std::pow(f, 1.2f);
      const bool lumbar = k >= iL1;
      V3 c;
      if (lumbar) {
        c = lv[k].transverseTipLeft;
        c.x = 0.069f;
        c += lv[k].back * (r + 0.004f);
      } else {
        const float x = 0.047f + 0.016f * std::min(1.0f, f * 1.6f);
        c = V3(x, lv[k].body.y - 0.008f, lv[k].body.z - 0.032f - 0.006f - r);
      }
      col.add(c, r, 0.006f * lumbarShare(k), kLumbarDepth * lumbarDepthShare(k));
    }
    col.add({0.042f, 1.515f, -0.046f}, 0.0035f);
    left.push_back(widenedColumn(
        meta("iliocostalis_left", "muscle", "Iliocostalis (left)", "Musculus iliocostalis",
             "Deep muscles", "left",
             "The outer column of the erector spinae, running from the back of the "
             "pelvis up over the angles of the ribs to the lower neck. It extends and "
             "side-bends the spine and can feel tight and tender along the ribs.",
             muscleTone(3)),
        col, 1.0f, 0.008f, 0.0021f, 9000));
    // In the lumbar region (below 1.20 m, fading out by 1.26 m) it narrows towards its outer
    // edge, so its back slopes down there, as the erector mass does: the field grows by
    // kIliocostalisSlope times the distance beyond 6.5 cm from the midline, eased in over
    // 2.5 cm. That shrinks the whole section beyond 6.5 cm and steepens the field there (up to
    // about 1.8 times on the outer face), so gaps read from it are up to that much thinner. As
    // deep as the others right out to its edge, it stood as a wall 9-10 cm from the midline,
    // and the skin and fat draped over that edge were shaded up to 2.9 degrees off their
    // surface; made only 60 % as deep, it left a notch 33 mm deep between it and longissimus.
    Shape& shape = left.back().shape;
    const auto slope = [](const V3& p) {
      constexpr float kFrom = 0.065f, kEase = 0.025f;
      const float d = std::max(0.0f, p.x - kFrom);
      const float ramp = d < kEase ? 0.5f * d * d / kEase : d - 0.5f * kEase;
      return kIliocostalisSlope * ramp * (1.0f - smoothstep(1.20f, 1.26f, p.y));
    };
    shape.f = [f = shape.f, slope](const V3& p) { return f(p) + slope(p); };
    // Adding a value >= 0 keeps below()'s contract.
    if (shape.below)
      shape.below = [below = shape.below, slope](const V3& p, float limit) {
        return below(p, limit) + slope(p);
      };
  }
  // Quadratus lumborum: from the iliac crest to the 12th rib and lumbar transverse processes.
  {
    Fan f;
    f.origin = Curve({{0.050f, 1.045f, -0.034f}, {0.112f, 1.052f, -0.026f}});
    f.insertion = Curve({{0.036f, 1.198f, -0.024f}, {0.088f, 1.192f, -0.034f}});
    f.bulge = V3(0.004f, 0.0f, 0.004f);
    left.push_back(fanMuscle(meta("quadratus_lumborum_left", "muscle", "Quadratus lumborum (left)",
                                  "Musculus quadratus lumborum", "Deep muscles", "left",
                                  "A flat, square muscle deep in the side of the low back, between the "
                                  "lowest rib and the top of the pelvis. It hitches the hip up and bends "
                                  "the trunk sideways, and is a common source of one-sided low back pain.",
                                  muscleTone(4)),
                             f, 7, 0.005f, 0.010f, 0.010f, 0.0019f, 4500));
  }
  // Gluteus minimus: deepest of the gluteals, from the outer ilium to the front of the trochanter.
  {
    Fan f;
    f.origin = Curve(catmullRom({{0.124f, 1.000f, 0.052f}, {0.140f, 1.016f, 0.016f}, {0.128f, 1.012f, -0.022f}}, 3));
    f.insertion = Curve({{0.166f, 0.916f, 0.020f}, {0.170f, 0.912f, 0.008f}});
    f.bulge = V3(0.008f, 0.0f, 0.0f);
    left.push_back(fanMuscle(meta("gluteus_minimus_left", "muscle", "Gluteus minimus (left)",
                                  "Musculus gluteus minimus", "Deep muscles", "left",
                                  "The smallest and deepest buttock muscle, lying on the outer surface of "
                                  "the pelvis under gluteus medius. It steadies the pelvis when you stand "
                                  "on one leg and turns the thigh inward.",
                                  muscleTone(5)),
                             f, 8, 0.004f, 0.007f, 0.008f, 0.0019f, 4500));
  }
  // Piriformis: from the front of the sacrum through the greater sciatic notch to the trochanter.
  {
    Fan f;
    f.origin = Curve({{0.024f, 0.992f, -0.016f}, {0.027f, 0.955f, -0.030f}});
    f.insertion = Curve({{0.150f, 0.920f, -0.010f}, {0.152f, 0.916f, -0.006f}});
    f.bulge = V3(0.0f, 0.0f, -0.006f);
    left.push_back(fanMuscle(meta("piriformis_left", "muscle", "Piriformis (left)", "Musculus piriformis",
                                  "Deep muscles", "left",
                                  "A pear-shaped muscle deep in the buttock that runs from the front of "
                                  "the sacrum to the top of the thigh bone and turns the leg outward. The "
                                  "sciatic nerve passes just beneath it, so a tight piriformis can cause "
                                  "pain down the back of the leg.",
                                  muscleTone(6)),
                             f, 6, 0.004f, 0.010f, 0.008f, 0.0018f, 3500));
  }
  // Gluteus medius: fan from the outer ilium below the crest to the lateral trochanter.
  {
    Fan f;
    f.origin = Curve(catmullRom({{0.128f, 1.012f, 0.062f}, {0.150f, 1.040f, 0.018f}, {0.148f, 1.050f, -0.018f},
                                 {0.126f, 1.046f, -0.046f}, {0.100f, 1.028f, -0.062f}},
                                3));
    f.insertion = Curve({{0.176f, 0.918f, 0.012f}, {0.179f, 0.906f, -0.010f}});
    f.bulge = V3(0.014f, 0.0f, -0.010f);
    left.push_back(
        fanMuscle(meta("gluteus_medius_left", "muscle", "Gluteus medius (left)",
                       "Musculus gluteus medius", "Deep muscles", "left",
                       "A thick fan-shaped muscle on the side of the hip, partly covered by "
                       "gluteus maximus. It keeps the pelvis level with every step; when it is "
                       "weak the opposite hip drops as you walk.",
                       muscleTone(7)),
                  f, 20, 0.005f, 0.012f, 0.012f, 0.0020f, 8000));
  }
  // Levator scapulae: upper neck transverse processes to the superior angle of the scapula.
  {
    Fan f;
    f.origin = Curve({{0.035f, 1.628f, -0.010f}, {0.038f, 1.575f, -0.014f}});
    f.insertion = Curve({{0.070f, 1.430f, -0.090f}, {0.073f, 1.478f, -0.082f}});
    f.bulge = V3(0.006f, 0.0f, -0.004f);
    left.push_back(
        fanMuscle(meta("levator_scapulae_left", "muscle", "Levator scapulae (left)",
                       "Musculus levator scapulae", "Intermediate muscles", "left",
                       "A strap-like muscle at the side and back of the neck that lifts the "
                       "shoulder blade, as in a shrug. It is a very common spot for a stiff "
                       "neck and knots where the neck meets the shoulder.",
                       muscleTone(1)),
                  f, 12, 0.004f, 0.008f, 0.007f, 0.0018f, 4000));
  }
  // Teres major: lower lateral border of the scapula to the front of the humerus.
  {
    Fan f;
    f.origin = Curve({{0.090f, 1.330f, -0.090f}, {0.116f, 1.366f, -0.076f}});
    // Medial lip of the bicipital groove, on the front of the humeral shaft.
    f.insertion = Curve({{0.203f, 1.352f, -0.014f}, {0.205f, 1.368f, -0.010f}});
    f.bulge = V3(0.0f, -0.006f, -0.010f);
    left.push_back(fanMuscle(meta("teres_major_left", "muscle", "Teres major (left)", "Musculus teres major",
                                  "Intermediate muscles", "left",
                                  "A thick, rounded muscle from the lower corner of the shoulder blade to "
                                  "the front of the upper arm bone. It pulls the arm down and back and "
                                  "turns it inward, working together with latissimus dorsi.",
                                  muscleTone(2)),
                             f, 7, 0.005f, 0.011f, 0.008f, 0.0019f, 4000));
  }
  // Teres minor: dorsal surface of the lateral border of the scapula (its upper two thirds),
  // between infraspinatus above and teres major below, up and out to the lowest facet of the
  // greater tubercle under the deltoid. Without it a pit opened between infraspinatus, teres
  // major and the deltoid, where serratus anterior showed from behind and the skin sank in.
  {
    Fan f;
    f.origin = Curve({{0.114f, 1.364f, -0.074f}, {0.134f, 1.390f, -0.068f}});
    f.insertion = Curve({{0.170f, 1.376f, -0.054f}, {0.172f, 1.392f, -0.056f}});
    f.bulge = V3(0.0f, 0.0f, -0.006f);
    left.push_back(
        fanMuscle(meta("teres_minor_left", "muscle", "Teres minor (left)", "Musculus teres minor",
                       "Intermediate muscles", "left",
                       "A small, narrow rotator cuff muscle along the outer edge of the shoulder "
                       "blade, just below infraspinatus, running up to the back of the top of the "
                       "arm bone. It turns the arm outward and holds the ball of the shoulder in "
                       "its socket, and is often tender together with infraspinatus.",
                       muscleTone(4)),
                  f, 6, 0.004f, 0.009f, 0.006f, 0.0018f, 3500));
  }
  // Supraspinatus: supraspinous fossa to the greater tubercle (arm.cpp), under the deltoid.
  left.push_back(supraspinatusLeft());
  // Biceps (arm.cpp): its tendons lie under the deltoid, which is built after it.
  left.push_back(bicepsLeft());
  // Coracobrachialis (arm.cpp): beside the short head of biceps, on the inner side of the arm.
  left.push_back(coracobrachialisLeft());
  // Deltoid: over the humeral head to the deltoid tuberosity (arm.cpp).
  left.push_back(deltoidLeft());
  // Long head of triceps (arm.cpp): from below the glenoid between the teres muscles down the
  // back of the arm; built after the deltoid, so carved by it.
  left.push_back(tricepsLongHeadLeft());
  // Lateral head of triceps (arm.cpp): with the biceps, it covers the shaft below the deltoid,
  // which was bare bone when the skin and fascia were peeled.
  left.push_back(tricepsLateralHeadLeft());
  // Gluteus maximus: sacrum, coccyx and posterior ilium to the iliotibial tract and femur.
  {
    Fan f;
    f.origin = Curve(catmullRom({{0.106f, 1.044f, -0.066f}, {0.076f, 1.025f, -0.080f}, {0.049f, 0.996f, -0.086f},
                                 {0.038f, 0.964f, -0.080f}, {0.024f, 0.930f, -0.078f}, {0.010f, 0.905f, -0.070f}},
                                3));
    f.insertion = Curve(catmullRom({{0.186f, 0.935f, -0.022f}, {0.190f, 0.898f, -0.016f}, {0.180f, 0.858f, -0.016f},
                                    {0.160f, 0.815f, -0.014f}},
                                   3));
    f.bulge = V3(0.0f, -0.012f, -0.040f);
    left.push_back(fanMuscle(meta("gluteus_maximus_left", "muscle", "Gluteus maximus (left)",
                                  "Musculus gluteus maximus", "Superficial muscles", "left",
                                  "The large, thick muscle that forms the shape of the buttock. It "
                                  "straightens the hip when you climb stairs, rise from a chair or run, "
                                  "and its upper fibres blend into the thoracolumbar fascia of the low back.",
                                  muscleTone(3)),
                             f, 14, 0.006f, 0.019f, 0.016f, 0.0024f, 12000));
  }
  return withRightSides(left, mirroredVolume);
}

// ---------------------------------------------------------------------------------------------
// Sheet muscles and deep fascia
// ---------------------------------------------------------------------------------------------

namespace {

struct FanSpec {
  std::vector<V3> origin, insertion;
};

Fan makeFan(const std::vector<V3>& o, const std::vector<V3>& i) {
  Fan f;
  f.origin = Curve(o.size() > 2 ? catmullRom(o, 3) : o);
  f.insertion = Curve(i.size() > 2 ? catmullRom(i, 3) : i);
  return f;
}

// Fans of the flat muscles (left side). z of the points only matters for fibre directions.
Fan trapeziusUpper() {
  return makeFan({{0.004f, 1.640f, -0.060f}, {0.004f, 1.570f, -0.070f}, {0.004f, 1.505f, -0.092f}},
                 {{0.118f, 1.482f, 0.010f}, {0.160f, 1.472f, -0.010f}, {0.186f, 1.466f, -0.035f}});
}
// The middle part's borders are the upper part's lower border and the lower part's upper
// border: the three lie on one bed and meet edge to edge, with no gap and no overlap.
Fan trapeziusMiddle() {
  return makeFan({{0.004f, 1.505f, -0.094f}, {0.004f, 1.405f, -0.104f}},
                 {{0.186f, 1.466f, -0.050f}, {0.130f, 1.447f, -0.095f}, {0.084f, 1.424f, -0.100f}});
}
/// Where the middle trapezius inserts on the spine of the scapula, out to the acromion: `weight`
/// 1 from 9.5 cm out, behind the spine (z < -8 cm), fading to 0 at 8 cm out (the line ends at
/// 8.4 cm, where the lower trapezius takes over) and at z -6.6 cm (over the shoulder top, where
/// onDeltoidOriginSink applies); `above`, the signed distance from the insertion line seen from
/// behind, positive on the muscle's side (beyond the line's ends, from its end segments).
struct OnSpineInsertion {
  float weight = 0.0f;
  float above = 0.0f;
};
OnSpineInsertion onSpineInsertion(const V3& p) {
  const float weight = smoothstep(0.080f, 0.095f, p.x) * smoothstep(-0.066f, -0.080f, p.z);
  if (weight <= 0.0f) return {};
  static const std::vector<glm::vec2> line = [] {
    std::vector<glm::vec2> xy;
    const Fan middle = trapeziusMiddle();
    for (const V3& q : middle.insertion.points())
      xy.emplace_back(q.x, q.y);
    return xy;
  }();
  // The line runs medially; in the (x, y) plane seen from the front the muscle lies on its
  // right.
  return {weight, signedPolylineDistance(glm::vec2(p.x, p.y), line)};
}

/// How far the trapezius and its fascia sink below the hull along the middle part's insertion
/// on the spine of the scapula (SheetDef::sink): 3.5 mm from the line to 8 mm above it, nothing
/// from 3 cm above it, fading out within 4 mm below it, on the crest, before the fascia over
/// infraspinatus (which does not sink), and fading out from 11 to 13.5 cm out. The trapezius' bed,
/// blurred over 1 cm, stood 5-14 mm off supraspinatus and the spine there, and the muscle's
/// edge 4-5 mm off the crest: a side view at peel 2 looked under the edge, along the spine, at
/// supraspinatus 8.5-12 cm from the midline. Sunk on up to the deltoid, the muscle came within
/// its 2.5 mm clearance of the deltoid's origin and was cut back, which opened a hole onto
/// supraspinatus there at peel 3; there the fascia covers the gap (kFasciaOverSpineByDeltoid).
/// Faded out over 1 cm, the muscle showed a sharp vertical pleat with a highlight above the
/// deltoid's medial corner at peel 3; over 2.5 cm it is a gentle swell.
float onScapularSpineSink(const V3& p) {
  constexpr float kSink = 0.0035f, kFull = 0.008f, kNone = 0.030f;
  const auto [weight, above] = onSpineInsertion(p);
  if (weight <= 0.0f) return 0.0f;
  return kSink * weight * smoothstep(0.135f, 0.110f, p.x) * smoothstep(-0.004f, 0.0f, above) *
         smoothstep(kNone, kFull, above);
}

/// The trapezius' sink: on the deltoid's origin over the shoulder top, and on the spine.
float trapeziusSink(const V3& p) {
  return std::max(onDeltoidOriginSink(p), onScapularSpineSink(p));
}

Fan trapeziusLower() {
  return makeFan({{0.004f, 1.405f, -0.104f}, {0.004f, 1.300f, -0.104f}, {0.004f, 1.205f, -0.092f}},
                 {{0.084f, 1.424f, -0.100f}, {0.072f, 1.416f, -0.100f}});
}
// Latissimus dorsi's medial border runs under the lower trapezius and, below it, 2-4 mm under the
// diamond's upper edge (with its second point 6 mm further out, a spot of longissimus showed
// between the three at each upper corner of the diamond). Its lower border starts 16.6 cm out at
// the crest's height, on the flank (the bony crest reaches 14.6 cm), over the back border of the
// external oblique. Starting 14.8 cm out, it left the lumbar triangle open (its floor, the
// internal oblique, is not modelled), and the side view at peel 2 looked past the crest into the
// flank.
Fan latissimus() {
  return makeFan({{0.006f, 1.326f, -0.106f},
                  {0.024f, 1.262f, -0.100f},
                  {0.080f, 1.162f, -0.090f},
                  {0.118f, 1.075f, -0.070f},
                  {0.148f, 1.060f, -0.030f},
                  {0.166f, 1.064f, -0.010f}},
                 {{0.168f, 1.372f, -0.060f}, {0.180f, 1.340f, -0.030f}});
}
Fan rhomboidMinor() {
  return makeFan({{0.004f, 1.500f, -0.090f}, {0.004f, 1.472f, -0.094f}}, {{0.066f, 1.448f, -0.092f}, {0.068f, 1.424f, -0.094f}});
}
Fan rhomboidMajor() {
  return makeFan({{0.004f, 1.452f, -0.098f}, {0.004f, 1.368f, -0.102f}}, {{0.069f, 1.414f, -0.094f}, {0.084f, 1.320f, -0.090f}});
}
// Serratus posterior superior inserts on ribs 2-5 beyond their angles, under the scapula. A
// sheet laid on the hull cannot pass under the scapula (it rode over the infraspinous fossa), so
// only its part medial to the blade is modelled, ending 4-6 mm inside the medial border, where
// the rhomboids cover it.
Fan serratusSuperior() {
  return makeFan({{0.004f, 1.500f, -0.088f}, {0.004f, 1.420f, -0.094f}}, {{0.064f, 1.446f, -0.080f}, {0.072f, 1.372f, -0.084f}});
}
Fan serratusInferior() {
  return makeFan({{0.004f, 1.226f, -0.092f}, {0.004f, 1.140f, -0.082f}}, {{0.098f, 1.272f, -0.072f}, {0.104f, 1.190f, -0.066f}});
}
// Infraspinatus fills the infraspinous fossa: from the underside of the spine of the scapula
// (its upper fibres run almost horizontally out) and the medial border down to the inferior
// angle, converging on the middle facet of the greater tubercle under the deltoid. (With its
// origin on the medial border alone a 3 cm band of bare fossa showed below the spine.)
Fan infraspinatus() {
  return makeFan({{0.138f, 1.441f, -0.080f}, {0.105f, 1.430f, -0.090f}, {0.071f, 1.414f, -0.095f},
                  {0.0835f, 1.334f, -0.092f}},
                 {{0.157f, 1.424f, -0.062f}, {0.159f, 1.398f, -0.060f}});
}

/// Blur passes of the bed the broad superficial sheets lie on: a spread of about 1 cm
/// (3 mm * sqrt(10)), enough to bridge the 5 mm step at a rhomboid's edge.
constexpr int kSuperficialBedBlur = 10;

/// The step the deep fasciae's normals are taken over (SheetDef::normalStep): shaded over the
/// hull grid's 3 mm, the investing fascia over trapezius showed each millimetre-high undulation
/// of the muscle as a crease, like crumpled paper, at peel 2.
constexpr float kFasciaNormalStep = 0.009f;

/// How far inside the upper trapezius' front edges (on the neck and the flank) its investing
/// fascia ends, so that it lies on the muscle up to the edge and never on what lies beyond.
constexpr float kFasciaInset = 0.003f;

/// How far past the middle trapezius' insertion on the spine of the scapula its investing fascia
/// reaches (onSpineInsertion), where the muscle sinks onto the spine (onScapularSpineSink) and,
/// from 12.4-13.4 cm out, by the deltoid's origin, where it has (almost) stopped sinking. Sunk,
/// the muscle's edge curls up onto the crest, and the fascia ending with it let a line of it
/// show from behind at peel 2. By the deltoid the muscle's edge stands about 6 mm off the
/// origin, and a side view looked into the gap under it: there the fascia covers the gap, but it
/// does not lie down on the origin; it continues the muscle's surface as a flap 1-8 mm off the
/// deltoid (5th to 95th percentile, median 4.7 mm, where 546 rays of a 1 mm grid from behind
/// meet it and then the deltoid). Sunk onto the origin (up to 1 cm), it showed from behind as a
/// dark crease above the deltoid at peel 2. Reaching 1.5 mm medially and 6 mm by the deltoid, it
/// left a strip of the crest 2-8 mm wide bare between itself and the infraspinous fascia (which
/// begins at that muscle's outline): at peel 2 an ivory thorn pointing in from the deltoid's
/// medial corner. At 1 cm it runs on over the crest into the infraspinous fascia.
constexpr float kFasciaOverSpine = 0.010f, kFasciaOverSpineByDeltoid = 0.010f;
/// How far past the insertion the fascia thickens the hull (SheetDef::thickensWhere): as far as
/// it reached before it ran on over the crest, so the fat and the skin come out as they were
/// (the fat's inner face stays at least 6.2 mm off the fascia there). Thickening the hull over
/// the whole crest changed the field they are laid on, and through the skin's simplification
/// (a greedy, global one) its triangulation far away: before relaxFoldedPatches each of 7, 8,
/// 9, 10 and 12 mm left a fold of 30-54 mm² in the skin (over the pubis, or on the neck).
constexpr float kHullOverSpine = 0.0015f, kHullOverSpineByDeltoid = 0.006f;

/// The fillet latissimus dorsi's bed is closed with: teres major stands 3.5 cm off the chest
/// wall and ends in a steep lower border, where the muscle, laid on the blurred hull alone,
/// dropped 2.5 cm within 1.2 cm of height as a shelf across the back.
constexpr float kLatissimusBedClosing = 0.04f;

} // namespace

std::vector<glm::vec2> thoracolumbarOutline() {
  // Thoracolumbar fascia, posterior layer: from the lower thoracic spine to the sacrum, reaching
  // out to the lateral raphe and the posterior iliac crests. Lateral to the erector spinae it runs
  // out along latissimus dorsi's lower border, down to the crest, to which it is attached, and on
  // to the flank 16 cm out, lying over the muscle's edge (4-7 mm; 1-2 mm at its end on the
  // flank). Ending at a corner 11.6 cm out, it left a pit between itself, the muscle and the
  // crest, with quadratus lumborum bare at its bottom at peel 2 and the flank open beyond it.
  std::vector<glm::vec2> half{
      {0.0f, 1.300f},   {0.060f, 1.215f}, {0.100f, 1.140f}, {0.114f, 1.094f}, {0.122f, 1.080f},
      {0.132f, 1.070f}, {0.146f, 1.065f}, {0.158f, 1.063f}, {0.160f, 1.055f}, {0.112f, 1.050f},
      {0.092f, 1.022f}, {0.052f, 0.972f}, {0.026f, 0.925f}, {0.0f, 0.915f}};
  std::vector<glm::vec2> out = half;
  for (std::size_t i = half.size() - 2; i >= 1; --i) out.emplace_back(-half[i].x, half[i].y);
  return out;
}

std::vector<SheetDef> makeSheetMuscles() {
  // The three parts of the trapezius are one muscle: one colour, so no seam shows between them.
  const std::array<float, 3> kTrapeziusTone = muscleTone(3);
  std::vector<SheetDef> left;
  const auto trapU = trapeziusUpper().outlineXY(16), trapM = trapeziusMiddle().outlineXY(16);
  const auto trapL = trapeziusLower().outlineXY(16);
  const FlankSpec trapFlank = trapeziusFlank();
  const Sdf upperTop = upperTrapeziusFromAbove;
  // Where that outline applies: its extent, from 1.44 m up the side of the neck to the cut.
  Aabb shoulderTopBox;
  for (const auto& q : shoulderTopOutline()) {
    shoulderTopBox.extend(V3(q.x, kShoulderTopFrom, q.y));
    shoulderTopBox.extend(V3(q.x, 1.64f, q.y));
  }
  // The middle part's outline seen from behind reaches forward to the flank edge, so it leaves
  // the whole shoulder top to the upper part: above 1.44 m and in front of the outline's back
  // edge (up to its lateral end), and anything inside the outline.
  const Sdf middleGivesUp = [upperTop](const V3& p) {
    return std::min(upperTop(p), std::max({kShoulderTopFrom - p.y, -0.065f - p.z, p.x - 0.160f}));
  };
  const Sdf trapezius = [trapU = Polygon2(trapU), trapM = Polygon2(trapM), trapL = Polygon2(trapL),
                         upperTop](const V3& p) {
    const glm::vec2 q(p.x, p.y);
    const float upper = std::max(std::min(trapU(q), upperTop(p)), upperTrapeziusFront(p, 0.0f));
    const float rest = std::max(std::min(trapM(q), trapL(q)), restOfTrapeziusFront(p));
    return std::max(std::min(upper, rest), keepRegion(p, 0.006f));
  };
  // The upper part takes the shoulder top, the middle part leaves it.
  // (The outline from behind already ends at the front edge on the flank and at the cuts.)
  const auto coversShoulderTop = [upperTop, shoulderTopBox](SheetDef sheet) {
    const Sdf behind = sheet.footprint;
    sheet.footprint = [behind, upperTop](const V3& p) {
      return std::max(
          {std::min(behind(p), upperTop(p)), keepRegion(p, 0.006f), upperTrapeziusFront(p, 0.0f)});
    };
    sheet.box.extend(shoulderTopBox.padded(0.012f));
    return sheet;
  };
  // The middle part also keeps 2.5 mm clear of the deltoid (it only comes near it at the back
  // of the shoulder top): it inserts on the spine of the scapula and the acromion beside the
  // deltoid's origin. Its tapering edge lay 0.6 mm thin on the origin's ridge, where the
  // investing fascia, which passes under the deltoid, ends short of it, and showed bare from
  // above at peel 2.
  const Shape deltoid = deltoidLeft().shape;
  const auto leavesShoulderTop = [middleGivesUp, deltoid](SheetDef sheet) {
    const Sdf behind = sheet.footprint;
    sheet.footprint = [behind, middleGivesUp, deltoid](const V3& p) {
      return std::max({behind(p), -middleGivesUp(p), clearOf(deltoid, 0.0025f, p)});
    };
    return sheet;
  };
  const auto rhMin = rhomboidMinor().outlineXY(16), rhMaj = rhomboidMajor().outlineXY(16);
  const Sdf rhomboids = [rhMin = Polygon2(rhMin), rhMaj = Polygon2(rhMaj)](const V3& p) {
    const glm::vec2 q(p.x, p.y);
    return std::max(std::min(rhMin(q), rhMaj(q)), p.z + 0.02f);
  };
  left.push_back(fanSheet(meta("serratus_posterior_inferior_left", "muscle", "Serratus posterior inferior (left)",
                               "Musculus serratus posterior inferior", "Intermediate muscles", "left",
                               "A thin sheet under latissimus dorsi, running from the spine at the junction "
                               "of the chest and low back up and out to the lowest four ribs. It pulls "
                               "these ribs down and back, steadying them during breathing.",
                               muscleTone(4)),
                          serratusInferior(), -0.02f, 0.0022f, 0.012f, 1800, {}, {0.02f}));
  left.push_back(fanSheet(meta("serratus_posterior_superior_left", "muscle", "Serratus posterior superior (left)",
                               "Musculus serratus posterior superior", "Intermediate muscles", "left",
                               "A thin sheet under the rhomboids, from the lower neck and upper chest spine "
                               "down and out to ribs two to five. It lifts the upper ribs a little when you "
                               "breathe in.",
                               muscleTone(5)),
                          serratusSuperior(), -0.02f, 0.0022f, 0.012f, 1800, {}, {0.02f}));
  left.push_back(fanSheet(meta("rhomboid_minor_left", "muscle", "Rhomboid minor (left)",
                               "Musculus rhomboideus minor", "Intermediate muscles", "left",
                               "A narrow band from the lowest neck and first chest vertebrae to the shoulder "
                               "blade's inner edge, just above rhomboid major. It draws the shoulder blade "
                               "toward the spine.",
                               muscleTone(6)),
                          rhomboidMinor(), -0.02f, 0.0050f, 0.010f, 1400, rhomboids));
  left.push_back(fanSheet(meta("rhomboid_major_left", "muscle", "Rhomboid major (left)",
                               "Musculus rhomboideus major", "Intermediate muscles", "left",
                               "A flat, diamond-shaped muscle between the upper back spine and the inner "
                               "edge of the shoulder blade. It squeezes the shoulder blades together and "
                               "is a classic place for aching between the shoulder blades after long desk work.",
                               muscleTone(7)),
                          rhomboidMajor(), -0.02f, 0.0050f, 0.010f, 2600, rhomboids));
  left.push_back(fanSheet(meta("infraspinatus_left", "muscle", "Infraspinatus (left)", "Musculus infraspinatus",
                               "Intermediate muscles", "left",
                               "A thick triangular muscle filling the shoulder blade below its spine, one of "
                               "the four rotator cuff muscles. It turns the arm outward and holds the ball of "
                               "the shoulder in its socket; its trigger points often refer pain to the front "
                               "of the shoulder.",
                               muscleTone(0)),
                          infraspinatus(), 0.0f, 0.014f, 0.022f, 3600));
  // Thick enough to fill its fossa level with the scapula's lateral border: laid on the hull
  // itself it printed that border as a diagonal ridge across the muscle.
  left.back().bedBlur = kSheetBedBlur;
  // Its tendon runs on under the deltoid to the greater tubercle. Laid on the hull, which holds
  // the deltoid, its lateral end rode 1.8 cm up over the deltoid's posterior border.
  left.back().passesUnder = {"deltoid_left"};
  // The two broad superficial sheets lie on a blurred bed, smooth over the edges of the smaller
  // muscles under them.
  // The three parts of the trapezius share one bed, so they meet edge to edge.
  Aabb trapeziusBox;
  for (const auto* outline : {&trapU, &trapM, &trapL})
    for (const auto& q : *outline) {
      trapeziusBox.extend(V3(q.x, q.y, -0.25f));
      trapeziusBox.extend(V3(q.x, q.y, 0.015f));
    }
  trapeziusBox.extend(shoulderTopBox);
  trapeziusBox = trapeziusBox.padded(0.012f);
  const auto onBed = [](SheetDef sheet) {
    sheet.bedBlur = kSuperficialBedBlur;
    return sheet;
  };
  const auto onTrapeziusBed = [&onBed, trapeziusBox](SheetDef sheet) {
    sheet.bedGroup = "trapezius";
    sheet.bedBox = trapeziusBox;
    sheet.sink = trapeziusSink;
    return onBed(std::move(sheet));
  };
  left.push_back(onBed(fanSheet(meta("latissimus_dorsi_left", "muscle", "Latissimus dorsi (left)",
                               "Musculus latissimus dorsi", "Superficial muscles", "left",
                               "The broadest muscle of the back, running from the lower spine, the "
                               "thoracolumbar fascia and the pelvis up to the upper arm. It pulls the arm "
                               "down and back, as in swimming or pulling yourself up.",
                               muscleTone(1)),
                          latissimus(), 0.035f, 0.0045f, 0.020f, 5500, {}, {0.05f})));
  // Only over the back: lateral to the scapula the muscle wraps round teres major into the
  // posterior fold of the armpit, and a fillet there would bridge the armpit as a flat web.
  left.back().bedClosing = {kLatissimusBedClosing,
                            [](const V3& p) { return smoothstep(0.16f, 0.12f, p.x); }};
  left.push_back(onTrapeziusBed(fanSheet(meta("trapezius_lower_left", "muscle", "Lower trapezius (left)",
                               "Pars ascendens musculi trapezii", "Superficial muscles", "left",
                               "The lowest part of the trapezius, running up and out from the mid and lower "
                               "chest spine to the spine of the shoulder blade. It pulls the shoulder blade "
                               "down and helps it rotate when you lift your arm overhead.",
                               kTrapeziusTone),
                          trapeziusLower(), 0.0f, 0.0050f, 0.014f, 2600, trapezius, trapFlank)));
  left.push_back(onTrapeziusBed(leavesShoulderTop(fanSheet(meta("trapezius_middle_left", "muscle", "Middle trapezius (left)",
                               "Pars transversa musculi trapezii", "Superficial muscles", "left",
                               "The middle part of the trapezius, with fibres running straight out from the "
                               "upper chest spine to the spine of the shoulder blade and the acromion. It "
                               "draws the shoulder blades back toward the spine.",
                               kTrapeziusTone),
                          trapeziusMiddle(), 0.0f, 0.0050f, 0.014f, 2600, trapezius, trapFlank))));
  left.push_back(onTrapeziusBed(coversShoulderTop(fanSheet(meta("trapezius_upper_left", "muscle", "Upper trapezius (left)",
                               "Pars descendens musculi trapezii", "Superficial muscles", "left",
                               "The upper part of the trapezius, from the base of the skull and the back of "
                               "the neck to the outer collarbone. It lifts the shoulder and tilts the head; it "
                               "is the muscle most people mean when they say their shoulders are tense.",
                               kTrapeziusTone),
                          trapeziusUpper(), 0.015f, 0.0050f, 0.014f, 3200, trapezius, trapFlank))));
  // The parts share their borders. Pulled 0.2 mm apart along them (so that their side walls
  // would not coincide), the slit showed at peel 3 as dashed dark hairlines across the upper
  // back; each part now reaches 3 mm under the parts laid after it instead.
  overlapParts(std::span(left).last(3), 0.003f);
  return withRightSides(left, mirroredSheet);
}

std::vector<SheetDef> makeDeepFascia() {
  std::vector<SheetDef> out;
  const std::array<float, 3> kFascia{0.78f, 0.84f, 0.92f};
  const auto dia = thoracolumbarOutline();
  {
    SheetDef s;
    s.meta = meta("thoracolumbar_fascia", "deep-fascia", "Thoracolumbar fascia (posterior layer)",
                  "Fascia thoracolumbalis, lamina posterior", "Deep fascia", "midline",
                  "A tough, diamond-shaped sheet of connective tissue over the low back, fixed to the "
                  "spinous processes, the sacrum and the back of the pelvis. Latissimus dorsi and gluteus "
                  "maximus pull on it from above and below, so it links the arm, trunk and hip; layers "
                  "that stop gliding on each other are linked with low back pain.",
                  kFascia);
    s.footprint = [dia = Polygon2(dia)](const V3& p) {
      return std::max({dia(glm::vec2(p.x, p.y)), flankEdge(p, -0.01f, 0.915f, 1.300f, 0.02f),
                       keepRegion(p, 0.006f)});
    };
    s.thickness = [](const V3&) { return 0.0015f; };
    // Out to 17 cm a side: the outline reaches the flank at 16 cm.
    s.box = Aabb{V3(-0.17f, 0.90f, -0.25f), V3(0.17f, 1.32f, 0.0f)};
    // The fasciae are broad thin sheets over a bumpy bed: at 4500 triangles this one was shaded
    // as crumpled paper over the spinous processes (and the others at their old counts showed
    // flat facets over the buttock).
    s.triangles = 12000;
    s.normalStep = kFasciaNormalStep;
    out.push_back(s);
  }
  // Investing fascia over trapezius and infraspinatus, each side.
  {
    const auto up = trapeziusUpper().outlineXY(16), mid = trapeziusMiddle().outlineXY(16);
    const auto low = trapeziusLower().outlineXY(16), inf = infraspinatus().outlineXY(16);
    SheetDef s;
    s.meta = meta("investing_fascia_upper_back_left", "deep-fascia", "Investing fascia of the upper back (left)",
                  "Fascia investiens (supra musculum trapezium) et fascia infraspinata sinistra", "Deep fascia",
                  "left",
                  "A thin, firm covering wrapped around the trapezius and, over the shoulder blade, the "
                  "thick infraspinous fascia over infraspinatus. It keeps the muscles in shape and lets "
                  "them slide under the skin.",
                  {0.80f, 0.85f, 0.91f});
    // The footprint with the fascia reaching `medially` past the middle trapezius' insertion on
    // the spine of the scapula and `byDeltoid` by the deltoid's origin (kFasciaOverSpine).
    const auto footprint = [up = Polygon2(up), mid = Polygon2(mid), low = Polygon2(low),
                            inf = Polygon2(inf),
                            dia = Polygon2(dia)](float medially, float byDeltoid) -> Sdf {
      return [=](const V3& p) {
        const glm::vec2 q(p.x, p.y);
        // It covers the upper trapezius where the muscle lies, up the side of the neck to its
        // anterior border and over the shoulder top, ending 3 mm inside its front edges on the
        // neck and the flank and with it over the shoulder top. (Ended by the outline seen from
        // behind and a flank plane 2.5 cm behind the muscle's, it stopped at mid-neck in a
        // horizontal edge and left the upper part of the muscle bare at peel 2.)
        // Like the gluteal fascia it reaches 4 mm inside the diamond and lies over its edge
        // (stopping 2 mm short of it, it left a line of trapezius showing between the two fasciae).
        const float inUp = std::max(std::min(up(q), upperTrapeziusFromAbove(p)),
                                    upperTrapeziusFront(p, kFasciaInset));
        // Along the spine of the scapula it reaches past the middle part's insertion.
        const auto [onSpine, above] = onSpineInsertion(p);
        const float overSpine = onSpine * mix(medially, byDeltoid, smoothstep(0.124f, 0.134f, p.x));
        const float inMid = mid(q);
        const float midOverSpine = std::min(inMid, std::max(inMid - overSpine, -above - overSpine));
        const float inRest =
            std::max(std::min({midOverSpine, low(q), inf(q)}), restOfTrapeziusFront(p));
        return std::max(
            {std::min(inUp, inRest), 0.0015f - p.x, -0.004f - dia(q), keepRegion(p, 0.006f)});
      };
    };
    s.footprint = footprint(kFasciaOverSpine, kFasciaOverSpineByDeltoid);
    // Over the crest it thickens the hull only as far as it reached before (kHullOverSpine);
    // away from the spine the two footprints agree.
    s.thickensWhere = [hull = footprint(kHullOverSpine, kHullOverSpineByDeltoid)](const V3& p,
                                                                                  float f) {
      return onSpineInsertion(p).weight > 0.0f ? hull(p) : f;
    };
    s.thickness = [](const V3&) { return 0.0012f; };
    s.box = Aabb{V3(-0.01f, 1.19f, -0.25f), V3(0.21f, 1.66f, 0.045f)};
    s.triangles = 10000;
    s.normalStep = kFasciaNormalStep;
    // Over infraspinatus it follows the muscle under the deltoid's posterior border and ends
    // there; laid on the hull it ran on up over the deltoid as a loose flap.
    s.passesUnder = {"deltoid_left"};
    // Over the shoulder top and along the spine it sinks with the trapezius, so it lies on the
    // muscle's edge.
    s.sink = trapeziusSink;
    out.push_back(s);
    out.push_back(mirroredSheet(s));
  }
  // Gluteal fascia over gluteus maximus and the uncovered part of gluteus medius.
  {
    // Seen from behind it ends medially on the sacrum and the diamond and above on the crest;
    // out on the side of the hip (beyond 16 cm) only the crest and its front edge bound it.
    const std::vector<glm::vec2> poly{
        {0.030f, 0.985f}, {0.085f, 1.030f}, {0.105f, 1.054f}, {0.140f, 1.058f}, {0.300f, 1.070f},
        {0.300f, 0.780f}, {0.090f, 0.770f}, {0.030f, 0.805f}, {0.004f, 0.860f}, {0.004f, 0.950f}};
    // On the side of the hip it covers gluteus medius up to the iliac crest (the muscle arises
    // from the crest's outer lip and the fascia is attached along it): 3 mm above the crest's
    // centre line, from its top behind the tubercle forward to the anterior superior iliac
    // spine, and behind the top as high as there (the outline seen from behind bounds it there).
    // At the centre line's height a sliver of the muscle still showed above it. (Ended by that
    // outline and a rounded flank edge, it left the front half of gluteus medius bare below the
    // crest at peel 2, with a jagged border.)
    // The table holds (z, y) from the crest's top forward to the spine, z increasing, as
    // lower_bound needs.
    std::vector<glm::vec2> crestZY;
    float rising = -1.0f;
    for (int i = 0; i <= 50; ++i) {
      const V3 c = pelvisLeft().iliacCrest.at(0.02f * static_cast<float>(i));
      if (c.y < rising) break; // past the top
      rising = c.y;
      crestZY.emplace_back(c.z, c.y + 0.003f);
    }
    std::reverse(crestZY.begin(), crestZY.end());
    assert(crestZY.size() >= 2 &&
           std::is_sorted(crestZY.begin(), crestZY.end(),
                          [](const glm::vec2& a, const glm::vec2& b) { return a.x < b.x; }));
    SheetDef s;
    s.meta = meta("gluteal_fascia_left", "deep-fascia", "Gluteal fascia (left)", "Fascia glutea sinistra",
                  "Deep fascia", "left",
                  "The fascia that covers the buttock muscles, continuous with the thoracolumbar fascia "
                  "above and the fascia lata of the thigh below. Over gluteus medius it is thick and "
                  "shiny and gives that muscle part of its attachment.",
                  {0.76f, 0.82f, 0.90f});
    // In the body the gluteal fascia is continuous with the thoracolumbar fascia. Stopping 2 mm
    // short of it, as it did, left a red line of gluteus maximus between the two sheets at peel
    // 2. It now reaches 4 mm inside the diamond's outline and, laid after the thoracolumbar
    // fascia, lies over its edge.
    const auto underCrest = [crestZY](const V3& p) {
      if (p.z <= crestZY.front().x) return p.y - crestZY.front().y;
      // In front of the anterior superior iliac spine: below it and behind it (a corner, so the
      // footprint has no step there).
      if (p.z >= crestZY.back().x) return std::max(p.z - crestZY.back().x, p.y - crestZY.back().y);
      const auto it = std::lower_bound(crestZY.begin(), crestZY.end(), p.z,
                                       [](const glm::vec2& c, float z) { return c.x < z; });
      const glm::vec2 a = *(it - 1), b = *it;
      return p.y - mix(a.y, b.y, (p.z - a.x) / std::max(b.x - a.x, 1e-6f));
    };
    s.footprint = [poly = Polygon2(poly), dia = Polygon2(dia), underCrest](const V3& p) {
      const glm::vec2 q(p.x, p.y);
      // In front it ends along gluteus medius' front border, from the anterior superior iliac
      // spine down and back to the greater trochanter, and then on the side of the thigh (the
      // fascia lata), leaving the front of the hip and iliopsoas open to view; in front of the
      // flank it stays more than 11.2 cm from the midline (6 mm medial to the spine), off the
      // lower belly.
      const float front = mix(0.020f, 0.075f, smoothstep(0.90f, 1.00f, p.y));
      const float belly = std::min(0.112f - p.x, p.z);
      return std::max(
          {poly(q), underCrest(p), p.z - front, belly, -0.004f - dia(q), keepRegion(p, 0.006f)});
    };
    s.thickness = [](const V3&) { return 0.0012f; };
    s.box = Aabb{V3(-0.005f, 0.74f, -0.25f), V3(0.26f, 1.08f, 0.09f)};
    s.triangles = 9000;
    s.normalStep = kFasciaNormalStep;
    out.push_back(s);
    out.push_back(mirroredSheet(s));
  }
  (void)mirrorPoly;
  return out;
}

float subcutaneousThickness(const glm::vec3& p) {
  const float ax = std::abs(p.x);
  const float back = smoothstep(0.02f, -0.04f, p.z);
  // Thin over the spinous processes, thicker over the flanks, the low back and the buttocks.
  float t = 0.0075f;
  t -= 0.003f * back * std::exp(-(ax / 0.022f) * (ax / 0.022f));
  const float lowBack = std::exp(-((p.y - 1.09f) / 0.07f) * ((p.y - 1.09f) / 0.07f)) * smoothstep(0.03f, 0.10f, ax);
  t += 0.008f * lowBack;
  const float dx = (ax - 0.095f) / 0.075f, dy = (p.y - 0.905f) / 0.085f;
  t += 0.016f * back * std::exp(-(dx * dx + dy * dy));
  return t;
}

} // namespace fascia::anatomy
