#include "mesh_ops.h"
#include "parallel.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <map>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <cstdio>
#include <cstdlib>
#include <glm/gtc/constants.hpp>
#include <meshoptimizer.h>

namespace fascia::anatomy {

// ---------------------------------------------------------------------------------------------
// Marching tetrahedra
// ---------------------------------------------------------------------------------------------
namespace {

constexpr int kBlock = 8;
/// The slope bound the polygoniser assumes of every field (|f(p) - f(q)| <= kSlope |p - q|):
/// exact distances have 1; the builder's blends, bumps and charts stay below this.
constexpr float kSlope = 1.6f;

// Cube corners are numbered x + 2y + 4z. The six tetrahedra of the Freudenthal (Kuhn) split run
// from corner 0 to corner 7 along the three axes in every order; the split matches on shared
// faces, so neighbouring cubes agree and the surface is crack-free.
constexpr int kTets[6][4] = {{0, 1, 3, 7}, {0, 1, 5, 7}, {0, 2, 3, 7},
                             {0, 2, 6, 7}, {0, 4, 5, 7}, {0, 4, 6, 7}};
// Sign of det(v1 - v0, v2 - v0, v3 - v0): the parity of the axis order.
constexpr int kTetSign[6] = {1, -1, -1, 1, 1, -1};

int parity(const std::array<int, 4>& perm) {
  int inv = 0;
  for (int i = 0; i < 4; ++i)
    for (int j = i + 1; j < 4; ++j)
      if (perm[static_cast<std::size_t>(i)] > perm[static_cast<std::size_t>(j)]) ++inv;
  return (inv % 2 == 0) ? 1 : -1;
}

} // namespace

TriMesh polygonise(const Sdf& f, const Aabb& box, float h, unsigned threads) {
  const glm::vec3 ext = box.hi - box.lo;
  const int nbx = std::max(1, static_cast<int>(std::ceil(ext.x / (h * kBlock))));
  const int nby = std::max(1, static_cast<int>(std::ceil(ext.y / (h * kBlock))));
  const int nbz = std::max(1, static_cast<int>(std::ceil(ext.z / (h * kBlock))));
  const int nx = nbx * kBlock + 1, ny = nby * kBlock + 1, nz = nbz * kBlock + 1;
  const glm::vec3 lo = box.lo;
  auto pointAt = [&](int i, int j, int k) {
    return lo + glm::vec3(static_cast<float>(i), static_cast<float>(j), static_cast<float>(k)) * h;
  };

  // Blocks far from the surface (|f(centre)| beyond the block's radius, with margin) hold one
  // sign everywhere and are not evaluated point by point.
  const std::size_t blockCount = static_cast<std::size_t>(nbx) * nby * nbz;
  std::vector<signed char> blockState(blockCount); // 0 near, +1 / -1 far outside / inside
  const float radius = 0.5f * std::sqrt(3.0f) * kBlock * h;
  parallelFor(blockCount, threads, [&](std::size_t b) {
    const int bi = static_cast<int>(b % static_cast<std::size_t>(nbx));
    const int bj = static_cast<int>((b / static_cast<std::size_t>(nbx)) % static_cast<std::size_t>(nby));
    const int bk = static_cast<int>(b / (static_cast<std::size_t>(nbx) * nby));
    const float v = f(pointAt(bi * kBlock + kBlock / 2, bj * kBlock + kBlock / 2, bk * kBlock + kBlock / 2));
    // A block on the box's faces is never far inside: its face points are raised to 0.25 h,
    // so the surface closes across it there (the cap where the box cuts the solid).
    const bool onFace =
        bi == 0 || bj == 0 || bk == 0 || bi == nbx - 1 || bj == nby - 1 || bk == nbz - 1;
    const bool far = std::abs(v) > kSlope * radius + 2.0f * h && (v > 0.0f || !onFace);
    blockState[b] = far ? (v > 0 ? 1 : -1) : 0;
  });
  auto blockIndex = [&](int bi, int bj, int bk) {
    return (static_cast<std::size_t>(bk) * nby + bj) * nbx + bi;
  };

  std::vector<float> values(static_cast<std::size_t>(nx) * ny * nz);
  auto pointIndex = [&](int i, int j, int k) {
    return (static_cast<std::size_t>(k) * ny + j) * nx + i;
  };
  // Whether point (i, j, k) lies in a block near the surface (it belongs to up to 8 blocks where
  // it lies on block faces; one near block is enough), and otherwise the far blocks' sign.
  auto inNearBlock = [&](int i, int j, int k, int& farSign) {
    for (int dk = 0; dk < 2; ++dk) {
      if (k - dk < 0) continue;
      const int bk = std::min((k - dk) / kBlock, nbz - 1);
      for (int dj = 0; dj < 2; ++dj) {
        if (j - dj < 0) continue;
        const int bj = std::min((j - dj) / kBlock, nby - 1);
        for (int di = 0; di < 2; ++di) {
          if (i - di < 0) continue;
          const int bi = std::min((i - di) / kBlock, nbx - 1);
          const signed char s = blockState[blockIndex(bi, bj, bk)];
          if (s == 0) return true;
          farSign = s;
        }
      }
    }
    return false;
  };
  // Inside near blocks, the points of even (i, j, k), one in eight, are evaluated first. Any
  // other point lies within sqrt(3) h of each of its even neighbours (up to 8, all in its own
  // near block, since block faces lie on even coordinates), and it can end a crossing edge only
  // if |f| there is at most the longest tetrahedron edge (sqrt(3) h) times the slope bound. So
  // where any even neighbour's |f| exceeds twice that plus a margin, the point keeps that
  // neighbour's sign and is not evaluated: in a near block the surface lies anywhere in a band
  // about 29 h thick, and only about half of its points are within reach of it. A point next to
  // a face of the box is always evaluated: the face's points are raised to 0.25 h, so an edge
  // from one of them can cross the surface whatever the point's |f|. Every value a vertex is
  // interpolated from is then still exact, and the mesh is the one evaluating every point would
  // give. (An even value above the threshold is its own: the values kept away from 0 and those
  // raised on the faces are small.)
  const float skipBeyond = 2.0f * kSlope * std::sqrt(3.0f) * h + h;
  auto nextToFace = [&](int i, int j, int k) {
    return i == 1 || j == 1 || k == 1 || i == nx - 2 || j == ny - 2 || k == nz - 2;
  };
  auto fill = [&](bool evenPass) {
    parallelFor(static_cast<std::size_t>(nz), threads, [&](std::size_t kk) {
      const int k = static_cast<int>(kk);
      for (int j = 0; j < ny; ++j) {
        for (int i = 0; i < nx; ++i) {
          const bool even = i % 2 == 0 && j % 2 == 0 && k % 2 == 0;
          if (even != evenPass) continue;
          int farSign = 1;
          const bool near = inNearBlock(i, j, k, farSign);
          float v = static_cast<float>(farSign) * 1.0f;
          bool evaluated = near;
          if (near && !even && !nextToFace(i, j, k)) {
            // The even neighbours: the point's own coordinate on even axes, both sides on odd.
            float known = 0.0f;
            for (int ck = k - (k % 2); ck <= k + (k % 2) && known == 0.0f; ck += 2)
              for (int cj = j - (j % 2); cj <= j + (j % 2) && known == 0.0f; cj += 2)
                for (int ci = i - (i % 2); ci <= i + (i % 2) && known == 0.0f; ci += 2) {
                  const float c = values[pointIndex(ci, cj, ck)];
                  if (std::abs(c) > skipBeyond) known = c;
                }
            if (known != 0.0f) {
              v = known > 0.0f ? 1.0f : -1.0f;
              evaluated = false;
            }
          }
          if (evaluated) v = f(pointAt(i, j, k));
          if (i == 0 || j == 0 || k == 0 || i == nx - 1 || j == ny - 1 || k == nz - 1)
            v = std::max(v, 0.25f * h);
          // Keep crossings away from grid points: values near zero make clusters of nearly
          // coincident vertices and slivers, which later edge collapses turn non-manifold. The
          // surface moves by at most 0.2 h here and is projected back onto f afterwards.
          if (std::abs(v) < 0.2f * h) v = v < 0.0f ? -0.2f * h : 0.2f * h;
          values[pointIndex(i, j, k)] = v;
        }
      }
    });
  };
  fill(true);
  fill(false);

  TriMesh mesh;
  std::unordered_map<std::uint64_t, std::uint32_t> edgeVertex;
  edgeVertex.reserve(1 << 16);
  const std::size_t pointCount = values.size();
  auto vertexOn = [&](std::size_t a, std::size_t b) -> std::uint32_t {
    if (a > b) std::swap(a, b);
    const std::uint64_t key = static_cast<std::uint64_t>(a) * pointCount + b;
    const auto it = edgeVertex.find(key);
    if (it != edgeVertex.end()) return it->second;
    auto pos = [&](std::size_t idx) {
      const int i = static_cast<int>(idx % static_cast<std::size_t>(nx));
      const int j = static_cast<int>((idx / static_cast<std::size_t>(nx)) % static_cast<std::size_t>(ny));
      const int k = static_cast<int>(idx / (static_cast<std::size_t>(nx) * ny));
      return pointAt(i, j, k);
    };
    const float va = values[a], vb = values[b];
    const float t = va / (va - vb);
    const glm::vec3 p = pos(a) + (pos(b) - pos(a)) * t;
    const auto id = static_cast<std::uint32_t>(mesh.positions.size());
    mesh.positions.push_back(p);
    edgeVertex.emplace(key, id);
    return id;
  };
  auto emit = [&](std::uint32_t a, std::uint32_t b, std::uint32_t c, bool flip) {
    if (flip) std::swap(b, c);
    mesh.indices.insert(mesh.indices.end(), {a, b, c});
  };

  for (int k = 0; k + 1 < nz; ++k) {
    for (int j = 0; j + 1 < ny; ++j) {
      for (int i = 0; i + 1 < nx; ++i) {
        if (blockState[blockIndex(std::min(i / kBlock, nbx - 1), std::min(j / kBlock, nby - 1),
                                  std::min(k / kBlock, nbz - 1))] != 0)
          continue;
        std::array<std::size_t, 8> idx{};
        std::array<float, 8> v{};
        bool anyIn = false, anyOut = false;
        for (int c = 0; c < 8; ++c) {
          const auto cu = static_cast<std::size_t>(c);
          idx[cu] = pointIndex(i + (c & 1), j + ((c >> 1) & 1), k + ((c >> 2) & 1));
          v[cu] = values[idx[cu]];
          (v[cu] < 0 ? anyIn : anyOut) = true;
        }
        if (!anyIn || !anyOut) continue;
        for (int t = 0; t < 6; ++t) {
          std::array<int, 4> ins{}, outs{};
          int ni = 0, no = 0;
          for (int q = 0; q < 4; ++q) {
            const int corner = kTets[t][q];
            if (v[static_cast<std::size_t>(corner)] < 0) ins[static_cast<std::size_t>(ni++)] = q;
            else outs[static_cast<std::size_t>(no++)] = q;
          }
          if (ni == 0 || ni == 4) continue;
          auto g = [&](int q) { return idx[static_cast<std::size_t>(kTets[t][q])]; };
          if (ni == 1) {
            const std::array<int, 4> perm{ins[0], outs[0], outs[1], outs[2]};
            const int eff = kTetSign[t] * parity(perm);
            emit(vertexOn(g(ins[0]), g(outs[0])), vertexOn(g(ins[0]), g(outs[1])),
                 vertexOn(g(ins[0]), g(outs[2])), eff < 0);
          } else if (ni == 3) {
            const std::array<int, 4> perm{outs[0], ins[0], ins[1], ins[2]};
            const int eff = kTetSign[t] * parity(perm);
            emit(vertexOn(g(outs[0]), g(ins[0])), vertexOn(g(outs[0]), g(ins[1])),
                 vertexOn(g(outs[0]), g(ins[2])), eff > 0);
          } else {
            const std::array<int, 4> perm{ins[0], ins[1], outs[0], outs[1]};
            const int eff = kTetSign[t] * parity(perm);
            const std::uint32_t q0 = vertexOn(g(ins[0]), g(outs[0]));
            const std::uint32_t q1 = vertexOn(g(ins[0]), g(outs[1]));
            const std::uint32_t q2 = vertexOn(g(ins[1]), g(outs[1]));
            const std::uint32_t q3 = vertexOn(g(ins[1]), g(outs[0]));
            emit(q0, q1, q2, eff < 0);
            emit(q0, q2, q3, eff < 0);
          }
        }
      }
    }
  }
  return mesh;
}

// ---------------------------------------------------------------------------------------------
// Clipping, sheets, simplification
// ---------------------------------------------------------------------------------------------

TriMesh clipMesh(const TriMesh& m, const Sdf& keep) {
  std::vector<float> s(m.positions.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    s[i] = keep(m.positions[i]);
    if (s[i] == 0.0f) s[i] = 1.0e-7f;
  }
  TriMesh out;
  std::vector<std::int64_t> remap(m.positions.size(), -1);
  std::unordered_map<std::uint64_t, std::uint32_t> edgeVertex;
  auto keepVertex = [&](std::uint32_t i) {
    if (remap[i] < 0) {
      remap[i] = static_cast<std::int64_t>(out.positions.size());
      out.positions.push_back(m.positions[i]);
    }
    return static_cast<std::uint32_t>(remap[i]);
  };
  auto cut = [&](std::uint32_t a, std::uint32_t b) {
    const std::uint64_t key = (static_cast<std::uint64_t>(std::min(a, b)) << 32) | std::max(a, b);
    const auto it = edgeVertex.find(key);
    if (it != edgeVertex.end()) return it->second;
    const float t = s[a] / (s[a] - s[b]);
    const auto id = static_cast<std::uint32_t>(out.positions.size());
    out.positions.push_back(m.positions[a] + (m.positions[b] - m.positions[a]) * t);
    edgeVertex.emplace(key, id);
    return id;
  };
  for (std::size_t t = 0; t < m.indices.size(); t += 3) {
    const std::uint32_t v[3] = {m.indices[t], m.indices[t + 1], m.indices[t + 2]};
    int inside = 0;
    for (std::uint32_t x : v) inside += s[x] < 0 ? 1 : 0;
    if (inside == 0) continue;
    if (inside == 3) {
      for (std::uint32_t x : v) out.indices.push_back(keepVertex(x));
      continue;
    }
    // Rotate so the lone vertex (inside for 1, outside for 2) comes first; order is preserved.
    int r = 0;
    for (int q = 0; q < 3; ++q) {
      const bool in = s[v[q]] < 0;
      if ((inside == 1 && in) || (inside == 2 && !in)) r = q;
    }
    const std::uint32_t a = v[r], b = v[(r + 1) % 3], c = v[(r + 2) % 3];
    if (inside == 1) {
      out.indices.insert(out.indices.end(), {keepVertex(a), cut(a, b), cut(a, c)});
    } else {
      const std::uint32_t ab = cut(a, b), ca = cut(c, a);
      const std::uint32_t kb = keepVertex(b), kc = keepVertex(c);
      out.indices.insert(out.indices.end(), {ab, kb, kc});
      out.indices.insert(out.indices.end(), {ab, kc, ca});
    }
  }
  return out;
}

namespace {

/// Disjoint sets of vertex indices (union-find with path halving): the connected parts of a
/// mesh, or of its border.
struct DisjointSets {
  explicit DisjointSets(std::size_t n) : parent(n) {
    for (std::size_t i = 0; i < n; ++i)
      parent[i] = static_cast<std::uint32_t>(i);
  }
  std::uint32_t root(std::uint32_t x) {
    while (parent[x] != x)
      x = parent[x] = parent[parent[x]];
    return x;
  }
  void join(std::uint32_t a, std::uint32_t b) { parent[root(a)] = root(b); }
  std::vector<std::uint32_t> parent;
};

// Number of closed border loops (connected components of the border edges); simplification of
// an open patch must keep it, or it has torn a new hole.
std::size_t borderLoops(const TriMesh& m) {
  std::vector<std::uint64_t> directed;
  for (std::size_t t = 0; t + 2 < m.indices.size(); t += 3)
    for (int e = 0; e < 3; ++e)
      directed.push_back((static_cast<std::uint64_t>(m.indices[t + static_cast<std::size_t>(e)]) << 32) |
                         m.indices[t + static_cast<std::size_t>((e + 1) % 3)]);
  std::sort(directed.begin(), directed.end());
  DisjointSets sets(m.positions.size());
  std::vector<char> onBorder(m.positions.size(), 0);
  for (std::uint64_t e : directed) {
    const std::uint64_t rev = (e << 32) | (e >> 32);
    if (std::binary_search(directed.begin(), directed.end(), rev)) continue;
    const auto a = static_cast<std::uint32_t>(e >> 32), b = static_cast<std::uint32_t>(e);
    onBorder[a] = onBorder[b] = 1;
    sets.join(a, b);
  }
  std::size_t loops = 0;
  for (std::size_t i = 0; i < onBorder.size(); ++i)
    if (onBorder[i] && sets.root(static_cast<std::uint32_t>(i)) == i) ++loops;
  return loops;
}

// Most of meshoptimizer's non-manifold results are "fins": two triangles on the same three
// vertices, folded onto each other. Removing every such pair (and degenerate triangles) leaves
// the surrounding surface closed again; what it does not fix is caught by the edge check.
void removeFins(TriMesh& m) {
  const std::size_t n = m.indices.size() / 3;
  std::vector<std::pair<std::array<std::uint32_t, 3>, std::size_t>> keys(n);
  for (std::size_t t = 0; t < n; ++t) {
    std::array<std::uint32_t, 3> k{m.indices[3 * t], m.indices[3 * t + 1], m.indices[3 * t + 2]};
    std::sort(k.begin(), k.end());
    keys[t] = {k, t};
  }
  std::sort(keys.begin(), keys.end());
  std::vector<char> drop(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& k = keys[i].first;
    if (k[0] == k[1] || k[1] == k[2]) drop[keys[i].second] = 1;
    if (i + 1 < n && keys[i + 1].first == k) drop[keys[i].second] = drop[keys[i + 1].second] = 1;
  }
  std::vector<std::uint32_t> kept;
  kept.reserve(m.indices.size());
  for (std::size_t t = 0; t < n; ++t)
    if (!drop[t]) kept.insert(kept.end(), {m.indices[3 * t], m.indices[3 * t + 1], m.indices[3 * t + 2]});
  m.indices = std::move(kept);
}

/// An undirected edge's key: its two vertex indices, the smaller first.
std::uint64_t edgeKey(std::uint32_t a, std::uint32_t b) {
  return (static_cast<std::uint64_t>(std::min(a, b)) << 32) | std::max(a, b);
}

/// Every triangle side as (edgeKey, triangle * 3 + the corner it starts at), sorted, so the
/// triangles on an edge stand side by side.
std::vector<std::pair<std::uint64_t, std::uint32_t>> sortedEdges(const TriMesh& m) {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> edges;
  edges.reserve(m.indices.size());
  for (std::size_t c = 0; c < m.indices.size(); ++c)
    edges.emplace_back(edgeKey(m.indices[c], m.indices[c - c % 3 + (c + 1) % 3]),
                       static_cast<std::uint32_t>(c));
  std::sort(edges.begin(), edges.end());
  return edges;
}

/// Drops the vertices no triangle uses (with their normals and fibres), keeping the others'
/// order.
void dropUnusedVertices(TriMesh& m) {
  const std::size_t nv = m.positions.size();
  std::vector<bool> referenced(nv, false);
  for (std::uint32_t v : m.indices)
    referenced[v] = true;
  std::vector<std::uint32_t> remap(nv, 0);
  TriMesh out;
  for (std::size_t v = 0; v < nv; ++v) {
    if (!referenced[v]) continue;
    remap[v] = static_cast<std::uint32_t>(out.positions.size());
    out.positions.push_back(m.positions[v]);
    if (!m.normals.empty()) out.normals.push_back(m.normals[v]);
    if (!m.fibres.empty()) out.fibres.push_back(m.fibres[v]);
  }
  out.indices = std::move(m.indices);
  for (std::uint32_t& v : out.indices)
    v = remap[v];
  m = std::move(out);
}

/// The triangles round each vertex, as compressed rows: those of vertex v are
/// around[start[v]] .. around[start[v + 1] - 1], in triangle order.
struct VertexFans {
  std::vector<std::uint32_t> start, around;
  explicit VertexFans(const TriMesh& m)
      : start(m.positions.size() + 1, 0), around(m.indices.size()) {
    for (std::uint32_t v : m.indices)
      ++start[v + 1];
    for (std::size_t v = 0; v < m.positions.size(); ++v)
      start[v + 1] += start[v];
    std::vector<std::uint32_t> next(start.begin(), start.end() - 1);
    for (std::size_t c = 0; c < m.indices.size(); ++c)
      around[next[m.indices[c]]++] = static_cast<std::uint32_t>(c / 3);
  }
};

/// The vertices that share a triangle with v, sorted, each once.
std::vector<std::uint32_t> neighboursOf(const TriMesh& m, const VertexFans& fans, std::uint32_t v) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = fans.start[v]; i < fans.start[v + 1]; ++i)
    for (int j = 0; j < 3; ++j)
      if (const std::uint32_t w = m.indices[3 * fans.around[i] + j]; w != v) out.push_back(w);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

/// 1 for each of `count` vertices that ends an edge of one triangle only (sortedEdges' list).
std::vector<char> borderVertices(const std::vector<std::pair<std::uint64_t, std::uint32_t>>& edges,
                                 std::size_t count) {
  std::vector<char> onBorder(count, 0);
  for (std::size_t i = 0; i < edges.size(); ++i) {
    const bool alone = (i == 0 || edges[i - 1].first != edges[i].first) &&
                       (i + 1 == edges.size() || edges[i + 1].first != edges[i].first);
    if (alone) {
      onBorder[edges[i].first >> 32] = 1;
      onBorder[edges[i].first & 0xffffffffu] = 1;
    }
  }
  return onBorder;
}

/// How well the triangle a b c faces with its corners' normals: the cosine between its normal
/// and the sum of theirs (0 for a degenerate triangle).
float facingCosine(const TriMesh& m, std::uint32_t a, std::uint32_t b, std::uint32_t c) {
  const glm::vec3 n = glm::cross(m.positions[b] - m.positions[a], m.positions[c] - m.positions[a]);
  const glm::vec3 s = m.normals[a] + m.normals[b] + m.normals[c];
  const float l = glm::length(n) * glm::length(s);
  return l > 0.0f ? glm::dot(n, s) / l : 0.0f;
}

/// The cosine between triangle t's face normal and the sum of its corners' normals.
float facingOf(const TriMesh& m, std::size_t t) {
  return facingCosine(m, m.indices[3 * t], m.indices[3 * t + 1], m.indices[3 * t + 2]);
}

/// Whether any triangle of m faces against its corners' normals (nearly every mesh has none
/// left, and needs no adjacency built).
bool hasFold(const TriMesh& m) {
  for (std::size_t t = 0; t < m.triangleCount(); ++t)
    if (facingOf(m, t) < 0.0f) return true;
  return false;
}

/// How closely a relaxed corner or patch must face its normals: within 60 degrees.
constexpr float kLeastFacingCos = 0.5f;

/// Moves p one Newton step onto f's zero level (never more than a couple of millimetres: the
/// grid error is below that) and returns the unit gradient there.
glm::vec3 projectOnto(const Sdf& f, glm::vec3& p, float normalStep) {
  glm::vec3 g = gradient(f, p, normalStep);
  const float g2 = glm::dot(g, g);
  if (g2 > 0.04f) {
    const glm::vec3 step = g * (f(p) / g2);
    const float len = glm::length(step);
    p -= len > 0.002f ? step * (0.002f / len) : step;
    g = gradient(f, p, normalStep);
  }
  const float gl = glm::length(g);
  return gl > 1e-6f ? g / gl : glm::vec3(0, 1, 0);
}

} // namespace

