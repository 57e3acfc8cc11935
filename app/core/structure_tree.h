#pragma once
/// \file structure_tree.h
/// The order the Structures panel lists a layer's structures in. CPU only.

#include <cstdint>
#include <vector>

#include "fascia/model.h"

namespace fascia::app {

/// `members` (indices into model.structures) with each group's structures together: groups in
/// the order of their first member, and the model's order within a group. A model may list a
/// group in more than one run (the bundled model's intervertebral discs, "Vertebrae", come
/// after the ribs); listed in model order, the panel opened a second node of the same name.
std::vector<std::uint32_t> groupedForPanel(const Model& model, std::vector<std::uint32_t> members);

} // namespace fascia::app
