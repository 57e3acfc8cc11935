#pragma once
/// \file section_view.h
/// The section view in the app: its default plane, planes that face the camera, and dragging
/// the plane with the mouse. The plane itself is fascia::SectionPlane in DisplaySettings,
/// changed only by cmd::SetSection. CPU only.

#include <optional>

#include <glm/vec2.hpp>

#include "fascia/camera.h"
#include "fascia/mesh.h"
#include "fascia/section.h"
#include "state.h"

namespace fascia::app {

/// The plane View > Section view starts with for a model (disabled until switched on): a
/// coronal plane a fifth of the model's depth behind its centre, removing what lies behind it,
/// so the default view from behind looks straight at a cut through the back muscles, ribs and
/// spine, with skin and fascia as bands around it. See docs/rendering.md for why.
SectionPlane defaultSection(const Bounds& bounds);

/// A plane of an anatomical axis `offset` metres from the centre of `bounds` (along the axis's
/// positive direction), removing the side that faces `camera`, so the cut faces the viewer.
/// When the camera looks along the plane (within a degree or so), the positive side goes.
SectionPlane sectionFacing(SectionAxis axis, const Bounds& bounds, float offset,
                           const Camera& camera);

/// A plane square to the line of sight, `offset` metres from the centre of `bounds` towards
/// the eye, removing the part of the body nearer the eye.
SectionPlane sectionFacingCamera(const Bounds& bounds, float offset, const Camera& camera);

/// The anatomical plane most nearly square to the line of sight, removing the side that faces
/// the camera: coronal from behind or in front (a fifth of the model's depth from the centre
/// towards the viewer, as defaultSection), sagittal from the side and transverse from above
/// (through the centre). What `--section` without a plane shows.
SectionPlane sectionForView(const Bounds& bounds, const Camera& camera);

/// The plane View > Section view (key C) installs: the current one switched off when it is
/// on; else the current one switched on, unless it is still the model's untouched default,
/// which is replaced by sectionForView() so the first cut faces whatever view is shown.
SectionPlane toggledSection(const AppState& state);

/// The same plane removing the other side.
SectionPlane flipped(const SectionPlane& plane);

/// How far (metres, along the plane's normal) a drag from `from` to `to` (framebuffer pixels,
/// origin top-left) moves the plane `start`, so the cut follows the pointer: along the
/// normal's direction on screen when it shows there, else by the vertical motion (up moves
/// the plane away from the viewer, showing what lies deeper).
float sectionDragDistance(const Camera& camera, glm::ivec2 viewport, const SectionPlane& start,
                          glm::vec2 from, glm::vec2 to);

} // namespace fascia::app
