// The build pipeline: bones, then muscles from deep to superficial, then fascia, the
// subcutaneous layer and the skin. Each layer is built on the body hull left by the layers under
// it, which is what makes the layers nest.

#include <algorithm>
#include <array>
#include <cassert>
#include <chrono>
#include <cstdio>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <map>
#include <memory>
#include <stdexcept>
#include <tuple>
#include <utility>

#include <glm/gtc/constants.hpp>

#include "anatomy.h"
#include "fma_ids.h"
#include "parallel.h"
#include "parts.h"

namespace fascia::anatomy {

namespace {

/// Clearance between neighbouring structures (metres), so surfaces never touch.
constexpr float kGap = 0.0008f;
/// How far past a sheet's footprint its bed reaches (Bump::onBed), and over how much of that its
/// thickening of the hull fades out (Bump::apply).
constexpr float kBedReach = 0.012f;
constexpr float kBumpFade = 0.008f;
/// The blend of the solids' smooth union (the body hull), and how deep inside it stops looking.
constexpr float kSolidsBlend = 0.016f;
constexpr float kSolidsInteriorCutoff = -0.03f;
constexpr float kSkinThickness = 0.0025f;
/// How far the lightly blurred shell field (used beside the arm cuts) is pushed out so that the
/// layers under it stay inside: more than the blur takes off the sharpest convex edge under it
/// (the rim of the pectoral fold of the armpit, which 4 mm left about half a millimetre inside
/// the fat). Over the lumbar spine it is kGrooveMargin.
constexpr float kShellMargin = 0.0045f;
/// The draped shell field, which the fat and skin lie on everywhere else: the hull on a grid of
/// twice the hull grid's spacing, blurred 6 times (a spread of about 15 mm, so muscle edges and
/// bony crests under the fat leave no ridges in the skin's shading), then lowered where the
/// blur took off convex bumps (GridField::cover: each sample's need spread as a round cap that
/// falls by 2.5 per metre times the squared distance, so a 3 mm cap reaches 35 mm, and blurred
/// 9 times, about 18 mm; needs the blur would leave uncovered are raised first) ...
constexpr int kDrapeCoarsening = 2;
constexpr int kDrapeBlur = 6;
constexpr float kDrapeFall = 2.5f;
constexpr int kDrapeLiftBlur = 9;
/// ... and pushed out by at least this margin, or by more if the hull stands higher than that
/// above the draped field at a sample of the fine grid (cover() compares them only at the
/// coarse grid's samples).
constexpr float kDrapeMargin = 0.0015f;
/// The surfaces built on grid-sampled fields (skin, fat, sheets) are broad and gently curved,
/// and simplified hard: where a long triangle's interpolated normal strays from the surface's
/// by more than this, its edge is split (splitBentEdges) ...
constexpr float kShadingError = 1.0f * glm::pi<float>() / 180.0f;
/// ... adding at most this part of the structure's triangle budget.
constexpr float kShadingSplits = 0.25f;
/// A sheet laid on a bed stands this far off the blurred hull (what the blur takes off broad
/// convex curves is well under it) ...
constexpr float kBedMargin = 0.0025f;
/// ... and joins the hull itself over this width where something under it stands proud of the
/// bed (a spinous process, the spine of the scapula), so the join leaves no crease.
constexpr float kBedJoin = 0.004f;
/// A piece of a sheet from more than a quarter of whose vertices the hull is met again within this
/// distance along the outward normal lines a hollow of the hull, not its outside
/// (dropStrayPieces): more than the widest such pocket, the space between the scapula and
/// the ribs (about 3 cm).
constexpr float kHollowReach = 0.036f;
/// The hull grid interpolates a sample (from every 4th sample along each axis) where all eight
/// corners of its lattice cell lie 6 cm or more outside the solids, so only samples about 5 cm
/// out or more: much of the grid, each as costly as a sample near the skin (far out, every
/// shape's box is within reach of the running minimum), and nothing is built there. Sheets read
/// the grid near the solids, where it is exact; the fat and skin read it through the blurred
/// shell field up to about 5 cm out, which does depend on interpolated samples. Measured on the
/// bundled model: the grid took under half the time, the interpolated samples are off by up to
/// 9 mm, and the lightly blurred shell field moved by at most 0.03 mm within 5 cm of the
/// solids, the draped one by at most 0.1 mm there and by under 0.001 mm where the fat and skin
/// lie on it.
constexpr FarSampling kHullFarSampling{4, 0.06f};
constexpr std::array<float, 3> kSkinColour{0.87f, 0.67f, 0.56f};
// Subcutaneous fat is the pale yellow of anatomy atlases (the engine's default colour for the
// layer), so its band in a section or a close-up never passes for ivory bone.
constexpr std::array<float, 3> kSubcutisColour{0.90f, 0.80f, 0.45f};

/// Over the lumbar spine the lightly blurred hull is pushed out by less than kShellMargin: the
/// thoracolumbar fascia under it has no sharp convex edges.
constexpr float kGrooveMargin = 0.002f;
/// How much of the lightly blurred hull the fat and skin follow over the lumbar spine: 1 within
/// 1.2 cm of the midline on the back from L5 (1.04 m) to the L1-L2 gap (1.16 m), fading out to
/// 4.5 cm from it, down to 1.00 m and up to T12 (1.23 m). The draped field bridges the groove
/// between the two erector spinae masses, in which the spinous processes lie, and the skin over
/// it was flat (the reference has it lie in a shallow groove there). Fading out higher, from
/// 1.22 to 1.30 m, the skin took up the two hollows the thoracolumbar fascia leaves either side
/// of the midline at T11-T12, and the groove ended in a ring, a dark blot from behind.
float lumbarGroove(const glm::vec3& p) {
  return (1.0f - smoothstep(0.012f, 0.045f, std::abs(p.x))) * smoothstep(-0.03f, -0.06f, p.z) *
         smoothstep(1.00f, 1.04f, p.y) * (1.0f - smoothstep(1.16f, 1.23f, p.y));
}

/// How deep the skin lies at most in the furrow over the thoracic spine and in the one over the
/// sternum, how wide each is (the standard deviation of its Gaussian profile across the
/// midline), and the widest join of the smooth unions that keep them off the hull.
constexpr float kThoracicFurrowDepth = 0.005f;
constexpr float kSternalFurrowDepth = 0.006f;
constexpr float kThoracicFurrowWidth = 0.015f;
constexpr float kSternalFurrowWidth = 0.02f;
constexpr float kFurrowJoin = 0.004f;
/// The depth over which a furrow's change to the draped field fades in (ShellField::furrowed).
constexpr float kFurrowFadeIn = 0.001f;

/// How far the fat and skin are lowered along the midline of the chest, where the draped field
/// bridged the hollows flat (heights are those of the spinous tips):
/// - at the back, over the thoracic spine: the reference has the spinous processes lie in a
///   shallow furrow between the erector spinae from the lumbar spine up to the middle of the
///   back, and the fat stood 2.3 cm off the T7 spinous tip; full from T10 (1.25 m) to T6
///   (1.34 m), fading in from L1 (1.18 m, within the lumbar groove's fade-out, 1.16-1.23 m) and
///   out by T3 (1.42 m);
/// - at the front, over the sternum, which lies in a furrow between the two pectorales major
///   (their medial borders 1.1 cm from the midline), and the fat stood 1.6-2.1 cm off it; full
///   from 1.32 to 1.41 m, fading out from there to 1.5 cm below the xiphoid's tip (1.255 m) and
///   1.3 cm above the jugular notch (1.447 m).
/// Each is a Gaussian across the midline, 1.5 cm at the back and 2 cm at the front (a front
/// furrow 1.5 cm wide and 8 mm deep printed the pectorales' medial borders as two ridges). Not
/// the lightly blurred hull itself, as over the lumbar spine: there each spinous process and the
/// trapezius' medial border printed through as a column of blobs.
float midlineFurrow(const glm::vec3& p) {
  if (std::abs(p.z) < 0.03f || p.y < 1.18f || p.y > 1.46f) return 0.0f;
  const float across = p.x / (p.z < 0.0f ? kThoracicFurrowWidth : kSternalFurrowWidth);
  const float profile = std::exp(-0.5f * across * across);
  if (p.z < 0.0f)
    return kThoracicFurrowDepth * profile * smoothstep(1.18f, 1.25f, p.y) *
           (1.0f - smoothstep(1.34f, 1.42f, p.y)) * smoothstep(-0.03f, -0.06f, p.z);
  return kSternalFurrowDepth * profile * smoothstep(1.24f, 1.32f, p.y) *
         (1.0f - smoothstep(1.41f, 1.46f, p.y)) * smoothstep(0.03f, 0.06f, p.z);
}

/// The field the superficial fascia and the skin are laid on, zero on the hull pushed out by its
/// margin: the draped field, except near the arm cuts, where it would bridge the armpit across
/// the cut plane and open the skin there: within 1 cm of the parts of the arms left out the
/// lightly blurred hull alone, blended into the draped field from 1 to 5 cm. (In the blend the
/// field's gradient can reach about 1.4, so gaps and thicknesses laid on it are up to that
/// factor thinner there.) Over the lumbar spine it is blended into the lightly blurred hull in
/// the same way (lumbarGroove), and along the midline of the chest the draped field is lowered
/// into shallow furrows (midlineFurrow).
struct ShellField {
  GridField draped;
  float drapedMargin;
  GridField light;
  float at(const glm::vec3& p) const {
    const float groove = lumbarGroove(p);
    const float w = smoothstep(0.01f, 0.05f, armCutDistance(p)) * (1.0f - groove);
    if (w >= 1.0f) return furrowed(draped(p) - drapedMargin, p);
    const float lightly = light(p) - mix(kShellMargin, kGrooveMargin, groove);
    return w <= 0.0f ? lightly : mix(lightly, furrowed(draped(p) - drapedMargin, p), w);
  }
  /// The draped value d lowered into the midline furrows (midlineFurrow), but not below a floor:
  /// the lightly blurred hull pushed out by kShellMargin, or d itself where that lies inside the
  /// drape's surface (its value below d). The furrow only takes up the space the drape bridges.
  /// With the lumbar groove's smaller margin (kGrooveMargin) the fat's inner surface came 0.5 mm
  /// into the investing fascia 1.5 cm from the midline at T9, where that fascia stands out more
  /// than the blur keeps.
  float furrowed(float d, const glm::vec3& p) const {
    const float depth = midlineFurrow(p);
    if (depth <= 0.0f) return d;
    // Joined over a fixed 4 mm the result stands up to 1 mm proud of d where the furrow fades
    // out, and the skin showed a ledge across the lower end of the sternum; with joins narrowing
    // with the depth, the fat and skin creased where the floor took over in the fades, a dotted
    // line down the midline at T3-T5 from behind. So the joins stay 4 mm wide and the change is
    // faded in with the depth over its first millimetre: continuous, and never more than the
    // depth proud of d. (The smooth maximum bulges by up to a quarter of the join: the fat may
    // come up to 1 mm inside the floor.)
    const float lowered =
        smin(d + depth, smax(light(p) - kShellMargin, d, kFurrowJoin), kFurrowJoin);
    return d + (lowered - d) * std::min(1.0f, depth / kFurrowFadeIn);
  }
};

struct Hull;

/// A thickening of the hull where a sheet was laid: gap + thickness inside its footprint,
/// fading to nothing kBumpFade outside it. A sheet laid on a bed (SheetDef::bedBlur) first lifts
/// the hull there onto the bed, so what is built on it later lies on the sheet as laid.
struct Bump {
  Sdf footprint;
  std::function<float(const glm::vec3&)> thickness;
  Aabb box;
  /// Where the sheet thickens the hull, if not all of its footprint (SheetDef::thickensWhere;
  /// null: the footprint).
  std::function<float(const glm::vec3&, float)> thickens;
  /// The hull under the sheet, blurred (null: the sheet lies on the hull itself).
  std::shared_ptr<const GridField> bed;
  /// The hull the sheet was laid on, where that is not the hull it thickens: one without the
  /// volumes it passes under (SheetDef::passesUnder), which differs from it only around them.
  /// Null: the same hull.
  std::shared_ptr<const Hull> laidOn;

