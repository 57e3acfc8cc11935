#include "fascia/manifest.h"

#include <array>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

#include "fascia/error.h"

namespace fascia {

namespace {

using Json = nlohmann::json;

/// Manifests are hand-written text; anything this large is not one.
constexpr std::uintmax_t kMaxManifestBytes = 64u * 1024u * 1024u;

const char* typeName(const Json& value) {
  if (value.is_number_integer() || value.is_number_unsigned()) {
    return "an integer";
  }
  if (value.is_number_float()) {
    return "a number";
  }
  if (value.is_string()) {
    return "a string";
  }
  if (value.is_boolean()) {
    return "true/false";
  }
  if (value.is_array()) {
    return "an array";
  }
  if (value.is_object()) {
    return "an object";
  }
  return "null";
}

std::string knownLayerIds() {
  std::string ids;
  for (Layer layer : kAllLayers) {
    if (!ids.empty()) {
      ids += ", ";
    }
    ids += layerId(layer);
  }
  return ids;
}

std::string toLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return lower;
}

/// Reads one entry; errors name the file, the structure and the field.
class EntryReader {
public:
  EntryReader(const std::filesystem::path& file, const std::string& structure)
      : file_(file), structure_(structure) {}

  [[noreturn]] void fail(std::string_view field, const std::string& problem) const {
    throw InputError(file_, "structure \"" + structure_ + "\": field \"" + std::string(field) +
                                "\" " + problem);
  }

  std::optional<std::string> string(const Json& entry, std::string_view field) const {
    const auto it = entry.find(field);
    if (it == entry.end()) {
      return std::nullopt;
    }
    if (!it->is_string()) {
      fail(field, std::string("must be a string, not ") + typeName(*it));
    }
    return it->get<std::string>();
  }

  ManifestEntry read(const Json& entry) const {
    ManifestEntry result;
    if (auto layerText = string(entry, "layer")) {
      result.layer = parseLayer(*layerText);
      if (!result.layer) {
        fail("layer",
             "is \"" + *layerText + "\", which is not a layer; use one of " + knownLayerIds());
      }
    }
    result.displayName = string(entry, "displayName");
    result.latinName = string(entry, "latinName");
    result.fmaId = string(entry, "fmaId");
    result.description = string(entry, "description");
    result.group = string(entry, "group");
    if (auto side = string(entry, "side")) {
      const std::string lower = toLower(*side);
      if (lower != "left" && lower != "right" && lower != "midline") {
        fail("side", "is \"" + *side + "\"; use left, right or midline");
      }
      result.side = lower;
    }
    // "color" is accepted too: silently ignoring the American spelling would be a trap.
    for (std::string_view field : {"colour", "color"}) {
      const auto it = entry.find(field);
      if (it != entry.end()) {
        result.colour = colour(*it, field);
      }
    }
    return result;
  }

private:
  glm::vec3 colour(const Json& value, std::string_view field) const {
    const std::string rule = "must be three numbers between 0 and 1, e.g. [0.8, 0.2, 0.2]";
    if (!value.is_array() || value.size() != 3) {
      fail(field, rule);
    }
    std::array<float, 3> rgb{};
    for (std::size_t i = 0; i < 3; ++i) {
      const Json& component = value[i];
      if (!component.is_number()) {
        fail(field, rule);
      }
      const double v = component.get<double>();
      if (!(v >= 0.0 && v <= 1.0)) {
        fail(field,
             rule + " (component " + std::to_string(i + 1) + " is " + component.dump() + ")");
      }
      rgb[i] = static_cast<float>(v);
    }
    return {rgb[0], rgb[1], rgb[2]};
  }

