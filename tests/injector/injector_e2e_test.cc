// End-to-end: real programs under `forksafe run` with libforksafe_inject.so.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "e2e_harness.h"
#include "harness/sarif_validation.h"

namespace fs = std::filesystem;
using forksafe::test::forksafe_run;
using forksafe::test::program;
using forksafe::test::run_command;
using forksafe::test::sarif_problems;
using forksafe::test::variants_of;
using nlohmann::json;

namespace {

// The function names along a result's code flow.
std::vector<std::string> flow_functions(const json& result) {
  std::vector<std::string> names;
  for (const json& step : result["codeFlows"][0]["threadFlows"][0]["locations"]) {
    const json& location = step["location"];
    if (location.contains("logicalLocations")) names.push_back(location["logicalLocations"][0]["fullyQualifiedName"]);
  }
  return names;
}

// C names, and demangled C++ names with their parameters: "f(void*)".
bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& n) { return n == name || n.rfind(name + "(", 0) == 0; });
}

// The one deadlock of a run whose command it made fail.
json only_deadlock(const forksafe::test::InjectedRun& run) {
  EXPECT_EQ(run.outcome.status, 1) << run.outcome.stderr_text;
  auto deadlocks = run.results("runtime-deadlock");
  EXPECT_EQ(deadlocks.size(), 1u) << run.outcome.stderr_text;
  return deadlocks.empty() ? json::object() : deadlocks[0];
}

size_t count_records(const std::vector<json>& records, const std::string& event) {
  return std::count_if(records.begin(), records.end(), [&](const json& r) { return r.value("event", "") == event; });
}

// ---- the ssh-stderr deadlock, forced by the injector ----

TEST(SshStderr, BrokenSpawnerPassesWithoutTheInjector) {
  // Its own collector never runs between fork and exec: the bug stays latent.
  EXPECT_EQ(run_command({program("ssh_stderr_gc"), "broken"}, 30).status, 0);
}

TEST(SshStderr, BrokenSpawnerDeadlocksUnderTheInjector) {
  auto run = forksafe_run({"--timeout", "2"}, {program("ssh_stderr_gc"), "broken"});
  json finding = only_deadlock(run);  // the child was killed: the program fails
  const json& properties = finding["properties"];
  // The finalizer that ran in the child ...
  EXPECT_EQ(properties["finalizer"], "ssh-peer");
  EXPECT_NE(finding["message"]["text"].get<std::string>().find("finalizer 'ssh-peer'"), std::string::npos);
  EXPECT_TRUE(contains(flow_functions(finding), "ssh_peer_finalize"));
  // ... blocked reading ssh's stderr ...
  EXPECT_EQ(properties["blocked_in"], "read");
  EXPECT_EQ(properties["target"].get<std::string>().rfind("pipe:", 0), 0u);
  // ... because the parent still holds ssh's stdin, which the finalizer closed in the child.
  ASSERT_EQ(properties["closed"].size(), 1u);
  EXPECT_EQ(properties["closed"][0]["target"].get<std::string>().rfind("pipe:", 0), 0u);
  EXPECT_GE(properties["closed"][0]["open_in_parent_as"].get<int>(), 3);
  EXPECT_EQ(properties["killed"], true);
}

TEST(SshStderr, FixedSpawnerStaysClean) {
  for (const char* spawner : {"fixed", "posix_spawn"}) {
    auto run = forksafe_run({"--timeout", "2"}, {program("ssh_stderr_gc"), spawner});
    EXPECT_EQ(run.outcome.status, 0) << spawner << ": " << run.outcome.stderr_text;
    EXPECT_TRUE(run.sarif["runs"][0]["results"].empty()) << spawner << ": " << run.outcome.stderr_text;
  }
}

TEST(SshStderr, FinalizerForcedRightAfterFork) {
  auto run = forksafe_run({"--timeout", "2", "--gc-at", "fork"}, {program("ssh_stderr_gc"), "broken"});
  auto deadlocks = run.results("runtime-deadlock");
  ASSERT_EQ(deadlocks.size(), 1u) << run.outcome.stderr_text;
  EXPECT_EQ(deadlocks[0]["properties"]["last_call"], "close");  // the finalizer's, before anything else
}

