// fascia-anatomy-builder: writes the bundled torso model (binary glTF + manifest).
//   fascia-anatomy-builder --glb assets/torso.glb --manifest assets/torso.manifest.json
//                          [--detail 1.0] [--threads 2] [--verbose]

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "anatomy.h"

int main(int argc, char** argv) {
  using namespace fascia::anatomy;
  std::string glb = "torso.glb", manifest = "torso.manifest.json";
  BuildOptions opt;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "missing value after %s\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--glb") glb = next();
    else if (a == "--manifest") manifest = next();
    else if (a == "--detail") opt.detail = std::stof(next());
    else if (a == "--threads") opt.threads = static_cast<unsigned>(std::stoul(next()));
    else if (a == "--verbose") opt.verbose = true;
    else {
      std::fprintf(stderr, "usage: %s [--glb FILE] [--manifest FILE] [--detail X] [--threads N] [--verbose]\n",
                   argv[0]);
      return 2;
    }
  }
  try {
    const auto structures = buildAnatomy(opt);
    const auto bytes = encodeGlb(structures);
    const std::string json = encodeManifest(structures);
    writeFile(glb, bytes.data(), bytes.size());
    writeFile(manifest, json.data(), json.size());
    std::size_t tris = 0;
    for (const auto& s : structures) tris += s.mesh.triangleCount();
    std::fprintf(stderr, "wrote %s (%zu structures, %zu triangles, %zu bytes) and %s\n", glb.c_str(),
                 structures.size(), tris, bytes.size(), manifest.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fascia-anatomy-builder: %s\n", e.what());
    return 1;
  }
  return 0;
}