  /// The hull value d at p with the bed joined in (d itself without a bed). The smooth union
  /// keeps everything the hull holds inside, so nothing under the sheet pokes through it. The
  /// bed reaches 4 mm past the footprint before it fades (to nothing at kBedReach): normals are
  /// taken over a grid step, and a fade starting at the border would tilt them all along the
  /// sheet's edge.
  float onBed(float d, const glm::vec3& p) const {
    if (!bed || box.distance(p) > 0.0f) return d;
    return onBed(d, p, footprint(p));
  }
  /// The hull after this sheet: d on the bed, less gap and thickness where the footprint's
  /// weight is above 0 (1 inside, fading to 0 at kBumpFade outside). Around the volumes a sheet
  /// passes under, it is joined to d as a solid of its own (the union of d and the hull it was
  /// laid on, so thickened): so it adds nothing where they stand above it.
  /// `reading`: the grid of solids without some volumes that d was read from, if any (a hull
  /// without the same volumes needs no second reading).
  float apply(float d, const glm::vec3& p, const GridField* reading) const;

private:
  float onBed(float d, const glm::vec3& p, float f) const {
    if (f > kBedReach) return d;
    return d + (smin(d, (*bed)(p)-kBedMargin, kBedJoin) - d) * smoothstep(kBedReach, 0.004f, f);
  }
};

/// The body hull at one moment of the build: the smooth union of all solids (sampled once on a
/// grid after the last solid), with the sheets laid so far.
struct Hull {
  std::shared_ptr<const GridField> solids;
  std::vector<Bump> bumps;
  /// For a sheet that passes under volumes (SheetDef::passesUnder): the solids without them,
  /// sampled around them on the same lattice, read instead of `solids` where that grid reads
  /// exactly (two samples inside its box). Null: none.
  std::shared_ptr<const GridField> without;
  bool overlays(const glm::vec3& p) const {
    return without && without->box().padded(-2.0f * without->step()).distance(p) <= 0.0f;
  }
  float operator()(const glm::vec3& p) const {
    float d = overlays(p) ? (*without)(p) : (*solids)(p);
    for (const Bump& b : bumps)
      d = b.apply(d, p, without.get());
    return d;
  }
};

float Bump::apply(float d, const glm::vec3& p, const GridField* reading) const {
  if (box.distance(p) > 0.0f) return d;
  const float f = footprint(p); // once for both: the footprints are most of a hull's cost
  // Away from what the sheet passes under, the hull it was laid on reads as d does; beyond the
  // bed's reach the sheet changes nothing, and that hull, never inside d's, cannot either.
  const bool apart =
      laidOn && laidOn->without.get() != reading && f <= kBedReach && laidOn->overlays(p);
  float e = apart ? (*laidOn)(p) : d;
  if (bed) e = onBed(e, p, f);
  const float t = !thickens || f > kBumpFade ? f : thickens(p, f);
  assert(t >= f); // SheetDef::thickensWhere never thickens beyond the footprint
  const float w = t > kBumpFade ? 0.0f : smoothstep(kBumpFade, 0.0f, t);
  if (w > 0.0f) e -= (kGap + thickness(p)) * w;
  return apart ? std::min(d, e) : e;
}

void fillFibres(TriMesh& m, const FibreField& fibre) {
  m.fibres.resize(m.positions.size());
  for (std::size_t i = 0; i < m.positions.size(); ++i) {
    const glm::vec3 n = m.normals[i];
    glm::vec3 f = fibre(m.positions[i]);
    glm::vec3 t = f - n * glm::dot(n, f);
    if (glm::length(t) < 1e-3f) t = glm::cross(n, glm::vec3(1, 0, 0));
    if (glm::length(t) < 1e-3f) t = glm::cross(n, glm::vec3(0, 1, 0));
    m.fibres[i] = glm::normalize(t);
  }
}

/// Wall time since t0 in milliseconds.
double millisecondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

/// Wall time of f() in milliseconds.
template <class F> double millisecondsOf(F&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return millisecondsSince(t0);
}

class Builder {
public:
  explicit Builder(const BuildOptions& o) : opt_(o) {
    solids_.setInteriorCutoff(kSolidsInteriorCutoff);
    for (Shape& s : makeFiller())
      addSolid("", std::move(s));
  }

