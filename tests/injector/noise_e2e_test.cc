// End-to-end: only the program's findings (docs/injector.md, "Only the
// program's findings"): descriptors open before `forksafe run` started,
// --source-root, and fingerprints that do not change from run to run.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "e2e_harness.h"

using namespace forksafe::test;  // the harness
using nlohmann::json;

namespace {

std::set<std::string> fingerprints(const forksafe::test::InjectedRun& run, const std::string& rule) {
  std::set<std::string> out;
  for (const json& r : run.results(rule)) out.insert(r["partialFingerprints"]["forksafe/v1"].get<std::string>());
  return out;
}

TEST(Noise, DescriptorsOpenBeforeForksafeRunStartedAreNotTheProgramsLeaks) {
  std::string dir = make_temp_directory("forksafe-noise-test");
  // Descriptor 7 is the caller's (a CI runner's log): every child inherits it.
  auto outcome = run_command({"sh", "-c", "exec 7</etc/passwd; exec \"$@\"", "sh", FORKSAFE_BINARY, "run", "-o",
                              dir + "/out.sarif", "--log", dir + "/log.jsonl", "--gc-at", "none", "--",
                              program("ssh_stderr_gc"), "broken"});
  json sarif = json::parse(read_file(dir + "/out.sarif"), nullptr, false);
  std::string log = read_file(dir + "/log.jsonl");
  std::filesystem::remove_all(dir);
  // Left out at the source: the child neither describes nor records it.
  EXPECT_NE(log.find("\"leaked-fd\""), std::string::npos) << log;
  EXPECT_EQ(log.find("/etc/passwd"), std::string::npos) << log;
  ASSERT_TRUE(sarif.is_object()) << outcome.stderr_text;
  std::set<int> leaked;
  for (const json& r : sarif["runs"][0]["results"]) {
    for (const json& leak : variants_of(r)) leaked.insert(leak.value("fd", -1));
  }
  EXPECT_FALSE(leaked.count(7)) << outcome.stderr_text;
  EXPECT_EQ(leaked.size(), 2u) << outcome.stderr_text;  // ssh's two pipes, the program's own
  EXPECT_NE(outcome.stderr_text.find("1 leaked-descriptor records left out: descriptors already open when forksafe run "
                                     "started (7 /etc/passwd)"),
            std::string::npos)
      << outcome.stderr_text;
}

TEST(Noise, FindingsOutsideTheSourceRootAreNotesAndDoNotFailTheRun) {
  // dash allocates between its vfork and exec: not the user's code.
  auto shell = forksafe_run({"--source-root", TESTS_SOURCE_DIR}, {"sh", "-c", "/bin/true; /bin/true"});
  EXPECT_EQ(shell.outcome.status, 0) << shell.outcome.stderr_text;
  auto calls = shell.results("runtime-unsafe-call");
  ASSERT_FALSE(calls.empty()) << shell.outcome.stderr_text;
  for (const json& r : calls) EXPECT_EQ(r["level"], "note") << r.dump();
  // The program under the root keeps its warnings, with relative URIs.
  auto own = forksafe_run({"--source-root", TESTS_SOURCE_DIR, "--gc-at", "none"}, {program("ssh_stderr_gc"), "broken"});
  EXPECT_EQ(own.outcome.status, 1) << own.outcome.stderr_text;
  auto leaks = own.results("runtime-leaked-fd");
  ASSERT_EQ(leaks.size(), 1u) << own.outcome.stderr_text;  // both pipes at one exec
  for (const json& r : leaks) {
    EXPECT_EQ(r["level"], "warning");
    EXPECT_EQ(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "injector/programs/ssh_stderr_gc.cc");
  }
}

TEST(Noise, FingerprintsDoNotChangeWithTheTimeoutOrThePids) {
  auto first = forksafe_run({"--timeout", "1"}, {program("ssh_stderr_gc"), "broken"});
  auto second = forksafe_run({"--timeout", "2"}, {program("ssh_stderr_gc"), "broken"});
  ASSERT_EQ(fingerprints(first, "runtime-deadlock").size(), 1u) << first.outcome.stderr_text;
  EXPECT_EQ(fingerprints(first, "runtime-deadlock"), fingerprints(second, "runtime-deadlock"));
  EXPECT_EQ(fingerprints(first, "runtime-leaked-fd"), fingerprints(second, "runtime-leaked-fd"));
}

TEST(Coverage, AnExecThatDropsOrReplacesLdPreloadIsStillFollowed) {
  // env -i clears the environment; a harness (git's test-lib.sh) sets its own LD_PRELOAD.
  for (std::vector<std::string> wrapper : {std::vector<std::string>{"env", "-i", "PATH=/usr/bin:/bin"},
                                           std::vector<std::string>{"env", "LD_PRELOAD=libc_malloc_debug.so.0"}}) {
    std::vector<std::string> command = wrapper;
    command.insert(command.end(), {program("ssh_stderr_gc"), "broken"});
    auto run = forksafe_run({"--gc-at", "none"}, command);
    EXPECT_EQ(variants_of(run, "runtime-leaked-fd").size(), 2u) << wrapper[1] << ": " << run.outcome.stderr_text;
    EXPECT_NE(run.outcome.stderr_text.find("1 execs dropped the injector from their environment and it put itself back"),
              std::string::npos)
        << run.outcome.stderr_text;
  }
}

TEST(Coverage, ExecsThatReplaceLdPreloadAlikeAreOneRecordAndAllCounted) {
  // One record per program and what was done, like a sibling's finding: git's
  // test-lib.sh replaces LD_PRELOAD for every command of a test script.
  auto run = forksafe_run({"--gc-at", "none"},
                          {"sh", "-c", "for i in 1 2 3; do env LD_PRELOAD=libc_malloc_debug.so.0 /bin/true; done"});
  EXPECT_NE(run.outcome.stderr_text.find("3 execs dropped the injector from their environment and it put itself back"),
            std::string::npos)
      << run.outcome.stderr_text;
  size_t written = 0;
  for (const json& record : run.records) written += record.value("event", "") == "preload-restored";
  EXPECT_EQ(written, 1u) << run.outcome.stderr_text;
}

// The notes of a SARIF log's invocation, as "level: text".
std::vector<std::string> notifications(const json& sarif) {
  std::vector<std::string> texts;
  for (const json& n : sarif["runs"][0]["invocations"][0].value("toolExecutionNotifications", json::array())) {
    texts.push_back(n["level"].get<std::string>() + ": " + n["message"]["text"].get<std::string>());
  }
  return texts;
}

TEST(Coverage, AStaticProgramExecdIsANoteWithItsPid) {
  std::string target = program("static_fork");
  auto run = forksafe_run({}, {"sh", "-c", "\"$0\"; \"$0\"", target});
  EXPECT_NE(run.outcome.stderr_text.find("command exited with status 0"), std::string::npos) << run.outcome.stderr_text;
  // Its child's allocation and _exit happened, unseen: no finding is its.
  for (const json& r : run.records) EXPECT_NE(r.value("exe", ""), target) << r.dump();
  std::regex note("note: pid [0-9]+: " + target + " is statically linked: LD_PRELOAD cannot reach it; not followed.*\\(2 execs\\)");
  auto notes = notifications(run.sarif);
  ASSERT_EQ(notes.size(), 1u) << run.outcome.stderr_text;
  EXPECT_TRUE(std::regex_match(notes[0], note)) << notes[0];
  EXPECT_NE(run.outcome.stderr_text.find("forksafe run: pid "), std::string::npos) << run.outcome.stderr_text;
}

TEST(Coverage, ASetGroupIdProgramOfAnotherGroupIsANote) {
  // Debian's chage is set-group-ID shadow: the loader runs it in secure mode
  // (LD_PRELOAD ignored) for any user not in that primary group.
  const std::string chage = "/usr/bin/chage";
  struct stat st;
  if (::stat(chage.c_str(), &st) != 0 || !(st.st_mode & S_ISGID) || st.st_gid == ::getgid()) {
    GTEST_SKIP() << chage << " is not set-group-ID of another group here";
  }
  auto run = forksafe_run({}, {"sh", "-c", "\"$0\" --help >/dev/null; exit 0", chage});
  auto notes = notifications(run.sarif);
  ASSERT_EQ(notes.size(), 1u) << run.outcome.stderr_text;
  EXPECT_TRUE(std::regex_match(notes[0], std::regex("note: pid [0-9]+: " + chage + " is set-group-ID: the loader ignores LD_PRELOAD for it; not followed.*")))
      << notes[0];
}

TEST(Launcher, APercentPInTheOutputGivesEachRunItsOwnFile) {
  std::string dir = make_temp_directory("forksafe-pattern-test");
  for (int i = 0; i < 2; ++i) {
    run_command({FORKSAFE_BINARY, "run", "-o", dir + "/run-%p.sarif", "--log", dir + "/run-%p.jsonl", "--",
                 program("child_exit"), "exit"});
  }
  int sarif = 0, logs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    sarif += entry.path().extension() == ".sarif";
    logs += entry.path().extension() == ".jsonl";
    EXPECT_EQ(entry.path().filename().string().find('%'), std::string::npos);
  }
  std::filesystem::remove_all(dir);
  EXPECT_EQ(sarif, 2);
  EXPECT_EQ(logs, 2);
}

