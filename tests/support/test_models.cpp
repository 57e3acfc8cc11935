#include "test_models.h"

#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include <glm/geometric.hpp>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "fascia/layer.h"

namespace fascia::test {

namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------------------------------------
// Geometry

std::uint64_t edgeKey(std::uint32_t a, std::uint32_t b) {
  if (a > b) {
    std::swap(a, b);
  }
  return (static_cast<std::uint64_t>(a) << 32) | b;
}

/// Vertical fibres projected onto each vertex's tangent plane (like a strap muscle running
/// from head to foot); a sideways direction near the poles where vertical is the normal.
std::vector<glm::vec3> verticalFibres(const MeshData& mesh) {
  std::vector<glm::vec3> fibres;
  fibres.reserve(mesh.normals.size());
  for (const glm::vec3& n : mesh.normals) {
    glm::vec3 f = glm::vec3(0, 1, 0) - n * glm::dot(n, glm::vec3(0, 1, 0));
    if (glm::length(f) < 1e-3f) {
      f = glm::vec3(1, 0, 0);
    }
    fibres.push_back(glm::normalize(f));
  }
  return fibres;
}

std::ofstream openForWriting(const fs::path& file, bool binary) {
  std::ofstream stream(file, binary ? std::ios::binary | std::ios::trunc : std::ios::trunc);
  if (!stream) {
    throw std::runtime_error("cannot write " + file.string());
  }
  return stream;
}

void closeChecked(std::ofstream& stream, const fs::path& file) {
  stream.close();
  if (!stream) {
    throw std::runtime_error("writing " + file.string() + " failed");
  }
}

template <typename T>
void put(std::string& bytes, const T& value) {
  char raw[sizeof(T)];
  std::memcpy(raw, &value, sizeof(T));
  bytes.append(raw, sizeof(T));
}

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t chunk = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (i + 1 < bytes.size()) {
      chunk |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    }
    if (i + 2 < bytes.size()) {
      chunk |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 2]));
    }
    out.push_back(kAlphabet[(chunk >> 18) & 63]);
    out.push_back(kAlphabet[(chunk >> 12) & 63]);
    out.push_back(i + 1 < bytes.size() ? kAlphabet[(chunk >> 6) & 63] : '=');
    out.push_back(i + 2 < bytes.size() ? kAlphabet[chunk & 63] : '=');
  }
  return out;
}

