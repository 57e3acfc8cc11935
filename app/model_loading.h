#pragma once
/// \file model_loading.h
/// Loading a model off the UI thread, with progress for the window and the terminal.

#include <atomic>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "fascia/bvh.h"
#include "fascia/model.h"
#include "fascia/model_loader.h"

namespace fascia::app {

/// Progress shared between a worker thread and the UI.
class Progress {
public:
  void set(float fraction, std::string_view stage);
  float fraction() const { return fraction_.load(); }
  std::string stage() const;

private:
  std::atomic<float> fraction_{0.0f};
  mutable std::mutex mutex_;
  std::string stage_;
};

/// Prints a progress line on stderr: rewritten in place on a terminal, start and end lines
/// otherwise. Thread-safe.
class TerminalProgress {
public:
  explicit TerminalProgress(std::string what);
  void update(float fraction, std::string_view stage);
  /// Ends the line ("done in 0.8 s" or "failed").
  void finish(bool ok);

private:
  std::string what_;
  bool tty_;
  int lastPercent_ = -1;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
};

/// Loads a model on a worker thread, then builds its BVH there too.
class BackgroundLoad {
public:
  /// Starts loading at once.
  explicit BackgroundLoad(std::filesystem::path path);
  ~BackgroundLoad();
  BackgroundLoad(const BackgroundLoad&) = delete;
  BackgroundLoad& operator=(const BackgroundLoad&) = delete;

  const std::filesystem::path& path() const { return path_; }
  const Progress& progress() const { return *progress_; }

  /// The model, once loaded (shown before picking is ready). Empty until then, and after a
  /// failure. Each result is handed out once.
  std::shared_ptr<const Model> takeModel();
  /// The error message, once the load has failed; handed out once.
  std::optional<std::string> takeError();
  /// The BVH, once built after the model; handed out once.
  std::shared_ptr<const Bvh> takeBvh();
  /// True when the worker has nothing more to hand out.
  bool finished() const;

private:
  std::filesystem::path path_;
  std::shared_ptr<Progress> progress_;
  std::future<std::shared_ptr<const Model>> model_;
  std::future<std::shared_ptr<const Bvh>> bvh_;
  std::shared_ptr<std::promise<std::shared_ptr<const Bvh>>> bvhPromise_;
  bool modelTaken_ = false;
  bool bvhTaken_ = false;
  std::optional<std::string> error_;
};

/// Loads a model on this thread with a terminal progress line. Throws InputError.
Model loadModelWithProgress(const std::filesystem::path& path);

} // namespace fascia::app
