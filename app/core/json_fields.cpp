#include "json_fields.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <system_error>

#include "fascia/error.h"

namespace fascia::app::json {

const char* typeName(const Json& value) {
  if (value.is_number_integer()) return "an integer";
  if (value.is_number_float()) return "a number";
  if (value.is_string()) return "a string";
  if (value.is_boolean()) return "true/false";
  if (value.is_array()) return "an array";
  if (value.is_object()) return "an object";
  return "null";
}

std::string readTextFile(const std::filesystem::path& file, std::string_view what,
                         std::uintmax_t maxBytes) {
  std::error_code error;
  const auto status = std::filesystem::status(file, error);
  if (!std::filesystem::exists(status)) {
    throw InputError(file, "no such file");
  }
  if (std::filesystem::is_directory(status)) {
    throw InputError(file, "is a folder, not " + std::string(what));
  }
  const std::uintmax_t size = std::filesystem::file_size(file, error);
  if (!error && size > maxBytes) {
    throw InputError(file, "is " + std::to_string(size / (1024 * 1024)) + " MiB, too large for " +
                               std::string(what) + "; is it the right file?");
  }
  std::ifstream stream(file, std::ios::binary);
  if (!stream) {
    throw InputError(file, "cannot be read (check the file's permissions)");
  }
  std::ostringstream text;
  text << stream.rdbuf();
  if (stream.bad()) {
    throw InputError(file, "reading failed (a disk or network error)");
  }
  std::string bytes = text.str();
  if (bytes.empty()) {
    throw InputError(file, "is empty; it is not " + std::string(what) +
                               " (a save may have been interrupted)");
  }
  return bytes;
}

Json parseObject(std::string_view text, const std::filesystem::path& file, std::string_view what) {
  Json root;
  try {
    root = Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& error) {
    // nlohmann's message starts with "[json.exception.parse_error.101] "; users need the rest.
    std::string message = error.what();
    if (const auto close = message.find("] "); close != std::string::npos) {
      message = message.substr(close + 2);
    }
    // An error at the very end of the text means it stopped in the middle of something.
    const bool cutShort = error.byte >= text.size();
    throw InputError(file, std::string(what) + " is not valid JSON" +
                               (cutShort ? " - it ends too early, as if cut short" : "") + " (" +
                               message + ")");
  }
  if (!root.is_object()) {
    throw InputError(file, std::string(what) + " must be a JSON object, not " + typeName(root));
  }
  return root;
}

int checkFormat(const Json& root, const std::filesystem::path& file, std::string_view format,
                int supported, std::string_view what) {
  const auto formatField = root.find("format");
  if (formatField == root.end()) {
    throw InputError(file, "has no \"format\" field, so it is not " + std::string(what));
  }
  if (!formatField->is_string() || formatField->get<std::string>() != format) {
    throw InputError(file, "field \"format\" is " + formatField->dump() + ", not \"" +
                               std::string(format) + "\"; it is not " + std::string(what));
  }
  const auto version = root.find("version");
  if (version == root.end()) {
    throw InputError(file, "has no \"version\" field; " + std::string(what) +
                               " needs \"version\": " + std::to_string(supported));
  }
  if (!version->is_number_integer()) {
    throw InputError(file, "field \"version\" must be an integer, not " +
                               std::string(typeName(*version)));
  }
  const bool newer = version->is_number_unsigned()
                         ? version->get<std::uint64_t>() > static_cast<std::uint64_t>(supported)
                         : version->get<std::int64_t>() > supported;
  if (newer) {
    throw InputError(file, "written by a newer version of Fascia Atlas (version " +
                               version->dump() + "); this version reads up to " +
                               std::to_string(supported) + ". Update Fascia Atlas to open it.");
  }
  if (version->get<std::int64_t>() < 1) {
    throw InputError(file, "field \"version\" must be at least 1 (is " + version->dump() + ")");
  }
  return version->get<int>();
}

float toFloat(double value) {
  if (!std::isfinite(value)) return static_cast<float>(value);
  constexpr double kMax = std::numeric_limits<float>::max();
  // Up to half a float step above the largest float still rounds to it ("3.4028235e+38", the
  // shortest text for FLT_MAX, reads as a double just above it); beyond that is infinity.
  // Converting an out-of-range double to float is undefined, hence the explicit limits.
  const double limit = kMax + std::ldexp(1.0, 103);
  if (std::abs(value) >= limit) return std::copysign(std::numeric_limits<float>::infinity(), value);
  return static_cast<float>(std::clamp(value, -kMax, kMax));
}

double fromFloat(float value) {
  if (!std::isfinite(value)) return 0.0;
  // The shortest decimal that reads back as this float; as a double it prints the same
  // digits, and converting that double back to float gives the original (the double is much
  // closer to the decimal than half a float step).
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  *result.ptr = '\0';
  return std::strtod(buffer, nullptr);
}

OrderedJson vec3(const glm::vec3& v) {
  return OrderedJson::array({fromFloat(v.x), fromFloat(v.y), fromFloat(v.z)});
}

// ---------------------------------------------------------------------------------------------
// FieldReader

void FieldReader::fail(std::string_view field, const std::string& problem) const {
  throw InputError(file_, context_ + ": field \"" + std::string(field) + "\" " + problem);
}

const Json* FieldReader::find(const Json& object, std::string_view field) const {
  const auto it = object.find(field);
  return it == object.end() ? nullptr : &*it;
}

const Json& FieldReader::require(const Json& object, std::string_view field) const {
  const Json* value = find(object, field);
  if (value == nullptr) fail(field, "is missing");
  return *value;
}

std::string FieldReader::string(const Json& object, std::string_view field) const {
  const Json& value = require(object, field);
  if (!value.is_string()) fail(field, std::string("must be a string, not ") + typeName(value));
  return value.get<std::string>();
}

std::optional<std::string> FieldReader::optionalString(const Json& object,
                                                       std::string_view field) const {
  if (find(object, field) == nullptr) return std::nullopt;
  return string(object, field);
}

std::int64_t FieldReader::integer(const Json& object, std::string_view field, std::int64_t min,
                                  std::int64_t max) const {
  const Json& value = require(object, field);
  const std::string rule =
      "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max);
  if (!value.is_number_integer()) fail(field, rule + ", not " + typeName(value));
  const bool inRange =
      value.is_number_unsigned()
          ? value.get<std::uint64_t>() <= static_cast<std::uint64_t>(max) &&
                (min <= 0 || value.get<std::uint64_t>() >= static_cast<std::uint64_t>(min))
          : value.get<std::int64_t>() >= min && value.get<std::int64_t>() <= max;
  if (!inRange) fail(field, rule + " (is " + value.dump() + ")");
  return value.get<std::int64_t>();
}

float FieldReader::number(const Json& value, std::string_view field) const {
  if (!value.is_number()) fail(field, std::string("must be a number, not ") + typeName(value));
  const float f = toFloat(value.get<double>());
  if (!std::isfinite(f)) fail(field, "is " + value.dump() + ", too large");
  return f;
}

glm::vec3 FieldReader::vec3(const Json& value, std::string_view field) const {
  const std::string rule = "must be three numbers [x, y, z]";
  if (!value.is_array() || value.size() != 3) {
    fail(field, rule + ", not " +
                    (value.is_array() ? std::to_string(value.size()) + " values"
                                      : std::string(typeName(value))));
  }
  glm::vec3 v(0.0f);
  for (int i = 0; i < 3; ++i) {
    const Json& component = value[static_cast<std::size_t>(i)];
    if (!component.is_number()) {
      fail(field, rule + " (value " + std::to_string(i + 1) + " is " + typeName(component) + ")");
    }
    v[i] = toFloat(component.get<double>());
    if (!std::isfinite(v[i])) {
      fail(field, rule + " (value " + std::to_string(i + 1) + " is too large)");
    }
  }
  return v;
}

const Json& FieldReader::array(const Json& object, std::string_view field, bool required) const {
  static const Json kEmpty = Json::array();
  const Json* value = required ? &require(object, field) : find(object, field);
  if (value == nullptr) return kEmpty;
  if (!value->is_array()) {
    fail(field, std::string("must be an array, not ") + typeName(*value));
  }
  return *value;
}

} // namespace fascia::app::json
