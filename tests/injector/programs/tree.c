/* A make-like tree of nested children: each node opens a pipe without
 * close-on-exec (every descendant inherits it), then starts two children at
 * once with fork + exec of itself one level down, and waits for both.
 * Usage: tree DEPTH. Exit status 0 when the whole tree succeeded. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
  int depth = argc > 1 ? atoi(argv[1]) : 0;
  if (depth <= 0) return 0;
  int leaked[2];
  if (pipe(leaked) != 0) return 2;
  char below[16];
  snprintf(below, sizeof below, "%d", depth - 1);
  pid_t children[2];
  for (int i = 0; i < 2; ++i) {
    children[i] = fork();
    if (children[i] == 0) {
      execl("/proc/self/exe", argv[0], below, (char*)NULL);
      _exit(127);
    }
  }
  int ok = 1;
  for (int i = 0; i < 2; ++i) {
    int status;
    waitpid(children[i], &status, 0);
    ok &= WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  return ok ? 0 : 1;
}
