/* A child that stays between fork and exec for 3 seconds (sleeping, which is
 * async-signal-safe) and then exits with _exit(0): longer than a 1 s watchdog.
 * Exit status 0 when the child exited normally. */
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  pid_t pid = fork();
  if (pid == 0) {
    sleep(3);
    _exit(0);
  }
  int status;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
