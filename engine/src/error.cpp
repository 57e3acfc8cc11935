#include "fascia/error.h"

namespace fascia {

namespace {

std::string describe(const std::filesystem::path& file, const std::string& reason) {
  return file.empty() ? reason : file.string() + ": " + reason;
}

} // namespace

InputError::InputError(const std::filesystem::path& file, const std::string& reason)
    : std::runtime_error(describe(file, reason)), file_(file), reason_(reason) {}

} // namespace fascia
