// Closed-surface detection, which decides whether the renderer may cull hidden faces.

#include <gtest/gtest.h>

#include <algorithm>

#include "fascia/mesh.h"
#include "test_models.h"

namespace {

using fascia::MeshData;
using fascia::SurfaceOrientation;

MeshData flipped(MeshData mesh) {
  for (std::size_t i = 0; i + 2 < mesh.indices.size(); i += 3) {
    std::swap(mesh.indices[i + 1], mesh.indices[i + 2]);
  }
  return mesh;
}

TEST(MeshOrientation, ClosedSphereFacesOutward) {
  EXPECT_EQ(fascia::test::makeIcosphere(2).surfaceOrientation(), SurfaceOrientation::Outward);
}

TEST(MeshOrientation, InsideOutSphereFacesInward) {
  EXPECT_EQ(flipped(fascia::test::makeIcosphere(2)).surfaceOrientation(),
            SurfaceOrientation::Inward);
}

TEST(MeshOrientation, AHoleMakesItOpen) {
  MeshData mesh = fascia::test::makeIcosphere(2);
  mesh.indices.resize(mesh.indices.size() - 3);
  EXPECT_EQ(mesh.surfaceOrientation(), SurfaceOrientation::Open);
}

TEST(MeshOrientation, OneFlippedTriangleMakesItOpen) {
  MeshData mesh = fascia::test::makeIcosphere(2);
  std::swap(mesh.indices[4], mesh.indices[5]);
  EXPECT_EQ(mesh.surfaceOrientation(), SurfaceOrientation::Open);
}

TEST(MeshOrientation, UnweldedSeamsAndEmptyMeshesAreOpen) {
  MeshData soup;
  soup.positions = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {1, 0, 0}, {0, 1, 0}, {1, 1, 0}};
  soup.indices = {0, 1, 2, 3, 5, 4};
  EXPECT_EQ(soup.surfaceOrientation(), SurfaceOrientation::Open);
  EXPECT_EQ(MeshData{}.surfaceOrientation(), SurfaceOrientation::Open);
}

TEST(MeshOrientation, ADuplicatedTriangleIsNotManifold) {
  MeshData mesh = fascia::test::makeIcosphere(1);
  mesh.indices.insert(mesh.indices.end(), mesh.indices.begin(), mesh.indices.begin() + 3);
  EXPECT_EQ(mesh.surfaceOrientation(), SurfaceOrientation::Open);
}

} // namespace