std::size_t flipToDelaunay(TriMesh& m, float maxShift) {
  const auto normal = [&m](std::uint32_t a, std::uint32_t b, std::uint32_t c) {
    const glm::vec3 n =
        glm::cross(m.positions[b] - m.positions[a], m.positions[c] - m.positions[a]);
    const float l = glm::length(n);
    return l > 0.0f ? n / l : glm::vec3(0.0f);
  };
  const auto angleAt = [&m](std::uint32_t at, std::uint32_t a, std::uint32_t b) {
    const glm::vec3 u = m.positions[a] - m.positions[at], v = m.positions[b] - m.positions[at];
    return std::atan2(glm::length(glm::cross(u, v)), glm::dot(u, v));
  };
  // How far the surface has already moved under each triangle: a flip is made only if the
  // larger of its two triangles' moves plus its own stays within maxShift, so flips on flips
  // never add up to more.
  std::vector<float> moved(m.triangleCount(), 0.0f);
  std::size_t flips = 0;
  // Each pass looks at every edge once, in a fixed order, and flips at most one edge per
  // triangle, so the result does not depend on anything but the mesh. A few passes settle
  // nearly all of it; the limit only bounds the time.
  constexpr int kPasses = 8;
  // No new triangle may turn more than 60 degrees from either old one: the quad is convex and
  // the flip does not fold the surface over.
  constexpr float kLeastCos = 0.5f;
  constexpr float kSliverAngle = glm::pi<float>() / 180.0f;
  constexpr float kSoundAngle = 5.0f * kSliverAngle;
  for (int pass = 0; pass < kPasses; ++pass) {
    const std::size_t n = m.triangleCount();
    const std::vector<std::pair<std::uint64_t, std::uint32_t>> edges = sortedEdges(m);
    std::vector<char> touched(n, 0);
    std::unordered_set<std::uint64_t> created;
    std::size_t passFlips = 0;
    for (std::size_t i = 0; i + 1 < edges.size(); ++i) {
      if (edges[i].first != edges[i + 1].first) continue;
      if (i + 2 < edges.size() && edges[i + 2].first == edges[i].first) { // non-manifold: leave
        while (i + 1 < edges.size() && edges[i + 1].first == edges[i].first)
          ++i;
        continue;
      }
      const std::uint32_t c1 = edges[i].second, c2 = edges[i + 1].second;
      const std::uint32_t t1 = c1 / 3, t2 = c2 / 3;
      ++i;
      if (t1 == t2 || touched[t1] || touched[t2]) continue;
      // Triangle 1 runs a -> b -> c, triangle 2 b -> a -> d (consistently oriented).
      const std::uint32_t a = m.indices[c1], b = m.indices[3 * t1 + (c1 % 3 + 1) % 3];
      const std::uint32_t c = m.indices[3 * t1 + (c1 % 3 + 2) % 3];
      if (m.indices[c2] != b || m.indices[3 * t2 + (c2 % 3 + 1) % 3] != a) continue;
      const std::uint32_t d = m.indices[3 * t2 + (c2 % 3 + 2) % 3];
      if (c == d) continue;
      if (angleAt(c, a, b) + angleAt(d, b, a) <= glm::pi<float>() + 1.0e-4f) continue;
      // The new triangles must face the way the old ones did (the quad is convex) ... but a
      // sliver (an angle under a degree) has no direction to speak of: beside one only the
      // other triangle is compared, provided that one is sound (no angle under 5 degrees) and
      // the flip makes the pair's smallest angle larger. Long slivers along a line of corners
      // the simplifier left were kept so, and seen from afar, less than a pixel wide and
      // turned over in the view at some pixels, they drew dotted lines of specks in the skin
      // and fat.
      const auto smallest = [&](std::uint32_t p, std::uint32_t q, std::uint32_t r) {
        return std::min({angleAt(p, q, r), angleAt(q, r, p), angleAt(r, p, q)});
      };
      const float least1 = smallest(a, b, c), least2 = smallest(b, a, d);
      const bool sliver1 = least1 < kSliverAngle, sliver2 = least2 < kSliverAngle;
      if (sliver1 || sliver2) {
        if (std::max(least1, least2) < kSoundAngle) continue;
        if (std::min(smallest(a, d, c), smallest(d, b, c)) <= std::min(least1, least2)) continue;
      }
      const glm::vec3 n1 = normal(a, b, c), n2 = normal(b, a, d);
      const glm::vec3 n3 = normal(a, d, c), n4 = normal(d, b, c);
      if ((!sliver1 && (glm::dot(n3, n1) < kLeastCos || glm::dot(n4, n1) < kLeastCos)) ||
          (!sliver2 && (glm::dot(n3, n2) < kLeastCos || glm::dot(n4, n2) < kLeastCos)) ||
          glm::dot(n3, n4) < kLeastCos)
        continue;
      // ... and the surface may move by no more than maxShift: the distance between the two
      // diagonals (the height of the tetrahedron abcd over them).
      const glm::vec3 across =
          glm::cross(m.positions[b] - m.positions[a], m.positions[d] - m.positions[c]);
      const float al = glm::length(across);
      if (al <= 0.0f) continue;
      const float shift = std::max(moved[t1], moved[t2]) +
                          std::abs(glm::dot(m.positions[c] - m.positions[a], across)) / al;
      if (shift > maxShift) continue;
      const std::uint64_t diagonal = edgeKey(c, d);
      if (created.count(diagonal) > 0 ||
          std::binary_search(edges.begin(), edges.end(), std::make_pair(diagonal, 0u),
                             [](const auto& x, const auto& y) { return x.first < y.first; }))
        continue;
      created.insert(diagonal);
      m.indices[3 * t1] = a, m.indices[3 * t1 + 1] = d, m.indices[3 * t1 + 2] = c;
      m.indices[3 * t2] = d, m.indices[3 * t2 + 1] = b, m.indices[3 * t2 + 2] = c;
      touched[t1] = touched[t2] = 1;
      moved[t1] = moved[t2] = shift;
      ++passFlips;
    }
    flips += passFlips;
    if (passFlips == 0) break;
  }
  return flips;
}

