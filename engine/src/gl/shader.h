#pragma once
/// \file shader.h
/// Compiling and linking GLSL programs from the .vert / .frag files in shaders/.

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <glm/mat3x3.hpp>
#include <glm/mat4x4.hpp>
#include <glm/vec2.hpp>
#include <glm/vec3.hpp>
#include <glm/vec4.hpp>

#include "gl/objects.h"

namespace fascia::gl {

/// A linked program with its uniform locations cached at link time. Typed program classes in
/// the renderer wrap it with setters named after what the uniform means.
class ShaderProgram {
public:
  ShaderProgram() = default;

  /// Compiles `vertexFile` and `fragmentFile` with "#version 410 core" and one `#define` per
  /// entry of `defines` prepended, links them, and caches every active uniform's location.
  /// Needs a current context. Throws GraphicsError naming the file and carrying the driver's
  /// full log when a file is unreadable or compiling or linking fails.
  static ShaderProgram load(const std::filesystem::path& vertexFile,
                            const std::filesystem::path& fragmentFile,
                            const std::vector<std::string>& defines = {});

  /// Makes it the current program.
  void use() const;
  /// The location of a uniform, or -1 when the program has no such active uniform.
  GLint location(std::string_view uniform) const;

  void set(GLint location, float value) const;
  void set(GLint location, int value) const;
  void set(GLint location, const glm::vec2& value) const;
  void set(GLint location, const glm::vec3& value) const;
  void set(GLint location, const glm::vec4& value) const;
  void set(GLint location, const glm::mat3& value) const;
  void set(GLint location, const glm::mat4& value) const;

  GLuint name() const { return program_.name(); }

private:
  Program program_;
  std::map<std::string, GLint, std::less<>> locations_;
};

} // namespace fascia::gl
