// The GL resource wrappers own exactly one name and are move-only. These checks need no
// context: empty objects never touch GL.

#include <gtest/gtest.h>

#include <type_traits>

#include "gl/objects.h"

namespace {

using namespace fascia::gl;

template <typename T>
constexpr bool kMoveOnly = !std::is_copy_constructible_v<T> && !std::is_copy_assignable_v<T> &&
                           std::is_nothrow_move_constructible_v<T> &&
                           std::is_nothrow_move_assignable_v<T>;

static_assert(kMoveOnly<Buffer>);
static_assert(kMoveOnly<VertexArray>);
static_assert(kMoveOnly<Texture>);
static_assert(kMoveOnly<Renderbuffer>);
static_assert(kMoveOnly<Framebuffer>);
static_assert(kMoveOnly<Shader>);
static_assert(kMoveOnly<Program>);
static_assert(kMoveOnly<Query>);
static_assert(sizeof(Buffer) == sizeof(GLuint), "one GL name, nothing else");

TEST(GlObjects, DefaultConstructedIsEmpty) {
  const Buffer buffer;
  EXPECT_FALSE(buffer);
  EXPECT_EQ(buffer.name(), 0u);
}

TEST(GlObjects, MoveTransfersOwnershipAndReleaseGivesItAway) {
  // A made-up name: release() before destruction, so GL is never called without a context.
  Buffer a(42u);
  Buffer b(std::move(a));
  EXPECT_EQ(a.name(), 0u); // NOLINT(bugprone-use-after-move): checking the moved-from state
  EXPECT_EQ(b.name(), 42u);
  Buffer c;
  c = std::move(b);
  EXPECT_EQ(c.name(), 42u);
  EXPECT_EQ(c.release(), 42u);
  EXPECT_FALSE(c);
}

} // namespace
