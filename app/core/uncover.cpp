#include "uncover.h"

#include <algorithm>
#include <memory>
#include <utility>

#include <glm/geometric.hpp>

#include "fascia/bvh.h"

namespace fascia::app {
namespace {

constexpr std::size_t kMaxSamples = 400;
// More structures than this in front of one point is a ray lost in a crowd, not a cover.
constexpr int kMaxBlockersPerRay = 8;
// A structure covers the target when it is in front of this share of the samples.
constexpr float kCoverShare = 0.02f;
// Deep fascia lying directly on the target over this share of the samples keeps the fascia
// layer in view.
constexpr float kDirectFasciaShare = 0.15f;
// A fascia sheet stays when it lies directly on the target for this share of the rays that
// pass it.
constexpr float kOwnFasciaShare = 0.25f;

bool isSoftTissue(Layer layer) { return layer == Layer::Muscle || layer == Layer::Other; }

} // namespace

UncoverPlan planUncover(const AppState& state, std::uint32_t target) {
  UncoverPlan plan;
  if (state.model == nullptr || target >= state.model->structures.size()) return plan;
  const Model& model = *state.model;
  const Structure& structure = model.structures[target];
  plan.peelDepth = static_cast<float>(layerIndex(structure.info.layer));

  std::shared_ptr<const Bvh> bvh = state.bvh;
  if (bvh == nullptr) bvh = std::make_shared<const Bvh>(model);

  const glm::vec3 eye = state.camera.eye();
  const auto& positions = structure.mesh.positions;
  const auto& normals = structure.mesh.normals;
  std::vector<std::size_t> facing;
  for (std::size_t v = 0; v < positions.size(); ++v) {
    const bool faces = v < normals.size() ? glm::dot(normals[v], eye - positions[v]) > 0.0f : true;
    if (faces) facing.push_back(v);
  }
  if (facing.empty()) return plan;
  const std::size_t stride = (facing.size() + kMaxSamples - 1) / kMaxSamples;

  const std::size_t count = model.structures.size();
  std::vector<int> covers(count, 0), direct(count, 0);
  int samples = 0, directFascia = 0;
  std::vector<char> passed(count, 0);
  for (std::size_t i = 0; i < facing.size(); i += stride) {
    const glm::vec3 p = positions[facing[i]];
    const float distance = glm::length(p - eye);
    if (distance <= 1e-4f) continue;
    ++samples;
    const Ray ray{eye, (p - eye) / distance};
    std::fill(passed.begin(), passed.end(), 0);
    const StructureFilter filter = [&](std::uint32_t s) {
      const Layer layer = model.structures[s].info.layer;
      return s != target && passed[s] == 0 && !state.display.isHidden(s) &&
             layer != Layer::Skin && layer != Layer::SuperficialFascia && layer != Layer::Bone;
    };
    std::vector<std::pair<float, std::uint32_t>> blockers;
    for (int k = 0; k < kMaxBlockersPerRay; ++k) {
      const auto hit = bvh->intersect(ray, filter, distance - 1e-3f);
      if (!hit) break;
      passed[hit->structure] = 1;
      blockers.emplace_back(hit->t, hit->structure);
    }
    std::sort(blockers.begin(), blockers.end());
    for (std::size_t b = 0; b < blockers.size(); ++b) {
      const std::uint32_t s = blockers[b].second;
      ++covers[s];
      if (model.structures[s].info.layer != Layer::DeepFascia) continue;
      const bool muscleBehind =
          std::any_of(blockers.begin() + static_cast<std::ptrdiff_t>(b) + 1, blockers.end(),
                      [&](const auto& later) {
                        return isSoftTissue(model.structures[later.second].info.layer);
                      });
      if (!muscleBehind) ++direct[s];
    }
    if (!blockers.empty() &&
        model.structures[blockers.back().second].info.layer == Layer::DeepFascia) {
      ++directFascia;
    }
  }
  if (samples == 0) return plan;

  const int threshold = std::max(2, static_cast<int>(kCoverShare * static_cast<float>(samples)));
  for (std::uint32_t s = 0; s < count; ++s) {
    if (covers[s] < threshold) continue;
    const Layer layer = model.structures[s].info.layer;
    // Fascia that lies on the target over a fair part of it stays (the thoracolumbar fascia
    // over the erector spinae, which is what slides in a trunk flexion stretch), even where
    // it also covers other muscles; a sheet that lies almost only on other muscles goes.
    const bool fasciaOnOthers =
        layer == Layer::DeepFascia &&
        static_cast<float>(direct[s]) < kOwnFasciaShare * static_cast<float>(covers[s]);
    if (isSoftTissue(layer) || fasciaOnOthers) {
      plan.hide.push_back(s);
    }
  }
  if (isSoftTissue(structure.info.layer) &&
      static_cast<float>(directFascia) >= kDirectFasciaShare * static_cast<float>(samples)) {
    plan.peelDepth = static_cast<float>(layerIndex(Layer::DeepFascia));
  }
  return plan;
}

void uncover(AppState& state, std::uint32_t target, UncoverKeep keep) {
  if (state.model == nullptr || target >= state.model->structures.size()) return;
  const UncoverPlan plan = planUncover(state, target);
  std::vector<bool>& hidden = state.display.hidden;
  if (hidden.size() < state.model->structures.size()) {
    hidden.resize(state.model->structures.size(), false);
  }
  for (const std::uint32_t s : plan.hide) hidden[s] = true;
  hidden[target] = false;
  if (!keep.layers) {
    const Layer layer = state.model->structures[target].info.layer;
    LayerSettings& settings = state.display.layers[static_cast<std::size_t>(layerIndex(layer))];
    settings.visible = true;
    settings.opacity = 1.0f;
  }
  if (!keep.peel) state.display.peelDepth = plan.peelDepth;
}

} // namespace fascia::app