std::size_t splitBentEdges(TriMesh& m, const Sdf& f, float maxError, float minLength,
                           std::size_t maxTriangles, float normalStep) {
  m.normals.clear(); // they would no longer match the positions; shade after
  m.fibres.clear();
  std::vector<glm::vec3> normal(m.positions.size());
  for (std::size_t i = 0; i < m.positions.size(); ++i) {
    glm::vec3 p = m.positions[i]; // the surface's normal near the vertex; the vertex stays
    normal[i] = projectOnto(f, p, normalStep);
  }
  const float leastCos = std::cos(maxError);
  // A point on the surface with its normal, and how far (1 - cos) that normal lies from the
  // one interpolated there. Kept from pass to pass: an edge or triangle left as it was need
  // not be read again.
  struct Probe {
    glm::vec3 at, normal;
    float stray;
  };
  const auto probe = [&](glm::vec3 at, const glm::vec3& interpolated) {
    const glm::vec3 n = projectOnto(f, at, normalStep);
    const float il = glm::length(interpolated);
    return Probe{at, n, il < 1.0e-6f ? 0.0f : 1.0f - glm::dot(n, interpolated / il)};
  };
  std::unordered_map<std::uint64_t, Probe> edgeProbes;
  std::map<std::array<std::uint32_t, 3>, Probe> triangleProbes;
  std::size_t splits = 0;
  // Each pass splits at most one edge of every triangle, the worst first, so the result
  // depends on nothing but the mesh; a few passes halve a long needle several times over.
  constexpr int kPasses = 12;
  for (int pass = 0; pass < kPasses; ++pass) {
    const std::size_t n = m.triangleCount();
    const std::vector<std::pair<std::uint64_t, std::uint32_t>> edges = sortedEdges(m);
    struct Split {
      float priority; // (1 - cos) * length, the largest first
      std::uint64_t edge;
      Probe mid;
    };
    std::vector<Split> nominated;
    const auto length = [&m](std::uint64_t edge) {
      return glm::distance(m.positions[edge >> 32], m.positions[edge & 0xffffffffu]);
    };
    const auto midProbe = [&](std::uint64_t edge) {
      const auto a = static_cast<std::uint32_t>(edge >> 32);
      const auto b = static_cast<std::uint32_t>(edge & 0xffffffffu);
      auto [it, added] = edgeProbes.try_emplace(edge);
      if (added)
        it->second = probe(0.5f * (m.positions[a] + m.positions[b]), normal[a] + normal[b]);
      return it->second;
    };
    // Every edge longer than minLength whose midpoint's normal strays from the one
    // interpolated there by more than maxError ...
    for (std::size_t i = 0; i < edges.size(); ++i) {
      if (i > 0 && edges[i].first == edges[i - 1].first) continue;
      const std::uint64_t edge = edges[i].first;
      const float l = length(edge);
      if (l <= minLength) continue;
      const Probe mid = midProbe(edge);
      if (mid.stray > 1.0f - leastCos) nominated.push_back(Split{mid.stray * l, edge, mid});
    }
    // ... and the longest edge of every triangle whose centroid's normal strays so (a long
    // triangle can bend in its middle while no edge's midpoint strays).
    for (std::size_t t = 0; t < n; ++t) {
      const std::uint32_t* c = &m.indices[3 * t];
      std::array<std::uint32_t, 3> key{c[0], c[1], c[2]};
      std::sort(key.begin(), key.end());
      auto [it, added] = triangleProbes.try_emplace(key);
      if (added)
        it->second = probe((m.positions[c[0]] + m.positions[c[1]] + m.positions[c[2]]) / 3.0f,
                           normal[c[0]] + normal[c[1]] + normal[c[2]]);
      if (it->second.stray <= 1.0f - leastCos) continue;
      std::uint64_t longest = edgeKey(c[0], c[1]);
      for (const std::uint64_t e : {edgeKey(c[1], c[2]), edgeKey(c[2], c[0])})
        if (length(e) > length(longest)) longest = e;
      const float l = length(longest);
      if (l > minLength)
        nominated.push_back(Split{it->second.stray * l, longest, midProbe(longest)});
    }
    if (nominated.empty()) break;
    std::sort(nominated.begin(), nominated.end(), [](const Split& x, const Split& y) {
      return x.priority > y.priority || (x.priority == y.priority && x.edge < y.edge);
    });
    std::vector<char> touched(n, 0);
    std::size_t passSplits = 0;
    for (const Split& split : nominated) {
      auto first = std::lower_bound(edges.begin(), edges.end(), std::make_pair(split.edge, 0u));
      auto last = first;
      while (last != edges.end() && last->first == split.edge)
        ++last;
      const auto sides = static_cast<std::size_t>(last - first);
      if (sides > 2) continue; // non-manifold: leave it
      if (m.triangleCount() + sides > maxTriangles) break;
      bool untouched = true;
      for (auto it = first; it != last; ++it)
        untouched = untouched && !touched[it->second / 3];
      if (!untouched) continue; // split already this pass (or nominated twice)
      // Both halves of each triangle must face the way the surface does at their corners (the
      // midpoint moves onto the surface, out of the old triangle's plane: beside a sliver a
      // half could fold over). Nor may the midpoint come within a tenth of minLength, and 3 %
      // of the edge's length, of a triangle's third corner: that triangle is a sliver lying
      // along the edge, its halves would be slivers again, and their long edges were split in
      // turn, pass after pass, into ladders of corners a few hundredths of a millimetre apart,
      // which showed as specks in the skin. (A fifth of the edge's length held back the splits
      // of obtuse triangles' long edges, which the bound needs; a tenth of minLength alone
      // those of short edges' triangles up to 28 degrees off the edge.)
      const glm::vec3 v = split.mid.at, nv = split.mid.normal;
      bool folds = false;
      for (auto it = first; it != last && !folds; ++it) {
        const std::uint32_t t = it->second / 3, corner = it->second % 3;
        const std::uint32_t s = m.indices[3 * t + corner];
        const std::uint32_t e = m.indices[3 * t + (corner + 1) % 3];
        const std::uint32_t o = m.indices[3 * t + (corner + 2) % 3];
        const glm::vec3 &ps = m.positions[s], &pe = m.positions[e], &po = m.positions[o];
        folds = glm::dot(glm::cross(v - ps, po - ps), normal[s] + nv + normal[o]) <= 0.0f ||
                glm::dot(glm::cross(pe - v, po - v), nv + normal[e] + normal[o]) <= 0.0f ||
                glm::distance(v, po) < std::min(0.1f * minLength, 0.03f * glm::distance(ps, pe));
      }
      if (folds) continue;
      const auto added = static_cast<std::uint32_t>(m.positions.size());
      m.positions.push_back(v);
      normal.push_back(nv);
      // Each triangle (s, e, o) on the edge, s -> e along its winding, becomes (s, v, o) and
      // (v, e, o): the same orientation.
      for (auto it = first; it != last; ++it) {
        const std::uint32_t t = it->second / 3, corner = it->second % 3;
        const std::uint32_t s = m.indices[3 * t + corner];
        const std::uint32_t e = m.indices[3 * t + (corner + 1) % 3];
        const std::uint32_t o = m.indices[3 * t + (corner + 2) % 3];
        m.indices[3 * t] = s;
        m.indices[3 * t + 1] = added;
        m.indices[3 * t + 2] = o;
        m.indices.insert(m.indices.end(), {added, e, o});
        touched[t] = 1;
      }
      ++passSplits;
    }
    splits += passSplits;
    if (passSplits == 0) break;
  }
  return splits;
}

