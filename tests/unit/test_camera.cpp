// Camera presets, framing and pixel rays.

#include <gtest/gtest.h>

#include <cmath>

#include <glm/geometric.hpp>
#include <glm/gtc/matrix_transform.hpp>

#include "fascia/bvh.h"
#include "fascia/camera.h"

namespace {

using fascia::Bounds;
using fascia::Camera;
using fascia::ViewPreset;

Bounds bodyBounds() {
  Bounds bounds;
  bounds.extend(glm::vec3(-0.25f, 0.85f, -0.15f));
  bounds.extend(glm::vec3(0.25f, 1.60f, 0.15f));
  return bounds;
}

TEST(Camera, PosteriorLooksAtTheBackFromBehind) {
  const Camera camera = fascia::presetCamera(ViewPreset::Posterior, bodyBounds(), 16.0f / 9.0f);
  // The patient faces +Z, so the back is seen from -Z looking towards +Z.
  EXPECT_LT(camera.eye().z, camera.target.z - 0.5f);
  EXPECT_NEAR(camera.forward().z, 1.0f, 1e-4f);
  EXPECT_NEAR(camera.eye().x, camera.target.x, 1e-4f);
}

TEST(Camera, PresetsPutTheEyeOnTheRightSide) {
  const Bounds bounds = bodyBounds();
  const glm::vec3 centre = bounds.centre();
  const auto eyeOffset = [&](ViewPreset preset) {
    return fascia::presetCamera(preset, bounds, 1.0f).eye() - centre;
  };
  EXPECT_GT(eyeOffset(ViewPreset::Anterior).z, 0.5f);
  // The patient's left hand is on +X.
  EXPECT_GT(eyeOffset(ViewPreset::Left).x, 0.5f);
  EXPECT_LT(eyeOffset(ViewPreset::Right).x, -0.5f);
  EXPECT_GT(eyeOffset(ViewPreset::Superior).y, 0.5f);
  EXPECT_GT(glm::length(eyeOffset(ViewPreset::Superior)), 0.5f);
}

TEST(Camera, ParsesPresetNames) {
  EXPECT_EQ(fascia::parseViewPreset("posterior"), ViewPreset::Posterior);
  EXPECT_EQ(fascia::parseViewPreset("Superior"), ViewPreset::Superior);
  EXPECT_EQ(fascia::parseViewPreset("LEFT"), ViewPreset::Left);
  EXPECT_FALSE(fascia::parseViewPreset("back").has_value());
  EXPECT_FALSE(fascia::parseViewPreset("").has_value());
  for (const auto preset : {ViewPreset::Posterior, ViewPreset::Anterior, ViewPreset::Left,
                            ViewPreset::Right, ViewPreset::Superior}) {
    EXPECT_EQ(fascia::parseViewPreset(fascia::viewPresetId(preset)), preset);
  }
}

TEST(Camera, FrameKeepsEveryCornerInViewAndFillsIt) {
  const Bounds bounds = bodyBounds();
  for (const float aspect : {16.0f / 9.0f, 1.0f, 0.5f}) {
    for (const auto preset : {ViewPreset::Posterior, ViewPreset::Left, ViewPreset::Superior}) {
      const Camera camera = fascia::presetCamera(preset, bounds, aspect);
      const glm::mat4 viewProjection = camera.projection(aspect) * camera.view();
      float largest = 0.0f;
      for (int corner = 0; corner < 8; ++corner) {
        const glm::vec3 p((corner & 1) ? bounds.max.x : bounds.min.x,
                          (corner & 2) ? bounds.max.y : bounds.min.y,
                          (corner & 4) ? bounds.max.z : bounds.min.z);
        const glm::vec4 clip = viewProjection * glm::vec4(p, 1.0f);
        ASSERT_GT(clip.w, 0.0f);
        const glm::vec3 ndc = glm::vec3(clip) / clip.w;
        EXPECT_LE(std::abs(ndc.x), 1.0f) << "aspect " << aspect;
        EXPECT_LE(std::abs(ndc.y), 1.0f) << "aspect " << aspect;
        EXPECT_GT(ndc.z, -1.0f);
        EXPECT_LT(ndc.z, 1.0f);
        largest = std::max({largest, std::abs(ndc.x), std::abs(ndc.y)});
      }
      // Not lost in the distance either.
      EXPECT_GT(largest, 0.6f) << "aspect " << aspect;
    }
  }
}

TEST(Camera, CentrePixelRayPassesThroughTheTarget) {
  const Camera camera = fascia::presetCamera(ViewPreset::Posterior, bodyBounds(), 2.0f);
  const fascia::Ray ray = camera.rayThroughPixel(glm::vec2(400.0f, 200.0f), glm::ivec2(800, 400));
  const glm::vec3 toTarget = glm::normalize(camera.target - ray.origin);
  EXPECT_NEAR(glm::dot(glm::normalize(ray.direction), toTarget), 1.0f, 1e-5f);
}

TEST(Camera, PixelOfIsTheInverseOfThePixelRay) {
  Camera camera = fascia::presetCamera(ViewPreset::Left, bodyBounds(), 1.6f);
  camera.lensShift = glm::vec2(0.1f, -0.05f);
  const glm::ivec2 viewport(800, 500);
  for (const glm::vec2 pixel : {glm::vec2(0.5f, 0.5f), glm::vec2(400.0f, 250.0f),
                                glm::vec2(799.5f, 12.25f), glm::vec2(63.0f, 470.0f)}) {
    const fascia::Ray ray = camera.rayThroughPixel(pixel, viewport);
    const auto back = camera.pixelOf(ray.origin + 0.8f * glm::normalize(ray.direction), viewport);
    ASSERT_TRUE(back);
    EXPECT_NEAR(back->x, pixel.x, 0.02f);
    EXPECT_NEAR(back->y, pixel.y, 0.02f);
  }
  // Behind the eye there is no pixel.
  EXPECT_FALSE(camera.pixelOf(camera.eye() - camera.forward(), viewport));
}

TEST(Camera, TopLeftPixelRayPointsUpAndToTheScreenLeft) {
  const Camera camera = fascia::presetCamera(ViewPreset::Posterior, bodyBounds(), 1.0f);
  const fascia::Ray ray = camera.rayThroughPixel(glm::vec2(0.5f, 0.5f), glm::ivec2(100, 100));
  EXPECT_GT(ray.direction.y, 0.0f);
  // Seen from behind, screen left is the patient's left: +X.
  EXPECT_GT(ray.direction.x, 0.0f);
}

TEST(Camera, OrbitClampsPitchAndZoomClampsDistance) {
  Camera camera;
  camera.orbit(0.0f, 10.0f);
  EXPECT_LT(camera.pitch, 1.5708f);
  camera.orbit(0.0f, -20.0f);
  EXPECT_GT(camera.pitch, -1.5708f);
  camera.zoom(1e-6f);
  EXPECT_GT(camera.distance, 0.0f);
  camera.zoom(1e9f);
  EXPECT_LT(camera.distance, 1000.0f);
}

TEST(Camera, ZoomingNeverClipsTheTargetAway) {
  Camera camera = fascia::presetCamera(ViewPreset::Posterior, bodyBounds(), 1.5f);
  for (const float factor : {1.0f / 0.88f, 0.88f}) {
    for (int notch = 0; notch < 60; ++notch) {
      camera.zoom(factor);
      const glm::vec4 clip =
          camera.projection(1.5f) * camera.view() * glm::vec4(camera.target, 1.0f);
      const float depth = clip.z / clip.w;
      ASSERT_GT(depth, -1.0f) << "notch " << notch << ", distance " << camera.distance;
      ASSERT_LT(depth, 1.0f) << "notch " << notch << ", distance " << camera.distance;
    }
  }
}

TEST(Camera, LerpHitsBothEndsAndTakesTheShortWayRound) {
  Camera a;
  a.yaw = 3.0f;
  Camera b;
  b.yaw = -3.0f;
  b.distance = 4.0f;
  EXPECT_NEAR(Camera::lerp(a, b, 0.0f).yaw, a.yaw, 1e-5f);
  EXPECT_NEAR(Camera::lerp(a, b, 1.0f).distance, 4.0f, 1e-5f);
  // Halfway between 3 and -3 the short way is through pi, not through 0.
  EXPECT_GT(std::abs(Camera::lerp(a, b, 0.5f).yaw), 3.0f);
}

TEST(Camera, PanMovesTargetAndEyeTogether) {
  Camera camera;
  const glm::vec3 before = camera.eye() - camera.target;
  camera.pan(0.1f, 0.2f);
  EXPECT_GT(glm::length(camera.target), 0.0f);
  const glm::vec3 after = camera.eye() - camera.target;
  EXPECT_NEAR(glm::length(before - after), 0.0f, 1e-5f);
}

} // namespace

namespace {

TEST(Camera, LensShiftMovesTheImageCentreAndPickingFollows) {
  fascia::Camera camera = fascia::presetCamera(fascia::ViewPreset::Posterior, bodyBounds(), 2.0f);
  camera.lensShift = glm::vec2(0.25f, 0.0f);
  const glm::vec4 clip = camera.projection(2.0f) * camera.view() * glm::vec4(camera.target, 1.0f);
  EXPECT_NEAR(clip.x / clip.w, 0.25f, 1e-5f);
  // The pixel where the target now appears casts a ray straight through it.
  const glm::ivec2 viewport(800, 400);
  const glm::vec2 pixel((0.25f + 1.0f) * 0.5f * 800.0f, 200.0f);
  const fascia::Ray ray = camera.rayThroughPixel(pixel, viewport);
  EXPECT_NEAR(glm::dot(glm::normalize(ray.direction), glm::normalize(camera.target - ray.origin)),
              1.0f, 1e-5f);
}

} // namespace
