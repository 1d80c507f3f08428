// The processes of a scenario cell, seen through /proc. The runner is a child
// subreaper (PR_SET_CHILD_SUBREAPER), so a cell's double-forked, setsid()'d
// processes stay its descendants: killing every descendant ends the cell.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace forksafe::scenarios {

struct ProcessInfo {
  pid_t pid = 0;
  pid_t ppid = 0;
  char state = '?';     // R, S, D, Z, ... as in proc(5)
  std::string command;  // comm, as ps shows it
};

// Every live or zombie descendant of `root`.
std::vector<ProcessInfo> descendants_of(pid_t root);

// SIGKILLs every descendant of `root` (normally the caller) and reaps those
// that are the caller's children, until none is left. Returns how many live
// processes were killed (zombies are only reaped), or -1 if some were still
// there after 5 seconds.
int kill_descendants(pid_t root);

// A pipe one of the program's processes has open that a descendant of `root`
// running another program holds as a descriptor >= 3, the way fork+exec
// leaks it; "" when there is none. `program` is the program's executable (as
// /proc/PID/exe shows it); processes that are ancestors of the program (a
// wrapper such as `forksafe run`) are not counted.
std::string find_leaked_pipe(pid_t root, const std::string& program);

}  // namespace forksafe::scenarios
