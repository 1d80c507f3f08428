/* Descriptors in the window: the calls that open one (--gc-at fd fires at the
 * first), the pipes the child closes (a finalizer closing ssh's stdin), and at
 * exec every descriptor above 2 without FD_CLOEXEC. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "inject.h"
#include "run_shared.h"

enum { TARGET_CHARS = FS_TARGET_CHARS };

/* The descriptors open when `forksafe run` started (the CI runner's, the
 * shell's), as FORKSAFE_INHERITED_FDS lists them: "fd:dev:ino:kind,...",
 * kind 'o' for a pipe or socket (one object, under any descriptor number),
 * 'f' for anything else (that descriptor only). A leak of one is not the
 * program's: it is counted, not described, which spares the child the
 * readlink and the stack of a record the launcher would leave out. */
enum { MAX_INHERITED = 32 };
static struct inherited_fd {
  int fd;
  int any_fd;
  unsigned long dev, ino;
} inherited[MAX_INHERITED];
static int inherited_count;

static unsigned long parse_number(const char** p) {
  unsigned long value = 0;
  for (; **p >= '0' && **p <= '9'; ++*p) value = value * 10 + (unsigned long)(**p - '0');
  return value;
}

void fs_fds_inherited_load(const char* value) {
  const char* p = value;
  while (*p && inherited_count < MAX_INHERITED) {
    struct inherited_fd entry;
    entry.fd = (int)parse_number(&p);
    if (*p++ != ':') return;
    entry.dev = parse_number(&p);
    if (*p++ != ':') return;
    entry.ino = parse_number(&p);
    if (*p++ != ':') return;
    entry.any_fd = *p == 'o';
    if (*p != 'o' && *p != 'f') return;
    inherited[inherited_count++] = entry;
    if (*++p == ',') ++p;
  }
}

static int was_open_at_start(int fd) {
  if (inherited_count == 0) return 0;
  struct stat st;
  if (fs_syscall(SYS_fstat, fd, (long)&st, 0, 0) < 0) return 0;
  for (int i = 0; i < inherited_count; ++i) {
    const struct inherited_fd* entry = &inherited[i];
    if (entry->dev == st.st_dev && entry->ino == st.st_ino && (entry->any_fd || entry->fd == fd)) return 1;
  }
  return 0;
}

/* The pipes the child closed (its deadlock report names them). */
static struct fs_closed_pipe closed_in_process[FS_MAX_CLOSED];

static struct fs_closed_pipe* closed_pipes(void) {
  return fs_vfork_child ? fs_vfork_child->closed : closed_in_process;
}

static const char* end_name(char end) {
  return end == 'r' ? "read" : end == 'w' ? "write" : end == 'b' ? "both" : "?";
}

static void target_of(pid_t pid, int fd, char* out, size_t size) {
  char link[64];
  fs_proc_path(link, sizeof link, pid, "fd", fd);
  if (fs_readlink(link, out, size) <= 0) strcpy(out, "?");
}

void fs_fds_describe_fd(struct fs_text* t, int fd) {
  char target[TARGET_CHARS];
  target_of(0, fd, target, sizeof target);
  fs_text_raw(t, "{\"fd\":");
  fs_text_long(t, fd);
  fs_text_key(t, "target");
  fs_text_json(t, target);
  fs_text_raw(t, "}");
}

/* A pipe end the child waits on: a read waits for every writer to close. */
void fs_fds_describe_waited_end(struct fs_text* t, int fd) {
  char target[TARGET_CHARS];
  target_of(0, fd, target, sizeof target);
  if (strncmp(target, "pipe:", 5) != 0) return;
  char end = fs_fd_end(0, fd);
  fs_text_key(t, "end");
  fs_text_json(t, end_name(end));
  if (end == 'r') fs_holders_describe(t, "writers", target, 'w');
  if (end == 'w') fs_holders_describe(t, "readers", target, 'r');
}

struct leak_scan {
  const char* exec_path;
};

static void report_if_leaked(int fd, void* context) {
  if (fd <= 2) return;
  long flags = fs_syscall(SYS_fcntl, fd, F_GETFD, 0, 0);
  if (flags < 0 || (flags & FD_CLOEXEC)) return;
  struct fs_run_shared* shared = fs_shared_file();
  if (shared && was_open_at_start(fd)) {
    __atomic_fetch_add(&shared->inherited_leaks, 1, __ATOMIC_RELAXED);
    return;
  }
  char buffer[FS_RECORD_CAPACITY];
  struct fs_text t;
  fs_record_begin(&t, buffer, sizeof buffer, "leaked-fd");
  fs_text_key(&t, "exec");
  fs_text_json(&t, ((struct leak_scan*)context)->exec_path);
  fs_text_key(&t, "descriptor");
  fs_fds_describe_fd(&t, fd);
  fs_record_stack_once(&t);
}

void fs_fds_report_leaks(const char* exec_path) {
  if (fs_state()->leaks_reported) return;
  fs_state()->leaks_reported = 1;
  struct leak_scan scan = {exec_path ? exec_path : "?"};
  fs_each_own_fd(report_if_leaked, &scan);
}

