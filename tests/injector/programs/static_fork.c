/* Linked statically: LD_PRELOAD cannot reach it. Its child allocates and
 * ends without exec, which the injector would report in a dynamic program;
 * here nothing of it can be seen, only that it was not followed. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  pid_t pid = fork();
  if (pid == 0) {
    free(malloc(64));
    _exit(0);
  }
  int status = 0;
  return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
