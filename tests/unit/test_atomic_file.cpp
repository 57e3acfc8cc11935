// Safe saving: a failure at any point leaves the previous file byte for byte and no temporary
// files behind.

#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "annotations.h"
#include "atomic_file.h"
#include "fascia/error.h"
#include "test_models.h"

namespace fascia::app {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> folderListing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string bigText(char fill) { return std::string(100'000, fill) + "\nend\n"; }

TEST(AtomicFile, WritesAndReplaces) {
  test::TempDir dir;
  writeFileAtomically(dir / "a.json", "first");
  EXPECT_EQ(test::readBytes(dir / "a.json"), "first");
  writeFileAtomically(dir / "a.json", bigText('x'));
  EXPECT_EQ(test::readBytes(dir / "a.json"), bigText('x'));
  writeFileAtomically(dir / "a.json", "");
  EXPECT_EQ(test::readBytes(dir / "a.json"), "");
  EXPECT_EQ(folderListing(dir.path()), std::vector<std::string>{"a.json"});
}

TEST(AtomicFile, FailureMidWriteLeavesTheOldFileByteIdentical) {
  test::TempDir dir;
  const std::string old = bigText('o');
  writeFileAtomically(dir / "a.json", old);
  const std::string replacement = bigText('n');

  AtomicWriteHooks hooks;
  hooks.chunkSize = 1000;
  std::size_t calls = 0;
  hooks.afterChunk = [&](std::size_t written) {
    ++calls;
    if (written >= replacement.size() / 2) {
      throw std::system_error(std::make_error_code(std::errc::no_space_on_device));
    }
  };
  try {
    writeFileAtomically(dir / "a.json", replacement, hooks);
    FAIL() << "no InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.file(), dir / "a.json");
    EXPECT_NE(error.reason().find("No space left on device"), std::string::npos) << error.what();
    EXPECT_NE(error.reason().find("previous version of the file is unchanged"), std::string::npos);
  }
  EXPECT_GT(calls, 10u); // it really failed part-way, not before starting
  EXPECT_EQ(test::readBytes(dir / "a.json"), old);
  EXPECT_EQ(folderListing(dir.path()), std::vector<std::string>{"a.json"});
}

TEST(AtomicFile, OtherExceptionsFromTheHookPassThroughAfterCleanUp) {
  test::TempDir dir;
  writeFileAtomically(dir / "a.json", "old");
  AtomicWriteHooks hooks;
  hooks.chunkSize = 1;
  hooks.afterChunk = [](std::size_t written) {
    if (written == 2) throw std::runtime_error("simulated crash");
  };
  EXPECT_THROW(writeFileAtomically(dir / "a.json", "new content", hooks), std::runtime_error);
  EXPECT_EQ(test::readBytes(dir / "a.json"), "old");
  EXPECT_EQ(folderListing(dir.path()), std::vector<std::string>{"a.json"});
}

TEST(AtomicFile, SaveAnnotationsFailingMidWriteKeepsThePreviousDocument) {
  test::TempDir dir;
  AnnotationDocument document;
  document.points.push_back(TriggerPoint{});
  document.points[0].id = "a";
  saveAnnotations(document, dir / "p.json");
  const std::string before = test::readBytes(dir / "p.json");

  // saveAnnotations has no hook; the same bytes through writeFileAtomically with one.
  document.points[0].label = std::string(5000, 'L');
  AtomicWriteHooks hooks;
  hooks.chunkSize = 100;
  hooks.afterChunk = [](std::size_t written) {
    if (written >= 2500) throw std::system_error(std::make_error_code(std::errc::io_error));
  };
  EXPECT_THROW(writeFileAtomically(dir / "p.json", toJson(document), hooks), InputError);
  EXPECT_EQ(test::readBytes(dir / "p.json"), before);
  EXPECT_EQ(readAnnotations(dir / "p.json").points[0].label, "");
}

TEST(AtomicFile, MissingFolderOrAFileInTheWayIsAnInputError) {
  test::TempDir dir;
  try {
    writeFileAtomically(dir / "no-such-folder" / "a.json", "x");
    FAIL() << "no InputError";
  } catch (const InputError& error) {
    EXPECT_NE(error.reason().find("does not exist"), std::string::npos) << error.what();
  }
  test::writeBytes(dir / "plain-file", "x");
  EXPECT_THROW(writeFileAtomically(dir / "plain-file" / "a.json", "x"), InputError);
  fs::create_directory(dir / "folder.json");
  try {
    writeFileAtomically(dir / "folder.json", "x");
    FAIL() << "no InputError";
  } catch (const InputError& error) {
    EXPECT_NE(error.reason().find("folder"), std::string::npos) << error.what();
  }
  EXPECT_THROW(writeFileAtomically(dir.path() / "", "x"), InputError);
}

TEST(AtomicFile, FolderThatIsAFileIsAnInputError) {
  // Fails for every user, root included (CI runs as root).
  test::TempDir dir;
  test::writeBytes(dir / "notes.txt", "a file, not a folder");
  try {
    writeFileAtomically(dir / "notes.txt" / "a.json", "new");
    ADD_FAILURE() << "no InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("a.json"), std::string::npos) << error.what();
  }
  EXPECT_EQ(test::readBytes(dir / "notes.txt"), "a file, not a folder");
}

TEST(AtomicFile, UnwritableFolderIsAnInputError) {
  // Root may write anywhere, so the permission case only means something for other users;
  // FolderThatIsAFileIsAnInputError and ReadOnlyFileSystemIsAnInputError cover root.
  if (::geteuid() == 0) {
    EXPECT_THROW(writeFileAtomically("/proc/self/unwritable/a.json", "x"), InputError);
    return;
  }
  test::TempDir dir;
  fs::create_directory(dir / "locked");
  writeFileAtomically(dir / "locked" / "a.json", "old");
  fs::permissions(dir / "locked", fs::perms::owner_read | fs::perms::owner_exec);
  try {
    writeFileAtomically(dir / "locked" / "a.json", "new");
    ADD_FAILURE() << "no InputError";
  } catch (const InputError& error) {
    EXPECT_NE(error.reason().find("Permission denied"), std::string::npos) << error.what();
  }
  fs::permissions(dir / "locked", fs::perms::owner_all);
  EXPECT_EQ(test::readBytes(dir / "locked" / "a.json"), "old");
}

TEST(AtomicFile, ReadOnlyFileSystemIsAnInputError) {
  // /proc is read-only even for root; nothing can be created there.
  if (!fs::is_directory("/proc/self")) GTEST_SKIP() << "no /proc";
  EXPECT_THROW(writeFileAtomically("/proc/self/fascia-test.json", "x"), InputError);
}

TEST(AtomicFile, KeepsPermissionsAndFollowsLinks) {
  test::TempDir dir;
  writeFileAtomically(dir / "a.json", "old");
  fs::permissions(dir / "a.json", fs::perms::owner_read | fs::perms::owner_write);
  writeFileAtomically(dir / "a.json", "new");
  EXPECT_EQ(fs::status(dir / "a.json").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);

  fs::create_symlink("a.json", dir / "link.json");
  writeFileAtomically(dir / "link.json", "through the link");
  EXPECT_TRUE(fs::is_symlink(dir / "link.json"));
  EXPECT_EQ(test::readBytes(dir / "a.json"), "through the link");
}

} // namespace
} // namespace fascia::app
