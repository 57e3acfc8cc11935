#include "sdf.h"
#include "parallel.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>

namespace fascia::anatomy {

namespace {
float dot2(const glm::vec3& v) { return glm::dot(v, v); }
float sign(float x) { return x < 0.0f ? -1.0f : 1.0f; }
} // namespace

float udTriangle(const glm::vec3& p, const glm::vec3& a, const glm::vec3& b, const glm::vec3& c) {
  const glm::vec3 ba = b - a, pa = p - a;
  const glm::vec3 cb = c - b, pb = p - b;
  const glm::vec3 ac = a - c, pc = p - c;
  const glm::vec3 nor = glm::cross(ba, ac);
  const float s = sign(glm::dot(glm::cross(ba, nor), pa)) + sign(glm::dot(glm::cross(cb, nor), pb)) +
                  sign(glm::dot(glm::cross(ac, nor), pc));
  float d2 = 0.0f;
  if (s < 2.0f) {
    d2 = std::min(
        std::min(dot2(ba * std::clamp(glm::dot(ba, pa) / dot2(ba), 0.0f, 1.0f) - pa),
                 dot2(cb * std::clamp(glm::dot(cb, pb) / dot2(cb), 0.0f, 1.0f) - pb)),
        dot2(ac * std::clamp(glm::dot(ac, pc) / dot2(ac), 0.0f, 1.0f) - pc));
  } else {
    d2 = glm::dot(nor, pa) * glm::dot(nor, pa) / dot2(nor);
  }
  return std::sqrt(d2);
}

float sdPolygon2(const glm::vec2& p, const std::vector<glm::vec2>& v) {
  float d = glm::dot(p - v[0], p - v[0]);
  float s = 1.0f;
  const std::size_t n = v.size();
  for (std::size_t i = 0, j = n - 1; i < n; j = i, ++i) {
    d = std::min(d, polygonEdgeDistance2(p, v[i], v[j]));
    if (polygonEdgeCrossed(p, v[i], v[j])) s = -s;
  }
  return s * std::sqrt(d);
}

float Tube::operator()(const glm::vec3& p, float k) const {
  float d = std::numeric_limits<float>::max();
  for (std::size_t i = 0; i + 1 < points.size(); ++i) {
    d = smin(d, sdCapsule(p, points[i], points[i + 1], radii[i], radii[i + 1]), k);
  }
  return d;
}

Aabb Tube::bounds() const {
  Aabb b;
  for (std::size_t i = 0; i < points.size(); ++i) {
    b.extend(points[i] - glm::vec3(radii[i]));
    b.extend(points[i] + glm::vec3(radii[i]));
  }
  return b;
}

float ShapeUnion::first(std::size_t count, const glm::vec3& p) const {
  float m = 1.0e3f;
  for (std::size_t i = 0; i < std::min(count, shapes_.size()); ++i) {
    const Shape& s = shapes_[i];
    // Most shapes are skipped on their box: first on the squared distance, without a square root
    // (with a margin far above its rounding, so nothing is skipped that the test below keeps).
    const float reach = m + blend_;
    // More than the blend width inside a shape, later shapes are not looked at (the box test
    // below has always stopped there): the value is an inside value, not the exact union.
    if (reach <= 0.0f) continue;
    const float bd2 = s.box.distance2(p);
    if (bd2 > reach * reach * 1.00001f) continue;
    const float bd = std::sqrt(bd2);
    if (bd >= reach) continue;
    float v;
    if (s.below) {
      // At or above `keeps` the shape leaves m exactly as it is, so no more is needed.
      const float keeps = sminKeepsFrom(m, blend_);
      v = s.below(p, keeps);
      if (v >= keeps) continue;
    } else {
      v = s.f(p);
    }
    m = smin(m, bd > 0.0f ? std::max(v, bd) : v, blend_);
    if (m < cutoff_) return m;
  }
  return m;
}

GridField::GridField(const Sdf& f, const Aabb& box, float h, unsigned threads,
                     FarSampling farSampling)
    : box_(box), h_(h) {
  const int s = std::max(1, farSampling.stride);
  if (s > 1 && !(farSampling.beyond > std::sqrt(3.0f) * static_cast<float>(s) * h))
    throw std::invalid_argument(
        "GridField: far sampling must start beyond the lattice cell's diagonal");
  const glm::vec3 ext = box.hi - box.lo;
  nx_ = static_cast<int>(std::ceil(ext.x / h)) + 1;
  ny_ = static_cast<int>(std::ceil(ext.y / h)) + 1;
  nz_ = static_cast<int>(std::ceil(ext.z / h)) + 1;
  box_.hi = box.lo + glm::vec3(static_cast<float>(nx_ - 1), static_cast<float>(ny_ - 1), static_cast<float>(nz_ - 1)) * h;
  v_.resize(static_cast<std::size_t>(nx_) * static_cast<std::size_t>(ny_) * static_cast<std::size_t>(nz_));
  const auto sample = [&](int i, int j, int k) { v_[index(i, j, k)] = f(position(i, j, k)); };
  if (s == 1) {
    parallelFor(static_cast<std::size_t>(nz_), threads, [&](std::size_t kk) {
      const int k = static_cast<int>(kk);
      for (int j = 0; j < ny_; ++j)
        for (int i = 0; i < nx_; ++i)
          sample(i, j, k);
    });
    return;
  }
  // The lattice: every s-th sample along each axis, and the last one; its slices are dealt
  // out to the threads on their own (dealt out among all slices, every s-th slice fell to the
  // same thread).
  const auto onLattice = [s](int i, int n) { return i % s == 0 || i == n - 1; };
  const std::size_t latticeSlices =
      static_cast<std::size_t>((nz_ - 1) / s + 1 + ((nz_ - 1) % s != 0));
  parallelFor(latticeSlices, threads, [&](std::size_t m) {
    const int k = std::min(static_cast<int>(m) * s, nz_ - 1);
    for (int j = 0; j < ny_; ++j)
      if (onLattice(j, ny_))
        for (int i = 0; i < nx_; ++i)
          if (onLattice(i, nx_)) sample(i, j, k);
  });
  // Lattice cell of sample i along an axis of n samples: corners a <= i <= b, weight of b.
  struct Span {
    int a, b;
    float t;
  };
  const auto span = [s](int i, int n) {
    const int a = std::min(i / s * s, n - 1), b = std::min(a + s, n - 1);
    return Span{a, b, b > a ? static_cast<float>(i - a) / static_cast<float>(b - a) : 0.0f};
  };
  // Every other sample reads only lattice samples, all written before this pass began, and
  // writes only itself: no sample's value depends on the order or the thread.
  parallelFor(static_cast<std::size_t>(nz_), threads, [&](std::size_t kk) {
    const int k = static_cast<int>(kk);
    const Span z = span(k, nz_);
    for (int j = 0; j < ny_; ++j) {
      const Span y = span(j, ny_);
      for (int i = 0; i < nx_; ++i) {
        if (onLattice(i, nx_) && onLattice(j, ny_) && onLattice(k, nz_)) continue;
        const Span x = span(i, nx_);
        const float c[8] = {v_[index(x.a, y.a, z.a)], v_[index(x.b, y.a, z.a)],
                            v_[index(x.a, y.b, z.a)], v_[index(x.b, y.b, z.a)],
                            v_[index(x.a, y.a, z.b)], v_[index(x.b, y.a, z.b)],
                            v_[index(x.a, y.b, z.b)], v_[index(x.b, y.b, z.b)]};
        if (!(*std::min_element(c, c + 8) >= farSampling.beyond)) { // NaN: exact too
          sample(i, j, k);
          continue;
        }
        const float y0 = mix(mix(c[0], c[1], x.t), mix(c[2], c[3], x.t), y.t);
        const float y1 = mix(mix(c[4], c[5], x.t), mix(c[6], c[7], x.t), y.t);
        v_[index(i, j, k)] = mix(y0, y1, z.t);
      }
    }
  });
}

void GridField::fillCavities() {
  const std::size_t nx = static_cast<std::size_t>(nx_), ny = static_cast<std::size_t>(ny_),
                    nz = static_cast<std::size_t>(nz_);
  std::vector<char> outside(v_.size(), 0);
  std::vector<std::size_t> stack;
  auto seed = [&](std::size_t i) {
    if (!outside[i] && v_[i] > 0.0f) {
      outside[i] = 1;
      stack.push_back(i);
    }
  };
  for (std::size_t k = 0; k < nz; ++k)
    for (std::size_t j = 0; j < ny; ++j)
      for (std::size_t i = 0; i < nx; ++i)
        if (i == 0 || j == 0 || k == 0 || i == nx - 1 || j == ny - 1 || k == nz - 1) seed((k * ny + j) * nx + i);
  while (!stack.empty()) {
    const std::size_t c = stack.back();
    stack.pop_back();
    const std::size_t i = c % nx, j = (c / nx) % ny, k = c / (nx * ny);
    if (i > 0) seed(c - 1);
    if (i + 1 < nx) seed(c + 1);
    if (j > 0) seed(c - nx);
    if (j + 1 < ny) seed(c + nx);
    if (k > 0) seed(c - nx * ny);
    if (k + 1 < nz) seed(c + nx * ny);
  }
  for (std::size_t c = 0; c < v_.size(); ++c)
    if (v_[c] > 0.0f && !outside[c]) v_[c] = -h_;
}

namespace {

/// Applies a one-dimensional filter along x, then y, then z: filter(at) gives a sample's new
/// value, at(d) reading its neighbour d samples away along the axis (clamped at the ends).
/// Every sample depends only on the previous axis' values, so the samples are split among
/// threads and the result does not depend on their number.
template <class Filter>
void filterAxes(std::vector<float>& v, const int (&n)[3], unsigned threads, const Filter& filter) {
  const std::size_t stride[3] = {1, static_cast<std::size_t>(n[0]),
                                 static_cast<std::size_t>(n[0]) * static_cast<std::size_t>(n[1])};
  std::vector<float> tmp(v.size());
  for (int axis = 0; axis < 3; ++axis) {
    const int len = n[axis];
    const std::size_t st = stride[axis];
    const auto run = [&](std::size_t from, std::size_t to) {
      for (std::size_t c = from; c < to; ++c) {
        const int i = static_cast<int>((c / st) % static_cast<std::size_t>(len));
        const auto at = [&](int d) {
          const int j = std::clamp(i + d, 0, len - 1);
          return v[c + static_cast<std::size_t>(j - i) * st];
        };
        tmp[c] = filter(at);
      }
    };
    const std::size_t parts = std::max(1u, threads), size = v.size();
    parallelFor(parts, threads,
                [&](std::size_t t) { run(size * t / parts, size * (t + 1) / parts); });
    v.swap(tmp);
  }
}

/// How far a value v of the lowered field lies above what cover() allows where the sharper
/// field is u: u within band of its surface, -band deeper in; nothing is asked farther out.
float excessOver(float v, float u, float band) {
  return u <= band ? std::max(0.0f, v - std::max(u, -band)) : 0.0f;
}

void binomialBlur(std::vector<float>& v, const int (&n)[3], int passes, unsigned threads) {
  for (int pass = 0; pass < passes; ++pass)
    filterAxes(v, n, threads, [](const auto& at) {
      return (at(-2) + 4.0f * at(-1) + 6.0f * at(0) + 4.0f * at(1) + at(2)) * (1.0f / 16.0f);
    });
}

} // namespace

void GridField::blur(int passes, unsigned threads) {
  binomialBlur(v_, {nx_, ny_, nz_}, passes, threads);
}

namespace {

/// The squared distance transform of one line of n samples read with stride `step` (in
/// samples squared): f[q] becomes min over r of (q - r)^2 + f[r], by the lower envelope of the
/// parabolas rooted at every sample (Felzenszwalb and Huttenlocher, "Distance transforms of
/// sampled functions", 2012), and nearest[q] (when given) becomes nearest[r] of the r that
/// gives it.
struct LineTransform {
  std::vector<int> root;
  std::vector<float> from, f;
  std::vector<std::uint32_t> nearest;

