#include "fascia/model_loader.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <new>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <assimp/Importer.hpp>
#include <assimp/ProgressHandler.hpp>
#include <assimp/metadata.h>
#include <assimp/postprocess.h>
#include <assimp/scene.h>
#include <glm/geometric.hpp>
#include <glm/mat3x3.hpp>
#include <glm/mat4x4.hpp>
#include <glm/matrix.hpp>

#include "fascia/error.h"
#include "fascia/manifest.h"

namespace fascia {

namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// Limits. Hostile or broken files can claim absurd sizes; refuse them with a message instead of
// exhausting memory. A detailed whole-body model has a few million triangles.

constexpr std::uintmax_t kMaxFileBytes = 4ull * 1024 * 1024 * 1024;
constexpr std::size_t kMaxVertices = 100'000'000;
constexpr std::size_t kMaxTriangles = 100'000'000;
constexpr std::size_t kMaxNodes = 10'000'000;

/// glTF extras keys read as structure metadata.
constexpr std::array<const char*, 7> kExtrasKeys = {
    "layer", "displayName", "latinName", "fmaId", "description", "group", "side"};

// ---------------------------------------------------------------------------------------------
// Progress

/// Forwards progress to the caller's callback, clamped to 0..1 and never going backwards, over
/// a sub-range of the whole load.
class Progress {
public:
  explicit Progress(const ProgressCallback& callback) : callback_(callback) {}

  /// Reports `fraction` of the current sub-range.
  void report(float fraction, std::string_view stage) {
    if (!callback_) {
      return;
    }
    if (!(fraction >= 0.0f)) { // also rejects NaN
      fraction = 0.0f;
    }
    float overall = begin_ + (end_ - begin_) * std::min(fraction, 1.0f);
    overall = std::clamp(overall, last_, 1.0f);
    last_ = overall;
    callback_(overall, stage);
  }

  /// Makes later reports cover [begin, end] of the whole load.
  void setRange(float begin, float end) {
    begin_ = begin;
    end_ = end;
  }

private:
  const ProgressCallback& callback_;
  float begin_ = 0.0f;
  float end_ = 1.0f;
  float last_ = 0.0f;
};

/// Assimp's hook into Progress while it reads a file. The Importer owns and deletes it.
class AssimpProgress : public Assimp::ProgressHandler {
public:
  AssimpProgress(Progress& progress, float begin, float end)
      : progress_(progress), begin_(begin), end_(end) {}

