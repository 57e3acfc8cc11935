#pragma once
/// \file model_checks.h
/// What every model the builder makes must hold and pass, checked both on the builder's
/// reduced-detail output and on the committed model (tests only).

#include <string>
#include <vector>

#include "mesh_ops.h"

namespace fascia::anatomy::test {

/// The ids of every structure issue 5 asks for, and the hip flexors and rectus abdominis the
/// trigger-point library needs (with the intervertebral discs and the front of the chest).
std::vector<std::string> expectedStructures();

/// Expects `m`, the mesh of structure `name`, to have triangles and to be closed and
/// consistently oriented: every edge has one opposite partner, none is used twice one way.
void expectClosed(const std::string& name, const TriMesh& m);

/// Expects a unit normal at every vertex of `m` and, if it is a muscle's, a unit fibre direction
/// lying in the surface at every vertex (other structures carry none).
void expectUnitAttributes(const std::string& name, const TriMesh& m, bool muscle);

} // namespace fascia::anatomy::test
