// The shoulder joint and the arm stub: the upper humerus in the glenoid of the scapula, the
// deltoid wrapped over it, the biceps, coracobrachialis and the long and lateral heads of
// triceps on the shaft below it, and the filler of the upper arm. Coordinates are the patient's
// left side (+x) and are mirrored for the right.

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <numbers>
#include <utility>

#include "parts.h"

namespace fascia::anatomy {

namespace {

using V3 = glm::vec3;

constexpr V3 kForward(0.0f, 0.0f, 1.0f);

// An ellipsoid with semi-axes r along the unit axes ax, ay, az (orthogonal).
float sdFramedEllipsoid(const V3& p, const V3& c, const V3& ax, const V3& ay, const V3& az,
                        const V3& r) {
  const V3 q = p - c;
  return sdEllipsoid(V3(glm::dot(q, ax), glm::dot(q, ay), glm::dot(q, az)), V3(0.0f), r);
}

ShoulderLandmarks computeShoulder() {
  ShoulderLandmarks s;
  // The same axis and cut as keepRegion's arm cut: the arm hangs abducted about 25 degrees.
  s.armAxis = glm::normalize(V3(0.42f, -0.906f, 0.0f));
  s.lateral = glm::normalize(glm::cross(kForward, s.armAxis));
  s.armCut = V3(0.225f, 1.29f, 0.0f);
  // The head sits lateral to the glenoid (which faces out and a little forward, as the blade
  // lies on the curved back of the chest), below the acromion with room for the supraspinatus
  // tendon; its radius is that of an adult humeral head (about 2.2-2.5 cm).
  s.humeralHead = V3(0.185f, 1.414f, -0.030f);
  s.headRadius = 0.0225f;
  // The shaft's axis passes a little lateral to and in front of the head's centre: the head
  // sits on the medial, back side of the upper end.
  s.shaftTop = s.humeralHead + s.lateral * 0.007f + kForward * 0.003f;
  s.shaftRadius = 0.0115f;
  // The deltoid tuberosity lies on the lateral shaft about halfway down the humerus (Gray's:
  // "about the middle of the lateral surface"), here 1 cm below the stub's cut (12.9 cm down
  // the shaft), so the cut passes through the deltoid while it is still broad: with the
  // tuberosity just above the cut, the V of the muscle ended at the cut like a beak.
  s.tuberosity = 0.140f;
  s.grooveTop = s.shaftTop + s.lateral * 0.0055f + kForward * 0.0200f - s.armAxis * 0.012f;
  s.grooveBottom = s.shaftTop + s.lateral * 0.0035f + kForward * 0.0150f + s.armAxis * 0.050f;
  s.coracoidTip = V3(0.150f, 1.432f, 0.020f);
  return s;
}

} // namespace

const ShoulderLandmarks& shoulderLeft() {
  static const ShoulderLandmarks s = computeShoulder();
  return s;
}

VolumeDef humerusLeft() {
  const ShoulderLandmarks& s = shoulderLeft();
  const V3 a = s.armAxis, l = s.lateral, f = kForward;
  const V3 head = s.humeralHead, top = s.shaftTop;
  // The articular surface faces medially, upwards (the neck meets the shaft at about 135
  // degrees) and backwards (about 25 degrees of retroversion), into the glenoid.
  const V3 articular = glm::normalize(-0.64f * l - 0.64f * a - 0.30f * f);
  const float r = s.headRadius;
  // Metaphysis from the anatomical neck to the surgical neck, where the shaft begins.
  const Tube neck{{top - a * 0.004f, s.shaft(0.045f)}, {0.019f, 0.0128f}};
  const Tube shaft{{s.shaft(0.030f), s.shaft(0.220f)}, {0.0128f, s.shaftRadius}};
  // Bicipital (intertubercular) groove on the front, between the tubercles.
  const Tube groove{{s.grooveTop, s.grooveBottom}, {0.0034f, 0.0030f}};
  const V3 greater = top + l * 0.0120f - a * 0.0020f - f * 0.0040f;
  const V3 lesser = top + f * 0.0170f - l * 0.0010f + a * 0.0100f;
  const V3 tuberosity = s.shaft(s.tuberosity - 0.008f) + l * 0.0095f + f * 0.002f;

  VolumeDef v;
  v.meta = meta(
      "humerus_left", "bone", "Humerus, upper part (left)", "Humerus sinister (pars proximalis)",
      "Shoulder girdle", "left",
      "The upper part of the left arm bone. Its ball-shaped head turns in the shallow socket of "
      "the shoulder blade, and the two bumps beside it, the greater and lesser tubercles, carry "
      "the rotator cuff tendons. The deltoid wraps over the top and attaches to a rough patch "
      "on the outside of the shaft.",
      {0.90f, 0.86f, 0.75f});
  Aabb box;
  box.extend(Aabb{head - V3(r + 0.006f), head + V3(r + 0.006f)});
  box.extend(neck.bounds());
  box.extend(shaft.bounds());
  box.extend(Aabb{greater - V3(0.018f), greater + V3(0.018f)});
  v.shape.box = box.padded(0.004f);
  v.shape.f = [=](const V3& p) {
    // Head: a little more than a hemisphere; its rim is the anatomical neck.
    float d = std::max(sdSphere(p, head, r), -glm::dot(p - head, articular) - 0.006f);
    d = smin(d, neck(p, 0.0f), 0.007f);
    d = smin(d, sdFramedEllipsoid(p, greater, l, a, f, {0.0090f, 0.0170f, 0.0130f}), 0.006f);
    d = smin(d, sdFramedEllipsoid(p, lesser, l, a, f, {0.0060f, 0.0100f, 0.0060f}), 0.004f);
    d = smin(d, shaft(p, 0.0f), 0.010f);
    d = smin(d, sdFramedEllipsoid(p, tuberosity, l, a, f, {0.0040f, 0.0200f, 0.0060f}), 0.005f);
    return smax(d, -groove(p, 0.0f), 0.002f);
  };
  v.spacing = 0.0012f;
  v.triangles = 7000;
  v.carve = true; // keeps the head clear of the glenoid (a joint space of about a millimetre)
  return v;
}

const Curve& deltoidOriginLeft() {
  // The anterior border and upper surface of the lateral third of the clavicle, the lateral
  // margin and upper surface of the acromion and the lower lip of the spine of the scapula, as
  // one continuous line along the top of the bony arch. The upper trapezius inserts on the same
  // arch from above (its shoulder-top outline in soft_tissue.cpp ends 4-6 mm past this line, on
  // the deltoid's upper slope, and its edge is sunk onto it). The origin's upper edge stands
  // 4-8 mm above the bone, level with the trapezius as it lies on the hull there, so the
  // trapezius' edge rests on it: flush with the bone, it left a slit under that edge that
  // opened, seen from the side, into the hollow beneath the trapezius (a dark crescent).
  static const Curve origin(catmullRom({{0.124f, 1.475f, 0.033f},
                                        {0.148f, 1.473f, 0.010f},
                                        {0.170f, 1.470f, -0.014f},
                                        {0.186f, 1.468f, -0.030f},
                                        {0.195f, 1.466f, -0.046f},
                                        {0.188f, 1.465f, -0.060f},
                                        {0.172f, 1.461f, -0.070f},
                                        {0.152f, 1.455f, -0.079f},
                                        {0.134f, 1.447f, -0.086f}},
                                       3));
  return origin;
}

namespace {

/// The deltoid's field: a mix of two unions of its bundles, `close` and `smooth`, weighted by
/// how far down the arm the point lies, as a fraction v of the way along `axis` from `top` (the
/// acromion's tip, the lowest point of the origin along the arm; the clavicular and spinal
/// parts start above it, at v < 0) to `bottom` (the insertion's apex): all `smooth` from
/// v = 0.12 to 0.55, all `close` below 0.02 and beyond 0.85. Its surface runs between theirs.
/// Where the two differ, the weight's slope adds to the field's; measured on a 1 mm lattice
/// within 6 mm of the surface, its gradient is at most 1.06 long, inside the polygoniser's
/// bound (kSlope in mesh_ops.cpp).
class DeltoidField {
public:
  DeltoidField(TubeBlend close, TubeBlend smooth, const glm::vec3& axis, float top, float bottom)
      : close_(std::move(close)), smooth_(std::move(smooth)), axis_(axis), top_(top),
        bottom_(bottom) {
    assert(bottom > top && "the insertion lies further along the arm than the origin");
  }
  float operator()(const glm::vec3& p) const {
    const float w = weight(p);
    if (w <= 0.0f) return close_(p);
    if (w >= 1.0f) return smooth_(p);
    return glm::mix(close_(p), smooth_(p), w);
  }
  /// Where both unions are at or above `limit`, so is the mix; elsewhere the exact value.
  float below(const glm::vec3& p, float limit) const {
    const float w = weight(p);
    if (w <= 0.0f) return close_.below(p, limit);
    if (w >= 1.0f) return smooth_.below(p, limit);
    float c = close_.below(p, limit), s = smooth_.below(p, limit);
    if (c >= limit && s >= limit) return limit;
    // Each below() is exact where it is under the limit.
    if (c >= limit) c = close_(p);
    if (s >= limit) s = smooth_(p);
    return glm::mix(c, s, w);
  }

private:
  float weight(const glm::vec3& p) const {
    const float v = (glm::dot(p, axis_) - top_) / (bottom_ - top_);
    return smoothstep(0.02f, 0.12f, v) * (1.0f - smoothstep(0.55f, 0.85f, v));
  }

