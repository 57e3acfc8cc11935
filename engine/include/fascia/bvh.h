#pragma once
/// \file bvh.h
/// A bounding volume hierarchy over all triangles of a model, for CPU ray casts (picking).

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <vector>

#include <glm/vec3.hpp>

#include "fascia/mesh.h"
#include "fascia/model.h"

namespace fascia {

/// A ray: origin + t * direction, t >= 0. The direction need not be unit length.
struct Ray {
  glm::vec3 origin{0.0f};
  glm::vec3 direction{0.0f, 0.0f, -1.0f};
};

/// The nearest intersection of a ray with the model.
struct RayHit {
  std::uint32_t structure = 0; ///< index into Model::structures
  std::uint32_t triangle = 0;  ///< triangle index within that structure's mesh
  float t = 0.0f;              ///< ray parameter of the hit
  glm::vec3 barycentric{0.0f}; ///< weights of the triangle's three vertices
  glm::vec3 position{0.0f};    ///< world position of the hit
};

/// Which structures a ray may hit; an empty function accepts all.
using StructureFilter = std::function<bool(std::uint32_t structure)>;

/// A static BVH (binned SAH) over a snapshot of a model's triangles. It copies the vertex
/// positions it needs, so it stays valid when the model is moved. Rebuild after geometry edits.
class Bvh {
public:
  Bvh() = default;
  /// Builds over every triangle of every structure. O(n log n).
  explicit Bvh(const Model& model);

  /// The nearest hit with t in [0, maxT] among structures the filter accepts, or none.
  /// Triangles are hit from both sides; zero-area triangles are never hit. Among hits at the
  /// same t the lowest structure index, then triangle index wins, so the answer is that of
  /// intersectBruteForce (only faces lying in one plane, within rounding, may resolve to another
  /// triangle at the same t). The filter is called at most once per structure per query.
  /// Thread-safe for concurrent queries.
  std::optional<RayHit> intersect(const Ray& ray, const StructureFilter& filter = {},
                                  float maxT = std::numeric_limits<float>::infinity()) const;

  /// Triangles in the tree: every triangle of the model except those with a non-finite vertex.
  std::size_t triangleCount() const { return triangles_.size(); }
  /// Inner nodes plus leaves.
  std::size_t nodeCount() const { return nodes_.size(); }
  /// True when there is nothing a ray could hit.
  bool empty() const { return triangles_.empty(); }

  /// Shape of the tree, for tests and benchmarks.
  struct Stats {
    std::size_t leaves = 0;
    std::size_t maxLeafTriangles = 0; ///< largest leaf
    std::size_t maxDepth = 0;         ///< root alone is depth 0
  };
  /// Walks the tree; O(nodes).
  Stats stats() const;

  /// Leaves hold at most this many triangles, unless the tree hits kMaxDepth.
  static constexpr std::uint32_t kMaxLeafTriangles = 8;
  /// No path is longer than this (the traversal stack is sized by it).
  static constexpr std::uint32_t kMaxDepth = 60;

private:
  /// 32 bytes. Nodes are stored depth-first: an inner node's first child is the next node.
  struct Node {
    glm::vec3 min{0.0f};
    std::uint32_t offset = 0; ///< first triangle (leaf) or index of the second child (inner)
    glm::vec3 max{0.0f};
    std::uint32_t count = 0; ///< triangle count; 0 for inner nodes
  };
  /// A triangle ready for the Moeller-Trumbore test, in leaf order.
  struct Triangle {
    glm::vec3 v0, e1, e2; ///< first vertex and the two edges from it
    std::uint32_t structure;
    std::uint32_t index;
  };
  struct Builder;

  std::vector<Node> nodes_;
  std::vector<Triangle> triangles_;
  std::uint32_t structureCount_ = 0; ///< size of the model's structure list at build time
};

/// The same query by testing every triangle: the reference the BVH is tested and benchmarked
/// against.
std::optional<RayHit> intersectBruteForce(const Model& model, const Ray& ray,
                                          const StructureFilter& filter = {},
                                          float maxT = std::numeric_limits<float>::infinity());

} // namespace fascia