TEST(SshStderr, FinalizerForcedAtTheFirstDescriptorOpened) {
  // The child opens /dev/null for the command's stdin, as Mercurial's runbgcommand did.
  auto run = forksafe_run({"--timeout", "2", "--gc-at", "fd"}, {program("ssh_stderr_gc"), "broken"});
  auto deadlocks = run.results("runtime-deadlock");
  ASSERT_EQ(deadlocks.size(), 1u) << run.outcome.stderr_text;
  EXPECT_TRUE(contains(flow_functions(deadlocks[0]), "run_background_broken"));
}

TEST(SshStderr, WithoutForcedCollectionOnlyTheLeakedPipesShow) {
  auto run = forksafe_run({"--timeout", "2", "--gc-at", "none"}, {program("ssh_stderr_gc"), "broken"});
  EXPECT_NE(run.outcome.stderr_text.find("command exited with status 0"), std::string::npos) << run.outcome.stderr_text;
  EXPECT_TRUE(run.results("runtime-deadlock").empty());
  // ssh's pipes, created without close-on-exec, reach the background
  // command: one result at that exec, the second descriptor its variant.
  ASSERT_EQ(run.results("runtime-leaked-fd").size(), 1u) << run.outcome.stderr_text;
  auto leaks = variants_of(run, "runtime-leaked-fd");
  ASSERT_EQ(leaks.size(), 2u) << run.outcome.stderr_text;
  for (const json& leak : leaks) EXPECT_EQ(leak["target"].get<std::string>().rfind("pipe:", 0), 0u);
}

TEST(SshStderr, AChildThatNeverExecsDeadlocksAtItsFirstAllocation) {
  // The default --gc-at auto: where an allocation-driven collector would run first.
  auto run = forksafe_run({"--timeout", "2"}, {program("ssh_stderr_gc"), "no-exec"});
  json deadlock = only_deadlock(run);
  EXPECT_EQ(deadlock["properties"]["finalizer"], "ssh-peer");
  EXPECT_TRUE(contains(flow_functions(deadlock), "run_background_no_exec"));
  bool forced_at_allocation = false;
  for (const json& r : run.records) forced_at_allocation |= r["event"] == "gc" && r["trigger"] == "alloc";
  EXPECT_TRUE(forced_at_allocation);
}

TEST(SshStderr, AChildThatEndsWithoutExecIsAFinding) {
  auto run = forksafe_run({"--timeout", "2", "--gc-at", "none"}, {program("ssh_stderr_gc"), "no-exec"});
  EXPECT_NE(run.outcome.stderr_text.find("command exited with status 0"), std::string::npos) << run.outcome.stderr_text;
  auto ended = run.results("runtime-no-exec");
  ASSERT_EQ(ended.size(), 1u) << run.outcome.stderr_text;
  EXPECT_EQ(ended[0]["level"], "warning");
  EXPECT_EQ(ended[0]["properties"]["how"], "_exit");
  EXPECT_TRUE(contains(flow_functions(ended[0]), "run_background_no_exec"));
  // A child that exec'd, or tried to, is not that shape.
  auto broken = forksafe_run({"--timeout", "2", "--gc-at", "none"}, {program("ssh_stderr_gc"), "broken"});
  EXPECT_TRUE(broken.results("runtime-no-exec").empty()) << broken.outcome.stderr_text;
}

TEST(SshStderr, AMissingGcSymbolIsReportedAndHarmless) {
  // Every process loads the injector, most without the symbol: none may break.
  // A vfork child (dash's) forces nothing; spawn_true's fork children try.
  auto run = forksafe_run({"--gc-symbol", "no_such_collector"},
                          {"sh", "-c", program("spawn_true") + " 2 fork; /bin/true"});
  EXPECT_NE(run.outcome.stderr_text.find("command exited with status 0"), std::string::npos)
      << run.outcome.stderr_text;
  EXPECT_NE(run.outcome.stderr_text.find("no_such_collector: symbol not found"), std::string::npos)
      << run.outcome.stderr_text;
}

// ---- other targets ----

TEST(Threads, BusyParentThreadsAreNeverReported) {
  auto run = forksafe_run({}, {program("threads_fork"), "busy"});
  EXPECT_EQ(run.outcome.status, 0) << run.outcome.stderr_text;
  EXPECT_TRUE(run.sarif["runs"][0]["results"].empty()) << run.outcome.stderr_text;
  EXPECT_NE(run.outcome.stderr_text.find("40 fork"), std::string::npos) << run.outcome.stderr_text;
}

