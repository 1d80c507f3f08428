/* Process creation that runs no user code in the child: vfork + exec,
 * posix_spawn, system and popen, each once. The injector counts them (vfork
 * runs as fork) and must find nothing. Exit status 0 when all succeeded. */
#define _GNU_SOURCE
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

static int succeeded(int status) { return WIFEXITED(status) && WEXITSTATUS(status) == 0; }

int main(void) {
  char* argv[] = {"true", NULL};
  int status, ok = 1;
  pid_t pid = vfork();
  if (pid == 0) {
    execv("/bin/true", argv);
    _exit(127);
  }
  waitpid(pid, &status, 0);
  ok &= succeeded(status);
  ok &= posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ) == 0;
  waitpid(pid, &status, 0);
  ok &= succeeded(status);
  ok &= succeeded(system("true"));
  FILE* pipe = popen("true", "r");
  ok &= pipe != NULL && succeeded(pclose(pipe));
  return ok ? 0 : 1;
}