TEST(Noise, ASuppressionsFileLeavesOutWhatItNames) {
  std::string dir = make_temp_directory("forksafe-suppressions-test");
  std::ofstream(dir + "/accepted") << "# ssh's pipes reach the background command on purpose\n"
                                      "runtime-leaked-fd */ssh_stderr_gc */ssh_stderr_gc.cc:*\n";
  std::ofstream(dir + "/broken") << "runtime-leaked-fd only-two-fields\n";
  auto run = forksafe_run({"--gc-at", "none", "--suppressions", dir + "/accepted"}, {program("ssh_stderr_gc"), "broken"});
  auto bad = run_command({FORKSAFE_BINARY, "run", "--suppressions", dir + "/broken", "--", "/bin/true"});
  std::filesystem::remove_all(dir);
  EXPECT_EQ(run.outcome.status, 0) << run.outcome.stderr_text;  // nothing left to fail on
  EXPECT_TRUE(run.results("runtime-leaked-fd").empty()) << run.outcome.stderr_text;
  EXPECT_NE(run.outcome.stderr_text.find("2 records suppressed by"), std::string::npos) << run.outcome.stderr_text;
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.stderr_text.find("line 1: expected three fields"), std::string::npos) << bad.stderr_text;
}

TEST(Noise, ASourceRootThatIsNoDirectoryIsAUsageError) {
  auto outcome = run_command({FORKSAFE_BINARY, "run", "--source-root", "/nonexistent", "--", "/bin/true"});
  EXPECT_EQ(outcome.status, 2);
  EXPECT_EQ(outcome.stderr_text, "forksafe run: --source-root /nonexistent: no such directory\n");
}

}  // namespace
