// The deadlock scenarios (scenarios/, with their broken and fixed spawners)
// run under `forksafe run`: each latent bug of the broken spawner becomes a
// finding that explains it, and the fixed spawner stays clean.
#include <gtest/gtest.h>

#include <set>

#include "e2e_harness.h"

using forksafe::test::forksafe_run;
using nlohmann::json;

namespace {

std::string scenario(const std::string& name) { return std::string(SCENARIOS_DIR) + "/forksafe-scenario-" + name; }

const std::vector<std::string> kOptions = {"--timeout", "2"};

TEST(Scenarios, SshStderrBrokenIsCaughtBlockedReadingSshsStderr) {
  auto run = forksafe_run(kOptions, {scenario("ssh-stderr"), "--spawner=broken"});
  auto deadlocks = run.results("runtime-deadlock");
  ASSERT_EQ(deadlocks.size(), 1u) << run.outcome.stderr_text;
  const json& properties = deadlocks[0]["properties"];
  EXPECT_EQ(properties["blocked_in"], "read");
  ASSERT_FALSE(properties["closed"].empty());
  EXPECT_GE(properties["closed"][0]["open_in_parent_as"].get<int>(), 3);  // ssh's stdin, still in the parent
}

TEST(Scenarios, LockHeldBrokenIsCaughtWaitingForTheLock) {
  auto run = forksafe_run(kOptions, {scenario("lock-held"), "--spawner=broken"});
  auto deadlocks = run.results("runtime-deadlock");
  ASSERT_EQ(deadlocks.size(), 1u) << run.outcome.stderr_text;
  EXPECT_EQ(deadlocks[0]["properties"]["blocked_in"], "futex");
  EXPECT_EQ(deadlocks[0]["properties"]["last_call"], "pthread_mutex_lock");
}

TEST(Scenarios, ExitAfterAFailedExecIsReported) {
  auto run = forksafe_run(kOptions, {scenario("exit-duplicate-output"), "--spawner=broken"});
  EXPECT_EQ(run.results("runtime-exit").size(), 1u) << run.outcome.stderr_text;
}

TEST(Scenarios, StaticDestructorBrokenIsReportedAsExitAndDeadlock) {
  auto run = forksafe_run(kOptions, {scenario("static-destructor"), "--spawner=broken"});
  EXPECT_EQ(run.results("runtime-exit").size(), 1u) << run.outcome.stderr_text;
  EXPECT_EQ(run.results("runtime-deadlock").size(), 1u) << run.outcome.stderr_text;
}

TEST(Scenarios, FixedSpawnerStaysClean) {
  for (const char* name : {"ssh-stderr", "lock-held", "exit-duplicate-output", "static-destructor"}) {
    auto run = forksafe_run(kOptions, {scenario(name), "--spawner=fixed"});
    EXPECT_EQ(run.outcome.status, 0) << name << ": " << run.outcome.stderr_text;
    EXPECT_TRUE(run.sarif["runs"][0]["results"].empty()) << name << ": " << run.outcome.stderr_text;
  }
}

}  // namespace
