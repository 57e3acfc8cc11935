#pragma once
/// \file parts.h
/// Definitions of the structures before they are meshed: volumes (bones, thick muscles) and
/// sheets (flat muscles, fascia, skin) with their metadata. Internal to the builder.

#include <array>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <glm/vec3.hpp>

#include "anatomy.h"
#include "culled.h"
#include "sdf.h"
#include "shapes.h"

namespace fascia::anatomy {

/// Fibre direction at a point (unit), or an empty function for structures without fibres.
using FibreField = std::function<glm::vec3(const glm::vec3&)>;

/// The bluish white of hyaline cartilage and fibrocartilage (costal cartilages, intervertebral
/// discs), so it reads apart from the bone beside it.
inline constexpr std::array<float, 3> kCartilageColour{0.80f, 0.87f, 0.90f};

/// The pearly white of the ligaments of the column (nuchal, supraspinous).
inline constexpr std::array<float, 3> kLigamentColour{0.80f, 0.82f, 0.84f};

/// The width of the rounding a volume is carved with unless it sets its own
/// (VolumeDef::carveRound).
inline constexpr float kDefaultCarveRound = 0.003f;

/// A solid polygonised from its own distance field.
struct VolumeDef {
  StructureMeta meta;
  Shape shape;
  float spacing = 0.002f;      ///< grid spacing at detail 1 (metres)
  std::size_t triangles = 5000; ///< triangle budget at detail 1
  bool carve = true;           ///< cut away what earlier structures already occupy
  /// Width (metres) of the rounding where the volumes before this one carve it (a smooth
  /// maximum), at each point: a hard cut leaves a sharp crease that the grid polygonises as a
  /// saw-tooth line where two muscles meet. It only takes material off (at most a quarter of the
  /// width, at the crease), and removes what is left thinner than about half the width.
  /// mirroredVolume mirrors it with the shape. Volumes are meshed side by side and must give the
  /// same bytes on every run: it must be a pure function of the point.
  std::function<float(const glm::vec3&)> carveRound = [](const glm::vec3&) {
    return kDefaultCarveRound;
  };
  FibreField fibre;
};

/// A sheet lying on everything built before it: its inner face is `gap` outside the current
/// body hull, its outer face `thickness(p)` further out, and it covers where footprint < 0.
struct SheetDef {
  StructureMeta meta;
  Sdf footprint;
  Aabb box;
  std::function<float(const glm::vec3&)> thickness;
  float spacing = 0.0025f;
  std::size_t triangles = 4000; ///< budget for one face at detail 1
  FibreField fibre;
  /// Blur passes (GridField::blur, on a 3 mm grid) of the hull the sheet is laid on; 0: on the
  /// hull itself. A broad muscle sheet lies smoothly over the edges of the smaller muscles under it
  /// (trapezius over the rhomboids) instead of printing each of them, as it does in the body.
  int bedBlur = 0;
  /// A fillet the bed is closed with before it is blurred (GridField::close). Where a thick
  /// muscle under the sheet ends in a step far taller than the blur bridges, the sheet runs
  /// down from its edge in a curve of about this radius instead of dropping off it as a shelf.
  /// Over ribs, it fills the gaps between them, which the sheet then bridges instead of
  /// printing each rib that stands proud of the blurred bed.
  struct BedClosing {
    float radius = 0.0f; ///< metres; 0: the bed is not closed
    /// Where the fillet applies: 1, fading to 0 where the hollows must stay open (empty: 1
    /// everywhere). Bed groups compare only the radius.
    std::function<float(const glm::vec3&)> weight;
  };
  BedClosing bedClosing;
  /// Step (metres) of the central differences the sheet's normals are taken over; 0: the hull
  /// grid's step. A thin, shiny fascia shaded over 3 mm shows every millimetre-high undulation
  /// of the muscle under it and reads as crumpled paper. Its vertices are still projected onto
  /// the same surface (along the smoother gradient); only its outer face, offset along the
  /// normals by the sheet's thickness, moves, by a small part of that thickness.
  float normalStep = 0.0f;
  /// Ids of volumes built before the sheet that it runs on under, as a muscle passes under
  /// another to its insertion: it is laid on the hull without them and ends where it meets
  /// them (its footprint stops `kGap` short of their shapes, lightly blurred), and it thickens
  /// the hull only where it lies outside them. Not for parts of a bed group.
  std::vector<std::string> passesUnder;
  /// Where the sheet thickens the hull for what is laid after it, if not everywhere it covers:
  /// given a point and the footprint's value there, a value of the same sign convention, never
  /// below the footprint's (return that where they agree: it is asked wherever the sheet's
  /// thickening reaches, and the footprints are most of a hull's cost). Empty: the footprint.
  /// A strip the sheet reaches on over a bony crest, sunk below the hull (sink), can leave the
  /// hull as it was, and with it the fat and the skin, which lie well clear of it anyway.
  std::function<float(const glm::vec3&, float footprint)> thickensWhere;
  /// Sheets of one bed group (the parts of one muscle, both sides) lie on the hull as it was
  /// before the first of them was laid, as if the others were not there yet, each side on one
  /// bed sampled over its `bedBox` (mirrored for the right): so the parts meet edge to edge
  /// instead of each climbing onto the one before, and the sides come out mirror images. The
  /// group's sheets must be laid one after another, with nothing else in between.
  std::string bedGroup;
  Aabb bedBox;
  /// How far (metres, >= 0) the sheet's inner face lies below the hull it is laid on; empty:
  /// 0 everywhere. The hull is a smooth union sampled on a 3 mm grid, so where a sheet ends on
  /// a narrow ridge (the upper trapezius on the deltoid's origin) it floats 2-3 mm above it, and
  /// the hollow under its edge shows from the side as a dark line. Sunk there, the edge lies
  /// down on the ridge. Only the sheet's own mesh moves; what is laid on it later lies on the
  /// sheet as it would lie unsunk, so a sheet over it should sink alike.
  std::function<float(const glm::vec3&)> sink;
};

/// Blur passes of the bed of a thick sheet over a ridged surface (serratus anterior and
/// pectoralis major over the ribs, infraspinatus over the scapula's lateral border): about 8 mm,
/// enough that the ridges under it do not print through as bars.
constexpr int kSheetBedBlur = 8;

/// One vertebral level's landmarks (model space).
struct SpineLevel {
  std::string name; ///< "C7", "T1" ... "L5"
  glm::vec3 body;   ///< centre of the vertebral body
  glm::vec3 up;     ///< along the column
  glm::vec3 back;   ///< posterior, perpendicular to up and to x
  float bodyHalfWidth = 0, bodyHalfDepth = 0, bodyHalfHeight = 0, canal = 0;
  glm::vec3 lamina; ///< where the laminae meet, base of the spinous process
  glm::vec3 spinousTip;
  glm::vec3 transverseTipLeft;
};

/// The vertebral column C7 to L5, top to bottom.
const std::vector<SpineLevel>& spineLevels();

/// Centre line of left rib k (1..12), from its head at the spine round to its front end
/// (model space; mirror x for the right side).
std::vector<glm::vec3> ribPath(int k);

/// Angle of p round a vertical axis a little in front of the spine, in radians: 0 straight out
/// to the patient's left side, positive towards the front (the flank chart of the external
/// oblique; use mirrorX(p) on the right).
float flankAngle(const glm::vec3& p);
/// Where the centre line of left rib k reaches flankAngle theta, or the rib's front end where it
/// stops short of it (the floating ribs).
glm::vec3 ribAtFlankAngle(int k, float theta);

/// Landmarks of the left hip bone and upper femur that the muscles on them are placed from
/// (model space; mirror x for the right side).
struct PelvisLandmarks {
  glm::vec3 iliumHub;         ///< where the fan of the iliac wing meets, above the acetabulum
  Curve iliacCrest;           ///< from the anterior superior iliac spine back to the posterior one
  glm::vec3 femoralHead;      ///< centre of the head (and of the acetabulum)
  glm::vec3 lesserTrochanter; ///< centre of the bump on the posteromedial femur below the neck
};

/// The left pelvis landmarks the skeleton is built from.
const PelvisLandmarks& pelvisLeft();

/// Landmarks of the left shoulder joint and arm stub (model space; mirror x for the right). The
/// arm hangs abducted about 25 degrees, and the stub is cut off by the plane through armCut
/// perpendicular to armAxis.
struct ShoulderLandmarks {
  glm::vec3 armAxis;      ///< unit, down the humeral shaft
  glm::vec3 lateral;      ///< unit, perpendicular to armAxis in the frontal plane, outwards
  glm::vec3 armCut;       ///< a point of the plane that cuts the arm stub off
  glm::vec3 humeralHead;  ///< centre of the sphere of the head, in the glenoid
  float headRadius = 0;
  glm::vec3 shaftTop;     ///< on the shaft's axis, level with the head's centre
  float shaftRadius = 0;
  /// The point of the shaft's axis at distance t below shaftTop.
  glm::vec3 shaft(float t) const { return shaftTop + armAxis * t; }
  float tuberosity = 0;   ///< distance of the deltoid tuberosity below shaftTop
  /// Axis of the bicipital groove on the front of the upper humerus, top and bottom; the long
  /// head of biceps runs in it.
  glm::vec3 grooveTop, grooveBottom;
  /// Tip of the coracoid process (the scapula's, skeleton.cpp), origin of the short head of
  /// biceps and of coracobrachialis.
  glm::vec3 coracoidTip;
};

/// The left shoulder landmarks (arm.cpp).
const ShoulderLandmarks& shoulderLeft();

/// The left humerus (arm.cpp), built after the scapula so it is carved to sit in the glenoid.
VolumeDef humerusLeft();
/// The left deltoid (arm.cpp): fibre bundles from the clavicle, acromion and scapular spine
/// over the humeral head to the deltoid tuberosity.
VolumeDef deltoidLeft();
/// Where the left deltoid's fibres start: a line along the top of the bony arch, from the
/// lateral clavicle over the acromion to the spine of the scapula, front to back (arm.cpp).
const Curve& deltoidOriginLeft();

/// The left supraspinatus (arm.cpp): fibre bundles from the supraspinous fossa under the
/// acromion to the top of the greater tubercle. Built before the deltoid, which lies on it.
VolumeDef supraspinatusLeft();
/// The left biceps brachii (arm.cpp): the long head's tendon from the bicipital groove and the
/// short head from the tip of the coracoid, merging into one belly on the front of the shaft.
/// Built before the deltoid, which lies over its tendons.
VolumeDef bicepsLeft();
/// The left coracobrachialis (arm.cpp): from the coracoid beside the short head of biceps down
/// the inner side of the arm to the middle of the shaft. Built after the biceps.
VolumeDef coracobrachialisLeft();
/// The left long head of triceps (arm.cpp): a fan from the infraglenoid tubercle, between
/// teres minor and teres major, down the back of the arm. Built after the deltoid.
VolumeDef tricepsLongHeadLeft();
/// The left lateral head of triceps (arm.cpp): from the back of the shaft below the greater
/// tubercle down and in to the common tendon, beside the long head. Built after the long head.
VolumeDef tricepsLateralHeadLeft();
/// A muscle whose fibres run across a fan (soft_tissue.cpp): `fibres` tubes from the origin
/// line to the insertion line (Fan::volume), fibre directions from the fan.
VolumeDef fanMuscle(StructureMeta m, const Fan& fan, int fibres, float rEnd, float rMid,
                    float blend, float spacing, std::size_t triangles);
/// The fibre direction of a muscle made of tube bundles: at a point, the direction (origin to
/// insertion) of the nearest bundle segment. Shared by the hip flexors and the deltoid.
FibreField bundleFibre(const std::vector<Tube>& bundles);
/// A thick muscle made of fibre bundles (already smoothed), joined with a smooth minimum of
/// width `blend` so the belly reads as one muscle with shallow furrows between its bundles;
/// fibres follow the nearest bundle. The hip flexors (front_muscles.cpp) and the neck muscles.
VolumeDef bundleMuscle(StructureMeta m, std::vector<Tube> bundles, float blend, float spacing,
                       std::size_t triangles);
/// Filler of both arm stubs (arm.cpp): the outline of the upper arm's soft tissue around the
/// humerus (the modelled arm muscles lie within about 2 mm of it) and what is not
/// modelled as structures (brachialis, medial head of triceps, subscapularis, axilla).
std::vector<Shape> armFiller();

/// Cross-sections of the chest and abdomen filler (ellipses in x-z, centred on the midline),
/// bottom to top. The abdominal wall muscles are placed against it.
const std::vector<Loft::Section>& trunkSections();

/// Keep-region of the model (negative inside): the neck, arm and thigh cuts, moved inward by
/// inset.
float keepRegion(const glm::vec3& p, float inset);
/// How far p lies from the parts of the arms the model leaves out, beyond the arm cuts: a
/// lower bound of the distance, negative inside them.
float armCutDistance(const glm::vec3& p);

/// Bones in build order.
std::vector<VolumeDef> makeBones();
/// The sternum and the left and right costal cartilages (sternum.cpp), built after the ribs and
/// clavicles, which carve them where they meet.
std::vector<VolumeDef> makeSternumAndCostalCartilages();
/// The centre lines and radii of the left costal cartilages 1-10 (sternum.cpp).
std::vector<Tube> costalCartilageTubes();
/// Their solid (the tubes blended), which the rectus abdominis (front_muscles.cpp) lies over.
TubeBlend costalCartilageField();
/// Shapes that give the body its form but are not structures of their own (organs, neck, arm
/// stubs, thighs, abdominal wall).
std::vector<Shape> makeFiller();
/// Deep and intermediate muscles modelled as volumes, in build order.
std::vector<VolumeDef> makeVolumeMuscles();
/// Muscles of the back of the neck under the trapezius (neck.cpp), deep to superficial:
/// semispinalis capitis, splenius cervicis, splenius capitis; then the nuchal ligament between
/// the two sides. Built after the back's volume muscles (erector spinae, levator scapulae),
/// which they wrap, and cut off at the neck cut.
std::vector<VolumeDef> makeNeckMuscles();
/// Muscles of the front of the trunk, after the back muscles: psoas major and iliacus (deep,
/// on the lumbar spine and in the iliac fossa) and rectus abdominis (front abdominal wall).
std::vector<VolumeDef> makeFrontMuscles();
/// The flat muscles of the side of the abdomen and chest (external oblique, then serratus
/// anterior, whose slips fill the notches between the oblique's), laid on the hull before the
/// back's flat muscles, which cover their back parts.
std::vector<SheetDef> makeAbdominalWallSheets();
/// Serratus anterior (left, serratus_anterior.cpp): a sheet on the side of the chest with slips on
/// ribs 2-9, laid after the external oblique and cut by its footprint (`obliqueFootprint`, the
/// left external oblique's), so the two interdigitate edge to edge on ribs 5-9.
SheetDef serratusAnteriorLeft(const Sdf& obliqueFootprint);
/// Pectoralis major (left, pectoral.cpp): a sheet on the front of the chest from the clavicle,
/// the sternum and the costal cartilages to the anterior fold of the armpit, laid after serratus
/// anterior (whose upper slips it covers) and kept clear of the deltoid.
SheetDef pectoralisMajorLeft();
/// Flat muscles, then deep fascia, in build order (each lies on those before).
std::vector<SheetDef> makeSheetMuscles();
std::vector<SheetDef> makeDeepFascia();
/// The outline, seen from behind, of the thoracolumbar fascia's posterior layer (soft_tissue.cpp):
/// a diamond from the lower thoracic spine to the sacrum, out to the posterior iliac crests.
/// The gluteal and investing fasciae are drawn against it.
std::vector<glm::vec2> thoracolumbarOutline();
/// Subcutaneous thickness (superficial fascia layer) at p.
float subcutaneousThickness(const glm::vec3& p);

/// Reddish muscle colours that differ a little from one muscle to the next (i cycles).
std::array<float, 3> muscleTone(int i);

/// Metadata helper. The FMA id is not given here: the builder looks it up in one table
/// (fmaIdFor, fma_ids.h) when it finishes the structure.
StructureMeta meta(std::string id, std::string layer, std::string display, std::string latin,
                   std::string group, std::string side, std::string description,
                   std::array<float, 3> colour);
/// The right-side copy of a left-side metadata record ("_left" -> "_right", "(left)" ->
/// "(right)"), with the colour nudged so the two sides read apart slightly.
StructureMeta rightOf(const StructureMeta& left);
/// Right-side copies of left-side definitions.
VolumeDef mirroredVolume(const VolumeDef& left);
SheetDef mirroredSheet(const SheetDef& left);

/// Each left-side item followed by its mirror image for the right (the build order of a
/// paired structure's two sides).
template <typename T, typename Mirror>
std::vector<T> withRightSides(const std::vector<T>& left, Mirror mirror) {
  std::vector<T> out;
  for (const T& item : left) {
    out.push_back(item);
    out.push_back(mirror(item));
  }
  return out;
}

} // namespace fascia::anatomy