void pad(std::string& bytes, char filler) {
  while (bytes.size() % 4 != 0) {
    bytes.push_back(filler);
  }
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Generators

MeshData makeIcosphere(int subdivisions) {
  const float t = (1.0f + std::sqrt(5.0f)) / 2.0f;
  MeshData mesh;
  mesh.positions = {{-1, t, 0},  {1, t, 0},  {-1, -t, 0}, {1, -t, 0}, {0, -1, t},  {0, 1, t},
                    {0, -1, -t}, {0, 1, -t}, {t, 0, -1},  {t, 0, 1},  {-t, 0, -1}, {-t, 0, 1}};
  mesh.indices = {0, 11, 5,  0, 5,  1, 0, 1, 7, 0, 7,  10, 0, 10, 11, 1, 5, 9, 5, 11,
                  4, 11, 10, 2, 10, 7, 6, 7, 1, 8, 3,  9,  4, 3,  4,  2, 3, 2, 6, 3,
                  6, 8,  3,  8, 9,  4, 9, 5, 2, 4, 11, 6,  2, 10, 8,  6, 7, 9, 8, 1};
  for (glm::vec3& p : mesh.positions) {
    p = glm::normalize(p);
  }
  for (int level = 0; level < subdivisions; ++level) {
    std::map<std::uint64_t, std::uint32_t> midpoints;
    auto midpoint = [&](std::uint32_t a, std::uint32_t b) {
      const auto [it, inserted] =
          midpoints.try_emplace(edgeKey(a, b), static_cast<std::uint32_t>(mesh.positions.size()));
      if (inserted) {
        mesh.positions.push_back(glm::normalize(mesh.positions[a] + mesh.positions[b]));
      }
      return it->second;
    };
    std::vector<std::uint32_t> next;
    next.reserve(mesh.indices.size() * 4);
    for (std::size_t i = 0; i < mesh.indices.size(); i += 3) {
      const std::uint32_t a = mesh.indices[i];
      const std::uint32_t b = mesh.indices[i + 1];
      const std::uint32_t c = mesh.indices[i + 2];
      const std::uint32_t ab = midpoint(a, b);
      const std::uint32_t bc = midpoint(b, c);
      const std::uint32_t ca = midpoint(c, a);
      next.insert(next.end(), {a, ab, ca, b, bc, ab, c, ca, bc, ab, bc, ca});
    }
    mesh.indices = std::move(next);
  }
  mesh.normals = mesh.positions;
  return mesh;
}

MeshData makeEllipsoid(const glm::vec3& radii, int subdivisions, const glm::vec3& centre) {
  MeshData mesh = makeIcosphere(subdivisions);
  for (glm::vec3& p : mesh.positions) {
    p = centre + p * radii;
  }
  mesh.computeNormals();
  return mesh;
}

Model makeNestedShells(int subdivisions) {
  struct Shell {
    const char* name;
    const char* displayName;
    Layer layer;
    float scale;
    const char* description;
  };
  // Semi-axes of the skin: 0.35 m wide, 0.9 m tall, 0.25 m deep, like a trunk.
  const glm::vec3 skinRadii(0.175f, 0.45f, 0.125f);
  const std::array<Shell, 5> shells = {{
      {"skin", "Skin", Layer::Skin, 1.0f, "The outer covering of the test body."},
      {"superficial_fascia", "Superficial fascia", Layer::SuperficialFascia, 0.93f,
       "Loose fatty tissue under the skin."},
      {"deep_fascia", "Deep fascia", Layer::DeepFascia, 0.87f,
       "A dense sheet wrapping the muscles."},
      {"muscle_block", "Muscle block", Layer::Muscle, 0.80f,
       "A block of muscle with vertical fibres."},
      {"bone_core", "Bone core", Layer::Bone, 0.45f, "The bony core of the test body."},
  }};
  Model model;
  for (const Shell& shell : shells) {
    Structure structure;
    structure.info.name = shell.name;
    structure.info.displayName = shell.displayName;
    structure.info.layer = shell.layer;
    structure.info.group = "Test shells";
    structure.info.side = "midline";
    structure.info.description = shell.description;
    structure.mesh = makeEllipsoid(skinRadii * shell.scale, subdivisions);
    if (shell.layer == Layer::Muscle) {
      structure.mesh.fibres = verticalFibres(structure.mesh);
    }
    model.structures.push_back(std::move(structure));
  }
  return model;
}

Model makeSphereSoup(std::size_t triangles, unsigned seed) {
  const MeshData unit = makeIcosphere(1); // 80 triangles
  const std::size_t perSphere = unit.triangleCount();
  const std::size_t spheres = (triangles + perSphere - 1) / perSphere;
  const std::size_t structureCount = std::max<std::size_t>(1, std::min<std::size_t>(8, spheres));

  Model model;
  for (std::size_t s = 0; s < structureCount; ++s) {
    Structure structure;
    structure.info.name = "soup_" + std::to_string(s);
    structure.info.layer = kAllLayers[s % kAllLayers.size()];
    model.structures.push_back(std::move(structure));
  }

  std::mt19937 random(seed);
  std::uniform_real_distribution<float> x(-0.2f, 0.2f);
  std::uniform_real_distribution<float> y(-0.9f, 0.9f);
  std::uniform_real_distribution<float> z(-0.15f, 0.15f);
  std::uniform_real_distribution<float> radius(0.002f, 0.02f);
  std::size_t remaining = triangles;
  for (std::size_t i = 0; i < spheres; ++i) {
    MeshData& mesh = model.structures[i % structureCount].mesh;
    const glm::vec3 centre(x(random), y(random), z(random));
    const float r = radius(random);
    const auto offset = static_cast<std::uint32_t>(mesh.positions.size());
    for (std::size_t v = 0; v < unit.positions.size(); ++v) {
      mesh.positions.push_back(centre + unit.positions[v] * r);
      mesh.normals.push_back(unit.normals[v]);
    }
    const std::size_t take = std::min(remaining, perSphere);
    for (std::size_t k = 0; k < take * 3; ++k) {
      mesh.indices.push_back(offset + unit.indices[k]);
    }
    remaining -= take;
  }
  return model;
}

// ---------------------------------------------------------------------------------------------
// Writers

void writeObj(const Model& model, const fs::path& file) {
  std::ofstream out = openForWriting(file, false);
  out.precision(9);
  out << "# Fascia Atlas test model\n";
  std::size_t base = 1; // OBJ indices are 1-based and global
  for (const Structure& structure : model.structures) {
    const MeshData& mesh = structure.mesh;
    out << "o " << structure.info.name << "\n";
    for (const glm::vec3& p : mesh.positions) {
      out << "v " << p.x << ' ' << p.y << ' ' << p.z << "\n";
    }
    for (std::size_t i = 0; i < mesh.positions.size(); ++i) {
      const glm::vec3 n = i < mesh.normals.size() ? mesh.normals[i] : glm::vec3(0, 1, 0);
      out << "vn " << n.x << ' ' << n.y << ' ' << n.z << "\n";
    }
    for (std::size_t i = 0; i + 2 < mesh.indices.size(); i += 3) {
      out << 'f';
      for (std::size_t k = 0; k < 3; ++k) {
        const std::size_t index = base + mesh.indices[i + k];
        out << ' ' << index << "//" << index;
      }
      out << "\n";
    }
    base += mesh.positions.size();
  }
  closeChecked(out, file);
}

void writeManifest(const Model& model, const fs::path& file) {
  nlohmann::json structures = nlohmann::json::object();
  for (const Structure& structure : model.structures) {
    const StructureInfo& info = structure.info;
    nlohmann::json entry = {{"layer", std::string(layerId(info.layer))}};
    auto setIfAny = [&entry](const char* key, const std::string& value) {
      if (!value.empty()) {
        entry[key] = value;
      }
    };
    setIfAny("displayName", info.displayName);
    setIfAny("latinName", info.latinName);
    setIfAny("fmaId", info.fmaId);
    setIfAny("description", info.description);
    setIfAny("group", info.group);
    setIfAny("side", info.side);
    if (info.colour) {
      entry["colour"] = {info.colour->r, info.colour->g, info.colour->b};
    }
    structures[info.name] = entry;
  }
  const nlohmann::json manifest = {
      {"format", "fascia-manifest"}, {"version", 1}, {"structures", structures}};
  writeBytes(file, manifest.dump(2) + "\n");
}

void writeBinaryPly(const MeshData& mesh, const fs::path& file) {
  std::string bytes = "ply\nformat binary_little_endian 1.0\n";
  bytes += "element vertex " + std::to_string(mesh.positions.size()) + "\n";
  bytes += "property float x\nproperty float y\nproperty float z\n";
  bytes += "property float nx\nproperty float ny\nproperty float nz\n";
  bytes += "element face " + std::to_string(mesh.triangleCount()) + "\n";
  bytes += "property list uchar uint vertex_indices\nend_header\n";
  for (std::size_t i = 0; i < mesh.positions.size(); ++i) {
    const glm::vec3 n = i < mesh.normals.size() ? mesh.normals[i] : glm::vec3(0, 1, 0);
    for (float v : {mesh.positions[i].x, mesh.positions[i].y, mesh.positions[i].z, n.x, n.y, n.z}) {
      put(bytes, v);
    }
  }
  for (std::size_t i = 0; i + 2 < mesh.indices.size(); i += 3) {
    put(bytes, static_cast<std::uint8_t>(3));
    for (std::size_t k = 0; k < 3; ++k) {
      put(bytes, mesh.indices[i + k]);
    }
  }
  writeBytes(file, bytes);
}

void writeStl(const MeshData& mesh, const fs::path& file) {
  std::string bytes(80, '\0');
  std::memcpy(bytes.data(), "Fascia Atlas test mesh", 22);
  put(bytes, static_cast<std::uint32_t>(mesh.triangleCount()));
  for (std::size_t i = 0; i + 2 < mesh.indices.size(); i += 3) {
    const glm::vec3 a = mesh.positions[mesh.indices[i]];
    const glm::vec3 b = mesh.positions[mesh.indices[i + 1]];
    const glm::vec3 c = mesh.positions[mesh.indices[i + 2]];
    glm::vec3 n = glm::cross(b - a, c - a);
    n = glm::length(n) > 0.0f ? glm::normalize(n) : glm::vec3(0.0f);
    for (const glm::vec3& v : {n, a, b, c}) {
      put(bytes, v.x);
      put(bytes, v.y);
      put(bytes, v.z);
    }
    put(bytes, static_cast<std::uint16_t>(0));
  }
  writeBytes(file, bytes);
}

void writeGltf(const Model& model, const fs::path& file, bool withExtras) {
  using nlohmann::json;
  std::string buffer;
  json bufferViews = json::array();
  json accessors = json::array();
  json meshes = json::array();
  json nodes = json::array();
  json sceneNodes = json::array();

  // Appends data as a buffer view plus an accessor and returns the accessor's index.
  auto addAccessor = [&](const std::string& data, std::size_t count, const char* type,
                         int componentType, int target, json extra) {
    pad(buffer, '\0');
    bufferViews.push_back({{"buffer", 0},
                           {"byteOffset", buffer.size()},
                           {"byteLength", data.size()},
                           {"target", target}});
    buffer += data;
    json accessor = {{"bufferView", bufferViews.size() - 1},
                     {"componentType", componentType},
                     {"count", count},
                     {"type", type}};
    accessor.update(extra);
    accessors.push_back(accessor);
    return accessors.size() - 1;
  };
  constexpr int kFloat = 5126;
  constexpr int kUnsignedInt = 5125;
  constexpr int kArrayBuffer = 34962;
  constexpr int kElementArrayBuffer = 34963;

  for (const Structure& structure : model.structures) {
    const MeshData& mesh = structure.mesh;
    std::string positions;
    std::string normals;
    std::string tangents;
    std::string indices;
    const Bounds box = mesh.bounds();
    for (std::size_t i = 0; i < mesh.positions.size(); ++i) {
      for (float v : {mesh.positions[i].x, mesh.positions[i].y, mesh.positions[i].z}) {
        put(positions, v);
      }
      const glm::vec3 n = i < mesh.normals.size() ? mesh.normals[i] : glm::vec3(0, 1, 0);
      for (float v : {n.x, n.y, n.z}) {
        put(normals, v);
      }
      if (!mesh.fibres.empty()) {
        for (float v : {mesh.fibres[i].x, mesh.fibres[i].y, mesh.fibres[i].z, 1.0f}) {
          put(tangents, v);
        }
      }
    }
    for (std::uint32_t index : mesh.indices) {
      put(indices, index);
    }
    json attributes;
    attributes["POSITION"] = addAccessor(
        positions, mesh.positions.size(), "VEC3", kFloat, kArrayBuffer,
        {{"min", {box.min.x, box.min.y, box.min.z}}, {"max", {box.max.x, box.max.y, box.max.z}}});
    attributes["NORMAL"] =
        addAccessor(normals, mesh.positions.size(), "VEC3", kFloat, kArrayBuffer, json::object());
    if (!mesh.fibres.empty()) {
      attributes["TANGENT"] = addAccessor(tangents, mesh.positions.size(), "VEC4", kFloat,
                                          kArrayBuffer, json::object());
    }
    const std::size_t indexAccessor = addAccessor(
        indices, mesh.indices.size(), "SCALAR", kUnsignedInt, kElementArrayBuffer, json::object());
    meshes.push_back(
        {{"name", structure.info.name},
         {"primitives", {{{"attributes", attributes}, {"indices", indexAccessor}, {"mode", 4}}}}});
    json node = {{"name", structure.info.name}, {"mesh", meshes.size() - 1}};
    if (withExtras) {
      const StructureInfo& info = structure.info;
      json extras = {{"layer", std::string(layerId(info.layer))}};
      for (const auto& [key, value] :
           {std::pair<const char*, const std::string&>{"displayName", info.displayName},
            {"latinName", info.latinName},
            {"fmaId", info.fmaId},
            {"description", info.description},
            {"group", info.group},
            {"side", info.side}}) {
        if (!value.empty()) {
          extras[key] = value;
        }
      }
      node["extras"] = extras;
    }
    nodes.push_back(node);
    sceneNodes.push_back(nodes.size() - 1);
  }
  pad(buffer, '\0');

  const bool binary = file.extension() == ".glb";
  json bufferEntry = {{"byteLength", buffer.size()}};
  if (!binary) {
    bufferEntry["uri"] = "data:application/octet-stream;base64," + base64(buffer);
  }
  const json document = {{"asset", {{"version", "2.0"}, {"generator", "Fascia Atlas tests"}}},
                         {"scene", 0},
                         {"scenes", {{{"nodes", sceneNodes}}}},
                         {"nodes", nodes},
                         {"meshes", meshes},
                         {"accessors", accessors},
                         {"bufferViews", bufferViews},
                         {"buffers", {bufferEntry}}};
  if (!binary) {
    writeBytes(file, document.dump(1));
    return;
  }
  std::string jsonChunk = document.dump();
  pad(jsonChunk, ' ');
  std::string glb;
  put(glb, static_cast<std::uint32_t>(0x46546C67)); // "glTF"
  put(glb, static_cast<std::uint32_t>(2));
  put(glb, static_cast<std::uint32_t>(12 + 8 + jsonChunk.size() + 8 + buffer.size()));
  put(glb, static_cast<std::uint32_t>(jsonChunk.size()));
  put(glb, static_cast<std::uint32_t>(0x4E4F534A)); // "JSON"
  glb += jsonChunk;
  put(glb, static_cast<std::uint32_t>(buffer.size()));
  put(glb, static_cast<std::uint32_t>(0x004E4942)); // "BIN\0"
  glb += buffer;
  writeBytes(file, glb);
}

void writeBytes(const fs::path& file, std::string_view bytes) {
  std::ofstream out = openForWriting(file, true);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  closeChecked(out, file);
}

std::string readBytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + file.string());
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// ---------------------------------------------------------------------------------------------
// TempDir

TempDir::TempDir() {
  static std::atomic<unsigned> counter{0};
  const auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
  std::mt19937_64 random(static_cast<std::uint64_t>(ticks) ^
                         (static_cast<std::uint64_t>(::getpid()) << 32) ^ counter++);
  for (int attempt = 0; attempt < 100; ++attempt) {
    const fs::path candidate =
        fs::temp_directory_path() / ("fascia-test-" + std::to_string(random()));
    std::error_code error;
    if (fs::create_directory(candidate, error)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary folder");
}

TempDir::~TempDir() {
  if (path_.empty()) {
    return;
  }
  std::error_code error;
  // A test may have taken permissions away; give them back so removal works.
  fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, error);
  for (auto it = fs::recursive_directory_iterator(path_, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    std::error_code ignored;
    fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ignored);
  }
  fs::remove_all(path_, error);
}

TempDir::TempDir(TempDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    TempDir old(std::move(*this));
    path_ = std::exchange(other.path_, {});
  }
  return *this;
}

} // namespace fascia::test
