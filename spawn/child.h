// What runs in the CLONE_VM child: raw system calls only, on memory the
// parent prepared (the Plan) before cloning.
#pragma once

#include <sys/types.h>

#include <cstddef>

namespace forksafe::spawn {

// Everything the child needs, built by the parent; the child writes back only
// the result fields. Lives in the parent's memory, which the child shares.
struct Plan {
  static constexpr int kInherit = -1;
  static constexpr int kDevNull = -2;

  const char* const* paths = nullptr;  // execve candidates in order, null-terminated
  char* const* argv = nullptr;
  char* const* envp = nullptr;
  const char* cwd = nullptr;           // nullptr: stay
  int stdio[3] = {kInherit, kInherit, kInherit};  // source descriptor or kInherit / kDevNull
  bool new_session = false;
  bool close_other_fds = true;
  const int* keep_fds = nullptr;       // ascending, each >= 3
  size_t keep_count = 0;
  unsigned long signal_mask = 0;       // the caller's mask, restored before execve
  void* grandchild_stack = nullptr;    // detached mode: the stack of the command's process

  // Written by the child.
  int error = 0;
  const char* step = "";
  pid_t command_pid = -1;  // detached mode: the command's pid
};

// The clone() entry points. child_exec becomes the command (or exits 127
// with plan->error set); detached_middle clones child_exec, waits until it has
// exec'd (or reaps it if it failed), and exits, orphaning it.
int child_exec(void* plan);
int detached_middle(void* plan);

inline constexpr size_t kChildStackSize = 32 * 1024;

}  // namespace forksafe::spawn
