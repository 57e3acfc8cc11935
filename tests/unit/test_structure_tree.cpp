// The order the Structures panel lists a layer's structures in.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "structure_tree.h"

namespace fascia::app {
namespace {

Model modelOfGroups(const std::vector<std::string>& groups) {
  Model model;
  for (const std::string& group : groups) {
    Structure s;
    s.info.name = group + "_" + std::to_string(model.structures.size());
    s.info.group = group;
    model.structures.push_back(std::move(s));
  }
  return model;
}

TEST(StructureTree, GroupsListedInTwoRunsComeTogether) {
  // As in the bundled model: vertebrae, the ribs, then the discs, again "Vertebrae".
  const Model model =
      modelOfGroups({"Vertebrae", "Vertebrae", "Ribs", "Ribs", "Vertebrae", "Ligaments"});
  EXPECT_EQ(groupedForPanel(model, {0, 1, 2, 3, 4, 5}),
            (std::vector<std::uint32_t>{0, 1, 4, 2, 3, 5}));
}

TEST(StructureTree, KeepsTheModelOrderWithinAGroupAndOfTheGroups) {
  const Model model = modelOfGroups({"A", "B", "A", "", "B", ""});
  // Only some members (a filter): the ungrouped ones are a group of their own.
  EXPECT_EQ(groupedForPanel(model, {1, 2, 3, 4, 5}), (std::vector<std::uint32_t>{1, 4, 2, 3, 5}));
  EXPECT_TRUE(groupedForPanel(model, {}).empty());
}

} // namespace
} // namespace fascia::app