  bool Update(float percentage) override {
    // Assimp passes a fraction 0..1 despite the name, or -1 when it cannot tell.
    if (percentage >= 0.0f && percentage <= 1.0f) {
      try {
        progress_.report(begin_ + (end_ - begin_) * percentage, "reading");
      } catch (...) {
        // Nothing may throw through Assimp; a failing progress display is not a failed load.
      }
    }
    return true;
  }

private:
  Progress& progress_;
  float begin_;
  float end_;
};

// ---------------------------------------------------------------------------------------------
// Reading files

/// One mesh instance from a file, flattened into model space.
struct Part {
  std::string meshName;
  std::string nodeName;
  MeshData mesh;
  std::map<std::string, std::string> extras;
};

std::string lowerExtension(const fs::path& file) {
  std::string extension = file.extension().string();
  for (char& c : extension) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return extension;
}

std::string errnoMessage(int error) { return std::generic_category().message(error); }

/// Checks that a path is a readable, plausible model file before Assimp sees it, so the user
/// reads "no such file" or "permission denied" rather than a parser message. Returns its size.
std::uintmax_t checkReadableFile(const fs::path& file) {
  std::error_code error;
  const fs::file_status status = fs::status(file, error);
  if (!fs::exists(status)) {
    throw InputError(file, "no such file");
  }
  if (!fs::is_regular_file(status)) {
    throw InputError(file, "is not a regular file");
  }
  const std::uintmax_t size = fs::file_size(file, error);
  if (error) {
    throw InputError(file, "cannot be read (" + error.message() + ")");
  }
  if (size == 0) {
    throw InputError(file, "the file is empty");
  }
  if (size > kMaxFileBytes) {
    throw InputError(file, "the file is " + std::to_string(size >> 20) +
                               " MiB; Fascia Atlas reads models up to 4 GiB");
  }
  errno = 0;
  std::FILE* handle = std::fopen(file.c_str(), "rb");
  if (handle == nullptr) {
    const int openError = errno;
    if (openError == EACCES || openError == EPERM) {
      throw InputError(file, "permission denied: the file cannot be read (check its permissions)");
    }
    throw InputError(file, "cannot be opened (" + errnoMessage(openError) + ")");
  }
  std::fclose(handle);
  return size;
}

// Headers that declare element counts are checked against the file size before Assimp sees
// them: Assimp allocates what a header declares, so a few corrupt bytes could otherwise ask for
// tens of gigabytes.

[[noreturn]] void throwTruncated(const fs::path& file, const std::string& what,
                                 std::uintmax_t needed, std::uintmax_t available) {
  throw InputError(file, "the file is truncated or corrupt: its header declares " + what +
                             ", which need at least " + std::to_string(needed) +
                             " bytes, but the file holds " + std::to_string(available));
}

std::size_t plyScalarSize(std::string_view type) {
  if (type == "char" || type == "uchar" || type == "int8" || type == "uint8") {
    return 1;
  }
  if (type == "short" || type == "ushort" || type == "int16" || type == "uint16") {
    return 2;
  }
  if (type == "int" || type == "uint" || type == "float" || type == "int32" || type == "uint32" ||
      type == "float32") {
    return 4;
  }
  if (type == "double" || type == "float64") {
    return 8;
  }
  return 1; // unknown types are Assimp's to reject
}

void checkPlyHeader(const fs::path& file, const std::string& head, std::uintmax_t fileSize) {
  const std::size_t headerEnd = head.find("end_header");
  if (head.compare(0, 3, "ply") != 0 || headerEnd == std::string::npos) {
    return;
  }
  const std::size_t dataStart = head.find('\n', headerEnd);
  const std::uintmax_t available =
      dataStart == std::string::npos ? 0
                                     : fileSize - std::min<std::uintmax_t>(fileSize, dataStart + 1);
  bool binary = false;
  struct Element {
    std::string name;
    std::uintmax_t count = 0;
    std::uintmax_t minBytes = 0; // per element
  };
  std::vector<Element> elements;
  std::size_t lineStart = 0;
  while (lineStart < headerEnd) {
    std::size_t lineEnd = head.find('\n', lineStart);
    if (lineEnd == std::string::npos || lineEnd > headerEnd) {
      lineEnd = headerEnd;
    }
    std::vector<std::string> tokens;
    std::string token;
    for (std::size_t i = lineStart; i <= lineEnd; ++i) {
      const char c = i < lineEnd ? head[i] : ' ';
      if (c == ' ' || c == '\t' || c == '\r') {
        if (!token.empty()) {
          tokens.push_back(token);
          token.clear();
        }
      } else {
        token.push_back(c);
      }
    }
    lineStart = lineEnd + 1;
    if (tokens.size() >= 2 && tokens[0] == "format") {
      binary = tokens[1] != "ascii";
    } else if (tokens.size() >= 3 && tokens[0] == "element") {
      Element element;
      element.name = tokens[1];
      try {
        element.count = std::stoull(tokens[2]);
      } catch (const std::exception&) {
        throw InputError(file, "the PLY header has a bad element count '" + tokens[2] + "'");
      }
      elements.push_back(element);
    } else if (tokens.size() >= 3 && tokens[0] == "property" && !elements.empty()) {
      // Binary: a scalar's size, or a list's count field (the list may be empty). ASCII: at
      // least one character and a separator per value.
      const bool list = tokens[1] == "list";
      elements.back().minBytes += binary ? plyScalarSize(list ? tokens[2] : tokens[1]) : 2;
    }
  }
  // Sums in long double: the counts are untrusted and can overflow 64 bits when multiplied.
  long double needed = 0;
  std::string what;
  for (const Element& element : elements) {
    needed += static_cast<long double>(element.count) * static_cast<long double>(element.minBytes);
    if (element.count > 0) {
      const std::string plural = element.name == "vertex" ? "vertices" : element.name + "s";
      what += (what.empty() ? "" : " and ") + std::to_string(element.count) + " " +
              (element.count == 1 ? element.name : plural);
    }
  }
  if (needed > static_cast<long double>(available)) {
    const long double capped = std::min<long double>(needed, 1e18L);
    throwTruncated(file, what, static_cast<std::uintmax_t>(capped), available);
  }
}

void checkBinaryStlHeader(const fs::path& file, const std::string& head, std::uintmax_t fileSize) {
  if (head.compare(0, 5, "solid") == 0 || head.size() < 84) {
    return; // ASCII STL (or a file too short for Assimp to take as binary)
  }
  std::uint32_t facets = 0;
  for (int i = 3; i >= 0; --i) {
    facets = (facets << 8) | static_cast<unsigned char>(head[80 + static_cast<std::size_t>(i)]);
  }
  const std::uintmax_t needed = 84 + 50 * static_cast<std::uintmax_t>(facets);
  if (needed > fileSize) {
    throwTruncated(file, std::to_string(facets) + " triangles", needed, fileSize);
  }
}

/// Checks the declared sizes of formats whose headers Assimp trusts.
void checkDeclaredSizes(const fs::path& file, std::string_view extension, std::uintmax_t size) {
  if (extension != ".ply" && extension != ".stl") {
    return;
  }
  std::FILE* handle = std::fopen(file.c_str(), "rb");
  if (handle == nullptr) {
    return; // checkReadableFile has already reported unreadable files
  }
  std::string head(64 * 1024, '\0');
  head.resize(std::fread(head.data(), 1, head.size(), handle));
  std::fclose(handle);
  if (extension == ".ply") {
    checkPlyHeader(file, head, size);
  } else {
    checkBinaryStlHeader(file, head, size);
  }
}

glm::mat4 toGlm(const aiMatrix4x4& m) {
  // Assimp matrices are row-major (a1..a4 is the first row); GLM is column-major.
  return glm::mat4(m.a1, m.b1, m.c1, m.d1, m.a2, m.b2, m.c2, m.d2, m.a3, m.b3, m.c3, m.d3, m.a4,
                   m.b4, m.c4, m.d4);
}

bool finite(const glm::vec3& v) {
  return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z);
}

