/* The window: from fork's return in the child until exec or _exit. Its state
 * is plain globals, which fork makes per process (a vfork child's is a page
 * of its own, inject.h). Interposes fork, vfork, _Fork, exit, _exit and
 * _Exit, and registers a
 * pthread_atfork child handler that opens the window for forks we do not see
 * (forkpty, daemon, libc-internal calls). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/raw_syscall.h"
#include "inject.h"
#include "run_shared.h"

_Static_assert(sizeof ((struct fs_run_shared*)0)->spawns == FS_COUNT_KINDS * sizeof(uint64_t), "one count per kind");

struct fs_child fs_process_child;
__thread struct fs_vfork_state* fs_vfork_child __attribute__((tls_model("initial-exec")));

/* Guards our recording against itself (backtrace may reach our wrappers).
 * initial-exec: no __tls_get_addr, which may allocate. */
static __thread int busy __attribute__((tls_model("initial-exec")));

/* Call sites already recorded in this child: each is recorded once. */
static struct fs_recorded_call recorded_in_process[FS_MAX_RECORDED];

static struct fs_recorded_call* recorded(void) {
  return fs_vfork_child ? fs_vfork_child->recorded : recorded_in_process;
}

void fs_count(enum fs_count kind) { __atomic_fetch_add(&fs_state()->counts[kind], 1, __ATOMIC_RELAXED); }

/* Into the run's shared file, or (without it) a "process" record. */
void fs_counts_flush(void) {
  static const char* const names[FS_COUNT_KINDS] = {"fork", "vfork", "posix_spawn", "system", "popen"};
  unsigned long total = 0;
  for (int i = 0; i < FS_COUNT_KINDS; ++i) total += fs_state()->counts[i];
  if (total == 0) return;
  struct fs_run_shared* shared = fs_shared_file();
  if (shared) {
    for (int i = 0; i < FS_COUNT_KINDS; ++i) {
      __atomic_fetch_add(&shared->spawns[i], __atomic_exchange_n(&fs_state()->counts[i], 0, __ATOMIC_RELAXED),
                         __ATOMIC_RELAXED);
    }
    return;
  }
  char buffer[512];
  struct fs_text t;
  fs_record_begin(&t, buffer, sizeof buffer, "process");
  for (int i = 0; i < FS_COUNT_KINDS; ++i) {
    fs_text_key(&t, names[i]);
    fs_text_ulong(&t, __atomic_exchange_n(&fs_state()->counts[i], 0, __ATOMIC_RELAXED));
  }
  fs_record_write(&t);
}

/* What a new window starts with, in the state fs_state() names. */
static void open_window(pid_t pid, const char* how) {
  struct fs_child* child = fs_state();
  child->pid = pid;
  child->window_open = 1;
  child->last_call = how;
  child->finalizer = NULL;
  child->exit_recorded = 0;
  child->ended_recorded = 0;
  child->exec_attempted = 0;
  child->recorded_count = 0;
  child->leaks_reported = 0;
  child->closed_count = 0;
  child->gc_done = 0;
  child->allocated = 0;
  fs_watchdog_arm();
}

void fs_window_open_child(void) {
  pid_t pid = fs_getpid();
  if (fs_process_child.window_open && fs_process_child.pid == pid) return;
  open_window(pid, "fork");
  for (int i = 0; i < FS_COUNT_KINDS; ++i) fs_process_child.counts[i] = 0;  /* the parent's, copied */
  fs_python_child_reset();
  fs_gc_trigger(GC_AT_FORK);
}

/* One record of the child's: a key, its text value and the stack, written
 * with write(2) from a buffer on the stack, once for all its siblings. */
static void record_with_stack(const char* event, const char* key, const char* value) {
  char buffer[FS_RECORD_CAPACITY];
  struct fs_text t;
  fs_record_begin(&t, buffer, sizeof buffer, event);
  fs_text_key(&t, key);
  fs_text_json(&t, value);
  fs_record_stack_once(&t);
}

void fs_window_unsafe_call(const char* function, const void* caller) {
  fs_state()->last_call = function;
  if (busy) return;
  struct fs_child* child = fs_state();
  struct fs_recorded_call* calls = recorded();
  for (int i = 0; i < child->recorded_count; ++i) {
    if (calls[i].function == function && calls[i].caller == caller) return;
  }
  if (child->recorded_count == FS_MAX_RECORDED) return;
  calls[child->recorded_count].function = function;
  calls[child->recorded_count++].caller = caller;
  busy = 1;
  record_with_stack("unsafe-call", "function", function);
  busy = 0;
}

typedef pid_t (*fork_fn)(void);

/* Parent side, before each fork (ours, and libc's own as a pthread_atfork
 * prepare handler): everything the child may need is looked up here (dlsym
 * and libgcc_s's loading take locks), not at load, because most processes
 * under the injector are leaves that never fork and should pay nothing for
 * it. Each step is done once per process. */
static void prepare_for_child(void) {
  fs_real_resolve_all();
  fs_record_prepare();
  fs_python_before_fork();
  fs_gc_before_fork();
}

