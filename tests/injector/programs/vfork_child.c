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
 *   threads_end  64 threads in turn each vfork a child that execs /bin/true
 *            and end: the memory they leave behind (VmData) must be less than
 *            a page each (the window's page of a thread goes with it)
 * Exit status 0 when the mode's expectation holds. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
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

static void* vfork_once(void* unused) {
  (void)unused;
  return wait_ok(child_execs_true(0)) ? NULL : (void*)1;
}

static int vfork_in_thread(void) {
  pthread_t thread;
  void* failed = (void*)1;
  if (pthread_create(&thread, NULL, vfork_once, NULL) != 0 || pthread_join(thread, &failed) != 0) return 0;
  return failed == NULL;
}

/* VmData from /proc/self/status, in kB, or -1. */
static long data_kb(void) {
  char text[4096];
  FILE* status = fopen("/proc/self/status", "r");
  if (!status) return -1;
  size_t size = fread(text, 1, sizeof text - 1, status);
  fclose(status);
  text[size] = '\0';
  const char* line = strstr(text, "VmData:");
  return line ? strtol(line + 7, NULL, 10) : -1;
}

static int threads_leave_no_pages(void) {
  enum { THREADS = 64 };
  if (!vfork_in_thread()) return 0;  /* the first: thread stack cache, arena */
  long before = data_kb();
  for (int i = 0; i < THREADS; ++i) {
    if (!vfork_in_thread()) return 0;
  }
  long after = data_kb();
  if (before < 0 || after < 0) return 0;
  if (after - before >= THREADS * 4) fprintf(stderr, "VmData grew by %ld kB\n", after - before);
  return after - before < THREADS * 4;
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
  if (strcmp(mode, "threads_end") == 0) return threads_leave_no_pages() ? 0 : 1;
  if (strcmp(mode, "preload") == 0) return child_is_injected(argv[0]) && child_is_injected(argv[0]) ? 0 : 1;
  return 2;
}
