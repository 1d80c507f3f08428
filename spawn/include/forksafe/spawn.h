/* forksafe/spawn.h: the fixed spawner's C ABI (plain C, no C++ types).
 *
 * Starts a command without running any code of the caller between fork and
 * exec: the child is made with clone(CLONE_VM | CLONE_VFORK), like glibc's
 * posix_spawn, so no page table is copied and the cost does not grow with
 * the caller's heap; the child makes raw system calls only (no allocation,
 * no lock, no stdio, no finalizer, no atexit handler) until execve. The call
 * returns once the command has been exec'd, or says which step failed and
 * why (the failed child is reaped: no zombie is left).
 *
 *   const char* argv[] = {"ssh", "host", "hg", "serve", NULL};
 *   struct forksafe_spawn_options options = {0};     // all zero: the defaults
 *   options.argv = argv;
 *   options.stdio[0].kind = FORKSAFE_STDIO_PIPE;
 *   struct forksafe_spawn_result started;
 *   int error = forksafe_spawn(&options, &started);
 *   if (error) fprintf(stderr, "%s: %s\n", started.step, strerror(error));
 *
 * Link with -lforksafe_spawn (pkg-config forksafe-spawn, or CMake
 * find_package(forksafe) and forksafe::spawn). Linux 5.9+ (close_range),
 * x86_64 and aarch64. */
#ifndef FORKSAFE_SPAWN_H
#define FORKSAFE_SPAWN_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FORKSAFE_SPAWN_API __attribute__((visibility("default")))

/* Where one of the child's standard descriptors (0, 1, 2) comes from. */
enum forksafe_stdio_kind {
  FORKSAFE_STDIO_INHERIT = 0, /* the caller's own descriptor */
  FORKSAFE_STDIO_DEVNULL = 1, /* /dev/null, read and write */
  FORKSAFE_STDIO_FD = 2,      /* the caller's descriptor `fd`, duplicated onto the slot */
  FORKSAFE_STDIO_PIPE = 3     /* a new pipe: the child gets one end, the caller the other */
};

struct forksafe_stdio {
  int kind; /* enum forksafe_stdio_kind */
  int fd;   /* FORKSAFE_STDIO_FD only */
};

/* All fields zero is the default for each. */
struct forksafe_spawn_options {
  /* NULL-terminated; argv[0] is the program: a path, or a name looked up in
   * `path` like execvp. Required. */
  const char* const* argv;
  /* NULL-terminated "NAME=value" strings; NULL: the caller's environ. */
  const char* const* envp;
  /* The directories searched for an argv[0] without '/', ':'-separated;
   * NULL: the caller's PATH (or "/bin:/usr/bin" when it has none). */
  const char* path;
  /* The child's working directory; NULL: the caller's. */
  const char* cwd;
  struct forksafe_stdio stdio[3]; /* stdin, stdout, stderr */
  /* Descriptors >= 3 the child keeps, same numbers. Every other descriptor
   * >= 3 is closed in the child, close-on-exec or not, unless keep_other_fds
   * is nonzero (then they are inherited as fork + exec inherits them). */
  const int* keep_fds;
  size_t keep_fd_count;
  int keep_other_fds;
  /* Nonzero: the command starts in a new session and process group (setsid). */
  int new_session;
  /* Nonzero: Mercurial's runbgcommand without its double fork: the command
   * runs in a new session and is not the caller's child (it is reparented to
   * init or the nearest subreaper at once); the caller is never fork()ed. An
   * intermediate CLONE_VM process that makes only raw system calls starts it
   * and exits once it has exec'd. */
  int detached;
};

struct forksafe_spawn_result {
  /* The command's pid; the caller reaps it (waitpid) unless detached, where
   * it is for information only. -1 on failure. */
  pid_t pid;
  /* The caller's end of each FORKSAFE_STDIO_PIPE slot (close-on-exec), else
   * -1. The caller owns and closes them. */
  int pipe_fds[3];
  /* 0, or the errno value of the step that failed. */
  int error;
  /* The step that failed ("execve", "chdir", "dup", "open /dev/null",
   * "pipe", "clone", "argv", "keep_fds", ...); "" on success. Static. */
  const char* step;
};

/* Starts the command. Returns 0, or the errno value (also in result->error)
 * of the step named by result->step; nothing is left open or running then.
 * Safe to call from any thread; async-signal-unsafe (it allocates). */
FORKSAFE_SPAWN_API int forksafe_spawn(const struct forksafe_spawn_options* options, struct forksafe_spawn_result* result);

#ifdef __cplusplus
}
#endif

#endif