  const std::filesystem::path& file_;
  const std::string& structure_;
};

/// Splits a structure name into lower-case words at non-alphanumeric characters, at camelCase
/// boundaries and between letters and digits ("GluteusMaximus_L4" -> gluteus, maximus, l, 4).
std::vector<std::string> words(std::string_view name) {
  std::vector<std::string> result;
  std::string current;
  auto isUpper = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto isLower = [](char c) { return c >= 'a' && c <= 'z'; };
  auto isDigit = [](char c) { return c >= '0' && c <= '9'; };
  auto flush = [&] {
    if (!current.empty()) {
      result.push_back(current);
      current.clear();
    }
  };
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (!isUpper(c) && !isLower(c) && !isDigit(c)) {
      flush();
      continue;
    }
    if (i > 0) {
      const char previous = name[i - 1];
      const bool nextLower = i + 1 < name.size() && isLower(name[i + 1]);
      // "gluteusMaximus" and "XMLName": a capital starts a word after a lower-case letter, or
      // when it is the last capital before a lower-case run.
      const bool camel = isUpper(c) && (isLower(previous) || (isUpper(previous) && nextLower));
      const bool digitEdge = isDigit(c) != isDigit(previous);
      if (camel || digitEdge) {
        flush();
      }
    }
    current.push_back(isUpper(c) ? static_cast<char>(c - 'A' + 'a') : c);
  }
  flush();
  return result;
}

bool contains(const std::vector<std::string>& haystack, std::string_view word) {
  for (const std::string& w : haystack) {
    if (w == word) {
      return true;
    }
  }
  return false;
}

template <std::size_t N>
bool containsAny(const std::vector<std::string>& haystack,
                 const std::array<std::string_view, N>& needles) {
  for (std::string_view needle : needles) {
    if (contains(haystack, needle)) {
      return true;
    }
  }
  return false;
}

/// True when `first` is immediately followed by `second` somewhere in the words.
bool adjacent(const std::vector<std::string>& w, std::string_view first, std::string_view second) {
  for (std::size_t i = 0; i + 1 < w.size(); ++i) {
    if (w[i] == first && w[i + 1] == second) {
      return true;
    }
  }
  return false;
}

/// "C7", "T12", "Th12", "L4", "S1" (already split into a letter word and a number word): a
/// vertebra or sacral segment label.
bool isVertebraLabel(std::string_view letters, std::string_view digits) {
  int maximum = 0;
  if (letters == "c") {
    maximum = 7;
  } else if (letters == "t" || letters == "th") {
    maximum = 12;
  } else if (letters == "l" || letters == "s") {
    maximum = 5;
  } else {
    return false;
  }
  if (digits.empty() || digits.size() > 2 || digits[0] == '0') {
    return false;
  }
  int number = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') {
      return false;
    }
    number = number * 10 + (c - '0');
  }
  return number >= 1 && number <= maximum;
}

// clang-format off
constexpr auto kSuperficialFasciaWords = std::to_array<std::string_view>({
    "subcutaneous", "subcutis", "hypodermis", "adipose", "panniculus", "subcutanea",
    "subcutaneus", "hypoderm"});

constexpr auto kSkinWords = std::to_array<std::string_view>({"skin", "epidermis", "dermis", "cutis",
                                                        "integument"});

constexpr auto kDeepFasciaWords = std::to_array<std::string_view>({
    "fascia",      "fasciae",     "fascial",  "aponeurosis", "aponeuroses", "aponeurotic",
    "thoracolumbar", "lata",      "retinaculum", "iliotibial", "sheath"});

