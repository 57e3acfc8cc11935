// Model loading: formats, folders, layer precedence, fibres, transforms, progress, and every
// kind of bad input. Also the small mesh/model/error types the loader builds on.

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <glm/geometric.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include "fascia/error.h"
#include "fascia/manifest.h"
#include "fascia/model_loader.h"
#include "test_models.h"

namespace fascia {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

/// Loads `path` expecting an InputError; returns its what() after checking that it names the
/// file (by file name, so relative and absolute spellings both pass).
std::string loadError(const fs::path& path, const fs::path& named = {}) {
  const fs::path expectedFile = named.empty() ? path : named;
  try {
    loadModel(path);
  } catch (const InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(expectedFile.filename().string()), std::string::npos)
        << "message does not name " << expectedFile << ": " << message;
    EXPECT_FALSE(error.reason().empty());
    return message;
  } catch (const std::exception& error) {
    ADD_FAILURE() << "not an InputError: " << error.what();
    return {};
  }
  ADD_FAILURE() << "loading " << path << " did not fail";
  return {};
}

bool containsText(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

/// Every normal unit length and pointing away from `centre`, and every triangle wound
/// counter-clockwise seen from outside (its face normal agrees with its vertex normals).
void expectOutwardFacing(const MeshData& mesh, const glm::vec3& centre) {
  ASSERT_EQ(mesh.normals.size(), mesh.positions.size());
  for (std::size_t i = 0; i < mesh.normals.size(); ++i) {
    EXPECT_NEAR(glm::length(mesh.normals[i]), 1.0f, 1e-4f) << "vertex " << i;
    EXPECT_GT(glm::dot(mesh.normals[i], mesh.positions[i] - centre), 0.0f) << "vertex " << i;
  }
  for (std::size_t i = 0; i < mesh.indices.size(); i += 3) {
    const glm::vec3 a = mesh.positions[mesh.indices[i]];
    const glm::vec3 b = mesh.positions[mesh.indices[i + 1]];
    const glm::vec3 c = mesh.positions[mesh.indices[i + 2]];
    EXPECT_GT(glm::dot(glm::cross(b - a, c - a), (a + b + c) / 3.0f - centre), 0.0f)
        << "triangle " << i / 3;
  }
}

void expectSameBounds(const Bounds& a, const Bounds& b) {
  for (int k = 0; k < 3; ++k) {
    EXPECT_NEAR(a.min[k], b.min[k], 1e-5f);
    EXPECT_NEAR(a.max[k], b.max[k], 1e-5f);
  }
}

/// The nested shells, checked after a round trip through a file.
void expectShells(const Model& loaded, const Model& original) {
  ASSERT_EQ(loaded.structures.size(), original.structures.size());
  for (std::size_t i = 0; i < original.structures.size(); ++i) {
    const Structure& a = loaded.structures[i];
    const Structure& b = original.structures[i];
    EXPECT_EQ(a.info.name, b.info.name);
    EXPECT_EQ(a.info.layer, b.info.layer) << a.info.name;
    EXPECT_EQ(a.mesh.triangleCount(), b.mesh.triangleCount()) << a.info.name;
    EXPECT_EQ(a.mesh.vertexCount(), b.mesh.vertexCount()) << a.info.name;
    expectSameBounds(a.mesh.bounds(), b.mesh.bounds());
    expectOutwardFacing(a.mesh, glm::vec3(0.0f));
  }
}

// ---------------------------------------------------------------------------------------------
// Mesh, model and error basics

TEST(ModelLoaderBasics, BoundsGrowAndMeasure) {
  Bounds box;
  EXPECT_TRUE(box.empty());
  EXPECT_EQ(box.size(), glm::vec3(0.0f));
  EXPECT_EQ(box.radius(), 0.0f);
  box.extend(glm::vec3(1, 2, 3));
  EXPECT_FALSE(box.empty());
  EXPECT_EQ(box.radius(), 0.0f);
  box.extend(glm::vec3(-1, -2, -3));
  EXPECT_EQ(box.centre(), glm::vec3(0.0f));
  EXPECT_EQ(box.size(), glm::vec3(2, 4, 6));
  EXPECT_NEAR(box.radius(), std::sqrt(14.0f), 1e-5f);
  Bounds other;
  other.extend(glm::vec3(5, 0, 0));
  box.extend(other);
  EXPECT_EQ(box.max.x, 5.0f);
  box.extend(Bounds{});
  EXPECT_EQ(box.min, glm::vec3(-1, -2, -3));
}

TEST(ModelLoaderBasics, ComputeNormalsOfASphereAreRadial) {
  MeshData mesh = test::makeIcosphere(2);
  mesh.normals.clear();
  mesh.computeNormals();
  ASSERT_EQ(mesh.normals.size(), mesh.positions.size());
  for (std::size_t i = 0; i < mesh.positions.size(); ++i) {
    EXPECT_GT(glm::dot(mesh.normals[i], glm::normalize(mesh.positions[i])), 0.99f);
    EXPECT_NEAR(glm::length(mesh.normals[i]), 1.0f, 1e-5f);
  }
}

TEST(ModelLoaderBasics, ComputeNormalsSurvivesUnusedAndBadVertices) {
  MeshData mesh;
  mesh.positions = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {5, 5, 5}};
  mesh.indices = {0, 1, 2, 0, 1, 9}; // the second triangle is out of range
  mesh.computeNormals();
  ASSERT_EQ(mesh.normals.size(), 4u);
  EXPECT_NEAR(mesh.normals[0].z, 1.0f, 1e-6f);
  EXPECT_NEAR(glm::length(mesh.normals[3]), 1.0f, 1e-6f);
}

TEST(ModelLoaderBasics, ModelFindCountAndBounds) {
  const Model model = test::makeNestedShells(1);
  EXPECT_EQ(model.triangleCount(), 5u * 80u);
  EXPECT_EQ(model.find("muscle_block"), 3u);
  EXPECT_FALSE(model.find("nothing"));
  EXPECT_NEAR(model.bounds().size().x, 0.35f, 1e-3f);
  EXPECT_NEAR(model.bounds().size().y, 0.9f, 1e-3f);
  EXPECT_NEAR(model.bounds().size().z, 0.25f, 1e-3f);
}

