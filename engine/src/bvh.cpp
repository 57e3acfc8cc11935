#include "fascia/bvh.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <exception>
#include <thread>
#include <utility>

#include <glm/geometric.hpp>

namespace fascia {
namespace {

// ---------------------------------------------------------------------------------------------
// Ray-primitive tests shared by the BVH and the brute-force reference, so both agree bit for bit
// on every triangle they test.
// ---------------------------------------------------------------------------------------------

/// Moeller-Trumbore, two-sided. On a hit with t in [0, tMax] writes t and the barycentric
/// weights of v1 and v2. The conditions are written so that NaN anywhere rejects the triangle;
/// degenerate (zero-area) triangles give det == 0 and are never hit.
inline bool intersectTriangle(const glm::vec3& origin, const glm::vec3& direction,
                              const glm::vec3& v0, const glm::vec3& e1, const glm::vec3& e2,
                              float tMax, float& t, float& u, float& v) {
  const glm::vec3 p = glm::cross(direction, e2);
  const float det = glm::dot(e1, p);
  if (!(det != 0.0f)) return false;
  const float invDet = 1.0f / det;
  const glm::vec3 s = origin - v0;
  u = glm::dot(s, p) * invDet;
  if (!(u >= 0.0f && u <= 1.0f)) return false;
  const glm::vec3 q = glm::cross(s, e1);
  v = glm::dot(direction, q) * invDet;
  if (!(v >= 0.0f && u + v <= 1.0f)) return false;
  t = glm::dot(e2, q) * invDet;
  return t >= 0.0f && t <= tMax;
}

inline bool isFinite(const glm::vec3& p) {
  return std::isfinite(p.x) && std::isfinite(p.y) && std::isfinite(p.z);
}

/// Whether a hit at t on (structure, triangle) replaces the best so far at bestT. Equal distances
/// (shared edges, coincident faces) go to the lowest structure, then triangle, so the answer does
/// not depend on the order in which the tree visits triangles.
inline bool isBetter(float t, std::uint32_t structure, std::uint32_t triangle, bool haveBest,
                     float bestT, std::uint32_t bestStructure, std::uint32_t bestTriangle) {
  if (!haveBest || t < bestT) return true;
  if (t > bestT) return false;
  return structure != bestStructure ? structure < bestStructure : triangle < bestTriangle;
}

inline RayHit makeHit(const Ray& ray, std::uint32_t structure, std::uint32_t triangle, float t,
                      float u, float v) {
  RayHit hit;
  hit.structure = structure;
  hit.triangle = triangle;
  hit.t = t;
  hit.barycentric = glm::vec3(1.0f - u - v, u, v);
  hit.position = ray.origin + t * ray.direction;
  return hit;
}

/// Looks up each structure's filter verdict once per query instead of once per triangle.
class FilterCache {
public:
  FilterCache(const StructureFilter& filter, std::uint32_t structureCount)
      : filter_(filter), verdicts_(filter ? structureCount : 0u, kUnknown) {}

