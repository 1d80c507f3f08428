/* The bug: a pipe made without O_CLOEXEC reaches the program the child execs. */
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  int ends[2];
  if (pipe(ends) != 0) return 1;
  pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/true", "true", (char*)0);
    _exit(127);
  }
  int status = 0;
  return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