static pid_t fork_child_opens_window(fork_fn real_fork) {
  prepare_for_child();
  pid_t pid = real_fork();
  if (pid == 0) fs_window_open_child();
  return pid;
}

FS_EXPORT pid_t fork(void) {
  fs_count(FS_COUNT_FORK);
  return fork_child_opens_window(FS_REAL(fork_fn, fork));
}

/* vfork stays a vfork on x86-64 (vfork_x86_64.S calls these three): the
 * parent is suspended until the child execs or ends, as the program expects,
 * and a shell's vfork children (dash: one per command) do not each copy the
 * shell's page tables. The child's window state is a page of the vforking
 * thread's, mapped in the parent at its first vfork (so that the child never
 * fails for want of it) and kept for the next: unmapping it after each vfork
 * made the kernel flush the TLB of the CPU the child had run on, an IPI
 * waited for in every vfork (12 % of a dash loop's time on a 2-CPU VM). A
 * thread's page is unmapped when the thread ends (a key's destructor). A
 * vfork child forces no finalizer, since it would run on its parent's
 * memory. Elsewhere vfork is made a real fork, as TSan and Valgrind do. */
static __thread struct fs_vfork_state* vfork_page __attribute__((tls_model("initial-exec")));
static pthread_key_t page_key;
static int page_key_made;

static void unmap_page(void* page) { fs_syscall(SYS_munmap, (long)page, sizeof(struct fs_vfork_state), 0, 0); }

static void make_page_key(void) { page_key_made = pthread_key_create(&page_key, unmap_page) == 0; }

static struct fs_vfork_state* thread_page(void) {
  if (vfork_page) return vfork_page;
  long page = forksafe_raw_syscall6(SYS_mmap, 0, sizeof(struct fs_vfork_state), PROT_READ | PROT_WRITE,
                                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (page < 0 && page > -4096) return NULL;
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, make_page_key);
  if (page_key_made) pthread_setspecific(page_key, (void*)page);
  return vfork_page = (struct fs_vfork_state*)page;
}

int fs_vfork_prepare(void) {
  fs_count(FS_COUNT_VFORK);
  prepare_for_child();
  /* A vfork child's own vfork would reuse the page it runs on: a fork instead. */
  return fs_vfork_child == NULL && thread_page() != NULL;
}

/* Both sides, with the vfork system call's result. */
pid_t fs_vfork_returned(long result) {
  if (result == 0) {
    fs_vfork_child = vfork_page;
    open_window(fs_getpid(), "vfork");
    return 0;
  }
  /* The parent, once the child has exec'd or ended: anything it held in our
   * shared memory is free again. */
  fs_vfork_child = NULL;
  fs_environment_vfork_returned();
  if (result < 0) {
    errno = (int)-result;
    return -1;
  }
  return (pid_t)result;
}

pid_t fs_vfork_as_fork(void) { return fork_child_opens_window(FS_REAL(fork_fn, fork)); }

#if !defined(__x86_64__)
FS_EXPORT pid_t vfork(void) {
  fs_count(FS_COUNT_VFORK);
  return fs_vfork_as_fork();
}
#endif

/* _Fork runs no pthread_atfork handlers, so it is the only way in for them. */
FS_EXPORT pid_t _Fork(void) {
  fs_count(FS_COUNT_FORK);
  return fork_child_opens_window(FS_REAL(fork_fn, _Fork));
}

void fs_window_exec(const char* function) {
  fs_state()->last_call = function;
  fs_state()->exec_attempted = 1;
}

/* A child that ends without ever exec'ing ran the parent's code, with the
 * parent's copied state, for its whole life (runtime-no-exec). A failed exec
 * followed by _exit is not that shape. */
static void record_end(const char* how) {
  if (!fs_state()->window_open || fs_state()->ended_recorded || fs_state()->exec_attempted) return;
  fs_state()->ended_recorded = 1;
  record_with_stack("no-exec", "how", how);
}

static void record_exit(const char* how) {
  if (!fs_state()->window_open || fs_state()->exit_recorded) return;
  fs_state()->exit_recorded = 1;
  fs_window_unsafe_call("exit", __builtin_return_address(0));
  record_end(how);
}

FS_EXPORT void exit(int status) {
  record_exit("exit");
  FS_REAL(void (*)(int), exit)(status);
  __builtin_unreachable();
}

/* _exit is the exit_group system call; making it ourselves needs no lookup. */
__attribute__((noreturn)) static void end_process(const char* how, int status) {
  record_end(how);
  fs_state()->window_open = 0;
  fs_counts_flush();
  for (;;) fs_syscall(SYS_exit_group, status, 0, 0, 0);
}

FS_EXPORT void _exit(int status) { end_process("_exit", status); }
FS_EXPORT void _Exit(int status) { end_process("_Exit", status); }

/* Only what must be read before the program can change it: its environment.
 * The rest waits for a first fork (prepare_for_child). */
__attribute__((constructor)) static void load(void) {
  fs_config_load();
  pthread_atfork(prepare_for_child, NULL, fs_window_open_child);
}

/* Runs in exit(), including a return from main in a child (libc calls exit
 * internally, past our wrapper). */
__attribute__((destructor)) static void unload(void) {
  record_exit("return from main");
  fs_counts_flush();
}