/// Any unit vector perpendicular to n (n need not be unit).
glm::vec3 perpendicular(const glm::vec3& n) {
  const glm::vec3 axis = std::abs(n.x) < 0.9f ? glm::vec3(1, 0, 0) : glm::vec3(0, 1, 0);
  const glm::vec3 p = glm::cross(n, axis);
  const float length = glm::length(p);
  return (length > 0.0f && std::isfinite(length)) ? p / length : glm::vec3(1, 0, 0);
}

std::string toString(const aiString& s) { return std::string(s.C_Str(), s.length); }

/// Reads the string-valued extras keys from a node's metadata (glTF puts node "extras" there;
/// some exporters nest them under an "extras" entry).
void readExtras(const aiMetadata* metadata, std::map<std::string, std::string>& extras) {
  if (metadata == nullptr) {
    return;
  }
  for (unsigned i = 0; i < metadata->mNumProperties; ++i) {
    const aiMetadataEntry& entry = metadata->mValues[i];
    if (entry.mData == nullptr) {
      continue;
    }
    const std::string key = toString(metadata->mKeys[i]);
    if (entry.mType == AI_AIMETADATA && key == "extras") {
      readExtras(static_cast<const aiMetadata*>(entry.mData), extras);
      continue;
    }
    if (entry.mType != AI_AISTRING) {
      continue;
    }
    for (const char* wanted : kExtrasKeys) {
      if (key == wanted && extras.find(key) == extras.end()) {
        extras.emplace(key, toString(*static_cast<const aiString*>(entry.mData)));
      }
    }
  }
}

