#include "scenarios/processes.h"

#include <gtest/gtest.h>
#include <limits.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "spawn/spawn.h"

namespace sc = forksafe::scenarios;
namespace fs = forksafe::spawn;

namespace {

// Every test here starts processes and must kill them: as a subreaper, the
// test process gets back whatever its children orphan.
class Processes : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0); }
  void TearDown() override {
    sc::kill_descendants(getpid());
    EXPECT_TRUE(sc::descendants_of(getpid()).empty());
  }

  // Starts `sh -c script` and waits until it has written one line.
  pid_t start_shell(const std::string& script, bool close_other_fds = true) {
    fs::Options options;
    options.argv = {"/bin/sh", "-c", script};
    options.out = fs::Stdio::pipe();
    options.close_other_fds = close_other_fds;
    auto started = fs::spawn(options);
    EXPECT_TRUE(started) << started.message();
    char c;
    EXPECT_EQ(read(started.child.out, &c, 1), 1);
    close(started.child.out);
    return started.child.pid;
  }
};

// Shell text: wait until the last background job runs sleep (not merely
// some other program: `setsid sleep` is setsid before it execs sleep).
const std::string kUntilExeced = "while [ \"$(cat /proc/$!/comm)\" != sleep ]; do sleep 0.01; done; ";

TEST_F(Processes, FindsChildrenAndSetsidGrandchildren) {
  pid_t shell = start_shell("setsid sleep 30 & " + kUntilExeced + "echo started; wait");
  auto found = sc::descendants_of(getpid());
  auto has = [&](auto predicate) { return std::any_of(found.begin(), found.end(), predicate); };
  EXPECT_TRUE(has([&](const auto& p) { return p.pid == shell; }));
  EXPECT_TRUE(has([&](const auto& p) { return p.ppid == shell && p.command == "sleep"; }));
}

TEST_F(Processes, KillsEveryDescendantIncludingOrphans) {
  // The shell exits at once; its setsid'd sleep is reparented to us.
  start_shell("setsid sleep 30 & echo started");
  start_shell("sleep 30 & echo started; wait");
  EXPECT_GE(sc::kill_descendants(getpid()), 3);
  EXPECT_TRUE(sc::descendants_of(getpid()).empty());
}

std::string shell_executable() {
  char resolved[PATH_MAX];
  return realpath("/bin/sh", resolved);
}

TEST_F(Processes, FindsAPipeLeakedToAnotherProgram) {
  int ends[2];
  ASSERT_EQ(pipe(ends), 0);  // not close-on-exec
  // The shell (the "program") passes both ends on to sleep, as fork+exec does.
  start_shell("sleep 30 & " + kUntilExeced + "echo started; wait", /*close_other_fds=*/false);
  close(ends[0]);
  close(ends[1]);
  std::string leak = sc::find_leaked_pipe(getpid(), shell_executable());
  EXPECT_NE(leak.find("(sleep) holds the program's pipe:["), std::string::npos) << leak;
}

TEST_F(Processes, NoLeakWhenTheChildGetsOnlyItsStdio) {
  int ends[2];
  ASSERT_EQ(pipe(ends), 0);
  start_shell("sleep 30 & " + kUntilExeced + "echo started; wait", /*close_other_fds=*/true);
  close(ends[0]);
  close(ends[1]);
  EXPECT_EQ(sc::find_leaked_pipe(getpid(), shell_executable()), "");
}

}  // namespace
