#include "analyzer/fix_apply.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace forksafe::analyzer {
namespace {

namespace fs = std::filesystem;

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream all;
  all << in.rdbuf();
  return all.str();
}

class FixApply : public testing::Test {
 protected:
  void SetUp() override {
    dir = testing::TempDir() + "/fix-apply-" + std::to_string(getpid());
    fs::remove_all(dir);
    fs::create_directories(dir);
    file = dir + "/a.c";
    std::ofstream(file) << "pipe(fds);\nint fd = open(p, O_RDONLY);\n";
  }
  void TearDown() override { fs::remove_all(dir); }

  Finding finding(std::vector<Replacement> edits, int line = 1) {
    Finding f;
    f.rule = "fd-no-cloexec";
    f.location = {file, line, 1, "main", "", 0};
    f.edits = std::move(edits);
    return f;
  }

  std::string dir, file;
};

TEST_F(FixApply, AppliesEachFixOnceFromTheEndSoOffsetsHold) {
  Finding pipe = finding({{file, 0, 9, "pipe2(fds, O_CLOEXEC)"}});
  Finding open = finding({{file, 36, 0, " | O_CLOEXEC"}}, 2);
  FixOutcome outcome = apply_fixes({pipe, open, open});  // the same fix twice counts once
  EXPECT_EQ(outcome.applied, 2u);
  EXPECT_EQ(outcome.files, 1u);
  EXPECT_TRUE(outcome.notes.empty());
  EXPECT_EQ(read(file), "pipe2(fds, O_CLOEXEC);\nint fd = open(p, O_RDONLY | O_CLOEXEC);\n");
}

TEST_F(FixApply, SkipsAFixThatOverlapsAnotherWithANote) {
  Finding whole = finding({{file, 0, 9, "pipe2(fds, O_CLOEXEC)"}});
  Finding inside = finding({{file, 5, 3, "other"}});
  FixOutcome outcome = apply_fixes({whole, inside});
  EXPECT_EQ(outcome.applied, 1u);
  ASSERT_EQ(outcome.notes.size(), 1u);
  EXPECT_NE(outcome.notes[0].find("skipped"), std::string::npos) << outcome.notes[0];
  EXPECT_EQ(read(file).substr(0, 22), "pipe2(fds, O_CLOEXEC);");
}

TEST_F(FixApply, KeepsTheFilesMode) {
  ASSERT_EQ(chmod(file.c_str(), 0640), 0);
  apply_fixes({finding({{file, 0, 4, "pipe2"}})});
  struct stat st;
  ASSERT_EQ(stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
}

TEST_F(FixApply, RefusesASymlinkAndAHardLinkedFileAndLeavesThemAsTheyWere) {
  std::string link = dir + "/link.c", hard = dir + "/hard.c";
  fs::create_symlink(file, link);
  FixOutcome via_link = apply_fixes({finding({{link, 0, 4, "pipe2"}})});
  ASSERT_EQ(via_link.errors.size(), 1u);
  EXPECT_NE(via_link.errors[0].find("symbolic link"), std::string::npos) << via_link.errors[0];
  EXPECT_TRUE(fs::is_symlink(link));
  fs::create_hard_link(file, hard);
  FixOutcome via_hard = apply_fixes({finding({{hard, 0, 4, "pipe2"}})});
  ASSERT_EQ(via_hard.errors.size(), 1u);
  EXPECT_NE(via_hard.errors[0].find("hard links"), std::string::npos) << via_hard.errors[0];
  EXPECT_EQ(read(file), "pipe(fds);\nint fd = open(p, O_RDONLY);\n");
  EXPECT_EQ(via_link.applied + via_hard.applied, 0u);
}

TEST_F(FixApply, RefusesADevice) {
  FixOutcome outcome = apply_fixes({finding({{"/dev/null", 0, 0, "x"}})});
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_NE(outcome.errors[0].find("not a regular file"), std::string::npos) << outcome.errors[0];
}

TEST(EditsConflict, OverlapsAndTwoInsertionsAtOnePlaceConflictIdenticalEditsDoNot) {
  Replacement a{"f", 10, 5, "x"};
  EXPECT_FALSE(edits_conflict(a, a));
  EXPECT_TRUE(edits_conflict(a, {"f", 12, 5, "y"}));
  EXPECT_FALSE(edits_conflict(a, {"f", 15, 2, "y"}));      // touching, not overlapping
  EXPECT_TRUE(edits_conflict(a, {"f", 12, 0, "y"}));       // an insertion inside a replaced range
  EXPECT_FALSE(edits_conflict(a, {"f", 15, 0, "y"}));      // an insertion at its end
  EXPECT_TRUE(edits_conflict({"f", 3, 0, "a"}, {"f", 3, 0, "b"}));
}

}  // namespace
}  // namespace forksafe::analyzer