/// Converts one aiMesh into model space with the node's global transform.
MeshData convertMesh(const aiMesh& source, const glm::mat4& transform, const fs::path& file,
                     const std::string& label) {
  MeshData mesh;
  const std::size_t vertexCount = source.mNumVertices;
  if (vertexCount > kMaxVertices || source.mNumFaces > kMaxTriangles) {
    throw InputError(file, "mesh '" + label + "' has " + std::to_string(vertexCount) +
                               " vertices and " + std::to_string(source.mNumFaces) +
                               " faces, more than Fascia Atlas can display");
  }
  if (source.mVertices == nullptr) {
    throw InputError(file, "mesh '" + label + "' has no vertex positions");
  }

  const glm::mat3 linear(transform);
  const glm::mat3 normalMatrix = glm::transpose(glm::inverse(linear));
  // A mirroring transform turns counter-clockwise triangles clockwise; flip them back so front
  // faces still face outwards.
  const bool mirrored = glm::determinant(linear) < 0.0f;

  mesh.positions.reserve(vertexCount);
  for (std::size_t i = 0; i < vertexCount; ++i) {
    const aiVector3D& v = source.mVertices[i];
    mesh.positions.emplace_back(transform * glm::vec4(v.x, v.y, v.z, 1.0f));
  }

  bool normalsUsable = source.mNormals != nullptr;
  if (normalsUsable) {
    mesh.normals.reserve(vertexCount);
    for (std::size_t i = 0; i < vertexCount && normalsUsable; ++i) {
      const aiVector3D& n = source.mNormals[i];
      const glm::vec3 transformed = normalMatrix * glm::vec3(n.x, n.y, n.z);
      const float length = glm::length(transformed);
      // Zero or non-finite normals in a file are recomputed rather than rejected: the geometry
      // itself is fine.
      normalsUsable = length > 0.0f && std::isfinite(length);
      mesh.normals.push_back(transformed / length);
    }
    if (!normalsUsable) {
      mesh.normals.clear();
    }
  }

  if (source.mTangents != nullptr) {
    mesh.fibres.reserve(vertexCount);
    for (std::size_t i = 0; i < vertexCount; ++i) {
      const aiVector3D& t = source.mTangents[i];
      const glm::vec3 transformed = linear * glm::vec3(t.x, t.y, t.z);
      const float length = glm::length(transformed);
      if (length > 0.0f && std::isfinite(length)) {
        mesh.fibres.push_back(transformed / length);
      } else {
        mesh.fibres.push_back(perpendicular(normalsUsable ? mesh.normals[i] : glm::vec3(0, 1, 0)));
      }
    }
  }

  mesh.indices.reserve(static_cast<std::size_t>(source.mNumFaces) * 3);
  for (unsigned f = 0; f < source.mNumFaces; ++f) {
    const aiFace& face = source.mFaces[f];
    if (face.mNumIndices != 3 || face.mIndices == nullptr) {
      continue; // points and lines left in a mixed mesh
    }
    for (unsigned k = 0; k < 3; ++k) {
      if (face.mIndices[k] >= vertexCount) {
        throw InputError(file, "triangle " + std::to_string(f) + " of mesh '" + label +
                                   "' uses vertex " + std::to_string(face.mIndices[k]) +
                                   ", but the mesh has only " + std::to_string(vertexCount) +
                                   " vertices (the file is corrupt)");
      }
    }
    mesh.indices.push_back(face.mIndices[0]);
    mesh.indices.push_back(face.mIndices[mirrored ? 2 : 1]);
    mesh.indices.push_back(face.mIndices[mirrored ? 1 : 2]);
  }

  if (!normalsUsable) {
    mesh.computeNormals();
  }
  return mesh;
}

/// Turns Assimp's error text into a reason a user can act on, keeping Assimp's words.
std::string describeImportFailure(std::string assimpError, const std::string& extension,
                                  bool extensionSupported) {
  if (assimpError.empty()) {
    assimpError = "unknown error";
  }
  if (!extensionSupported) {
    return "cannot read the model: '" + extension +
           "' is not a format Fascia Atlas reads (use .gltf, .glb, .obj, .fbx, .stl, .ply, .dae "
           "or another format Assimp supports; Assimp: " +
           assimpError + ")";
  }
  if (assimpError.find("No suitable reader") != std::string::npos) {
    // The extension is known but no reader recognised the content.
    return "cannot read the model: the content is not valid " + extension +
           " (the file may be truncated or corrupt; Assimp: " + assimpError + ")";
  }
  if (assimpError.find("contains no faces") != std::string::npos ||
      assimpError.find("No meshes remaining") != std::string::npos) {
    return "the model contains no triangles (Assimp: " + assimpError + ")";
  }
  return "cannot read the model: " + assimpError;
}

