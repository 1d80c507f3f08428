#include "injector/launcher/event_log.h"

#include <gtest/gtest.h>

#include <sstream>

namespace forksafe::launcher {
namespace {

using nlohmann::json;

const char* kLibc = "/usr/lib/x86_64-linux-gnu/libc.so.6";

EventLog read(const std::string& text) {
  std::istringstream in(text);
  return read_event_log(in, {"prog", "arg"});
}

std::string frames() {
  // Innermost first, as backtrace() gives them: libc, then the program.
  return std::string(R"("frames":[{"module":")") + kLibc +
         R"(","offset":100},{"module":"/bin/prog","offset":200},{"module":"/bin/prog","offset":300}])";
}

TEST(EventLog, UnsafeCallBecomesARuntimeFindingWithTheStackAsChain) {
  EventLog log = read(R"({"event":"unsafe-call","pid":7,"ppid":6,"function":"malloc",)" + frames() + "}\n");
  ASSERT_EQ(log.findings.size(), 1u);
  const Finding& f = log.findings[0];
  EXPECT_EQ(f.rule, "runtime-unsafe-call");
  EXPECT_EQ(f.level, Level::warning);
  EXPECT_EQ(f.message, "malloc() called in a forked child before exec");
  // Reported where the program called, not inside libc.
  EXPECT_EQ(f.location.module, "/bin/prog");
  EXPECT_EQ(f.location.offset, 200u);
  // The chain runs from the outermost frame to the call.
  ASSERT_EQ(f.chain.size(), 3u);
  EXPECT_EQ(f.chain.front().location.offset, 300u);
  EXPECT_EQ(f.chain.back().location.module, kLibc);
  EXPECT_EQ(f.chain.back().message, "calls malloc() in the window between fork and exec");
  EXPECT_EQ(f.properties["pid"], 7);
  EXPECT_EQ(f.properties["ppid"], 6);
  EXPECT_EQ(f.properties["function"], "malloc");
  EXPECT_EQ(f.properties["command"], nlohmann::json({"prog", "arg"}));
}

TEST(EventLog, EachProcessKeepsItsOwnCommandLine) {
  EventLog log = read(R"({"event":"unsafe-call","pid":7,"ppid":6,"function":"malloc","command":"/bin/sh -c ./t1","frames":[]})");
  ASSERT_EQ(log.findings.size(), 1u);
  EXPECT_EQ(log.findings[0].properties["process_command"], "/bin/sh -c ./t1");
  EXPECT_EQ(log.findings[0].properties["command"], nlohmann::json({"prog", "arg"}));  // the traced one
}

TEST(EventLog, ExitIsItsOwnRule) {
  EventLog log = read(R"({"event":"unsafe-call","pid":7,"ppid":6,"function":"exit","frames":[]})");
  ASSERT_EQ(log.findings.size(), 1u);
  EXPECT_EQ(log.findings[0].rule, "runtime-exit");
}

TEST(EventLog, FinalizerIsNamedInMessageAndProperties) {
  EventLog log = read(R"({"event":"unsafe-call","pid":7,"ppid":6,"finalizer":"ssh-peer","function":"free","frames":[]})");
  ASSERT_EQ(log.findings.size(), 1u);
  EXPECT_EQ(log.findings[0].properties["finalizer"], "ssh-peer");
  EXPECT_NE(log.findings[0].message.find("finalizer 'ssh-peer'"), std::string::npos);
}

TEST(EventLog, LeakedDescriptorKeepsTargetOutOfTheMessage) {
  EventLog log = read(
      R"({"event":"leaked-fd","pid":7,"ppid":6,"exec":"/bin/true","descriptor":{"fd":4,"target":"pipe:[123]"},"frames":[]})");
  ASSERT_EQ(log.findings.size(), 1u);
  const Finding& f = log.findings[0];
  EXPECT_EQ(f.rule, "runtime-leaked-fd");
  EXPECT_EQ(f.message, "descriptor 4 (pipe) has no FD_CLOEXEC and is inherited by true");
  EXPECT_EQ(f.properties["target"], "pipe:[123]");
  EXPECT_EQ(f.properties["fd"], 4);
}

