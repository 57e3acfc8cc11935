#pragma once
/// \file user_files.h
/// Per-user state kept between sessions: crash recovery of unsaved annotations, the autosave
/// schedule, and the recently opened annotation files. Files live in userStateDir().

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "annotations.h"

namespace fascia::app {

/// The folder for per-user state: $FASCIA_STATE_DIR when set (tests), else
/// $XDG_STATE_HOME/fascia-atlas (when absolute, as the XDG spec requires), else
/// $HOME/.local/state/fascia-atlas (the home folder from the password database when HOME is
/// unset). Only computes the path; writers create the folder when they first write.
std::filesystem::path userStateDir();

// ---------------------------------------------------------------------------------------------
// Crash recovery

/// The last autosaved copy of the open document, written while it has unsaved changes and
/// discarded when it is saved or closed. The file is an annotation file (it opens as one)
/// with an extra "recovery" object saying which document it belongs to and when it was taken.
class RecoveryStore {
public:
  /// What read() found.
  struct Recovery {
    AnnotationDocument document;
    /// The file the document was opened from or last saved to; empty for a new document.
    std::filesystem::path documentPath;
    /// When the copy was taken, ISO-8601 UTC.
    std::string savedAt;
  };

  /// Uses `file` (created on first write, with its folder). Throws nothing.
  explicit RecoveryStore(std::filesystem::path file = userStateDir() / "recovery.json");

  /// Atomically replaces the recovery file with the document. Throws InputError naming the
  /// file and the reason (the caller logs it and keeps going: the document is still open).
  void write(const AnnotationDocument& document, const std::filesystem::path& documentPath);

  /// The recovery copy, or none when there is no recovery file. Throws InputError when the
  /// file is there but corrupt; the caller shows the message and keeps the file for the user.
  std::optional<Recovery> read() const;

  /// Removes the recovery file, if any. A failure is logged, not thrown: at worst recovery is
  /// offered once more at the next start.
  void discard();

  /// The recovery file's path.
  const std::filesystem::path& file() const { return file_; }

private:
  std::filesystem::path file_;
};

// ---------------------------------------------------------------------------------------------
// One recovery file per running copy

/// An exclusive advisory lock (flock) on a file, held while the object lives. Each running copy
/// of the program locks "recovery-<pid>.lock" beside its own recovery file, so another copy
/// started meanwhile knows that file is in use: it neither offers it as a crash to restore
/// nor discards it. The lock goes with the process, also when it crashes.
class FileLock {
public:
  /// Creates the file (and its folder) if needed and locks it. Throws nothing: held() says
  /// whether it worked.
  explicit FileLock(std::filesystem::path file);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  bool held() const { return fd_ >= 0; }
  const std::filesystem::path& file() const { return file_; }

private:
  std::filesystem::path file_;
  int fd_ = -1;
};

/// This process's recovery file in `dir`: "recovery-<pid>.json".
std::filesystem::path sessionRecoveryFile(const std::filesystem::path& dir = userStateDir());

/// The lock file that marks a recovery file as in use: the same name with ".lock".
std::filesystem::path lockFileOf(const std::filesystem::path& recoveryFile);

/// Recovery files in `dir` left by copies of the program that are no longer running (nobody
/// holds their lock), newest first: the work a crash left behind. Files set aside as
/// unreadable ("recovery-unreadable-*") are not listed.
std::vector<std::filesystem::path> abandonedRecoveryFiles(
    const std::filesystem::path& dir = userStateDir());

/// Moves a recovery file that cannot be read out of the way, to
/// "recovery-unreadable-<time>.json" in the same folder, so it is neither offered again nor
/// overwritten, and returns the new name (the old one if the move failed).
std::filesystem::path setAsideUnreadable(const std::filesystem::path& recoveryFile);

// ---------------------------------------------------------------------------------------------
// Autosave schedule

/// When to write the recovery copy. Pure logic: the caller passes the time in seconds (any
/// steady clock, e.g. glfwGetTime()), so tests need no sleeping.
class AutosaveTimer {
public:
  /// Autosave this long after the first change not yet autosaved.
  static constexpr double kInterval = 30.0;

  /// The document changed at `now`. Starts the countdown unless one is running already (a
  /// stream of edits does not postpone the autosave forever).
  void markChanged(double now);
  /// The document was saved to its file: nothing is pending.
  void markSaved();
  /// True when changes are pending and at least kInterval seconds have passed since the first.
  bool due(double now) const;
  /// The recovery copy was written at `now`: nothing is pending until the next change.
  void markAutosaved(double now);

  /// Whether changes are waiting for an autosave.
  bool pending() const { return pending_; }
  /// When the last autosave was written, if ever.
  std::optional<double> lastAutosave() const { return lastAutosave_; }

private:
  bool pending_ = false;
  double firstChange_ = 0.0;
  std::optional<double> lastAutosave_;
};

// ---------------------------------------------------------------------------------------------
// Recent files

/// The annotation files opened or saved most recently, newest first, without duplicates, at
/// most kMax; stored as JSON in `file` and written atomically on every change. A missing file
/// gives an empty list; a corrupt one gives an empty list and a warning in the log (the list
/// is a convenience, never worth an error dialog).
class RecentFiles {
public:
  static constexpr std::size_t kMax = 8;

  /// Loads the list from `file`. Throws nothing.
  explicit RecentFiles(std::filesystem::path file = userStateDir() / "recent.json");

  /// Moves `document` (made absolute) to the front. Saving failures are logged, not thrown.
  void add(const std::filesystem::path& document);
  /// Removes `document`, e.g. after opening it failed. Saving failures are logged.
  void remove(const std::filesystem::path& document);
  /// Newest first.
  const std::vector<std::filesystem::path>& list() const { return files_; }

  /// The list's own file.
  const std::filesystem::path& file() const { return file_; }

private:
  /// Writes the list atomically; logs failures.
  void save() const;

  std::filesystem::path file_;
  std::vector<std::filesystem::path> files_;
};

} // namespace fascia::app