/// Appends `part` to `mesh`; fibres only when `keepFibres`.
void append(MeshData& mesh, const MeshData& part, bool keepFibres) {
  const std::size_t offset = mesh.positions.size();
  mesh.positions.insert(mesh.positions.end(), part.positions.begin(), part.positions.end());
  mesh.normals.insert(mesh.normals.end(), part.normals.begin(), part.normals.end());
  if (keepFibres) {
    mesh.fibres.insert(mesh.fibres.end(), part.fibres.begin(), part.fibres.end());
  }
  for (std::uint32_t index : part.indices) {
    mesh.indices.push_back(static_cast<std::uint32_t>(index + offset));
  }
}

/// "skin-0" -> "skin": Assimp's glTF reader numbers the primitives of a mesh this way.
std::string withoutPrimitiveNumber(const std::string& name) {
  const std::size_t dash = name.rfind('-');
  if (dash == std::string::npos || dash + 1 == name.size()) {
    return name;
  }
  for (std::size_t i = dash + 1; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9') {
      return name;
    }
  }
  return name.substr(0, dash);
}

/// True when every part has fibre directions (a merged mesh keeps them only then, so that
/// fibres stay one per vertex).
bool allHaveFibres(const std::vector<Part>& parts) {
  return !parts.empty() && std::all_of(parts.begin(), parts.end(),
                                       [](const Part& part) { return !part.mesh.fibres.empty(); });
}

/// Merges the parts of one node into one. The merged mesh keeps the shared mesh name (without
/// glTF primitive numbers), or none so that the node's name is used.
Part mergeParts(std::vector<Part> parts, const fs::path& file) {
  if (parts.size() == 1) {
    return std::move(parts.front());
  }
  Part merged;
  merged.nodeName = parts.front().nodeName;
  merged.meshName = withoutPrimitiveNumber(parts.front().meshName);
  std::size_t vertices = 0;
  for (const Part& part : parts) {
    vertices += part.mesh.vertexCount();
    if (withoutPrimitiveNumber(part.meshName) != merged.meshName) {
      merged.meshName.clear();
    }
  }
  if (vertices > kMaxVertices) {
    throw InputError(file, "node '" + merged.nodeName +
                               "' has more vertices than Fascia Atlas can "
                               "display");
  }
  const bool keepFibres = allHaveFibres(parts);
  for (const Part& part : parts) {
    append(merged.mesh, part.mesh, keepFibres);
  }
  return merged;
}