  /// Freezes the solids: samples their smooth union on a grid that all later layers read.
  void freezeSolids() {
    const auto t0 = std::chrono::steady_clock::now();
    const ShapeUnion& u = solids_;
    hullBox_ = u.box().padded(0.06f);
    auto grid = std::make_shared<GridField>([&u](const glm::vec3& p) { return u(p); }, hullBox_,
                                            gridStep(), opt_.threads, kHullFarSampling);
    grid->fillCavities();
    hull_.solids = std::move(grid);
    if (opt_.verbose) {
      const double ms = millisecondsSince(t0);
      std::fprintf(stderr, "%-40s %8.0f ms\n", "(body hull grid)", ms);
    }
  }

  /// Builds the volumes, `opt_.threads` at a time. Each is carved only by the raw shapes of
  /// those listed before it, never by their meshes, so none waits for another, and the result
  /// does not depend on the thread count (each is polygonised on one thread).
  void volumes(const std::vector<VolumeDef>& defs) {
    const auto prior = std::make_shared<ShapeUnion>(0.0f);
    for (const VolumeDef& v : defs)
      prior->add(v.shape);
    std::vector<TriMesh> meshes(defs.size());
    std::vector<double> ms(defs.size());
    parallelFor(defs.size(), opt_.threads, [&](std::size_t i) {
      ms[i] = millisecondsOf([&] { meshes[i] = volumeMesh(defs[i], prior, i); });
    });
    for (std::size_t i = 0; i < defs.size(); ++i) {
      addSolid(defs[i].meta.id, defs[i].shape);
      finish(defs[i].meta, std::move(meshes[i]), ms[i]);
    }
  }

