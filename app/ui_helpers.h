#pragma once
/// \file ui_helpers.h
/// Small helpers every ImGui panel file uses.

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>
#include <string_view>

#include <glm/vec3.hpp>
#include <imgui.h>

namespace fascia::app::ui {

/// Panel sizes are given at the base font size (16 px); they grow with the font on HiDPI.
inline float scale() { return ImGui::GetFontSize() / 16.0f; }

/// A linear-RGB colour as ImGui shows it: sRGB-encoded, like the renderer's output, so swatches
/// match what is drawn.
inline ImVec4 toImColour(const glm::vec3& linear) {
  const auto encode = [](float c) { return std::pow(std::clamp(c, 0.0f, 1.0f), 1.0f / 2.2f); };
  return {encode(linear.x), encode(linear.y), encode(linear.z), 1.0f};
}

/// ASCII lower case, for case-insensitive search boxes.
inline std::string lower(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

} // namespace fascia::app::ui
