#pragma once
/// \file json_fields.h
/// Internal to app/core (annotations, trigger-point library, user files): reading small JSON
/// files with nlohmann-json and turning every problem into an InputError that names the file,
/// the entry and the field. Not part of the app's public API.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <glm/vec3.hpp>
#include <nlohmann/json.hpp>

namespace fascia::app {
struct ReferralBlob;
} // namespace fascia::app

namespace fascia::app::json {

using Json = nlohmann::json;
/// Written files keep the field order of the schema, so diffs and hand edits stay readable.
using OrderedJson = nlohmann::ordered_json;

/// "an integer", "a string", ... for messages.
const char* typeName(const Json& value);

/// Reads a whole text file for parsing. `what` names the kind of file in messages ("annotation
/// file"). Throws InputError: missing, a folder, larger than maxBytes, unreadable, empty.
std::string readTextFile(const std::filesystem::path& file, std::string_view what,
                         std::uintmax_t maxBytes);

/// Parses JSON text that must be an object. Throws InputError for text that is not JSON
/// (including text cut short) or not an object.
Json parseObject(std::string_view text, const std::filesystem::path& file, std::string_view what);

/// Checks "format" (must equal `format`) and "version" (an integer from 1 to `supported`) and
/// returns the version. Throws InputError with advice for each problem; a version newer than
/// `supported` reads "written by a newer version of Fascia Atlas (version N); this version
/// reads up to <supported>".
int checkFormat(const Json& root, const std::filesystem::path& file, std::string_view format,
                int supported, std::string_view what);

/// The float nearest to a double, as JSON numbers are read; throws nothing.
float toFloat(double value);

/// A float as a JSON number written with the fewest digits that read back as the same float
/// ("0.1", not "0.10000000149011612"). Non-finite values, which JSON cannot hold, become 0.
double fromFloat(float value);

/// [x, y, z] with fromFloat for each component.
OrderedJson vec3(const glm::vec3& v);

/// Reads the fields of one JSON object; every failure names the file, the context (e.g.
/// `point 3 ("tp-1")`) and the field.
class FieldReader {
public:
  /// `file` must outlive the reader.
  FieldReader(const std::filesystem::path& file, std::string context)
      : file_(file), context_(std::move(context)) {}

  /// Throws InputError "<file>: <context>: field "<field>" <problem>".
  [[noreturn]] void fail(std::string_view field, const std::string& problem) const;

  /// The member, or null when absent.
  const Json* find(const Json& object, std::string_view field) const;
  /// The member; fails "is missing" when absent.
  const Json& require(const Json& object, std::string_view field) const;

  /// A required string member.
  std::string string(const Json& object, std::string_view field) const;
  /// A string member, or none when absent (present but not a string fails).
  std::optional<std::string> optionalString(const Json& object, std::string_view field) const;
  /// An integer within [min, max].
  std::int64_t integer(const Json& object, std::string_view field, std::int64_t min,
                       std::int64_t max) const;
  /// A finite number.
  float number(const Json& value, std::string_view field) const;
  /// Three finite numbers.
  glm::vec3 vec3(const Json& value, std::string_view field) const;
  /// An array (empty when the member is absent and `required` is false).
  const Json& array(const Json& object, std::string_view field, bool required) const;

  /// The file and the context named in messages.
  const std::filesystem::path& file() const { return file_; }
  const std::string& context() const { return context_; }

private:
  const std::filesystem::path& file_;
  std::string context_;
};

/// Reads `referral.<field>`, an optional array of blobs {"centre": [x, y, z], "radius": r > 0},
/// as annotation files and the trigger-point library both store referral zones.
std::vector<ReferralBlob> readReferralBlobs(const FieldReader& reader, const Json& referral,
                                            std::string_view field);

} // namespace fascia::app::json