TEST(ModelLoaderBasics, InputErrorMessage) {
  const InputError error("models/body.glb", "the file is empty");
  EXPECT_STREQ(error.what(), "models/body.glb: the file is empty");
  EXPECT_EQ(error.file(), fs::path("models/body.glb"));
  EXPECT_EQ(error.reason(), "the file is empty");
}

TEST(ModelLoaderBasics, GeneratorsAreDeterministicAndExact) {
  const Model a = test::makeSphereSoup(1001, 7);
  const Model b = test::makeSphereSoup(1001, 7);
  EXPECT_EQ(a.triangleCount(), 1001u);
  ASSERT_EQ(a.structures.size(), b.structures.size());
  EXPECT_EQ(a.structures[0].mesh.positions, b.structures[0].mesh.positions);
  EXPECT_NO_THROW(validateModel(a, "soup"));
  const Model shells = test::makeNestedShells(2);
  EXPECT_NO_THROW(validateModel(shells, "shells"));
  for (const Structure& s : shells.structures) {
    expectOutwardFacing(s.mesh, glm::vec3(0.0f));
  }
}

// ---------------------------------------------------------------------------------------------
// validateModel

Model oneTriangle() {
  Model model;
  Structure s;
  s.info.name = "x";
  s.mesh.positions = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}};
  s.mesh.normals = {{0, 0, 1}, {0, 0, 1}, {0, 0, 1}};
  s.mesh.indices = {0, 1, 2};
  model.structures.push_back(s);
  return model;
}

std::string validateError(const Model& model) {
  try {
    validateModel(model, "body.obj");
  } catch (const InputError& error) {
    EXPECT_TRUE(containsText(error.what(), "body.obj")) << error.what();
    return error.what();
  }
  ADD_FAILURE() << "validateModel accepted a bad model";
  return {};
}

TEST(ModelLoaderValidate, AcceptsAGoodModel) { EXPECT_NO_THROW(validateModel(oneTriangle(), "f")); }

TEST(ModelLoaderValidate, RefusesEachBrokenInvariant) {
  Model model = oneTriangle();
  model.structures[0].mesh.positions[2].y = std::numeric_limits<float>::quiet_NaN();
  EXPECT_TRUE(
      containsText(validateError(model), "vertex 2 of structure 'x' is not a finite number"));

  model = oneTriangle();
  model.structures[0].mesh.positions[1].x = std::numeric_limits<float>::infinity();
  EXPECT_TRUE(containsText(validateError(model), "vertex 1 of structure 'x'"));

  model = oneTriangle();
  model.structures[0].mesh.normals[0].z = std::numeric_limits<float>::quiet_NaN();
  EXPECT_TRUE(containsText(validateError(model), "normal"));

  model = oneTriangle();
  model.structures[0].mesh.normals.pop_back();
  EXPECT_TRUE(containsText(validateError(model), "normals"));

  model = oneTriangle();
  model.structures[0].mesh.fibres = {{1, 0, 0}};
  EXPECT_TRUE(containsText(validateError(model), "fibre"));

  model = oneTriangle();
  model.structures[0].mesh.indices[1] = 3;
  EXPECT_TRUE(containsText(validateError(model), "uses vertex 3"));

  model = oneTriangle();
  model.structures[0].mesh.indices.push_back(0);
  EXPECT_TRUE(containsText(validateError(model), "indices"));

  model = oneTriangle();
  model.structures[0].mesh.indices.clear();
  EXPECT_TRUE(containsText(validateError(model), "no triangles"));

  EXPECT_TRUE(containsText(validateError(Model{}), "no triangles"));

  model = oneTriangle();
  model.structures.push_back(model.structures[0]);
  EXPECT_TRUE(containsText(validateError(model), "two structures are named 'x'"));
}

// ---------------------------------------------------------------------------------------------
// Formats

TEST(ModelLoader, LoadsObjWithOneStructurePerObject) {
  const TempDir dir;
  const Model shells = test::makeNestedShells(1);
  test::writeObj(shells, dir / "shells.obj");
  const Model loaded = loadModel(dir / "shells.obj");
  EXPECT_EQ(loaded.source, dir / "shells.obj");
  expectShells(loaded, shells);
  EXPECT_TRUE(loaded.structures[3].mesh.fibres.empty()); // OBJ has no tangents
}

TEST(ModelLoader, LoadsGltfTextWithEmbeddedBuffer) {
  const TempDir dir;
  const Model shells = test::makeNestedShells(2);
  test::writeGltf(shells, dir / "shells.gltf");
  expectShells(loadModel(dir / "shells.gltf"), shells);
}

TEST(ModelLoader, LoadsGlb) {
  const TempDir dir;
  const Model shells = test::makeNestedShells(1);
  test::writeGltf(shells, dir / "shells.glb");
  expectShells(loadModel(dir / "shells.glb"), shells);
}

TEST(ModelLoader, LoadsBinaryPlyNamedAfterTheFile) {
  const TempDir dir;
  const MeshData sphere = test::makeEllipsoid({0.1f, 0.2f, 0.1f}, 2);
  test::writeBinaryPly(sphere, dir / "bone_core.ply");
  const Model loaded = loadModel(dir / "bone_core.ply");
  ASSERT_EQ(loaded.structures.size(), 1u);
  EXPECT_EQ(loaded.structures[0].info.name, "bone_core");
  EXPECT_EQ(loaded.structures[0].info.layer, Layer::Bone);
  EXPECT_EQ(loaded.structures[0].mesh.triangleCount(), sphere.triangleCount());
  expectSameBounds(loaded.bounds(), sphere.bounds());
  expectOutwardFacing(loaded.structures[0].mesh, glm::vec3(0.0f));
}

