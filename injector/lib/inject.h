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
enum gc_trigger { GC_AT_NONE, GC_AT_FORK, GC_AT_FD, GC_AT_ALLOC, GC_AT_EXEC };
/* Zero-initialized (in .bss, not in .data) and with the fields written at
 * load first: every process under the injector writes it, and each page it
 * writes costs a page fault. */
struct fs_config {
  enum gc_trigger gc_at;   /* FORKSAFE_GC_AT */
  int timeout_seconds;     /* FORKSAFE_TIMEOUT; 0 disables the watchdog */
  int watchdog_kills;      /* FORKSAFE_WATCHDOG=kill (default) or report */
  char log_path[PATH_MAX]; /* FORKSAFE_LOG; empty: record nothing */
  char gc_symbol[128];     /* FORKSAFE_GC_SYMBOL */
};
extern struct fs_config fs_config;
void fs_config_load(void);
void fs_record_counts_map(const char* path); /* record.c: FORKSAFE_COUNTS */

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
    if (FS_UNLIKELY(fs_child.window_open))                                           \
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
/* "/proc/self/fd[/N]", or "/proc/PID/fd[/N]" when pid > 0 (fd < 0: the directory) */
void fs_proc_fd_path(char* out, size_t size, pid_t pid, int fd);
/* Calls visit(fd, context) for every descriptor of process pid (0: self). */
void fs_each_fd(pid_t pid, void (*visit)(int fd, void* context), void* context);
/* The same for this process, without /proc when the table is small. */
void fs_each_own_fd(void (*visit)(int fd, void* context), void* context);

/* ---- async-signal-safe text building (text.c) ---- */
struct fs_text {
  char* data;
  size_t size, capacity;
  int overflow; /* set when something did not fit; the record is then cut short */
};
void fs_text_raw(struct fs_text* t, const char* s);
void fs_text_json(struct fs_text* t, const char* s); /* quoted and escaped */
void fs_text_long(struct fs_text* t, long value);
void fs_text_ulong(struct fs_text* t, unsigned long value);
void fs_text_key(struct fs_text* t, const char* key); /* ,"key": */

/* ---- records (record.c): JSON Lines, one write(2) per record ---- */
enum { FS_RECORD_CAPACITY = 24576, FS_MAX_FRAMES = 32 };
/* Starts {"event":...,"pid":...,"ppid":...[,"finalizer":...] */
void fs_record_begin(struct fs_text* t, char* buffer, size_t capacity, const char* event);
/* ,"frames":[{"module":...,"offset":...},...] from backtrace(): our own frames
 * dropped, then `skip` more (the signal trampoline, for the watchdog). */
void fs_record_backtrace(struct fs_text* t, int skip);
/* Parent side, before fork: makes backtrace() usable in the child. */
void fs_record_prepare(void);
/* Closes the object and appends it to the log with one write(2). */
void fs_record_write(struct fs_text* t);

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
  int recorded_count;              /* call sites recorded in this child */
  int leaks_reported;              /* fds.c: the exec-time scan ran */
  int closed_count;                /* fds.c: pipes the child closed */
  int gc_done;                     /* gc.c: the finalizers ran */
  int allocated;                   /* gc.c: the child allocated before the trigger */
  unsigned long counts[FS_COUNT_KINDS]; /* process creations, parent side */
} __attribute__((aligned(128)));
extern struct fs_child fs_child;
void fs_window_open_child(void);           /* idempotent per process */
/* An unsafe function was called: records it once per call site (in window only). */
void fs_window_unsafe_call(const char* function, const void* caller);
void fs_counts_flush(void);                /* the "process" record, when it forked */

void fs_count(enum fs_count kind);

/* ---- GC-like callbacks (gc.c) ---- */
void fs_gc_before_fork(void);     /* parent, once: looks up --gc-symbol */
void fs_gc_trigger(enum gc_trigger at); /* child: forces the finalizers once */

/* ---- descriptors (fds.c) ---- */
void fs_fds_report_leaks(const char* exec_path); /* once per window */
/* Appends ,"closed":[...] : pipes the child closed and where the parent still holds them. */
void fs_fds_describe_closed(struct fs_text* t);
void fs_fds_describe_fd(struct fs_text* t, int fd); /* {"fd":N,"target":"..."} */

/* ---- watchdog (watchdog.c) ---- */
void fs_watchdog_arm(void);
int fs_watchdog_signal(void);

#endif
