// fascia-bench: CPU benchmarks of model loading and BVH picking. Prints a Markdown table.
//
//   fascia-bench [--triangles N] [--repeats N] [--rays N] [--brute-rays N] [--model PATH]
//
// Not a timed test: the numbers go into docs/BENCHMARKS.md by hand.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <functional>
#include <iomanip>
#include <iostream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <glm/geometric.hpp>

#include "fascia/bvh.h"
#include "fascia/error.h"
#include "fascia/layer.h"
#include "fascia/model.h"
#include "fascia/model_loader.h"
#include "layered_model.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Options {
  std::size_t triangles = 1'000'000;
  int repeats = 3;
  int rays = 10'000;
  int bruteRays = 200;
  fs::path extraModel = fs::path(FASCIA_SOURCE_DIR) / "assets" / "torso.glb";
};

constexpr std::string_view kUsage =
    "usage: fascia-bench [--triangles N] [--repeats N] [--rays N] [--brute-rays N] "
    "[--model PATH]\n"
    "  --triangles N    size of the generated layered model (default 1000000)\n"
    "  --repeats N      runs of load and build; the median is reported (default 3)\n"
    "  --rays N         pick rays timed through the BVH (default 10000)\n"
    "  --brute-rays N   pick rays timed by brute force (default 200)\n"
    "  --model PATH     a second model to measure (default assets/torso.glb, skipped if absent)\n";

std::optional<Options> parseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (i + 1 >= argc) return std::nullopt;
    const std::string value = argv[++i];
    try {
      if (arg == "--triangles") {
        options.triangles = std::stoull(value);
      } else if (arg == "--repeats") {
        options.repeats = std::max(1, std::stoi(value));
      } else if (arg == "--rays") {
        options.rays = std::max(1, std::stoi(value));
      } else if (arg == "--brute-rays") {
        options.bruteRays = std::max(1, std::stoi(value));
      } else if (arg == "--model") {
        options.extraModel = value;
      } else {
        return std::nullopt;
      }
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return options;
}

double millisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// Runs `work` `repeats` times and returns the median time in milliseconds.
double medianMs(int repeats, const std::function<void()>& work) {
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) {
    const Clock::time_point start = Clock::now();
    work();
    times.push_back(millisecondsSince(start));
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

std::string fixed(double value, int decimals) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(decimals) << value;
  return out.str();
}

