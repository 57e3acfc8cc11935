#pragma once
/// \file atomic_file.h
/// Replacing a file so that a crash, a full disk or a power cut at any moment leaves either the
/// old file or the new one, never a mix or an empty file.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string_view>

namespace fascia::app {

/// Test hooks for writeFileAtomically. Production code passes none.
struct AtomicWriteHooks {
  /// Called after each chunk written to the temporary file with the bytes written so far.
  /// Throwing from it simulates a failure mid-write: a std::system_error becomes an InputError
  /// with its reason (e.g. std::errc::no_space_on_device -> "No space left on device"); any
  /// other exception is rethrown as it is, after the same clean-up.
  std::function<void(std::size_t written)> afterChunk;
  /// Bytes per write() call; tests make it small to fail part-way through small files.
  std::size_t chunkSize = 64 * 1024;
};

/// Replaces `file` with `bytes`: writes a temporary file in the same folder, flushes it to the
/// disk (fsync), closes it, renames it over the target and flushes the folder. The new file
/// keeps the old one's permission bits; a new file gets the usual ones (0666 less the umask).
/// When `file` is a symbolic link, the file it points to is replaced and the link kept.
/// On any failure the temporary file is removed, the old file is left byte for byte as it was,
/// and InputError is thrown naming the file and the reason ("No space left on device",
/// "Permission denied", a missing folder...). A failure to flush the folder after the rename
/// is only logged: the new content is already in place.
void writeFileAtomically(const std::filesystem::path& file, std::string_view bytes,
                         const AtomicWriteHooks& hooks = {});

} // namespace fascia::app
