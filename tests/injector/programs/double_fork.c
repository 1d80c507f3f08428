/* A background command started with a double fork, as runbgcommand does: the
 * first child forks the command's process and leaves at once, so the program
 * is done long before the grandchild, which waits MS milliseconds, allocates
 * (a finding) and execs /bin/true. `forksafe run` must still collect what the
 * grandchild did. Usage: double_fork MS. Exit status 0. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char** argv) {
  long ms = argc > 1 ? atol(argv[1]) : 300;
  pid_t first = fork();
  if (first == 0) {
    if (fork() == 0) {
      struct timespec delay = {ms / 1000, (ms % 1000) * 1000000};
      while (nanosleep(&delay, &delay) != 0 && errno == EINTR) {
      }
      void* volatile memory = malloc(32);
      free(memory);
      execl("/bin/true", "true", (char*)NULL);
      _exit(127);
    }
    _exit(0);
  }
  waitpid(first, NULL, 0);
  return 0;
}
