#include "gl/shader.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>

#include <glm/gtc/type_ptr.hpp>

#include "fascia/error.h"

namespace fascia::gl {
namespace {

std::string readSource(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw GraphicsError("cannot read shader " + file.string() +
                        ": the file is missing or unreadable (is the shaders/ folder installed "
                        "next to the program, or FASCIA_DATA_DIR set?)");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string infoLog(GLuint object, bool isProgram) {
  GLint length = 0;
  if (isProgram) {
    glGetProgramiv(object, GL_INFO_LOG_LENGTH, &length);
  } else {
    glGetShaderiv(object, GL_INFO_LOG_LENGTH, &length);
  }
  std::string log(static_cast<std::size_t>(std::max(length, 1)), '\0');
  if (isProgram) {
    glGetProgramInfoLog(object, length, nullptr, log.data());
  } else {
    glGetShaderInfoLog(object, length, nullptr, log.data());
  }
  return log;
}

Shader compile(GLenum stage, const std::filesystem::path& file,
               const std::vector<std::string>& defines) {
  std::string header = "#version 410 core\n";
  for (const std::string& define : defines) header += "#define " + define + "\n";
  // Keep the driver's line numbers matching the file: the header lines are not counted.
  header += "#line 1\n";
  const std::string body = readSource(file);
  const std::array<const char*, 2> sources = {header.c_str(), body.c_str()};

  Shader shader(glCreateShader(stage));
  glShaderSource(shader.name(), 2, sources.data(), nullptr);
  glCompileShader(shader.name());
  GLint ok = GL_FALSE;
  glGetShaderiv(shader.name(), GL_COMPILE_STATUS, &ok);
  if (ok != GL_TRUE) {
    throw GraphicsError("shader " + file.string() + " failed to compile:\n" +
                        infoLog(shader.name(), false));
  }
  return shader;
}

} // namespace

ShaderProgram ShaderProgram::load(const std::filesystem::path& vertexFile,
                                  const std::filesystem::path& fragmentFile,
                                  const std::vector<std::string>& defines) {
  const Shader vertex = compile(GL_VERTEX_SHADER, vertexFile, defines);
  const Shader fragment = compile(GL_FRAGMENT_SHADER, fragmentFile, defines);

  ShaderProgram result;
  result.program_ = Program(glCreateProgram());
  const GLuint program = result.program_.name();
  glAttachShader(program, vertex.name());
  glAttachShader(program, fragment.name());
  glLinkProgram(program);
  GLint ok = GL_FALSE;
  glGetProgramiv(program, GL_LINK_STATUS, &ok);
  glDetachShader(program, vertex.name());
  glDetachShader(program, fragment.name());
  if (ok != GL_TRUE) {
    throw GraphicsError("shader program " + vertexFile.string() + " + " + fragmentFile.string() +
                        " failed to link:\n" + infoLog(program, true));
  }

  GLint count = 0;
  glGetProgramiv(program, GL_ACTIVE_UNIFORMS, &count);
  std::array<char, 256> nameBuffer{};
  for (GLint i = 0; i < count; ++i) {
    GLsizei length = 0;
    GLint size = 0;
    GLenum type = 0;
    glGetActiveUniform(program, static_cast<GLuint>(i), static_cast<GLsizei>(nameBuffer.size()),
                       &length, &size, &type, nameBuffer.data());
    std::string name(nameBuffer.data(), static_cast<std::size_t>(length));
    // Arrays are reported as "name[0]"; store them under the bare name too.
    if (const auto bracket = name.find('['); bracket != std::string::npos) {
      name.resize(bracket);
    }
    result.locations_[name] = glGetUniformLocation(program, nameBuffer.data());
  }
  return result;
}

void ShaderProgram::use() const { glUseProgram(program_.name()); }

GLint ShaderProgram::location(std::string_view uniform) const {
  const auto it = locations_.find(uniform);
  return it == locations_.end() ? -1 : it->second;
}

void ShaderProgram::set(GLint loc, float value) const { glUniform1f(loc, value); }
void ShaderProgram::set(GLint loc, int value) const { glUniform1i(loc, value); }
void ShaderProgram::set(GLint loc, const glm::vec2& value) const {
  glUniform2f(loc, value.x, value.y);
}
void ShaderProgram::set(GLint loc, const glm::vec3& value) const {
  glUniform3fv(loc, 1, glm::value_ptr(value));
}
void ShaderProgram::set(GLint loc, const glm::vec4& value) const {
  glUniform4fv(loc, 1, glm::value_ptr(value));
}
void ShaderProgram::set(GLint loc, const glm::mat3& value) const {
  glUniformMatrix3fv(loc, 1, GL_FALSE, glm::value_ptr(value));
}
void ShaderProgram::set(GLint loc, const glm::mat4& value) const {
  glUniformMatrix4fv(loc, 1, GL_FALSE, glm::value_ptr(value));
}

} // namespace fascia::gl