void simplify(TriMesh& m, std::size_t targetTriangles, float maxError) {
  m.normals.clear();
  m.fibres.clear();
  if (m.indices.empty()) return;
  // meshoptimizer does not check the link condition, so an edge collapse now and then leaves a
  // non-manifold edge, mostly on thin parts. We therefore halve the triangle count in steps and
  // check each step; a failed step is retried with a slightly larger budget, and if it keeps
  // failing we stop at the last clean mesh (a little over budget rather than broken).
  const bool open = checkEdges(m).unpaired > 0;
  const std::size_t loops = open ? borderLoops(m) : 0;
  const float scale = meshopt_simplifyScale(&m.positions[0].x, m.positions.size(), sizeof(glm::vec3));
  const bool debug = std::getenv("FASCIA_DEBUG_SIMPLIFY") != nullptr;
  while (m.triangleCount() > targetTriangles) {
    bool done = false;
    constexpr float kRatios[] = {0.5f, 0.54f, 0.58f, 0.65f, 0.75f, 0.85f, 0.92f};
    for (std::size_t attempt = 0; attempt < std::size(kRatios) && !done; ++attempt) {
      const std::size_t target = std::max(
          targetTriangles, static_cast<std::size_t>(static_cast<float>(m.triangleCount()) * kRatios[attempt]));
      if (target >= m.triangleCount()) break;
      std::vector<std::uint32_t> out(m.indices.size());
      const std::size_t n = meshopt_simplify(out.data(), m.indices.data(), m.indices.size(), &m.positions[0].x,
                                             m.positions.size(), sizeof(glm::vec3), target * 3,
                                             maxError / scale, 0, nullptr);
      out.resize(n);
      TriMesh trial;
      trial.positions = m.positions;
      trial.indices = out;
      removeFins(trial);
      const EdgeReport r = checkEdges(trial);
      if (debug)
        std::fprintf(stderr, "  simplify %zu -> %zu: unpaired %zu duplicated %zu\n", m.triangleCount(), n / 3,
                     r.unpaired, r.duplicated);
      if (n / 3 >= m.triangleCount()) break; // the error bound stops it
      if (r.duplicated == 0 && (open ? borderLoops(trial) == loops : r.unpaired == 0)) {
        m.indices = std::move(trial.indices);
        done = true;
      }
    }
    if (!done) break;
  }
  if (m.triangleCount() > targetTriangles + targetTriangles / 20) simplifyManifold(m, targetTriangles, maxError);
  // Slivers left by the collapses shade as lines; a flip moves the surface by a quarter of
  // the error allowed at most.
  flipToDelaunay(m, 0.25f * maxError);
  meshopt_optimizeVertexCache(m.indices.data(), m.indices.data(), m.indices.size(), m.positions.size());
  std::vector<glm::vec3> pos(m.positions.size());
  const std::size_t nv = meshopt_optimizeVertexFetch(pos.data(), m.indices.data(), m.indices.size(),
                                                     m.positions.data(), m.positions.size(),
                                                     sizeof(glm::vec3));
  pos.resize(nv);
  m.positions = std::move(pos);
}

