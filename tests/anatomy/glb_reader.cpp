#include "glb_reader.h"

#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace fascia::anatomy::test {

namespace {
std::uint32_t u32(const std::vector<unsigned char>& b, std::size_t at) {
  if (at + 4 > b.size()) throw std::runtime_error("GLB truncated");
  return static_cast<std::uint32_t>(b[at]) | (static_cast<std::uint32_t>(b[at + 1]) << 8) |
         (static_cast<std::uint32_t>(b[at + 2]) << 16) | (static_cast<std::uint32_t>(b[at + 3]) << 24);
}
} // namespace

std::vector<unsigned char> readBytes(const std::filesystem::path& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + path.string());
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

std::vector<GlbMesh> parseGlb(const std::vector<unsigned char>& b) {
  if (u32(b, 0) != 0x46546C67u || u32(b, 4) != 2) throw std::runtime_error("not a glTF 2 binary");
  if (u32(b, 8) != b.size()) throw std::runtime_error("GLB length field does not match the data");
  const std::uint32_t jsonLen = u32(b, 12);
  if (u32(b, 16) != 0x4E4F534Au || jsonLen % 4 != 0) throw std::runtime_error("bad JSON chunk");
  const auto doc = nlohmann::json::parse(b.begin() + 20, b.begin() + 20 + jsonLen);
  const std::size_t binAt = 20 + jsonLen;
  const std::uint32_t binLen = u32(b, binAt);
  if (u32(b, binAt + 4) != 0x004E4942u || binLen % 4 != 0 || binAt + 8 + binLen != b.size())
    throw std::runtime_error("bad BIN chunk");
  const unsigned char* bin = b.data() + binAt + 8;
  if (doc.at("buffers").at(0).at("byteLength").get<std::size_t>() != binLen)
    throw std::runtime_error("buffer length mismatch");

  auto accessorData = [&](std::size_t index, int components, std::uint32_t type) {
    const auto& a = doc.at("accessors").at(index);
    if (a.at("componentType").get<std::uint32_t>() != type) throw std::runtime_error("unexpected component type");
    const auto& v = doc.at("bufferViews").at(a.at("bufferView").get<std::size_t>());
    const std::size_t offset = v.at("byteOffset").get<std::size_t>();
    const std::size_t count = a.at("count").get<std::size_t>();
    const std::size_t size = count * static_cast<std::size_t>(components) * 4;
    if (offset % 4 != 0 || offset + size > binLen || size > v.at("byteLength").get<std::size_t>())
      throw std::runtime_error("accessor out of range");
    return std::make_pair(bin + offset, count);
  };
  auto vec3s = [&](std::size_t index) {
    const auto [ptr, count] = accessorData(index, 3, 5126);
    std::vector<glm::vec3> out(count);
    std::memcpy(out.data(), ptr, count * sizeof(glm::vec3));
    return out;
  };

  std::vector<GlbMesh> out;
  for (const auto& node : doc.at("nodes")) {
    const auto& m = doc.at("meshes").at(node.at("mesh").get<std::size_t>());
    GlbMesh g;
    g.name = m.at("name").get<std::string>();
    if (node.at("name").get<std::string>() != g.name) throw std::runtime_error("node and mesh names differ");
    g.primitiveCount = static_cast<int>(m.at("primitives").size());
    const auto& p = m.at("primitives").at(0);
    g.mode = p.value("mode", 4);
    const auto& attr = p.at("attributes");
    g.mesh.positions = vec3s(attr.at("POSITION").get<std::size_t>());
    g.mesh.normals = vec3s(attr.at("NORMAL").get<std::size_t>());
    if (attr.contains("TANGENT")) {
      g.hasTangents = true;
      const auto [ptr, count] = accessorData(attr.at("TANGENT").get<std::size_t>(), 4, 5126);
      std::vector<float> t(count * 4);
      std::memcpy(t.data(), ptr, t.size() * 4);
      for (std::size_t i = 0; i < count; ++i) {
        g.mesh.fibres.emplace_back(t[4 * i], t[4 * i + 1], t[4 * i + 2]);
        g.tangentW.push_back(t[4 * i + 3]);
      }
    }
    const auto [iptr, icount] = accessorData(p.at("indices").get<std::size_t>(), 1, 5125);
    g.mesh.indices.resize(icount);
    std::memcpy(g.mesh.indices.data(), iptr, icount * 4);
    for (std::uint32_t i : g.mesh.indices)
      if (i >= g.mesh.positions.size()) throw std::runtime_error("index out of range in " + g.name);
    for (const glm::vec3& q : g.mesh.positions)
      g.bounds.extend(q);
    out.push_back(std::move(g));
  }
  return out;
}

} // namespace fascia::anatomy::test
