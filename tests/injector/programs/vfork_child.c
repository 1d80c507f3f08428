/* vfork as programs rely on it, under the injector. Modes:
 *   shared   the child writes a variable and execs /bin/true; the parent must see it
 *            (vfork shares memory: it must not have been made a fork)
 *   malloc   the child allocates and frees, then execs /bin/true
 *   threads  another thread allocates all along while the child sleeps in its
 *            window, then execs /bin/true: the thread is not in the window
 *   preload  two children in turn exec this program ("injected") with an
 *            environment whose LD_PRELOAD names another library; each must
 *            still have the injector (put back at exec, every time)
 *   injected exit 0 when LD_PRELOAD names libforksafe_inject.so
 * Exit status 0 when the mode's expectation holds. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile int written_by_child;
static volatile int stop;

static int wait_ok(pid_t pid) {
  int status;
  return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void* allocate_all_along(void* unused) {
  (void)unused;
  while (!stop) free(malloc(64));
  return NULL;
}

static pid_t child_execs_true(int sleep_first) {
  char* argv[] = {"true", NULL};
  pid_t pid = vfork();
  if (pid == 0) {
    if (sleep_first) {
      struct timespec pause = {0, 200 * 1000 * 1000};
      nanosleep(&pause, NULL);
    }
    execv("/bin/true", argv);
    _exit(127);
  }
  return pid;
}

static int child_is_injected(char* self) {
  char* env[] = {"LD_PRELOAD=libc_malloc_debug.so.0", NULL};
  char* argv_injected[] = {self, "injected", NULL};
  pid_t pid = vfork();
  if (pid == 0) {
    execve("/proc/self/exe", argv_injected, env);
    _exit(127);
  }
  return wait_ok(pid);
}

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "";
  if (strcmp(mode, "injected") == 0) {
    const char* preload = getenv("LD_PRELOAD");
    return preload && strstr(preload, "libforksafe_inject.so") ? 0 : 1;
  }
  if (strcmp(mode, "shared") == 0) {
    pid_t pid = vfork();
    if (pid == 0) {
      written_by_child = 42;
      execv("/bin/true", (char*[]){"true", NULL});
      _exit(127);
    }
    return wait_ok(pid) && written_by_child == 42 ? 0 : 1;
  }
  if (strcmp(mode, "malloc") == 0) {
    char* argv_true[] = {"true", NULL};
    pid_t pid = vfork();
    if (pid == 0) {
      void* volatile block = malloc(100);  /* volatile: kept, not optimized away */
      free(block);
      execv("/bin/true", argv_true);
      _exit(127);
    }
    return wait_ok(pid) ? 0 : 1;
  }
  if (strcmp(mode, "threads") == 0) {
    pthread_t thread;
    if (pthread_create(&thread, NULL, allocate_all_along, NULL) != 0) return 1;
    int ok = wait_ok(child_execs_true(1));
    stop = 1;
    pthread_join(thread, NULL);
    return ok ? 0 : 1;
  }
  if (strcmp(mode, "preload") == 0) return child_is_injected(argv[0]) && child_is_injected(argv[0]) ? 0 : 1;
  return 2;
}