constexpr auto kMuscleWords = std::to_array<std::string_view>({
    "muscle",         "muscles",        "muscular",        "musculus",       "musculi",
    "trapezius",      "trapezii",       "latissimus",      "rhomboid",       "rhomboids",
    "rhomboideus",    "levator",        "levatores",       "serratus",       "infraspinatus",
    "supraspinatus",  "teres",          "erector",         "iliocostalis",   "longissimus",
    "spinalis",       "multifidus",     "multifidi",       "rotatores",      "rotator",
    "quadratus",      "gluteus",        "glutaeus",        "gluteal",        "glutei",
    "gluteals",       "piriformis",     "psoas",           "iliacus",        "iliopsoas",
    "oblique",        "obliquus",       "obliques",        "rectus",         "transversus",
    "splenius",       "semispinalis",   "deltoid",         "deltoideus",     "deltoids",
    "pectoralis",     "pectoral",       "pecs",            "biceps",         "triceps",
    "brachialis",     "brachioradialis", "sartorius",      "gracilis",       "vastus",
    "semitendinosus", "semimembranosus", "hamstring",      "hamstrings",     "gastrocnemius",
    "soleus",         "tibialis",       "peroneus",        "fibularis",      "adductor",
    "abductor",       "flexor",         "extensor",        "sternocleidomastoid", "scalene",
    "scalenus",       "diaphragm",      "intercostal",     "intercostals",   "subscapularis",
    "coracobrachialis", "supinator",    "pronator",        "masseter",       "temporalis",
    "platysma",       "interspinales",  "intertransversarii", "pectineus",   "popliteus",
    "plantaris",      "obturator",      "gemellus",        "tensor",         "sphincter"});

constexpr auto kBoneWords = std::to_array<std::string_view>({
    "bone",     "bones",     "os",        "ossa",     "osseous",   "vertebra", "vertebrae",
    "sacrum",   "coccyx",    "rib",       "ribs",     "costa",     "costae",   "pelvis",
    "ilium",    "ischium",   "pubis",     "hipbone",  "coxae",     "scapula",  "scapulae",
    "clavicle", "clavicula", "humerus",   "femur",    "skull",     "cranium",  "sternum",
    "radius",   "ulna",      "tibia",     "fibula",   "patella",   "mandible", "maxilla",
    "skeleton", "spine",     "atlas",     "carpal",   "carpals",   "tarsal",   "tarsals",
    "metacarpal", "metatarsal", "phalanx", "phalanges", "calcaneus", "talus",  "vertebral"});
// clang-format on

} // namespace

// ---------------------------------------------------------------------------------------------
// ManifestEntry

void ManifestEntry::applyTo(StructureInfo& info) const {
  // Only the fields the manifest sets override what the model file said.
  const auto assign = [](auto& target, const auto& value) {
    if (value) target = *value;
  };
  assign(info.layer, layer);
  assign(info.displayName, displayName);
  assign(info.latinName, latinName);
  assign(info.fmaId, fmaId);
  assign(info.description, description);
  assign(info.group, group);
  assign(info.side, side);
  assign(info.colour, colour);
}

// ---------------------------------------------------------------------------------------------
// Parsing

Manifest parseManifest(std::string_view json, const std::filesystem::path& file) {
  Json root;
  try {
    root = Json::parse(json.begin(), json.end());
  } catch (const Json::parse_error& error) {
    // nlohmann's message starts with "[json.exception.parse_error.101] "; users need the rest.
    std::string message = error.what();
    if (const auto close = message.find("] "); close != std::string::npos) {
      message = message.substr(close + 2);
    }
    throw InputError(file, "the manifest is not valid JSON (" + message + ")");
  }
  if (!root.is_object()) {
    throw InputError(file,
                     std::string("the manifest must be a JSON object, not ") + typeName(root));
  }

  if (const auto format = root.find("format"); format != root.end()) {
    if (!format->is_string() || format->get<std::string>() != "fascia-manifest") {
      throw InputError(file, "field \"format\" must be \"fascia-manifest\" (is " + format->dump() +
                                 "); is this a Fascia Atlas manifest?");
    }
  }

  Manifest manifest;
  const auto version = root.find("version");
  if (version == root.end()) {
    throw InputError(file, "the manifest has no \"version\" field; add \"version\": 1");
  }
  if (!version->is_number_integer()) {
    throw InputError(file, "field \"version\" must be an integer, not " +
                               std::string(typeName(*version)));
  }
  if (version->is_number_unsigned()
          ? version->get<std::uint64_t>() > static_cast<std::uint64_t>(Manifest::kVersion)
          : version->get<std::int64_t>() > Manifest::kVersion) {
    throw InputError(file, "the manifest has version " + version->dump() +
                               ", which was written by a newer Fascia Atlas; this build reads up "
                               "to version " +
                               std::to_string(Manifest::kVersion) + ". Update Fascia Atlas.");
  }
  if (version->get<std::int64_t>() < 1) {
    throw InputError(file, "field \"version\" must be at least 1 (is " + version->dump() + ")");
  }
  manifest.version = version->get<int>();

  const auto structures = root.find("structures");
  if (structures == root.end()) {
    throw InputError(file, "the manifest has no \"structures\" object");
  }
  if (!structures->is_object()) {
    throw InputError(file, "field \"structures\" must be an object keyed by structure name, not " +
                               std::string(typeName(*structures)));
  }
  for (const auto& [name, entry] : structures->items()) {
    if (!entry.is_object()) {
      throw InputError(file, "structure \"" + name + "\" must be an object, not " +
                                 std::string(typeName(entry)));
    }
    manifest.structures.emplace(name, EntryReader(file, name).read(entry));
  }
  return manifest;
}