  bool accepts(std::uint32_t structure) {
    if (!filter_) return true;
    std::uint8_t& verdict = verdicts_[structure];
    if (verdict == kUnknown) verdict = filter_(structure) ? kAccept : kReject;
    return verdict == kAccept;
  }

private:
  static constexpr std::uint8_t kUnknown = 2, kAccept = 1, kReject = 0;
  const StructureFilter& filter_;
  std::vector<std::uint8_t> verdicts_;
};

/// Half the surface area of a box: the SAH only needs ratios.
inline float halfArea(const glm::vec3& min, const glm::vec3& max) {
  const glm::vec3 d = max - min;
  return d.x * d.y + d.y * d.z + d.z * d.x;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Build: binned SAH, nodes written depth-first.
// ---------------------------------------------------------------------------------------------

struct Bvh::Builder {
  static constexpr int kBins = 16;
  // Relative costs of visiting a node and of testing one triangle. A node visit tests two boxes;
  // 2 gives leaves of about 3 triangles, fewer nodes and a faster build at the same query speed.
  static constexpr float kTraversalCost = 2.0f;
  static constexpr float kTriangleCost = 1.0f;

  /// One triangle during the build: its bounds and where it comes from.
  struct PrimRef {
    glm::vec3 min;
    std::uint32_t structure;
    glm::vec3 max;
    std::uint32_t triangle;
    glm::vec3 centre() const { return (min + max) * 0.5f; }
  };
  struct Bin {
    glm::vec3 min{std::numeric_limits<float>::max()};
    glm::vec3 max{std::numeric_limits<float>::lowest()};
    std::uint32_t count = 0;
  };
  /// A range of refs still to be turned into a subtree.
  struct Task {
    std::uint32_t begin, end;
    std::uint32_t parent; ///< node whose second child this is, or kNoParent
    std::uint32_t depth;
  };
  static constexpr std::uint32_t kNoParent = std::numeric_limits<std::uint32_t>::max();
  /// Below this many triangles a second thread costs more than it saves.
  static constexpr std::size_t kParallelThreshold = 50'000;

  const Model& model;
  Bvh& bvh;
  std::vector<PrimRef> refs;

  Builder(const Model& source, Bvh& target) : model(source), bvh(target) {}

  void gather() {
    std::size_t total = 0;
    for (const Structure& s : model.structures)
      total += s.mesh.triangleCount();
    refs.reserve(total);
    for (std::size_t si = 0; si < model.structures.size(); ++si) {
      const MeshData& mesh = model.structures[si].mesh;
      const std::size_t vertexCount = mesh.positions.size();
      for (std::size_t ti = 0; ti < mesh.triangleCount(); ++ti) {
        const std::uint32_t i0 = mesh.indices[3 * ti], i1 = mesh.indices[3 * ti + 1],
                            i2 = mesh.indices[3 * ti + 2];
        if (i0 >= vertexCount || i1 >= vertexCount || i2 >= vertexCount) continue;
        const glm::vec3& a = mesh.positions[i0];
        const glm::vec3& b = mesh.positions[i1];
        const glm::vec3& c = mesh.positions[i2];
        // Such a triangle can never be hit (see intersectTriangle) and would poison the bins.
        if (!isFinite(a) || !isFinite(b) || !isFinite(c)) continue;
        refs.push_back(PrimRef{glm::min(a, glm::min(b, c)), static_cast<std::uint32_t>(si),
                               glm::max(a, glm::max(b, c)), static_cast<std::uint32_t>(ti)});
      }
    }
  }

  /// Writes the node of a task: its bounds, and either its leaf range or (after partitioning
  /// the refs) nothing yet; returns the split point, or task.end for a leaf.
  std::uint32_t processNode(const Task& task, Node& node) {
    glm::vec3 centreMin{std::numeric_limits<float>::max()};
    glm::vec3 centreMax{std::numeric_limits<float>::lowest()};
    glm::vec3 boxMin{std::numeric_limits<float>::max()};
    glm::vec3 boxMax{std::numeric_limits<float>::lowest()};
    for (std::uint32_t i = task.begin; i < task.end; ++i) {
      const PrimRef& r = refs[i];
      boxMin = glm::min(boxMin, r.min);
      boxMax = glm::max(boxMax, r.max);
      const glm::vec3 c = r.centre();
      centreMin = glm::min(centreMin, c);
      centreMax = glm::max(centreMax, c);
    }
    node.min = boxMin;
    node.max = boxMax;
    const std::uint32_t count = task.end - task.begin;
    const std::uint32_t mid =
        count <= 1 || task.depth >= kMaxDepth
            ? task.end
            : chooseSplit(task, count, centreMin, centreMax, halfArea(boxMin, boxMax));
    if (mid == task.end) {
      // Leaves point into `refs` order; writeTriangles copies the triangles in that order.
      node.offset = task.begin;
      node.count = count;
    }
    return mid;
  }

  /// Builds the subtree of a range into `nodes`, whose node indices start at 0.
  void buildSubtree(std::uint32_t begin, std::uint32_t end, std::uint32_t depth,
                    std::vector<Node>& nodes) {
    std::vector<Task> tasks;
    tasks.push_back(Task{begin, end, kNoParent, depth});
    while (!tasks.empty()) {
      const Task task = tasks.back();
      tasks.pop_back();
      // Depth-first order: a first child is popped right after its parent was written, so it
      // lands at parent + 1; a second child tells its parent where it went.
      const auto nodeIndex = static_cast<std::uint32_t>(nodes.size());
      if (task.parent != kNoParent) nodes[task.parent].offset = nodeIndex;
      nodes.emplace_back();
      const std::uint32_t mid = processNode(task, nodes.back());
      if (mid == task.end) continue;
      tasks.push_back(Task{mid, task.end, nodeIndex, task.depth + 1});
      tasks.push_back(Task{task.begin, mid, kNoParent, task.depth + 1});
    }
  }

  void build() {
    if (refs.empty()) return;
    const auto n = static_cast<std::uint32_t>(refs.size());
    if (refs.size() < kParallelThreshold || std::thread::hardware_concurrency() < 2) {
      bvh.nodes_.reserve(refs.size() / 2);
      buildSubtree(0, n, 0, bvh.nodes_);
      return;
    }
    // Split the root here, build its two subtrees on two threads, then lay them out exactly
    // as the single-threaded build would: root, first subtree, second subtree.
    Node root;
    const std::uint32_t mid = processNode(Task{0, n, kNoParent, 0}, root);
    if (mid == n) {
      bvh.nodes_.push_back(root);
      return;
    }
    std::vector<Node> first, second;
    std::exception_ptr workerError;
    std::thread worker([&] {
      try {
        buildSubtree(mid, n, 1, second);
      } catch (...) {
        workerError = std::current_exception();
      }
    });
    try {
      buildSubtree(0, mid, 1, first);
    } catch (...) {
      worker.join();
      throw;
    }
    worker.join();
    if (workerError) std::rethrow_exception(workerError);

    const auto firstSize = static_cast<std::uint32_t>(first.size());
    root.offset = 1 + firstSize;
    bvh.nodes_.reserve(1 + first.size() + second.size());
    bvh.nodes_.push_back(root);
    for (Node node : first) {
      if (node.count == 0) node.offset += 1;
      bvh.nodes_.push_back(node);
    }
    for (Node node : second) {
      if (node.count == 0) node.offset += 1 + firstSize;
      bvh.nodes_.push_back(node);
    }
  }

  /// Partitions the refs of a task and returns the split point, or task.end for a leaf.
  std::uint32_t chooseSplit(const Task& task, std::uint32_t count, const glm::vec3& centreMin,
                            const glm::vec3& centreMax, float nodeArea) {
    const glm::vec3 extent = centreMax - centreMin;
    // Small nodes (most of them) get fewer bins: setting up and sweeping 16 bins per axis
    // costs more there than the slightly better planes save.
    const int binCount = std::clamp(static_cast<int>(count / 2), 4, kBins);
    std::array<float, 3> scale{};
    for (int axis = 0; axis < 3; ++axis) {
      // A denormal extent would give an infinite scale; treat it as flat.
      const float sc = extent[axis] > 0.0f ? static_cast<float>(binCount) / extent[axis] : 0.0f;
      scale[static_cast<std::size_t>(axis)] = std::isfinite(sc) ? sc : 0.0f;
    }

    if (scale[0] == 0.0f && scale[1] == 0.0f && scale[2] == 0.0f) {
      // All centres coincide: no plane separates them. Halve by count to keep leaves small.
      if (count <= kMaxLeafTriangles) return task.end;
      return task.begin + count / 2;
    }

    std::array<std::array<Bin, kBins>, 3> bins;
    for (auto& axisBins : bins)
      std::fill_n(axisBins.begin(), binCount, Bin{});
    for (std::uint32_t i = task.begin; i < task.end; ++i) {
      const PrimRef& r = refs[i];
      const glm::vec3 c = r.centre();
      for (int axis = 0; axis < 3; ++axis) {
        if (scale[axis] == 0.0f) continue;
        Bin& bin = bins[axis][binIndex(c[axis], centreMin[axis], scale[axis], binCount)];
        bin.min = glm::min(bin.min, r.min);
        bin.max = glm::max(bin.max, r.max);
        ++bin.count;
      }
    }

    float bestCost = std::numeric_limits<float>::infinity();
    int bestAxis = -1;
    int bestBin = 0; // split after this bin
    for (int axis = 0; axis < 3; ++axis) {
      if (scale[axis] == 0.0f) continue;
      // Sweep from the right, then from the left, to price every split plane.
      std::array<float, kBins> rightCost{};
      Bin acc;
      for (int b = binCount - 1; b > 0; --b) {
        const Bin& bin = bins[axis][b];
        acc.min = glm::min(acc.min, bin.min);
        acc.max = glm::max(acc.max, bin.max);
        acc.count += bin.count;
        rightCost[b - 1] = acc.count == 0 ? -1.0f : halfArea(acc.min, acc.max) * acc.count;
      }
      acc = Bin{};
      for (int b = 0; b < binCount - 1; ++b) {
        const Bin& bin = bins[axis][b];
        acc.min = glm::min(acc.min, bin.min);
        acc.max = glm::max(acc.max, bin.max);
        acc.count += bin.count;
        if (acc.count == 0 || rightCost[b] < 0.0f) continue;
        const float cost = halfArea(acc.min, acc.max) * acc.count + rightCost[b];
        if (cost < bestCost) {
          bestCost = cost;
          bestAxis = axis;
          bestBin = b;
        }
      }
    }

    const float leafCost = kTriangleCost * static_cast<float>(count);
    const float splitCost =
        nodeArea > 0.0f ? kTraversalCost + kTriangleCost * bestCost / nodeArea : leafCost;
    if (bestAxis < 0 || (count <= kMaxLeafTriangles && leafCost <= splitCost)) {
      if (count <= kMaxLeafTriangles) return task.end;
      if (bestAxis < 0) return task.begin + count / 2;
    }

    const float lo = centreMin[bestAxis];
    const float s = scale[static_cast<std::size_t>(bestAxis)];
    const auto first = refs.begin() + task.begin;
    const auto last = refs.begin() + task.end;
    const auto split = std::partition(first, last, [&](const PrimRef& r) {
      return binIndex(r.centre()[bestAxis], lo, s, binCount) <= bestBin;
    });
    const auto mid = static_cast<std::uint32_t>(split - refs.begin());
    if (mid == task.begin || mid == task.end) return task.begin + count / 2; // cannot happen
    return mid;
  }

  static int binIndex(float value, float lo, float scale, int binCount) {
    const int b = static_cast<int>((value - lo) * scale);
    return std::clamp(b, 0, binCount - 1);
  }

  void writeTriangles() {
    bvh.triangles_.resize(refs.size());
    for (std::size_t i = 0; i < refs.size(); ++i) {
      const PrimRef& r = refs[i];
      const MeshData& mesh = model.structures[r.structure].mesh;
      const glm::vec3& a = mesh.positions[mesh.indices[3 * std::size_t{r.triangle}]];
      const glm::vec3& b = mesh.positions[mesh.indices[3 * std::size_t{r.triangle} + 1]];
      const glm::vec3& c = mesh.positions[mesh.indices[3 * std::size_t{r.triangle} + 2]];
      bvh.triangles_[i] = Triangle{a, b - a, c - a, r.structure, r.triangle};
    }
  }
};

Bvh::Bvh(const Model& model)
    : structureCount_(static_cast<std::uint32_t>(model.structures.size())) {
  Builder builder(model, *this);
  builder.gather();
  builder.build();
  builder.writeTriangles();
}

Bvh::Stats Bvh::stats() const {
  Stats stats;
  if (nodes_.empty()) return stats;
  std::vector<std::pair<std::uint32_t, std::size_t>> stack{{0u, 0u}};
  while (!stack.empty()) {
    const auto [index, depth] = stack.back();
    stack.pop_back();
    const Node& node = nodes_[index];
    stats.maxDepth = std::max(stats.maxDepth, depth);
    if (node.count > 0) {
      ++stats.leaves;
      stats.maxLeafTriangles = std::max<std::size_t>(stats.maxLeafTriangles, node.count);
    } else {
      stack.emplace_back(index + 1, depth + 1);
      stack.emplace_back(node.offset, depth + 1);
    }
  }
  return stats;
}

// ---------------------------------------------------------------------------------------------
// Queries.
// ---------------------------------------------------------------------------------------------

std::optional<RayHit> Bvh::intersect(const Ray& ray, const StructureFilter& filter,
                                     float maxT) const {
  if (nodes_.empty() || !(maxT >= 0.0f)) return std::nullopt;
  if (!isFinite(ray.origin) || !isFinite(ray.direction)) return std::nullopt;

  const glm::vec3 origin = ray.origin;
  const glm::vec3 direction = ray.direction;
  if (direction == glm::vec3(0.0f)) return std::nullopt;
  // 1/0 is +-inf for axis-parallel rays. Which box plane a ray meets first on each axis is fixed
  // by the sign, so each slab gives one entry and one exit distance.
  const glm::vec3 inverse = 1.0f / direction;
  const bool negative[3] = {std::signbit(inverse.x), std::signbit(inverse.y),
                            std::signbit(inverse.z)};
  float best = maxT;

  // Entry distance into a node's box, or +inf when the ray misses it or enters beyond `best`.
  // A ray lying in a box plane of an axis it does not move along gives 0 * inf = NaN there; the
  // comparisons are written so that NaN leaves entry and exit unchanged, i.e. that slab does not
  // constrain the ray, which is right for a closed box. Exits are widened by kSlack: the
  // triangle test's t carries more rounding than the slab's, so a triangle lying in a box face
  // (axis-aligned or clamped geometry) can report a t slightly before its box's entry.
  constexpr float kSlack = 1.0f + 1e-5f;
  const auto enter = [&](const Node& node) {
    float entry = 0.0f;
    float exit = best;
    for (int axis = 0; axis < 3; ++axis) {
      const float lo = negative[axis] ? node.max[axis] : node.min[axis];
      const float hi = negative[axis] ? node.min[axis] : node.max[axis];
      const float tNear = (lo - origin[axis]) * inverse[axis];
      const float tFar = (hi - origin[axis]) * inverse[axis];
      entry = tNear > entry ? tNear : entry;
      exit = tFar < exit ? tFar : exit;
    }
    return entry <= exit * kSlack ? entry : std::numeric_limits<float>::infinity();
  };

  FilterCache accepts(filter, structureCount_);
  const Triangle* hitTriangle = nullptr;
  float hitU = 0.0f, hitV = 0.0f;

  struct Pending {
    std::uint32_t node;
    float entry;
  };
  std::array<Pending, kMaxDepth + 4> stack;
  std::size_t stackSize = 0;
  constexpr float kMiss = std::numeric_limits<float>::infinity();

  if (enter(nodes_[0]) == kMiss) return std::nullopt;
  std::uint32_t current = 0;
  for (;;) {
    const Node& node = nodes_[current];
    if (node.count > 0) {
      const Triangle* tri = triangles_.data() + node.offset;
      const Triangle* end = tri + node.count;
      for (; tri != end; ++tri) {
        float t, u, v;
        if (intersectTriangle(origin, direction, tri->v0, tri->e1, tri->e2, best, t, u, v) &&
            (hitTriangle == nullptr || isBetter(t, tri->structure, tri->index, true, best,
                                                hitTriangle->structure, hitTriangle->index)) &&
            accepts.accepts(tri->structure)) {
          best = t;
          hitTriangle = tri;
          hitU = u;
          hitV = v;
        }
      }
    } else {
      std::uint32_t nearChild = current + 1;
      std::uint32_t farChild = node.offset;
      float nearEntry = enter(nodes_[nearChild]);
      float farEntry = enter(nodes_[farChild]);
      if (farEntry < nearEntry) {
        std::swap(nearChild, farChild);
        std::swap(nearEntry, farEntry);
      }
      if (nearEntry != kMiss) {
        if (farEntry != kMiss) stack[stackSize++] = Pending{farChild, farEntry};
        current = nearChild;
        continue;
      }
    }
    // Pop the next pending subtree that can still hold something nearer than `best`.
    bool found = false;
    while (stackSize > 0) {
      const Pending pending = stack[--stackSize];
      if (pending.entry <= best * kSlack) {
        current = pending.node;
        found = true;
        break;
      }
    }
    if (!found) break;
  }

  if (hitTriangle == nullptr) return std::nullopt;
  return makeHit(ray, hitTriangle->structure, hitTriangle->index, best, hitU, hitV);
}

std::optional<RayHit> intersectBruteForce(const Model& model, const Ray& ray,
                                          const StructureFilter& filter, float maxT) {
  if (!(maxT >= 0.0f)) return std::nullopt;
  if (!isFinite(ray.origin) || !isFinite(ray.direction)) return std::nullopt;
  std::optional<RayHit> nearest;
  float best = maxT;
  for (std::size_t si = 0; si < model.structures.size(); ++si) {
    const auto structure = static_cast<std::uint32_t>(si);
    if (filter && !filter(structure)) continue;
    const MeshData& mesh = model.structures[si].mesh;
    const std::size_t vertexCount = mesh.positions.size();
    for (std::size_t ti = 0; ti < mesh.triangleCount(); ++ti) {
      const std::uint32_t i0 = mesh.indices[3 * ti], i1 = mesh.indices[3 * ti + 1],
                          i2 = mesh.indices[3 * ti + 2];
      if (i0 >= vertexCount || i1 >= vertexCount || i2 >= vertexCount) continue;
      const glm::vec3& a = mesh.positions[i0];
      float t, u, v;
      if (intersectTriangle(ray.origin, ray.direction, a, mesh.positions[i1] - a,
                            mesh.positions[i2] - a, best, t, u, v) &&
          isBetter(t, structure, static_cast<std::uint32_t>(ti), nearest.has_value(), best,
                   nearest ? nearest->structure : 0u, nearest ? nearest->triangle : 0u)) {
        best = t;
        nearest = makeHit(ray, structure, static_cast<std::uint32_t>(ti), t, u, v);
      }
    }
  }
  return nearest;
}

} // namespace fascia
