#pragma once
/// \file mesh_ops.h
/// Turning distance fields into triangle meshes: narrow-band marching tetrahedra, clipping a
/// surface to a region, thin sheets with real thickness, simplification, and closedness checks.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include <glm/vec3.hpp>

#include "sdf.h"

namespace fascia::anatomy {

/// An indexed triangle mesh (counter-clockwise seen from outside). normals and fibres are empty
/// or have one entry per position.
struct TriMesh {
  std::vector<glm::vec3> positions;
  std::vector<glm::vec3> normals;
  std::vector<glm::vec3> fibres;
  std::vector<std::uint32_t> indices;

  std::size_t triangleCount() const { return indices.size() / 3; }
};

/// Polygonises the zero level set of f inside box with grid spacing h. The field is treated as
/// positive on the box faces, so the result is always closed, manifold and outward-oriented
/// (marching tetrahedra on the Freudenthal split of each cube, with the sign fixed by the
/// tetrahedron's parity). Evaluation runs on up to `threads` threads; each grid value is a pure
/// function of its position, so the output does not depend on the thread count. The field's
/// slope must stay below 1.6 (|f(p) - f(q)| <= 1.6 |p - q|, a distance has 1): points too far
/// from the surface to matter by that bound are not evaluated, whole blocks of 8^3 cells and,
/// inside the others, the points between those of even (i, j, k).
TriMesh polygonise(const Sdf& f, const Aabb& box, float h, unsigned threads);

/// Keeps the part of a surface where keep(p) < 0, cutting triangles along keep's zero line.
TriMesh clipMesh(const TriMesh& m, const Sdf& keep);

/// Simplifies with meshoptimizer to about targetTriangles, never beyond maxError metres, then
/// reorders for the vertex cache and drops unused vertices. Keeps positions only.
void simplify(TriMesh& m, std::size_t targetTriangles, float maxError);

/// Flips interior edges to the other diagonal of their two triangles where that diagonal is the
/// Delaunay one (the two angles facing the edge add up to more than 180 degrees), the quad is
/// convex (no new triangle turns more than 60 degrees from an old one, or from the other new
/// one; an old sliver, with an angle under a degree, has no direction and is not compared, but
/// then the other must have no angle under 5 degrees and the flip must enlarge the pair's
/// smallest angle) and the surface moves
/// by at most `maxShift` in all (the distance between the diagonals, added up over flips on
/// flips). Simplification leaves long slivers on smooth surfaces; interpolated normals across
/// them shade as thin lines in a highlight. Positions and borders are kept; a flip that would
/// make an edge the mesh already has is skipped. Returns the number of flips.
std::size_t flipToDelaunay(TriMesh& m, float maxShift);

/// Splits the edges along which a surface's interpolated normals stray from f's (the gradient,
/// central differences of step `normalStep`): every edge longer than `minLength` whose
/// midpoint, moved onto f's zero level, has a normal more than `maxError` radians from the
/// normalised mean of its ends' normals, and the longest edge (if longer than `minLength`) of
/// every triangle whose centroid's normal strays so from the mean of its corners', is split
/// at that midpoint on the surface. In up to 12 passes, each splitting at most one edge of a
/// triangle, the most astray (times the edge's length) first; an edge with more than two
/// triangles, whose split would turn a half against the surface's normals, or whose midpoint
/// lies within a tenth of `minLength`, and 3 % of the edge, of a triangle's third corner (a
/// sliver along it), is left;
/// stops where the mesh would exceed `maxTriangles`. A simplifier bounds only the distance to the
/// surface, which lets a triangle 4 cm long span 20 degrees of a gently curved back; its
/// normals, interpolated linearly, shade as faint straight lines and streaks. Clears normals
/// and fibres (shade after). Returns the number of splits.
std::size_t splitBentEdges(TriMesh& m, const Sdf& f, float maxError, float minLength,
                           std::size_t maxTriangles, float normalStep);

/// Quadric edge-collapse simplification that checks the link condition before every collapse,
/// so a manifold mesh stays manifold (slower than meshoptimizer; used where it fails).
void simplifyManifold(TriMesh& m, std::size_t targetTriangles, float maxError);

/// Flips the long edge (or, failing that, another) of every triangle that faces against its
/// corners' normals, where the pair across it can face with theirs (within 60 degrees): the
/// slivers that moving the corners onto a field one by one folds over. Needs a normal per
/// vertex. Returns the number of flips.
std::size_t unfoldSlivers(TriMesh& m);

/// Moves a corner of each triangle that faces against its corners' normals to the centroid of
/// its neighbours and onto f (one Newton step, normal from f's gradient), where every triangle
/// round it then faces with the normals (within 60 degrees): folds that no single edge flip
/// undoes. Needs a normal per vertex. Returns the number of corners moved.
std::size_t relaxFoldedCorners(TriMesh& m, const Sdf& f, float normalStep = 2.5e-4f);

/// Irons out each triangle still folded after relaxFoldedCorners (facing against its corners'
/// normals): the vertices within 1.5 times its longest side of it (then 2.5 and 4 times, at
/// most 6 cm, while that fails), reached through each other, are moved 200 times over each to
/// the centroid of its neighbours, with the vertices round them held, and then onto f (two
/// Newton steps). The patch is kept only if no triangle round it is then folded and no more of
/// them face their normals by less than 60 degrees than before. Where a corner crossed a fan of
/// slivers, no single corner's move or edge flip unfolds it. Border vertices stay. Deterministic.
/// Returns the patches kept.
std::size_t relaxFoldedPatches(TriMesh& m, const Sdf& f, float normalStep = 2.5e-4f);

/// Merges the two corners of every edge shorter than minLength (the one with the larger index
/// into the other, which keeps its position, or the other way round where that would turn a
/// triangle over), with the two triangles on the edge removed. Leaves an edge on a border, one
/// with a corner on a border, a non-manifold one, one whose corners share a neighbour besides
/// the two opposite it (the collapse would pinch the mesh), and one that turns a triangle over
/// whichever corner goes. Then drops every vertex no triangle uses and renumbers the rest (in
/// order); `fibres` must be empty or hold one per vertex. Returns the number of edges collapsed.
std::size_t collapseShortEdges(TriMesh& m, float minLength);

/// Moves each vertex one Newton step onto f's zero level and sets normals from f's gradient,
/// undoes the folds that this leaves (unfoldSlivers, relaxFoldedCorners, relaxFoldedPatches), then
/// merges the corners left within 0.05 mm of each other (collapseShortEdges: it may drop vertices
/// and renumber the indices). `normalStep` is the central-difference step of the gradient: on a
/// field sampled on a grid it should be about the grid spacing, because the interpolated gradient
/// ripples within each cell and a difference across one cell averages that out (a short step shades
/// the ripple as facets).
void projectAndShade(TriMesh& m, const Sdf& f, float normalStep = 2.5e-4f);

/// Builds a closed sheet from an open surface patch with normals: the patch (reversed) is the
/// inner face, the patch moved along its normals by thickness(p) is the outer face, and a strip
/// joins them along every border.
TriMesh makeSheet(const TriMesh& patch, const std::function<float(const glm::vec3&)>& thickness);

/// Closes every border loop of an open surface with normals by a flat cap on the plane of keep
/// (a distance to planes, negative in the kept region) that the loop lies on: the loop's
/// vertices are moved onto that plane, a ring `bevel` inside the loop carries the plane's normal
/// (so the cap shades flat and meets the surface at a crisp edge, like a cut in an atlas), and
/// a fan from the loop's centroid fills it. A loop that is not star-shaped around its centroid
/// (the fat's lids beside the armpits, which cross the crease between the side and arm-cut
/// planes, and the deltoid's cut) gets its ring on the loop itself instead (copies of its
/// vertices carrying the plane's normal, joined to them by strips of no width) and is filled
/// by ear clipping. Returns the number of cap triangles facing the wrong way (0 unless a loop
/// crosses itself).
std::size_t capPlanarBorders(TriMesh& m, const Sdf& keep, float bevel);

/// Triangulates a simple planar polygon (indices into positions, counter-clockwise seen from
/// the side n points to) by ear clipping: triangles facing n. A polygon that crosses itself
/// ends in a fan once no ear is left.
std::vector<std::uint32_t> earClip(const std::vector<glm::vec3>& positions,
                                   const std::vector<std::uint32_t>& polygon, const glm::vec3& n);

/// Removes the stray pieces (connected parts) of a surface on f's zero set: those that face
/// into a hollow of f rather than out of it, i.e. from more than a quarter of whose vertices (an
/// even sample of up to 256 a piece) a walk along the outward normal (of the triangles) meets
/// f < 0 again within `reach` (sampled every `step`), and crumbs: pieces of under a hundredth of
/// the triangles of the piece that always stays, the least shut-in of those of at least a tenth
/// of the largest's size.
/// A sheet laid on the body hull inside its outline is every zero crossing there, so it also
/// lined the hull's open pockets under its outline (between the scapula and the ribs, behind
/// the intercostal spaces), as hidden pieces inside the body. On the bundled model such pieces
/// are shut in from 37-100 % of their vertices and the pieces on the outside from 0-2 %, except
/// serratus posterior inferior, one piece lying in the hollow of the loin (45 %), which the
/// rule above keeps. The crumbs are what the outline's clip leaves where it grazes the hull, on
/// the outside or in a pocket open to it (up to 0.7 % of a sheet's triangles on the bundled
/// model). Returns the number of triangles removed; when it is not 0, vertices no longer used
/// are dropped.
std::size_t dropStrayPieces(TriMesh& m, const Sdf& f, float reach, float step);

/// Appends b to a.
void append(TriMesh& a, const TriMesh& b);

/// Reorders for the vertex cache and vertex fetch (all attributes follow).
void optimizeForGpu(TriMesh& m);

/// Edge statistics of a mesh: a closed, consistently oriented mesh has every directed edge
/// exactly once and its reverse exactly once.
struct EdgeReport {
  std::size_t edges = 0;
  std::size_t unpaired = 0;   ///< directed edges whose reverse is missing (holes, flips)
  std::size_t duplicated = 0; ///< directed edges used more than once (non-manifold or flipped)
};
EdgeReport checkEdges(const TriMesh& m);

} // namespace fascia::anatomy