/// Imports one file with Assimp and flattens its node hierarchy into parts. Reports progress
/// over the current range of `progress`.
std::vector<Part> importFile(const fs::path& file, Progress& progress) {
  const std::uintmax_t size = checkReadableFile(file);
  checkDeclaredSizes(file, lowerExtension(file), size);

  Assimp::Importer importer;
  importer.SetProgressHandler(new AssimpProgress(progress, 0.0f, 0.8f));

  // No CalcTangentSpace: tangents in our files carry muscle fibre directions, not UV tangents.
  // Normals are computed by MeshData::computeNormals where a mesh has none.
  unsigned flags = aiProcess_Triangulate | aiProcess_JoinIdenticalVertices | aiProcess_SortByPType |
                   aiProcess_ValidateDataStructure;
  const std::string extension = lowerExtension(file);
  if (extension == ".stl") {
    // STL stores one flat normal per facet, which splits every vertex three to six ways and
    // makes smooth anatomy look faceted; weld the positions and smooth instead.
    flags |= aiProcess_DropNormals;
  }

  const aiScene* scene = nullptr;
  try {
    scene = importer.ReadFile(file.string(), flags);
  } catch (const std::bad_alloc&) {
    throw InputError(file, "the model needs more memory than is available (is the file corrupt?)");
  } catch (const std::exception& error) {
    throw InputError(file, std::string("cannot read the model: ") + error.what());
  }
  if (scene == nullptr) {
    throw InputError(file, describeImportFailure(importer.GetErrorString(), extension,
                                                 importer.IsExtensionSupported(extension)));
  }
  progress.report(0.8f, "meshes");

  std::vector<Part> parts;
  if (scene->mRootNode == nullptr || scene->mNumMeshes == 0 || scene->mMeshes == nullptr) {
    return parts;
  }

  // Walk the hierarchy with an explicit stack: a hostile file can nest nodes deeply enough to
  // overflow the call stack.
  struct Pending {
    const aiNode* node;
    glm::mat4 parentTransform;
  };
  std::vector<Pending> stack{{scene->mRootNode, glm::mat4(1.0f)}};
  std::size_t visited = 0;
  std::size_t triangles = 0;
  std::size_t meshesDone = 0;
  while (!stack.empty()) {
    const Pending current = stack.back();
    stack.pop_back();
    if (++visited > kMaxNodes) {
      throw InputError(file, "the model has more than " + std::to_string(kMaxNodes) + " nodes");
    }
    const aiNode& node = *current.node;
    const glm::mat4 transform = current.parentTransform * toGlm(node.mTransformation);
    std::map<std::string, std::string> extras;
    readExtras(node.mMetaData, extras);

    // The meshes of one node are one object split by material (FBX, OBJ "usemtl") or by glTF
    // primitive; they become one structure.
    std::vector<Part> nodeParts;
    for (unsigned m = 0; m < node.mNumMeshes; ++m) {
      const unsigned meshIndex = node.mMeshes[m];
      if (meshIndex >= scene->mNumMeshes || scene->mMeshes[meshIndex] == nullptr) {
        throw InputError(file, "node '" + toString(node.mName) + "' refers to mesh " +
                                   std::to_string(meshIndex) + ", which does not exist");
      }
      const aiMesh& mesh = *scene->mMeshes[meshIndex];
      if ((mesh.mPrimitiveTypes & aiPrimitiveType_TRIANGLE) == 0) {
        continue; // point clouds and line sets have nothing to shade or pick
      }
      Part part;
      part.meshName = toString(mesh.mName);
      part.nodeName = toString(node.mName);
      const std::string label = part.meshName.empty() ? part.nodeName : part.meshName;
      part.mesh = convertMesh(mesh, transform, file, label);
      triangles += part.mesh.triangleCount();
      if (triangles > kMaxTriangles) {
        throw InputError(file, "the model has more than " + std::to_string(kMaxTriangles) +
                                   " triangles, more than Fascia Atlas can display");
      }
      nodeParts.push_back(std::move(part));
      ++meshesDone;
      progress.report(0.8f + 0.2f * static_cast<float>(meshesDone) /
                                 static_cast<float>(scene->mNumMeshes + 1),
                      "meshes");
    }
    if (!nodeParts.empty()) {
      Part merged = mergeParts(std::move(nodeParts), file);
      merged.extras = extras;
      parts.push_back(std::move(merged));
    }
    // Children pushed in reverse so they pop in file order.
    for (unsigned c = node.mNumChildren; c-- > 0;) {
      if (node.mChildren != nullptr && node.mChildren[c] != nullptr) {
        stack.push_back({node.mChildren[c], transform});
      }
    }
  }
  return parts;
}

// ---------------------------------------------------------------------------------------------
// Building the model

/// Assimp invents names for nameless things ("<STL_BINARY>", "$dummy", "defaultobject" for an
/// OBJ without "o" or "g" lines); they make poor structure names.
bool usableName(const std::string& name) {
  return !name.empty() && name.front() != '<' && name.front() != '$' && name != "defaultobject";
}

/// Returns `wanted`, or `wanted` with "_2", "_3"... appended, whichever is not taken yet.
std::string uniqueName(const std::string& wanted, std::map<std::string, int>& taken) {
  if (taken.find(wanted) == taken.end()) {
    taken.emplace(wanted, 1);
    return wanted;
  }
  for (int suffix = taken[wanted] + 1;; ++suffix) {
    std::string candidate = wanted + "_" + std::to_string(suffix);
    if (taken.find(candidate) == taken.end()) {
      taken[wanted] = suffix;
      taken.emplace(candidate, 1);
      return candidate;
    }
  }
}

