// End-to-end with the real CPython interpreter (Debian's /usr/bin/python3):
// the Mercurial ssh-stderr deadlock (scenarios/python/ssh_peer_bg.py), under
// plain `forksafe run`: CPython is found with no option.
#include <gtest/gtest.h>

#include <future>
#include <set>

#include "e2e_harness.h"

using forksafe::test::forksafe_run;
using forksafe::test::InjectedRun;
using forksafe::test::run_command;
using nlohmann::json;

namespace {

const std::string kPython = "/usr/bin/python3";
const std::string kScenario = std::string(PYTHON_SCENARIO_DIR) + "/ssh_peer_bg.py";
const std::vector<std::string> kPlain = {"--timeout", "5"};

std::string traceback_functions(const json& result) {
  std::string functions;
  for (const json& frame : result["properties"].value("python_traceback", json::array())) {
    functions += frame["function"].get<std::string>() + " ";
  }
  return functions;
}

TEST(Python, EverySpawnerPassesOnItsOwn) {
  for (const char* mode : {"runbgcommand", "fork", "subprocess"}) {
    EXPECT_EQ(run_command({kPython, kScenario, mode}, 60).status, 0) << mode;
  }
}

// The deadlock, explained in the program's terms: the finalizer by name,
// the Python traceback, the blocking read and the pipe the parent holds.
void expect_explained_deadlock(const InjectedRun& run) {
  EXPECT_EQ(run.outcome.status, 1) << run.outcome.stderr_text;  // the child was killed: the program fails
  auto deadlocks = run.results("runtime-deadlock");
  ASSERT_EQ(deadlocks.size(), 1u) << run.outcome.stderr_text;
  const json& finding = deadlocks[0];
  const json& properties = finding["properties"];
  EXPECT_EQ(properties["finalizer"], "SshPeer.__del__") << run.outcome.stderr_text;
  EXPECT_EQ(properties["collector"], "PyGC_Collect");
  EXPECT_EQ(properties["blocked_in"], "read");  // reading ssh's stderr ...
  ASSERT_EQ(properties["closed"].size(), 1u);   // ... after closing ssh's stdin,
  EXPECT_GE(properties["closed"][0]["open_in_parent_as"].get<int>(), 3);  // still open in the parent
  // ssh (cat) holds the write end of the pipe the child reads; the parent waits for the child.
  ASSERT_EQ(properties["other_end_held_by"].size(), 1u) << properties.dump();
  EXPECT_EQ(properties["other_end_held_by"][0]["command"], "cat");
  EXPECT_EQ(properties["closed"][0]["readers"][0]["command"], "cat");
  EXPECT_EQ(properties["parent"]["waiting_for_child"], true);
  // The Python traceback of the child, outermost first, ends in __del__.
  EXPECT_EQ(traceback_functions(finding), "<module> main runbgcommand_hg571 __del__ ") << run.outcome.stderr_text;
  const json& where = finding["locations"][0]["physicalLocation"];
  EXPECT_NE(where["artifactLocation"]["uri"].get<std::string>().find("ssh_peer_bg.py"), std::string::npos);
  std::string message = finding["message"]["text"];
  EXPECT_NE(message.find("SshPeer.__del__"), std::string::npos) << message;
}

TEST(Python, Hg571RunbgcommandDeadlocksEveryTimeUnderPlainForksafeRun) {
  // 20 runs, 10 at a time: each one waits out the 5 s watchdog.
  for (int batch = 0; batch < 2; ++batch) {
    std::vector<std::future<InjectedRun>> runs;
    for (int i = 0; i < 10; ++i) {
      runs.push_back(std::async(std::launch::async, [] { return forksafe_run(kPlain, {kPython, kScenario, "runbgcommand"}); }));
    }
    for (auto& run : runs) expect_explained_deadlock(run.get());
  }
}

TEST(Python, SubprocessFixHasNoFindingTwentyTimes) {
  for (int i = 0; i < 20; ++i) {
    auto run = forksafe_run(kPlain, {kPython, kScenario, "subprocess"});
    EXPECT_EQ(run.outcome.status, 0) << run.outcome.stderr_text;
    EXPECT_TRUE(run.sarif["runs"][0]["results"].empty()) << run.outcome.stderr_text;
  }
}

TEST(Python, ForkExecRunbgcommandDeadlocksToo) {
  auto run = forksafe_run(kPlain, {kPython, kScenario, "fork"});
  auto deadlocks = run.results("runtime-deadlock");
  ASSERT_EQ(deadlocks.size(), 1u) << run.outcome.stderr_text;
  EXPECT_EQ(deadlocks[0]["properties"]["finalizer"], "SshPeer.__del__");
}

TEST(Python, AChildThatNeverExecsIsAFindingOfItsOwn) {
  // Without a forced collection the 5.7.1 child completes, through os._exit.
  auto run = forksafe_run({"--gc-at", "none"}, {kPython, kScenario, "runbgcommand"});
  EXPECT_EQ(run.outcome.status, 1) << run.outcome.stderr_text;  // a warning, at the default --fail-on
  EXPECT_TRUE(run.results("runtime-deadlock").empty()) << run.outcome.stderr_text;
  auto ended = run.results("runtime-no-exec");
  ASSERT_EQ(ended.size(), 1u) << run.outcome.stderr_text;
  EXPECT_EQ(ended[0]["level"], "warning");
  EXPECT_EQ(ended[0]["properties"]["how"], "_exit");
  EXPECT_EQ(traceback_functions(ended[0]), "<module> main runbgcommand_hg571 ") << run.outcome.stderr_text;
}

TEST(Python, ACollectionAtDescriptorsIsSkippedWithTheRightReason) {
  // CPython releases the GIL around open(), pipe() and dup(): no Python code,
  // so no collection, can run there, and the summary says so.
  auto run = forksafe_run({"--gc-at", "fd"}, {kPython, kScenario, "runbgcommand"});
  EXPECT_TRUE(run.results("runtime-deadlock").empty()) << run.outcome.stderr_text;
  std::set<std::string> reasons;
  for (const json& r : run.records) {
    if (r.value("event", "") == "gc-skipped" && r.value("trigger", "") == "fd") reasons.insert(r.value("reason", ""));
  }
  EXPECT_TRUE(reasons.count("the thread does not hold the GIL here, so no Python code (and no collection) can run"))
      << run.outcome.stderr_text;
}

TEST(Python, UnsafeCallsInThePythonChildCarryItsTraceback) {
  auto run = forksafe_run({"--gc-at", "none"}, {kPython, kScenario, "fork"});
  auto calls = run.results("runtime-unsafe-call");
  ASSERT_FALSE(calls.empty()) << run.outcome.stderr_text;
  for (const json& call : calls) {
    EXPECT_NE(traceback_functions(call).find("runbgcommand_fork"), std::string::npos) << call.dump();
  }
}

}  // namespace
