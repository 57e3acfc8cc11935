#include "atomic_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fascia/error.h"
#include "fascia/log.h"

namespace fascia::app {
namespace {

namespace fs = std::filesystem;

/// A file descriptor closed on scope exit (errors of that close are ignored: the success path
/// closes explicitly and checks).
class FileDescriptor {
public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  /// Closes now and reports close()'s error: on NFS and some FUSE file systems a failed write
  /// shows up only here.
  int close() {
    const int result = ::close(fd_);
    fd_ = -1;
    return result;
  }

private:
  int fd_;
};

/// Something went wrong at `step`; carries errno.
[[noreturn]] void fail(int error, const std::string& step) {
  throw std::system_error(error, std::generic_category(), step);
}

std::string randomSuffix() {
  std::random_device device;
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string suffix;
  for (int i = 0; i < 8; ++i)
    suffix += kChars[device() % (sizeof kChars - 1)];
  return suffix;
}

/// Creates the temporary file next to the target with O_EXCL (so it never reuses a stranger's
/// file) and the mode the new file should end with.
int createTemporary(const fs::path& folder, const std::string& name, mode_t mode,
                    fs::path& temporary) {
  for (int attempt = 0; attempt < 16; ++attempt) {
    // A leading dot hides it from file dialogs should a crash leave it behind.
    temporary = folder / ("." + name + ".tmp-" + randomSuffix());
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd >= 0) return fd;
    if (errno != EEXIST) {
      temporary.clear();
      return -1;
    }
  }
  temporary.clear();
  errno = EEXIST;
  return -1;
}

std::string describeCreateError(int error, const fs::path& folder) {
  const std::string where = folder.empty() ? std::string("the current folder") : folder.string();
  switch (error) {
  case ENOENT:
    return "cannot save: the folder " + where + " does not exist";
  case EACCES:
  case EPERM:
    return "cannot save: no permission to create files in " + where +
           " (Permission denied); choose another folder";
  case EROFS:
    return "cannot save: " + where + " is on a read-only file system; choose another folder";
  default:
    return "cannot save: creating a temporary file in " + where + " failed (" +
           std::strerror(error) + ")";
  }
}

void writeAll(int fd, std::string_view bytes, const AtomicWriteHooks& hooks) {
  const std::size_t chunk = std::max<std::size_t>(hooks.chunkSize, 1);
  std::size_t written = 0;
  while (written < bytes.size()) {
    const std::size_t want = std::min(chunk, bytes.size() - written);
    const ssize_t n = ::write(fd, bytes.data() + written, want);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(errno, "writing");
    }
    written += static_cast<std::size_t>(n);
    if (hooks.afterChunk) hooks.afterChunk(written);
  }
}

/// Flushes the folder entry of the rename, so the new name survives a power cut.
void syncFolder(const fs::path& folder) {
  const fs::path dir = folder.empty() ? fs::path(".") : folder;
  FileDescriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || (::fsync(fd.get()) != 0 && errno != EINVAL && errno != EROFS)) {
    log::warn("saved, but flushing the folder " + dir.string() +
              " to disk failed: " + std::strerror(errno));
  }
}

} // namespace

void writeFileAtomically(const fs::path& file, std::string_view bytes,
                         const AtomicWriteHooks& hooks) {
  std::error_code error;
  // Replace what a link points to, not the link: the user chose that file.
  fs::path target = file;
  if (fs::is_symlink(fs::symlink_status(file, error))) {
    const fs::path resolved = fs::weakly_canonical(file, error);
    if (!error) target = resolved;
  }
  if (target.filename().empty()) {
    throw InputError(file, "cannot save: the path names a folder, not a file");
  }
  const fs::file_status status = fs::status(target, error);
  if (fs::is_directory(status)) {
    throw InputError(file, "cannot save: a folder with that name is in the way");
  }

  // Keep the old file's permissions; a new file gets 0666 less the umask, as open() applies it.
  mode_t mode = 0666;
  struct stat info {};
  const bool replacing = ::stat(target.c_str(), &info) == 0;
  if (replacing) mode = info.st_mode & 07777;

  const fs::path folder = target.parent_path();
  fs::path temporary;
  FileDescriptor fd(createTemporary(folder, target.filename().string(), mode, temporary));
  if (fd.get() < 0) throw InputError(file, describeCreateError(errno, folder));

  try {
    writeAll(fd.get(), bytes, hooks);
    // open() applied the umask; an existing file's exact mode must survive the replacement.
    if (replacing && ::fchmod(fd.get(), mode) != 0) fail(errno, "setting permissions");
    if (::fsync(fd.get()) != 0) fail(errno, "flushing to disk");
    if (fd.close() != 0) fail(errno, "closing");
    if (::rename(temporary.c_str(), target.c_str()) != 0) fail(errno, "replacing the old file");
  } catch (...) {
    if (fd.get() >= 0) fd.close();
    std::error_code ignored;
    fs::remove(temporary, ignored);
    try {
      throw;
    } catch (const std::system_error& e) {
      throw InputError(file, "cannot save: " + std::string(e.what()) +
                                 "; the previous version of the file is unchanged");
    }
  }
  syncFolder(folder);
}

} // namespace fascia::app