  void operator()(float* fOut, std::uint32_t* nearestOut, std::size_t step, int n) {
    const auto un = static_cast<std::size_t>(n);
    root.resize(un);
    from.resize(un + 1);
    f.resize(un);
    nearest.resize(un);
    for (std::size_t q = 0; q < un; ++q) {
      f[q] = fOut[q * step];
      if (nearestOut) nearest[q] = nearestOut[q * step];
    }
    // Where the parabola rooted at q starts to lie below the one rooted at r (r < q).
    const auto meet = [this](int q, int r) {
      const float fq =
          f[static_cast<std::size_t>(q)] + static_cast<float>(q) * static_cast<float>(q);
      const float fr =
          f[static_cast<std::size_t>(r)] + static_cast<float>(r) * static_cast<float>(r);
      return (fq - fr) / (2.0f * static_cast<float>(q - r));
    };
    std::size_t k = 0;
    root[0] = 0;
    from[0] = -std::numeric_limits<float>::infinity();
    from[1] = std::numeric_limits<float>::infinity();
    for (int q = 1; q < n; ++q) {
      float s = meet(q, root[k]);
      while (k > 0 && s <= from[k]) {
        --k;
        s = meet(q, root[k]);
      }
      ++k;
      root[k] = q;
      from[k] = s;
      from[k + 1] = std::numeric_limits<float>::infinity();
    }
    k = 0;
    for (int q = 0; q < n; ++q) {
      while (from[k + 1] < static_cast<float>(q))
        ++k;
      const auto r = static_cast<std::size_t>(root[k]);
      const auto uq = static_cast<std::size_t>(q);
      fOut[uq * step] = static_cast<float>((q - root[k]) * (q - root[k])) + f[r];
      if (nearestOut) nearestOut[uq * step] = nearest[r];
    }
  }
};

/// LineTransform along x, then y, then z, over a whole grid of n samples: d[c] becomes the
/// minimum over all samples r of |c - r|^2 (in samples squared) + d[r], exactly, since the
/// squared distance is the sum of the squares along the axes. `nearest` (may be null) follows
/// the r that gives it. Each line is one task, so the result does not depend on `threads`.
void transformLines(std::vector<float>& d, std::uint32_t* nearest, const int (&n)[3],
                    unsigned threads) {
  const std::size_t stride[3] = {1, static_cast<std::size_t>(n[0]),
                                 static_cast<std::size_t>(n[0]) * static_cast<std::size_t>(n[1])};
  for (int axis = 0; axis < 3; ++axis) {
    // The lines along this axis start at the samples whose coordinate on it is 0.
    const int a = (axis + 1) % 3, b = (axis + 2) % 3;
    const std::size_t lines = static_cast<std::size_t>(n[a]) * static_cast<std::size_t>(n[b]);
    const std::size_t parts = std::max(1u, threads);
    parallelFor(parts, threads, [&](std::size_t t) {
      LineTransform transform;
      for (std::size_t l = lines * t / parts; l < lines * (t + 1) / parts; ++l) {
        const std::size_t first = l % static_cast<std::size_t>(n[a]) * stride[a] +
                                  l / static_cast<std::size_t>(n[a]) * stride[b];
        transform(d.data() + first, nearest ? nearest + first : nullptr, stride[axis], n[axis]);
      }
    });
  }
}

} // namespace

void GridField::close(float radius, const std::function<float(const glm::vec3&)>& weight,
                      unsigned threads) {
  if (!(radius > 0.0f))
    throw std::invalid_argument("GridField::close: the radius must be positive");
  // Squared distance, in samples, to the nearest sample farther out than `radius` (outside the
  // grown inside), and which sample that is; a large finite value, not infinity, keeps the
  // envelope's sums defined.
  constexpr float kFar = 1e20f;
  std::vector<float> d(v_.size());
  std::vector<std::uint32_t> nearest(v_.size());
  bool anyOutside = false;
  for (std::size_t c = 0; c < v_.size(); ++c) {
    d[c] = v_[c] > radius ? 0.0f : kFar;
    nearest[c] = static_cast<std::uint32_t>(c);
    anyOutside = anyOutside || v_[c] > radius;
  }
  if (!anyOutside) return; // nothing to shrink back from: the grid lies inside the grown body
  const int n[3] = {nx_, ny_, nz_};
  transformLines(d, nearest.data(), n, threads);
  // The grown surface lies between a sample and the nearest sample outside it, as far short of
  // that one as its value exceeds the radius: taking that off keeps the fillet to within a small
  // part of a sample even where the surface lies on the grid's planes.
  parallelFor(static_cast<std::size_t>(nz_), threads, [&](std::size_t kk) {
    const int k = static_cast<int>(kk);
    for (int j = 0; j < ny_; ++j)
      for (int i = 0; i < nx_; ++i) {
        const std::size_t c = index(i, j, k);
        if (v_[c] > radius) continue;
        const float w = weight ? std::clamp(weight(position(i, j, k)), 0.0f, 1.0f) : 1.0f;
        const float beyond = v_[nearest[c]] - radius;
        // A closing only adds to the inside (the estimate is never above the sample for an
        // exact distance field, but the hull is not one everywhere).
        const float closed =
            std::min(v_[c], radius - std::max(0.0f, std::sqrt(d[c]) * h_ - beyond));
        v_[c] += w * (closed - v_[c]);
      }
  });
}

GridField::GridField(const GridField& fine, int factor)
    : box_(fine.box_), h_(fine.h_ * static_cast<float>(factor)) {
  if (factor < 1)
    throw std::invalid_argument("GridField: the subsampling factor must be 1 or more");
  nx_ = (fine.nx_ - 1) / factor + 1;
  ny_ = (fine.ny_ - 1) / factor + 1;
  nz_ = (fine.nz_ - 1) / factor + 1;
  box_.hi = box_.lo + glm::vec3(static_cast<float>(nx_ - 1), static_cast<float>(ny_ - 1),
                                static_cast<float>(nz_ - 1)) *
                          h_;
  v_.resize(static_cast<std::size_t>(nx_) * static_cast<std::size_t>(ny_) *
            static_cast<std::size_t>(nz_));
  for (int k = 0; k < nz_; ++k)
    for (int j = 0; j < ny_; ++j)
      for (int i = 0; i < nx_; ++i)
        v_[index(i, j, k)] = fine.v_[fine.index(i * factor, j * factor, k * factor)];
}

float GridField::cover(const GridField& under, float band, float fall, int passes,
                       unsigned threads) {
  if (under.nx_ != nx_ || under.ny_ != ny_ || under.nz_ != nz_ || under.h_ != h_ ||
      under.box_.lo != box_.lo)
    throw std::invalid_argument("GridField::cover: the two grids differ");
  if (!(band >= 0.0f))
    throw std::invalid_argument("GridField::cover: the band must not be negative");
  if (!(fall > 0.0f)) throw std::invalid_argument("GridField::cover: the fall must be positive");
  if (passes < 0) throw std::invalid_argument("GridField::cover: passes must not be negative");
  // How far each sample lies above what it must not exceed.
  std::vector<float> need(v_.size());
  const auto measure = [&] {
    float worst = 0.0f;
    for (std::size_t c = 0; c < v_.size(); ++c) {
      need[c] = excessOver(v_[c], under.v_[c], band);
      worst = std::max(worst, need[c]);
    }
    return worst;
  };
  const int n[3] = {nx_, ny_, nz_};
  // Each sample's need spreads as a round cap, need - fall * distance^2, and the lift is the
  // highest cap at each sample: the upper envelope of paraboloids, which is the lower envelope
  // of parabolas (transformLines) with the sign turned, exact and the same in every direction.
  // (A maximum over a cube leaves a flat-topped box whose straight edges a blur only softens:
  // the skin over the back showed them as faint straight lines and a rectangle.) The lift is
  // blurred, to round the creases where two caps meet.
  const float perSample = fall * h_ * h_; // metres of fall per squared sample
  const auto liftOf = [&](std::vector<float>& x) {
    for (float& e : x)
      e = -e / perSample;
    transformLines(x, nullptr, n, threads);
    for (float& e : x)
      e = std::max(0.0f, -e * perSample);
    binomialBlur(x, n, passes, threads);
  };
  std::vector<float> trial(v_.size());
  for (int round = 0; round < 2 && measure() > 0.0f; ++round) {
    // The blur takes off the top of a narrow cap (of a paraboloid, 3 fall sigma^2) but nothing
    // from a broad need: each need is raised by what a first lift leaves of it uncovered, and
    // lifted again; the second round takes most of what is still missing.
    trial = need;
    liftOf(trial);
    for (std::size_t c = 0; c < need.size(); ++c)
      if (need[c] > 0.0f) need[c] += std::max(0.0f, need[c] - trial[c]);
    liftOf(need);
    for (std::size_t c = 0; c < v_.size(); ++c)
      v_[c] -= need[c];
  }
  // What is left is taken off everywhere, so that every sample is covered.
  const float rest = measure();
  for (float& v : v_)
    v -= rest;
  return rest;
}

float GridField::highestAbove(const GridField& under, float band, unsigned threads) const {
  std::vector<float> highest(static_cast<std::size_t>(under.nz_), 0.0f);
  parallelFor(highest.size(), threads, [&](std::size_t kk) {
    const int k = static_cast<int>(kk);
    for (int j = 0; j < under.ny_; ++j)
      for (int i = 0; i < under.nx_; ++i) {
        const float u = under.v_[under.index(i, j, k)];
        if (!(u <= band)) continue; // nothing is asked there: spare the read
        highest[kk] = std::max(highest[kk], excessOver((*this)(under.position(i, j, k)), u, band));
      }
  });
  return *std::max_element(highest.begin(), highest.end());
}

float GridField::operator()(const glm::vec3& p) const {
  const float outside = box_.distance(p);
  if (outside > 0.0f) return 0.05f + outside;
  const glm::vec3 g = (p - box_.lo) / h_;
  const int i = static_cast<int>(std::floor(g.x)), j = static_cast<int>(std::floor(g.y)),
            k = static_cast<int>(std::floor(g.z));
  const glm::vec3 t = g - glm::vec3(static_cast<float>(i), static_cast<float>(j), static_cast<float>(k));
  auto weights = [](float x, float w[4]) {
    const float x2 = x * x, x3 = x2 * x;
    w[0] = 0.5f * (-x3 + 2.0f * x2 - x);
    w[1] = 0.5f * (3.0f * x3 - 5.0f * x2 + 2.0f);
    w[2] = 0.5f * (-3.0f * x3 + 4.0f * x2 + x);
    w[3] = 0.5f * (x3 - x2);
  };
  float wx[4], wy[4], wz[4];
  weights(t.x, wx);
  weights(t.y, wy);
  weights(t.z, wz);
  float sum = 0.0f;
  for (int c = 0; c < 4; ++c) {
    float sy = 0.0f;
    for (int b = 0; b < 4; ++b) {
      float sx = 0.0f;
      for (int a = 0; a < 4; ++a) sx += wx[a] * at(i - 1 + a, j - 1 + b, k - 1 + c);
      sy += wy[b] * sx;
    }
    sum += wz[c] * sy;
  }
  return sum;
}

glm::vec3 gradient(const Sdf& f, const glm::vec3& p, float e) {
  const glm::vec3 dx(e, 0, 0), dy(0, e, 0), dz(0, 0, e);
  return glm::vec3(f(p + dx) - f(p - dx), f(p + dy) - f(p - dy), f(p + dz) - f(p - dz)) /
         (2.0f * e);
}

} // namespace fascia::anatomy