Manifest loadManifest(const std::filesystem::path& file) {
  std::error_code error;
  const auto status = std::filesystem::status(file, error);
  if (!std::filesystem::exists(status)) {
    throw InputError(file, "no such file");
  }
  if (std::filesystem::is_directory(status)) {
    throw InputError(file, "is a folder, not a manifest file");
  }
  const std::uintmax_t size = std::filesystem::file_size(file, error);
  if (!error && size > kMaxManifestBytes) {
    throw InputError(file, "the manifest is " + std::to_string(size / (1024 * 1024)) +
                               " MiB; manifests are small JSON files (at most 64 MiB)");
  }
  std::ifstream stream(file, std::ios::binary);
  if (!stream) {
    throw InputError(file, "cannot be read (check the file's permissions)");
  }
  std::ostringstream text;
  text << stream.rdbuf();
  if (stream.bad()) {
    throw InputError(file, "reading the manifest failed");
  }
  return parseManifest(text.str(), file);
}

std::filesystem::path manifestPathFor(const std::filesystem::path& model) {
  std::error_code error;
  if (std::filesystem::is_directory(model, error)) {
    return model / "manifest.json";
  }
  std::filesystem::path stem = model.stem();
  stem += ".manifest.json";
  return model.parent_path() / stem;
}

// ---------------------------------------------------------------------------------------------
// Name rules (docs/manifest.md keeps the table in step with this code)

Layer layerFromName(std::string_view structureName) {
  const std::vector<std::string> w = words(structureName);
  if (w.empty()) {
    return Layer::Other;
  }

  // "superficial fascia" (or Latin "fascia superficialis") only as a phrase: the superficial
  // lamina of the thoracolumbar fascia is deep fascia.
  if (adjacent(w, "superficial", "fascia") || adjacent(w, "fascia", "superficialis") ||
      containsAny(w, kSuperficialFasciaWords)) {
    return Layer::SuperficialFascia;
  }
  if (containsAny(w, kSkinWords)) {
    return Layer::Skin;
  }
  // An explicit muscle prefix ("m. tensor fasciae latae", "musculus ...") and the tensor
  // muscles named after the fascia they tense are muscles even though they say "fascia".
  const std::string& first = w.front();
  const bool musclePrefix =
      first == "m" || first == "mm" || first == "musculus" || first == "musculi";
  if (musclePrefix || contains(w, "tensor")) {
    return Layer::Muscle;
  }
  // Otherwise fascia wins over muscle words: "gluteal_fascia", "trapezius fascia".
  if (containsAny(w, kDeepFasciaWords)) {
    return Layer::DeepFascia;
  }
  if (containsAny(w, kMuscleWords)) {
    return Layer::Muscle;
  }
  if (containsAny(w, kBoneWords) || adjacent(w, "hip", "bone")) {
    return Layer::Bone;
  }
  for (std::size_t i = 0; i + 1 < w.size(); ++i) {
    if (isVertebraLabel(w[i], w[i + 1])) {
      return Layer::Bone;
    }
  }
  return Layer::Other;
}

} // namespace fascia