  TubeBlend close_, smooth_;
  glm::vec3 axis_;
  float top_, bottom_;
};

} // namespace

VolumeDef deltoidLeft() {
  const ShoulderLandmarks& s = shoulderLeft();
  const V3 a = s.armAxis, l = s.lateral;
  const Curve& origin = deltoidOriginLeft();
  // What the muscle drapes over: the humeral head with the greater tubercle and the
  // supraspinatus tendon on top of it, and the upper shaft. Each bundle's centre line is kept
  // outside this core by a little less than its radius (carving by the bones and the
  // supraspinatus trims the rest), so the muscle is convex over the head.
  const V3 capCentre = s.humeralHead + l * 0.006f - a * 0.006f;
  const auto core = [&](const V3& p) {
    return smin(sdSphere(p, capCentre, 0.026f),
                sdCapsule(p, s.shaft(0.020f), s.shaft(s.tuberosity), 0.017f, 0.0095f), 0.020f);
  };
  const auto coreNormal = [&](const V3& p) {
    constexpr float e = 1.0e-4f;
    return glm::normalize(V3(core(p + V3(e, 0, 0)) - core(p - V3(e, 0, 0)),
                             core(p + V3(0, e, 0)) - core(p - V3(0, e, 0)),
                             core(p + V3(0, 0, e)) - core(p - V3(0, 0, e))));
  };
  // The insertion is a V on the deltoid tuberosity, its apex down: the middle fibres reach
  // the apex, the anterior and posterior fibres the two limbs.
  const V3 apex = s.shaft(s.tuberosity + 0.010f) + l * (s.shaftRadius + 0.0015f);
  // Bundle radius along the fibre (0 at the origin, 1 at the insertion): thin at the origin,
  // full from the head to a third of the way down, a tendon at the end.
  const auto profile = [](float v) {
    constexpr std::array<float, 8> kRadius{0.0055f, 0.0085f, 0.0105f, 0.0108f,
                                           0.0098f, 0.0078f, 0.0052f, 0.0025f};
    const float x = v * (kRadius.size() - 1);
    const std::size_t i = std::min<std::size_t>(static_cast<std::size_t>(x), kRadius.size() - 2);
    return glm::mix(kRadius[i], kRadius[i + 1], x - static_cast<float>(i));
  };
  constexpr int kBundles = 24;
  // One bundle: its centre line, a spline through `steps` + 1 nodes (`perSegment` pieces between
  // two), bows out by `bow` (radially, most a third of the way down), and its radius is
  // profile(v) times `scale`.
  const auto bundle = [&](float u, int steps, int perSegment, float bow, float scale) {
    const float edge = 0.70f + 0.30f * std::sin(std::numbers::pi_v<float> * u);
    const V3 o = origin.at(u);
    V3 radial = o - capCentre;
    radial = glm::normalize(radial - a * glm::dot(radial, a));
    const V3 end =
        apex - a * (0.030f * std::abs(2.0f * u - 1.0f)) + kForward * (0.016f * (u - 0.5f));
    // Down the arm the fibres advance evenly, but they converge on the tuberosity mostly in
    // their lower half, so the belly stays broad over the head and the borders are convex.
    const V3 along = a * glm::dot(end - o, a), across = end - o - along;
    Tube t;
    for (int k = 0; k <= steps; ++k) {
      const float v = static_cast<float>(k) / static_cast<float>(steps);
      const float r = scale * profile(v) * (k == 0 || k == steps ? 1.0f : edge);
      V3 q = o + along * v + across * std::pow(v, 1.8f) +
             radial * (bow * std::sin(std::numbers::pi_v<float> * std::min(1.0f, 1.4f * v)));
      if (k > 0)
        for (int it = 0; it < 4; ++it) {
          const float want = 0.0008f + 0.8f * r - core(q);
          if (want <= 0.0f) break;
          q += coreNormal(q) * want;
        }
      t.points.push_back(q);
      t.radii.push_back(r);
    }
    return smoothTube(t, perSegment);
  };
  // Two unions of the same bundles. `close`: 7 nodes a bundle, blended over 8 mm. Over the
  // belly it showed a star of creases on the side of the shoulder (issue 5): the bend over the
  // head fell between nodes, so the spline through them kinked at the same height in every
  // bundle, and the grooves between the bundles shaded as flutes. `smooth`: 14 nodes, every
  // 8-9 mm, so the centre lines follow the head's curve, blended over 16 mm, which fills the
  // grooves. The wider blend also fills out the muscle (its side by about 6 mm at full
  // thickness), so its bundles are four fifths as thick and bow out 4 mm instead of 7: then
  // over the belly its side stays within a millimetre of where it was, but where many bundles
  // crowd, at the origin and the insertion, it still grows by 4-6 mm. So the muscle is `smooth`
  // over the belly only, fading to `close` towards the origin (where the upper trapezius ends
  // on it) and the insertion (beside coracobrachialis and the biceps), which are as they were.
  constexpr float kCloseBlend = 0.008f, kSmoothBlend = 0.016f;
  std::vector<Tube> close, smooth;
  Aabb box;
  for (int i = 0; i < kBundles; ++i) {
    const float u = static_cast<float>(i) / (kBundles - 1);
    close.push_back(bundle(u, 7, 3, 0.007f, 1.0f));
    smooth.push_back(bundle(u, 14, 2, 0.004f, 0.8f));
    box.extend(close.back().bounds());
    box.extend(smooth.back().bounds());
  }
  const DeltoidField field(TubeBlend(close, kCloseBlend), TubeBlend(smooth, kSmoothBlend), a,
                           glm::dot(origin.at(0.5f), a), glm::dot(apex, a));
  VolumeDef v;
  v.meta = meta(
      "deltoid_left", "muscle", "Deltoid (left)", "Musculus deltoideus", "Superficial muscles",
      "left",
      "The rounded muscle that caps the shoulder, from the collarbone, the acromion and the spine "
      "of "
      "the shoulder blade over the head of the arm bone down to the outside of the upper arm. It "
      "lifts the arm; its front part brings the arm forward and its back part draws it backward.",
      muscleTone(5));
  v.shape = culledShape(field, box.padded(kSmoothBlend));
  // The fibres follow `close`'s centre lines, as before the smooth union was added: both sets
  // run the same course between the same attachments, and so the stretch rig's mean fibre axis
  // (engine/src/deformation.cpp) stays as it was.
  v.fibre = bundleFibre(close);
  v.spacing = 0.0019f;
  v.triangles = 8000;
  return v;
}

VolumeDef supraspinatusLeft() {
  const ShoulderLandmarks& s = shoulderLeft();
  // The blade's plane (superior angle, root of the spine, lateral angle: the scapula's
  // landmarks in skeleton.cpp) and its unit normal pointing backwards, out of the fossa.
  const V3 superiorAngle(0.073f, 1.476f, -0.078f), root(0.071f, 1.421f, -0.088f);
  const V3 lateralAngle(0.142f, 1.412f, -0.050f);
  V3 back = glm::normalize(glm::cross(lateralAngle - superiorAngle, root - superiorAngle));
  if (back.z > 0.0f) back = -back;
  // The point of the blade's plane at (x, y), moved off it backwards by `off`.
  const auto onBlade = [&](float x, float y, float off) {
    const float z = superiorAngle.z -
                    (back.x * (x - superiorAngle.x) + back.y * (y - superiorAngle.y)) / back.z;
    return V3(x, y, z) + back * off;
  };
  // Each bundle runs from the medial part of the supraspinous fossa (its medial two thirds,
  // between the superior border and the spine) along the fossa, through the gap between the
  // lateral end of the spine and the coracoid, under the acromion and the acromioclavicular
  // joint over the top of the humeral head, to the superior facet of the greater tubercle.
  // The belly is about 2.4 cm thick in the fossa; the bundles converge to a flat tendon about
  // 2.5 cm wide and 1 cm thick that covers the top of the head. In the fossa the bundles' deep
  // side comes to 2.5 mm from the blade's mid-plane, just inside its back face (2.2 mm), so
  // carving lays the belly on the fossa at the builder's clearance (it stood up to 3.8 mm off it)
  // while no bundle reaches the blade's front; the ends inside the humerus are carved off, so
  // the tendon sits on the tubercle.
  const V3 a = s.armAxis, l = s.lateral;
  const V3 overHead =
      s.humeralHead - a * (s.headRadius + 0.0062f) + l * 0.003f; // under the acromion
  const V3 facet = s.shaftTop + l * 0.014f - a * 0.016f;         // top of the tubercle
  constexpr float kOnBlade = 0.0025f;
  constexpr int kBundles = 8;
  std::vector<Tube> bundles;
  Aabb box;
  for (int i = 0; i < kBundles; ++i) {
    const float u = static_cast<float>(i) / (kBundles - 1); // 0 along the superior border
    const float c = u - 0.5f;
    const float edge = 0.75f + 0.25f * std::sin(std::numbers::pi_v<float> * u);
    Tube t{{onBlade(0.079f, 1.468f - 0.032f * u, 0.0065f * edge + kOnBlade),
            onBlade(0.108f, 1.461f - 0.012f * u, 0.0120f * edge + kOnBlade),
            V3(0.148f, 1.450f - 0.003f * u, -0.050f + 0.006f * c),
            overHead + kForward * (0.016f * c), facet + kForward * (0.020f * c)},
           {0.0065f * edge, 0.0120f * edge, 0.0080f, 0.0050f, 0.0038f}};
    bundles.push_back(smoothTube(t, 4));
    box.extend(bundles.back().bounds());
  }
  constexpr float kBlend = 0.006f;
  VolumeDef v;
  v.meta = meta(
      "supraspinatus_left", "muscle", "Supraspinatus (left)", "Musculus supraspinatus",
      "Intermediate muscles", "left",
      "A thick rotator cuff muscle filling the hollow of the shoulder blade above its spine. Its "
      "tendon runs under the bony roof of the shoulder to the top of the arm bone; it starts "
      "lifting the arm sideways and keeps the ball centred in its socket. Its trigger points "
      "send a deep ache over the outside of the shoulder and upper arm.",
      muscleTone(6));
  v.shape.box = box.padded(kBlend);
  // Medial to the acromion nothing of the muscle lies below the plane of the scapular spine
  // (root, lateral end and the base of the spine on the blade), so carving by the spine cannot
  // leave islands of it beneath, in the infraspinous fossa.
  const V3 spineBase(0.125f, 1.432f, -0.066f), spineEnd(0.158f, 1.455f, -0.072f);
  V3 up = glm::normalize(glm::cross(spineEnd - root, spineBase - root));
  if (up.y < 0.0f) up = -up;
  v.shape.f = [tubes = TubeBlend(bundles, kBlend), up, root](const V3& p) {
    return std::max(tubes(p), std::min(-glm::dot(p - root, up), 0.155f - p.x));
  };
  v.fibre = bundleFibre(bundles);
  v.spacing = 0.0016f;
  v.triangles = 6000;
  return v;
}

VolumeDef bicepsLeft() {
  const ShoulderLandmarks& s = shoulderLeft();
  const V3 a = s.armAxis, l = s.lateral, f = kForward;
  // The long head's tendon comes out of the joint capsule at the top of the bicipital groove
  // (its part inside the joint, over the humeral head to the supraglenoid tubercle, is not
  // modelled), runs down the groove and widens into the lateral belly. The short head leaves
  // the tip of the coracoid as a flat tendon and widens into the medial belly. Both tendons lie
  // under the deltoid, which is built after the biceps and so carved by it: its anterior fibres
  // lie over them (built the other way round, the deltoid filled the groove and took the upper
  // half of the muscle). Under the deltoid the bellies are slimmer, about 4 mm under its outer
  // surface; they swell below its anterior border and lie side by side, merged into one muscle
  // about 3 cm across and 2 cm deep, on past the arm cut towards the elbow. Their front lies
  // about at the arm filler's surface (armFiller).
  const Tube longHead{{s.grooveTop + f * 0.0015f - a * 0.002f,
                       glm::mix(s.grooveTop, s.grooveBottom, 0.8f) + f * 0.0025f,
                       s.shaft(0.075f) + l * 0.0060f + f * 0.0195f,
                       s.shaft(0.105f) + l * 0.0060f + f * 0.0220f,
                       s.shaft(0.175f) + l * 0.0050f + f * 0.0235f},
                      {0.0022f, 0.0028f, 0.0060f, 0.0090f, 0.0100f}};
  const Tube shortHead{
      {s.coracoidTip + V3(0.002f, -0.004f, 0.001f), s.shaft(0.060f) - l * 0.0060f + f * 0.0190f,
       s.shaft(0.100f) - l * 0.0060f + f * 0.0210f, s.shaft(0.175f) - l * 0.0050f + f * 0.0225f},
      {0.0030f, 0.0045f, 0.0080f, 0.0100f}};
  return bundleMuscle(
      meta("biceps_brachii_left", "muscle", "Biceps (left)", "Musculus biceps brachii",
           "Arm muscles", "left",
           "The two-headed muscle on the front of the upper arm. Its long head starts inside the "
           "shoulder joint and runs down a groove of the arm bone, its short head starts on the "
           "coracoid, a hook of the shoulder blade under the collarbone; together they bend the "
           "elbow and turn the palm up. The long head's tendon in its groove is a common source "
           "of pain at the front of the shoulder.",
           muscleTone(3)),
      {smoothTube(longHead, 4), smoothTube(shortHead, 4)}, 0.006f, 0.0018f, 4000);
}

VolumeDef coracobrachialisLeft() {
  const ShoulderLandmarks& s = shoulderLeft();
  const V3 l = s.lateral, f = kForward;
  // From the tip of the coracoid, with and just behind the short head of biceps, down the inner
  // side of the arm to the middle of the shaft's medial surface (below the arm cut). In the stub
  // it lies on the inner side of the shaft between the short head of biceps in front and the
  // long head of triceps behind, where the bone showed between them from the front.
  const Tube t{
      {s.coracoidTip + V3(0.000f, -0.004f, -0.002f), s.shaft(0.070f) - l * 0.0160f + f * 0.0100f,
       s.shaft(0.110f) - l * 0.0160f + f * 0.0060f, s.shaft(0.150f) - l * 0.0140f + f * 0.0040f},
      {0.0030f, 0.0070f, 0.0080f, 0.0050f}};
  return bundleMuscle(
      meta("coracobrachialis_left", "muscle", "Coracobrachialis (left)",
           "Musculus coracobrachialis", "Arm muscles", "left",
           "A slim muscle on the inner side of the upper arm, from the coracoid, a hook of the "
           "shoulder blade under the collarbone, down to the middle of the arm bone. It draws the "
           "arm forward and in towards the body and helps hold the ball of the shoulder in its "
           "socket.",
           muscleTone(7)),
      {smoothTube(t, 4)}, 0.004f, 0.0018f, 2500);
}

VolumeDef tricepsLongHeadLeft() {
  // Long head of triceps: from the infraglenoid tubercle, just below the glenoid, down the back
  // of the arm behind the humerus, past the arm cut (its tendon reaches the olecranon). It
  // passes behind teres major and in front of teres minor, filling the slit between them, and
  // emerges below the deltoid's posterior border; built after the deltoid, so carved by it.
  const ShoulderLandmarks& s = shoulderLeft();
  const V3 back = -kForward;
  const V3 tubercle = s.humeralHead - s.lateral * 0.030f + V3(0.0f, -0.018f, 0.0f) + back * 0.018f;
  const V3 below = s.shaft(0.175f) - s.lateral * 0.006f + back * 0.019f;
  Fan f;
  f.origin = Curve({tubercle + s.armAxis * 0.006f, tubercle - s.armAxis * 0.006f});
  f.insertion = Curve({below - s.lateral * 0.009f, below + s.lateral * 0.009f});
  f.bulge = back * 0.002f - s.lateral * 0.002f;
  return fanMuscle(
      meta("triceps_long_head_left", "muscle", "Triceps, long head (left)",
           "Caput longum musculi tricipitis brachii", "Arm muscles", "left",
           "The long head of the triceps, the big muscle at the back of the upper arm. It starts "
           "on the shoulder blade just below the shoulder joint, passes between teres minor "
           "and teres major and runs down to the elbow, which it straightens; it also helps "
           "pull the arm back and in.",
           muscleTone(5)),
      f, 6, 0.005f, 0.013f, 0.008f, 0.0019f, 4000);
}

VolumeDef tricepsLateralHeadLeft() {
  const ShoulderLandmarks& s = shoulderLeft();
  const V3 l = s.lateral, back = -kForward;
  // Origin: a line on the back and outer side of the shaft (about 30 degrees out from straight
  // back), from just below the greater tubercle down to above the radial groove; the fibres run
  // down and in to the common tendon behind the shaft, below the arm cut. The belly lies lateral
  // to the long head and under the deltoid's posterior part, and shows between the two.
  const V3 onBone = glm::normalize(l * 0.5f + back * 0.866f) * 0.0140f;
  const V3 tendon = s.shaft(0.200f) + back * 0.0170f + l * 0.0020f;
  constexpr int kBundles = 4;
  std::vector<Tube> bundles;
  for (int i = 0; i < kBundles; ++i) {
    const float u = static_cast<float>(i) / (kBundles - 1);
    const V3 origin = s.shaft(0.035f + 0.075f * u) + onBone;
    const V3 belly = glm::mix(origin, tendon, 0.5f) + back * 0.0050f + l * 0.0030f;
    bundles.push_back(smoothTube(Tube{{origin, belly, tendon}, {0.0040f, 0.0085f, 0.0075f}}, 4));
  }
  return bundleMuscle(
      meta("triceps_lateral_head_left", "muscle", "Triceps, lateral head (left)",
           "Caput laterale musculi tricipitis brachii", "Arm muscles", "left",
           "The outer head of the triceps, on the back of the upper arm just below the deltoid. "
           "It starts on the back of the arm bone and joins the other heads in one tendon to the "
           "elbow, which it straightens, for instance when you push yourself up from a chair.",
           muscleTone(6)),
      std::move(bundles), 0.005f, 0.0018f, 3000);
}

std::vector<Shape> armFiller() {
  const ShoulderLandmarks& s = shoulderLeft();
  const V3 l = s.lateral, a = s.armAxis;
  std::vector<Shape> left;
  // Upper arm around the shaft (brachialis, medial head of triceps): thicker on the
  // medial side, since only the deltoid covers the bone laterally. The modelled arm muscles
  // reach to within about 2 mm of its surface (the lateral head out to 2 mm beyond it), so
  // with the hull's smooth blend they lift the arm's outline by up to about 3 mm.
  {
    const Tube t{{s.shaft(0.010f) - l * 0.006f + kForward * 0.002f,
                  s.shaft(0.220f) - l * 0.006f + kForward * 0.002f},
                 {0.034f, 0.032f}};
    Shape sh;
    sh.box = t.bounds();
    sh.f = [t](const V3& p) { return t(p, 0.0f); };
    left.push_back(sh);
  }
  // Rotator cuff and axilla under the deltoid, between the humeral head, the scapula and the
  // chest wall.
  {
    const V3 c = s.humeralHead - l * 0.005f + a * 0.012f + kForward * 0.012f;
    const V3 r(0.034f, 0.056f, 0.044f);
    Shape sh;
    sh.box = Aabb{c - r, c + r}.padded(0.001f);
    sh.f = [c, r](const V3& p) { return sdEllipsoid(p, c, r); };
    left.push_back(sh);
  }
  return withRightSides(left, mirrored);
}

} // namespace fascia::anatomy
