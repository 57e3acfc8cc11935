#include "fascia/image.h"

#include <cassert>
#include <memory>

#include <stb_image.h>
#include <stb_image_write.h>

#include "fascia/error.h"

namespace fascia {

glm::u8vec4 Image::at(int x, int y) const {
  assert(x >= 0 && y >= 0 && x < width && y < height);
  const std::size_t offset = (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                              static_cast<std::size_t>(x)) * 4u;
  return {pixels[offset], pixels[offset + 1], pixels[offset + 2], pixels[offset + 3]};
}

void writePng(const Image& image, const std::filesystem::path& file) {
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() != static_cast<std::size_t>(image.width) *
                                 static_cast<std::size_t>(image.height) * 4u) {
    throw InputError(file, "the image to write is empty or malformed");
  }
  const int ok = stbi_write_png(file.string().c_str(), image.width, image.height, 4,
                                image.pixels.data(), image.width * 4);
  if (ok == 0) {
    throw InputError(file, "cannot write the PNG (does the folder exist, and is it writable?)");
  }
}

Image readPng(const std::filesystem::path& file) {
  int width = 0;
  int height = 0;
  int channels = 0;
  const std::unique_ptr<stbi_uc, decltype(&stbi_image_free)> data(
      stbi_load(file.string().c_str(), &width, &height, &channels, 4), &stbi_image_free);
  if (!data) {
    const char* reason = stbi_failure_reason();
    throw InputError(file, std::string("cannot read the image: ") +
                               (reason != nullptr ? reason : "unknown error"));
  }
  Image image;
  image.width = width;
  image.height = height;
  image.pixels.assign(data.get(), data.get() + static_cast<std::size_t>(width) *
                                                   static_cast<std::size_t>(height) * 4u);
  return image;
}

} // namespace fascia