std::string withSeparators(std::size_t value) {
  // Built forwards: GCC 12 at -O3 reports a false -Wrestrict for std::string::insert here.
  const std::string digits = std::to_string(value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

void row(std::string_view what, const std::string& value) {
  std::cout << "| " << std::left << std::setw(46) << what << " | " << std::setw(28) << value
            << " |\n";
}

/// Rays from a sphere well outside the model towards random points in the middle half of its
/// bounding box, as a user's clicks on the body would be. Fixed seed: same rays every run.
std::vector<fascia::Ray> pickRays(const fascia::Model& model, int count) {
  fascia::Bounds bounds;
  for (const fascia::Structure& s : model.structures) {
    for (const glm::vec3& p : s.mesh.positions) {
      bounds.min = glm::min(bounds.min, p);
      bounds.max = glm::max(bounds.max, p);
    }
  }
  const glm::vec3 centre = (bounds.min + bounds.max) * 0.5f;
  const glm::vec3 half = (bounds.max - bounds.min) * 0.5f;
  const float radius = 3.0f * glm::length(half);
  std::mt19937 rng(2024);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::uniform_real_distribution<float> unit(-0.5f, 0.5f);
  std::vector<fascia::Ray> rays;
  rays.reserve(static_cast<std::size_t>(count));
  while (rays.size() < static_cast<std::size_t>(count)) {
    const glm::vec3 d(normal(rng), normal(rng), normal(rng));
    if (glm::dot(d, d) < 1e-6f) continue;
    const glm::vec3 origin = centre + radius * glm::normalize(d);
    const glm::vec3 target = centre + half * glm::vec3(unit(rng), unit(rng), unit(rng));
    rays.push_back(fascia::Ray{origin, glm::normalize(target - origin)});
  }
  return rays;
}

/// Times picking and checks the BVH against brute force on the brute-force rays.
void measurePicking(const fascia::Model& model, const fascia::Bvh& bvh, const Options& options) {
  const std::vector<fascia::Ray> rays = pickRays(model, options.rays);
  std::size_t hits = 0;
  Clock::time_point start = Clock::now();
  for (const fascia::Ray& ray : rays)
    hits += bvh.intersect(ray).has_value() ? 1 : 0;
  const double bvhUs = millisecondsSince(start) * 1000.0 / static_cast<double>(rays.size());

  // Hiding the skin layer, as peeling does: rays travel further in and the filter is used.
  std::size_t skinStructures = 0;
  for (const fascia::Structure& s : model.structures) {
    skinStructures += s.info.layer == fascia::Layer::Skin ? 1 : 0;
  }
  const fascia::StructureFilter hideSkin = [&model](std::uint32_t s) {
    return model.structures[s].info.layer != fascia::Layer::Skin;
  };
  start = Clock::now();
  for (const fascia::Ray& ray : rays)
    (void)bvh.intersect(ray, hideSkin);
  const double filteredUs = millisecondsSince(start) * 1000.0 / static_cast<double>(rays.size());

  const std::size_t bruteCount = std::min(rays.size(), static_cast<std::size_t>(options.bruteRays));
  std::vector<std::optional<fascia::RayHit>> bruteHits(bruteCount);
  start = Clock::now();
  for (std::size_t i = 0; i < bruteCount; ++i)
    bruteHits[i] = fascia::intersectBruteForce(model, rays[i]);
  const double bruteUs = millisecondsSince(start) * 1000.0 / static_cast<double>(bruteCount);

  std::size_t agree = 0;
  for (std::size_t i = 0; i < bruteCount; ++i) {
    const std::optional<fascia::RayHit> hit = bvh.intersect(rays[i]);
    const bool same = hit.has_value() == bruteHits[i].has_value() &&
                      (!hit || (hit->structure == bruteHits[i]->structure &&
                                hit->triangle == bruteHits[i]->triangle));
    agree += same ? 1 : 0;
  }

  row("Pick, BVH (" + withSeparators(rays.size()) + " rays, " +
          fixed(100.0 * static_cast<double>(hits) / static_cast<double>(rays.size()), 0) + "% hit)",
      fixed(bvhUs, 2) + " us/ray");
  row("Pick, BVH, skin layer hidden (" + std::to_string(skinStructures) + " structures)",
      fixed(filteredUs, 2) + " us/ray");
  row("Pick, brute force (" + withSeparators(bruteCount) + " rays)",
      fixed(bruteUs / 1000.0, 2) + " ms/ray");
  row("Brute force / BVH", fixed(bruteUs / bvhUs, 0) + "x");
  row("BVH answer == brute force", withSeparators(agree) + " / " + withSeparators(bruteCount));
}

void measureBuild(const fascia::Model& model, const Options& options) {
  std::optional<fascia::Bvh> bvh;
  const double buildMs = medianMs(options.repeats, [&] { bvh.emplace(model); });
  const fascia::Bvh::Stats stats = bvh->stats();
  row("BVH build (median of " + std::to_string(options.repeats) + ")", fixed(buildMs, 0) + " ms");
  row("BVH nodes / leaves / largest leaf / depth",
      withSeparators(bvh->nodeCount()) + " / " + withSeparators(stats.leaves) + " / " +
          std::to_string(stats.maxLeafTriangles) + " / " + std::to_string(stats.maxDepth));
  measurePicking(model, *bvh, options);
}

void header(const std::string& title) {
  std::cout << "\n### " << title << "\n\n";
  row("Measurement", "Value");
  std::cout << "|" << std::string(48, '-') << "|" << std::string(30, '-') << "|\n";
}

void benchGenerated(const Options& options) {
  Clock::time_point start = Clock::now();
  const fascia::Model generated = fascia::bench::makeLayeredModel(options.triangles);
  const double generateMs = millisecondsSince(start);

  const fs::path folder =
      fs::temp_directory_path() /
      ("fascia-bench-" + std::to_string(Clock::now().time_since_epoch().count()));
  start = Clock::now();
  fascia::bench::writePlyFolder(generated, folder);
  const double writeMs = millisecondsSince(start);
  std::uintmax_t bytes = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder))
    bytes += entry.file_size();

  header("Generated layered model");
  row("Structures / triangles", std::to_string(generated.structures.size()) + " / " +
                                    withSeparators(generated.triangleCount()));
  row("Generate in memory", fixed(generateMs, 0) + " ms");
  row("Write folder of binary PLY",
      fixed(writeMs, 0) + " ms, " + fixed(static_cast<double>(bytes) / 1048576.0, 0) + " MiB");

  fascia::Model loaded;
  try {
    const double loadMs = medianMs(options.repeats, [&] { loaded = fascia::loadModel(folder); });
    row("loadModel(folder) (median of " + std::to_string(options.repeats) + ")",
        fixed(loadMs, 0) + " ms");
    row("Loaded structures / triangles",
        std::to_string(loaded.structures.size()) + " / " + withSeparators(loaded.triangleCount()));
  } catch (const std::exception& error) {
    row("loadModel(folder)", "failed (see below)");
    std::cerr << "fascia-bench: loading the generated model failed: " << error.what() << "\n";
    loaded = generated;
  }
  std::error_code ignored;
  fs::remove_all(folder, ignored);
  measureBuild(loaded, options);
}

void benchFile(const fs::path& file, const Options& options) {
  std::error_code error;
  if (!fs::exists(file, error)) {
    std::cout << "\n### " << file.filename().string() << "\n\nSkipped: " << file.string()
              << " does not exist (yet).\n";
    return;
  }
  header(file.filename().string());
  fascia::Model model;
  try {
    const double loadMs = medianMs(options.repeats, [&] { model = fascia::loadModel(file); });
    row("loadModel (median of " + std::to_string(options.repeats) + ")", fixed(loadMs, 0) + " ms");
  } catch (const std::exception& failure) {
    std::cout << "Skipped: " << failure.what() << "\n";
    return;
  }
  row("Structures / triangles",
      std::to_string(model.structures.size()) + " / " + withSeparators(model.triangleCount()));
  measureBuild(model, options);
}

} // namespace

int main(int argc, char** argv) {
  const std::optional<Options> options = parseOptions(argc, argv);
  if (!options) {
    std::cerr << kUsage;
    return 2;
  }
  try {
    std::cout << "fascia-bench: " << std::thread::hardware_concurrency() << " hardware threads\n";
    benchGenerated(*options);
    benchFile(options->extraModel, *options);
  } catch (const std::exception& error) {
    std::cerr << "fascia-bench: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
