/* A multithreaded target.
 *   busy: threads allocate and lock all the time while the main thread starts
 *         children with fork + exec; the children run nothing unsafe, so the
 *         injector must report nothing (and never the parent's own calls).
 *   lock: a thread holds a mutex when main forks; the child takes that mutex,
 *         which no thread in the child will ever release: a real deadlock.
 * Exit status 0 when every child succeeded. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { THREADS = 4, CHILDREN = 40 };

static pthread_mutex_t shared = PTHREAD_MUTEX_INITIALIZER;
static volatile int stop;
static int locked_pipe[2];

static void* busy_thread(void* unused) {
  (void)unused;
  while (!stop) {
    void* volatile p = malloc(64);
    free(p);
    pthread_mutex_lock(&shared);
    pthread_mutex_unlock(&shared);
  }
  return NULL;
}

static void* holding_thread(void* unused) {
  (void)unused;
  pthread_mutex_lock(&shared);
  if (write(locked_pipe[1], "x", 1) != 1) abort();
  while (!stop) usleep(10000);
  pthread_mutex_unlock(&shared);
  return NULL;
}

static int fork_exec_true(int take_lock) {
  pid_t pid = fork();
  if (pid == 0) {
    if (take_lock) pthread_mutex_lock(&shared);
    execl("/bin/true", "true", (char*)NULL);
    _exit(127);
  }
  int status;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int main(int argc, char** argv) {
  int lock = argc > 1 && strcmp(argv[1], "lock") == 0;
  pthread_t threads[THREADS];
  int ok = 1;
  if (lock) {
    if (pipe(locked_pipe) != 0) return 2;
    pthread_create(&threads[0], NULL, holding_thread, NULL);
    char c;
    if (read(locked_pipe[0], &c, 1) != 1) return 2;  /* the mutex is held now */
    ok = fork_exec_true(1);
    stop = 1;
    pthread_join(threads[0], NULL);
  } else {
    for (int i = 0; i < THREADS; ++i) pthread_create(&threads[i], NULL, busy_thread, NULL);
    for (int i = 0; i < CHILDREN; ++i) ok &= fork_exec_true(0);
    stop = 1;
    for (int i = 0; i < THREADS; ++i) pthread_join(threads[i], NULL);
  }
  return ok ? 0 : 1;
}
