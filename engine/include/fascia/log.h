#pragma once
/// \file log.h
/// A small levelled logger to stderr. Thread-safe; each call writes one whole line.

#include <string_view>

namespace fascia::log {

enum class Level { Debug, Info, Warn, Error, Off };

/// Messages below this level are dropped. Default: Info (Debug when FASCIA_LOG=debug is set).
void setLevel(Level level);
Level level();

void debug(std::string_view message);
void info(std::string_view message);
void warn(std::string_view message);
void error(std::string_view message);

} // namespace fascia::log