  /// Lays the sheets in list order, each on the hull with the ones before it, and builds their
  /// meshes, `opt_.threads` at a time. Laying a sheet only needs its footprint, thickness and
  /// bed, not its mesh, so the beds are sampled first, in order, and the meshes, which each read
  /// only the hull as it was when their sheet was laid, are then built side by side (each on
  /// one thread: the result does not depend on the thread count).
  void sheets(const std::vector<SheetDef>& defs) {
    std::vector<std::shared_ptr<const Hull>> under(defs.size());
    std::vector<Bump> bumps(defs.size());
    std::vector<double> ms(defs.size());
    for (std::size_t i = 0; i < defs.size(); ++i) {
      ms[i] = millisecondsOf([&] { std::tie(under[i], bumps[i]) = lay(defs[i]); });
      hull_.bumps.push_back(bumps[i]);
    }
    std::vector<TriMesh> meshes(defs.size());
    std::vector<std::size_t> hidden(defs.size());
    std::vector<double> dropMs(defs.size());
    parallelFor(defs.size(), opt_.threads, [&](std::size_t i) {
      ms[i] += millisecondsOf(
          [&] { meshes[i] = sheetMesh(defs[i], under[i], bumps[i], hidden[i], dropMs[i]); });
    });
    for (std::size_t i = 0; i < defs.size(); ++i) {
      if (opt_.verbose)
        std::fprintf(stderr,
                     "  %s: %zu triangles in hollows of the hull or in crumbs dropped (%.0f ms)\n",
                     defs[i].meta.id.c_str(), hidden[i], dropMs[i]);
      finish(defs[i].meta, std::move(meshes[i]), ms[i]);
    }
  }

