// The watchdog from outside: the launcher looks at the command's process tree
// for children still in the window (between fork and exec) well past the
// timeout, which the child's own watchdog could not end (it blocked the
// watchdog's signal with a raw system call, say), reports them and kills them.
#pragma once

#include <sys/types.h>

#include <set>
#include <string>
#include <vector>

namespace forksafe::launcher {

// Every process whose chain of parents reaches root, from /proc.
std::vector<pid_t> descendants(pid_t root);

struct TreeWatch {
  pid_t root = 0;
  int timeout_seconds = 0;  // the injector's --timeout; 0: off
  bool kill = true;         // --watchdog kill
  std::string log_path;     // where the deadlock records go
  int watchdog_signal = 0;  // the child's timer signal (SIGRTMAX - 1)
  std::set<pid_t> reported;
};

// Reports (one "deadlock" record each, in the injector's format, with
// "from_outside": true) and, in kill mode, kills the descendants that still
// hold the injector's watchdog timer (exec deletes it: they never exec'd)
// more than timeout + 3 seconds after they were forked: by then the child's
// own watchdog, and its last-resort kill two seconds later, would have ended
// them. Returns how many it reported this time.
int check_tree(TreeWatch* watch);

// Whether a descendant is between fork and exec now (holds the watchdog
// timer): once none is, descendants that outlive the command have exec'd
// (a server started in the background) and need not be waited for.
bool any_in_window(const TreeWatch& watch);

}  // namespace forksafe::launcher