/// Flips the long edge of each triangle that faces against its corners' normals (after the
/// corners were moved onto the field each on its own): such a triangle is a sliver whose third
/// corner crossed its long edge, folded over its neighbour and facing into the body (drawn
/// from both sides, it shades with its normal turned over). Flipping the edge it shares with
/// its neighbour (the long edge, or failing that another) replaces the two with a pair that
/// face with their normals (within 60 degrees), if there is one. The flip is not bounded: the
/// surface moves by the height between the old and the new diagonal, on the bundled model
/// under 0.5 mm for all but about 4 % of the flips and at most about 3 mm.
/// Deterministic: the triangles are visited in order, each flipped at most once a pass.
std::size_t unfoldSlivers(TriMesh& m) {
  const auto facing = [&m](std::uint32_t a, std::uint32_t b, std::uint32_t c) {
    return facingCosine(m, a, b, c);
  };
  constexpr float kLeastCos = 0.5f;
  constexpr int kPasses = 4;
  assert(m.normals.size() == m.positions.size());
  std::size_t flips = 0;
  for (int pass = 0; pass < kPasses; ++pass) {
    const std::vector<std::pair<std::uint64_t, std::uint32_t>> edges = sortedEdges(m);
    const auto cornersOf = [&edges](std::uint64_t key) {
      return std::equal_range(edges.begin(), edges.end(), std::make_pair(key, 0u),
                              [](const auto& x, const auto& y) { return x.first < y.first; });
    };
    std::vector<char> touched(m.triangleCount(), 0);
    std::unordered_set<std::uint64_t> created;
    std::size_t passFlips = 0;
    for (std::size_t t1 = 0; t1 < m.triangleCount(); ++t1) {
      const std::uint32_t* tri = &m.indices[3 * t1];
      if (touched[t1] || facing(tri[0], tri[1], tri[2]) >= 0.0f) continue;
      // Its edges, longest first: the one opposite the corner that crossed it.
      std::array<int, 3> order{0, 1, 2};
      const auto length2 = [&](int k) {
        const glm::vec3 e = m.positions[tri[(k + 1) % 3]] - m.positions[tri[k]];
        return glm::dot(e, e);
      };
      std::stable_sort(order.begin(), order.end(),
                       [&](int x, int y) { return length2(x) > length2(y); });
      for (int k : order) {
        const std::uint32_t a = tri[k], b = tri[(k + 1) % 3], c = tri[(k + 2) % 3];
        const auto [lo, hi] = cornersOf(edgeKey(a, b));
        if (hi - lo != 2) continue; // a border or a non-manifold edge
        const std::uint32_t c2 = lo->second / 3 == t1 ? (lo + 1)->second : lo->second;
        const std::uint32_t t2 = c2 / 3;
        // Triangle 2 must run b -> a -> d (consistently oriented).
        if (touched[t2] || m.indices[c2] != b || m.indices[3 * t2 + (c2 % 3 + 1) % 3] != a)
          continue;
        const std::uint32_t d = m.indices[3 * t2 + (c2 % 3 + 2) % 3];
        const std::uint64_t diagonal = edgeKey(c, d);
        if (c == d || created.count(diagonal) > 0) continue;
        const auto [dlo, dhi] = cornersOf(diagonal);
        if (dlo != dhi) continue; // the mesh already has that edge
        if (facing(a, d, c) < kLeastCos || facing(d, b, c) < kLeastCos) continue;
        created.insert(diagonal);
        m.indices[3 * t1] = a, m.indices[3 * t1 + 1] = d, m.indices[3 * t1 + 2] = c;
        m.indices[3 * t2] = d, m.indices[3 * t2 + 1] = b, m.indices[3 * t2 + 2] = c;
        touched[t1] = touched[t2] = 1;
        ++passFlips;
        break;
      }
    }
    flips += passFlips;
    if (passFlips == 0) break;
  }
  return flips;
}

/// Moves a corner of each triangle that still faces against its corners' normals after
/// unfoldSlivers to the centroid of the corner's neighbours, and back onto f: where the corner
/// crossed a chain of nearly collinear slivers (left by splitting long edges), no flip of one
/// edge unfolds it, but the ring around it is a fan it fits back into. A move is kept only if
/// every triangle round the corner then faces with its normals within 60 degrees; the corner
/// opposite the longest edge is tried first. Deterministic: triangles are visited in order.
std::size_t relaxFoldedCorners(TriMesh& m, const Sdf& f, float normalStep) {
  assert(m.normals.size() == m.positions.size());
  constexpr int kPasses = 3;
  if (!hasFold(m)) return 0;
  const VertexFans fans(m);
  const auto& start = fans.start;
  const auto& around = fans.around;
  // Corners on the border stay: their fan is open, so the centroid would pull them inward
  // (and a cut's cap snaps its rim back only along the plane's normal).
  const std::vector<char> onBorder = borderVertices(sortedEdges(m), m.positions.size());
  std::size_t moves = 0;
  for (int pass = 0; pass < kPasses; ++pass) {
    std::size_t passMoves = 0;
    for (std::size_t t = 0; t < m.triangleCount(); ++t) {
      if (facingOf(m, t) >= 0.0f) continue;
      const std::uint32_t* tri = &m.indices[3 * t];
      // Corner k is opposite the edge from corner k + 1 to corner k + 2.
      std::array<int, 3> order{0, 1, 2};
      const auto opposite2 = [&](int k) {
        const glm::vec3 e = m.positions[tri[(k + 2) % 3]] - m.positions[tri[(k + 1) % 3]];
        return glm::dot(e, e);
      };
      std::stable_sort(order.begin(), order.end(),
                       [&](int x, int y) { return opposite2(x) > opposite2(y); });
      for (int k : order) {
        const std::uint32_t v = tri[k];
        if (onBorder[v]) continue;
        glm::vec3 centroid(0.0f);
        std::size_t count = 0;
        for (std::uint32_t i = start[v]; i < start[v + 1]; ++i)
          for (int j = 0; j < 3; ++j) {
            const std::uint32_t w = m.indices[3 * around[i] + j];
            if (w == v) continue;
            // Each neighbour counts once for each triangle it shares with v (twice inside a
            // closed fan), which weighs them evenly there.
            centroid += m.positions[w];
            ++count;
          }
        if (count == 0) continue;
        const glm::vec3 oldPosition = m.positions[v], oldNormal = m.normals[v];
        glm::vec3 p = centroid / static_cast<float>(count);
        m.normals[v] = projectOnto(f, p, normalStep);
        m.positions[v] = p;
        bool faces = true;
        for (std::uint32_t i = start[v]; i < start[v + 1] && faces; ++i)
          faces = facingOf(m, around[i]) >= kLeastFacingCos;
        if (faces) {
          ++passMoves;
          break;
        }
        m.positions[v] = oldPosition;
        m.normals[v] = oldNormal;
      }
    }
    moves += passMoves;
    if (passMoves == 0) break;
  }
  return moves;
}

