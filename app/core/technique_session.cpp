#include "technique_session.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include <glm/geometric.hpp>

#include "state.h"

namespace fascia::app {
namespace {

// The skin is looked for this far out from a point under it (a trigger point in a deep
// muscle lies well under 25 cm of tissue).
constexpr float kSkinSearch = 0.25f;

bool sameOptional(const std::optional<glm::vec3>& a, const std::optional<glm::vec3>& b) {
  return a.has_value() == b.has_value() && (!a || *a == *b);
}

// What the frame depends on: everything but the transport's play state, speed and loop.
bool sameFrame(const TechniqueSession& a, const TechniqueSession& b) {
  const TechniqueParams& p = a.params;
  const TechniqueParams& q = b.params;
  return a.preset == b.preset && a.placed == b.placed && a.time == b.time && p.point == q.point &&
         p.direction == q.direction && p.axis == q.axis && p.loadN == q.loadN &&
         p.muscle == q.muscle && p.strain == q.strain && sameOptional(p.anchor, q.anchor) &&
         p.stiff == q.stiff;
}

} // namespace

const TechniquePreset* presetOf(const TechniqueSession& session) {
  for (const TechniquePreset& preset : techniquePresets()) {
    if (preset.name == session.preset) return &preset;
  }
  return nullptr;
}

bool needsContact(const TechniqueSession& session) {
  const TechniquePreset* preset = presetOf(session);
  return preset != nullptr && !preset->isStretch() && !session.placed;
}

std::optional<TechniqueState> sessionState(const TechniqueSession& session) {
  const TechniquePreset* preset = presetOf(session);
  if (preset == nullptr || needsContact(session)) return std::nullopt;
  return evaluate(*preset, session.params, session.time);
}

TechniqueSession startTechnique(const std::string& name, const Model* model,
                                const TechniqueSession& previous) {
  TechniqueSession session;
  if (name.empty()) return session;
  const TechniquePreset& preset = findTechnique(name);
  session.preset = std::string(preset.name);
  session.speed = previous.speed;
  session.loop = previous.loop;
  // A contact already placed carries over: switching from a thumb to a ball on the same spot.
  session.params.point = previous.params.point;
  session.params.direction = previous.params.direction;
  session.params.axis = previous.params.axis;
  session.params.stiff = previous.params.stiff;
  session.placed = previous.placed;
  session.placedOn = previous.placedOn;
  if (preset.isStretch() && model != nullptr) {
    for (std::size_t i = 0; i < model->structures.size(); ++i) {
      if (model->structures[i].info.name == preset.defaultMuscle) session.params.muscle = i;
    }
  }
  return session;
}

void advanceTechnique(TechniqueSession& session, double dt) {
  const TechniquePreset* preset = presetOf(session);
  if (preset == nullptr || !session.playing || !(dt > 0.0)) return;
  const double duration = preset->durationS;
  session.time += dt * static_cast<double>(session.speed);
  if (session.time >= duration) {
    if (session.loop) {
      session.time = std::fmod(session.time, duration);
    } else {
      session.time = duration;
      session.playing = false;
    }
  }
}

TechniqueContact contactOnSkin(const Model& model, const Bvh* bvh, glm::vec3 point,
                               glm::vec3 direction) {
  TechniqueContact contact;
  contact.direction =
      glm::length(direction) > 1e-6f ? glm::normalize(direction) : glm::vec3(0.0f, 0.0f, 1.0f);
  contact.point = point;
  const Ray ray{point - kSkinSearch * contact.direction, contact.direction};
  const StructureFilter skin = [&model](std::uint32_t structure) {
    return model.structures[structure].info.layer == Layer::Skin;
  };
  const auto hit = bvh != nullptr ? bvh->intersect(ray, skin, kSkinSearch + 0.005f)
                                  : intersectBruteForce(model, ray, skin, kSkinSearch + 0.005f);
  if (hit) contact.point = hit->position;
  return contact;
}

TechniqueContact contactFromHit(const Model& model, const Bvh* bvh, const RayHit& hit) {
  const MeshData& mesh = model.structures[hit.structure].mesh;
  glm::vec3 normal(0.0f);
  const std::size_t first = static_cast<std::size_t>(hit.triangle) * 3;
  if (first + 2 < mesh.indices.size()) {
    const glm::vec3 a = mesh.positions[mesh.indices[first]];
    const glm::vec3 b = mesh.positions[mesh.indices[first + 1]];
    const glm::vec3 c = mesh.positions[mesh.indices[first + 2]];
    if (mesh.normals.size() == mesh.positions.size()) {
      normal = hit.barycentric.x * mesh.normals[mesh.indices[first]] +
               hit.barycentric.y * mesh.normals[mesh.indices[first + 1]] +
               hit.barycentric.z * mesh.normals[mesh.indices[first + 2]];
    }
    if (glm::length(normal) < 1e-6f) normal = glm::cross(b - a, c - a);
  }
  // Pressing along the inward normal; a sheet with no usable normal is pressed straight in
  // from the back.
  const glm::vec3 inward =
      glm::length(normal) > 1e-9f ? -glm::normalize(normal) : glm::vec3(0.0f, 0.0f, 1.0f);
  return contactOnSkin(model, bvh, hit.position, inward);
}

glm::vec3 acrossAxis(glm::vec3 direction) {
  const glm::vec3 axis = glm::cross(glm::vec3(0.0f, 1.0f, 0.0f), direction);
  return glm::length(axis) > 0.1f * glm::length(direction) ? glm::normalize(axis)
                                                           : glm::vec3(1.0f, 0.0f, 0.0f);
}

std::optional<ToolGlyph> toolGlyphOf(const TechniqueState& state, const Deformation& deformation) {
  if (!state.tool) return std::nullopt;
  ToolGlyph glyph;
  glyph.tool = state.tool->tool;
  glyph.direction = state.tool->direction;
  glyph.axis = state.tool->axis;
  // Sits in the dent it makes; lifted off while no force acts so a patient sees it approach.
  const float lift = state.forceN > 0.0f ? 0.0f : 0.01f;
  glyph.contact = state.tool->position + (deformation.indentation - lift) * state.tool->direction;
  return glyph;
}

bool TechniqueFrames::update(const AppState& state) {
  const Model* model = state.model.get();
  const bool modelChanged = state.model != model_;
  if (modelChanged) {
    model_ = state.model;
    deformer_.reset();
    last_.reset();
  }
  const TechniqueSession& session = state.technique;
  if (!modelChanged && last_ && sameFrame(*last_, session)) return false;
  last_ = session;
  const bool wasDeformed = deformed_;
  const bool hadTool = tool_.has_value();
  state_.reset();
  tool_.reset();
  deformed_ = false;
  if (model == nullptr || !session.active()) return wasDeformed || hadTool || modelChanged;
  error_.clear();
  try {
    std::optional<TechniqueState> now = sessionState(session);
    if (!now) return wasDeformed || hadTool;
    if (!deformer_) deformer_.emplace(*model);
    const Deformation& deformation = apply(*deformer_, *now);
    tool_ = toolGlyphOf(*now, deformation);
    state_ = std::move(now);
    deformed_ = true;
  } catch (const std::invalid_argument& error) {
    // Shown at rest with the reason; the deformer validates before it changes anything.
    error_ = error.what();
    state_.reset();
    tool_.reset();
  }
  return true;
}

const Deformation* TechniqueFrames::deformation() const {
  return deformed_ && deformer_ ? &deformer_->current() : nullptr;
}

std::string techniqueCaption(const AppState& state, const TechniqueFrames& frames) {
  const TechniquePreset* preset = presetOf(state.technique);
  if (preset == nullptr) return "";
  std::string line(preset->title);
  if (frames.state() && !frames.state()->phase.empty())
    line += " - " + std::string(frames.state()->phase);
  char time[64];
  if (preset->timeCompression > 1) {
    std::snprintf(time, sizeof time, " (%.1f s, x%d)", state.technique.time,
                  preset->timeCompression);
  } else {
    std::snprintf(time, sizeof time, " (%.1f s)", state.technique.time);
  }
  line += time;
  if (preset->isStretch()) {
    const bool stiff = state.technique.params.stiff;
    line += stiff ? " - stiff back" : " - healthy back";
    // How much the layers glide, while they do.
    if (frames.state() && frames.state()->strain > 0.0f) {
      char sliding[80];
      std::snprintf(sliding, sizeof sliding, ": layers glide %.0f%% of the muscle's movement",
                    100.0f * (stiff ? kStiffSliding : kHealthySliding));
      line += sliding;
    }
  }
  return line;
}

std::string legendLabel(const Deformation& deformation, float value) {
  char label[32];
  if (deformation.overlay == OverlayKind::Pressure) {
    std::snprintf(label, sizeof label, "%.0f kPa", value * deformation.legendMaxKPa);
  } else {
    std::snprintf(label, sizeof label, "%.0f %%", value * 100.0f);
  }
  return label;
}

} // namespace fascia::app