/* ---- where the pipes the child closed are still open in its parent ---- */
struct parent_scan {
  const char* target;
  int parent_fd;
};

static void match_parent_fd(int fd, void* context) {
  struct parent_scan* scan = context;
  char target[TARGET_CHARS];
  target_of(fs_getppid(), fd, target, sizeof target);
  if (scan->parent_fd < 0 && strcmp(target, scan->target) == 0) scan->parent_fd = fd;
}

void fs_fds_describe_closed(struct fs_text* t) {
  const struct fs_closed_pipe* closed = closed_pipes();
  fs_text_key(t, "closed");
  fs_text_raw(t, "[");
  for (int i = 0; i < fs_state()->closed_count; ++i) {
    struct parent_scan scan = {closed[i].target, -1};
    fs_each_fd(fs_getppid(), match_parent_fd, &scan);
    fs_text_raw(t, i ? ",{\"fd\":" : "{\"fd\":");
    fs_text_long(t, closed[i].fd);
    fs_text_key(t, "target");
    fs_text_json(t, closed[i].target);
    fs_text_key(t, "open_in_parent_as");
    fs_text_long(t, scan.parent_fd);
    fs_text_key(t, "end");
    fs_text_json(t, end_name(closed[i].end));
    /* A write end still open elsewhere keeps its readers from seeing EOF. */
    if (closed[i].end == 'w' && scan.parent_fd >= 0) fs_holders_describe(t, "readers", closed[i].target, 'r');
    fs_text_raw(t, "}");
  }
  fs_text_raw(t, "]");
}

FS_EXPORT int close(int fd) {
  struct fs_child* child = fs_state();
  if (FS_UNLIKELY(child->window_open)) {
    child->last_call = "close";
    if (child->closed_count < FS_MAX_CLOSED) {
      struct fs_closed_pipe* pipe = &closed_pipes()[child->closed_count];
      target_of(0, fd, pipe->target, TARGET_CHARS);
      if (strncmp(pipe->target, "pipe:", 5) == 0) {
        long flags = fs_syscall(SYS_fcntl, fd, F_GETFL, 0, 0);
        pipe->end = flags < 0 ? '?' : (flags & O_ACCMODE) == O_WRONLY ? 'w' : (flags & O_ACCMODE) == O_RDONLY ? 'r' : 'b';
        pipe->fd = fd;
        ++child->closed_count;
      }
    }
  }
  return FS_REAL(int (*)(int), close)(fd);
}

/* ---- calls that open a descriptor: --gc-at fd runs the finalizers first ---- */
#define BEFORE_OPEN(name)                     \
  do {                                        \
    if (FS_UNLIKELY(fs_state()->window_open)) {        \
      fs_state()->last_call = #name;                   \
      fs_gc_trigger(GC_AT_FD);                \
    }                                         \
  } while (0)

#define WRAP_OPENING(name, params, args)                  \
  FS_EXPORT int name params {                             \
    BEFORE_OPEN(name);                                    \
    return FS_REAL(int(*) params, name) args;             \
  }

/* open and openat take a mode only with O_CREAT or O_TMPFILE. */
#define WRAP_OPEN(name, params, call_params, args)                          \
  FS_EXPORT int name params {                                               \
    BEFORE_OPEN(name);                                                      \
    mode_t mode = 0;                                                        \
    if (flags & (O_CREAT | O_TMPFILE)) {                                    \
      va_list ap;                                                           \
      va_start(ap, flags);                                                  \
      mode = va_arg(ap, mode_t);                                            \
      va_end(ap);                                                           \
    }                                                                       \
    return FS_REAL(int(*) call_params, name) args;                          \
  }
WRAP_OPEN(open, (const char* path, int flags, ...), (const char*, int, mode_t), (path, flags, mode))
WRAP_OPEN(open64, (const char* path, int flags, ...), (const char*, int, mode_t), (path, flags, mode))
WRAP_OPEN(openat, (int dir, const char* path, int flags, ...), (int, const char*, int, mode_t),
          (dir, path, flags, mode))
WRAP_OPEN(openat64, (int dir, const char* path, int flags, ...), (int, const char*, int, mode_t),
          (dir, path, flags, mode))
WRAP_OPENING(creat, (const char* path, mode_t mode), (path, mode))
WRAP_OPENING(pipe, (int fds[2]), (fds))
WRAP_OPENING(pipe2, (int fds[2], int flags), (fds, flags))
WRAP_OPENING(socket, (int domain, int type, int protocol), (domain, type, protocol))
WRAP_OPENING(socketpair, (int domain, int type, int protocol, int fds[2]), (domain, type, protocol, fds))
WRAP_OPENING(dup, (int fd), (fd))
WRAP_OPENING(dup2, (int fd, int to), (fd, to))
WRAP_OPENING(dup3, (int fd, int to, int flags), (fd, to, flags))
