/* Our own I/O as raw system calls (common/raw_syscall.h, shared with the
 * spawner): async-signal-safe, never routed through the open/close wrappers
 * this library exports, and inline: libc's syscall() would set errno (a write
 * to the thread's TLS page) and sit on a libc code page that a forked child
 * has not mapped yet; each is a page fault in every child. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/raw_syscall.h"
#include "inject.h"

long fs_syscall(long number, long a, long b, long c, long d) {
  return forksafe_raw_syscall6(number, a, b, c, d, 0, 0);
}

int fs_open(const char* path, int flags) {
  return (int)fs_syscall(SYS_openat, AT_FDCWD, (long)path, flags | O_CLOEXEC, 0600);
}

int fs_close(int fd) { return (int)fs_syscall(SYS_close, fd, 0, 0, 0); }

ssize_t fs_read(int fd, void* buffer, size_t size) {
  ssize_t n;
  do {
    n = fs_syscall(SYS_read, fd, (long)buffer, (long)size, 0);
  } while (n == -EINTR);
  return n;
}

ssize_t fs_write(int fd, const void* data, size_t size) {
  ssize_t n;
  do {
    n = fs_syscall(SYS_write, fd, (long)data, (long)size, 0);
  } while (n == -EINTR);
  return n;
}

ssize_t fs_readlink(const char* path, char* out, size_t size) {
  ssize_t n = fs_syscall(SYS_readlinkat, AT_FDCWD, (long)path, (long)out, (long)size - 1);
  out[n > 0 ? n : 0] = '\0';
  return n;
}

pid_t fs_getpid(void) { return (pid_t)fs_syscall(SYS_getpid, 0, 0, 0, 0); }
pid_t fs_getppid(void) { return (pid_t)fs_syscall(SYS_getppid, 0, 0, 0, 0); }

void fs_proc_path(char* out, size_t size, pid_t pid, const char* name, int fd) {
  struct fs_text t = {.data = out, .capacity = size};
  fs_text_raw(&t, "/proc/");
  if (pid > 0) {
    fs_text_ulong(&t, (unsigned long)pid);
  } else {
    fs_text_raw(&t, "self");
  }
  fs_text_raw(&t, "/");
  fs_text_raw(&t, name);
  if (fd >= 0) {
    fs_text_raw(&t, "/");
    fs_text_ulong(&t, (unsigned long)fd);
  }
  out[t.size] = '\0';  /* the text keeps a byte spare */
}

struct linux_dirent64 {
  unsigned long long d_ino;
  long long d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

/* visit(N, context) for each entry of the directory named by a number; the
 * listing's own descriptor is left out when skip_own is set. */
static void each_number(const char* path, int skip_own, void (*visit)(int number, void* context), void* context) {
  int dir = fs_open(path, O_RDONLY | O_DIRECTORY);
  if (dir < 0) return;
  char buffer[4096] __attribute__((aligned(8)));
  for (;;) {
    long n = fs_syscall(SYS_getdents64, dir, (long)buffer, sizeof buffer, 0);
    if (n <= 0) break;
    for (long at = 0; at < n;) {
      struct linux_dirent64* entry = (struct linux_dirent64*)(buffer + at);
      at += entry->d_reclen;
      if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
      int number = 0;
      for (const char* c = entry->d_name; *c; ++c) number = number * 10 + (*c - '0');
      if (!skip_own || number != dir) visit(number, context);
    }
  }
  fs_close(dir);
}

void fs_each_fd(pid_t pid, void (*visit)(int fd, void* context), void* context) {
  char path[64];
  fs_proc_path(path, sizeof path, pid, "fd", -1);
  each_number(path, pid <= 0, visit, context);  /* our own listing is not theirs */
}

void fs_each_process(void (*visit)(int pid, void* context), void* context) { each_number("/proc", 0, visit, context); }

enum { LONG_BITS = 8 * sizeof(long), MAX_TABLE = 1024, POLL_CHUNK = 64 };

/* An end of this process's descriptor table (no descriptor is open at or
 * above it), or 0 when it cannot be told. Linux's select() cuts its count
 * down to the table's size (fs/select.c, core_sys_select) and fails with
 * EBADF on a closed descriptor below it, so a closed descriptor k that
 * select() accepts lies past the table. Tables grow by doubling from 64, and
 * a forked child's is only as large as its parent's highest descriptor needs. */
static int table_end(void) {
  unsigned long set[MAX_TABLE / LONG_BITS + 1] = {0};
  struct timespec zero = {0, 0};
  for (int k = 64; k <= MAX_TABLE; k *= 2) {
    set[k / LONG_BITS] = 1UL << (k % LONG_BITS);
    long accepted = forksafe_raw_syscall6(SYS_pselect6, k + 1, (long)set, 0, 0, (long)&zero, 0);
    set[k / LONG_BITS] = 0;
    if (accepted == -EBADF) continue;  /* inside the table, and closed */
    if (accepted < 0) return 0;
    if (fs_syscall(SYS_fcntl, k, F_GETFD, 0, 0) == -EBADF) return k;
  }
  return 0;
}

/* ppoll marks each closed descriptor POLLNVAL: 64 descriptors a call, where
 * listing /proc/self/fd makes the kernel build a directory entry and an inode
 * for the process and for each descriptor (10-14 % of a fork and exec of
 * /bin/true; docs/injector.md, Benchmark). */
void fs_each_own_fd(void (*visit)(int fd, void* context), void* context) {
  int end = table_end();
  struct pollfd polled[POLL_CHUNK];
  struct timespec zero = {0, 0};
  for (int first = 0; first < end; first += POLL_CHUNK) {
    int count = end - first < POLL_CHUNK ? end - first : POLL_CHUNK;
    for (int i = 0; i < count; ++i) {
      polled[i].fd = first + i;
      polled[i].events = 0;
      polled[i].revents = 0;
    }
    /* Only a count above RLIMIT_NOFILE fails, and then the first call. */
    if (forksafe_raw_syscall6(SYS_ppoll, (long)polled, count, (long)&zero, 0, 0, 0) < 0) break;
    for (int i = 0; i < count; ++i) {
      if (!(polled[i].revents & POLLNVAL)) visit(first + i, context);
    }
    if (first + count == end) return;
  }
  fs_each_fd(0, visit, context);
}
