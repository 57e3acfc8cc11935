// Serratus anterior: the saw-toothed muscle of the side of the chest. Its slips arise from the
// outer surfaces of the upper eight or nine ribs and run back round the chest wall, deep to the
// scapula, to the costal face of its medial border. Only the part on the side of the chest is
// modelled: the model's scapula and the muscles on it (subscapularis is not modelled) are part of
// the body hull, so a sheet laid on the hull cannot pass under them. It ends in front of the
// scapula's lateral border and teres major, and latissimus dorsi, laid later, covers its back
// part, as in the body. Attachments follow standard atlas relations (docs/anatomy.md, landmark
// table); coordinates are the patient's left side (+x) and are mirrored for the right.

#include <algorithm>
#include <cmath>

#include "parts.h"

namespace fascia::anatomy {

namespace {

using V3 = glm::vec3;

constexpr float kDeg = 3.14159265f / 180.0f;
/// Nominal radius of the chest wall at ribs 3-7 (the ribs lie 0.11-0.14 m from the flank axis):
/// it turns flank angles into about metres, so the outline below has metric offsets.
constexpr float kChestRadius = 0.13f;

/// Chart coordinates of p: arc length round the flank axis, height.
glm::vec2 chestChart(const V3& p) { return {kChestRadius * flankAngle(p), p.y}; }

/// The chart point on (dy above) the centre line of rib k at flank angle a (degrees).
glm::vec2 onRib(int k, float a, float dy = 0.0f) {
  return {kChestRadius * a * kDeg, ribAtFlankAngle(k, a * kDeg).y + dy};
}

/// Outline of the sheet in the chest chart. The front border is a row of slips, one on each of
/// ribs 2-5, the notches between them drawn back along the fibres; the slips on ribs 5-9 reach
/// forward past the external oblique's upper border (to 43 degrees) and the footprint is then cut
/// by the oblique, so the two interdigitate edge to edge: this muscle fills the notches between
/// the oblique's slips on ribs 5-10. Rib 1's slip lies deep in the root of the neck (filler in
/// the model), so the top border follows the upper edge of rib 2 from its slip back to the
/// axilla. The back border runs down in front of the posterior fold of the armpit (teres major
/// and latissimus, about -13 degrees) and then back under latissimus dorsi towards the inferior
/// angle.
std::vector<glm::vec2> serratusOutline() {
  std::vector<glm::vec2> poly;
  // Top border, back to front, 8 mm above rib 2's centre line (its slip covers the rib).
  poly.push_back({kChestRadius * -10.0f * kDeg, 1.452f});
  for (float a : {-12.0f, -2.0f, 8.0f, 17.0f})
    poly.push_back(onRib(2, a, 0.008f));
  // Slips on ribs 2-5: tips on the rib, notches between them 1 cm back along the fibres (which
  // run back and a little up from the front ends).
  constexpr float kTip[] = {24.0f, 27.0f, 31.0f, 37.0f}; // ribs 2..5, degrees
  const glm::vec2 back = glm::normalize(glm::vec2(-1.0f, 0.25f));
  for (int k = 2; k <= 5; ++k) {
    const glm::vec2 tip = onRib(k, kTip[k - 2]);
    if (k > 2) {
      const glm::vec2 previous = onRib(k - 1, kTip[k - 3]);
      poly.push_back(0.5f * (previous + tip) + back * 0.010f);
    }
    poly.push_back(tip);
  }
  // Ribs 5-9: well forward, into the notches of the external oblique, which cuts the rest.
  poly.push_back(onRib(6, 43.0f));
  poly.push_back(onRib(7, 43.0f));
  poly.push_back(onRib(8, 40.0f, -0.006f));
  poly.push_back(onRib(9, 34.0f, -0.012f));
  // Lower border: just above rib 10, then up and back under latissimus towards the inferior
  // angle of the scapula (its lowest slips end there).
  for (float a : {18.0f, 8.0f, -2.0f, -12.0f})
    poly.push_back(onRib(10, a, 0.004f));
  poly.push_back(onRib(9, -26.0f, -0.004f));
  poly.push_back(onRib(8, -38.0f));
  // Back border: up in front of the inferior angle and then, from 1.35 m, 13 degrees behind the
  // side, in front of the posterior fold of the armpit (teres major with latissimus dorsi
  // wrapping round it; the scapula's lateral border lies at -50 to -26 degrees from its inferior
  // angle up to the glenoid). Reaching into the crease behind the fold, it pushed latissimus out
  // of it (the latissimus trigger point of the library is placed there).
  poly.push_back({kChestRadius * -40.0f * kDeg, 1.300f});
  poly.push_back({kChestRadius * -20.0f * kDeg, 1.325f});
  poly.push_back({kChestRadius * -8.0f * kDeg, 1.350f});
  poly.push_back({kChestRadius * -8.0f * kDeg, 1.420f});
  return poly;
}

/// How far the serratus reaches over the external oblique's border (serratusAnteriorLeft).
constexpr float kOverObliqueBorder = 0.015f;

/// Negative in the region the serratus may cover at all: the left chest wall within reach of
/// the ribs (not out on the arm or the shoulder), inside the model's cuts.
float chestWallRegion(const V3& p) {
  const float r = std::sqrt(p.x * p.x + (p.z - 0.02f) * (p.z - 0.02f));
  // In the armpit the deltoid and the soft tissue of the arm come within 19 cm of the axis.
  // Between the deltoid's front border and the anterior fold (1.345-1.362 m, z 1-2.4 cm, that is
  // from 1 cm behind the flank axis to 4 mm in front of it, fading out over 1.330-1.368 m and z
  // 0.4-3 cm) the muscle reaches on over the fat of the armpit (filler), which stands
  // out to 18.7 cm there: cut at 18.2 cm, it left a window through which one looked from the
  // side into the chest and out through the other armpit. Further back or up it would run into
  // the deltoid and coracobrachialis.
  const float window = smoothstep(1.330f, 1.345f, p.y) * smoothstep(1.368f, 1.362f, p.y) *
                       smoothstep(0.004f, 0.010f, p.z) * smoothstep(0.030f, 0.024f, p.z);
  const float reach = 0.182f + 0.010f * window - 0.008f * smoothstep(1.38f, 1.44f, p.y);
  return std::max({0.05f - p.x, r - reach, keepRegion(p, 0.006f)});
}

} // namespace

SheetDef serratusAnteriorLeft(const Sdf& obliqueFootprint) {
  const std::vector<glm::vec2> outline = serratusOutline();
  SheetDef s;
  s.meta = meta(
      "serratus_anterior_left", "muscle", "Serratus anterior (left)", "Musculus serratus anterior",
      "Intermediate muscles", "left",
      "A broad, saw-toothed muscle on the side of the chest, with finger-like slips on the upper "
      "eight or nine ribs that run back round the chest wall under the shoulder blade to its inner "
      "edge. It holds the shoulder blade flat against the ribs and turns it upward when you lift "
      "your arm above your head. When it is weak, the inner edge of the shoulder blade lifts off "
      "the back, a winged shoulder blade.",
      muscleTone(5));
  // Over the external oblique's edge: where the two outlines meet, this one reaches 1.5 cm over
  // the oblique's border. It lies on the hull the oblique has already thickened, so it rests on
  // the oblique, its thin edge on the oblique's full thickness: stopping short of the border
  // left a slit through which the ribs showed when seen from the front. The front view sees
  // this side of the chest at a grazing angle, so reaching only 2 mm over, where both thin to
  // 0.4 mm, it still left the side wall of the oblique's edge open to view as two slits on ribs
  // 7-9 (47 rays of a 2 mm grid met a rib there; 5 mm halved the slits). At 1 cm, with the
  // oblique laid on the hull itself, two slits 1-2 mm wide remained a side where the oblique
  // dipped into a slot in the hull at the costal margin (12-14 rays of a 1 x 2 mm grid a side
  // met rib 9 or went through the chest); the oblique now lies on a blurred bed.
  const auto footprint = [outline = Polygon2(outline), obliqueFootprint](const V3& p) {
    return std::max(
        {outline(chestChart(p)), -kOverObliqueBorder - obliqueFootprint(p), chestWallRegion(p)});
  };
  s.footprint = footprint;
  // 4.5 mm thick, thinning over 1 cm to its borders (the slips are thin), so its edges do not
  // print through the fat as steps.
  s.thickness = [footprint](const V3& p) {
    return 0.0004f + (0.0045f - 0.0004f) * smoothstep(0.0f, 0.010f, -footprint(p));
  };
  // The box's x = 0.19 clips the armpit window of chestWallRegion (which reaches 0.192) flat,
  // and that clip helps close it: at 0.20 the window opened again (23 rays of a 2.5 mm grid
  // from the side met nothing).
  s.box = Aabb{V3(0.05f, 1.17f, -0.12f), V3(0.19f, 1.47f, 0.15f)};
  // From each slip back (and, for the lower slips, up) round the chest wall towards the medial
  // border of the scapula: the upper slips to its superior angle, the middle ones to the border
  // between, the lower ones (ribs 5-9), the largest part, to the inferior angle. fillFibres lays
  // the direction into the surface.
  const V3 superiorAngle(0.073f, 1.476f, -0.078f), inferiorAngle(0.086f, 1.322f, -0.084f);
  s.fibre = [superiorAngle, inferiorAngle](const V3& p) {
    const V3 target =
        superiorAngle + (inferiorAngle - superiorAngle) * smoothstep(1.45f, 1.33f, p.y);
    const V3 d = target - p;
    return glm::length(d) > 1e-4f ? glm::normalize(d) : V3(0.0f, 0.0f, -1.0f);
  };
  // On a blurred bed (8 passes, about 9 mm), like latissimus dorsi: the hull here is the ribs
  // smoothly joined with the intercostal bands, and the smooth union stands each rib up as a
  // ridge 3-4 mm high (where rib and band surfaces meet, the blend pushes outward); laid on the
  // hull itself the sheet printed every rib as a bar. On the bed it lies over them as one wall,
  // its digitations still showing where they end.
  s.bedBlur = kSheetBedBlur;
  // At 4000 triangles a face, at the split budget (splitBentEdges), thin light streaks 1-2 cm
  // long showed on its slips in the side view at peel 3: long triangles whose interpolated
  // normals stray from the surface's.
  s.triangles = 6000;
  return s;
}

} // namespace fascia::anatomy
