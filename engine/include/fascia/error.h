#pragma once
/// \file error.h
/// Exceptions thrown by the engine for bad input. Messages name the file and the reason in
/// words a user can act on; they are shown as they are.

#include <filesystem>
#include <stdexcept>
#include <string>

namespace fascia {

/// Bad input data: a missing, unreadable, truncated, corrupt or empty file, or one whose
/// content breaks the rules (NaN vertices, unknown layer...). The command line maps it to exit
/// status 2; the window shows it and keeps the current model.
class InputError : public std::runtime_error {
public:
  /// what() reads "<file>: <reason>".
  InputError(const std::filesystem::path& file, const std::string& reason);
  const std::filesystem::path& file() const noexcept { return file_; }
  const std::string& reason() const noexcept { return reason_; }

private:
  std::filesystem::path file_;
  std::string reason_;
};

/// A failure of the graphics system (no context, shader compile error...). Exit status 1.
class GraphicsError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

} // namespace fascia