/// Applies glTF extras to a structure; a "layer" value that is not a layer id is ignored, since
/// other tools use the same key for their own purposes.
void applyExtras(const std::map<std::string, std::string>& extras, StructureInfo& info) {
  for (const auto& [key, value] : extras) {
    if (key == "layer") {
      if (const auto layer = parseLayer(value)) {
        info.layer = *layer;
      }
    } else if (key == "displayName") {
      info.displayName = value;
    } else if (key == "latinName") {
      info.latinName = value;
    } else if (key == "fmaId") {
      info.fmaId = value;
    } else if (key == "description") {
      info.description = value;
    } else if (key == "group") {
      info.group = value;
    } else if (key == "side") {
      info.side = value;
    }
  }
}

Model loadFile(const fs::path& file, Progress& progress) {
  progress.setRange(0.0f, 0.9f);
  std::vector<Part> parts = importFile(file, progress);

  Model model;
  model.source = file;
  std::map<std::string, int> taken;
  // Names used by more than one mesh fall back to their node's name.
  std::map<std::string, int> meshNameUses;
  for (const Part& part : parts) {
    ++meshNameUses[part.meshName];
  }
  const std::string stem = file.stem().string();
  for (Part& part : parts) {
    std::string name = part.meshName;
    if (!usableName(name) || meshNameUses[name] > 1) {
      name = usableName(part.nodeName) ? part.nodeName : (usableName(name) ? name : stem);
    }
    Structure structure;
    structure.info.name = uniqueName(name, taken);
    structure.info.layer = layerFromName(structure.info.name);
    applyExtras(part.extras, structure.info);
    structure.mesh = std::move(part.mesh);
    model.structures.push_back(std::move(structure));
  }
  return model;
}

Model loadFolder(const fs::path& folder, Progress& progress) {
  Assimp::Importer formats;
  std::vector<fs::path> files;
  std::error_code error;
  fs::directory_iterator it(folder, error);
  if (error) {
    throw InputError(folder, "the folder cannot be read (" + error.message() + ")");
  }
  for (const fs::directory_entry& entry : it) {
    const fs::path& path = entry.path();
    const std::string filename = path.filename().string();
    if (filename == "manifest.json" || filename.empty() || filename.front() == '.') {
      continue;
    }
    std::error_code typeError;
    if (!entry.is_regular_file(typeError)) {
      continue;
    }
    const std::string extension = lowerExtension(path);
    if (extension.empty() || !formats.IsExtensionSupported(extension)) {
      continue;
    }
    files.push_back(path);
  }
  if (files.empty()) {
    throw InputError(folder, "the folder contains no mesh files (.gltf, .glb, .obj, .stl, .ply, "
                             ".fbx, .dae...)");
  }
  std::sort(files.begin(), files.end());

  Model model;
  model.source = folder;
  std::map<std::string, int> taken;
  std::size_t triangles = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const float span = 0.9f / static_cast<float>(files.size());
    progress.setRange(span * static_cast<float>(i), span * static_cast<float>(i + 1));
    std::vector<Part> parts = importFile(files[i], progress);

    Structure structure;
    structure.info.name = uniqueName(files[i].stem().string(), taken);
    structure.info.layer = layerFromName(structure.info.name);
    const bool keepFibres = allHaveFibres(parts);
    std::size_t vertices = 0;
    for (const Part& part : parts) {
      vertices += part.mesh.vertexCount();
    }
    if (vertices > kMaxVertices) {
      throw InputError(files[i], "the file has " + std::to_string(vertices) +
                                     " vertices, more than Fascia Atlas can display");
    }
    // The first node that carries extras speaks for the whole file.
    for (const Part& part : parts) {
      if (!part.extras.empty()) {
        applyExtras(part.extras, structure.info);
        break;
      }
    }
    for (const Part& part : parts) {
      append(structure.mesh, part.mesh, keepFibres);
    }
    triangles += structure.mesh.triangleCount();
    if (triangles > kMaxTriangles) {
      throw InputError(folder, "the folder holds more than " + std::to_string(kMaxTriangles) +
                                   " triangles, more than Fascia Atlas can display");
    }
    if (structure.mesh.triangleCount() == 0) {
      throw InputError(files[i], "the model contains no triangles");
    }
    model.structures.push_back(std::move(structure));
  }
  return model;
}

