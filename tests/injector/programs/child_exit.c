/* A forked child that never execs and ends with exit(), or by returning from
 * main (libc then calls exit itself).
 * Usage: child_exit exit|return. Exit status 0. */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
  pid_t pid = fork();
  if (pid == 0) {
    if (argc > 1 && strcmp(argv[1], "exit") == 0) exit(0);
    return 0;
  }
  int status;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
