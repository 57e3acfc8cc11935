// fascia-deformation-bench: per-frame cost of the pressure and stretch deformation
// (fascia::Deformer) for every technique preset, on the bundled model and a generated
// ~1 M-triangle layered model. Prints a table; see docs/BENCHMARKS.md.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fascia/deformation.h"
#include "fascia/manifest.h"
#include "fascia/model_loader.h"
#include "fascia/technique.h"
#include "layered_model.h"

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// CPU time of this thread, ms: unlike wall time it leaves out the time the (shared, busy)
/// machine gave to other processes.
double threadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}

struct Stats {
  double median = 0.0, p95 = 0.0, max = 0.0;
};

Stats stats(std::vector<double> values) {
  Stats out;
  if (values.empty()) return out;
  std::sort(values.begin(), values.end());
  const auto at = [&](double q) {
    const auto i = static_cast<std::size_t>(q * static_cast<double>(values.size()));
    return values[std::min(values.size() - 1, i)];
  };
  out.median = at(0.5);
  out.p95 = at(0.95);
  out.max = values.back();
  return out;
}

struct Options {
  std::size_t triangles = 1'000'000;
  int frames = 300;
  std::filesystem::path model = std::filesystem::path(FASCIA_SOURCE_DIR) / "assets/torso.glb";
};

/// The skin vertex furthest back (lowest z) near (x, y): a point on the back.
std::optional<glm::vec3> backPoint(const fascia::Model& model, float x, float y) {
  std::optional<glm::vec3> best;
  for (const fascia::Structure& s : model.structures) {
    if (s.info.layer != fascia::Layer::Skin) continue;
    for (const glm::vec3& p : s.mesh.positions)
      if (std::abs(p.x - x) < 0.01f && std::abs(p.y - y) < 0.01f && (!best || p.z < best->z))
        best = p;
  }
  return best;
}

