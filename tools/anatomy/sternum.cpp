// The front of the rib cage: the sternum (manubrium, body, xiphoid process) and the costal
// cartilages that join the front ends of the ribs to it. Heights follow docs/anatomy.md (landmark
// table): the jugular notch at the T2-T3 disc, the sternal angle at the second costal cartilage
// (T4-T5 disc), the xiphisternal joint at T9. Coordinates are the patient's left side (+x),
// mirrored for the right.

#include <algorithm>
#include <cmath>
#include <string>

#include "parts.h"

namespace fascia::anatomy {

namespace {

using V3 = glm::vec3;

/// One height of the sternum: half width, half thickness (front to back) and the z of its
/// middle. Its front lies 1-4 mm in front of the chest filler (the mediastinum behind it), and it
/// leans forward going down, about 7.5 degrees from the vertical.
struct SternumRow {
  float y, halfWidth, halfThickness, centreZ;
};

// Manubrium: about 5 cm wide at the clavicular notches and 5 cm long, narrowing to the sternal
// angle, where it meets the body at a slight forward angle (the palpable angle of Louis). Body:
// about 11 cm long, widest at the fourth and fifth cartilages, narrow at the xiphisternal joint.
// Xiphoid: a thin tongue about 4 cm long, bent a little backwards.
constexpr SternumRow kSternum[] = {
    {1.452f, 0.0255f, 0.0070f, 0.0905f}, {1.430f, 0.0245f, 0.0075f, 0.0955f},
    {1.412f, 0.0170f, 0.0068f, 0.1010f}, {1.405f, 0.0150f, 0.0065f, 0.1040f},
    {1.390f, 0.0150f, 0.0058f, 0.1035f}, {1.350f, 0.0180f, 0.0055f, 0.1075f},
    {1.315f, 0.0165f, 0.0052f, 0.1100f}, {1.297f, 0.0120f, 0.0048f, 0.1110f},
    {1.288f, 0.0085f, 0.0035f, 0.1095f}, {1.262f, 0.0050f, 0.0028f, 0.1045f},
    {1.255f, 0.0035f, 0.0025f, 0.1035f}};

constexpr float kJugularNotch = 1.452f;
constexpr float kSternalAngle = 1.405f;
constexpr float kXiphisternalJoint = 1.297f;

/// The rows linearly interpolated at height y (clamped to the sternum's ends).
SternumRow sternumAt(float y) {
  const int n = static_cast<int>(std::size(kSternum));
  if (y >= kSternum[0].y) return kSternum[0];
  if (y <= kSternum[n - 1].y) return kSternum[n - 1];
  int i = 1;
  while (i + 1 < n && kSternum[i].y > y)
    ++i;
  const SternumRow& a = kSternum[i - 1];
  const SternumRow& b = kSternum[i];
  const float t = (a.y - y) / (a.y - b.y);
  return {y, mix(a.halfWidth, b.halfWidth, t), mix(a.halfThickness, b.halfThickness, t),
          mix(a.centreZ, b.centreZ, t)};
}

/// The sternum: in each horizontal slice a rounded rectangle, its size from kSternum, capped at
/// the jugular notch (a shallow dip in the middle of the top) and the xiphoid's tip. Scaled down
/// a little so it stays a lower bound where the rows change with height. The clavicles, built
/// before it, carve the clavicular notches into the corners of the manubrium.
Shape sternumShape() {
  Shape s;
  s.box = Aabb{V3(-0.030f, 1.250f, 0.080f), V3(0.030f, 1.458f, 0.120f)};
  s.f = [](const V3& p) {
    const SternumRow r = sternumAt(p.y);
    const float round = 0.9f * r.halfThickness;
    const glm::vec2 q(std::abs(p.x) - r.halfWidth + round,
                      std::abs(p.z - r.centreZ) - r.halfThickness + round);
    const float slice =
        glm::length(glm::max(q, glm::vec2(0.0f))) + std::min(std::max(q.x, q.y), 0.0f) - round;
    const float notch = 0.006f * std::exp(-(p.x / 0.008f) * (p.x / 0.008f));
    const float ends =
        std::max(p.y - (kJugularNotch - notch), kSternum[std::size(kSternum) - 1].y - p.y);
    constexpr float kEdge = 0.002f;
    const glm::vec2 w(slice + kEdge, ends + kEdge);
    return 0.85f *
           (glm::length(glm::max(w, glm::vec2(0.0f))) + std::min(std::max(w.x, w.y), 0.0f) - kEdge);
  };
  return s;
}

/// Where costal cartilage k (1..7) meets the lateral edge of the sternum: the first just below
/// the clavicular notch, the second at the sternal angle, the seventh at the xiphisternal joint,
/// the lower ones crowded together on the lower body.
V3 sternalEnd(int k) {
  constexpr float kHeights[] = {
      1.436f, kSternalAngle, 1.378f, 1.352f, 1.327f, 1.308f, kXiphisternalJoint + 0.002f};
  const float y = kHeights[k - 1];
  const SternumRow r = sternumAt(y);
  // A little inside the edge: the sternum, built first, carves the cartilage's end to fit it.
  return {r.halfWidth - 0.002f, y, r.centreZ};
}

/// Unit direction of left rib k at its front end.
V3 ribEndDirection(int k) {
  const std::vector<V3> path = ribPath(k);
  return glm::normalize(path[path.size() - 1] - path[path.size() - 2]);
}

/// A cubic Bezier from a (leaving along ta) to b (arriving along tb), n + 1 points.
std::vector<V3> bezier(const V3& a, const V3& ta, const V3& b, const V3& tb, int n) {
  const float l = glm::length(b - a) / 3.0f;
  const V3 c1 = a + ta * l, c2 = b - tb * l;
  std::vector<V3> out;
  for (int i = 0; i <= n; ++i) {
    const float t = static_cast<float>(i) / static_cast<float>(n);
    const float u = 1.0f - t;
    out.push_back(u * u * u * a + 3.0f * u * u * t * c1 + 3.0f * u * t * t * c2 + t * t * t * b);
  }
  return out;
}

} // namespace

/// The centre lines of the left costal cartilages 1-10 with their radii. Each starts at its
/// rib's front end, thinner than the rib there (the rib, built first, carves a cup into it that
/// fits over the rib's rounded end, the costochondral joint, without leaving a thin rim round
/// it), and leaves along the rib, reaching its full width within a centimetre. Those of
/// the true ribs (1-7) run forward and medially, the lower ones rising more and more steeply, to
/// the sternum; those of ribs 8-10 rise to the cartilage above and merge with it, so with the
/// seventh they form the costal margin.
std::vector<Tube> costalCartilageTubes() {
  std::vector<Tube> tubes;
  std::vector<std::vector<V3>> lines;
  // About as thick as the ribs' front ends (the first broader); at the start, thinner than any.
  constexpr float kRadius[] = {0.0056f, 0.0046f, 0.0045f, 0.0045f, 0.0045f,
                               0.0045f, 0.0045f, 0.0043f, 0.0042f, 0.0040f};
  constexpr float kStartRadius = 0.0030f;
  for (int k = 1; k <= 10; ++k) {
    const V3 end = ribPath(k).back();
    const V3 d = ribEndDirection(k);
    V3 target, arrive;
    if (k <= 7) {
      target = sternalEnd(k);
      // Into the sternum's edge medially, rising like the cartilage as a whole.
      arrive = glm::normalize(glm::normalize(target - end) + V3(-1.0f, 0.0f, 0.0f));
    } else {
      // Onto the lower border of the cartilage above, two fifths of the way from its rib.
      const std::vector<V3>& above = lines[static_cast<std::size_t>(k - 2)];
      const std::size_t i = above.size() * 2 / 5;
      target = above[i] - V3(0.0f, kRadius[k - 2] * 0.5f, 0.0f);
      arrive = glm::normalize(above[i + 1] - above[i - 1]);
    }
    std::vector<V3> line = bezier(end, d, target, arrive, 12);
    lines.push_back(line);
    Tube t;
    for (std::size_t i = 0; i < line.size(); ++i) {
      t.points.push_back(line[i]);
      t.radii.push_back(i == 0 ? kStartRadius : kRadius[k - 1]);
    }
    tubes.push_back(std::move(t));
  }
  return tubes;
}

TubeBlend costalCartilageField() { return TubeBlend(costalCartilageTubes(), 0.004f); }

std::vector<VolumeDef> makeSternumAndCostalCartilages() {
  std::vector<VolumeDef> out;
  {
    VolumeDef v;
    v.meta = meta(
        "sternum", "bone", "Sternum (breastbone)", "Sternum", "Ribs", "midline",
        "The flat breastbone in the middle of the front of the chest, made of three parts: the "
        "manubrium at the top, between the collarbones, the long body, and the small xiphoid "
        "process at its lower tip. The ribs' cartilages join its edges, and the ridge where the "
        "manubrium meets the body, the sternal angle, is where you count the ribs from, "
        "starting with the second.",
        {0.90f, 0.86f, 0.74f});
    v.shape = sternumShape();
    v.spacing = 0.0011f;
    v.triangles = 5000;
    v.carve = true; // the clavicles make its clavicular notches
    out.push_back(std::move(v));
  }
  {
    const std::vector<Tube> tubes = costalCartilageTubes();
    Aabb box;
    for (const Tube& t : tubes)
      box.extend(t.bounds());
    VolumeDef v;
    // Cartilage, not bone: its own colour, so it reads apart from the ribs.
    v.meta = meta(
        "costal_cartilages_left", "bone", "Costal cartilages (left)",
        "Cartilagines costales sinistrae", "Ribs", "left",
        "The bars of cartilage that continue the left ribs forward: those of the first seven ribs "
        "join the breastbone, those of ribs 8 to 10 join the cartilage above and, with the "
        "seventh, "
        "form the lower edge of the rib cage, the costal margin. Their give lets the chest expand "
        "when you "
        "breathe in; the joints at either end can become sore, as in costochondritis.",
        kCartilageColour);
    v.shape = culledShape(costalCartilageField(), box.padded(0.003f));
    v.spacing = 0.0012f;
    v.triangles = 6000;
    v.carve = true; // fits over the ribs' front ends and into the sternum's notches
    out.push_back(v);
    out.push_back(mirroredVolume(v));
  }
  return out;
}

} // namespace fascia::anatomy