  /// The hull around a sheet's box sampled on a grid and blurred `passes` times: a bed that
  /// bridges the edges of the sheets and muscles underneath instead of printing them.
  /// With a fillet (`closing`), closed before the blur.
  std::shared_ptr<const GridField> bed(const Hull& hull, const Aabb& box, int passes,
                                       const SheetDef::BedClosing& closing) const {
    // The closing looks up to its radius beyond a sample for the nearest one outside; near the
    // grid's faces that one may lie beyond them, so the faces are kept a radius and the blur's
    // spread (3 standard deviations) away from what is read.
    const float spread =
        closing.radius > 0.0f
            ? closing.radius + 3.0f * gridStep() * std::sqrt(static_cast<float>(passes))
            : 0.0f;
    const Aabb around = box.padded(0.012f + spread).intersect(hullBox_);
    auto grid = std::make_shared<GridField>([&hull](const glm::vec3& p) { return hull(p); }, around,
                                            gridStep(), opt_.threads);
    if (closing.radius > 0.0f) grid->close(closing.radius, closing.weight, opt_.threads);
    grid->blur(passes, opt_.threads);
    return grid;
  }

  /// The field the superficial fascia and the skin are built on (ShellField): the final hull
  /// sampled on a grid, blurred lightly near the arm cuts and over the lumbar spine and draped
  /// elsewhere, so the edges of the sheets and muscles underneath do not print through as
  /// ridges.
  void smoothShellField() {
    float rest = 0.0f, missed = 0.0f;
    const double ms = millisecondsOf([&] {
      const auto hull = std::make_shared<const Hull>(hull_);
      GridField exact([hull](const glm::vec3& p) { return (*hull)(p); }, hullBox_, gridStep(),
                      opt_.threads);
      const GridField coarse(exact, kDrapeCoarsening);
      const float band = kDrapeCoarsening * gridStep();
      GridField draped = coarse;
      draped.blur(kDrapeBlur, opt_.threads);
      rest = draped.cover(coarse, band, kDrapeFall, kDrapeLiftBlur, opt_.threads);
      missed = draped.highestAbove(exact, band, opt_.threads);
      exact.blur(9, opt_.threads);
      shell_ = std::make_shared<const ShellField>(
          ShellField{std::move(draped), std::max(kDrapeMargin, missed), std::move(exact)});
    });
    if (opt_.verbose)
      std::fprintf(stderr,
                   "%-40s %8.0f ms (%.2f mm taken off everywhere, %.2f mm missed between "
                   "samples)\n",
                   "(shell field)", ms, 1000.0f * rest, 1000.0f * missed);
  }

  /// The superficial fascia (a closed bag: the outer surface, hull + gap + thickness, and,
  /// reversed, the inner surface, hull + gap; at the neck, arm and thigh cuts a 4 mm lid closes
  /// it, so the cut shows fat rather than a hollow) and the skin, all three surfaces read from
  /// the shell field alone, so they are built side by side, one per thread.
  void shellLayers() {
    const auto shell = shell_;
    const float hFat = std::min(0.0040f / opt_.detail, 0.0060f);
    const Sdf outerField = [shell](const glm::vec3& p) {
      return shell->at(p) - kGap - subcutaneousThickness(p);
    };
    const Sdf innerField = [shell](const glm::vec3& p) { return shell->at(p) - kGap; };
    const Sdf outerKeep = [](const glm::vec3& p) { return keepRegion(p, 0.003f); };
    const Sdf innerKeep = [](const glm::vec3& p) { return keepRegion(p, 0.007f); };
    TriMesh outer, inner, skin;
    const std::array<std::function<void()>, 3> build{
        [&] {
          outer = meshCut(outerField, outerKeep, hullBox_, hFat, budget(48000), gridStep(), true);
        },
        [&] { inner = meshCut(innerField, innerKeep, hullBox_, hFat, budget(30000), gridStep()); },
        [&] { skin = skinMesh(); }};
    std::array<double, 3> ms{};
    parallelFor(build.size(), opt_.threads,
                [&](std::size_t i) { ms[i] = millisecondsOf(build[i]); });
    for (std::size_t t = 0; t < inner.indices.size(); t += 3) std::swap(inner.indices[t + 1], inner.indices[t + 2]);
    for (glm::vec3& n : inner.normals) n = -n;
    append(outer, inner);
    optimizeForGpu(outer);
    finish(meta("superficial_fascia", "superficial-fascia",
                "Superficial fascia and subcutaneous tissue",
                "Tela subcutanea cum fascia superficiali", "Superficial fascia", "midline",
                "The layer of fat and loose connective tissue just under the skin, split in two by "
                "a thin membrane, the superficial fascia. It is thin over the spine and thicker "
                "over the low back and buttocks, and it lets the skin slide over the muscles.",
                kSubcutisColour),
           std::move(outer), ms[0] + ms[1]);
    finish(meta("skin", "skin", "Skin", "Cutis", "Skin", "midline",
                "The body's outer covering. On the back it is among the thickest skin of the body, "
                "about 2 to 3 millimetres, and it is attached loosely enough to slide over the "
                "layers beneath.",
                kSkinColour),
           std::move(skin), ms[2]);
  }

