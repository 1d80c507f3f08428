/* A child that closes every descriptor, 0 to 2 included, then allocates
 * before exec: the injector keeps no descriptor of its own and must still
 * record the call. Exit status 0 when the child ran /bin/true. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  pid_t pid = fork();
  if (pid == 0) {
    for (int fd = 0; fd < 1024; ++fd) close(fd);
    void* volatile memory = malloc(100);
    free(memory);
    execl("/bin/true", "true", (char*)NULL);
    _exit(127);
  }
  int status;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