TEST(ModelLoader, LoadsStlWeldedAndSmooth) {
  const TempDir dir;
  const MeshData sphere = test::makeIcosphere(2);
  test::writeStl(sphere, dir / "Deltoid.stl");
  const Model loaded = loadModel(dir / "Deltoid.stl");
  ASSERT_EQ(loaded.structures.size(), 1u);
  const Structure& s = loaded.structures[0];
  EXPECT_EQ(s.info.name, "Deltoid");
  EXPECT_EQ(s.info.layer, Layer::Muscle);
  EXPECT_EQ(s.mesh.triangleCount(), sphere.triangleCount());
  // STL repeats each corner per facet; the loader welds them and smooths the normals.
  EXPECT_EQ(s.mesh.vertexCount(), sphere.vertexCount());
  for (std::size_t i = 0; i < s.mesh.vertexCount(); ++i) {
    EXPECT_GT(glm::dot(s.mesh.normals[i], glm::normalize(s.mesh.positions[i])), 0.98f);
  }
}

TEST(ModelLoader, ComputesMissingNormals) {
  const TempDir dir;
  test::writeBytes(dir / "skin.obj", "o skin\nv 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n");
  const Model loaded = loadModel(dir / "skin.obj");
  ASSERT_EQ(loaded.structures.size(), 1u);
  ASSERT_EQ(loaded.structures[0].mesh.normals.size(), 3u);
  for (const glm::vec3& n : loaded.structures[0].mesh.normals) {
    EXPECT_NEAR(n.z, 1.0f, 1e-5f);
  }
}

TEST(ModelLoader, NamelessMeshesAreNamedAfterTheFile) {
  const TempDir dir;
  test::writeBytes(dir / "femur.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n");
  const Model loaded = loadModel(dir / "femur.obj");
  ASSERT_EQ(loaded.structures.size(), 1u);
  EXPECT_EQ(loaded.structures[0].info.name, "femur");
  EXPECT_EQ(loaded.structures[0].info.layer, Layer::Bone);
}

TEST(ModelLoader, AsciiStlUsesTheSolidName) {
  const TempDir dir;
  test::writeBytes(dir / "part.stl",
                   "solid Trapezius\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\n"
                   "vertex 0 1 0\nendloop\nendfacet\nendsolid Trapezius\n");
  const Model loaded = loadModel(dir / "part.stl");
  ASSERT_EQ(loaded.structures.size(), 1u);
  EXPECT_EQ(loaded.structures[0].info.name, "Trapezius");
  EXPECT_EQ(loaded.structures[0].info.layer, Layer::Muscle);
}

TEST(ModelLoader, TriangulatesPolygonsAndDropsLines) {
  const TempDir dir;
  test::writeBytes(dir / "quad.obj",
                   "o plate\nv 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nf 1 2 3 4\nl 1 3\n");
  const Model loaded = loadModel(dir / "quad.obj");
  EXPECT_EQ(loaded.triangleCount(), 2u);
}

TEST(ModelLoader, ReadsFibresFromTangents) {
  const TempDir dir;
  const Model shells = test::makeNestedShells(2);
  test::writeGltf(shells, dir / "fibres.gltf");
  const Model loaded = loadModel(dir / "fibres.gltf");
  const Structure& muscle = loaded.structures[*loaded.find("muscle_block")];
  const MeshData& original = shells.structures[3].mesh;
  ASSERT_FALSE(original.fibres.empty());
  ASSERT_EQ(muscle.mesh.fibres.size(), muscle.mesh.positions.size());
  for (std::size_t i = 0; i < muscle.mesh.positions.size(); ++i) {
    EXPECT_NEAR(glm::length(muscle.mesh.fibres[i]), 1.0f, 1e-4f);
    // Find the same vertex in the generated mesh (the loader may reorder vertices).
    const auto it =
        std::find_if(original.positions.begin(), original.positions.end(), [&](const glm::vec3& p) {
          return glm::length(p - muscle.mesh.positions[i]) < 1e-6f;
        });
    ASSERT_NE(it, original.positions.end());
    const glm::vec3 expected =
        original.fibres[static_cast<std::size_t>(it - original.positions.begin())];
    EXPECT_GT(glm::dot(muscle.mesh.fibres[i], expected), 0.999f) << "vertex " << i;
  }
  EXPECT_TRUE(loaded.structures[0].mesh.fibres.empty());
}

TEST(ModelLoader, FibresAreNormalised) {
  const TempDir dir;
  Model model = test::makeNestedShells(0);
  model.structures.resize(1);
  model.structures[0].mesh.fibres.assign(model.structures[0].mesh.vertexCount(), {0, 3, 0});
  test::writeGltf(model, dir / "long.gltf");
  const Model loaded = loadModel(dir / "long.gltf");
  for (const glm::vec3& f : loaded.structures[0].mesh.fibres) {
    EXPECT_NEAR(f.y, 1.0f, 1e-5f);
  }
}

/// Writes the shells as glTF and lets `edit` change the JSON before it is saved again.
template <typename Edit>
fs::path editedGltf(const TempDir& dir, const Model& model, Edit edit) {
  const fs::path file = dir / "edited.gltf";
  test::writeGltf(model, file);
  nlohmann::json document = nlohmann::json::parse(test::readBytes(file));
  edit(document);
  test::writeBytes(file, document.dump());
  return file;
}

TEST(ModelLoader, AppliesNodeTransforms) {
  const TempDir dir;
  Model model = test::makeNestedShells(1);
  model.structures.resize(1);
  const fs::path file = editedGltf(dir, model, [](nlohmann::json& doc) {
    doc["nodes"][0]["translation"] = {1.0, 2.0, 3.0};
    doc["nodes"][0]["scale"] = {2.0, 1.0, 1.0};
  });
  const Model loaded = loadModel(file);
  const Bounds box = loaded.bounds();
  EXPECT_NEAR(box.centre().x, 1.0f, 1e-4f);
  EXPECT_NEAR(box.centre().y, 2.0f, 1e-4f);
  EXPECT_NEAR(box.centre().z, 3.0f, 1e-4f);
  EXPECT_NEAR(box.size().x, 0.7f, 1e-3f);
  EXPECT_NEAR(box.size().y, 0.9f, 1e-3f);
  expectOutwardFacing(loaded.structures[0].mesh, glm::vec3(1, 2, 3));
}