  std::vector<BuiltStructure> take() { return std::move(out_); }

private:
  /// What sheet s lies on (the hull as it is, or, for a part of a bed group, as it was before
  /// the group's first part on either side, so the left and right parts lie on the same hull
  /// and come out mirror images, whichever side is laid first) and the bump it adds to it.
  std::pair<std::shared_ptr<const Hull>, Bump> lay(const SheetDef& s) {
    auto under = std::make_shared<const Hull>(hull_);
    Bump bump{s.footprint, s.thickness, s.box, s.thickensWhere, nullptr, nullptr};
    if (!s.passesUnder.empty()) {
      if (!s.bedGroup.empty())
        throw std::invalid_argument("sheet " + s.meta.id +
                                    ": a part of a bed group cannot pass under volumes");
      under = std::make_shared<const Hull>(
          Hull{hull_.solids, hull_.bumps, solidsWithout(s.meta.id, s.passesUnder)});
      bump.laidOn = under;
      for (const std::string& id : s.passesUnder) {
        const auto over = softenedShape(s.meta.id, id);
        // Only raised, and only its sign matters beyond the bed's reach.
        const auto stopShort = [over](const glm::vec3& p, float f) {
          return f > kBedReach ? f : std::max(f, kGap - (*over)(p));
        };
        bump.footprint = [fp = bump.footprint, stopShort](const glm::vec3& p) {
          return stopShort(p, fp(p));
        };
        // Given the footprint stopped short, the thickening's own value is only raised by it.
        if (bump.thickens)
          bump.thickens = [t = bump.thickens, stopShort](const glm::vec3& p, float f) {
            return stopShort(p, t(p, f));
          };
      }
    }
    if (s.bedBlur > 0 && s.bedGroup.empty()) {
      bump.bed = bed(*under, s.box, s.bedBlur, s.bedClosing);
    } else if (s.bedBlur > 0) {
      if (!(s.bedBox.lo.x < s.bedBox.hi.x && s.bedBox.lo.y < s.bedBox.hi.y &&
            s.bedBox.lo.z < s.bedBox.hi.z))
        throw std::invalid_argument("sheet " + s.meta.id + ": bed group " + s.bedGroup +
                                    " without a bed box");
      const auto group =
          bedGroups_.try_emplace(s.bedGroup, BedGroup{under, s.bedBlur, s.bedClosing.radius, {}})
              .first;
      if (group->second.blur != s.bedBlur || group->second.closing != s.bedClosing.radius)
        throw std::invalid_argument("sheet " + s.meta.id + ": bed group " + s.bedGroup +
                                    " with two blurs or closings");
      under = group->second.hull;
      auto& grid = group->second.grids[s.meta.side];
      if (!grid) grid = bed(*under, s.bedBox, s.bedBlur, s.bedClosing);
      bump.bed = grid;
    }
    return {std::move(under), std::move(bump)};
  }

  void addSolid(std::string id, Shape shape) {
    solids_.add(std::move(shape));
    solidIds_.push_back(std::move(id));
  }

  /// The shape of the volume `id` built so far; throws std::invalid_argument, naming `sheet`,
  /// if there is none.
  const Shape& solidShape(const std::string& sheet, const std::string& id) const {
    const auto at = std::find(solidIds_.begin(), solidIds_.end(), id);
    if (at == solidIds_.end())
      throw std::invalid_argument("sheet " + sheet + " passes under " + id +
                                  ", which is not a volume built before it");
    return solids_.shapes()[static_cast<std::size_t>(at - solidIds_.begin())];
  }

  /// The shape of the volume `id` sampled and lightly blurred (two passes, about 4 mm), for the
  /// sheets passing under it to end at: cut along its bundles' own ridges, their ends were
  /// ragged in a section. Sampled once for all of them; throws as solidShape does.
  std::shared_ptr<const GridField> softenedShape(const std::string& sheet, const std::string& id) {
    auto& cached = softenedShapes_[id];
    if (cached) return cached;
    const Shape& shape = solidShape(sheet, id);
    auto grid =
        std::make_shared<GridField>(shape, shape.box.padded(0.01f), gridStep(), opt_.threads);
    grid->blur(2, opt_.threads);
    cached = std::move(grid);
    return cached;
  }

