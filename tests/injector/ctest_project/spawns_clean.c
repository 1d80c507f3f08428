/* Starts /bin/true with posix_spawn: no code of ours in the child. */
#include <spawn.h>
#include <sys/wait.h>

extern char** environ;

int main(void) {
  char* argv[] = {"/bin/true", 0};
  pid_t pid;
  int status = 0;
  if (posix_spawn(&pid, argv[0], 0, 0, argv, environ) != 0) return 1;
  return waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