TEST(ModelLoader, NestedTransformsCompose) {
  const TempDir dir;
  Model model = test::makeNestedShells(1);
  model.structures.resize(1);
  const fs::path file = editedGltf(dir, model, [](nlohmann::json& doc) {
    doc["nodes"].push_back({{"name", "parent"}, {"children", {0}}, {"translation", {0, 5, 0}}});
    doc["scenes"][0]["nodes"] = {1};
    doc["nodes"][0]["translation"] = {1.0, 0.0, 0.0};
  });
  const Bounds box = loadModel(file).bounds();
  EXPECT_NEAR(box.centre().x, 1.0f, 1e-4f);
  EXPECT_NEAR(box.centre().y, 5.0f, 1e-4f);
}

TEST(ModelLoader, MirroringTransformKeepsTrianglesOutwardFacing) {
  const TempDir dir;
  Model model = test::makeNestedShells(1);
  model.structures.resize(1);
  const fs::path file = editedGltf(dir, model, [](nlohmann::json& doc) {
    doc["nodes"][0]["scale"] = {-1.0, 1.0, 1.0};
  });
  expectOutwardFacing(loadModel(file).structures[0].mesh, glm::vec3(0.0f));
}

TEST(ModelLoader, RepeatedNamesBecomeUnique) {
  const TempDir dir;
  Model model = test::makeNestedShells(0);
  model.structures.resize(3);
  for (Structure& s : model.structures) {
    s.info.name = "skin";
  }
  test::writeGltf(model, dir / "same.gltf");
  const Model loaded = loadModel(dir / "same.gltf");
  ASSERT_EQ(loaded.structures.size(), 3u);
  EXPECT_EQ(loaded.structures[0].info.name, "skin");
  EXPECT_EQ(loaded.structures[1].info.name, "skin_2");
  EXPECT_EQ(loaded.structures[2].info.name, "skin_3");
  for (const Structure& s : loaded.structures) {
    EXPECT_EQ(s.info.layer, Layer::Skin);
  }
}

TEST(ModelLoader, GltfPrimitivesOfOneMeshFormOneStructure) {
  const TempDir dir;
  Model model = test::makeNestedShells(1);
  model.structures.resize(3);
  const fs::path file = editedGltf(dir, model, [](nlohmann::json& doc) {
    // Mesh 0 gets a second primitive (as a second material would give it).
    doc["meshes"][0]["primitives"].push_back(doc["meshes"][1]["primitives"][0]);
  });
  const Model loaded = loadModel(file);
  ASSERT_EQ(loaded.structures.size(), 3u);
  EXPECT_EQ(loaded.structures[0].info.name, "skin");
  EXPECT_EQ(loaded.structures[0].mesh.triangleCount(),
            2 * model.structures[0].mesh.triangleCount());
  EXPECT_EQ(loaded.structures[1].info.name, "superficial_fascia");
  EXPECT_NO_THROW(validateModel(loaded, file));
}

TEST(ModelLoader, ObjMaterialsOfOneObjectFormOneStructure) {
  const TempDir dir;
  test::writeBytes(dir / "two.obj", "o rhomboid\nv 0 0 0\nv 1 0 0\nv 0 1 0\nv 1 1 0\n"
                                    "usemtl a\nf 1 2 3\nusemtl b\nf 2 4 3\n");
  const Model loaded = loadModel(dir / "two.obj");
  ASSERT_EQ(loaded.structures.size(), 1u);
  EXPECT_EQ(loaded.structures[0].info.name, "rhomboid");
  EXPECT_EQ(loaded.triangleCount(), 2u);
}

TEST(ModelLoader, RepeatedMeshNameFallsBackToNodeName) {
  const TempDir dir;
  Model model = test::makeNestedShells(0);
  model.structures.resize(2);
  const fs::path file = editedGltf(dir, model, [](nlohmann::json& doc) {
    doc["meshes"][0]["name"] = "shell";
    doc["meshes"][1]["name"] = "shell";
    doc["nodes"][0]["name"] = "rhomboid_left";
    doc["nodes"][1]["name"] = "rhomboid_right";
  });
  const Model loaded = loadModel(file);
  ASSERT_EQ(loaded.structures.size(), 2u);
  EXPECT_EQ(loaded.structures[0].info.name, "rhomboid_left");
  EXPECT_EQ(loaded.structures[1].info.name, "rhomboid_right");
  EXPECT_EQ(loaded.structures[1].info.layer, Layer::Muscle);
}

// ---------------------------------------------------------------------------------------------
// Layer and metadata precedence: manifest > glTF extras > name rules > other

TEST(ModelLoader, NameRulesAssignLayersWithoutManifestOrExtras) {
  const TempDir dir;
  Model model = test::makeNestedShells(0);
  model.structures[0].info.name = "gluteal_fascia";
  model.structures[1].info.name = "vertebra_l4";
  model.structures[2].info.name = "blob";
  model.structures.resize(3);
  test::writeObj(model, dir / "named.obj");
  const Model loaded = loadModel(dir / "named.obj");
  EXPECT_EQ(loaded.structures[0].info.layer, Layer::DeepFascia);
  EXPECT_EQ(loaded.structures[1].info.layer, Layer::Bone);
  EXPECT_EQ(loaded.structures[2].info.layer, Layer::Other);
  EXPECT_TRUE(loaded.structures[2].info.displayName.empty());
}