std::size_t relaxFoldedPatches(TriMesh& m, const Sdf& f, float normalStep) {
  assert(m.normals.size() == m.positions.size());
  constexpr std::array<float, 3> kRadii{1.5f, 2.5f, 4.0f}; // times the fold's longest side
  constexpr float kMostRadius = 0.06f;
  constexpr int kIterations = 200, kProjections = 2;
  if (!hasFold(m)) return 0;
  const VertexFans fans(m);
  const std::vector<char> onBorder = borderVertices(sortedEdges(m), m.positions.size());
  std::vector<std::vector<std::uint32_t>> ring(m.positions.size());
  const auto ringOf = [&](std::uint32_t v) -> const std::vector<std::uint32_t>& {
    if (ring[v].empty()) ring[v] = neighboursOf(m, fans, v);
    return ring[v];
  };
  std::vector<char> inPatch(m.positions.size(), 0);
  std::size_t relaxed = 0;
  for (std::size_t t = 0; t < m.triangleCount(); ++t) {
    if (facingOf(m, t) >= 0.0f) continue; // never folded, or unfolded with an earlier patch
    const std::uint32_t* tri = &m.indices[3 * t];
    const glm::vec3 centre =
        (m.positions[tri[0]] + m.positions[tri[1]] + m.positions[tri[2]]) / 3.0f;
    float longest = 0.0f;
    for (int k = 0; k < 3; ++k)
      longest =
          std::max(longest, glm::distance(m.positions[tri[k]], m.positions[tri[(k + 1) % 3]]));
    for (float times : kRadii) {
      const float radius = std::min(times * longest, kMostRadius);
      // The patch: the vertices within `radius` of the fold reached from its corners through
      // vertices within it, less the border. A ball's rim is about round, and smoothed with it
      // held the net of centroids tends to a layout without folds (as a Tutte embedding does,
      // for a convex, flat rim); rings of neighbours reached far along slivers, and their
      // ragged rims kept a fold at the rim.
      std::vector<std::uint32_t> patch;
      const auto take = [&](std::uint32_t v) {
        if (onBorder[v] || inPatch[v] || glm::distance(m.positions[v], centre) > radius) return;
        inPatch[v] = 1;
        patch.push_back(v);
      };
      for (int k = 0; k < 3; ++k)
        take(tri[k]);
      for (std::size_t i = 0; i < patch.size(); ++i)
        for (std::uint32_t w : ringOf(patch[i]))
          take(w);
      if (patch.empty()) break; // all three corners on the border: nothing can move
      // How many triangles round the patch face less than kLeastFacingCos with their normals
      // before.
      std::vector<std::uint32_t> around;
      for (std::uint32_t v : patch)
        for (std::uint32_t k = fans.start[v]; k < fans.start[v + 1]; ++k)
          around.push_back(fans.around[k]);
      std::sort(around.begin(), around.end());
      around.erase(std::unique(around.begin(), around.end()), around.end());
      std::size_t poorBefore = 0;
      for (std::uint32_t a : around)
        poorBefore += facingOf(m, a) < kLeastFacingCos ? 1 : 0;
      std::vector<glm::vec3> oldPositions, oldNormals, next(patch.size());
      for (std::uint32_t v : patch) {
        oldPositions.push_back(m.positions[v]);
        oldNormals.push_back(m.normals[v]);
      }
      for (int it = 0; it < kIterations; ++it) {
        for (std::size_t i = 0; i < patch.size(); ++i) {
          glm::vec3 sum(0.0f);
          for (std::uint32_t w : ringOf(patch[i]))
            sum += m.positions[w];
          next[i] = sum / static_cast<float>(ringOf(patch[i]).size());
        }
        for (std::size_t i = 0; i < patch.size(); ++i)
          m.positions[patch[i]] = next[i];
      }
      // The net sags off the surface (towards the rim's chord): back onto f.
      for (std::uint32_t v : patch)
        for (int k = 0; k < kProjections; ++k)
          m.normals[v] = projectOnto(f, m.positions[v], normalStep);
      bool folded = false;
      std::size_t poorAfter = 0;
      for (std::uint32_t a : around) {
        const float c = facingOf(m, a);
        folded = folded || c < 0.0f;
        poorAfter += c < kLeastFacingCos ? 1 : 0;
      }
      for (std::uint32_t v : patch)
        inPatch[v] = 0;
      if (!folded && poorAfter <= poorBefore) {
        ++relaxed;
        break;
      }
      for (std::size_t i = 0; i < patch.size(); ++i) {
        m.positions[patch[i]] = oldPositions[i];
        m.normals[patch[i]] = oldNormals[i];
      }
    }
  }
  return relaxed;
}

std::size_t collapseShortEdges(TriMesh& m, float minLength) {
  const float least2 = minLength * minLength;
  const auto isShort = [&m, least2](std::uint32_t a, std::uint32_t b) {
    const glm::vec3 d = m.positions[a] - m.positions[b];
    return glm::dot(d, d) < least2;
  };
  const auto anyShort = [&m, &isShort] {
    for (std::size_t c = 0; c < m.indices.size(); ++c)
      if (isShort(m.indices[c], m.indices[c - c % 3 + (c + 1) % 3])) return true;
    return false;
  };
  std::size_t collapses = 0;
  // Each pass collapses edges neither of whose corners an earlier collapse of the pass touched
  // (as a corner or a neighbour), so the fans it reads are still those of the mesh it changes;
  // another pass runs only for the edges a pass put off so.
  bool again = anyShort();
  while (again) {
    const std::vector<std::pair<std::uint64_t, std::uint32_t>> edges = sortedEdges(m);
    const std::vector<char> onBorder = borderVertices(edges, m.positions.size());
    const VertexFans fans(m);
    std::vector<char> touched(m.positions.size(), 0), dead(m.triangleCount(), 0);
    // Whether every triangle round `gone` but t1 and t2 keeps facing the way it does when `gone`
    // moves onto `kept`: a corner of a long sliver lies as close to the far side of its
    // neighbour as to the corner it merges with, and the merge would turn that neighbour over.
    const auto keepsFacing = [&](std::uint32_t gone, std::uint32_t kept, std::uint32_t t1,
                                 std::uint32_t t2) {
      for (std::uint32_t k = fans.start[gone]; k < fans.start[gone + 1]; ++k) {
        const std::uint32_t t = fans.around[k];
        if (t == t1 || t == t2) continue;
        std::array<glm::vec3, 3> before{}, after{};
        for (int j = 0; j < 3; ++j) {
          const std::uint32_t v = m.indices[3 * t + j];
          before[j] = m.positions[v];
          after[j] = m.positions[v == gone ? kept : v];
        }
        const glm::vec3 n0 = glm::cross(before[1] - before[0], before[2] - before[0]);
        const glm::vec3 n1 = glm::cross(after[1] - after[0], after[2] - after[0]);
        if (glm::dot(n0, n1) <= 0.0f) return false;
      }
      return true;
    };
    std::size_t passCollapses = 0, putOff = 0;
    for (std::size_t i = 0; i + 1 < edges.size(); ++i) {
      if (edges[i].first != edges[i + 1].first) continue;                 // a border edge
      if (i + 2 < edges.size() && edges[i + 2].first == edges[i].first) { // non-manifold: leave
        while (i + 1 < edges.size() && edges[i + 1].first == edges[i].first)
          ++i;
        continue;
      }
      const std::uint32_t c1 = edges[i].second, c2 = edges[i + 1].second;
      ++i;
      const auto a = static_cast<std::uint32_t>(edges[i].first >> 32);
      const auto b = static_cast<std::uint32_t>(edges[i].first & 0xffffffffu);
      if (!isShort(a, b) || onBorder[a] || onBorder[b]) continue;
      if (touched[a] || touched[b]) {
        ++putOff;
        continue;
      }
      // The corners opposite the edge in its two triangles (always neighbours of both) must be
      // the only neighbours a and b share: otherwise the collapse would fold a third triangle
      // flat onto one of them.
      const std::uint32_t t1 = c1 / 3, t2 = c2 / 3;
      const std::uint32_t o1 = m.indices[c1 - c1 % 3 + (c1 + 2) % 3];
      const std::uint32_t o2 = m.indices[c2 - c2 % 3 + (c2 + 2) % 3];
      const std::vector<std::uint32_t> na = neighboursOf(m, fans, a), nb = neighboursOf(m, fans, b);
      std::vector<std::uint32_t> shared;
      std::set_intersection(na.begin(), na.end(), nb.begin(), nb.end(), std::back_inserter(shared));
      if (o1 == o2 || shared.size() != 2) continue;
      // b merges into a, or, where that would turn a triangle over, a into b.
      std::uint32_t gone = b, kept = a;
      if (!keepsFacing(b, a, t1, t2)) {
        if (!keepsFacing(a, b, t1, t2)) continue;
        std::swap(gone, kept);
      }
      for (std::uint32_t k = fans.start[gone]; k < fans.start[gone + 1]; ++k) {
        const std::uint32_t t = fans.around[k];
        if (t == t1 || t == t2) {
          dead[t] = 1;
          continue;
        }
        for (int j = 0; j < 3; ++j)
          if (m.indices[3 * t + j] == gone) m.indices[3 * t + j] = kept;
      }
      for (const auto* ring : {&na, &nb})
        for (std::uint32_t w : *ring)
          touched[w] = 1;
      touched[a] = touched[b] = 1;
      ++passCollapses;
    }
    collapses += passCollapses;
    std::vector<std::uint32_t> kept;
    kept.reserve(m.indices.size());
    for (std::size_t t = 0; t < dead.size(); ++t)
      if (!dead[t]) kept.insert(kept.end(), &m.indices[3 * t], &m.indices[3 * t] + 3);
    m.indices = std::move(kept);
    again = passCollapses > 0 && putOff > 0;
  }
  if (collapses > 0) dropUnusedVertices(m);
  return collapses;
}

