// The muscles of the back of the neck under the trapezius: semispinalis capitis (deepest of the
// three, beside the midline) and the two splenii wrapped over it, splenius cervicis lateral and
// deep to splenius capitis. Coordinates are the patient's left side (+x), mirrored for the right.
//
// The model has no cervical vertebrae above C7 (the neck is filler); the cervical landmarks the
// muscles are placed from are derived from the C7 and T1 levels of skeleton.cpp continued with a
// cervical lordosis (docs/anatomy.md, landmark table, source D):
//   level  body centre (y, z)   spinous tip (y, z)   transverse tip (x)
//   C1     1.624, -0.004        1.622, -0.040        0.040  (atlas: posterior tubercle)
//   C2     1.604,  0.000        1.592, -0.050        0.028
//   C3     1.585,  0.002        1.575, -0.046        0.028
//   C4     1.566,  0.002        1.556, -0.047        0.029
//   C5     1.548,  0.000        1.538, -0.051        0.030
//   C6     1.530, -0.004        1.519, -0.060        0.032
// The skull is above the neck cut (1.64 m, about the level of the atlas and the foramen magnum),
// so every muscle here runs on to its insertion above the cut and ends flat at it.

#include <algorithm>
#include <cmath>
#include <vector>

#include "parts.h"

namespace fascia::anatomy {

namespace {

using V3 = glm::vec3;

/// Insertions on the skull are above the neck cut; the bundles run on to this height so the
/// cut takes them off flat, like the rest of the neck.
constexpr float kAboveCut = 1.668f;

struct Knot {
  V3 p;
  float r;
};

/// A fibre bundle through the given control points and radii, smoothed by a Catmull-Rom spline.
Tube bundle(const std::vector<Knot>& knots) {
  Tube t;
  for (const Knot& k : knots) {
    t.points.push_back(k.p);
    t.radii.push_back(k.r);
  }
  return smoothTube(t, 4);
}

/// A flat muscle as a row of bundles: the given key bundles (the same number of knots each, in
/// order across the sheet) and `between` bundles interpolated between each neighbouring pair,
/// so the sheet is continuous rather than a row of separate cords.
std::vector<Tube> bundleSheet(const std::vector<std::vector<Knot>>& keys, int between) {
  std::vector<Tube> out;
  auto add = [&out](const std::vector<Knot>& knots) { out.push_back(bundle(knots)); };
  for (std::size_t i = 0; i < keys.size(); ++i) {
    add(keys[i]);
    if (i + 1 == keys.size()) break;
    for (int j = 1; j <= between; ++j) {
      const float w = static_cast<float>(j) / static_cast<float>(between + 1);
      std::vector<Knot> mix;
      for (std::size_t k = 0; k < keys[i].size(); ++k)
        mix.push_back({keys[i][k].p * (1.0f - w) + keys[i + 1][k].p * w,
                       keys[i][k].r * (1.0f - w) + keys[i + 1][k].r * w});
      add(mix);
    }
  }
  return out;
}

/// The nuchal ligament: the midline fibrous septum of the back of the neck, from the spinous
/// process of C7 up to the skull, its front border on the cervical spinous processes (their tips
/// in the table above) and its free back border just under the trapezius, which arises from it.
/// The left and right neck muscles and trapezius lie against its two faces; without it, at
/// peel 3 one looked through an 8 mm slit between them right through the (invisible) neck.
/// A plate 9 mm thick in the sagittal plane, built after the neck muscles so the carving trims
/// it to the space left between them.
VolumeDef nuchalLigament() {
  // Outline in the sagittal plane (y, z): the back border bottom to top, 1-2 mm inside the back
  // face of splenius capitis (so the hull, and the trapezius laid on it, do not move), then the
  // front border along the spinous tips top to bottom, back to C7's.
  const std::vector<glm::vec2> outline{
      {1.495f, -0.086f},    {1.520f, -0.077f}, {1.540f, -0.069f}, {1.560f, -0.063f},
      {1.580f, -0.060f},    {1.600f, -0.058f}, {1.625f, -0.061f}, {kAboveCut, -0.061f},
      {kAboveCut, -0.041f}, {1.622f, -0.042f}, {1.592f, -0.049f}, {1.575f, -0.047f},
      {1.556f, -0.048f},    {1.538f, -0.052f}, {1.519f, -0.061f}, {1.500f, -0.080f}};
  constexpr float kHalfThickness = 0.0045f;
  VolumeDef v;
  v.meta = meta("nuchal_ligament", "bone", "Nuchal ligament", "Ligamentum nuchae", "Ligaments",
                "midline",
                "A thin sheet of fibrous tissue in the midline at the back of the neck, running "
                "from the bony bump at the base of the neck up to the back of the skull. It "
                "divides the neck muscles of the two sides and gives them, and the trapezius, "
                "something to pull from; in people it is much slimmer than in grazing animals.",
                kLigamentColour);
  v.shape.box = Aabb{{-kHalfThickness, 1.490f, -0.090f}, {kHalfThickness, kAboveCut, -0.038f}};
  v.shape.f = [outline = Polygon2(outline)](const V3& p) {
    return std::max(outline({p.y, p.z}), std::abs(p.x) - kHalfThickness);
  };
  v.spacing = 0.0012f;
  v.triangles = 2500;
  return v;
}

} // namespace

std::vector<VolumeDef> makeNeckMuscles() {
  std::vector<VolumeDef> left;
  // Semispinalis capitis: from the tips of the transverse processes of C7 and T1-T6 (and the
  // articular processes of C4-C6; only the fibres from C7-T2 are modelled) up beside the
  // nuchal ligament to the occipital bone between the nuchal lines. The thickest muscle of the
  // back of the neck: here about 2.5 cm wide and 1.3 cm deep, on the deep neck (filler) behind
  // the laminae. Its thoracic origins pass between multifidus and
  // longissimus, which were built before and keep that space.
  left.push_back(bundleMuscle(
      meta("semispinalis_capitis_left", "muscle", "Semispinalis capitis (left)",
           "Musculus semispinalis capitis", "Deep muscles", "left",
           "A thick, strap-like muscle on either side of the midline at the back of the neck, "
           "running from the upper chest and lower neck vertebrae up to the back of the skull. It "
           "holds the head up and tips it back, and it works hard all day when the head is "
           "carried forward; tightness here is a common source of headache at the base of the "
           "skull.",
           muscleTone(5)),
      {bundle({{V3(0.014f, 1.540f, -0.038f), 0.0030f},
               {V3(0.011f, 1.580f, -0.043f), 0.0055f},
               {V3(0.010f, 1.625f, -0.046f), 0.0060f},
               {V3(0.010f, kAboveCut, -0.047f), 0.0060f}}),
       bundle({{V3(0.026f, 1.515f, -0.045f), 0.0030f},
               {V3(0.019f, 1.555f, -0.046f), 0.0055f},
               {V3(0.019f, 1.605f, -0.045f), 0.0060f},
               {V3(0.019f, kAboveCut, -0.045f), 0.0055f}}),
       bundle({{V3(0.022f, 1.470f, -0.070f), 0.0030f},
               {V3(0.020f, 1.505f, -0.063f), 0.0050f},
               {V3(0.026f, 1.550f, -0.050f), 0.0055f},
               {V3(0.026f, 1.605f, -0.042f), 0.0048f},
               {V3(0.024f, kAboveCut, -0.040f), 0.0042f}})},
      0.006f, 0.0018f, 3500));
  // Splenius cervicis: from the spinous processes of T3-T6 up and out over the erector spinae,
  // medial to and then under levator scapulae, to the posterior tubercles of the transverse
  // processes of C1-C3 (just behind levator's origin). A thin band, lateral and deep to
  // splenius capitis; it lies under the rhomboids and serratus posterior superior.
  left.push_back(bundleMuscle(
      meta("splenius_cervicis_left", "muscle", "Splenius cervicis (left)",
           "Musculus splenius cervicis", "Intermediate muscles", "left",
           "A thin band from the spine of the upper back, between the shoulder blades, up and "
           "out to the side of the upper neck vertebrae. It turns and tilts the neck to its own "
           "side and, with its partner, bends the neck back; a tight one can give a stiff, "
           "aching neck that is hard to turn.",
           muscleTone(6)),
      bundleSheet({{{V3(0.005f, 1.421f, -0.093f), 0.0025f},
                    {V3(0.028f, 1.455f, -0.086f), 0.0040f},
                    {V3(0.040f, 1.500f, -0.071f), 0.0040f},
                    {V3(0.043f, 1.550f, -0.053f), 0.0040f},
                    {V3(0.040f, 1.618f, -0.026f), 0.0030f}},
                   {{V3(0.005f, 1.396f, -0.095f), 0.0025f},
                    {V3(0.032f, 1.440f, -0.086f), 0.0040f},
                    {V3(0.043f, 1.495f, -0.072f), 0.0040f},
                    {V3(0.045f, 1.548f, -0.051f), 0.0040f},
                    {V3(0.040f, 1.605f, -0.024f), 0.0030f}},
                   {{V3(0.005f, 1.370f, -0.096f), 0.0025f},
                    {V3(0.036f, 1.425f, -0.086f), 0.0040f},
                    {V3(0.046f, 1.490f, -0.072f), 0.0040f},
                    {V3(0.047f, 1.545f, -0.049f), 0.0040f},
                    {V3(0.039f, 1.592f, -0.022f), 0.0030f}},
                   {{V3(0.005f, 1.346f, -0.097f), 0.0025f},
                    {V3(0.039f, 1.410f, -0.085f), 0.0040f},
                    {V3(0.049f, 1.485f, -0.071f), 0.0040f},
                    {V3(0.049f, 1.540f, -0.047f), 0.0040f},
                    {V3(0.038f, 1.580f, -0.021f), 0.0030f}}},
                  1),
      0.005f, 0.0018f, 3000));
  // Splenius capitis: from the lower half of the nuchal ligament (C4-C7) and the spinous
  // processes of C7-T3 up and out, wrapped over semispinalis capitis and the cervical part of
  // longissimus, to the mastoid process and the lateral part of the superior nuchal line; the
  // lowest fibres reach the mastoid. Between the upper trapezius and levator scapulae it forms
  // the floor of the upper back of the neck, where its trigger point lies (C2-C3). From just
  // below the cut its fibres lie on a straight line from behind semispinalis to the mastoid: the
  // cut face is closed by a fan from its centre, which needs an outline that does not curl.
  left.push_back(bundleMuscle(
      meta("splenius_capitis_left", "muscle", "Splenius capitis (left)",
           "Musculus splenius capitis", "Intermediate muscles", "left",
           "A flat muscle wrapped like a bandage over the back of the neck, from the lower neck "
           "and upper chest spine up and out to the bony bump behind the ear. It turns the head "
           "to its own side and, with its partner, tips the head back; it is strained in "
           "whiplash and by a head held forward, and can send pain to the top of the head.",
           muscleTone(7)),
      bundleSheet({{{V3(0.005f, 1.56f, -0.053f), 0.0025f},
                    {V3(0.009f, 1.585f, -0.055f), 0.0042f},
                    {V3(0.013f, 1.605f, -0.057f), 0.0042f},
                    {V3(0.019f, 1.628f, -0.0625f), 0.0042f},
                    {V3(0.02f, kAboveCut, -0.0625f), 0.0042f}},
                   {{V3(0.005f, 1.528f, -0.062f), 0.0025f},
                    {V3(0.016f, 1.575f, -0.057f), 0.0042f},
                    {V3(0.022f, 1.605f, -0.055f), 0.0042f},
                    {V3(0.0258f, 1.628f, -0.0565f), 0.0042f},
                    {V3(0.0264f, kAboveCut, -0.0565f), 0.0042f}},
                   {{V3(0.005f, 1.503f, -0.08f), 0.0025f},
                    {V3(0.021f, 1.545f, -0.064f), 0.0042f},
                    {V3(0.031f, 1.595f, -0.051f), 0.0042f},
                    {V3(0.0325f, 1.628f, -0.0495f), 0.0042f},
                    {V3(0.0328f, kAboveCut, -0.0488f), 0.0042f}},
                   {{V3(0.005f, 1.478f, -0.086f), 0.0025f},
                    {V3(0.025f, 1.52f, -0.074f), 0.0042f},
                    {V3(0.04f, 1.585f, -0.047f), 0.0042f},
                    {V3(0.0395f, 1.628f, -0.0425f), 0.0042f},
                    {V3(0.0395f, kAboveCut, -0.0412f), 0.0042f}},
                   {{V3(0.005f, 1.451f, -0.09f), 0.0025f},
                    {V3(0.029f, 1.495f, -0.08f), 0.0042f},
                    {V3(0.046f, 1.57f, -0.042f), 0.0042f},
                    {V3(0.046f, 1.628f, -0.034f), 0.0042f},
                    {V3(0.046f, kAboveCut, -0.0325f), 0.0042f}},
                   {{V3(0.005f, 1.424f, -0.093f), 0.0025f},
                    {V3(0.032f, 1.47f, -0.084f), 0.0042f},
                    {V3(0.05f, 1.555f, -0.036f), 0.0042f},
                    {V3(0.052f, 1.628f, -0.0235f), 0.0042f},
                    {V3(0.052f, kAboveCut, -0.022f), 0.0042f}}},
                  1),
      0.006f, 0.0018f, 4500));
  std::vector<VolumeDef> out = withRightSides(left, mirroredVolume);
  out.push_back(nuchalLigament());
  return out;
}

} // namespace fascia::anatomy
