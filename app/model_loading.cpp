#include "model_loading.h"

#include <chrono>
#include <cstdio>
#include <thread>
#include <utility>

#include <unistd.h>

#include "fascia/error.h"
#include "fascia/log.h"

namespace fascia::app {

void Progress::set(float fraction, std::string_view stage) {
  fraction_.store(fraction);
  const std::lock_guard lock(mutex_);
  stage_ = stage;
}

std::string Progress::stage() const {
  const std::lock_guard lock(mutex_);
  return stage_;
}

TerminalProgress::TerminalProgress(std::string what)
    : what_(std::move(what)), tty_(isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()) {}

void TerminalProgress::update(float fraction, std::string_view stage) {
  if (!tty_) return;
  const std::lock_guard lock(mutex_);
  const int percent = static_cast<int>(fraction * 100.0f + 0.5f);
  if (percent == lastPercent_) return;
  lastPercent_ = percent;
  std::fprintf(stderr, "\rfascia: loading %s: %3d%% %-12.*s", what_.c_str(), percent,
               static_cast<int>(stage.size()), stage.data());
  std::fflush(stderr);
}

void TerminalProgress::finish(bool ok) {
  const std::lock_guard lock(mutex_);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  // Clear the progress line; a failure is then reported once, by whoever catches it.
  if (tty_ && lastPercent_ >= 0) std::fprintf(stderr, "\r\033[K");
  if (ok && tty_) std::fprintf(stderr, "fascia: loaded %s in %.2f s\n", what_.c_str(), seconds);
}

BackgroundLoad::BackgroundLoad(std::filesystem::path path)
    : path_(std::move(path)), progress_(std::make_shared<Progress>()) {
  // The worker holds its own shared copies, so it never outlives what it touches; the future's
  // destructor waits for it.
  model_ = std::async(std::launch::async, [path = path_, progress = progress_]() {
    TerminalProgress terminal(path.filename().string());
    try {
      auto model = std::make_shared<const Model>(
          loadModel(path, [&](float fraction, std::string_view stage) {
            progress->set(fraction, stage);
            terminal.update(fraction, stage);
          }));
      terminal.finish(true);
      return model;
    } catch (...) {
      terminal.finish(false);
      throw;
    }
  });
}

std::shared_ptr<const Model> BackgroundLoad::takeModel() {
  if (!model_.valid()) return nullptr;
  if (model_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return nullptr;
  try {
    return model_.get();
  } catch (const std::exception& error) {
    error_ = error.what();
    return nullptr;
  }
}

std::optional<std::string> BackgroundLoad::takeError() { return std::exchange(error_, {}); }

BackgroundBvh::BackgroundBvh(std::shared_ptr<const Model> model) : model_(std::move(model)) {
  bvh_ = std::async(std::launch::async,
                    [model = model_]() { return std::make_shared<const Bvh>(*model); });
}

bool BackgroundBvh::finished() const {
  return !bvh_.valid() || bvh_.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

std::shared_ptr<const Bvh> BackgroundBvh::take() {
  if (!bvh_.valid()) return nullptr;
  if (bvh_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return nullptr;
  try {
    return bvh_.get();
  } catch (const std::exception& error) {
    log::error(std::string("building the picking structure failed: ") + error.what());
    return nullptr;
  }
}

Model loadModelWithProgress(const std::filesystem::path& path) {
  TerminalProgress terminal(path.filename().string());
  try {
    Model model = loadModel(
        path, [&](float fraction, std::string_view stage) { terminal.update(fraction, stage); });
    terminal.finish(true);
    return model;
  } catch (...) {
    terminal.finish(false);
    throw;
  }
}

} // namespace fascia::app
