#pragma once
/// \file committed_model.h
/// The committed model (assets/torso.glb and its manifest), read once per test process, and the
/// queries the tests of it share: its meshes by name, overlap checks against it, and rays cast
/// into it (tests only).

#include <cstddef>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <glm/vec3.hpp>
#include <nlohmann/json.hpp>

#include "glb_reader.h"
#include "mesh_ops.h"
#include "nesting.h"

namespace fascia::anatomy::test {

// ---------------------------------------------------------------------------------------------
// The model and its meshes
// ---------------------------------------------------------------------------------------------

/// The source tree's assets/ folder, where the committed model lies.
extern const std::filesystem::path kAssets;

/// The committed model as read from its files: the GLB's bytes, its meshes and the manifest.
struct CommittedModel {
  std::vector<unsigned char> glbBytes;
  std::vector<GlbMesh> meshes;
  nlohmann::json manifest;
};

/// The committed model, read on first use and kept until the process ends. Throws
/// std::runtime_error when a file cannot be read or parsed.
const CommittedModel& committed();

/// The committed model's mesh of structure `name`, or null if there is none.
const TriMesh* findCommittedMesh(const std::string& name);

/// The committed model's mesh of structure `name` (throws std::out_of_range if there is none).
const TriMesh& committedMesh(const std::string& name);

// ---------------------------------------------------------------------------------------------
// Overlaps
// ---------------------------------------------------------------------------------------------

/// The committed meshes with their layer ranks, less those `leaveOut` names (by name, layer).
std::vector<RankedMesh>
rankedCommitted(const std::function<bool(const std::string&, const std::string&)>& leaveOut = {});

/// Checks that no tested vertex of `names` lies inside another of `meshes` (checkOverlap), and
/// that at least `minTested` vertices were tested.
void expectNoOverlap(const std::vector<RankedMesh>& meshes, const std::vector<std::string>& names,
                     int stride, float tolerance, int minTested);

// ---------------------------------------------------------------------------------------------
// Rays
// ---------------------------------------------------------------------------------------------

/// Where a ray (unit direction d) meets a mesh first: the distance along it, the triangle and
/// the barycentric weights of its second and third corners there.
struct MeshHit {
  float t = 0.0f;
  std::size_t triangle = 0;
  float u = 0.0f, v = 0.0f;
};

/// Where the ray from o along the unit direction d first meets `mesh`, if it does (every
/// triangle is tested).
std::optional<MeshHit> rayHitOn(const TriMesh& mesh, const glm::vec3& o, const glm::vec3& d);

/// The distance along the ray (unit direction d) to the nearest triangle of `mesh` it meets.
std::optional<float> rayHit(const TriMesh& mesh, const glm::vec3& o, const glm::vec3& d);

/// The first structure of one of `layers` a ray meets: its name and the distance along it.
/// `structures` is the manifest's "structures" object, which gives each mesh's layer.
std::optional<std::pair<std::string, float>>
firstHitIn(const std::vector<GlbMesh>& meshes, const nlohmann::json& structures, const glm::vec3& o,
           const glm::vec3& d, std::initializer_list<std::string_view> layers);

/// The first muscle or bone a ray meets (sheets included; bones only: what peel 4 shows): its
/// name and the distance along it.
std::optional<std::pair<std::string, float>> firstHitOf(const std::vector<GlbMesh>& meshes,
                                                        const nlohmann::json& structures,
                                                        const glm::vec3& o, const glm::vec3& d,
                                                        bool bonesOnly = false);

/// The name of the first muscle or bone a ray meets, or "" when it meets none.
std::string firstMuscleOrBone(const std::vector<GlbMesh>& meshes, const nlohmann::json& structures,
                              const glm::vec3& o, const glm::vec3& d);

/// What peel 2 shows first along a ray from o along d: the first deep fascia, muscle or bone
/// it meets and the distance to it, if any.
std::optional<std::pair<std::string, float>> firstAtPeel2(const CommittedModel& m,
                                                          const glm::vec3& o, const glm::vec3& d);

/// The first deep fascia, muscle or bone met by a ray from behind at (x, y); fails the test
/// when there is none.
std::string firstFromBehind(const CommittedModel& m, float x, float y);

/// A grid of points on both sides of the back, as rays from behind see it: x = ±(x0 + i dx) for
/// i < nx, y = y0 + j dy for j < ny.
struct BackGrid {
  float x0, dx;
  int nx;
  float y0, dy;
  int ny;
};

/// Calls visit(x, y) at every point of the grid, the left side's first.
template <class Visit> void forEachOnBothSides(const BackGrid& g, Visit visit) {
  for (float side : {1.0f, -1.0f})
    for (int i = 0; i < g.nx; ++i)
      for (int j = 0; j < g.ny; ++j)
        visit(side * (g.x0 + g.dx * static_cast<float>(i)), g.y0 + g.dy * static_cast<float>(j));
}

// ---------------------------------------------------------------------------------------------
// Profiles along a row of rays
// ---------------------------------------------------------------------------------------------

/// The entries of `met` from its first to its last non-zero one (an empty range when all are 0).
std::pair<std::vector<int>::const_iterator, std::vector<int>::const_iterator>
metSpan(const std::vector<int>& met);

/// How far a sample of a profile lies, at most, from the mean of its neighbours `reach` samples
/// either side: a groove or a bump narrower than about twice that reach, where the profile
/// itself bends smoothly.
float worstOffNeighbours(const std::vector<float>& profile, std::size_t reach);

} // namespace fascia::anatomy::test
