#pragma once
/// \file nesting.h
/// Layer-order checks by ray casting against finished meshes (tests only).

#include <string>
#include <vector>

#include "mesh_ops.h"

namespace fascia::anatomy::test {

/// A mesh with its layer rank: 0 skin, 1 superficial fascia, 2 deep fascia, 3 muscle, 4 bone.
struct RankedMesh {
  std::string name;
  int rank = 0;
  const TriMesh* mesh = nullptr;
};

/// Layer rank of a manifest layer name, or -1.
int layerRank(const std::string& layer);

struct NestingReport {
  int rays = 0;       ///< rays that hit the body and were checked
  int violations = 0; ///< rays on which a deeper layer came before a shallower one
  std::vector<std::string> examples;
};

/// Casts horizontal rays from behind and from the sides toward the body axis at heights
/// 0.80-1.60 m, from the front across the abdomen (0.90-1.35 m, up to 60 degrees either side),
/// and vertical rays down onto the shoulders, and checks along each ray that the
/// skin is met first, that nothing but skin lies before the superficial fascia is entered,
/// that no fascia, muscle or bone lies before the superficial fascia, and that where deep
/// fascia is met on a ray from behind, no muscle or bone lies in front of it. Only the part of
/// each ray until it leaves the body again counts. Rays that first meet the body within
/// 8 mm of a cut (neck, arms, thighs) are skipped: the cut faces show every layer by design.
NestingReport checkNesting(const std::vector<RankedMesh>& meshes, int heightSteps, int angleSteps);

struct OverlapReport {
  int tested = 0; ///< vertices tested
  int inside = 0; ///< of those, vertices found inside another mesh
  std::vector<std::string> examples;
};

/// Tests every `stride`-th vertex of the meshes named in `names` for lying inside any other mesh:
/// by the parity of crossings along three horizontal rays, and a majority of the three, so a ray
/// that grazes an edge does not decide alone. Closed sheets (skin, fat, fascia) that the vertex
/// lies under are crossed twice and do not count. Each vertex is tested `tolerance` metres
/// inside its own surface (against its normal), so overlaps shallower than that pass: the
/// builder keeps a 0.8 mm gap in the distance fields, but simplifying both meshes may move
/// their vertices by up to about a millimetre.
OverlapReport checkOverlap(const std::vector<RankedMesh>& meshes, const std::vector<std::string>& names,
                           int stride, float tolerance);

} // namespace fascia::anatomy::test
