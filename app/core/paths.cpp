#include "paths.h"

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace fascia::app {
namespace {

bool hasShaders(const std::filesystem::path& dir) {
  std::error_code error;
  return std::filesystem::is_regular_file(dir / "shaders" / "mesh.vert", error);
}

} // namespace

std::filesystem::path dataDir() {
  std::vector<std::filesystem::path> candidates;
  if (const char* env = std::getenv("FASCIA_DATA_DIR"); env != nullptr && *env != '\0') {
    candidates.emplace_back(env);
  }
  std::error_code error;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    candidates.push_back(exe.parent_path().parent_path() / "share" / "fascia-atlas");
    candidates.push_back(exe.parent_path().parent_path());
  }
  candidates.emplace_back(FASCIA_SOURCE_DIR);
  for (const auto& candidate : candidates) {
    if (hasShaders(candidate)) return candidate;
  }
  std::string tried;
  for (const auto& candidate : candidates) tried += "\n  " + candidate.string();
  throw std::runtime_error("cannot find the shaders/ folder; looked in:" + tried +
                           "\nset FASCIA_DATA_DIR to the folder that holds shaders/ and assets/");
}

std::filesystem::path shaderDir() { return dataDir() / "shaders"; }

std::filesystem::path defaultModelPath() { return dataDir() / "assets" / "torso.glb"; }

} // namespace fascia::app
