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
      start_(std::chrono::steady_clock::now()) {
  if (!tty_) std::fprintf(stderr, "fascia: loading %s ...\n", what_.c_str());
}

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
  if (tty_) std::fprintf(stderr, "\r\033[K");
  if (ok) {
    std::fprintf(stderr, "fascia: loaded %s in %.2f s\n", what_.c_str(), seconds);
  } else if (tty_) {
    std::fprintf(stderr, "fascia: loading %s failed\n", what_.c_str());
  }
}

BackgroundLoad::BackgroundLoad(std::filesystem::path path)
    : path_(std::move(path)), progress_(std::make_shared<Progress>()),
      bvhPromise_(std::make_shared<std::promise<std::shared_ptr<const Bvh>>>()) {
  bvh_ = bvhPromise_->get_future();
  // The worker owns shared copies of everything it touches, so destroying this object while
  // it runs only waits for the futures (std::async's destructor) and never dangles.
  model_ = std::async(std::launch::async, [path = path_, progress = progress_,
                                           bvhPromise = bvhPromise_]() {
    auto terminal = std::make_shared<TerminalProgress>(path.filename().string());
    std::shared_ptr<const Model> model;
    try {
      model = std::make_shared<const Model>(
          loadModel(path, [&](float fraction, std::string_view stage) {
            progress->set(fraction * 0.9f, stage);
            terminal->update(fraction, stage);
          }));
      terminal->finish(true);
    } catch (...) {
      terminal->finish(false);
      bvhPromise->set_value(nullptr);
      throw;
    }
    // The BVH follows on the same thread: the first frame does not wait for it.
    std::thread([model, progress, bvhPromise]() {
      try {
        progress->set(0.95f, "picking");
        bvhPromise->set_value(std::make_shared<const Bvh>(*model));
        progress->set(1.0f, "ready");
      } catch (...) {
        bvhPromise->set_exception(std::current_exception());
      }
    }).detach();
    return model;
  });
}

BackgroundLoad::~BackgroundLoad() {
  // Wait for the BVH too, so no worker outlives the program's teardown.
  if (bvh_.valid()) bvh_.wait();
}

std::shared_ptr<const Model> BackgroundLoad::takeModel() {
  if (modelTaken_ || !model_.valid()) return nullptr;
  if (model_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return nullptr;
  modelTaken_ = true;
  try {
    return model_.get();
  } catch (const std::exception& error) {
    error_ = error.what();
    return nullptr;
  }
}

std::optional<std::string> BackgroundLoad::takeError() { return std::exchange(error_, {}); }

std::shared_ptr<const Bvh> BackgroundLoad::takeBvh() {
  if (!modelTaken_ || bvhTaken_ || !bvh_.valid()) return nullptr;
  if (bvh_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return nullptr;
  bvhTaken_ = true;
  try {
    return bvh_.get();
  } catch (const std::exception& error) {
    log::error(std::string("building the picking structure failed: ") + error.what());
    return nullptr;
  }
}

bool BackgroundLoad::finished() const { return modelTaken_ && bvhTaken_ && !error_; }

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
