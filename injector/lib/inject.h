/* Internal interface of libforksafe_inject.so.
 *
 * Everything here can run in the child of a fork, between fork and exec: no
 * allocation, no locks, no stdio, only async-signal-safe calls (raw system
 * calls for our own I/O, so that our own open/close never reach our wrappers).
 * Written in C so that nothing can pull in libstdc++ (C++ function-local
 * statics alone call __cxa_guard_acquire, which takes a lock). */
#ifndef FORKSAFE_INJECT_H
#define FORKSAFE_INJECT_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#define FS_EXPORT __attribute__((visibility("default")))
#define FS_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define FS_LIKELY(x) __builtin_expect(!!(x), 1)

/* ---- options (config.c), read from the environment once at load ---- */
enum gc_trigger { GC_AT_NONE, GC_AT_FORK, GC_AT_FD, GC_AT_ALLOC, GC_AT_EXEC, GC_AT_AUTO, GC_AT_COUNT };
extern const char* const fs_gc_trigger_names[GC_AT_COUNT]; /* as --gc-at spells them */
/* Zero-initialized (in .bss, not in .data) and with the fields written at
 * load first: every process under the injector writes it, and each page it
 * writes costs a page fault. */
struct fs_config {
  enum gc_trigger gc_at;   /* FORKSAFE_GC_AT */
  int timeout_seconds;     /* FORKSAFE_TIMEOUT; 0 disables the watchdog */
  int watchdog_kills;      /* FORKSAFE_WATCHDOG=kill (default) or report */
  char library[256];       /* this library, as LD_PRELOAD names it */
  char log_path[PATH_MAX]; /* FORKSAFE_LOG; empty: record nothing */
  char gc_symbol[128];     /* FORKSAFE_GC_SYMBOL */
};
extern struct fs_config fs_config;
void fs_config_load(void);
void fs_record_counts_map(const char* path); /* record.c: FORKSAFE_COUNTS */
/* The run's shared file (run_shared.h) once mapped, else NULL. */
struct fs_run_shared* fs_shared_file(void);
void fs_fds_inherited_load(const char* value); /* fds.c: FORKSAFE_INHERITED_FDS */

/* ---- real functions (real.c): libc's definitions of what we interpose ---- */
#define X(name) FS_FN_##name,
enum fs_fn {
#include "real.def"
  FS_FN_COUNT
};
#undef X
extern void* fs_functions[FS_FN_COUNT];
void* fs_real_resolve(enum fs_fn which);
extern __thread int fs_resolving __attribute__((tls_model("initial-exec"))); /* dlsym runs for us */
void fs_real_resolve_all(void); /* parent side, before fork */
/* The real function, typed: looked up on first use, and all of them before
 * a fork, so that a child never looks one up (except after a fork libc made
 * internally, e.g. in daemon() or forkpty(), which we do not see coming). */