TEST(ModelLoader, GltfExtrasOverrideNameRules) {
  const TempDir dir;
  Model model = test::makeNestedShells(0);
  model.structures.resize(2);
  model.structures[0].info.layer = Layer::Bone; // named "skin", but the extras say bone
  model.structures[0].info.latinName = "Cutis";
  model.structures[0].info.fmaId = "FMA:7163";
  model.structures[1].info.name = "part_17"; // no name rule matches
  model.structures[1].info.layer = Layer::DeepFascia;
  test::writeGltf(model, dir / "extras.gltf", true);
  const Model loaded = loadModel(dir / "extras.gltf");
  const StructureInfo& skin = loaded.structures[0].info;
  EXPECT_EQ(skin.layer, Layer::Bone);
  EXPECT_EQ(skin.displayName, "Skin");
  EXPECT_EQ(skin.latinName, "Cutis");
  EXPECT_EQ(skin.fmaId, "FMA:7163");
  EXPECT_EQ(skin.group, "Test shells");
  EXPECT_EQ(skin.side, "midline");
  EXPECT_EQ(skin.description, model.structures[0].info.description);
  EXPECT_EQ(loaded.structures[1].info.layer, Layer::DeepFascia);
}

TEST(ModelLoader, UnknownLayerInExtrasFallsBackToNameRules) {
  const TempDir dir;
  Model model = test::makeNestedShells(0);
  model.structures.resize(1);
  const fs::path file = editedGltf(dir, model, [](nlohmann::json& doc) {
    doc["nodes"][0]["extras"] = {{"layer", "Collection 3"}, {"displayName", "Outer skin"}};
  });
  const Model loaded = loadModel(file);
  EXPECT_EQ(loaded.structures[0].info.layer, Layer::Skin);
  EXPECT_EQ(loaded.structures[0].info.displayName, "Outer skin");
}

TEST(ModelLoader, ManifestOverridesExtrasAndNameRules) {
  const TempDir dir;
  Model model = test::makeNestedShells(0);
  model.structures.resize(3);
  model.structures[0].info.layer = Layer::Muscle; // extras: muscle
  test::writeGltf(model, dir / "body.gltf", true);
  test::writeBytes(dir / "body.manifest.json", R"({
    "format": "fascia-manifest", "version": 1,
    "structures": {
      "skin": {"layer": "other", "displayName": "Manifest skin", "colour": [0.1, 0.2, 0.3]},
      "superficial_fascia": {"description": "From the manifest."},
      "not_in_the_model": {"layer": "bone"}
    }
  })");
  const Model loaded = loadModel(dir / "body.gltf");
  const StructureInfo& skin = loaded.structures[0].info;
  EXPECT_EQ(skin.layer, Layer::Other);          // manifest beats extras (muscle)
  EXPECT_EQ(skin.displayName, "Manifest skin"); // manifest beats extras ("Skin")
  EXPECT_EQ(skin.group, "Test shells");         // extras kept where the manifest is silent
  EXPECT_EQ(skin.colour, glm::vec3(0.1f, 0.2f, 0.3f));
  const StructureInfo& fat = loaded.structures[1].info;
  EXPECT_EQ(fat.layer, Layer::SuperficialFascia);
  EXPECT_EQ(fat.description, "From the manifest.");
  EXPECT_EQ(loaded.structures[2].info.layer, Layer::DeepFascia);
  EXPECT_EQ(loaded.structures.size(), 3u); // unknown manifest entries add nothing
}

TEST(ModelLoader, ManifestAppliesToObj) {
  const TempDir dir;
  Model model = test::makeNestedShells(0);
  for (Structure& s : model.structures) {
    s.info.name = "piece_" + s.info.name.substr(0, 3);
  }
  test::writeObj(model, dir / "pieces.obj");
  model.structures[0].info.layer = Layer::Bone;
  test::writeManifest(model, dir / "pieces.manifest.json");
  const Model loaded = loadModel(dir / "pieces.obj");
  EXPECT_EQ(loaded.structures[0].info.layer, Layer::Bone);
  EXPECT_EQ(loaded.structures[0].info.displayName, "Skin");
  EXPECT_EQ(loaded.structures[4].info.layer, Layer::Bone);
  EXPECT_EQ(loaded.structures[3].info.layer, Layer::Muscle);
}

// ---------------------------------------------------------------------------------------------
// Folders

TEST(ModelLoader, LoadsAFolderOneStructurePerFileSortedByName) {
  const TempDir dir;
  const Model shells = test::makeNestedShells(1);
  Model skin;
  skin.structures = {shells.structures[0]};
  test::writeObj(skin, dir / "skin.obj");
  test::writeStl(shells.structures[2].mesh, dir / "deep_fascia.stl");
  test::writeBinaryPly(shells.structures[4].mesh, dir / "bone_core.ply");
  Model muscles;
  muscles.structures = {shells.structures[3], shells.structures[3]};
  muscles.structures[1].info.name = "second";
  test::writeGltf(muscles, dir / "muscles.glb");
  test::writeBytes(dir / "notes.txt", "not a mesh");
  test::writeBytes(dir / ".hidden.obj", "garbage");
  fs::create_directory(dir / "sub.obj");
  test::writeBytes(dir / "manifest.json",
                   R"({"version": 1, "structures": {"skin": {"displayName": "The skin"}}})");

  std::vector<float> fractions;
  const Model loaded =
      loadModel(dir.path(), [&](float f, std::string_view) { fractions.push_back(f); });
  ASSERT_EQ(loaded.structures.size(), 4u);
  EXPECT_EQ(loaded.source, dir.path());
  EXPECT_EQ(loaded.structures[0].info.name, "bone_core");
  EXPECT_EQ(loaded.structures[1].info.name, "deep_fascia");
  EXPECT_EQ(loaded.structures[2].info.name, "muscles");
  EXPECT_EQ(loaded.structures[3].info.name, "skin");
  EXPECT_EQ(loaded.structures[0].info.layer, Layer::Bone);
  EXPECT_EQ(loaded.structures[1].info.layer, Layer::DeepFascia);
  EXPECT_EQ(loaded.structures[2].info.layer, Layer::Muscle);
  EXPECT_EQ(loaded.structures[3].info.layer, Layer::Skin);
  EXPECT_EQ(loaded.structures[3].info.displayName, "The skin");
  // Both meshes of muscles.glb merged into one structure, fibres kept.
  EXPECT_EQ(loaded.structures[2].mesh.triangleCount(),
            2 * shells.structures[3].mesh.triangleCount());
  EXPECT_EQ(loaded.structures[2].mesh.fibres.size(), loaded.structures[2].mesh.vertexCount());
  EXPECT_NO_THROW(validateModel(loaded, dir.path()));
  ASSERT_FALSE(fractions.empty());
  EXPECT_TRUE(std::is_sorted(fractions.begin(), fractions.end()));
  EXPECT_FLOAT_EQ(fractions.back(), 1.0f);
}