TEST(Threads, ChildTakingAMutexHeldByAnotherThreadIsCaught) {
  auto run = forksafe_run({"--timeout", "2"}, {program("threads_fork"), "lock"});
  json deadlock = only_deadlock(run);
  EXPECT_EQ(deadlock["properties"]["blocked_in"], "futex");
  EXPECT_EQ(deadlock["properties"]["last_call"], "pthread_mutex_lock");
  auto calls = run.results("runtime-unsafe-call");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0]["properties"]["function"], "pthread_mutex_lock");
  EXPECT_TRUE(contains(flow_functions(calls[0]), "fork_exec_true"));
}

TEST(Tree, EveryNestedChildReportsAndNoRecordIsLostOrTorn) {
  auto run = forksafe_run({}, {program("tree"), "3"});
  EXPECT_EQ(run.outcome.status, 1) << run.outcome.stderr_text;  // leaked descriptors are warnings
  // Depth 3, two children per node: 14 children. A child at level k inherits
  // the pipes of its k ancestors: 2*2 + 4*4 + 8*6 leaked descriptors in all.
  for (const json& record : run.records) ASSERT_TRUE(record.is_object()) << "a torn or interleaved line";
  // The spawns are counted in the run's shared file, not written per process.
  EXPECT_NE(run.outcome.stderr_text.find("forksafe run: 14 fork, 0 vfork,"), std::string::npos) << run.outcome.stderr_text;
  EXPECT_EQ(count_records(run.records, "process"), 0u);
  unsigned long leaks = 0;
  for (const json& r : run.results("runtime-leaked-fd")) leaks += r["properties"]["count"].get<unsigned long>();
  EXPECT_EQ(leaks, 68u) << run.outcome.stderr_text;
  // The children make the same records but for their pids (and pipes), one
  // per descriptor number (3 to 8): each is written once, by whichever got
  // there first, and the 62 others are counted in the shared table.
  EXPECT_EQ(count_records(run.records, "leaked-fd"), 6u);
  EXPECT_NE(run.outcome.stderr_text.find("62 more made by other processes of the run were counted at the source"),
            std::string::npos)
      << run.outcome.stderr_text;
}

TEST(Tree, SiblingsRecordsAreWrittenOnceAndCountedAtTheSource) {
  // dash allocates between its vfork and exec in every child of the loop.
  auto run = forksafe_run({}, {"sh", "-c", "i=0; while [ $i -lt 30 ]; do /bin/true; i=$((i + 1)); done"});
  auto calls = run.results("runtime-unsafe-call");
  ASSERT_FALSE(calls.empty()) << run.outcome.stderr_text;
  for (const json& call : calls) {
    EXPECT_EQ(call["properties"]["count"], 30) << call.dump();
    EXPECT_EQ(call["properties"]["example_pids"].size(), 5u);
  }
  EXPECT_EQ(count_records(run.records, "unsafe-call"), calls.size());
  for (const json& r : run.records) {
    if (r["event"] == "unsafe-call") {
      EXPECT_TRUE(r.contains("seen")) << r.dump();
    }
  }
}

TEST(Exec, EveryVariantIsInterposed) {
  auto run = forksafe_run({}, {program("exec_variants")});
  std::set<int> fds;
  for (const json& leak : variants_of(run, "runtime-leaked-fd")) fds.insert(leak["fd"].get<int>());
  for (int fd = 10; fd <= 18; ++fd) EXPECT_TRUE(fds.count(fd)) << "variant " << fd - 10 << " not seen";
}

TEST(Exit, ExitInTheChildIsReported) {
  auto run = forksafe_run({}, {program("child_exit"), "exit"});
  auto exits = run.results("runtime-exit");
  ASSERT_EQ(exits.size(), 1u) << run.outcome.stderr_text;
  EXPECT_TRUE(contains(flow_functions(exits[0]), "main"));
}

TEST(Exit, ReturnFromMainInTheChildIsReported) {
  auto run = forksafe_run({}, {program("child_exit"), "return"});
  EXPECT_EQ(run.results("runtime-exit").size(), 1u) << run.outcome.stderr_text;
}

TEST(Vfork, StaysAVforkTheChildWritesWhatTheParentReads) {
  auto run = forksafe_run({}, {program("vfork_child"), "shared"});
  EXPECT_EQ(run.outcome.status, 0) << run.outcome.stderr_text;  // not made a fork
  EXPECT_NE(run.outcome.stderr_text.find("1 vfork"), std::string::npos) << run.outcome.stderr_text;
  EXPECT_NE(run.outcome.stderr_text.find("command exited with status 0"), std::string::npos)
      << run.outcome.stderr_text;
}