  /// The smooth union of the solids less the volumes `ids`, sampled 4 cm round their boxes on
  /// the hull grid's own lattice (its far samples interpolated from the same corners), for a
  /// Hull to read there instead of the solids grid: it reads as that grid does where they add
  /// nothing (but for a cavity its crop cuts through, which it cannot fill). Sampled once for
  /// all the sheets that pass under the same volumes. Throws std::invalid_argument, naming
  /// `sheet`, if a name is not a volume built so far.
  std::shared_ptr<const GridField> solidsWithout(const std::string& sheet,
                                                 const std::vector<std::string>& ids) {
    std::string key;
    for (const std::string& id : ids)
      key += id + "\n";
    auto& cached = withoutGrids_[key];
    if (cached) return cached;
    Aabb around;
    for (const std::string& id : ids) {
      const Aabb near = solidShape(sheet, id).box.padded(0.04f);
      around.extend(near.lo);
      around.extend(near.hi);
    }
    around = around.intersect(hullBox_);
    ShapeUnion rest(kSolidsBlend);
    rest.setInteriorCutoff(kSolidsInteriorCutoff);
    for (std::size_t i = 0; i < solidIds_.size(); ++i)
      if (std::find(ids.begin(), ids.end(), solidIds_[i]) == ids.end())
        rest.add(solids_.shapes()[i]);
    const float cell = gridStep() * static_cast<float>(kHullFarSampling.stride);
    const glm::vec3 lo = hullBox_.lo + glm::floor((around.lo - hullBox_.lo) / cell) * cell;
    auto grid = std::make_shared<GridField>([&rest](const glm::vec3& p) { return rest(p); },
                                            Aabb{lo, around.hi}, gridStep(), opt_.threads,
                                            kHullFarSampling);
    grid->fillCavities();
    cached = std::move(grid);
    return cached;
  }

  /// The mesh of sheet s, laid on `under` with `bump`; `hidden` and `dropMs` tell how many
  /// triangles lining the hull's hollows (or in crumbs) were dropped, and how long that took.
  TriMesh sheetMesh(const SheetDef& s, std::shared_ptr<const Hull> under, const Bump& bump,
                    std::size_t& hidden, double& dropMs) const {
    const float h = s.spacing / opt_.detail;
    const Sdf base = [under = std::move(under), bump, sink = s.sink](const glm::vec3& p) {
      const float d = bump.onBed((*under)(p), p) - kGap;
      return sink ? d + sink(p) : d;
    };
    const Sdf footprint = bump.footprint;
    const Sdf region = [base, footprint, h](const glm::vec3& p) {
      return std::max(base(p), footprint(p) - 2.0f * h);
    };
    const Aabb box = s.box.intersect(hullBox_);
    TriMesh m = polygonise(region, box, h, 1);
    m = clipMesh(m, footprint);
    dropMs = millisecondsOf([&] { hidden = dropStrayPieces(m, base, kHollowReach, gridStep()); });
    simplifyAndShade(m, base, budget(s.triangles), h,
                     s.normalStep > 0.0f ? s.normalStep : gridStep(), true);
    TriMesh out = makeSheet(m, s.thickness);
    if (s.fibre) fillFibres(out, s.fibre);
    optimizeForGpu(out);
    return out;
  }

  /// The mesh of volume `index` of the list `all` holds, carved by the volumes before it.
  TriMesh volumeMesh(const VolumeDef& v, const std::shared_ptr<const ShapeUnion>& all,
                     std::size_t index) const {
    const float h = v.spacing / opt_.detail;
    const Shape raw = v.shape;
    const bool carve = v.carve && index > 0;
    const Sdf body = [raw, carve, all, index, carveRound = v.carveRound](const glm::vec3& p) {
      float d = raw(p);
      if (d > 0.006f) return d;
      if (carve) d = smax(d, kGap - all->first(index, p), carveRound(p));
      return d;
    };
    const Sdf keep = [](const glm::vec3& p) { return keepRegion(p, 0.006f); };
    TriMesh m = meshCut(body, keep, raw.box.padded(2.0f * h), h, budget(v.triangles), 2.5e-4f);
    if (v.fibre) fillFibres(m, v.fibre);
    optimizeForGpu(m);
    return m;
  }

  /// The skin: a sheet of its thickness on the shell field at the fat's outer surface plus a gap.
  TriMesh skinMesh() const {
    const float h = std::min(0.0036f / opt_.detail, 0.0050f);
    const auto shell = shell_;
    const Sdf base = [shell](const glm::vec3& p) {
      return shell->at(p) - 2.0f * kGap - subcutaneousThickness(p);
    };
    const Sdf keep = [](const glm::vec3& p) { return keepRegion(p, 0.0f); };
    const Sdf region = [base, keep, h](const glm::vec3& p) { return std::max(base(p), keep(p) - 2.0f * h); };
    TriMesh m = polygonise(region, hullBox_, h, 1);
    m = clipMesh(m, keep);
    simplifyAndShade(m, base, budget(36000), h, gridStep(), true);
    TriMesh out = makeSheet(m, [](const glm::vec3&) { return kSkinThickness; });
    optimizeForGpu(out);
    return out;
  }