std::string quoted(const std::string& name) { return "'" + name + "'"; }

} // namespace

// ---------------------------------------------------------------------------------------------
// Public API

Model loadModel(const std::filesystem::path& path, const ProgressCallback& progressCallback) {
  Progress progress(progressCallback);
  progress.report(0.0f, "reading");

  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (!fs::exists(status)) {
    throw InputError(path, "no such file or folder");
  }
  Model model = fs::is_directory(status) ? loadFolder(path, progress) : loadFile(path, progress);

  progress.setRange(0.0f, 1.0f);
  progress.report(0.9f, "manifest");
  const fs::path manifestPath = manifestPathFor(path);
  if (fs::exists(manifestPath, error)) {
    const Manifest manifest = loadManifest(manifestPath);
    for (Structure& structure : model.structures) {
      const auto entry = manifest.structures.find(structure.info.name);
      if (entry != manifest.structures.end()) {
        entry->second.applyTo(structure.info);
      }
    }
  }

  progress.report(0.95f, "validating");
  validateModel(model, path);
  for (Structure& structure : model.structures) {
    structure.mesh.orientation = structure.mesh.surfaceOrientation();
  }
  progress.report(1.0f, "done");
  return model;
}

void validateModel(const Model& model, const std::filesystem::path& file) {
  std::size_t triangles = 0;
  std::map<std::string_view, int> names;
  for (const Structure& structure : model.structures) {
    const MeshData& mesh = structure.mesh;
    const std::string name = quoted(structure.info.name);
    if (++names[structure.info.name] > 1) {
      throw InputError(file, "two structures are named " + name);
    }
    for (std::size_t i = 0; i < mesh.positions.size(); ++i) {
      if (!finite(mesh.positions[i])) {
        throw InputError(file, "vertex " + std::to_string(i) + " of structure " + name +
                                   " is not a finite number");
      }
    }
    if (mesh.normals.size() != mesh.positions.size()) {
      throw InputError(file, "structure " + name + " has " + std::to_string(mesh.normals.size()) +
                                 " normals for " + std::to_string(mesh.positions.size()) +
                                 " vertices");
    }
    for (std::size_t i = 0; i < mesh.normals.size(); ++i) {
      if (!finite(mesh.normals[i])) {
        throw InputError(file, "the normal of vertex " + std::to_string(i) + " of structure " +
                                   name + " is not a finite number");
      }
    }
    if (!mesh.fibres.empty()) {
      if (mesh.fibres.size() != mesh.positions.size()) {
        throw InputError(file, "structure " + name + " has " + std::to_string(mesh.fibres.size()) +
                                   " fibre directions for " +
                                   std::to_string(mesh.positions.size()) + " vertices");
      }
      for (std::size_t i = 0; i < mesh.fibres.size(); ++i) {
        if (!finite(mesh.fibres[i])) {
          throw InputError(file, "the fibre direction of vertex " + std::to_string(i) +
                                     " of structure " + name + " is not a finite number");
        }
      }
    }
    if (mesh.indices.size() % 3 != 0) {
      throw InputError(file, "structure " + name + " has " + std::to_string(mesh.indices.size()) +
                                 " indices, which is not a whole number of triangles");
    }
    for (std::size_t i = 0; i < mesh.indices.size(); ++i) {
      if (mesh.indices[i] >= mesh.positions.size()) {
        throw InputError(file, "triangle " + std::to_string(i / 3) + " of structure " + name +
                                   " uses vertex " + std::to_string(mesh.indices[i]) +
                                   ", but the structure has only " +
                                   std::to_string(mesh.positions.size()) + " vertices");
      }
    }
    triangles += mesh.triangleCount();
  }
  if (triangles == 0) {
    throw InputError(file, "the model contains no triangles");
  }
}

bool isModelFileExtension(const std::filesystem::path& file) {
  const std::string extension = lowerExtension(file);
  if (extension.empty()) return false;
  // Building an importer registers every format; one is enough for the program's life.
  static const Assimp::Importer formats;
  return formats.IsExtensionSupported(extension);
}

} // namespace fascia