TEST(ModelLoader, FolderFilesUseTheirGltfExtras) {
  const TempDir dir;
  Model model = test::makeNestedShells(0);
  model.structures.resize(1);
  model.structures[0].info.layer = Layer::DeepFascia;
  test::writeGltf(model, dir / "mystery.gltf", true);
  const Model loaded = loadModel(dir.path());
  ASSERT_EQ(loaded.structures.size(), 1u);
  EXPECT_EQ(loaded.structures[0].info.name, "mystery");
  EXPECT_EQ(loaded.structures[0].info.layer, Layer::DeepFascia);
  EXPECT_EQ(loaded.structures[0].info.displayName, "Skin");
}

TEST(ModelLoader, EmptyFolderIsRefused) {
  const TempDir dir;
  EXPECT_TRUE(containsText(loadError(dir.path()), "no mesh files"));
  test::writeBytes(dir / "manifest.json", R"({"version": 1, "structures": {}})");
  test::writeBytes(dir / "readme.txt", "hello");
  EXPECT_TRUE(containsText(loadError(dir.path()), "no mesh files"));
}

TEST(ModelLoader, BadFileInAFolderIsNamed) {
  const TempDir dir;
  test::writeObj(test::makeNestedShells(0), dir / "a_good.obj");
  test::writeBytes(dir / "b_broken.glb", "glTF\x02garbage");
  loadError(dir.path(), dir / "b_broken.glb");
}

TEST(ModelLoader, BadManifestInAFolderIsNamed) {
  const TempDir dir;
  test::writeObj(test::makeNestedShells(0), dir / "skin.obj");
  test::writeBytes(dir / "manifest.json",
                   R"({"version": 1, "structures": {"skin": {"layer": "hide"}}})");
  const std::string message = loadError(dir.path(), dir / "manifest.json");
  EXPECT_TRUE(containsText(message, "\"layer\"")) << message;
}

// ---------------------------------------------------------------------------------------------
// Progress

TEST(ModelLoader, ProgressIsMonotoneAndEndsAtOne) {
  const TempDir dir;
  test::writeGltf(test::makeNestedShells(2), dir / "shells.glb");
  std::vector<std::pair<float, std::string>> reports;
  loadModel(dir / "shells.glb",
            [&](float f, std::string_view stage) { reports.emplace_back(f, std::string(stage)); });
  ASSERT_GE(reports.size(), 4u);
  EXPECT_FLOAT_EQ(reports.front().first, 0.0f);
  EXPECT_FLOAT_EQ(reports.back().first, 1.0f);
  for (std::size_t i = 0; i < reports.size(); ++i) {
    EXPECT_GE(reports[i].first, 0.0f);
    EXPECT_LE(reports[i].first, 1.0f);
    EXPECT_FALSE(reports[i].second.empty());
    if (i > 0) {
      EXPECT_GE(reports[i].first, reports[i - 1].first) << "report " << i;
    }
  }
  const auto hasStage = [&](const std::string& stage) {
    return std::any_of(reports.begin(), reports.end(),
                       [&](const auto& r) { return r.second == stage; });
  };
  EXPECT_TRUE(hasStage("reading"));
  EXPECT_TRUE(hasStage("meshes"));
}

// ---------------------------------------------------------------------------------------------
// Bad input: every case is an InputError naming the file, never a crash

TEST(ModelLoaderErrors, MissingFile) {
  const TempDir dir;
  EXPECT_TRUE(containsText(loadError(dir / "absent.glb"), "no such file"));
}

TEST(ModelLoaderErrors, MissingManifestIsFine) {
  const TempDir dir;
  test::writeObj(test::makeNestedShells(0), dir / "plain.obj");
  EXPECT_NO_THROW(loadModel(dir / "plain.obj"));
}

TEST(ModelLoaderErrors, EmptyFile) {
  const TempDir dir;
  for (const char* name : {"empty.obj", "empty.glb", "empty.stl", "empty.ply"}) {
    test::writeBytes(dir / name, "");
    EXPECT_TRUE(containsText(loadError(dir / name), "empty")) << name;
  }
}

TEST(ModelLoaderErrors, TruncatedGlb) {
  const TempDir dir;
  test::writeGltf(test::makeNestedShells(2), dir / "whole.glb");
  const std::string bytes = test::readBytes(dir / "whole.glb");
  for (std::size_t keep : {bytes.size() / 2, bytes.size() - 4, std::size_t{30}, std::size_t{11}}) {
    test::writeBytes(dir / "cut.glb", std::string_view(bytes).substr(0, keep));
    EXPECT_TRUE(containsText(loadError(dir / "cut.glb"), "cannot read the model")) << keep;
  }
}

TEST(ModelLoaderErrors, TruncatedGltfText) {
  const TempDir dir;
  test::writeGltf(test::makeNestedShells(1), dir / "whole.gltf");
  const std::string bytes = test::readBytes(dir / "whole.gltf");
  test::writeBytes(dir / "cut.gltf", std::string_view(bytes).substr(0, bytes.size() / 2));
  loadError(dir / "cut.gltf");
}

TEST(ModelLoaderErrors, TruncatedPly) {
  const TempDir dir;
  test::writeBinaryPly(test::makeIcosphere(2), dir / "whole.ply");
  const std::string bytes = test::readBytes(dir / "whole.ply");
  test::writeBytes(dir / "cut.ply", std::string_view(bytes).substr(0, bytes.size() / 2));
  EXPECT_TRUE(containsText(loadError(dir / "cut.ply"), "truncated"));
}

