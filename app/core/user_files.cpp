#include "user_files.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <system_error>
#include <vector>

#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <unistd.h>

#include "annotations.h"
#include "atomic_file.h"
#include "fascia/error.h"
#include "fascia/log.h"
#include "json_fields.h"

namespace fascia::app {
namespace {

namespace fs = std::filesystem;
using json::Json;
using json::OrderedJson;

constexpr std::string_view kRecentFormat = "fascia-recent-files";
constexpr int kRecentVersion = 1;
constexpr std::uintmax_t kMaxStateBytes = 256u * 1024u * 1024u;

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::string(value) : std::string();
}

fs::path homeDir() {
  if (std::string home = environment("HOME"); !home.empty()) return home;
  // HOME can be unset under some service managers; the password database still knows.
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* result = nullptr;
  if (::getpwuid_r(::getuid(), &entry, buffer.data(), buffer.size(), &result) == 0 &&
      result != nullptr && result->pw_dir != nullptr) {
    return result->pw_dir;
  }
  std::error_code error;
  return fs::temp_directory_path(error);
}

/// Creates the folder a state file goes in. Throws InputError naming the file.
void createParent(const fs::path& file) {
  const fs::path folder = file.parent_path();
  if (folder.empty()) return;
  std::error_code error;
  fs::create_directories(folder, error);
  if (error) {
    throw InputError(file,
                     "cannot create the folder " + folder.string() + " (" + error.message() + ")");
  }
}

/// Identical spellings of one file compare equal: "a/../b.json" and "b.json" from the same
/// folder are one entry.
fs::path normalise(const fs::path& path) {
  std::error_code error;
  fs::path absolute = fs::absolute(path, error);
  if (error) absolute = path;
  return absolute.lexically_normal();
}

} // namespace

fs::path userStateDir() {
  if (std::string dir = environment("FASCIA_STATE_DIR"); !dir.empty()) return dir;
  if (fs::path xdg = environment("XDG_STATE_HOME"); !xdg.empty() && xdg.is_absolute()) {
    return xdg / "fascia-atlas";
  }
  return homeDir() / ".local" / "state" / "fascia-atlas";
}

// ---------------------------------------------------------------------------------------------
// RecoveryStore

RecoveryStore::RecoveryStore(fs::path file) : file_(std::move(file)) {}

void RecoveryStore::write(const AnnotationDocument& document, const fs::path& documentPath) {
  // An annotation file plus one extra object: readers ignore unknown fields, so a user can
  // also open the recovery file directly as annotations.
  OrderedJson root = OrderedJson::parse(toJson(document));
  OrderedJson recovery = OrderedJson::object();
  recovery["documentPath"] = documentPath.string();
  recovery["savedAt"] = nowIso8601Utc();
  root["recovery"] = std::move(recovery);
  createParent(file_);
  writeFileAtomically(file_,
                      root.dump(2, ' ', false, OrderedJson::error_handler_t::replace) + "\n");
}

std::optional<RecoveryStore::Recovery> RecoveryStore::read() const {
  std::error_code error;
  if (!fs::exists(fs::symlink_status(file_, error))) return std::nullopt;
  const std::string text = json::readTextFile(file_, "a recovery file", kMaxStateBytes);
  Recovery result;
  result.document = parseAnnotations(text, file_);
  // parseAnnotations has checked it is a JSON object.
  const Json root = Json::parse(text);
  const json::FieldReader reader(file_, "the recovery file");
  const Json& recovery = reader.require(root, "recovery");
  if (!recovery.is_object()) {
    reader.fail("recovery", std::string("must be an object, not ") + json::typeName(recovery));
  }
  const json::FieldReader fields(file_, "the recovery file: field \"recovery\"");
  result.documentPath = fields.optionalString(recovery, "documentPath").value_or("");
  result.savedAt = fields.optionalString(recovery, "savedAt").value_or("");
  return result;
}

void RecoveryStore::discard() {
  std::error_code error;
  fs::remove(file_, error);
  if (error) {
    log::warn(file_.string() + ": cannot remove the recovery file (" + error.message() + ")");
  }
}

// ---------------------------------------------------------------------------------------------
// AutosaveTimer

void AutosaveTimer::markChanged(double now) {
  if (!pending_) {
    pending_ = true;
    firstChange_ = now;
  }
}

void AutosaveTimer::markSaved() { pending_ = false; }

bool AutosaveTimer::due(double now) const { return pending_ && now - firstChange_ >= kInterval; }

void AutosaveTimer::markAutosaved(double now) {
  pending_ = false;
  lastAutosave_ = now;
}

// ---------------------------------------------------------------------------------------------
// RecentFiles

