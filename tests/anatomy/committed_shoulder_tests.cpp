// The committed model's shoulder blade and upper arm: the muscles that fill the scapula's fossae,
// the humerus in its socket under the rounded deltoid, and the muscles over the humeral shaft.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <glm/geometric.hpp>
#include <glm/gtc/constants.hpp>
#include <glm/vec2.hpp>
#include <glm/vec3.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "committed_model.h"
#include "mesh_ops.h"
#include "parts.h"

namespace fascia::anatomy {
namespace {

using test::committed;
using test::committedMesh;
using test::firstFromBehind;
using test::firstMuscleOrBone;
using test::rayHit;

TEST(CommittedModel, InfraspinatusFillsItsFossa) {
  // Issue 5: at peel 3 a 3 cm band of bare infraspinous fossa showed below the spine of the
  // scapula (infraspinatus arose from the medial border only), and serratus posterior superior
  // rode over the fossa's medial part (a sheet laid on the hull cannot pass under the scapula):
  // of these rays 43 met the scapula or serratus posterior superior first. Rays from behind into
  // the fossa (the triangle of the spine's root, the inferior and the lateral angle, drawn 15 %
  // in towards its centre) must meet infraspinatus or a superficial muscle on it.
  const auto& m = committed();
  const auto& structures = m.manifest.at("structures");
  const glm::vec2 root(0.071f, 1.421f), inferior(0.086f, 1.322f), lateral(0.142f, 1.412f);
  const glm::vec2 centre = (root + inferior + lateral) / 3.0f;
  int rays = 0, infraspinatus = 0;
  for (int i = 0; i <= 12; ++i) {
    for (int j = 0; i + j <= 12; ++j) {
      const float a = static_cast<float>(i) / 12.0f, b = static_cast<float>(j) / 12.0f;
      const glm::vec2 q =
          centre + 0.85f * (root + a * (inferior - root) + b * (lateral - root) - centre);
      for (float side : {1.0f, -1.0f}) {
        const std::string hit =
            firstMuscleOrBone(m.meshes, structures, {side * q.x, q.y, -0.3f}, {0.0f, 0.0f, 1.0f});
        ++rays;
        if (hit.rfind("infraspinatus", 0) == 0) ++infraspinatus;
        EXPECT_TRUE(hit.rfind("infraspinatus", 0) == 0 || hit.rfind("deltoid", 0) == 0 ||
                    hit.rfind("trapezius", 0) == 0 || hit.rfind("latissimus", 0) == 0 ||
                    hit.rfind("teres_major", 0) == 0 || hit.rfind("teres_minor", 0) == 0)
            << hit << " at x " << side * q.x << ", y " << q.y;
      }
    }
  }
  EXPECT_GT(rays, 150);
  EXPECT_GT(infraspinatus, rays / 2);
}

// Infraspinatus' tendon runs on under the deltoid to the greater tubercle. Laid on the hull,
// which held the deltoid, its lateral end rode 1.8 cm up over the deltoid's posterior border
// (a flat-faced block at the back of the shoulder at peel 3), and the investing fascia over it
// ran on over the deltoid as a flap at peel 2. Both are laid on the hull without the deltoid
// now (SheetDef::passesUnder) and end where they meet it, without opening a slot onto the
// scapula along its border.
TEST(CommittedModel, InfraspinatusPassesUnderTheDeltoid) {
  const auto& m = committed();
  const auto& structures = m.manifest.at("structures");
  const glm::vec3 forward(0.0f, 0.0f, 1.0f);
  int deltoidRays = 0, over = 0, borders = 0, slots = 0;
  for (const char* side : {"left", "right"}) {
    const float sign = side[0] == 'l' ? 1.0f : -1.0f;
    const TriMesh& deltoid = committedMesh(std::string("deltoid_") + side);
    // Below the spine of the scapula, which is bare between trapezius and the deltoid.
    for (int row = 0; row <= 7; ++row) {
      const float y = 1.36f + 0.008f * static_cast<float>(row);
      std::vector<std::string> firstSolid; // the first muscle or bone of each column
      for (int column = 0; column <= 40; ++column) {
        const glm::vec3 o(sign * (0.12f + 0.0015f * static_cast<float>(column)), y, -0.40f);
        const std::string first = firstFromBehind(m, o.x, o.y);
        firstSolid.push_back(firstMuscleOrBone(m.meshes, structures, o, forward));
        if (!rayHit(deltoid, o, forward)) continue;
        ++deltoidRays;
        if (first.rfind("infraspinatus", 0) == 0 || first.rfind("investing_fascia", 0) == 0) {
          ++over;
          ADD_FAILURE() << first << " over the deltoid at x " << o.x << ", y " << y;
        }
      }
      // Where the deltoid's border is first met from the midline out, 3 mm medial to it the
      // ray must meet a muscle, not the scapula.
      for (std::size_t c = 2; c < firstSolid.size(); ++c) {
        if (firstSolid[c].rfind("deltoid", 0) != 0) continue;
        ++borders;
        if (firstSolid[c - 2].rfind("scapula", 0) == 0) {
          ++slots;
          ADD_FAILURE() << "the scapula shows 3 mm medial to the deltoid's border at y " << y
                        << " (" << side << ")";
        }
        break;
      }
    }
  }
  EXPECT_GT(deltoidRays, 150);
  EXPECT_GE(borders, 12);
  RecordProperty("over", std::to_string(over));
  RecordProperty("slots", std::to_string(slots));
  RecordProperty("deltoid_rays", std::to_string(deltoidRays));
}

TEST(CommittedModel, TeresMinorFillsTheGapBelowInfraspinatus) {
  // Issue 5: without teres minor a pit opened between infraspinatus, teres major and the
  // deltoid, through which serratus anterior on the chest wall showed from behind and into which
  // the skin sank. Rays from behind over the lateral border of the scapula, below the spine and
  // above teres major, must meet one of the muscles of the shoulder blade first: of these rays
  // 60 met serratus anterior or pectoralis major first before. Out to 18 cm: at 17 cm, between
  // teres minor and teres major, a slit showed serratus anterior until the long head of triceps,
  // which passes there, was modelled (two rays, one a side at 17 cm, met serratus anterior).
  const auto& m = committed();
  const auto& structures = m.manifest.at("structures");
  int rays = 0, deep = 0;
  for (float x = 0.120f; x <= 0.1801f; x += 0.005f)
    for (float y = 1.360f; y <= 1.4001f; y += 0.004f)
      for (float side : {1.0f, -1.0f}) {
        const std::string hit =
            firstMuscleOrBone(m.meshes, structures, {side * x, y, -0.3f}, {0.0f, 0.0f, 1.0f});
        ++rays;
        const bool ok = hit.rfind("infraspinatus", 0) == 0 || hit.rfind("teres_", 0) == 0 ||
                        hit.rfind("deltoid", 0) == 0 || hit.rfind("latissimus", 0) == 0 ||
                        hit.rfind("triceps_long_head", 0) == 0;
        if (!ok) ++deep;
        EXPECT_TRUE(ok) << (hit.empty() ? "nothing" : hit) << " at x " << side * x << ", y " << y;
      }
  EXPECT_EQ(rays, 2 * 13 * 11);
  RecordProperty("deep_first", std::to_string(deep));
}

TEST(CommittedModel, UpperArmShaftIsCoveredByMuscle) {
  // Issue 5: with skin, fat and fascia peeled, the humeral shaft below the deltoid was bare in
  // front and behind (only the deltoid and the long head of triceps were modelled): a white
  // strip of bone down the arm stub in the front and back views. Rays towards the shaft's axis
  // from the front, the outer side and the back, 6 to 12 cm down the shaft (the cut is at 12.9
  // cm), must meet a muscle first: on the model without biceps and the lateral head of triceps
  // 16 of these 100 rays met the humerus (in front and front-inner 9-12 cm down, behind and
  // front-outer at 12 cm). Most of the others meet the deltoid, so the rays where the new
  // muscles lie are also asked for them by name.
  const auto& m = committed();
  const auto& structures = m.manifest.at("structures");
  const ShoulderLandmarks& s = shoulderLeft();
  const glm::vec3 forward(0.0f, 0.0f, 1.0f);
  int bone = 0;
  for (float side : {1.0f, -1.0f}) {
    const glm::vec3 mirror(side, 1.0f, 1.0f);
    for (int i = 0; i < 5; ++i)
      for (int j = -1; j <= 8; ++j) {
        // From straight in front (j = 0) round the outer side (j = 4) to behind (j = 8); j = -1
        // is the front and inner edge of the arm (further in, the chest lies in the way).
        const float t = 0.060f + 0.015f * static_cast<float>(i);
        const float angle = static_cast<float>(j) * 0.125f * glm::pi<float>();
        const glm::vec3 dir = mirror * (std::cos(angle) * forward + std::sin(angle) * s.lateral);
        const std::string hit =
            firstMuscleOrBone(m.meshes, structures, mirror * s.shaft(t) + 0.3f * dir, -dir);
        const std::string where = " at " + std::to_string(t * 100.0f) + " cm down the shaft, " +
                                  std::to_string(j * 22.5f) + " degrees out from the front, side " +
                                  std::to_string(side);
        if (hit.rfind("humerus", 0) == 0) ++bone;
        EXPECT_TRUE(!hit.empty() && hit.rfind("humerus", 0) != 0)
            << (hit.empty() ? "nothing" : hit) << where;
        if (i >= 3 && j == 0) {
          EXPECT_EQ(hit.rfind("biceps_brachii", 0), 0u) << hit << where;
        }
        if (i == 4 && j == 8) {
          EXPECT_EQ(hit.rfind("triceps_lateral_head", 0), 0u) << hit << where;
        }
      }
  }
  RecordProperty("bone_first", std::to_string(bone));
  // Seen from straight in front, as in the anterior view, a strip of the shaft's inner side
  // showed between the biceps and the long head of triceps until coracobrachialis was
  // modelled: of these rays, within 1.5 cm of the shaft's axis, 6 to 12 cm down, 4 met the
  // humerus first (two a side, 8-8.5 cm down and 1.2 cm to the inner side). The innermost
  // ones from 8 cm down now meet coracobrachialis.
  for (float side : {1.0f, -1.0f}) {
    const glm::vec3 mirror(side, 1.0f, 1.0f);
    for (int i = 0; i <= 12; ++i)
      for (int k = -5; k <= 5; ++k) {
        const float t = 0.060f + 0.005f * static_cast<float>(i);
        const glm::vec3 p = mirror * (s.shaft(t) + s.lateral * (0.003f * static_cast<float>(k)));
        const std::string hit = firstMuscleOrBone(m.meshes, structures, {p.x, p.y, 0.3f}, -forward);
        EXPECT_NE(hit.rfind("humerus", 0), 0u)
            << "from the front at x " << p.x << ", y " << p.y << ": " << hit;
        if (k == -5 && i >= 4) {
          EXPECT_EQ(hit.rfind("coracobrachialis", 0), 0u)
              << "from the front at x " << p.x << ", y " << p.y << ": " << hit;
        }
      }
  }
}

TEST(CommittedModel, HumerusSitsInTheGlenoidUnderTheDeltoid) {
  for (const char* side : {"_left", "_right"}) {
    const TriMesh& humerus = committedMesh(std::string("humerus") + side);
    const TriMesh& scapula = committedMesh(std::string("scapula") + side);
    const TriMesh& deltoid = committedMesh(std::string("deltoid") + side);
    const float sign = side[1] == 'l' ? 1.0f : -1.0f;
    // The joint space: the head's nearest point to the scapula is about a millimetre away.
    float gap = 1e9f;
    for (const glm::vec3& p : humerus.positions)
      if (p.y > 1.39f)
        for (const glm::vec3& q : scapula.positions)
          gap = std::min(gap, glm::length(p - q));
    EXPECT_GT(gap, 0.0005f) << side;
    EXPECT_LT(gap, 0.004f) << side;
    // The deltoid caps the shoulder: it reaches further out than the upper end of the humerus
    // (the abducted shaft reaches further out lower down, below the deltoid) and higher.
    float humerusOut = 0, deltoidOut = 0, humerusTop = 0, deltoidTop = 0;
    for (const glm::vec3& p : humerus.positions) {
      if (p.y > 1.39f) humerusOut = std::max(humerusOut, sign * p.x);
      humerusTop = std::max(humerusTop, p.y);
    }
    for (const glm::vec3& p : deltoid.positions) {
      deltoidOut = std::max(deltoidOut, sign * p.x);
      deltoidTop = std::max(deltoidTop, p.y);
    }
    EXPECT_GT(deltoidOut, humerusOut + 0.008f) << side;
    EXPECT_GT(deltoidTop, humerusTop) << side;
    // The greater tubercle about 0.21 m from the midline, a little outside the acromion.
    EXPECT_NEAR(humerusOut, 0.215f, 0.015f) << side;
  }
}

// Shoulder issue: seen from the side the deltoid was a funnel, a broad flat top with a sharp rim
// tapering in straight lines to a point at the arm stub, where an atlas deltoid is the rounded
// cap of the shoulder, convex over the humeral head and greater tubercle and full a third of the
// way down. Its outer surface is measured by its distance from the humeral shaft's axis along
// rays towards the axis, at distances t along the arm (t = 0 level with the head's centre).
TEST(CommittedModel, DeltoidIsRoundedOverTheHumeralHead) {
  const ShoulderLandmarks& s = shoulderLeft();
  const glm::vec3 forward(0.0f, 0.0f, 1.0f);
  for (const char* side : {"_left", "_right"}) {
    const TriMesh& deltoid = committedMesh(std::string("deltoid") + side);
    const glm::vec3 mirror(side[1] == 'l' ? 1.0f : -1.0f, 1.0f, 1.0f);
    const auto radius = [&](const glm::vec3& out, float t) {
      const glm::vec3 axis = mirror * s.shaft(t), dir = mirror * out;
      const auto hit = rayHit(deltoid, axis + 0.2f * dir, -dir);
      if (!hit)
        ADD_FAILURE() << side << ": the ray " << t << " m down the shaft misses the deltoid";
      return hit ? 0.2f - *hit : 0.0f;
    };
    // Convex, not a straight cone: 1 cm above the head's centre the surface stands out of the
    // chord between 3.5 cm above it and 1.5 cm below it (a funnel's does not: 0.4-1.0 mm). Since
    // the muscle reaches the tuberosity halfway down the humerus, its longer back fibres run a
    // little straighter over the head (2.4 mm; 2.5 mm was asked while it ended a third down).
    const std::pair<const char*, glm::vec3> directions[] = {
        {"lateral", s.lateral}, {"front", forward}, {"back", -forward}};
    for (const auto& [name, out] : directions) {
      const float bulge =
          radius(out, -0.010f) - 0.5f * (radius(out, -0.035f) + radius(out, 0.015f));
      EXPECT_GT(bulge, 0.0020f) << side << ", " << name << ": " << bulge * 1000.0f << " mm";
      RecordProperty(std::string("bulge_") + name + side, std::to_string(bulge * 1000.0f));
    }
    // The outermost point of the lateral profile lies over the head and greater tubercle, not
    // 3-4 cm further down the arm as the funnel's did.
    float widest = 0.0f, widestAt = 0.0f;
    for (float t = -0.030f; t <= 0.1001f; t += 0.005f)
      if (const float r = radius(s.lateral, t); r > widest) {
        widest = r;
        widestAt = t;
      }
    EXPECT_LT(std::abs(widestAt), 0.020f)
        << side << ": widest " << widestAt * 1000.0f << " mm down the arm from the head's centre";
    // Seen from the side, its extent front to back a third of the way down from its top is
    // nearly its greatest (the funnel's was 80 % of it, at its rim).
    float top = -1e9f, bottom = 1e9f;
    for (const glm::vec3& p : deltoid.positions) {
      top = std::max(top, p.y);
      bottom = std::min(bottom, p.y);
    }
    const auto depthAt = [&](float y) {
      float lo = 1e9f, hi = -1e9f;
      for (const glm::vec3& p : deltoid.positions)
        if (std::abs(p.y - y) < 0.004f) {
          lo = std::min(lo, p.z);
          hi = std::max(hi, p.z);
        }
      return hi > lo ? hi - lo : 0.0f;
    };
    float broadest = 0.0f;
    for (float y = bottom; y <= top; y += 0.004f)
      broadest = std::max(broadest, depthAt(y));
    const float third = depthAt(top - (top - bottom) / 3.0f);
    EXPECT_GT(third, 0.92f * broadest)
        << side << ": " << third * 1000.0f << " of " << broadest * 1000.0f << " mm";
  }
}

// Shoulder issue: the supraspinatus stood 2-3 mm off its flat fossa (a gap visible from
// above). Along the blade's normal (from the scapula's superior angle, root of the spine and
// lateral angle, as in arm.cpp), rays through the supraspinous fossa meet the muscle's deep
// face within the builder's 0.8 mm clearance (plus what simplification moves) of the blade.
TEST(CommittedModel, SupraspinatusLiesInItsFossa) {
  const glm::vec3 superiorAngle(0.073f, 1.476f, -0.078f), root(0.071f, 1.421f, -0.088f);
  const glm::vec3 lateralAngle(0.142f, 1.412f, -0.050f);
  glm::vec3 back = glm::normalize(glm::cross(lateralAngle - superiorAngle, root - superiorAngle));
  if (back.z > 0.0f) back = -back;
  for (const char* side : {"_left", "_right"}) {
    const TriMesh& muscle = committedMesh(std::string("supraspinatus") + side);
    const TriMesh& scapula = committedMesh(std::string("scapula") + side);
    const glm::vec3 mirror(side[1] == 'l' ? 1.0f : -1.0f, 1.0f, 1.0f);
    std::vector<float> gaps;
    int onBlade = 0;
    // The medial two thirds of the fossa, between the superior border and the spine (rays that
    // miss the blade are left out; of those that meet it, two thirds must meet the muscle within
    // 2 cm before it: 68 of 95 do, the others near the superior border and the root of the spine,
    // where the bundles taper).
    for (float x = 0.076f; x <= 0.1241f; x += 0.004f)
      for (float y = 1.434f; y <= 1.4701f; y += 0.004f) {
        const float z = superiorAngle.z -
                        (back.x * (x - superiorAngle.x) + back.y * (y - superiorAngle.y)) / back.z;
        const glm::vec3 o = mirror * (glm::vec3(x, y, z) + 0.08f * back), d = -(mirror * back);
        const auto bone = rayHit(scapula, o, d);
        if (!bone) continue;
        ++onBlade;
        // The deep face: the last crossing of the muscle's surface before the bone.
        float deep = -1.0f;
        for (float t = 0.0f; t < *bone;) {
          const auto next = rayHit(muscle, o + d * (t + 1e-5f), d);
          if (!next || t + 1e-5f + *next >= *bone) break;
          t += 1e-5f + *next;
          deep = t;
        }
        if (deep > 0.0f && *bone - deep < 0.02f) gaps.push_back(*bone - deep);
      }
    ASSERT_GT(gaps.size(), 30u) << side;
    EXPECT_GE(static_cast<int>(gaps.size()), onBlade * 2 / 3)
        << side << ": " << gaps.size() << " of " << onBlade;
    std::sort(gaps.begin(), gaps.end());
    const float median = gaps[gaps.size() / 2], largest = gaps.back();
    EXPECT_LT(median, 0.0012f) << side << ": median gap " << median * 1000.0f << " mm";
    // The builder's rounded carving (VolumeDef::carveRound, 3 mm) takes up to 0.75 mm more where
    // the belly meets the blade at an angle: 2.4 mm at most here.
    EXPECT_LT(largest, 0.0026f) << side << ": largest gap " << largest * 1000.0f << " mm";
    RecordProperty(std::string("median_gap_mm") + side, std::to_string(median * 1000.0f));
    RecordProperty(std::string("largest_gap_mm") + side, std::to_string(largest * 1000.0f));
  }
}

} // namespace
} // namespace fascia::anatomy
