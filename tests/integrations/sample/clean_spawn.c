/* Starts /bin/true with posix_spawn: no code of ours runs in the child. */
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;

int main(void) {
  pid_t pid;
  char *argv[] = {"true", 0};
  if (posix_spawn(&pid, "/bin/true", 0, 0, argv, environ) != 0) return 1;
  int status;
  return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
