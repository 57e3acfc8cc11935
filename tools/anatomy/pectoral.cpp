// Pectoralis major: the fan-shaped muscle of the front of the chest. Its clavicular head arises
// from the medial half of the clavicle, its sternocostal head from the front of the sternum and
// the costal cartilages 1-6 (its lowest fibres from the external oblique's aponeurosis), and both
// converge into the anterior fold of the armpit and on to the lateral lip of the intertubercular
// groove of the humerus, under the front of the deltoid. Attachments follow standard atlas
// relations (docs/anatomy.md, landmark table); coordinates are the patient's left side (+x) and
// are mirrored for the right.

#include <algorithm>
#include <cmath>

#include "parts.h"

namespace fascia::anatomy {

namespace {

using V3 = glm::vec3;

/// The radius of the fillet the bed is closed with over the ribs (SheetDef::BedClosing): wider
/// than the gaps between them.
constexpr float kPectoralBedClosing = 0.03f;

/// Outline seen from the front (x, y). Medial border 1.1 cm from the midline down the sternum,
/// so a strip of the breastbone stays bare between the two muscles; top border along the
/// clavicle's front from the sternoclavicular joint to the junction of its middle and lateral
/// thirds; lateral border down and out along the deltopectoral groove to the arm; lower lateral
/// border, the anterior fold of the armpit, from the arm down and in to the sixth cartilage;
/// lower border over the sixth cartilage and the top of the external oblique's aponeurosis back
/// to the sternum.
std::vector<glm::vec2> pectoralOutline() {
  return {// Medial border and along the clavicle (its centre line runs 1.452 m at the joint up to
          // 1.470 m at 10 cm from the midline): the muscle covers the lower half of its front.
          {0.011f, 1.446f},
          {0.025f, 1.448f},
          {0.045f, 1.457f},
          {0.065f, 1.463f},
          {0.085f, 1.467f},
          {0.105f, 1.468f},
          // Towards the deltopectoral groove: the outline reaches out over the deltoid's front
          // border, and keeping clear of the deltoid itself (deltoidClearance) draws the groove.
          {0.125f, 1.468f},
          {0.150f, 1.455f},
          {0.175f, 1.430f},
          {0.200f, 1.405f},
          {0.215f, 1.385f},
          {0.218f, 1.362f},
          // The anterior axillary fold.
          {0.196f, 1.350f},
          {0.172f, 1.337f},
          {0.146f, 1.321f},
          {0.124f, 1.302f},
          {0.106f, 1.283f},
          // Over the sixth cartilage and the aponeurosis to the xiphisternal joint.
          {0.086f, 1.270f},
          {0.060f, 1.267f},
          {0.035f, 1.273f},
          {0.011f, 1.284f}};
}

/// Where the tendon goes: the lateral lip of the intertubercular groove, below the greater
/// tubercle, in front of the shaft (arm.cpp's landmarks). The fibres converge on it.
V3 insertion() {
  const ShoulderLandmarks& s = shoulderLeft();
  return s.shaft(0.045f) + s.lateral * 0.009f + V3(0.0f, 0.0f, 1.0f) * (s.shaftRadius + 0.004f);
}

} // namespace

SheetDef pectoralisMajorLeft() {
  const std::vector<glm::vec2> outline = pectoralOutline();
  // The deltoid lies in the hull the sheet is laid on: the sheet stops 2.5 mm short of it, so the
  // two meet at the deltopectoral groove instead of this one climbing onto the deltoid.
  const Shape deltoid = deltoidLeft().shape;
  const auto deltoidClearance = [deltoid](const V3& p) { return clearOf(deltoid, 0.0025f, p); };
  // Only the front of the body, in front of a plane that slants back from z = 4 cm at 10 cm from
  // the midline to z = -2 mm at 17 cm, and no further back: so the fold is covered round its
  // underside, but the sheet neither reaches into the hollow of the armpit (which the outline
  // seen from the front also takes) nor onto the front of the humerus under the deltoid.
  const auto inFront = [](const V3& p) {
    return std::max(0.040f - 0.60f * (p.x - 0.10f), -0.002f) - p.z;
  };
  SheetDef s;
  s.meta =
      meta("pectoralis_major_left", "muscle", "Pectoralis major (left)",
           "Musculus pectoralis major", "Superficial muscles", "left",
           "The large fan-shaped muscle of the front of the chest, from the inner half of the "
           "collarbone, the breastbone and the upper rib cartilages to the front of the upper arm "
           "bone; its lower edge is the front fold of the armpit. It draws the arm across the body "
           "and turns it inward, as in hugging or a push-up, and a tight pectoralis pulls the "
           "shoulders forward.",
           muscleTone(2));
  const auto footprint = [outline = Polygon2(outline), deltoidClearance, inFront](const V3& p) {
    return std::max(
        {outline(glm::vec2(p.x, p.y)), deltoidClearance(p), inFront(p), keepRegion(p, 0.006f)});
  };
  s.footprint = footprint;
  // About 7 mm thick on the sternum, thickening laterally to 12 mm where the fibres gather into
  // the fold, flattening into its tendon towards the arm, and thinning over 1.4 cm to its borders
  // so neither they nor the rounded fold print through the fat (the fat is laid on a blurred
  // hull, which takes more off a sharp edge).
  s.thickness = [footprint](const V3& p) {
    const float full = mix(0.007f, 0.012f, smoothstep(0.03f, 0.12f, p.x)) *
                       (1.0f - 0.5f * smoothstep(0.13f, 0.18f, p.x));
    return 0.0004f + (full - 0.0004f) * smoothstep(0.0f, 0.014f, -footprint(p));
  };
  s.box = Aabb{V3(0.0f, 1.25f, -0.01f), V3(0.22f, 1.48f, 0.145f)};
  const V3 tendon = insertion();
  s.fibre = [tendon](const V3& p) {
    const V3 d = tendon - p;
    return glm::length(d) > 1e-4f ? glm::normalize(d) : V3(1.0f, 0.0f, 0.0f);
  };
  // On a blurred bed, like serratus anterior: the sternum's edges, the cartilages and the ribs'
  // front ends under it would otherwise print through as bars. Over the ribs the bed is closed
  // first, so the muscle bridges the gaps between them: the sheet lies on the blurred bed joined
  // to the hull, and every rib standing proud of the blur printed through, so the muscle looked
  // like lumpy clay at peel 3 (with a fillet of 2 cm a wave stayed across its middle). Not by
  // the clavicle or the muscle's lower border: there the fillet filled the hollows beside its
  // edges and raised them into ledges (docs/anatomy.md has the numbers).
  s.bedBlur = kSheetBedBlur;
  s.bedClosing = {kPectoralBedClosing, [](const V3& p) {
                    return smoothstep(1.45f, 1.42f, p.y) * smoothstep(1.30f, 1.33f, p.y);
                  }};
  s.triangles = 5000;
  return s;
}

} // namespace fascia::anatomy
