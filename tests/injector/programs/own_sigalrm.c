/* A program with its own SIGALRM handler and alarm(), which starts a child
 * that execs `sleep 2`. The injector's watchdog must not touch SIGALRM, and
 * its timer must die at exec: with --timeout 1 the sleep still completes.
 * Exit status 0 when the child succeeded and the handler ran exactly once. */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t alarms;
static void on_alarm(int signal) {
  (void)signal;
  ++alarms;
}

int main(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = on_alarm;
  sigaction(SIGALRM, &action, NULL);
  alarm(1);
  pid_t pid = fork();
  if (pid == 0) {
    execlp("sleep", "sleep", "2", (char*)NULL);
    _exit(127);
  }
  int status;
  while (waitpid(pid, &status, 0) < 0) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 && alarms == 1 ? 0 : 1;
}
