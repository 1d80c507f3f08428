/* A C program using the installed C ABI: echo through a new pipe, then a
 * missing program. Prints "ok" and exits 0 when both behave. */
#include <errno.h>
#include <forksafe/spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  const char* argv[] = {"echo", "hello", NULL};
  struct forksafe_spawn_options options = {0};
  options.argv = argv;
  options.stdio[1].kind = FORKSAFE_STDIO_PIPE;
  struct forksafe_spawn_result started;
  if (forksafe_spawn(&options, &started) != 0) {
    fprintf(stderr, "consumer: %s: %s\n", started.step, strerror(started.error));
    return 1;
  }
  char text[64] = {0};
  size_t length = 0;
  ssize_t n;
  while ((n = read(started.pipe_fds[1], text + length, sizeof text - 1 - length)) > 0) length += (size_t)n;
  close(started.pipe_fds[1]);
  int status = -1;
  waitpid(started.pid, &status, 0);
  if (strcmp(text, "hello\n") != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "consumer: echo gave '%s', status %d\n", text, status);
    return 1;
  }

  const char* missing[] = {"forksafe-no-such-program", NULL};
  options = (struct forksafe_spawn_options){0};
  options.argv = missing;
  int error = forksafe_spawn(&options, &started);
  if (error != ENOENT || started.error != ENOENT || strcmp(started.step, "execve") != 0 || started.pid != -1) {
    fprintf(stderr, "consumer: a missing program gave %d at '%s'\n", error, started.step);
    return 1;
  }
  puts("ok");
  return 0;
}
