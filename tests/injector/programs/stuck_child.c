/* A forked child that never reaches exec.
 *   spin:  blocks every signal with a raw system call (past the injector's
 *          sigprocmask wrapper), then spins: no signal of the child's own
 *          watchdog can reach it;
 *   sleep: sleeps, a second at a time, for ever.
 * The parent waits for it. Exit status 0 when the child exited normally. */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
  int spin = argc > 1 && strcmp(argv[1], "spin") == 0;
  pid_t pid = fork();
  if (pid == 0) {
    if (spin) {
      unsigned long all = ~0UL;
      syscall(SYS_rt_sigprocmask, SIG_BLOCK, &all, NULL, sizeof all);
      for (volatile unsigned long turns = 0;; ++turns) {
      }
    }
    for (;;) sleep(1);
  }
  int status;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
