// Edge-collapse simplification that keeps a mesh manifold: quadric error (Garland-Heckbert),
// collapse onto an existing endpoint, and the link condition checked before every collapse.
// Used where meshoptimizer's faster simplifier would leave non-manifold edges.

#include <algorithm>
#include <array>
#include <cmath>
#include <queue>

#include "mesh_ops.h"

namespace fascia::anatomy {

namespace {

struct Quadric {
  std::array<double, 10> a{};
  void addPlane(const glm::dvec3& n, double d, double w) {
    a[0] += w * n.x * n.x; a[1] += w * n.x * n.y; a[2] += w * n.x * n.z; a[3] += w * n.x * d;
    a[4] += w * n.y * n.y; a[5] += w * n.y * n.z; a[6] += w * n.y * d;
    a[7] += w * n.z * n.z; a[8] += w * n.z * d; a[9] += w * d * d;
  }
  void add(const Quadric& q) {
    for (std::size_t i = 0; i < 10; ++i) a[i] += q.a[i];
  }
  double eval(const glm::dvec3& p) const {
    return a[0] * p.x * p.x + 2 * a[1] * p.x * p.y + 2 * a[2] * p.x * p.z + 2 * a[3] * p.x + a[4] * p.y * p.y +
           2 * a[5] * p.y * p.z + 2 * a[6] * p.y + a[7] * p.z * p.z + 2 * a[8] * p.z + a[9];
  }
};

struct Candidate {
  double cost;
  std::uint32_t from, to, stampFrom, stampTo;
  bool operator>(const Candidate& o) const {
    if (cost != o.cost) return cost > o.cost;
    if (from != o.from) return from > o.from;
    return to > o.to;
  }
};

} // namespace

void simplifyManifold(TriMesh& m, std::size_t targetTriangles, float maxError) {
  const std::size_t nv = m.positions.size();
  std::vector<std::array<std::uint32_t, 3>> tris(m.indices.size() / 3);
  for (std::size_t t = 0; t < tris.size(); ++t) tris[t] = {m.indices[3 * t], m.indices[3 * t + 1], m.indices[3 * t + 2]};
  std::vector<char> triAlive(tris.size(), 1);
  std::vector<std::vector<std::uint32_t>> vtris(nv);
  for (std::size_t t = 0; t < tris.size(); ++t)
    for (std::uint32_t v : tris[t]) vtris[v].push_back(static_cast<std::uint32_t>(t));
  std::vector<glm::dvec3> pos(nv);
  for (std::size_t i = 0; i < nv; ++i) pos[i] = glm::dvec3(m.positions[i]);

  auto trisWithBoth = [&](std::uint32_t u, std::uint32_t v, std::vector<std::uint32_t>& out) {
    out.clear();
    for (std::uint32_t t : vtris[u]) {
      if (!triAlive[t]) continue;
      const auto& tr = tris[t];
      if (tr[0] == v || tr[1] == v || tr[2] == v) out.push_back(t);
    }
  };
  auto neighbours = [&](std::uint32_t u, std::vector<std::uint32_t>& out) {
    out.clear();
    for (std::uint32_t t : vtris[u]) {
      if (!triAlive[t]) continue;
      for (std::uint32_t w : tris[t])
        if (w != u) out.push_back(w);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  };

  // Quadrics: face planes, plus planes perpendicular to border edges to keep borders in place.
  std::vector<Quadric> q(nv);
  std::vector<char> border(nv, 0);
  std::vector<std::uint32_t> tmp, tmp2;
  for (std::size_t t = 0; t < tris.size(); ++t) {
    const auto& tr = tris[t];
    const glm::dvec3 c = glm::cross(pos[tr[1]] - pos[tr[0]], pos[tr[2]] - pos[tr[0]]);
    const double len = glm::length(c);
    if (len <= 0.0) continue;
    const glm::dvec3 n = c / len;
    const double d = -glm::dot(n, pos[tr[0]]);
    for (std::uint32_t v : tr) q[v].addPlane(n, d, 0.5 * len);
    for (int e = 0; e < 3; ++e) {
      const std::uint32_t a = tr[static_cast<std::size_t>(e)], b = tr[static_cast<std::size_t>((e + 1) % 3)];
      trisWithBoth(a, b, tmp);
      if (tmp.size() == 1) {
        border[a] = border[b] = 1;
        const glm::dvec3 edge = pos[b] - pos[a];
        const glm::dvec3 bn = glm::cross(edge, n);
        const double bl = glm::length(bn);
        if (bl > 0.0) {
          const glm::dvec3 pn = bn / bl;
          const double w = 10.0 * glm::dot(edge, edge);
          q[a].addPlane(pn, -glm::dot(pn, pos[a]), w);
          q[b].addPlane(pn, -glm::dot(pn, pos[a]), w);
        }
      }
    }
  }

  std::vector<std::uint32_t> stamp(nv, 0);
  std::vector<char> vAlive(nv, 1);
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> heap;
  auto push = [&](std::uint32_t from, std::uint32_t to) {
    Quadric s = q[from];
    s.add(q[to]);
    heap.push({std::max(0.0, s.eval(pos[to])), from, to, stamp[from], stamp[to]});
  };
  for (const auto& tr : tris)
    for (int e = 0; e < 3; ++e) {
      const std::uint32_t a = tr[static_cast<std::size_t>(e)], b = tr[static_cast<std::size_t>((e + 1) % 3)];
      // Interior edges appear once in each direction; border edges only once.
      trisWithBoth(a, b, tmp);
      if (a < b || tmp.size() == 1) {
        push(a, b);
        push(b, a);
      }
    }

  std::size_t alive = tris.size();
  const double limit = static_cast<double>(maxError) * static_cast<double>(maxError);
  std::vector<std::uint32_t> shared;
  while (alive > targetTriangles && !heap.empty()) {
    const Candidate c = heap.top();
    heap.pop();
    const std::uint32_t u = c.from, v = c.to;
    if (!vAlive[u] || !vAlive[v] || stamp[u] != c.stampFrom || stamp[v] != c.stampTo) continue;
    // Quadric sums grow with area, so compare the error per unit of area around the pair.
    if (c.cost > limit * 4.0 * std::max(1e-12, q[u].a[0] + q[u].a[4] + q[u].a[7] + q[v].a[0] + q[v].a[4] + q[v].a[7]))
      continue;
    trisWithBoth(u, v, shared);
    if (shared.empty()) continue;
    const bool edgeBorder = shared.size() == 1;
    if (shared.size() > 2) continue;
    if (border[u] && !edgeBorder) continue;        // a border vertex may only slide along the border
    if (!edgeBorder && border[u] && border[v]) continue;
    // Link condition: the only common neighbours are the apexes of the shared triangles.
    neighbours(u, tmp);
    neighbours(v, tmp2);
    std::size_t common = 0;
    for (std::size_t i = 0, j = 0; i < tmp.size() && j < tmp2.size();) {
      if (tmp[i] < tmp2[j]) ++i;
      else if (tmp[i] > tmp2[j]) ++j;
      else { ++common; ++i; ++j; }
    }
    if (common != shared.size()) continue;
    // No triangle may flip or collapse to a sliver.
    bool ok = true;
    for (std::uint32_t t : vtris[u]) {
      if (!triAlive[t]) continue;
      const auto& tr = tris[t];
      if (tr[0] == v || tr[1] == v || tr[2] == v) continue;
      glm::dvec3 p[3], r[3];
      for (int k = 0; k < 3; ++k) {
        p[k] = pos[tr[static_cast<std::size_t>(k)]];
        r[k] = tr[static_cast<std::size_t>(k)] == u ? pos[v] : p[k];
      }
      const glm::dvec3 n0 = glm::cross(p[1] - p[0], p[2] - p[0]);
      const glm::dvec3 n1 = glm::cross(r[1] - r[0], r[2] - r[0]);
      const double l1 = glm::length(n1);
      if (l1 <= 1e-14 || glm::dot(n0, n1) < 0.3 * glm::length(n0) * l1) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    for (std::uint32_t t : shared) {
      triAlive[t] = 0;
      --alive;
    }
    for (std::uint32_t t : vtris[u]) {
      if (!triAlive[t]) continue;
      for (auto& w : tris[t])
        if (w == u) w = v;
      vtris[v].push_back(t);
    }
    vtris[u].clear();
    vAlive[u] = 0;
    q[v].add(q[u]);
    ++stamp[v];
    // Drop dead triangles from v's list now and then so it stays short.
    vtris[v].erase(std::remove_if(vtris[v].begin(), vtris[v].end(), [&](std::uint32_t t) { return !triAlive[t]; }),
                   vtris[v].end());
    neighbours(v, tmp);
    for (std::uint32_t w : tmp) {
      push(v, w);
      push(w, v);
    }
  }
  m.indices.clear();
  for (std::size_t t = 0; t < tris.size(); ++t)
    if (triAlive[t]) m.indices.insert(m.indices.end(), tris[t].begin(), tris[t].end());
}

} // namespace fascia::anatomy
