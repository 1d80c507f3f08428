/* A forked child that uses up every descriptor, then calls malloc (an unsafe
 * call the injector records) and exits: the record cannot be written, and
 * `forksafe run` must say it was lost. Exit status 0. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  pid_t pid = fork();
  if (pid == 0) {
    while (dup(0) >= 0) {
    }
    void* volatile block = malloc(64); /* volatile: not optimised away */
    free(block);
    _exit(0);
  }
  int status;
  waitpid(pid, &status, 0);
  return 0;
}