TEST(ModelLoaderErrors, TruncatedStl) {
  const TempDir dir;
  test::writeStl(test::makeIcosphere(2), dir / "whole.stl");
  const std::string bytes = test::readBytes(dir / "whole.stl");
  test::writeBytes(dir / "cut.stl", std::string_view(bytes).substr(0, bytes.size() / 2));
  loadError(dir / "cut.stl");
}

TEST(ModelLoaderErrors, GarbageBytes) {
  const TempDir dir;
  std::string garbage;
  unsigned state = 12345;
  for (int i = 0; i < 4096; ++i) {
    state = state * 1103515245u + 12345u;
    garbage.push_back(static_cast<char>(state >> 16));
  }
  for (const char* name : {"noise.glb", "noise.gltf", "noise.obj", "noise.ply", "noise.stl",
                           "noise.fbx", "noise.dae", "noise.xyz"}) {
    test::writeBytes(dir / name, garbage);
    loadError(dir / name);
  }
}

TEST(ModelLoaderErrors, UnknownFormatSaysSo) {
  const TempDir dir;
  test::writeBytes(dir / "model.xyz", "hello world\n");
  EXPECT_TRUE(containsText(loadError(dir / "model.xyz"), "'.xyz' is not a format"));
}

TEST(ModelLoaderErrors, NoTriangles) {
  const TempDir dir;
  test::writeBytes(dir / "lines.obj", "o wire\nv 0 0 0\nv 1 0 0\nv 0 1 0\nl 1 2\nl 2 3\n");
  EXPECT_TRUE(containsText(loadError(dir / "lines.obj"), "the model contains no triangles"));
  test::writeBytes(dir / "points.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\np 1 2 3\n");
  loadError(dir / "points.obj");
  test::writeBytes(dir / "vertices.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\n");
  EXPECT_TRUE(containsText(loadError(dir / "vertices.obj"), "the model contains no triangles"));
  Model empty;
  empty.structures.resize(1);
  empty.structures[0].info.name = "nothing";
  test::writeBinaryPly(empty.structures[0].mesh, dir / "nothing.ply");
  loadError(dir / "nothing.ply");
}

TEST(ModelLoaderErrors, NonFiniteVertices) {
  const TempDir dir;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  for (float bad : {nan, inf, -inf}) {
    MeshData mesh = test::makeIcosphere(1);
    mesh.positions[12].y = bad;
    test::writeBinaryPly(mesh, dir / "bad_vertex.ply");
    const std::string message = loadError(dir / "bad_vertex.ply");
    EXPECT_TRUE(containsText(message, "vertex ")) << message;
    EXPECT_TRUE(containsText(message, "of structure 'bad_vertex' is not a finite number"))
        << message;
  }
  Model model = test::makeNestedShells(0);
  model.structures[2].mesh.positions[5].x = nan;
  test::writeGltf(model, dir / "nan.glb");
  EXPECT_TRUE(containsText(loadError(dir / "nan.glb"), "structure 'deep_fascia'"));
}

TEST(ModelLoaderErrors, NonFiniteNormalsAreRecomputed) {
  const TempDir dir;
  MeshData mesh = test::makeIcosphere(1);
  mesh.normals[3] = glm::vec3(std::numeric_limits<float>::quiet_NaN());
  test::writeBinaryPly(mesh, dir / "normals.ply");
  const Model loaded = loadModel(dir / "normals.ply");
  expectOutwardFacing(loaded.structures[0].mesh, glm::vec3(0.0f));
}

TEST(ModelLoaderErrors, IndicesOutOfRange) {
  const TempDir dir;
  MeshData mesh = test::makeIcosphere(1);
  mesh.indices[7] = 100000;
  test::writeBinaryPly(mesh, dir / "bad_index.ply");
  loadError(dir / "bad_index.ply");
  test::writeBytes(dir / "bad_index.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 9\n");
  loadError(dir / "bad_index.obj");
  // Assimp 5.2's glTF reader drops a triangle with an out-of-range index (with a log line)
  // instead of failing; what matters is that nothing reads outside the vertex array.
  Model model = test::makeNestedShells(0);
  model.structures[1].mesh.indices[4] = 999;
  test::writeGltf(model, dir / "bad_index.gltf");
  const Model loaded = loadModel(dir / "bad_index.gltf");
  EXPECT_EQ(loaded.structures[1].mesh.triangleCount(),
            model.structures[1].mesh.triangleCount() - 1);
  EXPECT_NO_THROW(validateModel(loaded, dir / "bad_index.gltf"));
}

TEST(ModelLoaderErrors, AbsurdCountsInHeaders) {
  const TempDir dir;
  test::writeBytes(dir / "huge.ply",
                   "ply\nformat binary_little_endian 1.0\nelement vertex 4000000000\n"
                   "property float x\nproperty float y\nproperty float z\nelement face 4000000000\n"
                   "property list uchar uint vertex_indices\nend_header\n0000000000000000");
  EXPECT_TRUE(containsText(loadError(dir / "huge.ply"), "truncated or corrupt"));
  std::string stl(80, ' ');
  stl += std::string("\xff\xff\xff\x7f", 4); // two billion facets in a 100-byte file
  stl += std::string(16, '\0');
  test::writeBytes(dir / "huge.stl", stl);
  loadError(dir / "huge.stl");
}

TEST(ModelLoaderErrors, BadManifestNextToAModel) {
  const TempDir dir;
  test::writeObj(test::makeNestedShells(0), dir / "body.obj");
  test::writeBytes(dir / "body.manifest.json", R"({"version": 7, "structures": {}})");
  const std::string newer = loadError(dir / "body.obj", dir / "body.manifest.json");
  EXPECT_TRUE(containsText(newer, "newer Fascia Atlas")) << newer;
  test::writeBytes(dir / "body.manifest.json", "{ not json");
  loadError(dir / "body.obj", dir / "body.manifest.json");
  test::writeBytes(dir / "body.manifest.json",
                   R"({"version": 1, "structures": {"skin": {"colour": [2, 0, 0]}}})");
  const std::string colour = loadError(dir / "body.obj", dir / "body.manifest.json");
  EXPECT_TRUE(containsText(colour, "skin") && containsText(colour, "\"colour\"")) << colour;
}

