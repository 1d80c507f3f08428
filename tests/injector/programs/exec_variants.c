/* Reaches /bin/true through each exec variant, one forked child per variant.
 * Child i first makes descriptor 10 + i without close-on-exec, so the
 * injector's leaked-descriptor report says which variants it saw.
 * Exit status 0 when every child ran /bin/true. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
#include <sys/wait.h>

extern char** environ;

static void run(int variant) {
  char* argv[] = {"true", NULL};
  switch (variant) {
    case 0: execve("/bin/true", argv, environ); break;
    case 1: execv("/bin/true", argv); break;
    case 2: execvp("true", argv); break;
    case 3: execvpe("true", argv, environ); break;
    case 4: execl("/bin/true", "true", (char*)NULL); break;
    case 5: execlp("true", "true", (char*)NULL); break;
    case 6: execle("/bin/true", "true", (char*)NULL, environ); break;
    case 7: fexecve(open("/bin/true", O_RDONLY | O_CLOEXEC), argv, environ); break;
    case 8: execveat(AT_FDCWD, "/bin/true", argv, environ, 0); break;
  }
}

int main(void) {
  int ok = 1;
  for (int variant = 0; variant < 9; ++variant) {
    pid_t pid = fork();
    if (pid == 0) {
      dup2(2, 10 + variant);
      run(variant);
      _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    ok &= WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  return ok ? 0 : 1;
}