TEST(Vfork, TheChildsUnsafeCallIsRecordedInItsOwnWindow) {
  auto run = forksafe_run({}, {program("vfork_child"), "malloc"});
  std::set<std::string> functions;
  for (const json& call : run.results("runtime-unsafe-call")) {
    functions.insert(call["properties"]["function"].get<std::string>());
    EXPECT_TRUE(contains(flow_functions(call), "main")) << call.dump();
  }
  EXPECT_EQ(functions, (std::set<std::string>{"malloc", "free"})) << run.outcome.stderr_text;
  EXPECT_NE(run.outcome.stderr_text.find("command exited with status 0"), std::string::npos)
      << run.outcome.stderr_text;
}

TEST(Vfork, TheParentsOtherThreadsAreOutsideTheChildsWindow) {
  // They share the child's memory, and allocate all the while it sleeps there.
  auto run = forksafe_run({}, {program("vfork_child"), "threads"});
  EXPECT_NE(run.outcome.stderr_text.find("command exited with status 0"), std::string::npos)
      << run.outcome.stderr_text;
  for (const json& call : run.results("runtime-unsafe-call")) {
    EXPECT_NE(call["properties"]["function"], "malloc") << call.dump();
    EXPECT_NE(call["properties"]["function"], "free") << call.dump();
  }
}

TEST(Vfork, EveryChildThatReplacesLdPreloadKeepsTheInjector) {
  // The first child's exec takes the environment copy in the shared memory;
  // the second must find it free again.
  auto run = forksafe_run({}, {program("vfork_child"), "preload"});
  EXPECT_EQ(run.outcome.status, 0) << run.outcome.stderr_text;
  EXPECT_NE(run.outcome.stderr_text.find("command exited with status 0"), std::string::npos)
      << run.outcome.stderr_text;
}

TEST(Vfork, AThreadsWindowPageEndsWithTheThread) {
  // The page is kept from one vfork to the next, and must not outlive its thread.
  auto run = forksafe_run({}, {program("vfork_child"), "threads_end"});
  EXPECT_EQ(run.outcome.status, 0) << run.outcome.stderr_text;
  EXPECT_NE(run.outcome.stderr_text.find("65 vfork"), std::string::npos) << run.outcome.stderr_text;
}

TEST(Spawners, VforkPosixSpawnSystemAndPopenAreCountedAndClean) {
  auto run = forksafe_run({}, {program("spawners")});
  EXPECT_EQ(run.outcome.status, 0) << run.outcome.stderr_text;
  EXPECT_TRUE(run.sarif["runs"][0]["results"].empty()) << run.outcome.stderr_text;
  EXPECT_NE(run.outcome.stderr_text.find("1 vfork"), std::string::npos) << run.outcome.stderr_text;
  EXPECT_NE(run.outcome.stderr_text.find("3 posix_spawn/system/popen"), std::string::npos) << run.outcome.stderr_text;
}

TEST(Descriptors, ChildThatClosesEverythingIsStillRecorded) {
  auto run = forksafe_run({}, {program("closes_all")});
  std::set<std::string> functions;
  for (const json& r : run.results("runtime-unsafe-call")) functions.insert(r["properties"]["function"]);
  EXPECT_TRUE(functions.count("malloc")) << run.outcome.stderr_text;
}

// The descriptors reported at exec, for high_fds run with `open`.
std::set<int> leaked_at_exec(const std::vector<std::string>& open) {
  std::vector<std::string> command = {program("high_fds")};
  command.insert(command.end(), open.begin(), open.end());
  auto run = forksafe_run({}, command);
  EXPECT_EQ(run.outcome.status, 1) << run.outcome.stderr_text;  // leaks are warnings
  std::set<int> fds;
  for (const json& leak : variants_of(run, "runtime-leaked-fd")) fds.insert(leak["fd"].get<int>());
  return fds;
}

TEST(Descriptors, LeaksInASmallTableAreFound) {
  EXPECT_EQ(leaked_at_exec({"3", "10", "63"}), (std::set<int>{3, 10, 63}));
}

TEST(Descriptors, LeaksInAGrownTableAreFound) {
  EXPECT_EQ(leaked_at_exec({"10", "64", "100", "1000"}), (std::set<int>{10, 64, 100, 1000}));
}

