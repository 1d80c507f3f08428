// Turns the injector's JSON Lines log (one record per line: unsafe-call,
// exit, leaked-fd, deadlock, gc, gc-skipped, process) into findings with the
// runtime-* rules, and a few counts for the summary.
#pragma once

#include <istream>
#include <set>
#include <string>
#include <vector>

#include "common/finding.h"

namespace forksafe::launcher {

struct RunCounts {
  unsigned long forks = 0;   // fork and _Fork
  unsigned long vforks = 0;  // vfork, run as fork
  unsigned long spawns = 0;  // posix_spawn, system, popen: no code in the child
  unsigned long finalizers_forced = 0;
  std::set<std::string> gc_skipped;  // "NAME: reason"
  unsigned long preload_restored = 0;  // execs that dropped or replaced the injector; it put itself back
  std::set<std::string> restored_examples;  // "what: program"
  unsigned long unreadable_lines = 0;
  unsigned long records = 0;       // lines in the log
  unsigned long lost_records = 0;  // set by the launcher (record_counts.h)
};

struct EventLog {
  std::vector<Finding> findings;  // one per record; stacks as module + offset
  RunCounts counts;
};

EventLog read_event_log(std::istream& in, const std::vector<std::string>& command);

// Keeps one finding per rule, message and location (the same call site in
// many children, reached along any chain), counting the others in
// properties["count"] with a few of their pids. Run after symbolizing (and
// after --source-root moved locations), which makes call sites comparable.
std::vector<Finding> deduplicate(const std::vector<Finding>& findings);

}  // namespace forksafe::launcher
