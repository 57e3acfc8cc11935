#pragma once
/// \file image.h
/// An 8-bit RGBA image in memory, and PNG files.

#include <cstdint>
#include <filesystem>
#include <vector>

#include <glm/vec4.hpp>

namespace fascia {

/// Pixels in rows from the top, four bytes (RGBA) each.
struct Image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;

  /// The pixel at (x, y), origin top-left, as 0..255 values. Asserts in range.
  glm::u8vec4 at(int x, int y) const;
};

/// Writes a PNG. Throws InputError naming the file when it cannot be written.
void writePng(const Image& image, const std::filesystem::path& file);

/// Reads a PNG (any channel count, converted to RGBA). Throws InputError naming the file.
Image readPng(const std::filesystem::path& file);

} // namespace fascia