TEST(Descriptors, LeaksPastWhatIsPolledAreFound) {
  EXPECT_EQ(leaked_at_exec({"12", "1500"}), (std::set<int>{12, 1500}));
}

TEST(Descriptors, LeaksAreFoundUnderALowDescriptorLimit) {
  EXPECT_EQ(leaked_at_exec({"--limit=32", "5", "40"}), (std::set<int>{5, 40}));
}

TEST(Watchdog, LeavesTheProgramsSigalrmAloneAndDiesAtExec) {
  auto run = forksafe_run({"--timeout", "1"}, {program("own_sigalrm")});
  EXPECT_EQ(run.outcome.status, 0) << run.outcome.stderr_text;
  EXPECT_TRUE(run.results("runtime-deadlock").empty());
}

TEST(Watchdog, ReportOnlyLetsTheChildFinish) {
  auto run = forksafe_run({"--timeout", "1", "--watchdog", "report"}, {program("slow_child")});
  EXPECT_NE(run.outcome.stderr_text.find("command exited with status 0"), std::string::npos) << run.outcome.stderr_text;
  auto deadlocks = run.results("runtime-deadlock");
  ASSERT_EQ(deadlocks.size(), 1u);
  EXPECT_EQ(deadlocks[0]["properties"]["killed"], false);
  EXPECT_EQ(run.outcome.status, 1);  // the finding is an error
}

TEST(Watchdog, KillsAStuckChildByDefault) {
  auto run = forksafe_run({"--timeout", "1"}, {program("slow_child")});
  EXPECT_NE(run.outcome.stderr_text.find("command exited with status 1"), std::string::npos) << run.outcome.stderr_text;
  ASSERT_EQ(run.results("runtime-deadlock").size(), 1u);
  EXPECT_EQ(run.results("runtime-deadlock")[0]["properties"]["killed"], true);
}

TEST(Descendants, ADoubleForkedCommandThatOutlivesTheProgramIsStillSeen) {
  auto run = forksafe_run({}, {program("double_fork"), "500"});
  EXPECT_EQ(run.outcome.status, 1) << run.outcome.stderr_text;
  std::set<std::string> functions;
  for (const json& r : run.results("runtime-unsafe-call")) functions.insert(r["properties"]["function"]);
  EXPECT_TRUE(functions.count("malloc")) << run.outcome.stderr_text;
}

TEST(Descendants, OnesStillRunningAfterTheGraceAreNamed) {
  // The grandchild stays 8 s before exec; the watchdog (report only) notes it
  // after 1 s and the launcher stops waiting 4 s later.
  auto run = forksafe_run({"--timeout", "1", "--watchdog", "report"}, {program("double_fork"), "8000"});
  EXPECT_EQ(run.results("runtime-deadlock").size(), 1u) << run.outcome.stderr_text;
  EXPECT_NE(run.outcome.stderr_text.find("1 background processes still running"), std::string::npos)
      << run.outcome.stderr_text;
}

TEST(Linker, DlsymRtldNextStillSeesItsRealCaller) {
  EXPECT_EQ(forksafe_run({}, {program("dlsym_next")}).outcome.status, 0);
}

// ---- the launcher's contract ----

TEST(Launcher, SarifIsRuntimeWithRulesAndStackSteps) {
  auto run = forksafe_run({}, {program("child_exit"), "exit"});
  const json& sarif_run = run.sarif["runs"][0];
  EXPECT_EQ(sarif_run["properties"]["forksafeKind"], "runtime");
  EXPECT_FALSE(sarif_run["tool"]["driver"]["rules"].empty());
  const json& result = sarif_run["results"][0];
  EXPECT_EQ(result["properties"]["command"][0], program("child_exit"));
  EXPECT_GT(result["properties"]["pid"].get<int>(), 0);
  EXPECT_EQ(result["relatedLocations"].size(), result["codeFlows"][0]["threadFlows"][0]["locations"].size());
}

TEST(Launcher, SarifValidatesWithTheSarifMultitool) {
  auto run = forksafe_run({"--timeout", "2"}, {program("ssh_stderr_gc"), "broken"});
  ASSERT_FALSE(run.results("runtime-deadlock").empty());
  std::string path = (fs::temp_directory_path() / ("forksafe-run-" + std::to_string(getpid()) + ".sarif")).string();
  std::ofstream(path) << run.sarif.dump(2);
  std::string report;
  std::vector<std::string> problems = sarif_problems(SARIF_MULTITOOL, path, &report);
  fs::remove(path);
  EXPECT_EQ(problems, std::vector<std::string>{}) << report;
}

