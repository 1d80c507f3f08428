// End-to-end: a watchdog and a launcher that cannot be defeated (the child's
// watchdog signal blocked; interrupts to `forksafe run` itself).
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <map>

#include "e2e_harness.h"

using namespace forksafe::test;  // the harness
using nlohmann::json;

namespace {

TEST(Watchdog, AChildThatBlocksEverySignalIsReportedAndKilledFromOutside) {
  auto started = std::chrono::steady_clock::now();
  auto run = forksafe_run({"--timeout", "1"}, {program("stuck_child"), "spin"}, 60);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_EQ(run.outcome.status, 1) << run.outcome.stderr_text;  // the child was killed: the program fails
  auto deadlocks = run.results("runtime-deadlock");
  ASSERT_EQ(deadlocks.size(), 1u) << run.outcome.stderr_text;
  const json& properties = deadlocks[0]["properties"];
  EXPECT_EQ(properties["from_outside"], true);
  EXPECT_EQ(properties["killed"], true);
  EXPECT_EQ(properties["blocked_in"], "none: running on the CPU");
  EXPECT_NE(deadlocks[0]["message"]["text"].get<std::string>().find("blocks the watchdog's signal"), std::string::npos);
  // On time: the timeout, the 3 s the child's own watchdog had, one tick.
  EXPECT_LT(seconds, 1 + 3 + 3) << seconds;
  // Nothing left behind.
  EXPECT_NE(kill(properties["pid"].get<int>(), 0), 0);
}

TEST(Launcher, ATermSignalIsForwardedAndTheReportStillWritten) {
  std::string dir = make_temp_directory("forksafe-interrupt-test");
  // In report mode the stuck child would run for ever; SIGTERM to forksafe run alone cuts the run short.
  auto outcome = run_command({"sh", "-c", "\"$@\" & pid=$!; sleep 2.5; kill -TERM $pid; wait $pid", "sh",
                              FORKSAFE_BINARY, "run", "--timeout", "1", "--watchdog", "report", "-o",
                              dir + "/out.sarif", "--", program("stuck_child"), "sleep"},
                             60);
  json sarif = json::parse(read_file(dir + "/out.sarif"), nullptr, false);
  std::filesystem::remove_all(dir);
  EXPECT_EQ(outcome.status, 128 + SIGTERM) << outcome.stderr_text;
  EXPECT_NE(outcome.stderr_text.find("interrupted by SIGTERM"), std::string::npos) << outcome.stderr_text;
  ASSERT_TRUE(sarif.is_object()) << outcome.stderr_text;
  int deadlocks = 0;
  for (const json& r : sarif["runs"][0]["results"]) deadlocks += r["ruleId"] == "runtime-deadlock";
  EXPECT_EQ(deadlocks, 1) << outcome.stderr_text;  // seen by the child's watchdog before the interrupt
}

TEST(Launcher, AsCTestsLauncherEachTestWritesItsOwnReport) {
  std::string dir = make_temp_directory("forksafe-ctest-test");
  std::string build = dir + "/build", reports = dir + "/reports";
  std::filesystem::create_directory(reports);
  auto configured = run_command({"cmake", "-S", std::string(TESTS_SOURCE_DIR) + "/injector/ctest_project", "-B", build,
                                 "-DFORKSAFE=" FORKSAFE_BINARY, "-DREPORTS=" + reports},
                                120);
  ASSERT_EQ(configured.status, 0) << configured.stdout_text << configured.stderr_text;
  auto built = run_command({"cmake", "--build", build}, 120);
  ASSERT_EQ(built.status, 0) << built.stdout_text << built.stderr_text;
  auto tested = run_command({"ctest", "--test-dir", build, "--output-on-failure"}, 120);
  // The test with the bug fails, with forksafe's finding; the other passes.
  EXPECT_NE(tested.status, 0);
  EXPECT_NE(tested.stdout_text.find("50% tests passed, 1 tests failed out of 2"), std::string::npos) << tested.stdout_text;
  std::map<std::string, json> by_test;  // test program -> its SARIF
  for (const auto& entry : std::filesystem::directory_iterator(reports)) {
    json sarif = json::parse(read_file(entry.path()));
    std::string command = sarif["runs"][0]["invocations"][0]["commandLine"];
    by_test[command.substr(command.rfind('/') + 1)] = sarif;
  }
  ASSERT_EQ(by_test.size(), 2u);
  ASSERT_TRUE(by_test.count("leaks_pipe") && by_test.count("spawns_clean"));
  json leaks = by_test["leaks_pipe"]["runs"][0]["results"];
  ASSERT_EQ(leaks.size(), 1u) << leaks.dump(2);
  EXPECT_EQ(leaks[0]["ruleId"], "runtime-leaked-fd");
  EXPECT_EQ(leaks[0]["level"], "warning");  // in the project's code (--source-root)
  EXPECT_EQ(variants_of(leaks[0]).size(), 2u);  // both ends of the pipe, at one exec
  EXPECT_TRUE(by_test["spawns_clean"]["runs"][0]["results"].empty()) << by_test["spawns_clean"].dump(2);
}

}  // namespace
