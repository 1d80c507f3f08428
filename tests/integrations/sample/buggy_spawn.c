/* Forks and, in the child, builds the command line with malloc before exec:
 * malloc may wait forever on a lock another thread held at fork time. */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *command_name(void) {
  char *name = malloc(16);
  if (name) strcpy(name, "true");
  return name;
}

int main(void) {
  pid_t pid = fork();
  if (pid == 0) {
    char *name = command_name();
    execl("/bin/true", name, (char *)0);
    _exit(127);
  }
  int status;
  return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