TEST(Launcher, ReturnsTheCommandsOwnFailure) {
  EXPECT_EQ(forksafe_run({}, {"sh", "-c", "exit 7"}).outcome.status, 7);
}

TEST(Launcher, FailOnErrorIgnoresWarnings) {
  EXPECT_EQ(forksafe_run({"--fail-on", "error"}, {program("child_exit"), "exit"}).outcome.status, 0);
}

TEST(Launcher, FailOnNoneReportsButNeverFails) {
  auto run = forksafe_run({"--fail-on", "none"}, {program("child_exit"), "exit"});
  EXPECT_EQ(run.outcome.status, 0) << run.outcome.stderr_text;
  EXPECT_FALSE(run.results("runtime-exit").empty());
}

TEST(Launcher, RefusesAStaticallyLinkedTarget) {
  auto outcome = run_command({FORKSAFE_BINARY, "run", "--", "/sbin/ldconfig", "--version"});
  EXPECT_EQ(outcome.status, 2);
  EXPECT_NE(outcome.stderr_text.find("statically linked"), std::string::npos) << outcome.stderr_text;
}

TEST(Launcher, RefusesASetuidTargetOfAnotherUser) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to give a file to another user";
  std::string copy = (fs::temp_directory_path() / ("forksafe-setuid-" + std::to_string(getpid()))).string();
  fs::copy_file("/bin/true", copy, fs::copy_options::overwrite_existing);
  ASSERT_EQ(chown(copy.c_str(), 65534, 65534), 0);
  ASSERT_EQ(chmod(copy.c_str(), 04755), 0);
  auto outcome = run_command({FORKSAFE_BINARY, "run", "--", copy});
  fs::remove(copy);
  EXPECT_EQ(outcome.status, 2);
  EXPECT_NE(outcome.stderr_text.find("set-user-ID"), std::string::npos) << outcome.stderr_text;
}

TEST(Launcher, UsageErrorsAreOneLineAndExitTwo) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"run", "--", "no-such-command-here"}, {"run"},
        {"run", "--gc-at", "sometimes", "--", "true"}, {"run", "--fail-on", "panic", "--", "true"},
        {"run", "--timeout", "-1", "--", "true"}, {"run", "-o", "/no/such/dir/out.sarif", "--", "true"}}) {
    std::vector<std::string> argv = {FORKSAFE_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    auto outcome = run_command(argv);
    EXPECT_EQ(outcome.status, 2) << args.back();
    EXPECT_EQ(std::count(outcome.stderr_text.begin(), outcome.stderr_text.end(), '\n'), 1) << outcome.stderr_text;
  }
}

TEST(Launcher, FindsTheLibraryInAnInstallLayout) {
  fs::path prefix = fs::temp_directory_path() / ("forksafe-install-" + std::to_string(getpid()));
  fs::create_directories(prefix / "bin");
  fs::create_directories(prefix / "lib/forksafe");
  fs::copy_file(FORKSAFE_BINARY, prefix / "bin/forksafe");
  std::string installed = (prefix / "bin/forksafe").string();
  auto missing = run_command({installed, "run", "--", "/bin/true"});
  fs::copy_file(INJECT_LIBRARY, prefix / "lib/forksafe/libforksafe_inject.so");
  auto found = run_command({installed, "run", "--", program("child_exit"), "exit"});
  fs::remove_all(prefix);
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.stderr_text.find("libforksafe_inject.so is neither"), std::string::npos) << missing.stderr_text;
  EXPECT_EQ(found.status, 1) << found.stderr_text;  // it ran, and the injector saw exit() in the child
  EXPECT_NE(found.stderr_text.find("runtime-exit"), std::string::npos) << found.stderr_text;
}

TEST(Launcher, AppendsToAnExistingLdPreload) {
  // An unrelated library already preloaded stays, ours comes after it.
  auto outcome = run_command({FORKSAFE_BINARY, "run", "--", "sh", "-c", "echo \"$LD_PRELOAD\" >&2"}, 30,
                             {"LD_PRELOAD=" INJECT_LIBRARY});
  EXPECT_NE(outcome.stderr_text.find(std::string(INJECT_LIBRARY) + ":"), std::string::npos) << outcome.stderr_text;
}

}  // namespace