TEST(ModelLoaderErrors, NotARegularFile) { loadError("/dev/null"); }

/// Runs `check` in a child process with the user and group ids of "nobody" (65534) and returns
/// its verdict, or nothing when the ids cannot be changed. Root reads every file whatever its
/// permissions, so the permission tests drop root's powers this way when CI runs them as root.
std::optional<bool> asUnprivilegedUser(const std::function<bool()>& check) {
  const pid_t child = ::fork();
  if (child < 0) {
    return std::nullopt;
  }
  if (child == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) {
      ::_exit(2);
    }
    bool passed = false;
    try {
      passed = check();
    } catch (...) {
      passed = false;
    }
    ::_exit(passed ? 0 : 1);
  }
  int status = 0;
  if (::waitpid(child, &status, 0) != child || !WIFEXITED(status)) {
    return false;
  }
  if (WEXITSTATUS(status) == 2) {
    return std::nullopt;
  }
  return WEXITSTATUS(status) == 0;
}

/// Checks that loading `path` fails with an InputError containing every one of `words`: directly
/// when not root, else in a child process running as "nobody".
void expectUnreadable(const fs::path& path, const std::vector<std::string>& words) {
  if (::geteuid() != 0) {
    const std::string message = loadError(path);
    for (const std::string& word : words) {
      EXPECT_TRUE(containsText(message, word)) << message;
    }
    return;
  }
  const std::optional<bool> verdict = asUnprivilegedUser([&] {
    try {
      loadModel(path);
    } catch (const InputError& error) {
      return std::all_of(words.begin(), words.end(),
                         [&](const std::string& word) { return containsText(error.what(), word); });
    }
    return false;
  });
  if (!verdict) {
    GTEST_SKIP() << "running as root and cannot switch to user nobody to test permissions";
  }
  EXPECT_TRUE(*verdict) << "loading " << path << " as user nobody did not fail with a message "
                        << "containing the expected words";
}

TEST(ModelLoaderErrors, UnreadableFile) {
  const TempDir dir;
  test::writeObj(test::makeNestedShells(0), dir / "locked.obj");
  fs::permissions(dir / "locked.obj", fs::perms::none);
  expectUnreadable(dir / "locked.obj", {"locked.obj", "permission denied"});
}

TEST(ModelLoaderErrors, UnreadableFolder) {
  const TempDir dir;
  fs::create_directory(dir / "locked");
  test::writeObj(test::makeNestedShells(0), dir / "locked" / "skin.obj");
  fs::permissions(dir / "locked", fs::perms::none);
  expectUnreadable(dir / "locked", {"locked", "cannot be read"});
}

TEST(ModelLoaderErrors, UnreadableFileInAFolder) {
  const TempDir dir;
  test::writeObj(test::makeNestedShells(0), dir / "a.obj");
  test::writeObj(test::makeNestedShells(0), dir / "b_locked.obj");
  fs::permissions(dir / "b_locked.obj", fs::perms::none);
  expectUnreadable(dir.path(), {"b_locked.obj", "permission denied"});
}

TEST(ModelLoaderErrors, ProgressCallbackMayBeEmpty) {
  const TempDir dir;
  test::writeObj(test::makeNestedShells(0), dir / "m.obj");
  EXPECT_NO_THROW(loadModel(dir / "m.obj", ProgressCallback{}));
}

} // namespace
} // namespace fascia

namespace {

// A minimal COLLADA 1.4.1 document: one tetrahedron named like a muscle.
constexpr const char* kTetrahedronDae = R"(<?xml version="1.0" encoding="utf-8"?>
<COLLADA xmlns="http://www.collada.org/2005/11/COLLADASchema" version="1.4.1">
  <asset><unit name="meter" meter="1"/><up_axis>Y_UP</up_axis></asset>
  <library_geometries>
    <geometry id="trapezius_left" name="trapezius_left">
      <mesh>
        <source id="tet-pos">
          <float_array id="tet-pos-array" count="12">0 0 0 1 0 0 0 1 0 0 0 1</float_array>
          <technique_common>
            <accessor source="#tet-pos-array" count="4" stride="3">
              <param name="X" type="float"/><param name="Y" type="float"/><param name="Z" type="float"/>
            </accessor>
          </technique_common>
        </source>
        <vertices id="tet-vtx"><input semantic="POSITION" source="#tet-pos"/></vertices>
        <triangles count="4">
          <input semantic="VERTEX" source="#tet-vtx" offset="0"/>
          <p>0 2 1 0 1 3 0 3 2 1 2 3</p>
        </triangles>
      </mesh>
    </geometry>
  </library_geometries>
  <library_visual_scenes>
    <visual_scene id="scene">
      <node id="m_trapezius" name="m_trapezius">
        <instance_geometry url="#trapezius_left"/>
      </node>
    </visual_scene>
  </library_visual_scenes>
  <scene><instance_visual_scene url="#scene"/></scene>
</COLLADA>
)";

TEST(ModelLoader, LoadsCollada) {
  fascia::test::TempDir dir;
  fascia::test::writeBytes(dir / "tet.dae", kTetrahedronDae);
  const fascia::Model model = fascia::loadModel(dir / "tet.dae");
  ASSERT_EQ(model.structures.size(), 1u);
  EXPECT_EQ(model.structures[0].mesh.triangleCount(), 4u);
  EXPECT_EQ(model.structures[0].info.layer, fascia::Layer::Muscle) << model.structures[0].info.name;
  EXPECT_EQ(model.structures[0].mesh.orientation, fascia::SurfaceOrientation::Outward);
}

} // namespace
