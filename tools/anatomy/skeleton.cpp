// The skeleton of the torso: vertebrae C7-L5, sacrum, ribs, hip bones, scapulae, proximal
// femurs. Heights follow ../../docs/anatomy.md (landmark table): a 1.75 m adult standing on y = 0.

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <string>

#include "parts.h"

namespace fascia::anatomy {

namespace {

constexpr std::array<float, 3> kBone{0.89f, 0.85f, 0.74f};

std::array<float, 3> tone(std::array<float, 3> c, float dr, float dg, float db) {
  return {std::clamp(c[0] + dr, 0.0f, 1.0f), std::clamp(c[1] + dg, 0.0f, 1.0f),
          std::clamp(c[2] + db, 0.0f, 1.0f)};
}

struct LevelRow {
  const char* name;
  float y, z;                  // body centre
  float rl, rap, hh, canal;    // body half width / half depth / half height, canal radius
  float spDrop, spZ;           // spinous tip: below the body centre by spDrop, at z = spZ
  float tpX, tpBack;           // transverse tip: lateral distance, extra posterior offset
};

// Body centres give a thoracic kyphosis with its apex at T7 and a lumbar lordosis with its apex
// at L3. Spinous tips: C7 at 1.50 m; thoracic tips slope down about one level (T7 tip at the T8
// body); lumbar tips are level with their bodies (L4 at the iliac crest line). The thoracic
// centres are spaced almost evenly (23-25 mm down to T10), so the bodies' heights set the discs
// between them: C7-T4 are 15.6-18.4 mm tall, which leaves 4-6 mm discs at the top of the chest
// (with 13-18 mm bodies they were up to 7.8 mm, the thickest of the chest), and T7-T11 18-21 mm.
constexpr LevelRow kLevels[] = {
    {"C7", 1.512f, -0.010f, 0.013f, 0.0090f, 0.0078f, 0.0085f, 0.012f, -0.085f, 0.036f, 0.004f},
    {"T1", 1.490f, -0.018f, 0.015f, 0.0110f, 0.0088f, 0.0080f, 0.014f, -0.088f, 0.033f, 0.008f},
    {"T2", 1.466f, -0.025f, 0.016f, 0.0120f, 0.0090f, 0.0080f, 0.018f, -0.092f, 0.031f, 0.009f},
    {"T3", 1.442f, -0.030f, 0.016f, 0.0125f, 0.0092f, 0.0080f, 0.021f, -0.095f, 0.030f, 0.010f},
    {"T4", 1.418f, -0.034f, 0.017f, 0.0130f, 0.0092f, 0.0080f, 0.023f, -0.097f, 0.029f, 0.010f},
    {"T5", 1.394f, -0.037f, 0.017f, 0.0135f, 0.0090f, 0.0080f, 0.025f, -0.098f, 0.028f, 0.010f},
    {"T6", 1.370f, -0.039f, 0.018f, 0.0140f, 0.0095f, 0.0080f, 0.025f, -0.099f, 0.028f, 0.010f},
    {"T7", 1.346f, -0.040f, 0.018f, 0.0145f, 0.0090f, 0.0080f, 0.025f, -0.099f, 0.027f, 0.010f},
    {"T8", 1.321f, -0.039f, 0.019f, 0.0150f, 0.0095f, 0.0080f, 0.024f, -0.098f, 0.027f, 0.010f},
    {"T9", 1.296f, -0.037f, 0.019f, 0.0150f, 0.0100f, 0.0080f, 0.022f, -0.096f, 0.026f, 0.010f},
    {"T10", 1.271f, -0.033f, 0.020f, 0.0155f, 0.0100f, 0.0080f, 0.020f, -0.093f, 0.025f, 0.009f},
    {"T11", 1.245f, -0.028f, 0.021f, 0.0160f, 0.0105f, 0.0085f, 0.017f, -0.089f, 0.022f, 0.007f},
    {"T12", 1.217f, -0.022f, 0.022f, 0.0160f, 0.0120f, 0.0090f, 0.013f, -0.085f, 0.018f, 0.005f},
    {"L1", 1.182f, -0.015f, 0.023f, 0.0160f, 0.0125f, 0.0095f, 0.008f, -0.080f, 0.032f, 0.0f},
    {"L2", 1.146f, -0.009f, 0.024f, 0.0165f, 0.0130f, 0.0095f, 0.006f, -0.077f, 0.038f, 0.0f},
    {"L3", 1.110f, -0.005f, 0.025f, 0.0170f, 0.0135f, 0.0095f, 0.004f, -0.075f, 0.045f, 0.0f},
    {"L4", 1.075f, -0.007f, 0.025f, 0.0170f, 0.0135f, 0.0095f, 0.003f, -0.075f, 0.042f, 0.0f},
    {"L5", 1.040f, -0.013f, 0.025f, 0.0170f, 0.0130f, 0.0095f, 0.003f, -0.073f, 0.040f, 0.0f},
};

std::vector<SpineLevel> computeLevels() {
  std::vector<SpineLevel> out;
  const std::size_t n = std::size(kLevels);
  for (std::size_t i = 0; i < n; ++i) {
    const LevelRow& r = kLevels[i];
    SpineLevel s;
    s.name = r.name;
    s.body = glm::vec3(0.0f, r.y, r.z);
    const LevelRow& above = kLevels[i == 0 ? 0 : i - 1];
    const LevelRow& below = kLevels[std::min(i + 1, n - 1)];
    s.up = glm::normalize(glm::vec3(0.0f, above.y - below.y, above.z - below.z));
    s.back = glm::normalize(glm::cross(s.up, glm::vec3(1, 0, 0)));
    s.bodyHalfWidth = r.rl;
    s.bodyHalfDepth = r.rap;
    s.bodyHalfHeight = r.hh;
    s.canal = r.canal;
    s.lamina = s.body + s.back * (r.rap + 2.0f * r.canal + 0.003f) - s.up * 0.001f;
    s.spinousTip = glm::vec3(0.0f, r.y - r.spDrop, r.spZ);
    s.transverseTipLeft = s.body + glm::vec3(r.tpX, 0, 0) + s.up * (r.tpBack > 0 ? 0.004f : 0.0f) +
                          s.back * (r.rap + r.canal + r.tpBack);
    out.push_back(s);
  }
  return out;
}

/// `text` in lower case (ids are lower case: "vertebra_l5", "intervertebral_disc_l5_s1").
std::string lowerCase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

/// The distance to a drum with a rounded rim of radius rim, from w: the distance to its side
/// and the distance past its end faces, both taken on the drum shrunk by rim.
float roundedRim(const glm::vec2& w, float rim) {
  return glm::length(glm::max(w, glm::vec2(0.0f))) + std::min(std::max(w.x, w.y), 0.0f) - rim;
}

/// A drum with an elliptic cross-section and rounded rims, in its own frame (q.x across, q.y
/// along its axis, q.z front to back): half axes r, half height h, rim radius rim, and its
/// cross-section scaled by 1 + midScale at mid-height, easing to 1 at its ends (a vertebral
/// body's waist).
float sdRoundedDrum(const glm::vec3& q, glm::vec2 r, float h, float rim, float midScale) {
  const float scale = 1.0f + midScale * (1.0f - (q.y / h) * (q.y / h));
  const float d2 = sdEllipse2(glm::vec2(q.x, q.z), (r - glm::vec2(rim)) * scale);
  return roundedRim(glm::vec2(d2, std::abs(q.y) - (h - rim)), rim);
}

// Local frame helper for one vertebra: x lateral (patient's left), y along the column, z back.
struct Frame {
  glm::vec3 o, u, b;
  glm::vec3 at(float x, float y, float z) const { return o + glm::vec3(x, 0, 0) + u * y + b * z; }
};

/// A flat four-cornered plate (corners in order round it) with rounded edges of radius r.
struct Plate {
  glm::vec3 a, b, c, d;
  float r;
  float distance(const glm::vec3& p) const {
    return std::min(udTriangle(p, a, b, c), udTriangle(p, a, c, d)) - r;
  }
};

/// An ellipsoid with its semi-axes r along a vertebra's frame (across, along the column, back).
struct Lobe {
  glm::vec3 c, r;
};

/// The lumbar transverse processes: half height (less the edge radius) at the root and at the
/// tip, and the edge radius.
constexpr float kTransverseRootHalfHeight = 0.0043f, kTransverseTipHalfHeight = 0.0023f;
constexpr float kTransverseEdge = 0.0022f;
/// The lumbar spinous processes' plate: how far its corners lie above (+) and below (-) the
/// lamina's point and the tip, and its edge radius (half its thickness).
constexpr float kSpinousRootTop = 0.002f, kSpinousRootBottom = -0.011f;
constexpr float kSpinousTipTop = 0.0015f, kSpinousTipBottom = -0.0095f;
constexpr float kSpinousEdge = 0.002f;
/// A lumbar articular process: an ellipsoid centred `across` beyond the canal's radius, `along`
/// the column from the body's centre and `back` canal radii behind the body's back, with semi-
/// axes `radii` (across, along, back).
struct ArticularProcess {
  float across, along, back;
  glm::vec3 radii;
};
/// The superior process 8-9 mm across, 12 mm deep and 20 mm tall, its top 2.6 cm above the
/// body's centre; the inferior one a little slimmer, its bottom 2.7 cm below it (the bodies are
/// about 3.6 cm apart), 6 mm further in and 3.3 mm further back: so at each facet joint the pair
/// overlap where both are broadest. (With their centres 3 cm apart, their narrowing ends left
/// a window onto the disc between them from behind.)
constexpr ArticularProcess kSuperiorArticular{0.0065f, 0.016f, 1.0f, {0.0045f, 0.0100f, 0.0060f}};
constexpr ArticularProcess kInferiorArticular{0.0005f, -0.017f, 1.35f, {0.0040f, 0.0100f, 0.0055f}};

Shape vertebraShape(const SpineLevel& s, bool lumbar) {
  const Frame fr{s.body, s.up, s.back};
  const float rl = s.bodyHalfWidth, rap = s.bodyHalfDepth, hh = s.bodyHalfHeight, cr = s.canal;
  std::vector<Tube> tubes;
  auto tube = [&](std::vector<glm::vec3> pts, std::vector<float> radii) {
    tubes.push_back(Tube{std::move(pts), std::move(radii)});
  };
  std::vector<Plate> plates;
  std::vector<Lobe> lobes;
  const float archR = lumbar ? 0.0048f : 0.0040f;
  for (float side : {-1.0f, 1.0f}) {
    const glm::vec3 p0 = fr.at(side * 0.55f * rl, 0.002f, 0.6f * rap);
    const glm::vec3 p1 = fr.at(side * (cr + 0.002f), 0.002f, rap + cr);
    tube({p0, p1, s.lamina}, {archR * 1.1f, archR, archR * 0.9f});
    // Transverse process and its tip (thoracic tips carry the rib tubercle facet, a club).
    glm::vec3 tip = s.transverseTipLeft;
    tip.x *= side;
    const glm::vec3 root = fr.at(side * (cr + 0.003f), 0.003f, rap + cr * 0.9f);
    if (lumbar) {
      // A flat paddle, 13 mm tall at its root tapering to 9 mm at its tip and 4.4 mm thick,
      // on a short stout root. As a round rod (9 mm at the root, 6 mm at the tip) every
      // lumbar process read as a fishbone's spine at peel 4.
      plates.push_back({root + s.up * kTransverseRootHalfHeight,
                        root - s.up * kTransverseRootHalfHeight,
                        tip - s.up * kTransverseTipHalfHeight,
                        tip + s.up * kTransverseTipHalfHeight, kTransverseEdge});
      tube({root, root + (tip - root) * 0.35f}, {0.0042f, 0.0028f});
    } else {
      tube({root, tip}, {0.0045f, 0.0042f});
    }
    // Superior and inferior articular processes.
    if (lumbar) {
      // Each side's superior process rises from the pedicle, lateral to and in front of the
      // inferior process of the vertebra above, which hangs from the lamina: the two overlap
      // for about 17 mm in height, and the lower vertebra is carved to the upper one's shape
      // (makeBones), a facet joint, so the processes form one articular column down each side
      // of the lumbar spine. (As one short peg per vertebra, the same as in the chest, each
      // level read as a cross with gaps between them at peel 4.)
      for (const ArticularProcess& a : {kSuperiorArticular, kInferiorArticular})
        lobes.push_back({fr.at(side * (cr + a.across), a.along, rap + cr * a.back), a.radii});
    } else {
      tube({fr.at(side * (cr + 0.0025f), -0.011f, rap + cr * 1.25f),
            fr.at(side * (cr + 0.0030f), 0.012f, rap + cr * 0.95f)},
           {0.0034f, 0.0034f});
    }
  }
  // Spinous process: in the chest a thin plate of two tubes sloping down to its tip; in the
  // lumbar spine a hatchet, a flat plate 4 mm thick and 15-17 mm tall with a thickened
  // posterior border, the tip its most posterior point. (Two stacked tubes there left a groove
  // along its side.)
  if (lumbar) {
    const glm::vec3 tipTop = s.spinousTip + s.up * kSpinousTipTop,
                    tipBottom = s.spinousTip + s.up * kSpinousTipBottom;
    plates.push_back({s.lamina + s.up * kSpinousRootTop, s.lamina + s.up * kSpinousRootBottom,
                      tipBottom, tipTop, kSpinousEdge});
    tube({tipTop, tipBottom}, {0.0036f, 0.0030f});
  } else {
    tube({s.lamina, s.spinousTip}, {0.0042f, 0.0036f});
    tube({s.lamina - s.up * 0.004f, s.spinousTip - s.up * 0.003f}, {0.0032f, 0.0030f});
  }

  Shape out;
  Aabb box;
  for (const Tube& t : tubes) box.extend(t.bounds());
  for (const Plate& pl : plates)
    for (const glm::vec3& c : {pl.a, pl.b, pl.c, pl.d})
      box.extend(Aabb{c, c}.padded(pl.r));
  for (const Lobe& l : lobes)
    box.extend(Aabb{l.c, l.c}.padded(std::max({l.r.x, l.r.y, l.r.z})));
  box.extend(s.body - glm::vec3(rl + 0.003f, hh + 0.004f, rap + 0.004f));
  box.extend(s.body + glm::vec3(rl + 0.003f, hh + 0.004f, rap + 0.004f));
  out.box = box.padded(0.003f);
  out.f = [tubes = TubeBlend(tubes, 0.0025f), plates, lobes, fr, rl, rap, hh](const glm::vec3& p) {
    const glm::vec3 q = p - fr.o;
    // Body: an elliptic cylinder with rounded rims, slightly waisted.
    float d =
        sdRoundedDrum({q.x, glm::dot(q, fr.u), glm::dot(q, fr.b)}, {rl, rap}, hh, 0.0025f, -0.06f);
    for (const Plate& pl : plates)
      d = smin(d, pl.distance(p), 0.0025f);
    for (const Lobe& l : lobes) {
      const glm::vec3 r = p - l.c;
      d = smin(d, sdEllipsoid({r.x, glm::dot(r, fr.u), glm::dot(r, fr.b)}, glm::vec3(0.0f), l.r),
               0.004f);
    }
    return tubes(p, d);
  };
  return out;
}

// An oriented ellipsoid: centre c, axes a0 (unit) ..., semi-axes r.
float sdOrientedEllipsoid(const glm::vec3& p, const glm::vec3& c, const glm::vec3& ax,
                          const glm::vec3& ay, const glm::vec3& az, const glm::vec3& r) {
  const glm::vec3 q = p - c;
  return sdEllipsoid(glm::vec3(glm::dot(q, ax), glm::dot(q, ay), glm::dot(q, az)), glm::vec3(0), r);
}

// Centres of the sacral segments S1..S5, tilted so the sacrum's base faces forward-up (about
// 30-35 degrees from vertical), and their half lengths along the bone.
const std::array<glm::vec3, 5> kSacralCentres{
    glm::vec3(0, 1.008f, -0.027f), glm::vec3(0, 0.986f, -0.041f), glm::vec3(0, 0.964f, -0.052f),
    glm::vec3(0, 0.944f, -0.059f), glm::vec3(0, 0.927f, -0.062f)};
constexpr float kSacralHalfLength[] = {0.015f, 0.013f, 0.012f, 0.010f, 0.008f};

/// S1's left superior articular process (sacrumShape): its centre and semi-axes.
constexpr glm::vec3 kSacralArticularCentre{0.0170f, 1.0240f, -0.0400f};
constexpr glm::vec3 kSacralArticularRadii{0.0045f, 0.0080f, 0.0055f};

/// The body of S1 (sacrumShape): half width and depth, and half height below the sacral base.
const glm::vec2 kS1Body{0.024f, 0.016f};
constexpr float kS1BodyHalfHeight = 0.011f;

/// Along the sacrum at its base (S1), towards L5.
glm::vec3 sacralAxis() { return glm::normalize(kSacralCentres[0] - kSacralCentres[1]); }

/// The normal of the sacral base's endplate: halfway between the sacral axis and L5's, so the
/// L5-S1 disc is a wedge about 10 degrees open to the front (along the sacral axis, 30 degrees
/// from vertical against L5's 10, the wedge closed at the back).
glm::vec3 sacralEndplateNormal() { return glm::normalize(sacralAxis() + spineLevels().back().up); }

/// The middle of the sacrum's base, the top of S1 that the L5-S1 disc rests on.
glm::vec3 sacralBase() { return kSacralCentres[0] + sacralAxis() * kSacralHalfLength[0]; }

Shape sacrumShape() {
  const auto& c = kSacralCentres;
  const float halfW[] = {0.052f, 0.044f, 0.034f, 0.024f, 0.015f};
  const float halfT[] = {0.016f, 0.013f, 0.010f, 0.008f, 0.006f};
  const float* halfL = kSacralHalfLength;
  struct Seg { glm::vec3 c, a, n; glm::vec3 r; };
  std::vector<Seg> segs;
  for (std::size_t i = 0; i < c.size(); ++i) {
    const glm::vec3 a = glm::normalize(c[std::max<std::size_t>(i, 1) - 1] - c[std::min(i + 1, c.size() - 1)]);
    const glm::vec3 n = glm::normalize(glm::cross(a, glm::vec3(1, 0, 0))); // posterior
    segs.push_back({c[i], a, n, glm::vec3(halfW[i], halfL[i], halfT[i])});
  }
  Tube crest{{c[0] + segs[0].n * 0.013f, c[1] + segs[1].n * 0.012f, c[2] + segs[2].n * 0.009f,
              c[3] + segs[3].n * 0.007f},
             {0.004f, 0.0045f, 0.004f, 0.003f}};
  Tube coccyx{{c[4] + glm::vec3(0, -0.004f, 0), glm::vec3(0, 0.912f, -0.061f), glm::vec3(0, 0.899f, -0.055f)},
              {0.0065f, 0.0050f, 0.0035f}};
  // The alae: wings of S1 reaching to the sacroiliac joints.
  Tube alae{{glm::vec3(-0.048f, 1.012f, -0.030f), glm::vec3(0.048f, 1.012f, -0.030f)}, {0.011f, 0.011f}};
  // The body of S1 under the sacral base: an endplate about L5's size for the L5-S1 disc, where
  // the segment's ellipsoid alone was a dome that fell away under the disc's front and back. The
  // blend with that ellipsoid still raises its middle about 2.5 mm above the plane.
  const glm::vec3 s1Up = sacralEndplateNormal();
  const Frame s1{sacralBase() - s1Up * kS1BodyHalfHeight, s1Up,
                 glm::normalize(glm::cross(s1Up, glm::vec3(1, 0, 0)))};
  // A plate across the whole sacrum through the five segments' outlines, 80 % of their
  // thickness, so that its sides taper in one smooth line from the alae to the apex. The
  // segments' ellipsoids alone narrowed in steps, a scalloped "pagoda" outline from behind at
  // peel 4.
  constexpr float kOutlineThicknessFraction = 0.8f;
  std::vector<TriangleSet::Triangle> strip;
  const auto side = [&](std::size_t i, float sign) {
    return c[i] + glm::vec3(sign * (halfW[i] - kOutlineThicknessFraction * halfT[i]), 0.0f, 0.0f);
  };
  for (std::size_t i = 0; i + 1 < c.size(); ++i) {
    strip.push_back({side(i, 1.0f), side(i + 1, 1.0f), side(i, -1.0f)});
    strip.push_back({side(i, -1.0f), side(i + 1, 1.0f), side(i + 1, -1.0f)});
  }
  const TriangleSet outline(std::move(strip));
  // The plate's half thickness, linear in height between the segments' centres (constant above
  // the first and below the last).
  const auto outlineHalfThickness = [c, halfT](float y) {
    std::size_t i = 0;
    while (i + 2 < c.size() && y < c[i + 1].y)
      ++i;
    const float t = std::clamp((c[i].y - y) / (c[i].y - c[i + 1].y), 0.0f, 1.0f);
    return kOutlineThicknessFraction * mix(halfT[i], halfT[i + 1], t);
  };
  Shape out;
  out.box = Aabb{glm::vec3(-0.065f, 0.885f, -0.09f), glm::vec3(0.065f, 1.04f, 0.0f)};
  out.f = [segs, crest, coccyx, alae, s1, outline, outlineHalfThickness](const glm::vec3& p) {
    float d = 1.0e3f;
    // The superior articular processes of S1, lateral to and in front of L5's inferior ones,
    // which rested on the sacrum's top with nothing to meet: carved by L5 (makeBones), the
    // lumbosacral facet joints.
    for (float across : {-1.0f, 1.0f})
      d = std::min(d, sdEllipsoid(p, kSacralArticularCentre * glm::vec3(across, 1.0f, 1.0f),
                                  kSacralArticularRadii));
    for (const Seg& s : segs)
      d = smin(d, sdOrientedEllipsoid(p, s.c, glm::vec3(1, 0, 0), s.a, s.n, s.r), 0.010f);
    const glm::vec3 q = p - s1.o;
    d = smin(d,
             sdRoundedDrum({q.x, glm::dot(q, s1.u), glm::dot(q, s1.b)}, kS1Body, kS1BodyHalfHeight,
                           0.0025f, 0.0f),
             0.006f);
    d = smin(d, alae(p), 0.010f);
    d = smin(d, crest(p), 0.004f);
    d = smin(d, coccyx(p), 0.004f);
    // The outline's plate last, with a narrow blend, and kept 2 mm under the plane of the
    // sacral base: blended into the segments over 10 mm, or with its rounded top edge up to the
    // base, it raised the back of the base 0.5 mm into the L5-S1 disc, which is only 1.3 mm
    // thick at its back rim.
    const float plate = smax(outline(p) - outlineHalfThickness(p.y),
                             glm::dot(p - s1.o, s1.u) - kS1BodyHalfHeight + 0.002f, 0.004f);
    return smin(d, plate, 0.003f);
  };
  return out;
}

/// An intervertebral disc between the lower endplate of one vertebral body (its centre `upper`,
/// the body's axis `upperUp`) and the upper endplate of the next (`lower`, `lowerUp`), with the
/// bodies' cross-section (half width rl, half depth rap), bulging 4 % at mid-height as a disc
/// bulges past the bodies' rims. Its ends are the two endplates' planes, each moved 2 mm into its
/// bone, so it is a wedge where the column curves (the L5-S1 disc most); the bodies, built before
/// it, carve its ends to their rounded rims.
Shape discShape(const glm::vec3& upper, const glm::vec3& upperUp, const glm::vec3& lower,
                const glm::vec3& lowerUp, float rl, float rap) {
  constexpr float kIntoBodies = 0.002f, kRim = 0.002f, kBulge = 0.04f;
  const glm::vec3 centre = 0.5f * (upper + lower);
  const glm::vec3 axis = glm::normalize(upper - lower);
  const glm::vec3 back = glm::normalize(glm::cross(axis, glm::vec3(1, 0, 0)));
  const float h = 0.5f * glm::length(upper - lower);
  Shape out;
  // The wedge's ends reach at most rap * tan(30 degrees) further than on its axis.
  const float reach = std::max(rl, rap) * (1.0f + kBulge) + h + kIntoBodies + 0.6f * rap + 0.003f;
  out.box = Aabb{centre - glm::vec3(reach), centre + glm::vec3(reach)};
  out.f = [=](const glm::vec3& p) {
    const glm::vec3 q = p - centre;
    const float along = glm::dot(q, axis) / h;
    // The bulge eases off to the ends and stays off beyond them (it must not shrink the
    // cross-section to nothing further out, where the field would stop being a distance bound).
    const float scale = 1.0f + kBulge * (1.0f - std::min(along * along, 1.0f));
    const float side = sdEllipse2(glm::vec2(q.x, glm::dot(q, back)),
                                  (glm::vec2(rl, rap) - glm::vec2(kRim)) * scale);
    const float ends =
        std::max(glm::dot(p - upper, upperUp), glm::dot(lower - p, lowerUp)) - kIntoBodies;
    return roundedRim(glm::vec2(side, ends + kRim), kRim);
  };
  return out;
}

/// The supraspinous ligament: the band along the tips of the spinous processes from C7, where
/// the nuchal ligament goes on up the neck, down to L5. A flat band 5 mm thick and 7 mm wide
/// through the tips, which stand out of it as beads. It is not carved: carved by the processes,
/// it broke into pieces between them, a dashed line from the side with 1 mm slits beside the
/// tips. Without it, rays from behind between the upper thoracic tips met
/// splenius, whose origins reach to 2.5 mm from the midline, as red specks along the spine at
/// peel 2.
VolumeDef supraspinousLigament() {
  constexpr float kHalfThickness = 0.0025f, kWidening = 0.001f;
  Tube line;
  for (const SpineLevel& s : spineLevels()) {
    line.points.push_back(s.spinousTip);
    line.radii.push_back(kHalfThickness);
  }
  const std::vector<float> widening(line.points.size(), kWidening);
  VolumeDef v;
  v.meta =
      meta("supraspinous_ligament", "bone", "Supraspinous ligament", "Ligamentum supraspinale",
           "Ligaments", "midline",
           "A strong fibrous cord that joins the tips of the spinous processes, the bumps down "
           "the middle of the back, from the base of the neck to the lower back. It limits how "
           "far the spine can bend forward, and it can be sore to press on after a strain.",
           kLigamentColour);
  v.shape = culledShape(BlendedTube(line, 0.003f, widening, widening),
                        line.bounds().padded(kWidening + 0.003f));
  v.spacing = 0.0009f;
  v.triangles = 2000;
  v.carve = false;
  return v;
}

struct RibRow {
  float a, b, bFront, thetaEnd, drop, r;
};
// Half-width and half-depth of the rib's ellipse-like arc, the half-depth of its front half
// (past the side of the chest), where it ends (radians from the back), how far its front end
// lies below its head, and its radius. The front halves of ribs 3-10 are shallower than their
// back halves, so the front of the rib cage curves back from the sternum to the sides: with one
// half-depth the ends of ribs 4-6, 7-9 cm from the midline, stood 12 mm to -2 mm behind the
// sternum's front (rib 6's in front of it), and the chest (pectoralis major, fat and skin laid
// on them) was 0.297 m deep in outline from the side at the nipple line, where the reference
// gives 0.22-0.25 m at T7 (landmarks.md).
constexpr RibRow kRibs[12] = {
    {0.075f, 0.050f, 0.050f, 2.75f, 0.035f, 0.0055f},
    {0.098f, 0.068f, 0.068f, 2.70f, 0.055f, 0.0050f},
    {0.112f, 0.080f, 0.074f, 2.65f, 0.070f, 0.0050f},
    {0.122f, 0.088f, 0.078f, 2.62f, 0.082f, 0.0050f},
    {0.129f, 0.094f, 0.075f, 2.60f, 0.090f, 0.0052f},
    {0.134f, 0.098f, 0.078f, 2.55f, 0.095f, 0.0052f},
    {0.137f, 0.100f, 0.080f, 2.45f, 0.098f, 0.0052f},
    {0.138f, 0.101f, 0.081f, 2.25f, 0.095f, 0.0050f},
    {0.137f, 0.100f, 0.080f, 2.05f, 0.088f, 0.0050f},
    {0.135f, 0.098f, 0.078f, 1.85f, 0.075f, 0.0048f},
    {0.130f, 0.094f, 0.094f, 1.45f, 0.055f, 0.0045f},
    {0.120f, 0.088f, 0.088f, 1.00f, 0.040f, 0.0042f},
};

float signedPow(float v, float e) { return std::copysign(std::pow(std::abs(v), e), v); }

} // namespace

const std::vector<SpineLevel>& spineLevels() {
  static const std::vector<SpineLevel> levels = computeLevels();
  return levels;
}

/// Path of left rib k (1..12): head at the vertebral body, tubercle at the transverse process,
/// then a flattened (superelliptic) arc around the chest.
std::vector<glm::vec3> ribPath(int k) {
  const SpineLevel& v = spineLevels()[static_cast<std::size_t>(k)]; // index 0 is C7, 1 is T1
  const RibRow& r = kRibs[k - 1];
  constexpr float kTheta0 = 0.35f, kExp = 0.77f;
  const float zAngle = v.body.z - 0.032f;
  const float zc = zAngle + r.b * std::pow(std::cos(kTheta0), kExp);
  const glm::vec3 head = v.body + glm::vec3(v.bodyHalfWidth - 0.002f, 0.004f, -0.004f);
  const glm::vec3 tubercle = v.transverseTipLeft + glm::vec3(-0.003f, -0.002f, 0.006f);
  std::vector<glm::vec3> pts{head, tubercle};
  constexpr int kSteps = 10;
  for (int i = 0; i <= kSteps; ++i) {
    const float t = static_cast<float>(i) / kSteps;
    const float th = kTheta0 + (r.thetaEnd - kTheta0) * t;
    const float x = r.a * signedPow(std::sin(th), kExp);
    const float c = std::cos(th);
    const float z = zc - (c < 0.0f ? r.bFront : r.b) * signedPow(c, kExp);
    const float y = tubercle.y - 0.004f - r.drop * t * (1.35f - 0.35f * t);
    pts.emplace_back(i < 2 ? std::max(x, tubercle.x + 0.004f * static_cast<float>(i + 1)) : x, y, z);
  }
  return catmullRom(pts, 2);
}

const PelvisLandmarks& pelvisLeft() {
  // Crest from the ASIS (front) over its highest point at the L4-L5 gap to the PSIS (back).
  static const PelvisLandmarks landmarks{
      glm::vec3(0.085f, 0.965f, 0.015f),
      Curve(catmullRom({{0.118f, 1.000f, 0.072f}, {0.135f, 1.030f, 0.045f}, {0.146f, 1.048f, 0.012f},
                        {0.142f, 1.057f, -0.020f}, {0.122f, 1.052f, -0.048f}, {0.092f, 1.032f, -0.068f},
                        {0.062f, 1.010f, -0.078f}, {0.046f, 0.993f, -0.076f}},
                       3)),
      glm::vec3(0.088f, 0.935f, 0.030f), glm::vec3(0.127f, 0.865f, -0.002f)};
  return landmarks;
}

float armCutDistance(const glm::vec3& p) {
  const ShoulderLandmarks& shoulder = shoulderLeft();
  float d = std::numeric_limits<float>::max();
  for (float side : {1.0f, -1.0f}) {
    const glm::vec3 q(p.x * side, p.y, p.z);
    const float beyond = glm::dot(q - shoulder.armCut, shoulder.armAxis);
    d = std::min(d, std::max({-beyond, 0.17f - q.x, 1.12f - q.y}));
  }
  return d;
}

float keepRegion(const glm::vec3& p, float inset) {
  // Neck cut at 1.64 m (base of the skull), thigh cut at 0.75 m, arms cut across the upper arm.
  const float d = std::max(p.y - (1.64f - inset), (0.75f + inset) - p.y);
  return std::max(d, inset - armCutDistance(p));
}

std::vector<VolumeDef> makeBones() {
  std::vector<VolumeDef> out;
  const auto& levels = spineLevels();
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const SpineLevel& s = levels[i];
    const bool lumbar = s.name[0] == 'L';
    const bool cervical = s.name[0] == 'C';
    const std::string lower = lowerCase(s.name);
    const std::string region = cervical ? "cervical" : lumbar ? "lumbar" : "thoracic";
    std::string desc;
    if (cervical)
      desc = "The seventh neck vertebra, the lowest of the neck. Its long spinous process is the "
             "bump you can feel most easily at the base of the neck, which is why it is called the "
             "vertebra prominens and is used to count the vertebrae below it.";
    else if (lumbar)
      desc = "A vertebra of the lower back (" + s.name + "). Lumbar vertebrae have the largest bodies "
             "because they carry most of the upper body's weight; their short, square spinous "
             "processes are the bumps you feel in the low back, and their transverse processes anchor "
             "the deep back muscles and quadratus lumborum.";
    else
      desc = "A vertebra of the chest region (" + s.name + "). Thoracic vertebrae carry the ribs: each "
             "rib meets the side of the body and the tip of the transverse process. Their long "
             "spinous processes slope downward like overlapping roof tiles.";
    const float t = static_cast<float>(i) / static_cast<float>(levels.size() - 1);
    VolumeDef v;
    v.meta = meta("vertebra_" + lower, "bone", s.name + " vertebra",
                  std::string("Vertebra ") + region + " " + s.name, "Vertebrae", "midline", desc,
                  tone(kBone, -0.03f * t, -0.02f * t + ((i % 2) ? 0.015f : 0.0f), -0.02f * t));
    v.shape = vertebraShape(s, lumbar);
    v.spacing = 0.0011f;
    v.triangles = 3400;
    // A lumbar vertebra's superior articular processes overlap the inferior ones of the vertebra
    // above (vertebraShape): carved by it, they fit against them at the facet joints. Elsewhere
    // the vertebrae do not meet (the discs lie between the bodies), so carving changes nothing.
    v.carve = lumbar;
    out.push_back(std::move(v));
  }
  {
    VolumeDef v;
    v.meta = meta("sacrum", "bone", "Sacrum", "Os sacrum", "Pelvis and sacrum", "midline",
                  "The triangular bone at the base of the spine, made of five fused vertebrae, with the "
                  "small tailbone (coccyx) at its tip. It sits like a wedge between the two hip bones at "
                  "the sacroiliac joints and passes the weight of the upper body to the pelvis.",
                  tone(kBone, -0.02f, -0.03f, -0.03f));
    v.shape = sacrumShape();
    v.spacing = 0.0014f;
    v.triangles = 8000;
    v.carve = true; // by L5's inferior articular processes, at the lumbosacral facet joints
    out.push_back(std::move(v));
  }
  // Ribs, carved so they only touch the vertebrae. Their radius is 0.5 mm larger than the
  // table's: about what the 4 mm smooth union of their capsules added on average before they
  // became a plain union (below); without it, one ray a side of ArmpitIsClosedFromTheSide passed
  // through the chest wall under the deltoid where rib 4's swelling had closed it.
  constexpr float kRibFullness = 0.0005f;
  for (int k = 1; k <= 12; ++k) {
    const std::vector<glm::vec3> path = ribPath(k);
    Tube tube;
    const RibRow& r = kRibs[k - 1];
    for (std::size_t i = 0; i < path.size(); ++i) {
      tube.points.push_back(path[i]);
      const float f = static_cast<float>(i) / static_cast<float>(path.size() - 1);
      tube.radii.push_back(r.r * (i == 0 ? 1.15f : 1.0f - 0.15f * f) + kRibFullness);
    }
    const std::string kind = k <= 7 ? "a true rib, joined to the breastbone by its own cartilage"
                             : k <= 10 ? "a false rib, joined to the breastbone through the cartilage above"
                                       : "a floating rib, whose front end ends free in the flank muscles";
    VolumeDef v;
    v.meta = meta("rib_" + std::to_string(k) + "_left", "bone",
                  "Rib " + std::to_string(k) + " (left)", "Costa " + std::to_string(k) + " sinistra",
                  "Ribs", "left",
                  "The " + std::to_string(k) + (k == 1 ? "st" : k == 2 ? "nd" : k == 3 ? "rd" : "th") +
                      " rib on the left, " + kind +
                      ". At the back it joins the spine at two small joints; breathing makes "
                      "these joints glide, so stiff ribs can feel like back pain.",
                  tone(kBone, 0.01f * static_cast<float>(k % 3), -0.01f * static_cast<float>(k % 2), 0.0f));
    // A plain union of the capsules: the path's knots are about 1 cm apart and bend a few
    // degrees each, so the capsules' end spheres join them smoothly, where a 4 mm smooth union
    // swelled the rib by up to 1 mm (a fifth of its radius) at every knot, a string of beads
    // from the side and from behind at peel 4.
    v.shape = culledShape(BlendedTube(tube, 0.0f), tube.bounds().padded(0.001f));
    v.spacing = 0.0013f;
    v.triangles = 2000;
    v.carve = true; // keep clear of the vertebrae
    out.push_back(v);
    out.push_back(mirroredVolume(v));
  }
  // Proximal femur, left, before the hip bone, which is carved by it: the rim of the socket
  // then stops short of the femoral neck instead of running through it.
  {
    const glm::vec3 head = pelvisLeft().femoralHead, lesser = pelvisLeft().lesserTrochanter;
    const Tube neck{{head, {0.140f, 0.905f, 0.012f}}, {0.016f, 0.017f}};
    const Tube shaft{{{0.146f, 0.880f, 0.008f}, {0.128f, 0.700f, 0.014f}}, {0.0160f, 0.0140f}};
    VolumeDef v;
    v.meta =
        meta("femur_left", "bone", "Femur, upper end (left)", "Femur sinistrum (pars proximalis)",
             "Femur", "left",
             "The top of the left thigh bone: the ball-shaped head sits in the hip socket, and the "
             "greater trochanter is the bony point you feel on the side of the hip. Several "
             "buttock muscles, including gluteus medius, minimus and piriformis, attach to it.",
             tone(kBone, 0.0f, 0.01f, 0.01f));
    v.shape.box = Aabb{glm::vec3(0.055f, 0.68f, -0.035f), glm::vec3(0.195f, 0.965f, 0.06f)};
    // The intertrochanteric crest: a rounded ridge down the back from the greater trochanter's
    // posterior angle to the lesser trochanter (quadratus femoris' insertion). Without it the
    // back of the femur between the two was a plain tube, and the greater trochanter a knob.
    const Tube crest{
        {{0.156f, 0.912f, -0.015f}, {0.143f, 0.889f, -0.012f}, {0.131f, 0.869f, -0.007f}},
        {0.0055f, 0.0050f, 0.0045f}};
    v.shape.f = [head, lesser, neck, shaft, crest](const glm::vec3& p) {
      float d = sdSphere(p, head, 0.023f);
      d = smin(d, neck(p), 0.008f);
      d = smin(d, shaft(p), 0.012f);
      d = smin(d, sdEllipsoid(p, {0.160f, 0.902f, 0.000f}, {0.016f, 0.024f, 0.020f}), 0.008f);
      // The greater trochanter's apex, curving up, back and in over the trochanteric fossa.
      d = smin(d, sdEllipsoid(p, {0.151f, 0.920f, -0.012f}, {0.010f, 0.008f, 0.009f}), 0.008f);
      d = smin(d, crest(p), 0.010f);
      d = smin(d, sdSphere(p, lesser, 0.008f), 0.008f);
      return d;
    };
    v.spacing = 0.0017f;
    v.triangles = 6000;
    v.carve = false;
    out.push_back(v);
    out.push_back(mirroredVolume(v));
  }
  // Hip bone (ilium, ischium, pubis), left.
  {
    const PelvisLandmarks& pelvis = pelvisLeft();
    const glm::vec3 hub = pelvis.iliumHub, acetabulum = pelvis.femoralHead;
    const Curve& crest = pelvis.iliacCrest;
    // The wing: a plate on the fan of triangles from the hub to the crest, 20 mm thick at the
    // hub and 5 mm under the crest, which is a thicker rim. (A fan of 17 tubes left grooves between
    // them that read as radial ribs from behind at peel 4.)
    constexpr int kFan = 48;
    std::vector<TriangleSet::Triangle> fan;
    Aabb wingBox{hub, hub};
    for (int i = 0; i < kFan; ++i) {
      fan.push_back({hub, crest.at(static_cast<float>(i) / kFan),
                     crest.at(static_cast<float>(i + 1) / kFan)});
      wingBox.extend(fan.back()[1]);
    }
    wingBox.extend(crest.at(1.0f));
    const TriangleSet wing(std::move(fan));
    std::vector<Tube> tubes;
    Tube crestTube;
    for (int i = 0; i <= 24; ++i) {
      const float u = static_cast<float>(i) / 24;
      crestTube.points.push_back(crest.at(u));
      crestTube.radii.push_back(0.0050f + 0.0025f * std::sin(3.14159f * u) +
                                0.002f * smoothstep(0.84f, 0.96f, u)); // thicker at the PSIS
    }
    tubes.push_back(crestTube);
    // The back of the ilium below the wing: from the PSIS down to the posterior inferior iliac
    // spine beside S3, where it meets the sacrum (which carves it to the joint line), and forward
    // round the greater sciatic notch to the back of the acetabulum, above and in front of
    // piriformis, which leaves the pelvis through the notch. Without it, from behind at peel 4,
    // the wing stood on a strut over the acetabulum with nothing between it and the sacrum.
    const glm::vec3 psis = crest.at(1.0f), sacroiliac(0.050f, 0.990f, -0.062f),
                    strut(0.060f, 0.985f, -0.045f);
    const glm::vec3 piis(0.040f, 0.958f, -0.060f), notchBack(0.058f, 0.976f, -0.045f);
    const glm::vec3 notchTop(0.068f, 0.981f, -0.030f), notchFront(0.080f, 0.977f, -0.008f);
    const glm::vec3 acetabulumBack(0.090f, 0.945f, 0.000f);
    // In front, the anterior border drops from the ASIS past the anterior inferior iliac spine to
    // the top of the acetabulum (the wing's fan alone cut across from the ASIS to the hub).
    const glm::vec3 asis = crest.at(0.0f), aiis(0.108f, 0.968f, 0.060f),
                    acetabulumTop(0.100f, 0.952f, 0.040f);
    constexpr float kBodyOfIliumHalfThickness = 0.0035f, kPubicBodyHalfThickness = 0.005f;
    const TriangleSet bodyOfIlium({{hub, asis, aiis},
                                   {hub, aiis, acetabulumTop},
                                   {psis, sacroiliac, piis},
                                   {sacroiliac, notchBack, piis},
                                   {sacroiliac, strut, notchBack},
                                   {strut, notchTop, notchBack},
                                   {strut, hub, notchTop},
                                   {hub, notchFront, notchTop},
                                   {hub, acetabulumBack, notchFront}});
    tubes.push_back(Tube{{hub, strut, sacroiliac}, {0.012f, 0.011f, 0.009f}});
    // The border of the greater sciatic notch, a rounded rim from the PIIS to the ischial spine.
    const glm::vec3 spineBase(0.066f, 0.916f, -0.020f);
    tubes.push_back(Tube{{piis,
                          notchBack,
                          notchTop,
                          notchFront,
                          acetabulumBack,
                          {0.082f, 0.925f, -0.004f},
                          spineBase},
                         {0.0045f, 0.0045f, 0.0045f, 0.0050f, 0.0060f, 0.0060f, 0.0055f}});
    tubes.push_back(Tube{{acetabulum, {0.068f, 0.895f, -0.020f}, {0.062f, 0.862f, -0.028f}},
                         {0.013f, 0.011f, 0.012f}});
    // The ischial spine, a short blunt point (a 24 mm pin before, seen from behind at peel 4).
    tubes.push_back(Tube{{spineBase, {0.054f, 0.915f, -0.030f}}, {0.0055f, 0.0025f}});
    tubes.push_back(Tube{{acetabulum, {0.045f, 0.925f, 0.075f}, {0.012f, 0.912f, 0.085f}}, {0.010f, 0.008f, 0.009f}});
    tubes.push_back(Tube{{{0.012f, 0.895f, 0.080f}, {0.040f, 0.874f, 0.040f}, {0.062f, 0.862f, -0.028f}},
                         {0.007f, 0.007f, 0.011f}});
    // The body of the pubis, a plate 10 mm thick and about 4 cm tall between the ends of the two
    // rami, its rounded medial edge 3.5 mm from the midline, 7 mm from the other's across the
    // symphysis; the rami alone ended there in two knobs.
    const glm::vec3 symphysisTop(0.0085f, 0.917f, 0.084f), symphysisBottom(0.0085f, 0.888f, 0.078f);
    const glm::vec3 pubicCrest(0.030f, 0.918f, 0.082f), inferiorRamus(0.028f, 0.885f, 0.068f);
    const TriangleSet pubicBody({{symphysisTop, symphysisBottom, pubicCrest},
                                 {pubicCrest, symphysisBottom, inferiorRamus}});
    const glm::vec3 head = acetabulum;
    VolumeDef v;
    v.meta = meta("hip_bone_left", "bone", "Hip bone (left)", "Os coxae sinistrum", "Pelvis and sacrum",
                  "left",
                  "The large left pelvic bone, made of the ilium, ischium and pubis fused together. "
                  "Its upper rim, the iliac crest, is where you rest your hands on your hips, and the "
                  "posterior superior iliac spine makes the dimple low on the back.",
                  tone(kBone, 0.01f, 0.0f, -0.01f));
    Aabb box;
    for (const Tube& t : tubes) box.extend(t.bounds());
    box.extend(Aabb{acetabulum - glm::vec3(0.032f), acetabulum + glm::vec3(0.032f)});
    box.extend(wingBox.padded(0.010f));
    // The plates of the body of the ilium lie within these boxes (the tubes', the socket's and
    // the wing's grown by 1 cm), with their half thickness; so does the pubic body, but it is
    // not built from these, so it holds its own.
    Aabb pubicBox{symphysisTop, symphysisTop};
    for (const glm::vec3& q : {symphysisBottom, pubicCrest, inferiorRamus})
      pubicBox.extend(q);
    box.extend(pubicBox.padded(kPubicBodyHalfThickness));
    v.shape.box = box.padded(0.006f);
    v.shape.f = [tubes = TubeBlend(tubes, 0.009f), wing, bodyOfIlium, pubicBody, hub,
                 head](const glm::vec3& p) {
      const float plate = smin(
          smin(wing(p) - mix(0.010f, 0.0025f, std::clamp(glm::length(p - hub) / 0.10f, 0.0f, 1.0f)),
               bodyOfIlium(p) - kBodyOfIliumHalfThickness, 0.004f),
          pubicBody(p) - kPubicBodyHalfThickness, 0.004f);
      const float d = tubes(
          p, smin(plate, sdSphere(p, head + glm::vec3(-0.008f, 0.006f, -0.004f), 0.028f), 0.016f));
      // The socket for the femoral head, its lip rounded: a sharp lip came out ragged.
      return smax(d, -(glm::length(p - head) - 0.0245f), 0.003f);
    };
    v.spacing = 0.0016f;
    v.triangles = 13000;
    v.carve = true;
    out.push_back(v);
    out.push_back(mirroredVolume(v));
  }
  // Scapula, left.
  {
    const glm::vec3 sa(0.073f, 1.476f, -0.078f), root(0.071f, 1.421f, -0.088f), ia(0.086f, 1.322f, -0.084f);
    const glm::vec3 la(0.142f, 1.412f, -0.050f), glenoid(0.150f, 1.413f, -0.040f);
    const glm::vec3 spineEnd(0.158f, 1.455f, -0.072f), coracoidBase(0.130f, 1.455f, -0.045f);
    std::vector<Tube> tubes{
        Tube{{sa, root, ia}, {0.0035f, 0.0038f, 0.0045f}},
        Tube{{ia, {0.120f, 1.380f, -0.066f}, la}, {0.0050f, 0.0060f, 0.0075f}},
        Tube{{sa, {0.110f, 1.466f, -0.066f}, coracoidBase}, {0.0030f, 0.0030f, 0.0045f}},
        Tube{{la, glenoid}, {0.010f, 0.010f}},
        Tube{{root + glm::vec3(0.0f, 0.002f, -0.005f), {0.120f, 1.442f, -0.086f}, spineEnd},
             {0.0042f, 0.0050f, 0.0060f}},
        Tube{{spineEnd, {0.188f, 1.458f, -0.040f}}, {0.0065f, 0.0060f}},
        Tube{{coracoidBase, {0.140f, 1.446f, 0.005f}, shoulderLeft().coracoidTip},
             {0.0048f, 0.0050f, 0.0045f}},
    };
    VolumeDef v;
    v.meta = meta("scapula_left", "bone", "Scapula (left)", "Scapula sinistra", "Shoulder girdle", "left",
                  "The left shoulder blade, a flat triangular bone that glides over the back of the "
                  "ribs. Its ridge, the spine of the scapula, ends in the acromion at the tip of the "
                  "shoulder; many of the muscles that move the arm and steady the shoulder attach here.",
                  tone(kBone, 0.02f, 0.01f, 0.0f));
    Aabb box;
    for (const Tube& t : tubes) box.extend(t.bounds());
    v.shape.box = box.padded(0.02f);
    v.shape.f = [tubes = TubeBlend(tubes, 0.003f), sa, root, ia, la, glenoid,
                 spineEnd](const glm::vec3& p) {
      float d = std::min(udTriangle(p, sa, root, la), udTriangle(p, root, ia, la)) - 0.0022f;
      d = smin(d, udTriangle(p, root, spineEnd, {0.125f, 1.432f, -0.066f}) - 0.0025f, 0.003f);
      d = tubes(p, d);
      d = smin(d, sdEllipsoid(p, glenoid + glm::vec3(0.004f, 0, 0), {0.007f, 0.019f, 0.013f}), 0.004f);
      d = smin(d, sdEllipsoid(p, {0.180f, 1.458f, -0.047f}, {0.020f, 0.0055f, 0.016f}), 0.004f);
      return d;
    };
    v.spacing = 0.0012f;
    v.triangles = 9000;
    v.carve = true;
    out.push_back(v);
    out.push_back(mirroredVolume(v));
  }
  // Clavicle, left: an S-shaped strut from the sternum to the acromion.
  {
    Tube t;
    t.points = catmullRom({{0.022f, 1.452f, 0.088f}, {0.060f, 1.464f, 0.078f}, {0.100f, 1.470f, 0.048f},
                           {0.140f, 1.468f, 0.012f}, {0.168f, 1.463f, -0.020f}},
                          3);
    for (std::size_t i = 0; i < t.points.size(); ++i) {
      const float f = static_cast<float>(i) / static_cast<float>(t.points.size() - 1);
      t.radii.push_back(0.0075f - 0.0022f * std::sin(3.14159f * f) + (f > 0.8f ? 0.001f : 0.0f));
    }
    VolumeDef v;
    v.meta = meta("clavicle_left", "bone", "Clavicle (left)", "Clavicula sinistra", "Shoulder girdle", "left",
                  "The left collarbone, a slender S-shaped bone that props the shoulder out from the "
                  "breastbone. Its outer end meets the acromion of the shoulder blade, and the upper "
                  "trapezius pulls on it from above.",
                  tone(kBone, 0.015f, 0.005f, -0.005f));
    v.shape = culledShape(BlendedTube(t, 0.003f), t.bounds().padded(0.003f));
    v.spacing = 0.0013f;
    v.triangles = 3000;
    v.carve = true;
    out.push_back(v);
    out.push_back(mirroredVolume(v));
  }
  // Proximal humerus, left, after the scapula so it is carved to sit in the glenoid.
  {
    const VolumeDef v = humerusLeft();
    out.push_back(v);
    out.push_back(mirroredVolume(v));
  }
  for (VolumeDef& v : makeSternumAndCostalCartilages())
    out.push_back(std::move(v));
  // Intervertebral discs, C7-T1 to L5-S1, after all the bones: the bodies above and below (and
  // the sacrum) carve their ends to the endplates, and the heads of the ribs, which sit against
  // the discs of the chest, notch their sides.
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const SpineLevel& above = levels[i];
    const bool last = i + 1 == levels.size();
    const SpineLevel& next = levels[last ? i : i + 1];
    const std::string below = last ? "S1" : next.name;
    const glm::vec3 lower = last ? sacralBase() : next.body + next.up * next.bodyHalfHeight;
    const glm::vec3 lowerUp = last ? sacralEndplateNormal() : next.up;
    std::string desc = "The cushion between the " + above.name + " vertebra and " +
                       (last ? std::string("the sacrum") : "the " + below + " vertebra") +
                       ": a tough outer ring of fibrous cartilage around a soft, gel-like core. "
                       "It spreads the load from one vertebra to the next and lets them tilt and "
                       "twist a little.";
    if (above.name == "L4" || above.name == "L5")
      desc += " The two lowest discs carry the most load and are the ones that most often bulge "
              "or herniate and press on a nerve root, which can send pain down the leg.";
    const std::string id = lowerCase("intervertebral_disc_" + above.name + "_" + below);
    VolumeDef v;
    v.meta = meta(id, "bone", "Intervertebral disc " + above.name + "-" + below,
                  "Discus intervertebralis", "Vertebrae", "midline", desc, kCartilageColour);
    // Under L5, `next` is L5 itself: the disc has L5's cross-section, 1 mm wider than the
    // sacral base's (kS1Body) all round.
    v.shape = discShape(above.body - above.up * above.bodyHalfHeight, above.up, lower, lowerUp,
                        0.5f * (above.bodyHalfWidth + next.bodyHalfWidth),
                        0.5f * (above.bodyHalfDepth + next.bodyHalfDepth));
    v.spacing = 0.0010f;
    v.triangles = above.name[0] == 'L' ? 600 : 400;
    v.carve = true;
    out.push_back(std::move(v));
  }
  out.push_back(supraspinousLigament());
  return out;
}

} // namespace fascia::anatomy
