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

/// Loads a model on a worker thread.
class BackgroundLoad {
public:
  /// Starts loading at once.
  explicit BackgroundLoad(std::filesystem::path path);
  BackgroundLoad(const BackgroundLoad&) = delete;
  BackgroundLoad& operator=(const BackgroundLoad&) = delete;

  const std::filesystem::path& path() const { return path_; }
  const Progress& progress() const { return *progress_; }

  /// The model once loaded, else null (still loading, or failed). Handed out once.
  std::shared_ptr<const Model> takeModel();
  /// The error message once loading has failed, else empty. Handed out once.
  std::optional<std::string> takeError();

private:
  std::filesystem::path path_;
  std::shared_ptr<Progress> progress_;
  std::future<std::shared_ptr<const Model>> model_;
  std::optional<std::string> error_;
};

/// Builds a model's BVH on a worker thread. The viewer starts it after the first frame that
/// shows the model, so the two cores of a small machine go to that frame first. Destroying it
/// waits for the worker: the viewer keeps superseded builds aside until they finish.
class BackgroundBvh {
public:
  explicit BackgroundBvh(std::shared_ptr<const Model> model);
  const std::shared_ptr<const Model>& model() const { return model_; }
  /// The BVH once built, else null. Handed out once.
  std::shared_ptr<const Bvh> take();
  /// Whether the worker has finished (destroying the object then does not wait).
  bool finished() const;

private:
  std::shared_ptr<const Model> model_;
  std::future<std::shared_ptr<const Bvh>> bvh_;
};

/// Loads a model on this thread with a terminal progress line. Throws InputError.
Model loadModelWithProgress(const std::filesystem::path& path);

} // namespace fascia::app