#define FS_REAL(type, name)                                                    \
  ((type)(FS_UNLIKELY(!fs_functions[FS_FN_##name]) ? fs_real_resolve(FS_FN_##name) \
                                                   : fs_functions[FS_FN_##name]))
/* A wrapper that records the call when it happens in the window. */
#define FS_NOTE(name)                                                          \
  do {                                                                         \
    if (FS_UNLIKELY(fs_state()->window_open))                                           \
      fs_window_unsafe_call(#name, __builtin_return_address(0));               \
  } while (0)
#define FS_WRAP(ret, name, params, args)                                       \
  FS_EXPORT ret name params {                                                  \
    FS_NOTE(name);                                                             \
    return FS_REAL(ret(*) params, name) args;                                  \
  }
#define FS_WRAP_VOID(name, params, args)                                       \
  FS_EXPORT void name params {                                                 \
    FS_NOTE(name);                                                             \
    FS_REAL(void(*) params, name) args;                                        \
  }

/* ---- raw I/O without our wrappers or errno surprises (sys.c) ---- */
/* A system call that leaves errno alone: returns -errno on failure. */
long fs_syscall(long number, long a, long b, long c, long d);
int fs_open(const char* path, int flags);
int fs_close(int fd);
ssize_t fs_read(int fd, void* buffer, size_t size);
ssize_t fs_write(int fd, const void* data, size_t size);
ssize_t fs_readlink(const char* path, char* out, size_t size); /* NUL-terminates */
pid_t fs_getpid(void);
pid_t fs_getppid(void);
/* "/proc/self/NAME[/N]", or "/proc/PID/NAME[/N]" when pid > 0 (fd < 0: no /N) */
void fs_proc_path(char* out, size_t size, pid_t pid, const char* name, int fd);
/* Calls visit(fd, context) for every descriptor of process pid (0: self). */
void fs_each_fd(pid_t pid, void (*visit)(int fd, void* context), void* context);
void fs_each_process(void (*visit)(int pid, void* context), void* context); /* from /proc */
/* The same for this process, without /proc when the table is small. */
void fs_each_own_fd(void (*visit)(int fd, void* context), void* context);

/* ---- async-signal-safe text building (text.c) ---- */
struct fs_text {
  char* data;
  size_t size, capacity;
  int overflow; /* set when something did not fit; the record is then cut short */
  size_t key_from; /* records: where the part after the pids starts */
};
void fs_text_raw(struct fs_text* t, const char* s);
void fs_text_json(struct fs_text* t, const char* s); /* quoted and escaped */
void fs_text_long(struct fs_text* t, long value);
void fs_text_ulong(struct fs_text* t, unsigned long value);
void fs_text_key(struct fs_text* t, const char* key); /* ,"key": */

/* ---- records (record.c): JSON Lines, one write(2) per record ---- */
/* At most FS_MAX_FRAMES frames per record, of which FS_OUTER_FRAMES are the
 * outermost of a stack deeper than that (up to FS_UNWOUND_FRAMES deep). */
enum { FS_RECORD_CAPACITY = 24576, FS_MAX_FRAMES = 32, FS_OUTER_FRAMES = 8, FS_UNWOUND_FRAMES = 256 };
/* Starts {"event":...,"pid":...,"ppid":...[,"finalizer":...] */
void fs_record_begin(struct fs_text* t, char* buffer, size_t capacity, const char* event);
/* ,"frames":[{"module":...,"offset":...},...] from backtrace(): our own frames
 * dropped, then `skip` more (the signal trampoline, for the watchdog). */
void fs_record_backtrace(struct fs_text* t, int skip);
/* Parent side, before fork: makes backtrace() usable in the child. */
void fs_record_prepare(void);
/* Closes the object and appends it to the log with one write(2). */
void fs_record_write(struct fs_text* t);
/* The same, unless another process of the run already wrote this record
 * but for its pids: then only counted in the run's shared table. */
void fs_record_write_once(struct fs_text* t);
/* The stack (as fs_record_backtrace), then fs_record_write_once. */
void fs_record_stack_once(struct fs_text* t);

/* ---- the window (window.c): from fork's return in the child to exec/_exit ---- */
enum fs_count { FS_COUNT_FORK, FS_COUNT_VFORK, FS_COUNT_POSIX_SPAWN, FS_COUNT_SYSTEM,
                FS_COUNT_POPEN, FS_COUNT_KINDS };
/* Everything a process writes around a fork, in one place and aligned so it
 * never straddles a page: fork shares pages copy-on-write, so each page a
 * child writes on its way to exec costs a fault and a copy in every child. */
struct fs_child {
  volatile int window_open;
  const char* volatile last_call;  /* last interposed call in the window */
  const char* volatile finalizer;  /* finalizer running now, or NULL */
  pid_t pid;                       /* the process whose window is open */
  int exit_recorded;               /* exit() seen, so the destructor does not record it again */
  int ended_recorded;              /* the child's end without exec was recorded */
  int exec_attempted;              /* an exec was tried (a failed one ends in _exit) */
  int recorded_count;              /* call sites recorded in this child */
  int leaks_reported;              /* fds.c: the exec-time scan ran */
  int closed_count;                /* fds.c: pipes the child closed */
  int gc_done;                     /* gc.c: the finalizers ran */
  int allocated;                   /* gc.c: the child allocated before the trigger */
  int watchdog_timer;              /* watchdog.c: the kernel's id of the child's timer */
  unsigned long counts[FS_COUNT_KINDS]; /* process creations, parent side */
} __attribute__((aligned(128)));
/* Lists a child fills in its window, apart from the hot fields above. */
enum { FS_MAX_RECORDED = 64, FS_MAX_CLOSED = 8, FS_TARGET_CHARS = 256 };
struct fs_recorded_call {
  const char* function;
  const void* caller;
};
struct fs_closed_pipe {
  int fd;
  char end; /* fs_fd_end's letter, read before the close */
  char target[FS_TARGET_CHARS];
};
/* A vfork child's window (vfork_x86_64.S): the child runs in its parent's
 * memory, so its state is a page of its own, found through the vforking
 * thread's TLS, which only that child sees; the parent's other threads, still
 * running in that memory, stay outside the window. */
struct fs_vfork_state {
  struct fs_child child;
  struct fs_recorded_call recorded[FS_MAX_RECORDED];
  struct fs_closed_pipe closed[FS_MAX_CLOSED];
};
extern struct fs_child fs_process_child;  /* a fork child's, seen by all its threads */
extern __thread struct fs_vfork_state* fs_vfork_child __attribute__((tls_model("initial-exec")));
/* The window's state: the vfork child's page in a vfork child, else the process's. */
static inline struct fs_child* fs_state(void) {
  return FS_UNLIKELY(fs_vfork_child != NULL) ? &fs_vfork_child->child : &fs_process_child;
}
void fs_window_open_child(void);           /* idempotent per process */
/* An unsafe function was called: records it once per call site (in window only). */
void fs_window_unsafe_call(const char* function, const void* caller);
void fs_counts_flush(void);                /* the "process" record, when it forked */
void fs_window_exec(const char* function);  /* exec entry in the window */
/* vfork (vfork_x86_64.S): before the system call, 1 when it may be made (else
 * fs_vfork_as_fork); after it, on both sides, with its raw result. */
int fs_vfork_prepare(void);
pid_t fs_vfork_returned(long result);
pid_t fs_vfork_as_fork(void);

void fs_count(enum fs_count kind);

/* ---- keeping the injector across exec (environment.c) ---- */
/* The environment an exec passes on: envp itself, or, when the program
 * dropped or replaced the injector (env -i; a harness's own LD_PRELOAD), a
 * copy in static storage with it put back (recorded as "preload-restored").
 * fs_environment_release after the exec returned (it failed). */
char* const* fs_keep_injector(char* const envp[], const char* exec_path);
void fs_environment_release(char* const* env);
/* In a vfork parent once its child exec'd or ended: the copy the child took
 * (this thread's, in the shared memory) is free again. */
void fs_environment_vfork_returned(void);

/* ---- programs the injector cannot follow (reach.c) ---- */
/* Records "not-followed" when `file` (searched along PATH when `search`) is
 * static or set-user/group-ID; `spawned`: the posix_spawn child's pid, or 0
 * for an exec of this process. */
void fs_reach_check(const char* file, int search, pid_t spawned);

/* ---- GC-like callbacks (gc.c) ---- */
void fs_gc_before_fork(void);     /* parent, once: looks up --gc-symbol */
void fs_gc_trigger(enum gc_trigger at); /* child: forces the finalizers (once) and CPython's collector */
/* A "gc" record, or "gc-skipped" with the reason when skipped is not NULL. */
void fs_gc_record(const char* name, const char* trigger, const char* skipped);

/* ---- CPython (python.c), found in the process with no option ---- */
void fs_python_before_fork(void);   /* parent: looks it up, registers the after-fork hook */
int fs_python_is_collector(const void* function);
void fs_python_collect(enum gc_trigger at);  /* child: when the GIL is held and Python allocated */
void fs_python_child_reset(void);
/* Appends ,"python":"<traceback>" (and the depth at the running forced
 * collection) in a CPython process: the records' view in Python's terms. */
void fs_python_describe(struct fs_text* t);

/* ---- descriptors (fds.c) ---- */
void fs_fds_report_leaks(const char* exec_path); /* once per window */
/* Appends ,"closed":[...] : pipes the child closed and where the parent still holds them. */
void fs_fds_describe_closed(struct fs_text* t);
void fs_fds_describe_fd(struct fs_text* t, int fd); /* {"fd":N,"target":"..."} */
/* ,"end":"read"|"write" and the processes holding the other end, for a pipe. */
void fs_fds_describe_waited_end(struct fs_text* t, int fd);

/* ---- who holds a pipe's ends (holders.c), for the deadlock report ---- */
char fs_fd_end(pid_t pid, int fd); /* 'r', 'w', 'b' (both) or '?'; pid 0: this process */
/* Appends ,"KEY":[{"pid":..,"fd":..,"command":".."},...]: the processes holding
 * target open at that end (at most 4). */
void fs_holders_describe(struct fs_text* t, const char* key, const char* target, char end);
/* Appends ,"command":"PROGRAM ARGS" of process pid (0: this one), cut at 255 bytes. */
void fs_append_command(struct fs_text* t, pid_t pid);
/* Appends ,"parent":{"pid":..,"command":..,"waiting_for_child":true|false} */
void fs_parent_describe(struct fs_text* t);

/* ---- watchdog (watchdog.c) ---- */
void fs_watchdog_arm(void);
int fs_watchdog_signal(void);

#endif