TEST(EventLog, DeadlockExplainsTheBlockedReadAndThePipeTheParentHolds) {
  EventLog log = read(
      R"({"event":"deadlock","pid":7,"ppid":6,"finalizer":"ssh-peer","timeout":2,"last_call":"close","killed":true,)"
      R"("blocked_in":{"syscall":"read","descriptor":{"fd":5,"target":"pipe:[9]"},"end":"read",)"
      R"("writers":[{"pid":8,"fd":2,"command":"/usr/bin/ssh host"}]},)"
      R"("closed":[{"fd":4,"target":"pipe:[8]","open_in_parent_as":4,"end":"write",)"
      R"("readers":[{"pid":8,"fd":0,"command":"/usr/bin/ssh host"}]},)"
      R"({"fd":3,"target":"pipe:[7]","open_in_parent_as":3,"end":"read","readers":[]}],)"
      R"("parent":{"pid":6,"command":"/usr/bin/hg pull","waiting_for_child":true},"frames":[]})");
  ASSERT_EQ(log.findings.size(), 1u);
  const Finding& f = log.findings[0];
  EXPECT_EQ(f.rule, "runtime-deadlock");
  EXPECT_EQ(f.level, Level::error);
  // The write end the parent holds matters; the read end it also holds (descriptor 3) does not.
  EXPECT_EQ(f.message,
            "forked child did not reach exec before the watchdog fired (--timeout): blocked in read() on descriptor 5, "
            "the read end of a pipe whose write end ssh (as its descriptor 2) holds open; it closed descriptor 4, its "
            "copy of the write end of the pipe that ssh (as its descriptor 0) reads, but its parent hg still holds that "
            "write end as descriptor 4, so ssh never sees EOF; the parent is waiting for this child; last interposed "
            "call: close() (in finalizer 'ssh-peer', forced by forksafe)");
  EXPECT_EQ(f.properties["blocked_in"], "read");
  EXPECT_EQ(f.properties["other_end_held_by"][0]["pid"], 8);
  EXPECT_EQ(f.properties["parent"]["command"], "/usr/bin/hg pull");
  EXPECT_EQ(f.properties["last_call"], "close");
  EXPECT_EQ(f.properties["killed"], true);
}

TEST(EventLog, CountsAndUnreadableLines) {
  EventLog log = read(
      "{\"event\":\"process\",\"pid\":1,\"ppid\":0,\"fork\":3,\"vfork\":1,\"posix_spawn\":2,\"system\":1,\"popen\":1}\n"
      "{\"event\":\"gc\",\"pid\":2,\"ppid\":1,\"callback\":\"a\",\"trigger\":\"exec\"}\n"
      "{\"event\":\"gc-skipped\",\"pid\":2,\"ppid\":1,\"callback\":\"PyGC_Collect\",\"reason\":\"why\"}\n"
      "{\"event\":\"truncated\"}\n"
      "not json\n");
  EXPECT_TRUE(log.findings.empty());
  EXPECT_EQ(log.counts.forks, 3u);
  EXPECT_EQ(log.counts.vforks, 1u);
  EXPECT_EQ(log.counts.spawns, 4u);
  EXPECT_EQ(log.counts.finalizers_forced, 1u);
  EXPECT_EQ(log.counts.gc_skipped, std::set<std::string>{"PyGC_Collect: why"});
  EXPECT_EQ(log.counts.unreadable_lines, 2u);
}

TEST(EventLog, DeduplicateKeepsOneResultPerPlaceAndTheOtherMessagesAsVariants) {
  std::string record = R"({"event":"unsafe-call","pid":7,"ppid":6,"function":"malloc",)" + frames() + "}\n";
  std::string other = R"({"event":"unsafe-call","pid":8,"ppid":6,"function":"free",)" + frames() + "}\n";
  std::string elsewhere = R"({"event":"unsafe-call","pid":9,"ppid":6,"function":"free","frames":[{"module":"/bin/prog","offset":500}]})";
  EventLog log = read(record + record + other + elsewhere + "\n");
  auto unique = deduplicate(log.findings);
  ASSERT_EQ(unique.size(), 2u);
  EXPECT_EQ(unique[0].message, "malloc() called in a forked child before exec");
  EXPECT_EQ(unique[0].properties["count"], 3);
  EXPECT_EQ(unique[0].properties["example_pids"], json({7, 7, 8}));
  EXPECT_EQ(unique[0].properties["variants"],
            json::parse(R"([{"message":"free() called in a forked child before exec","count":1,"function":"free"}])"));
  EXPECT_EQ(unique[1].properties["count"], 1);
  EXPECT_EQ(unique[1].properties["example_pids"], json({9}));
  EXPECT_FALSE(unique[1].properties.contains("variants"));
}

TEST(EventLog, RecordsThatDifferOnlyByPidAreOneFindingAsTheyAreRead) {
  std::string sibling = R"({"event":"unsafe-call","pid":7,"ppid":6,"function":"malloc",)" + frames() + "}\n";
  std::string other = R"({"event":"unsafe-call","pid":8,"ppid":5,"function":"malloc",)" + frames() + "}\n";
  EventLog log = read(sibling + other + other);
  ASSERT_EQ(log.findings.size(), 1u);  // before deduplicate
  EXPECT_EQ(log.findings[0].properties["count"], 3);
  EXPECT_EQ(log.findings[0].properties["example_pids"], json({7, 8, 8}));
}

TEST(EventLog, ARecordWrittenOnceForManyProcessesCountsThemAll) {
  // The run's shared table: 40 processes made it, the first five pids kept.
  ReadOptions options;
  options.seen = {{0xabcull, {40, {11, 12, 13, 14, 15}}}};
  std::string once = R"({"event":"unsafe-call","pid":11,"ppid":6,"function":"malloc","seen":"0000000000000abc",)" +
                     frames() + "}\n";
  std::string alone = R"({"event":"unsafe-call","pid":20,"ppid":6,"function":"free",)" + frames() + "}\n";
  std::istringstream in(once + alone);
  EventLog log = read_event_log(in, {"prog"}, options);
  ASSERT_EQ(log.findings.size(), 2u);
  EXPECT_EQ(log.findings[0].properties["count"], 40);
  EXPECT_EQ(log.findings[0].properties["example_pids"], json({11, 12, 13, 14, 15}));
  EXPECT_EQ(log.findings[1].properties["count"], 1);
  EXPECT_EQ(log.findings[1].properties["example_pids"], json({20}));
}