void projectAndShade(TriMesh& m, const Sdf& f, float normalStep) {
  m.normals.resize(m.positions.size());
  for (std::size_t i = 0; i < m.positions.size(); ++i)
    m.normals[i] = projectOnto(f, m.positions[i], normalStep);
  unfoldSlivers(m);
  relaxFoldedCorners(m, f, normalStep);
  relaxFoldedPatches(m, f, normalStep);
  // Two corners can end up next to each other (projected, or a folded corner moved onto its
  // neighbours' centroid): the skin had a 0.016 mm side between two needles 11-24 mm long at
  // the waist.
  constexpr float kMergeDistance = 5.0e-5f;
  collapseShortEdges(m, kMergeDistance);
}

TriMesh makeSheet(const TriMesh& patch, const std::function<float(const glm::vec3&)>& thickness) {
  TriMesh out;
  const auto n = static_cast<std::uint32_t>(patch.positions.size());
  out.positions.reserve(2 * n);
  out.normals.reserve(2 * n);
  for (std::uint32_t i = 0; i < n; ++i) {
    out.positions.push_back(patch.positions[i]);
    out.normals.push_back(-patch.normals[i]);
  }
  for (std::uint32_t i = 0; i < n; ++i) {
    out.positions.push_back(patch.positions[i] + patch.normals[i] * thickness(patch.positions[i]));
    out.normals.push_back(patch.normals[i]);
  }
  std::vector<std::uint64_t> directed;
  directed.reserve(patch.indices.size());
  for (std::size_t t = 0; t < patch.indices.size(); t += 3) {
    const std::uint32_t a = patch.indices[t], b = patch.indices[t + 1], c = patch.indices[t + 2];
    out.indices.insert(out.indices.end(), {a + n, b + n, c + n});
    out.indices.insert(out.indices.end(), {a, c, b});
    for (int e = 0; e < 3; ++e) {
      const std::uint32_t x = patch.indices[t + static_cast<std::size_t>(e)];
      const std::uint32_t y = patch.indices[t + static_cast<std::size_t>((e + 1) % 3)];
      directed.push_back((static_cast<std::uint64_t>(x) << 32) | y);
    }
  }
  std::vector<std::uint64_t> sorted = directed;
  std::sort(sorted.begin(), sorted.end());
  for (std::uint64_t e : directed) {
    const auto a = static_cast<std::uint32_t>(e >> 32), b = static_cast<std::uint32_t>(e);
    const std::uint64_t rev = (static_cast<std::uint64_t>(b) << 32) | a;
    if (std::binary_search(sorted.begin(), sorted.end(), rev)) continue;
    // Border edge a->b: join the outer face's a'->b' and the inner face's b->a.
    out.indices.insert(out.indices.end(), {b + n, a + n, a});
    out.indices.insert(out.indices.end(), {b + n, a, b});
  }
  return out;
}

std::size_t dropStrayPieces(TriMesh& m, const Sdf& f, float reach, float step) {
  const std::size_t nv = m.positions.size(), nt = m.triangleCount();
  if (nt == 0) return 0;
  // Pieces: the triangles' shared vertices joined.
  DisjointSets sets(nv);
  const auto root = [&sets](std::uint32_t x) { return sets.root(x); };
  std::vector<glm::vec3> normal(nv, glm::vec3(0.0f));
  for (std::size_t t = 0; t < m.indices.size(); t += 3) {
    const std::uint32_t a = m.indices[t], b = m.indices[t + 1], c = m.indices[t + 2];
    const glm::vec3 fn =
        glm::cross(m.positions[b] - m.positions[a], m.positions[c] - m.positions[a]);
    for (std::uint32_t v : {a, b, c})
      normal[v] += fn;
    sets.join(a, b);
    sets.join(b, c);
  }
  // Per piece: its vertices, and of an even sample of them (every stride-th, at most
  // kSamples: a walk reads f a dozen times, and a large sheet's patch has up to 80 000
  // vertices) those shut in.
  constexpr std::size_t kSamples = 256;
  std::vector<std::size_t> vertices(nv, 0), seen(nv, 0), count(nv, 0), shut(nv, 0),
      triangles(nv, 0);
  std::vector<bool> used(nv, false);
  for (std::uint32_t v : m.indices)
    used[v] = true;
  for (std::uint32_t v = 0; v < nv; ++v)
    vertices[root(v)] += used[v] ? 1 : 0;
  for (std::uint32_t v = 0; v < nv; ++v) {
    if (!used[v]) continue;
    const std::uint32_t r = root(v);
    const std::size_t stride = (vertices[r] + kSamples - 1) / kSamples;
    if (seen[r]++ % stride != 0) continue;
    const float len = glm::length(normal[v]);
    if (len <= 0.0f) continue;
    const glm::vec3 n = normal[v] / len;
    bool inside = false;
    for (float t = step; t <= reach + 1e-6f && !inside; t += step)
      inside = f(m.positions[v] + n * t) < 0.0f;
    ++count[r];
    shut[r] += inside ? 1 : 0;
  }
  for (std::size_t t = 0; t < m.indices.size(); t += 3)
    ++triangles[root(m.indices[t])];
  // The piece least shut in among those of at least a tenth of the largest's triangles always
  // stays: a sheet that lies in a hollow of its own (serratus posterior inferior in the hollow
  // of the loin, 45 % shut in) must not go for an island at a corner of its outline.
  std::uint32_t largest = root(m.indices[0]);
  for (std::uint32_t r = 0; r < nv; ++r)
    if (triangles[r] > triangles[largest]) largest = r;
  const auto fractionShut = [&](std::uint32_t r) {
    return count[r] > 0 ? static_cast<double>(shut[r]) / static_cast<double>(count[r]) : 0.0;
  };
  std::uint32_t open = largest;
  for (std::uint32_t r = 0; r < nv; ++r)
    if (10 * triangles[r] >= triangles[largest] && fractionShut(r) < fractionShut(open)) open = r;
  // A piece under a hundredth of the one that stays is a crumb the outline's clip left where it
  // grazes the hull: it goes whether it faces a hollow or not. (Measured against the piece that
  // stays, not the largest, which may be a lining that goes.)
  std::vector<bool> dropped(nv, false);
  for (std::uint32_t r = 0; r < nv; ++r)
    dropped[r] = r != open && triangles[r] > 0 &&
                 (4 * shut[r] > count[r] || 100 * triangles[r] < triangles[open]);
  std::vector<std::uint32_t> kept;
  kept.reserve(m.indices.size());
  for (std::size_t t = 0; t < m.indices.size(); t += 3)
    if (!dropped[root(m.indices[t])])
      kept.insert(kept.end(), {m.indices[t], m.indices[t + 1], m.indices[t + 2]});
  const std::size_t removed = nt - kept.size() / 3;
  if (removed == 0) return 0;
  m.indices = std::move(kept);
  dropUnusedVertices(m);
  return removed;
}

