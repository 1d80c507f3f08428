/* What runs in the CLONE_VM child: raw system calls only, on memory the
 * caller prepared (the plan) before cloning. */
#ifndef FORKSAFE_SPAWN_CHILD_H
#define FORKSAFE_SPAWN_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum { FORKSAFE_PLAN_INHERIT = -1, FORKSAFE_PLAN_DEVNULL = -2 };

/* Everything the child needs, built by the caller; the child writes back only
 * the result fields. Lives in the caller's memory, which the child shares. */
struct forksafe_plan {
  const char* const* paths; /* execve candidates in order, NULL-terminated */
  char* const* argv;
  char* const* envp;
  const char* cwd;   /* NULL: stay */
  int stdio[3];      /* source descriptor, FORKSAFE_PLAN_INHERIT or FORKSAFE_PLAN_DEVNULL */
  bool new_session;
  bool close_other_fds;
  const int* keep_fds; /* ascending, each >= 3 */
  size_t keep_count;
  unsigned long signal_mask; /* the caller's mask, restored before execve */
  void* grandchild_stack;    /* detached mode: the stack of the command's process */

  /* Written by the child. */
  int error;
  const char* step;
  /* Detached mode, written by the kernel: the command's pid
   * (CLONE_PARENT_SETTID), and 1 until the command's process has exec'd or
   * exited (CLONE_CHILD_CLEARTID sets it to 0 and wakes its futex). */
  pid_t command_pid;
  int exec_pending;
};

/* The clone() entry points. forksafe_child_exec becomes the command (or
 * exits 127 with plan->error set); forksafe_detached_middle clones
 * forksafe_child_exec, waits until it has exec'd or exited, and exits,
 * orphaning it, without touching the plan again (the caller, woken by the
 * command's exec, may be gone from it by then). */
int forksafe_child_exec(void* plan);
int forksafe_detached_middle(void* plan);

enum { FORKSAFE_CHILD_STACK_SIZE = 32 * 1024 };

#endif
