// End-to-end with the real CPython interpreter (Debian's /usr/bin/python3):
// the Mercurial ssh-stderr deadlock (scenarios/python/ssh_peer_bg.py).
#include <gtest/gtest.h>

#include <set>

#include "e2e_harness.h"

using forksafe::test::forksafe_run;
using forksafe::test::run_command;
using nlohmann::json;

namespace {

const std::string kPython = "/usr/bin/python3";
const std::string kScenario = std::string(PYTHON_SCENARIO_DIR) + "/ssh_peer_bg.py";
const std::vector<std::string> kForcedCollection = {"--timeout", "3", "--gc-symbol", "PyGC_Collect"};

TEST(Python, OsForkRunbgcommandPassesOnItsOwn) {
  EXPECT_EQ(run_command({kPython, kScenario, "fork"}, 60).status, 0);
}

TEST(Python, OsForkRunbgcommandDeadlocksWhenCollectionIsForced) {
  auto run = forksafe_run(kForcedCollection, {kPython, kScenario, "fork"});
  EXPECT_EQ(run.outcome.status, 1) << run.outcome.stderr_text;
  auto deadlocks = run.results("runtime-deadlock");
  ASSERT_EQ(deadlocks.size(), 1u) << run.outcome.stderr_text;
  const json& properties = deadlocks[0]["properties"];
  EXPECT_EQ(properties["finalizer"], "PyGC_Collect");
  EXPECT_EQ(properties["blocked_in"], "read");  // SshPeer.__del__ reading ssh's stderr
  ASSERT_EQ(properties["closed"].size(), 1u);   // ... after closing ssh's stdin,
  EXPECT_GE(properties["closed"][0]["open_in_parent_as"].get<int>(), 3);  // still open in the parent
}

TEST(Python, SubprocessRunbgcommandStaysCleanWhenCollectionIsForced) {
  auto run = forksafe_run(kForcedCollection, {kPython, kScenario, "subprocess"});
  EXPECT_EQ(run.outcome.status, 0) << run.outcome.stderr_text;
  EXPECT_TRUE(run.sarif["runs"][0]["results"].empty()) << run.outcome.stderr_text;
  // subprocess's vfork children (the peer and the command), run as forks.
  EXPECT_NE(run.outcome.stderr_text.find("2 vfork"), std::string::npos) << run.outcome.stderr_text;
}

TEST(Python, OsForkChildRunsInterpreterCodeBeforeExec) {
  auto run = forksafe_run({}, {kPython, kScenario, "fork"});
  std::set<std::string> functions;
  for (const json& r : run.results("runtime-unsafe-call")) functions.insert(r["properties"]["function"]);
  EXPECT_TRUE(functions.count("malloc")) << run.outcome.stderr_text;
  EXPECT_TRUE(run.results("runtime-deadlock").empty());
}

}  // namespace