RecentFiles::RecentFiles(fs::path file) : file_(std::move(file)) {
  std::error_code error;
  if (!fs::exists(fs::symlink_status(file_, error))) return;
  try {
    const Json root =
        json::parseObject(json::readTextFile(file_, "a recent-files list", kMaxStateBytes), file_,
                          "the recent-files list");
    json::checkFormat(root, file_, kRecentFormat, kRecentVersion, "a recent-files list");
    const json::FieldReader reader(file_, "the recent-files list");
    const Json& files = reader.array(root, "files", true);
    for (const Json& entry : files) {
      if (!entry.is_string()) {
        reader.fail("files", std::string("must hold strings, not ") + json::typeName(entry));
      }
      const fs::path path = normalise(entry.get<std::string>());
      if (std::find(files_.begin(), files_.end(), path) == files_.end() && files_.size() < kMax) {
        files_.push_back(path);
      }
    }
  } catch (const InputError& e) {
    files_.clear();
    log::warn(std::string(e.what()) + "; starting with an empty recent-files list");
  }
}

void RecentFiles::add(const fs::path& document) {
  const fs::path path = normalise(document);
  files_.erase(std::remove(files_.begin(), files_.end(), path), files_.end());
  files_.insert(files_.begin(), path);
  if (files_.size() > kMax) files_.resize(kMax);
  save();
}

void RecentFiles::remove(const fs::path& document) {
  const fs::path path = normalise(document);
  const auto end = std::remove(files_.begin(), files_.end(), path);
  if (end == files_.end()) return;
  files_.erase(end, files_.end());
  save();
}

void RecentFiles::save() const {
  OrderedJson root = OrderedJson::object();
  root["format"] = kRecentFormat;
  root["version"] = kRecentVersion;
  OrderedJson files = OrderedJson::array();
  for (const fs::path& path : files_)
    files.push_back(path.string());
  root["files"] = std::move(files);
  try {
    createParent(file_);
    writeFileAtomically(file_,
                        root.dump(2, ' ', false, OrderedJson::error_handler_t::replace) + "\n");
  } catch (const InputError& e) {
    log::warn(std::string(e.what()) + " (the recent-files list is kept for this session)");
  }
}

// ---------------------------------------------------------------------------------------------
// One recovery file per running copy

FileLock::FileLock(std::filesystem::path file) : file_(std::move(file)) {
  std::error_code error;
  std::filesystem::create_directories(file_.parent_path(), error);
  fd_ = ::open(file_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    log::warn("cannot create " + file_.string() + ": " + std::strerror(errno));
    return;
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    log::warn("cannot lock " + file_.string() + ": " + std::strerror(errno));
    ::close(fd_);
    fd_ = -1;
  }
}

FileLock::~FileLock() {
  if (fd_ < 0) return;
  // Removed while still locked, so no other copy can take it over between the two steps.
  std::error_code error;
  std::filesystem::remove(file_, error);
  ::close(fd_);
}

std::filesystem::path sessionRecoveryFile(const std::filesystem::path& dir) {
  return dir / ("recovery-" + std::to_string(::getpid()) + ".json");
}

std::filesystem::path lockFileOf(const std::filesystem::path& recoveryFile) {
  std::filesystem::path lock = recoveryFile;
  lock.replace_extension(".lock");
  return lock;
}

std::vector<std::filesystem::path> abandonedRecoveryFiles(const std::filesystem::path& dir) {
  std::vector<std::pair<std::filesystem::file_time_type, std::filesystem::path>> found;
  std::error_code error;
  for (std::filesystem::directory_iterator it(dir, error), end; !error && it != end;
       it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.rfind("recovery", 0) != 0 || it->path().extension() != ".json" ||
        name.rfind("recovery-unreadable-", 0) == 0) {
      continue;
    }
    // In use when another process holds its lock (a lock on a fresh descriptor fails even
    // within this process, so our own file is never listed).
    const int fd = ::open(lockFileOf(it->path()).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      const bool inUse = ::flock(fd, LOCK_EX | LOCK_NB) != 0;
      ::close(fd);
      if (inUse) continue;
    }
    std::error_code timeError;
    found.emplace_back(std::filesystem::last_write_time(it->path(), timeError), it->path());
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::vector<std::filesystem::path> result;
  for (auto& entry : found) result.push_back(std::move(entry.second));
  return result;
}

std::filesystem::path setAsideUnreadable(const std::filesystem::path& recoveryFile) {
  std::string stamp = nowIso8601Utc();
  std::replace(stamp.begin(), stamp.end(), ':', '-');
  const std::filesystem::path target =
      recoveryFile.parent_path() / ("recovery-unreadable-" + stamp + ".json");
  std::error_code error;
  std::filesystem::rename(recoveryFile, target, error);
  if (error) {
    log::warn("cannot move " + recoveryFile.string() + " aside: " + error.message());
    return recoveryFile;
  }
  std::filesystem::remove(lockFileOf(recoveryFile), error);
  return target;
}

} // namespace fascia::app
