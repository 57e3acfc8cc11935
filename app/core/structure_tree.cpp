#include "structure_tree.h"

#include <algorithm>
#include <string>

namespace fascia::app {

std::vector<std::uint32_t> groupedForPanel(const Model& model, std::vector<std::uint32_t> members) {
  std::vector<std::string> groups; // in the order of their first member
  const auto rank = [&](std::uint32_t index) {
    const std::string& group = model.structures[index].info.group;
    return static_cast<std::size_t>(std::find(groups.begin(), groups.end(), group) -
                                    groups.begin());
  };
  for (const std::uint32_t index : members)
    if (rank(index) == groups.size()) groups.push_back(model.structures[index].info.group);
  std::stable_sort(members.begin(), members.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return rank(a) < rank(b); });
  return members;
}

} // namespace fascia::app
