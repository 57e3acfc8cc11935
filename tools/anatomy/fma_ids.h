#pragma once
/// \file fma_ids.h
/// Foundational Model of Anatomy (FMA) ids of the bundled model's structures: one table, each
/// id with the public source it was checked against. Structures without a checked id get none.

#include <span>
#include <string>
#include <string_view>

namespace fascia::anatomy {

/// One checked FMA id.
struct FmaEntry {
  std::string_view structure; ///< structure id without its "_left" / "_right" suffix (or levels)
  std::string_view fmaId;     ///< "FMA:<number>"
  std::string_view source;    ///< where the number was read
};

/// Every checked id, in model order (docs/anatomy.md lists the ones left out and why).
std::span<const FmaEntry> fmaTable();

/// The key a structure id is looked up by in the table: the id without its side, and for a disc
/// ("intervertebral_disc_l4_l5") without its levels.
std::string_view fmaTableKey(std::string_view id);

/// The FMA id for a structure id, e.g. "trapezius_upper_left" -> "FMA:9626"; empty where the
/// table has none. Left and right copies share the general (non-lateralised) id, and the
/// intervertebral discs that of "intervertebral disk".
std::string fmaIdFor(std::string_view structureId);

} // namespace fascia::anatomy
