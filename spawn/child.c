/* The CLONE_VM child. It shares the caller's memory, and the caller's other
 * threads keep running: nothing here may allocate, lock, touch stdio, errno
 * or any libc state. Raw system calls on the prepared plan only. */
#define _GNU_SOURCE
#include "spawn/child.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>

#include "spawn/raw_syscall.h"

/* The kernel's struct sigaction (x86_64 and aarch64 share this layout). */
struct kernel_sigaction {
  unsigned long handler;
  unsigned long flags;
  unsigned long restorer;
  unsigned long mask;
};
enum { kSigDefault = 0, kSigIgnore = 1, kLastSignal = 64 };

static bool failed(struct forksafe_plan* plan, long result, const char* step) {
  if (result >= 0) return false;
  plan->error = (int)-result;
  plan->step = step;
  return true;
}

/* A handler installed by the caller would run on the caller's memory (and
 * stack data) if a signal arrived before execve: reset handlers to the
 * default, as execve would, before unblocking signals. */
static void reset_signal_handlers(void) {
  for (int sig = 1; sig <= kLastSignal; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    struct kernel_sigaction old = {0};
    if (FORKSAFE_RAW(SYS_rt_sigaction, sig, 0, &old, sizeof old.mask) < 0) continue;
    if (old.handler == kSigDefault || old.handler == kSigIgnore) continue;
    struct kernel_sigaction by_default = {0};
    FORKSAFE_RAW(SYS_rt_sigaction, sig, &by_default, 0, sizeof by_default.mask);
  }
}

static bool set_up_stdio(struct forksafe_plan* plan) {
  int moved[3] = {-1, -1, -1};
  int null_fd = -1; /* close-on-exec: gone at execve */
  for (int slot = 0; slot < 3; ++slot) {
    int source = plan->stdio[slot];
    if (source == FORKSAFE_PLAN_INHERIT) continue;
    if (source == FORKSAFE_PLAN_DEVNULL) {
      if (null_fd < 0) {
        long fd = FORKSAFE_RAW(SYS_openat, AT_FDCWD, "/dev/null", O_RDWR | O_CLOEXEC);
        if (failed(plan, fd, "open /dev/null")) return false;
        null_fd = (int)fd;
      }
      source = null_fd;
    }
    /* Move every source above 2 first, so that no dup3 below overwrites a
     * source still to be used (e.g. stdout going to the caller's stdin). */
    long fd = FORKSAFE_RAW(SYS_fcntl, source, F_DUPFD_CLOEXEC, 3);
    if (failed(plan, fd, "dup")) return false;
    moved[slot] = (int)fd;
  }
  for (int slot = 0; slot < 3; ++slot) {
    if (moved[slot] >= 0 && failed(plan, FORKSAFE_RAW(SYS_dup3, moved[slot], slot, 0), "dup3")) return false;
  }
  return true;
}

static bool set_up_other_fds(struct forksafe_plan* plan) {
  for (size_t k = 0; k < plan->keep_count; ++k) {
    if (failed(plan, FORKSAFE_RAW(SYS_fcntl, plan->keep_fds[k], F_SETFD, 0), "keep fd")) return false;
  }
  if (!plan->close_other_fds) return true;
  unsigned int from = 3;
  for (size_t k = 0; k < plan->keep_count; ++k) {
    unsigned int keep = (unsigned int)plan->keep_fds[k];
    if (keep > from && failed(plan, FORKSAFE_RAW(SYS_close_range, from, keep - 1, 0), "close_range")) return false;
    from = keep + 1;
  }
  return !failed(plan, FORKSAFE_RAW(SYS_close_range, from, ~0U, 0), "close_range");
}

/* Tries each candidate path like execvp: a missing file moves on to the next,
 * EACCES is remembered, any other error stops the search. */
static void exec_command(struct forksafe_plan* plan) {
  long result = -ENOENT;
  bool saw_eacces = false;
  for (const char* const* path = plan->paths; *path; ++path) {
    result = FORKSAFE_RAW(SYS_execve, *path, plan->argv, plan->envp);
    if (result == -EACCES) {
      saw_eacces = true;
    } else if (result != -ENOENT && result != -ENOTDIR) {
      break;
    }
  }
  if (saw_eacces && (result == -ENOENT || result == -ENOTDIR)) result = -EACCES;
  failed(plan, result, "execve");
}

int forksafe_child_exec(void* arg) {
  struct forksafe_plan* plan = arg;
  reset_signal_handlers();
  if (plan->new_session && failed(plan, FORKSAFE_RAW(SYS_setsid), "setsid")) return 127;
  if (!set_up_stdio(plan) || !set_up_other_fds(plan)) return 127;
  if (plan->cwd && failed(plan, FORKSAFE_RAW(SYS_chdir, plan->cwd), "chdir")) return 127;
  FORKSAFE_RAW(SYS_rt_sigprocmask, SIG_SETMASK, &plan->signal_mask, 0, sizeof plan->signal_mask);
  exec_command(plan);
  return 127; /* glibc's clone() makes the exit system call with this status */
}

int forksafe_detached_middle(void* arg) {
  struct forksafe_plan* plan = arg;
  /* Signals stay blocked in this process: no handler of the caller runs here.
   * glibc's clone() is the system call plus the jump to forksafe_child_exec
   * on the new stack; on failure it sets errno, which only the waiting
   * caller reads. CLONE_VFORK hands this CPU to the command's process at
   * once (measured: 2-3x faster than exiting right away and letting it queue
   * for a CPU). The kernel tells the caller the pid and wakes it at the
   * command's exec, so once this returns the plan is not touched again: what
   * is left here (return, exit) uses only this process's own stack. A command
   * whose exec failed is left a zombie to the init process (or subreaper)
   * that inherits it, as any detached command is when it ends. */
  char* stack_top = (char*)plan->grandchild_stack + FORKSAFE_CHILD_STACK_SIZE;
  pid_t pid = clone(forksafe_child_exec, stack_top,
                    CLONE_VM | CLONE_VFORK | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD, plan,
                    &plan->command_pid, NULL, &plan->exec_pending);
  if (pid < 0) {
    plan->error = errno;
    plan->step = "clone";
    __atomic_store_n(&plan->exec_pending, 0, __ATOMIC_RELEASE);
    FORKSAFE_RAW(SYS_futex, &plan->exec_pending, FUTEX_WAKE, 1);
  }
  return 0; /* orphans the command: it is reparented to init or a subreaper */
}
