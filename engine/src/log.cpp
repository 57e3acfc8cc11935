#include "fascia/log.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

namespace fascia::log {
namespace {

Level initialLevel() {
  const char* env = std::getenv("FASCIA_LOG");
  if (env == nullptr) return Level::Info;
  const std::string value(env);
  if (value == "debug") return Level::Debug;
  if (value == "warn") return Level::Warn;
  if (value == "error") return Level::Error;
  if (value == "off") return Level::Off;
  return Level::Info;
}

std::atomic<Level>& currentLevel() {
  static std::atomic<Level> value{initialLevel()};
  return value;
}

void write(Level messageLevel, const char* tag, std::string_view message) {
  if (messageLevel < currentLevel().load()) return;
  static std::mutex mutex;
  const std::lock_guard lock(mutex);
  std::fprintf(stderr, "fascia: %s%.*s\n", tag, static_cast<int>(message.size()), message.data());
}

} // namespace

void setLevel(Level value) { currentLevel().store(value); }
Level level() { return currentLevel().load(); }

void debug(std::string_view message) { write(Level::Debug, "debug: ", message); }
void info(std::string_view message) { write(Level::Info, "", message); }
void warn(std::string_view message) { write(Level::Warn, "warning: ", message); }
void error(std::string_view message) { write(Level::Error, "error: ", message); }

} // namespace fascia::log
