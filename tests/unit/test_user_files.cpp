// Per-user state: where it lives, crash recovery, the autosave schedule and recent files.

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "annotations.h"
#include "fascia/error.h"
#include "test_models.h"
#include "user_files.h"

namespace fascia::app {
namespace {

namespace fs = std::filesystem;

/// Sets (or unsets, with nullopt) an environment variable for one scope.
class ScopedEnv {
public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      ::setenv(name, value->c_str(), 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
  const char* name_;
  std::optional<std::string> old_;
};

AnnotationDocument sampleDocument() {
  AnnotationDocument document;
  document.modelName = "torso.glb";
  TriggerPoint p;
  p.id = "tp-1";
  p.label = "Levator scapulae ✋";
  p.structure = "levator_scapulae_left";
  p.position = {0.06f, 1.45f, -0.05f};
  p.notes = "worse in the morning\nafter sleeping on the left";
  document.points.push_back(p);
  return document;
}

// ---------------------------------------------------------------------------------------------
// userStateDir

TEST(UserFiles, StateDirFollowsTheEnvironment) {
  ScopedEnv home("HOME", "/home/therapist");
  {
    ScopedEnv state("FASCIA_STATE_DIR", "/tmp/fascia-state");
    ScopedEnv xdg("XDG_STATE_HOME", "/xdg/state");
    EXPECT_EQ(userStateDir(), fs::path("/tmp/fascia-state"));
  }
  ScopedEnv state("FASCIA_STATE_DIR", std::nullopt);
  {
    ScopedEnv xdg("XDG_STATE_HOME", "/xdg/state");
    EXPECT_EQ(userStateDir(), fs::path("/xdg/state/fascia-atlas"));
  }
  {
    // The XDG spec says relative paths are invalid and must be ignored.
    ScopedEnv xdg("XDG_STATE_HOME", "relative/state");
    EXPECT_EQ(userStateDir(), fs::path("/home/therapist/.local/state/fascia-atlas"));
  }
  ScopedEnv xdg("XDG_STATE_HOME", std::nullopt);
  EXPECT_EQ(userStateDir(), fs::path("/home/therapist/.local/state/fascia-atlas"));
  ScopedEnv noHome("HOME", std::nullopt);
  EXPECT_FALSE(userStateDir().empty());
}

// ---------------------------------------------------------------------------------------------
// RecoveryStore

TEST(UserFiles, RecoveryWriteReadDiscard) {
  test::TempDir dir;
  RecoveryStore store(dir / "state" / "nested" / "recovery.json");
  EXPECT_FALSE(store.read());
  store.discard(); // nothing to remove: no error

  store.write(sampleDocument(), "/home/therapist/patients/anna.json");
  const auto recovery = store.read();
  ASSERT_TRUE(recovery);
  EXPECT_EQ(recovery->document, sampleDocument());
  EXPECT_EQ(recovery->documentPath, fs::path("/home/therapist/patients/anna.json"));
  EXPECT_EQ(recovery->savedAt.size(), 20u) << recovery->savedAt; // 2024-05-01T09:30:00Z

  // The recovery file is itself an annotation file.
  EXPECT_EQ(readAnnotations(store.file()), sampleDocument());

  // A new, never-saved document has no path.
  store.write(AnnotationDocument{}, {});
  ASSERT_TRUE(store.read());
  EXPECT_TRUE(store.read()->documentPath.empty());
  EXPECT_TRUE(store.read()->document.points.empty());

  store.discard();
  EXPECT_FALSE(store.read());
  EXPECT_FALSE(fs::exists(store.file()));
}

TEST(UserFiles, CorruptRecoveryIsAnErrorAndTheFileIsKept) {
  test::TempDir dir;
  RecoveryStore store(dir / "recovery.json");
  store.write(sampleDocument(), "a.json");
  const std::string good = test::readBytes(store.file());
  for (const std::string& bad :
       {good.substr(0, good.size() / 3), std::string("garbage"), std::string(),
        // A valid annotation file without the recovery object.
        toJson(sampleDocument())}) {
    test::writeBytes(store.file(), bad);
    EXPECT_THROW(store.read(), InputError) << bad;
    EXPECT_EQ(test::readBytes(store.file()), bad);
  }
}

TEST(UserFiles, RecoveryWriteToAnImpossiblePlaceIsAnInputError) {
  test::TempDir dir;
  test::writeBytes(dir / "file", "x");
  RecoveryStore store(dir / "file" / "recovery.json");
  EXPECT_THROW(store.write(sampleDocument(), {}), InputError);
}

TEST(UserFiles, DefaultLocationsAreInTheStateDir) {
  test::TempDir dir;
  ScopedEnv state("FASCIA_STATE_DIR", dir.path().string());
  EXPECT_EQ(RecoveryStore().file(), dir / "recovery.json");
  EXPECT_EQ(RecentFiles().file(), dir / "recent.json");
}

// ---------------------------------------------------------------------------------------------
// AutosaveTimer

TEST(UserFiles, AutosaveIsDueThirtySecondsAfterTheFirstUnsavedChange) {
  AutosaveTimer timer;
  EXPECT_FALSE(timer.due(0.0));
  EXPECT_FALSE(timer.due(1e9)); // nothing changed
  timer.markChanged(100.0);
  EXPECT_TRUE(timer.pending());
  EXPECT_FALSE(timer.due(129.9));
  // Later edits do not postpone it.
  timer.markChanged(110.0);
  timer.markChanged(129.0);
  EXPECT_TRUE(timer.due(130.0));
  timer.markAutosaved(130.5);
  EXPECT_FALSE(timer.pending());
  EXPECT_FALSE(timer.due(500.0));
  EXPECT_EQ(timer.lastAutosave(), 130.5);

  // The next change starts a new countdown from its own time.
  timer.markChanged(200.0);
  EXPECT_FALSE(timer.due(229.0));
  EXPECT_TRUE(timer.due(230.0));
}

TEST(UserFiles, SavingCancelsThePendingAutosave) {
  AutosaveTimer timer;
  timer.markChanged(10.0);
  timer.markSaved();
  EXPECT_FALSE(timer.pending());
  EXPECT_FALSE(timer.due(100.0));
  EXPECT_FALSE(timer.lastAutosave());
  timer.markChanged(100.0);
  EXPECT_FALSE(timer.due(100.0 + AutosaveTimer::kInterval - 0.001));
  EXPECT_TRUE(timer.due(100.0 + AutosaveTimer::kInterval));
}

// ---------------------------------------------------------------------------------------------
// RecentFiles

TEST(UserFiles, RecentFilesOrderDedupeAndMaximum) {
  test::TempDir dir;
  RecentFiles recent(dir / "recent.json");
  EXPECT_TRUE(recent.list().empty());
  recent.add("/p/a.json");
  recent.add("/p/b.json");
  recent.add("/p/x/../a.json"); // the same file as the first: moves to the front
  ASSERT_EQ(recent.list().size(), 2u);
  EXPECT_EQ(recent.list()[0], fs::path("/p/a.json"));
  EXPECT_EQ(recent.list()[1], fs::path("/p/b.json"));

  for (int i = 0; i < 12; ++i)
    recent.add("/p/f" + std::to_string(i) + ".json");
  ASSERT_EQ(recent.list().size(), RecentFiles::kMax);
  EXPECT_EQ(recent.list().front(), fs::path("/p/f11.json"));
  EXPECT_EQ(recent.list().back(), fs::path("/p/f4.json"));

  recent.remove("/p/f7.json");
  recent.remove("/p/not-there.json");
  EXPECT_EQ(recent.list().size(), RecentFiles::kMax - 1);

  // Relative paths are stored absolute.
  recent.add("relative.json");
  EXPECT_TRUE(recent.list().front().is_absolute());
  EXPECT_EQ(recent.list().front().filename(), "relative.json");
}

TEST(UserFiles, RecentFilesPersist) {
  test::TempDir dir;
  {
    RecentFiles recent(dir / "state" / "recent.json");
    recent.add("/p/a.json");
    recent.add("/p/b ünïcode 📁.json");
  }
  RecentFiles again(dir / "state" / "recent.json");
  ASSERT_EQ(again.list().size(), 2u);
  EXPECT_EQ(again.list()[0], fs::path("/p/b ünïcode 📁.json"));
  EXPECT_EQ(again.list()[1], fs::path("/p/a.json"));
  again.remove("/p/a.json");
  EXPECT_EQ(RecentFiles(dir / "state" / "recent.json").list().size(), 1u);
}

TEST(UserFiles, CorruptRecentFilesGiveAnEmptyList) {
  test::TempDir dir;
  for (const std::string& bad :
       {std::string("{\"format\": \"fascia-recent-files\", \"version\": 1, \"files\": [\"/a"),
        std::string("[]"), std::string(""),
        std::string(R"({"format": "fascia-recent-files", "version": 1, "files": [3]})"),
        std::string(R"({"format": "fascia-recent-files", "version": 9, "files": []})")}) {
    test::writeBytes(dir / "recent.json", bad);
    RecentFiles recent(dir / "recent.json");
    EXPECT_TRUE(recent.list().empty()) << bad;
    // And it recovers on the next add.
    recent.add("/p/a.json");
    EXPECT_EQ(RecentFiles(dir / "recent.json").list().size(), 1u);
  }
}

TEST(UserFiles, RecentFilesThatCannotBeSavedDoNotThrow) {
  test::TempDir dir;
  test::writeBytes(dir / "file", "x");
  RecentFiles recent(dir / "file" / "recent.json");
  EXPECT_NO_THROW(recent.add("/p/a.json"));
  EXPECT_EQ(recent.list().size(), 1u);
}

// ---------------------------------------------------------------------------------------------
// One recovery file per running copy

TEST(RecoveryFiles, OnlyFilesNobodyHoldsAreOfferedNewestFirst) {
  test::TempDir dir;
  AnnotationDocument document;
  document.points.push_back(TriggerPoint{});
  document.points.back().id = "p1";
  // A crashed copy: its recovery file is there, its lock is free (or gone).
  RecoveryStore(dir / "recovery-111.json").write(document, {});
  test::writeBytes(dir / "recovery-111.lock", "");
  // An older one without a lock file at all (e.g. from an older version).
  RecoveryStore(dir / "recovery.json").write(document, {});
  fs::last_write_time(dir / "recovery.json",
                      fs::last_write_time(dir / "recovery-111.json") - std::chrono::hours(1));
  // A running copy: it holds its lock.
  const FileLock running(dir / "recovery-222.lock");
  ASSERT_TRUE(running.held());
  RecoveryStore(dir / "recovery-222.json").write(document, {});
  // One set aside as unreadable earlier.
  test::writeBytes(dir / "recovery-unreadable-2026-01-01T00-00-00Z.json", "{");

  const auto abandoned = abandonedRecoveryFiles(dir.path());
  ASSERT_EQ(abandoned.size(), 2u);
  EXPECT_EQ(abandoned[0].filename(), "recovery-111.json");
  EXPECT_EQ(abandoned[1].filename(), "recovery.json");
}

TEST(RecoveryFiles, ALockIsExclusiveAndGoesWithItsHolder) {
  test::TempDir dir;
  {
    const FileLock first(dir / "recovery-1.lock");
    EXPECT_TRUE(first.held());
    const FileLock second(dir / "recovery-1.lock");
    EXPECT_FALSE(second.held()) << "a second holder is refused";
    RecoveryStore(dir / "recovery-1.json").write(AnnotationDocument{}, {});
    EXPECT_TRUE(abandonedRecoveryFiles(dir.path()).empty());
  }
  EXPECT_FALSE(fs::exists(dir / "recovery-1.lock")) << "the holder removes its lock file";
  EXPECT_EQ(abandonedRecoveryFiles(dir.path()).size(), 1u) << "once released, the file is abandoned";
}

TEST(RecoveryFiles, SessionFilesAreNamedByProcess) {
  const fs::path file = sessionRecoveryFile("/tmp/state");
  EXPECT_EQ(file.parent_path(), fs::path("/tmp/state"));
  EXPECT_EQ(file.filename().string(), "recovery-" + std::to_string(::getpid()) + ".json");
  EXPECT_EQ(lockFileOf(file).extension(), ".lock");
}

TEST(RecoveryFiles, AnUnreadableOneIsSetAsideNotLost) {
  test::TempDir dir;
  test::writeBytes(dir / "recovery-5.json", "{\"format\": \"fascia-annotations\", \"vers");
  test::writeBytes(dir / "recovery-5.lock", "");
  EXPECT_THROW(RecoveryStore(dir / "recovery-5.json").read(), InputError);
  const fs::path aside = setAsideUnreadable(dir / "recovery-5.json");
  EXPECT_NE(aside, dir / "recovery-5.json");
  EXPECT_EQ(aside.filename().string().rfind("recovery-unreadable-", 0), 0u);
  EXPECT_EQ(test::readBytes(aside), "{\"format\": \"fascia-annotations\", \"vers");
  EXPECT_FALSE(fs::exists(dir / "recovery-5.json"));
  EXPECT_TRUE(abandonedRecoveryFiles(dir.path()).empty()) << "not offered again";
}

} // namespace
} // namespace fascia::app
