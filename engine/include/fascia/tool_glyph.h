#pragma once
/// \file tool_glyph.h
/// The shape drawn for a technique's tool (a thumb or elbow tip, a massage ball, a foam roller)
/// where it touches the body, so a patient sees what presses. CPU only: the renderer draws the
/// mesh made here.

#include <glm/vec3.hpp>

#include "fascia/deformation.h"
#include "fascia/mesh.h"

namespace fascia {

/// A tool to draw, posed where it touches the (deformed) skin.
struct ToolGlyph {
  ToolKind tool = ToolKind::Thumb;
  /// The point of the tool that touches the skin, world metres (move a rest-pose contact point
  /// in by Deformation::indentation so the tool sits in the dent it makes).
  glm::vec3 contact{0.0f};
  /// Direction the tool presses in (into the body); need not be unit length.
  glm::vec3 direction{0.0f, 0.0f, 1.0f};
  /// The roller's axis (FoamRoller only).
  glm::vec3 axis{1.0f, 0.0f, 0.0f};
  glm::vec3 colour{0.10f, 0.22f, 0.80f}; ///< linear RGB (a glove blue, apart from skin tones)
  /// Drawn see-through so the dent under it stays visible.
  float opacity = 0.7f;
};

/// A closed, outward-facing triangle mesh of the tool, sized by toolShape(): a finger (thumb) or
/// a forearm (elbow) as a capsule ending at the contact, a sphere for the ball, a capped
/// cylinder for the roller. A zero or non-finite direction falls back to +Z.
MeshData toolGlyphMesh(const ToolGlyph& glyph);

} // namespace fascia
