/* A child that execs with the descriptors named on the command line left
 * open (each a copy of a pipe, without FD_CLOEXEC), plus a close-on-exec one
 * at 9 that must not be reported. High numbers grow the descriptor table:
 * past 64 the injector polls a larger table, past 1024 it lists /proc/self/fd.
 * A first argument --limit=N lowers RLIMIT_NOFILE to N afterwards (below 64,
 * ppoll refuses a full batch and the injector lists /proc/self/fd).
 * Exit status 0 when the child ran /bin/true. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
  struct rlimit limit;
  getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < 4096 && limit.rlim_max >= 4096) {
    limit.rlim_cur = 4096;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  close_range(3, ~0U, 0); /* what the test runner left open is not ours to report */
  int ends[2];
  if (pipe2(ends, O_CLOEXEC) != 0 || dup3(ends[0], 9, O_CLOEXEC) != 9) return 2;
  int first = 1;
  long limit_after = 0;
  if (argc > 1 && strncmp(argv[1], "--limit=", 8) == 0) limit_after = atol(argv[first++] + 8);
  for (int i = first; i < argc; ++i) {
    if (dup2(ends[1], atoi(argv[i])) < 0) return 2;
  }
  if (limit_after > 0) {
    limit.rlim_cur = (rlim_t)limit_after;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) return 2;
  }
  pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/true", "true", (char*)NULL);
    _exit(127);
  }
  int status;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
