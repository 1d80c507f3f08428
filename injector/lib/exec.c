/* The exec family. Each variant calls libc's hidden __execve directly, so each
 * needs its own wrapper; the list forms (execl, execlp, execle) gather their
 * arguments on the stack and call the real vector form. In the window, exec
 * entry is where finalizers run for --gc-at exec and where descriptors that
 * would cross into the new program are reported. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>

#include "inject.h"

typedef int (*execve_fn)(const char*, char* const[], char* const[]);

/* How the program an exec runs is found, to see whether it can be followed:
 * `path` itself, along PATH (execvp, execvpe, execlp), or not looked at
 * (a descriptor, a path relative to a directory descriptor). */
enum program_at { PROGRAM_AT, PROGRAM_ALONG_PATH, PROGRAM_NOT_CHECKED };

static void before_exec(const char* function, const char* path, enum program_at at) {
  if (at != PROGRAM_NOT_CHECKED) fs_reach_check(path, at == PROGRAM_ALONG_PATH, PROGRAM_AT);
  if (fs_state()->window_open) {
    fs_window_exec(function);
    fs_gc_trigger(GC_AT_EXEC);
    fs_fds_report_leaks(path);
  }
  fs_counts_flush();
}

/* Declares `env`: envp, or a copy with the injector put back (environment.c). */
#define KEEP_INJECTOR(env, envp, path) char* const* env = fs_keep_injector(envp, path)
/* The exec call; it returns only when it failed. */
#define EXEC(call, env)             \
  do {                              \
    int result = call;              \
    fs_environment_release(env);    \
    return result;                  \
  } while (0)

FS_EXPORT int execve(const char* path, char* const argv[], char* const envp[]) {
  before_exec("execve", path, PROGRAM_AT);
  KEEP_INJECTOR(env, envp, path);
  EXEC(FS_REAL(execve_fn, execve)(path, argv, env), env);
}

/* The forms without envp pass on environ, which the program may have changed. */
FS_EXPORT int execv(const char* path, char* const argv[]) {
  before_exec("execv", path, PROGRAM_AT);
  KEEP_INJECTOR(env, environ, path);
  EXEC(FS_REAL(execve_fn, execve)(path, argv, env), env);
}

FS_EXPORT int execvp(const char* file, char* const argv[]) {
  before_exec("execvp", file, PROGRAM_ALONG_PATH);
  KEEP_INJECTOR(env, environ, file);
  EXEC(FS_REAL(execve_fn, execvpe)(file, argv, env), env);
}

FS_EXPORT int execvpe(const char* file, char* const argv[], char* const envp[]) {
  before_exec("execvpe", file, PROGRAM_ALONG_PATH);
  KEEP_INJECTOR(env, envp, file);
  EXEC(FS_REAL(execve_fn, execvpe)(file, argv, env), env);
}

FS_EXPORT int fexecve(int fd, char* const argv[], char* const envp[]) {
  before_exec("fexecve", "(descriptor)", PROGRAM_NOT_CHECKED);
  KEEP_INJECTOR(env, envp, "(descriptor)");
  EXEC(FS_REAL(int (*)(int, char* const[], char* const[]), fexecve)(fd, argv, env), env);
}

FS_EXPORT int execveat(int dirfd, const char* path, char* const argv[], char* const envp[],
                       int flags) {
  before_exec("execveat", path, dirfd == AT_FDCWD || path[0] == '/' ? PROGRAM_AT : PROGRAM_NOT_CHECKED);
  KEEP_INJECTOR(env, envp, path);
  EXEC(FS_REAL(int (*)(int, const char*, char* const[], char* const[], int), execveat)(dirfd, path, argv, env, flags),
       env);
}

/* Declares `char* argv[]` holding the list arguments from `arg` up to and
 * including the terminating NULL, and leaves `ap` just past that NULL (where
 * execle's envp is): the caller ends it with va_end. */
#define LIST_TO_ARGV(argv, arg, ap)                                          \
  size_t argv##_count = 1;                                                   \
  va_list ap;                                                                \
  va_start(ap, arg);                                                         \
  for (const char* a = arg; a; ++argv##_count) a = va_arg(ap, const char*);  \
  va_end(ap);                                                                \
  char* argv[argv##_count];                                                  \
  va_start(ap, arg);                                                         \
  argv[0] = (char*)arg;                                                      \
  for (size_t i = 1; i < argv##_count; ++i) argv[i] = va_arg(ap, char*)

FS_EXPORT int execl(const char* path, const char* arg, ...) {
  LIST_TO_ARGV(argv, arg, ap);
  va_end(ap);
  before_exec("execl", path, PROGRAM_AT);
  KEEP_INJECTOR(env, environ, path);
  EXEC(FS_REAL(execve_fn, execve)(path, argv, env), env);
}

FS_EXPORT int execlp(const char* file, const char* arg, ...) {
  LIST_TO_ARGV(argv, arg, ap);
  va_end(ap);
  before_exec("execlp", file, PROGRAM_ALONG_PATH);
  KEEP_INJECTOR(env, environ, file);
  EXEC(FS_REAL(execve_fn, execvpe)(file, argv, env), env);
}

FS_EXPORT int execle(const char* path, const char* arg, ...) {
  LIST_TO_ARGV(argv, arg, ap);
  char* const* envp = va_arg(ap, char* const*);
  va_end(ap);
  before_exec("execle", path, PROGRAM_AT);
  KEEP_INJECTOR(env, envp, path);
  EXEC(FS_REAL(execve_fn, execve)(path, argv, env), env);
}
