#include "injector/launcher/noise.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace forksafe::launcher {
namespace {

Finding leak(int fd, const std::string& target) {
  Finding f;
  f.rule = "runtime-leaked-fd";
  f.properties = {{"fd", fd}, {"target", target}};
  return f;
}

TEST(Noise, OpenDescriptorsListsThisProcesssOwnAboveTwo) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  auto open = open_descriptors();
  EXPECT_EQ(open[fds[0]].rfind("pipe:[", 0), 0u);
  EXPECT_EQ(open[fds[0]], open[fds[1]]);
  EXPECT_FALSE(open.count(0));
  close(fds[0]);
  close(fds[1]);
  EXPECT_FALSE(open_descriptors().count(fds[0]));
}

TEST(Noise, LeaksOfDescriptorsOpenAtStartAreKnown) {
  std::map<int, std::string> at_start = {{5, "/tmp/ctest.log"}, {7, "pipe:[42]"}};
  EXPECT_TRUE(is_inherited_leak(leak(5, "/tmp/ctest.log"), at_start));   // the runner's log
  EXPECT_TRUE(is_inherited_leak(leak(9, "pipe:[42]"), at_start));        // the same pipe, dup'd
  EXPECT_FALSE(is_inherited_leak(leak(6, "/tmp/ctest.log"), at_start));  // opened again by the program
  EXPECT_FALSE(is_inherited_leak(leak(7, "pipe:[43]"), at_start));       // another pipe on that number
  Finding other = leak(5, "/tmp/ctest.log");
  other.rule = "runtime-unsafe-call";
  EXPECT_FALSE(is_inherited_leak(other, at_start));
}

TEST(Noise, FindingsWithNoFrameUnderTheSourceRootBecomeNotes) {
  Finding mine;
  mine.level = Level::warning;
  mine.location = {"/usr/include/c++/12/bits/new.h", 10, 0, "operator new", "", 0};
  mine.chain = {{{"/src/app/main.cc", 20, 0, "main", "", 0}, "calls"},
                {{"/src/app/spawn.cc", 8, 0, "spawn", "", 0}, "calls"},
                {{"/usr/include/c++/12/bits/new.h", 10, 0, "operator new", "", 0}, "calls malloc()"}};
  Finding theirs;
  theirs.level = Level::warning;
  theirs.location.module = "/bin/dash";
  theirs.chain = {{{"", 0, 0, "", "/bin/dash", 100}, "calls malloc()"}};
  std::vector<Finding> findings = {mine, theirs};
  EXPECT_EQ(keep_to_source_root(&findings, "/src/app"), 1u);
  EXPECT_EQ(findings[0].level, Level::warning);
  EXPECT_EQ(findings[0].location.file, "/src/app/spawn.cc");  // the innermost frame in the user's code
  EXPECT_EQ(findings[1].level, Level::note);
  EXPECT_EQ(findings[1].properties["outside_source_root"], true);
}

}  // namespace
}  // namespace forksafe::launcher
