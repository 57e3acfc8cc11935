// Binary glTF 2.0 and manifest writers.

#include <cmath>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "anatomy.h"

namespace fascia::anatomy {

namespace {

constexpr std::uint32_t kArrayBuffer = 34962, kElementArrayBuffer = 34963;
constexpr std::uint32_t kFloat = 5126, kUnsignedInt = 5125;

struct BinWriter {
  std::vector<unsigned char> bytes;
  nlohmann::json views = nlohmann::json::array();
  /// Appends raw data as a new buffer view (4-byte aligned) and returns its index.
  std::size_t add(const void* data, std::size_t size, std::uint32_t target) {
    while (bytes.size() % 4 != 0) bytes.push_back(0);
    const std::size_t offset = bytes.size();
    bytes.resize(offset + size);
    if (size > 0) std::memcpy(bytes.data() + offset, data, size);
    views.push_back({{"buffer", 0}, {"byteOffset", offset}, {"byteLength", size}, {"target", target}});
    return views.size() - 1;
  }
};

void put32(std::vector<unsigned char>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<unsigned char>((v >> (8 * i)) & 0xFFu));
}

double round3(float v) { return std::round(static_cast<double>(v) * 1000.0) / 1000.0; }

} // namespace

std::vector<unsigned char> encodeGlb(const std::vector<BuiltStructure>& structures) {
  BinWriter bin;
  nlohmann::json accessors = nlohmann::json::array();
  nlohmann::json meshes = nlohmann::json::array();
  nlohmann::json nodes = nlohmann::json::array();
  nlohmann::json sceneNodes = nlohmann::json::array();
  auto accessor = [&](std::size_t view, std::uint32_t type, std::size_t count, const char* kind) {
    accessors.push_back({{"bufferView", view}, {"componentType", type}, {"count", count}, {"type", kind}});
    return accessors.size() - 1;
  };
  for (const BuiltStructure& s : structures) {
    const TriMesh& m = s.mesh;
    const std::size_t n = m.positions.size();
    glm::vec3 lo(std::numeric_limits<float>::max()), hi(std::numeric_limits<float>::lowest());
    for (const glm::vec3& p : m.positions) {
      lo = glm::min(lo, p);
      hi = glm::max(hi, p);
    }
    nlohmann::json attributes;
    const std::size_t pos = accessor(bin.add(m.positions.data(), n * sizeof(glm::vec3), kArrayBuffer), kFloat, n, "VEC3");
    accessors[pos]["min"] = {lo.x, lo.y, lo.z};
    accessors[pos]["max"] = {hi.x, hi.y, hi.z};
    attributes["POSITION"] = pos;
    attributes["NORMAL"] = accessor(bin.add(m.normals.data(), n * sizeof(glm::vec3), kArrayBuffer), kFloat, n, "VEC3");
    if (!m.fibres.empty()) {
      std::vector<float> tangents;
      tangents.reserve(n * 4);
      for (const glm::vec3& f : m.fibres) tangents.insert(tangents.end(), {f.x, f.y, f.z, 1.0f});
      attributes["TANGENT"] =
          accessor(bin.add(tangents.data(), tangents.size() * sizeof(float), kArrayBuffer), kFloat, n, "VEC4");
    }
    const std::size_t idx = accessor(bin.add(m.indices.data(), m.indices.size() * sizeof(std::uint32_t),
                                             kElementArrayBuffer),
                                     kUnsignedInt, m.indices.size(), "SCALAR");
    meshes.push_back({{"name", s.meta.id},
                      {"primitives", nlohmann::json::array({{{"attributes", attributes}, {"indices", idx}, {"mode", 4}}})}});
    nodes.push_back({{"name", s.meta.id}, {"mesh", meshes.size() - 1}});
    sceneNodes.push_back(nodes.size() - 1);
  }
  while (bin.bytes.size() % 4 != 0) bin.bytes.push_back(0);
  nlohmann::json doc;
  doc["asset"] = {{"version", "2.0"}, {"generator", "fascia-anatomy-builder"}};
  doc["scene"] = 0;
  doc["scenes"] = nlohmann::json::array({{{"name", "torso"}, {"nodes", sceneNodes}}});
  doc["nodes"] = nodes;
  doc["meshes"] = meshes;
  doc["accessors"] = accessors;
  doc["bufferViews"] = bin.views;
  doc["buffers"] = nlohmann::json::array({{{"byteLength", bin.bytes.size()}}});
  std::string json = doc.dump();
  while (json.size() % 4 != 0) json.push_back(' ');

  std::vector<unsigned char> out;
  const std::size_t total = 12 + 8 + json.size() + 8 + bin.bytes.size();
  out.reserve(total);
  put32(out, 0x46546C67u); // "glTF"
  put32(out, 2);
  put32(out, static_cast<std::uint32_t>(total));
  put32(out, static_cast<std::uint32_t>(json.size()));
  put32(out, 0x4E4F534Au); // "JSON"
  out.insert(out.end(), json.begin(), json.end());
  put32(out, static_cast<std::uint32_t>(bin.bytes.size()));
  put32(out, 0x004E4942u); // "BIN\0"
  out.insert(out.end(), bin.bytes.begin(), bin.bytes.end());
  return out;
}

std::string encodeManifest(const std::vector<BuiltStructure>& structures) {
  nlohmann::json doc;
  doc["format"] = "fascia-manifest";
  doc["version"] = 1;
  nlohmann::json all = nlohmann::json::object();
  for (const BuiltStructure& s : structures) {
    const StructureMeta& m = s.meta;
    nlohmann::json e;
    e["layer"] = m.layer;
    e["displayName"] = m.displayName;
    e["latinName"] = m.latinName;
    if (!m.fmaId.empty()) e["fmaId"] = m.fmaId;
    e["group"] = m.group;
    e["side"] = m.side;
    e["description"] = m.description;
    e["colour"] = {round3(m.colour[0]), round3(m.colour[1]), round3(m.colour[2])};
    all[m.id] = e;
  }
  doc["structures"] = all;
  return doc.dump(2) + "\n";
}

void writeFile(const std::filesystem::path& path, const void* data, std::size_t size) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) throw std::runtime_error("cannot open " + path.string() + " for writing");
  f.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!f) throw std::runtime_error("cannot write " + path.string());
}

} // namespace fascia::anatomy