void benchModel(const char* title, const fascia::Model& model, const Options& options,
                glm::vec3 lumbar, glm::vec3 gluteal, std::string_view stretchMuscle,
                std::string_view piriformis) {
  std::size_t vertices = 0;
  for (const fascia::Structure& s : model.structures)
    vertices += s.mesh.vertexCount();
  std::printf("\n## %s: %zu structures, %zu triangles, %zu vertices\n", title,
              model.structures.size(), model.triangleCount(), vertices);
  const auto built = Clock::now();
  fascia::Deformer deformer(model);
  std::printf("Deformer construction (vertex chunks): %.1f ms\n", msSince(built));

  // Calibration at the lumbar point.
  for (const float force : {30.0f, 35.0f, 40.0f}) {
    fascia::DeformationInput input;
    input.pressure =
        fascia::PressureLoad{fascia::ToolKind::Thumb, lumbar, {0, 0, 1}, {1, 0, 0}, force};
    const fascia::Deformation& d = deformer.update(input);
    std::printf(
        "Thumb %.0f N at (%.3f, %.3f, %.3f): contact %.0f kPa, skin indentation %.1f mm, "
        "tissue depth to bone %.1f mm\n",
        static_cast<double>(force), static_cast<double>(lumbar.x), static_cast<double>(lumbar.y),
        static_cast<double>(lumbar.z), static_cast<double>(d.contactPressureKPa),
        static_cast<double>(d.indentation) * 1000.0, static_cast<double>(d.tissueDepth) * 1000.0);
  }

  std::printf("\nFrames with the technique active (force or strain > 0), of %d evenly spaced "
              "over each preset:\n\n| technique | active frames | wall median ms | wall p95 ms | "
              "CPU median ms | CPU p95 ms | CPU max ms | vertices written/frame | dirty "
              "ranges/frame |\n|---|---|---|---|---|---|---|---|---|\n",
              options.frames);
  for (const fascia::TechniquePreset& preset : fascia::techniquePresets()) {
    fascia::TechniqueParams params;
    params.point = preset.name == "foam-rolling-glutes" ? gluteal : lumbar;
    if (preset.isStretch()) {
      const auto muscle =
          model.find(preset.name == "piriformis-stretch" ? piriformis : stretchMuscle);
      if (!muscle) {
        std::printf("| %s | skipped: no muscle ||||||||\n", std::string(preset.name).c_str());
        continue;
      }
      params.muscle = *muscle;
    }
    std::vector<double> wall, cpu;
    double written = 0.0, ranges = 0.0;
    deformer.update({}); // start from rest
    for (int f = 0; f < options.frames; ++f) {
      const double t = preset.durationS * (static_cast<double>(f) + 0.5) / options.frames;
      const auto start = Clock::now();
      const double cpuStart = threadCpuMs();
      const fascia::TechniqueState state = fascia::evaluate(preset, params, t);
      const fascia::Deformation& d = fascia::apply(deformer, state);
      const double cpuMs = threadCpuMs() - cpuStart, wallMs = msSince(start);
      if (state.forceN <= 0.0f && state.strain <= 0.0f) continue;
      wall.push_back(wallMs);
      cpu.push_back(cpuMs);
      written += static_cast<double>(d.dirtyVertexCount);
      for (const fascia::StructureDeformation& s : d.structures)
        ranges += static_cast<double>(s.dirty.size());
    }
    const Stats w = stats(wall), c = stats(cpu);
    const double n = std::max<double>(1.0, static_cast<double>(wall.size()));
    const std::string name(preset.name);
    std::printf("| %s | %zu | %.3f | %.3f | %.3f | %.3f | %.3f | %.0f | %.1f |\n", name.c_str(),
                wall.size(), w.median, w.p95, c.median, c.p95, c.max, written / n, ranges / n);
  }
}

} // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool hasValue = i + 1 < argc;
    if (arg == "--triangles" && hasValue) {
      options.triangles = std::strtoull(argv[++i], nullptr, 10);
    } else if (arg == "--frames" && hasValue) {
      options.frames = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--model" && hasValue) {
      options.model = argv[++i];
    } else {
      std::printf("usage: fascia-deformation-bench [--triangles N] [--frames N] [--model PATH]\n"
                  "  Times fascia::Deformer per frame for every technique preset on the\n"
                  "  bundled model (default assets/torso.glb) and a generated layered model\n"
                  "  (default 1000000 triangles), %s frames each by default.\n",
                  "300");
      return arg == "--help" ? 0 : 2;
    }
  }
  try {
    {
      // The half-space influence tables are built once per process, by the first Deformer.
      const auto start = Clock::now();
      const fascia::Deformer first{fascia::Model{}};
      std::printf("Half-space tables (once per process): %.1f ms\n", msSince(start));
    }
    if (std::filesystem::exists(options.model)) {
      const fascia::Model model = fascia::loadModel(options.model);
      // Lumbar: left paraspinal at about L3; gluteal: over the left gluteus maximus.
      const auto lumbar = backPoint(model, 0.04f, 1.10f);
      const auto gluteal = backPoint(model, 0.08f, 0.92f);
      if (lumbar && gluteal) {
        benchModel(options.model.filename().string().c_str(), model, options, *lumbar, *gluteal,
                   "longissimus_left", "piriformis_left");
      } else {
        std::printf("%s: no skin near the lumbar or gluteal points, skipped\n",
                    options.model.string().c_str());
      }
    } else {
      std::printf("%s not found, skipped\n", options.model.string().c_str());
    }
    fascia::Model generated = fascia::bench::makeLayeredModel(options.triangles);
    for (fascia::Structure& s : generated.structures)
      s.info.layer = fascia::layerFromName(s.info.name);
    const auto back = backPoint(generated, 0.04f, 0.0f);
    const auto low = backPoint(generated, 0.04f, -0.15f);
    if (!back || !low) {
      std::printf("generated model: no skin at the test points\n");
      return 1;
    }
    benchModel("Generated layered model", generated, options, *back, *low, "muscle_erector_spinae",
               "muscle_erector_spinae");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fascia-deformation-bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