  /// Simplifies a surface polygonised on f with spacing h to about `triangles` triangles, with
  /// `splitBent` splits the edges along which its interpolated normals would stray from f's
  /// (splitBentEdges), and moves it onto f and shades it with f's gradient (step `normalStep`).
  void simplifyAndShade(TriMesh& m, const Sdf& f, std::size_t triangles, float h, float normalStep,
                        bool splitBent) const {
    simplify(m, triangles, 0.5f * h);
    if (splitBent)
      splitBentEdges(m, f, kShadingError, 2.0f * h,
                     triangles +
                         static_cast<std::size_t>(kShadingSplits * static_cast<float>(triangles)),
                     normalStep);
    projectAndShade(m, f, normalStep);
  }

  /// Meshes the solid body (a distance field) inside the keep region, with about `triangles`
  /// triangles, shaded from body's gradient. Where it reaches a cut (the neck, arm or thigh
  /// planes of keep), the surface is clipped exactly on the plane and closed by a flat cap, so
  /// the cut end is a clean, flat face with a crisp rim: polygonising the sharp edge between
  /// the body and the plane would leave a saw-tooth rim at the grid spacing.
  /// Polygonised on one thread: the builder runs several of these side by side.
  TriMesh meshCut(const Sdf& body, const Sdf& keep, const Aabb& box, float h, std::size_t triangles,
                  float normalStep, bool splitBent = false) const {
    const Sdf region = [body, keep, h](const glm::vec3& p) {
      return std::max(body(p), keep(p) - 2.0f * h);
    };
    TriMesh m = polygonise(region, box, h, 1);
    const bool cut = std::any_of(m.positions.begin(), m.positions.end(),
                                 [&keep](const glm::vec3& p) { return keep(p) >= 0.0f; });
    if (cut) m = clipMesh(m, keep);
    simplifyAndShade(m, body, triangles, h, normalStep, splitBent);
    if (cut) {
      const std::size_t wrong = capPlanarBorders(m, keep, std::min(0.3f * h, 0.0006f));
      if (wrong > 0) std::fprintf(stderr, "warning: %zu cap triangles face inwards\n", wrong);
    }
    return m;
  }

  /// Spacing of the grids the hull, the beds and the shell field are sampled on.
  float gridStep() const { return 0.003f / std::min(1.0f, std::max(opt_.detail, 0.75f)); }

  std::size_t budget(std::size_t full) const {
    return std::max<std::size_t>(150, static_cast<std::size_t>(static_cast<float>(full) * opt_.detail * opt_.detail));
  }
  void finish(StructureMeta m, TriMesh mesh, std::chrono::steady_clock::time_point t0) {
    finish(std::move(m), std::move(mesh), millisecondsSince(t0));
  }
  void finish(StructureMeta m, TriMesh mesh, double ms) {
    m.fmaId = fmaIdFor(m.id);
    if (opt_.verbose)
      std::fprintf(stderr, "%-40s %8zu triangles %8.0f ms\n", m.id.c_str(), mesh.triangleCount(),
                   ms);
    out_.push_back(BuiltStructure{m, std::move(mesh)});
  }

  BuildOptions opt_;
  ShapeUnion solids_{kSolidsBlend};
  /// The volume id of each shape solids_ holds, in order ("" for the filler).
  std::vector<std::string> solidIds_;
  /// SheetDef::passesUnder's grids (solidsWithout), by the ids left out.
  std::map<std::string, std::shared_ptr<const GridField>> withoutGrids_;
  /// SheetDef::passesUnder's volumes, softened (softenedShape), by id.
  std::map<std::string, std::shared_ptr<const GridField>> softenedShapes_;
  Aabb hullBox_;
  Hull hull_;
  std::shared_ptr<const ShellField> shell_;
  /// A bed group laid so far (SheetDef::bedGroup): the hull before its first part, and its
  /// bed on each side.
  struct BedGroup {
    std::shared_ptr<const Hull> hull;
    int blur = 0;
    float closing = 0.0f;
    std::map<std::string, std::shared_ptr<const GridField>> grids;
  };
  std::map<std::string, BedGroup> bedGroups_;
  std::vector<BuiltStructure> out_;
};

} // namespace

/// The definitions the makers give, one list after the other.
template <class Def> std::vector<Def> concat(std::initializer_list<std::vector<Def> (*)()> makers) {
  std::vector<Def> all;
  for (auto make : makers) {
    std::vector<Def> more = make();
    all.insert(all.end(), std::make_move_iterator(more.begin()),
               std::make_move_iterator(more.end()));
  }
  return all;
}

std::vector<BuiltStructure> buildAnatomy(const BuildOptions& options) {
  Builder b(options);
  b.volumes(concat<VolumeDef>({makeBones, makeVolumeMuscles, makeNeckMuscles, makeFrontMuscles}));
  b.freezeSolids();
  b.sheets(concat<SheetDef>({makeAbdominalWallSheets, makeSheetMuscles, makeDeepFascia}));
  b.smoothShellField();
  b.shellLayers();
  return b.take();
}

} // namespace fascia::anatomy
