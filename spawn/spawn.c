/* The caller's side of the fixed spawner (forksafe/spawn.h): everything that
 * allocates happens here, before the clone; the child (child.c) only reads
 * the plan. */
#define _GNU_SOURCE
#include "forksafe/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn/child.h"
#include "spawn/raw_syscall.h"

extern char** environ;

/* What start() allocates and opens, released in one place. */
struct resources {
  char* path_text;          /* the candidates' text, one NUL-terminated path after another */
  const char** candidates;  /* pointers into path_text, NULL-terminated */
  int* keep;                /* options->keep_fds, sorted, without repeats */
  int parent_end[3], child_end[3];
};

static void close_if_open(int* fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

static void release(struct resources* r, bool keep_parent_ends) {
  free(r->path_text);
  free(r->candidates);
  free(r->keep);
  for (int slot = 0; slot < 3; ++slot) {
    close_if_open(&r->child_end[slot]);
    if (!keep_parent_ends) close_if_open(&r->parent_end[slot]);
  }
}

static int fail(struct forksafe_spawn_result* result, struct resources* r, int error, const char* step) {
  release(r, false);
  result->error = error;
  result->step = step;
  return error;
}

/* The paths execve tries, like execvp: the program itself when it names a
 * path, else the program in each directory of `dirs`. */
static bool make_candidates(struct resources* r, const char* program, const char* dirs) {
  if (strchr(program, '/')) dirs = NULL;
  size_t count = 1, text_size = strlen(program) + 1;
  if (dirs) {
    for (const char* c = dirs; *c; ++c) count += *c == ':';
    text_size = strlen(dirs) + count * (strlen(program) + 3);  /* "./" for each empty entry, '/', NUL */
  }
  r->path_text = malloc(text_size);
  r->candidates = calloc(count + 1, sizeof *r->candidates);
  if (!r->path_text || !r->candidates) return false;
  if (!dirs) {
    strcpy(r->path_text, program);
    r->candidates[0] = r->path_text;
    return true;
  }
  char* out = r->path_text;
  const char* dir = dirs;
  for (size_t k = 0; k < count; ++k) {
    size_t length = strcspn(dir, ":");
    r->candidates[k] = out;
    if (length == 0) {
      out = stpcpy(out, ".");
    } else {
      memcpy(out, dir, length);
      out += length;
    }
    *out++ = '/';
    out = stpcpy(out, program) + 1;
    dir += length + (dir[length] == ':');
  }
  return true;
}

/* options->keep_fds sorted ascending without repeats; false when one is below 3. */
static bool sorted_keep_fds(struct resources* r, const struct forksafe_spawn_options* options, size_t* count) {
  *count = 0;
  if (options->keep_fd_count == 0) return true;
  r->keep = malloc(options->keep_fd_count * sizeof *r->keep);
  if (!r->keep) return false;
  for (size_t k = 0; k < options->keep_fd_count; ++k) {
    int fd = options->keep_fds[k];
    size_t at = *count;
    while (at > 0 && r->keep[at - 1] > fd) --at;
    if (at > 0 && r->keep[at - 1] == fd) continue;
    memmove(&r->keep[at + 1], &r->keep[at], (*count - at) * sizeof *r->keep);
    r->keep[at] = fd;
    ++*count;
  }
  return true;
}

/* The middle process: no exit signal, so neither SIGCHLD nor the program's
 * own wait(), waitpid(-1) or waitid(P_ALL) without __WALL ever sees it. */
enum { kMiddleFlags = CLONE_VM };

static void reap(pid_t pid, int flags) {
  while (waitpid(pid, NULL, flags) < 0 && errno == EINTR) {
  }
}

static void wait_for_exec(int* pending) {
  while (__atomic_load_n(pending, __ATOMIC_ACQUIRE) != 0) {
    FORKSAFE_RAW(SYS_futex, pending, FUTEX_WAIT, 1, 0); /* shared: the kernel's wake is */
  }
}

/* A detached spawn's middle process, its two stacks (its pid in their first
 * bytes, far below both stacks' tops), left to the next detached spawn: it
 * exits a moment after the command's exec, and waiting for that would be a
 * second wake-up on our way back (measured, docs/spawn.md). */
static void* pending_middle;

static void reap_middle(void* stacks) {
  reap(*(pid_t*)stacks, __WCLONE);
  munmap(stacks, 2 * FORKSAFE_CHILD_STACK_SIZE); /* only now is no process running on it */
}

static void release_middle(pid_t middle, void* stacks, bool failed) {
  void* older = __atomic_exchange_n(&pending_middle, NULL, __ATOMIC_ACQ_REL);
  if (older) reap_middle(older);
  *(pid_t*)stacks = middle;
  if (failed) {
    reap_middle(stacks); /* the caller learns of a failure once nothing of it runs */
    return;
  }
  pid_t reaped = waitpid(middle, NULL, __WCLONE | WNOHANG);
  if (reaped == middle || (reaped < 0 && errno == ECHILD)) {
    munmap(stacks, 2 * FORKSAFE_CHILD_STACK_SIZE);
    return;
  }
  older = __atomic_exchange_n(&pending_middle, stacks, __ATOMIC_ACQ_REL);
  if (older) reap_middle(older); /* another thread's, left meanwhile */
}

int forksafe_spawn(const struct forksafe_spawn_options* options, struct forksafe_spawn_result* result) {
  struct resources r = {.parent_end = {-1, -1, -1}, .child_end = {-1, -1, -1}};
  *result = (struct forksafe_spawn_result){.pid = -1, .pipe_fds = {-1, -1, -1}, .step = ""};
  if (!options->argv || !options->argv[0]) return fail(result, &r, EINVAL, "argv");

  struct forksafe_plan plan = {.step = "", .command_pid = -1};
  size_t keep_count;
  if (!sorted_keep_fds(&r, options, &keep_count)) return fail(result, &r, ENOMEM, "malloc");
  if (keep_count > 0 && r.keep[0] < 3) return fail(result, &r, EINVAL, "keep_fds");
  const char* dirs = options->path ? options->path : getenv("PATH");
  if (!make_candidates(&r, options->argv[0], dirs && *dirs ? dirs : "/bin:/usr/bin")) {
    return fail(result, &r, ENOMEM, "malloc");
  }
  plan.paths = r.candidates;
  plan.argv = (char* const*)options->argv;
  plan.envp = options->envp ? (char* const*)options->envp : environ;
  plan.cwd = options->cwd;
  plan.new_session = options->new_session || options->detached;
  plan.close_other_fds = !options->keep_other_fds;
  plan.keep_fds = r.keep;
  plan.keep_count = keep_count;

  for (int slot = 0; slot < 3; ++slot) {
    const struct forksafe_stdio* io = &options->stdio[slot];
    switch (io->kind) {
      case FORKSAFE_STDIO_INHERIT: plan.stdio[slot] = FORKSAFE_PLAN_INHERIT; break;
      case FORKSAFE_STDIO_DEVNULL: plan.stdio[slot] = FORKSAFE_PLAN_DEVNULL; break;
      case FORKSAFE_STDIO_FD:
        if (io->fd < 0) return fail(result, &r, EBADF, "dup"); /* as the child would say */
        plan.stdio[slot] = io->fd;
        break;
      case FORKSAFE_STDIO_PIPE: {
        int ends[2];
        if (pipe2(ends, O_CLOEXEC) < 0) return fail(result, &r, errno, "pipe");
        bool child_reads = slot == 0;
        r.child_end[slot] = ends[child_reads ? 0 : 1];
        r.parent_end[slot] = ends[child_reads ? 1 : 0];
        plan.stdio[slot] = r.child_end[slot];
        break;
      }
      default: return fail(result, &r, EINVAL, "stdio");
    }
  }

  /* Two stacks: the child's, and in detached mode the command's process's. */
  void* stacks = mmap(NULL, 2 * FORKSAFE_CHILD_STACK_SIZE, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stacks == MAP_FAILED) return fail(result, &r, errno, "mmap");
  plan.grandchild_stack = (char*)stacks + FORKSAFE_CHILD_STACK_SIZE;

  /* Block every signal (glibc's internal ones too, hence the raw call) so
   * that no handler runs in the child before it has reset them. */
  unsigned long all_signals = ~0UL;
  FORKSAFE_RAW(SYS_rt_sigprocmask, SIG_SETMASK, &all_signals, &plan.signal_mask, sizeof all_signals);
  /* Attached, CLONE_VFORK suspends us until the child has exec'd or exited.
   * Detached, the child is the middle process, which makes the command's
   * process and exits once it has exec'd, orphaning it (not our child); we
   * wait for that exec itself, woken by the kernel (child.h), so the
   * middle's exit is not on our way back: one wake-up, as attached. */
  bool detached = options->detached;
  plan.exec_pending = detached;
  pid_t pid = detached ? clone(forksafe_detached_middle, (char*)stacks + FORKSAFE_CHILD_STACK_SIZE,
                               kMiddleFlags, &plan)
                       : clone(forksafe_child_exec, (char*)stacks + FORKSAFE_CHILD_STACK_SIZE,
                               CLONE_VM | CLONE_VFORK | SIGCHLD, &plan);
  int clone_error = errno;
  if (pid >= 0 && detached) wait_for_exec(&plan.exec_pending);
  FORKSAFE_RAW(SYS_rt_sigprocmask, SIG_SETMASK, &plan.signal_mask, 0, sizeof plan.signal_mask);
  if (pid < 0) {
    munmap(stacks, 2 * FORKSAFE_CHILD_STACK_SIZE);
  } else if (detached) {
    release_middle(pid, stacks, plan.error != 0);
  } else {
    if (plan.error != 0) reap(pid, 0); /* a failed child is never left a zombie */
    munmap(stacks, 2 * FORKSAFE_CHILD_STACK_SIZE); /* only now is no process running on it */
  }

  if (pid < 0) return fail(result, &r, clone_error, "clone");
  if (plan.error != 0) return fail(result, &r, plan.error, plan.step);
  release(&r, true);
  result->pid = detached ? plan.command_pid : pid;
  memcpy(result->pipe_fds, r.parent_end, sizeof result->pipe_fds);
  return 0;
}