std::vector<std::uint32_t> earClip(const std::vector<glm::vec3>& positions,
                                   const std::vector<std::uint32_t>& polygon, const glm::vec3& n) {
  // Coordinates in the plane with u x v = n, so a polygon counter-clockwise in them faces n;
  // taken from the first corner, so they keep the precision of the polygon's own size.
  const glm::vec3 u =
      glm::normalize(glm::cross(std::abs(n.x) < 0.9f ? glm::vec3(1, 0, 0) : glm::vec3(0, 1, 0), n));
  const glm::vec3 v = glm::cross(n, u);
  struct Corner {
    std::uint32_t index;
    glm::vec2 at;
  };
  std::vector<Corner> corners;
  corners.reserve(polygon.size());
  const glm::vec3 origin = positions[polygon.front()];
  for (std::uint32_t i : polygon) {
    const glm::vec3 d = positions[i] - origin;
    corners.push_back({i, glm::vec2(glm::dot(d, u), glm::dot(d, v))});
  }
  const auto turn = [](glm::vec2 a, glm::vec2 b, glm::vec2 c) {
    return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
  };
  std::vector<std::uint32_t> out;
  std::size_t i = 0, tried = 0;
  // Each pass looks at corner i: an ear (convex, with no other corner inside it or on its
  // border, a corner at the same place as one of its own aside, where the loop touches itself)
  // is cut off. A full round without an ear means the polygon crosses itself; the rest then
  // becomes a fan, whose wrong-facing triangles the caller counts.
  while (corners.size() > 3 && tried < corners.size()) {
    const std::size_t k = corners.size();
    i %= k;
    const Corner &ca = corners[(i + k - 1) % k], &cb = corners[i], &cc = corners[(i + 1) % k];
    const glm::vec2 a = ca.at, b = cb.at, c = cc.at;
    bool ear = turn(a, b, c) > 0.0f;
    for (std::size_t j = 0; j < k && ear; ++j) {
      const glm::vec2 p = corners[j].at;
      if (p == a || p == b || p == c) continue;
      ear = !(turn(a, b, p) >= 0.0f && turn(b, c, p) >= 0.0f && turn(c, a, p) >= 0.0f);
    }
    if (!ear) {
      ++i;
      ++tried;
      continue;
    }
    out.insert(out.end(), {ca.index, cb.index, cc.index});
    corners.erase(corners.begin() + static_cast<std::ptrdiff_t>(i));
    tried = 0;
  }
  for (std::size_t j = 1; j + 1 < corners.size(); ++j)
    out.insert(out.end(), {corners[0].index, corners[j].index, corners[j + 1].index});
  return out;
}

std::size_t capPlanarBorders(TriMesh& m, const Sdf& keep, float bevel) {
  const auto nv = static_cast<std::uint32_t>(m.positions.size());
  std::vector<std::uint64_t> directed;
  directed.reserve(m.indices.size());
  for (std::size_t t = 0; t + 2 < m.indices.size(); t += 3)
    for (std::size_t e = 0; e < 3; ++e)
      directed.push_back((static_cast<std::uint64_t>(m.indices[t + e]) << 32) |
                         m.indices[t + (e + 1) % 3]);
  std::vector<std::uint64_t> sorted = directed;
  std::sort(sorted.begin(), sorted.end());
  // Border edges a -> b (no b -> a); on a manifold border each vertex starts one of them.
  constexpr std::uint32_t kNone = 0xffffffffu;
  std::vector<std::uint32_t> next(nv, kNone);
  for (std::uint64_t e : directed) {
    const auto a = static_cast<std::uint32_t>(e >> 32), b = static_cast<std::uint32_t>(e);
    const std::uint64_t reverse = (static_cast<std::uint64_t>(b) << 32) | a;
    if (!std::binary_search(sorted.begin(), sorted.end(), reverse)) next[a] = b;
  }
  std::size_t wrong = 0;
  for (std::uint32_t start = 0; start < nv; ++start) {
    if (next[start] == kNone) continue;
    std::vector<std::uint32_t> loop;
    for (std::uint32_t v = start; next[v] != kNone;) {
      loop.push_back(v);
      const std::uint32_t w = next[v];
      next[v] = kNone;
      v = w;
    }
    if (loop.size() < 3) continue;
    glm::vec3 c(0.0f);
    for (std::uint32_t v : loop) c += m.positions[v];
    c /= static_cast<float>(loop.size());
    const glm::vec3 g = gradient(keep, c);
    const glm::vec3 n = glm::length(g) > 1e-6f ? glm::normalize(g) : glm::vec3(0, 1, 0);
    // Onto the plane (keep is the distance to it), then the centroid again.
    c = glm::vec3(0.0f);
    for (std::uint32_t v : loop) {
      m.positions[v] -= n * keep(m.positions[v]);
      c += m.positions[v];
    }
    c /= static_cast<float>(loop.size());
    const auto ring = static_cast<std::uint32_t>(m.positions.size());
    for (std::uint32_t v : loop) {
      const glm::vec3 p = m.positions[v];
      const glm::vec3 in = c - p;
      const float len = glm::length(in);
      m.positions.push_back(len > 2.0f * bevel ? p + in * (bevel / len) : p + in * 0.5f);
      m.normals.push_back(n);
    }
    const auto k = static_cast<std::uint32_t>(loop.size());
    const auto facesWrong = [n](const glm::vec3& p0, const glm::vec3& p1, const glm::vec3& p2) {
      return glm::dot(glm::cross(p1 - p0, p2 - p0), n) < 0.0f;
    };
    // Inside the ring, a fan from the centroid where the loop is star-shaped around it ...
    bool star = true;
    for (std::uint32_t i = 0; i < k && star; ++i)
      star = !facesWrong(m.positions[ring + (i + 1) % k], m.positions[ring + i], c);
    const auto centre = static_cast<std::uint32_t>(m.positions.size());
    if (star) {
      m.positions.push_back(c);
      m.normals.push_back(n);
    } else {
      // ... otherwise (the fat's lids beside the armpits) ear clipping. Stepping towards the
      // centroid leads out of the section along part of such a loop, and a ring stepped in
      // across the loop instead crossed itself on a test section where the loop turns within
      // the bevel's width, so the ring stays on the loop: its strip has no width, and the cap
      // still shades flat with a crisp edge, its vertices carrying only the plane's normal.
      for (std::uint32_t i = 0; i < k; ++i)
        m.positions[ring + i] = m.positions[loop[i]];
    }
    std::vector<std::uint32_t> cap;
    for (std::uint32_t i = 0; i < k; ++i) {
      // The surface has the border edge a -> b; the cap takes b -> a.
      const std::uint32_t a = loop[i], b = loop[(i + 1) % k];
      const std::uint32_t ra = ring + i, rb = ring + (i + 1) % k;
      cap.insert(cap.end(), {b, a, ra, b, ra, rb});
      if (star) cap.insert(cap.end(), {rb, ra, centre});
    }
    if (!star) {
      std::vector<std::uint32_t> polygon;
      for (std::uint32_t i = k; i-- > 0;)
        polygon.push_back(ring + i);
      const std::vector<std::uint32_t> fill = earClip(m.positions, polygon, n);
      cap.insert(cap.end(), fill.begin(), fill.end());
    }
    m.indices.insert(m.indices.end(), cap.begin(), cap.end());
    for (std::size_t t = 0; t < cap.size(); t += 3)
      wrong +=
          facesWrong(m.positions[cap[t]], m.positions[cap[t + 1]], m.positions[cap[t + 2]]) ? 1 : 0;
  }
  return wrong;
}

void append(TriMesh& a, const TriMesh& b) {
  const auto base = static_cast<std::uint32_t>(a.positions.size());
  a.positions.insert(a.positions.end(), b.positions.begin(), b.positions.end());
  a.normals.insert(a.normals.end(), b.normals.begin(), b.normals.end());
  a.fibres.insert(a.fibres.end(), b.fibres.begin(), b.fibres.end());
  for (std::uint32_t i : b.indices) a.indices.push_back(i + base);
}

void optimizeForGpu(TriMesh& m) {
  if (m.indices.empty()) return;
  meshopt_optimizeVertexCache(m.indices.data(), m.indices.data(), m.indices.size(), m.positions.size());
  std::vector<std::uint32_t> remap(m.positions.size());
  const std::size_t nv = meshopt_optimizeVertexFetchRemap(remap.data(), m.indices.data(),
                                                          m.indices.size(), m.positions.size());
  auto apply = [&](std::vector<glm::vec3>& attr) {
    if (attr.empty()) return;
    std::vector<glm::vec3> out(nv);
    meshopt_remapVertexBuffer(out.data(), attr.data(), attr.size(), sizeof(glm::vec3), remap.data());
    attr = std::move(out);
  };
  apply(m.positions);
  apply(m.normals);
  apply(m.fibres);
  meshopt_remapIndexBuffer(m.indices.data(), m.indices.data(), m.indices.size(), remap.data());
}

EdgeReport checkEdges(const TriMesh& m) {
  std::vector<std::uint64_t> directed;
  directed.reserve(m.indices.size());
  for (std::size_t t = 0; t + 2 < m.indices.size(); t += 3) {
    for (int e = 0; e < 3; ++e) {
      const std::uint32_t x = m.indices[t + static_cast<std::size_t>(e)];
      const std::uint32_t y = m.indices[t + static_cast<std::size_t>((e + 1) % 3)];
      directed.push_back((static_cast<std::uint64_t>(x) << 32) | y);
    }
  }
  // Every edge reversed, sorted too: an edge is paired where its own key is among those, which
  // one walk through both sorted lists tells (a binary search per edge took several times as
  // long on the large sheets, which are checked at every step of their simplification).
  std::vector<std::uint64_t> reversed(directed.size());
  std::transform(directed.begin(), directed.end(), reversed.begin(),
                 [](std::uint64_t e) { return (e << 32) | (e >> 32); });
  std::sort(directed.begin(), directed.end());
  std::sort(reversed.begin(), reversed.end());
  EdgeReport r;
  r.edges = directed.size();
  std::size_t k = 0;
  for (std::size_t i = 0; i < directed.size(); ++i) {
    if (i + 1 < directed.size() && directed[i + 1] == directed[i]) ++r.duplicated;
    while (k < reversed.size() && reversed[k] < directed[i])
      ++k;
    if (k == reversed.size() || reversed[k] != directed[i]) ++r.unpaired;
  }
  return r;
}

} // namespace fascia::anatomy