TEST(EventLog, AProgramNotFollowedIsOneNoteWithItsFirstPid) {
  std::string record = R"({"event":"not-followed","pid":%d,"ppid":1,"exec":"/bin/busybox","why":"statically linked"})";
  std::string spawned = R"({"event":"not-followed","pid":3,"ppid":1,"spawned":9,"exec":"/bin/su","why":"set-user-ID"})";
  EventLog log = read(std::string(record).replace(record.find("%d"), 2, "7") + "\n" +
                      std::string(record).replace(record.find("%d"), 2, "8") + "\n" + spawned + "\n");
  EXPECT_TRUE(log.findings.empty());
  EXPECT_EQ(not_followed_notes(log.counts),
            (std::vector<std::string>{
                "pid 7: /bin/busybox is statically linked; not followed, what it does is not in this report (2 execs)",
                "pid 9: /bin/su is set-user-ID; not followed, what it does is not in this report"}));
}

TEST(EventLog, DeduplicateKeepsOneResultPerCallSiteWhateverTheChain) {
  // The same call site reached from two tests (another outer frame).
  std::string one = R"({"event":"unsafe-call","pid":7,"ppid":6,"function":"malloc",)" + frames() + "}\n";
  std::string other_caller = R"({"event":"unsafe-call","pid":9,"ppid":6,"function":"malloc","frames":[{"module":")" +
                             std::string(kLibc) + R"(","offset":100},{"module":"/bin/prog","offset":200},)" +
                             R"({"module":"/bin/prog","offset":900}]})" + "\n";
  auto unique = deduplicate(read(one + other_caller).findings);
  ASSERT_EQ(unique.size(), 1u);
  EXPECT_EQ(unique[0].properties["count"], 2);
  EXPECT_EQ(unique[0].properties["example_pids"], json({7, 9}));
}

TEST(EventLog, ADeepStackSaysWhereFramesWereLeftOut) {
  EventLog log = read(R"({"event":"unsafe-call","pid":7,"ppid":6,"function":"malloc","frames_omitted":40,)"
                      R"("outer_frames":1,)" + frames() + "}\n");
  ASSERT_EQ(log.findings.size(), 1u);
  const Finding& f = log.findings[0];
  ASSERT_EQ(f.chain.size(), 3u);
  EXPECT_EQ(f.chain[0].message, "calls, through 40 frames left out,");  // the outermost, then the gap
  EXPECT_EQ(f.properties["frames_omitted"], 40);
}

TEST(EventLog, AChildEndingWithoutExecIsRuntimeNoExec) {
  EventLog log = read(R"({"event":"no-exec","pid":7,"ppid":6,"how":"_exit",)" + frames() + "}\n");
  ASSERT_EQ(log.findings.size(), 1u);
  EXPECT_EQ(log.findings[0].rule, "runtime-no-exec");
  EXPECT_EQ(log.findings[0].level, Level::warning);
  EXPECT_EQ(log.findings[0].properties["how"], "_exit");
  EXPECT_EQ(log.findings[0].location.offset, 200u);
}

TEST(EventLog, APythonTracebackIsTheChainAndNamesTheFinalizerAboveTheCollection) {
  // Two frames were there when the forced collection started: __del__ is the
  // finalizer it ran, flush what __del__ called.
  json record = {{"event", "deadlock"}, {"pid", 7}, {"ppid", 6}, {"finalizer", "PyGC_Collect"}, {"timeout", 5},
                 {"python_gc_depth", 2},
                 {"python", "Stack (most recent call first):\n"
                            "  File \"/nonexistent/peer.py\", line 9 in flush\n"
                            "  File \"/nonexistent/peer.py\", line 5 in __del__\n"
                            "  File \"/nonexistent/bg.py\", line 3 in spawn\n"
                            "  File \"/nonexistent/bg.py\", line 1 in <module>\n"}};
  EventLog log = read(record.dump() + "\n");
  ASSERT_EQ(log.findings.size(), 1u);
  const Finding& f = log.findings[0];
  ASSERT_EQ(f.chain.size(), 4u);
  EXPECT_EQ(f.chain.front().location.function, "<module>");
  EXPECT_EQ(f.location.file, "/nonexistent/peer.py");
  EXPECT_EQ(f.location.line, 9);
  EXPECT_EQ(f.location.function, "flush");
  EXPECT_EQ(f.properties["finalizer"], "__del__");  // no source to find its class in
  EXPECT_EQ(f.properties["collector"], "PyGC_Collect");
  EXPECT_NE(f.message.find("in finalizer '__del__' at /nonexistent/peer.py:5"), std::string::npos) << f.message;
}

}  // namespace
}  // namespace forksafe::launcher
