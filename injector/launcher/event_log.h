// Turns the injector's JSON Lines log (one record per line: unsafe-call,
// exit, leaked-fd, deadlock, gc, gc-skipped, process) into findings with the
// runtime-* rules, and a few counts for the summary.
#pragma once

#include <functional>
#include <istream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/finding.h"
#include "injector/launcher/record_counts.h"

namespace forksafe::launcher {

struct RunCounts {
  unsigned long forks = 0;   // fork and _Fork
  unsigned long vforks = 0;
  unsigned long spawns = 0;  // posix_spawn, system, popen: no code in the child
  unsigned long finalizers_forced = 0;
  std::set<std::string> gc_skipped;  // "NAME: reason"
  unsigned long preload_restored = 0;  // execs that dropped or replaced the injector; it put itself back
  std::set<std::string> restored_examples;  // "what: program"
  // Programs the injector could not follow (static, set-user-ID): "PROGRAM is WHY" -> the first pid, execs.
  std::map<std::string, std::pair<int, unsigned long>> not_followed;
  unsigned long unreadable_lines = 0;
  unsigned long records = 0;       // lines in the log
  unsigned long lost_records = 0;  // set by the launcher (record_counts.h)
  unsigned long deduplicated = 0;  // records not written: another process had (record_counts.h)
};

struct EventLog {
  std::vector<Finding> findings;  // one per record; stacks as module + offset
  RunCounts counts;
};

struct ReadOptions {
  // The run's shared table (RecordCounts::seen): a record written once for
  // many processes counts them all.
  std::map<std::uint64_t, SeenRecord> seen;
  // Findings to leave out as they are read (descriptors open at start).
  std::function<bool(const Finding&)> leave_out;
  // --source-root moves a result to a frame of the user's code: then records
  // with the same location but other frames of programs outside the system
  // directories stay apart until then.
  bool by_user_frames = false;
};

// Streams the log: one finding per distinct record (rule, message, location),
// the others counted in it, so memory grows with the places, not the records.
EventLog read_event_log(std::istream& in, const std::vector<std::string>& command, const ReadOptions& options = {});

// One note per program the injector could not follow, with the first pid:
// coverage is never lost silently (the summary, SARIF's notifications).
std::vector<std::string> not_followed_notes(const RunCounts& counts);

// Keeps one finding per rule and location (the same call site in many
// children, reached along any chain), counting the others in
// properties["count"] with a few of their pids; other messages at that place
// (another descriptor, another program exec'd) are its "variants". Run after symbolizing (and
// after --source-root moved locations), which makes call sites comparable.
std::vector<Finding> deduplicate(const std::vector<Finding>& findings);

}  // namespace forksafe::launcher
