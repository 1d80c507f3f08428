/* Who holds the ends of a pipe, for the deadlock report: a read blocks until
 * every write end is closed, so the processes holding a write end (pid,
 * descriptor, command line) are what the child waits for. Found by listing
 * /proc/PID/fd of every process we can read and /proc/PID/fdinfo for the
 * access mode; only when the watchdog fires, with raw system calls. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>

#include "inject.h"

enum { MAX_HOLDERS = 4, TARGET_CHARS = 256 };

static ssize_t read_small_file(const char* path, char* out, size_t size) {
  int fd = fs_open(path, O_RDONLY);
  if (fd < 0) return -1;
  ssize_t n = fs_read(fd, out, size - 1);
  fs_close(fd);
  out[n > 0 ? n : 0] = '\0';
  return n;
}


char fs_fd_end(pid_t pid, int fd) {
  char path[64], info[512];
  fs_proc_path(path, sizeof path, pid, "fdinfo", fd);
  if (read_small_file(path, info, sizeof info) <= 0) return '?';
  const char* flags = strstr(info, "flags:\t");
  if (!flags) return '?';
  unsigned long mode = 0;
  for (flags += 7; *flags >= '0' && *flags <= '7'; ++flags) mode = mode * 8 + (unsigned long)(*flags - '0');
  return (mode & O_ACCMODE) == O_WRONLY ? 'w' : (mode & O_ACCMODE) == O_RDONLY ? 'r' : 'b';
}

void fs_append_command(struct fs_text* t, pid_t pid) {
  char path[64], command[256];
  fs_proc_path(path, sizeof path, pid, "cmdline", -1);
  ssize_t n = read_small_file(path, command, sizeof command);
  for (ssize_t i = 0; i + 1 < n; ++i) {
    if (command[i] == '\0') command[i] = ' ';
  }
  fs_text_key(t, "command");
  fs_text_json(t, n > 0 ? command : "?");
}

struct holder_scan {
  struct fs_text* t;
  const char* target;
  char end;
  pid_t pid;
  int found;
};

static void match_holder(int fd, void* context) {
  struct holder_scan* scan = context;
  if (scan->found == MAX_HOLDERS) return;
  char link[64], target[TARGET_CHARS];
  fs_proc_path(link, sizeof link, scan->pid, "fd", fd);
  if (fs_readlink(link, target, sizeof target) <= 0 || strcmp(target, scan->target) != 0) return;
  char end = fs_fd_end(scan->pid, fd);
  if (end != scan->end && end != 'b') return;
  fs_text_raw(scan->t, scan->found++ ? ",{\"pid\":" : "{\"pid\":");
  fs_text_long(scan->t, scan->pid);
  fs_text_key(scan->t, "fd");
  fs_text_long(scan->t, fd);
  fs_append_command(scan->t, scan->pid);
  fs_text_raw(scan->t, "}");
}

static void scan_process(int pid, void* context) {
  struct holder_scan* scan = context;
  scan->pid = pid;
  if (scan->found < MAX_HOLDERS) fs_each_fd(pid, match_holder, scan);
}

void fs_holders_describe(struct fs_text* t, const char* key, const char* target, char end) {
  fs_text_key(t, key);
  fs_text_raw(t, "[");
  struct holder_scan scan = {t, target, end, 0, 0};
  fs_each_process(scan_process, &scan);
  fs_text_raw(t, "]");
}

void fs_parent_describe(struct fs_text* t) {
  pid_t parent = fs_getppid();
  char path[64], wchan[64];
  fs_proc_path(path, sizeof path, parent, "wchan", -1);
  read_small_file(path, wchan, sizeof wchan);
  fs_text_key(t, "parent");
  fs_text_raw(t, "{\"pid\":");
  fs_text_long(t, parent);
  fs_append_command(t, parent);
  /* do_wait: the kernel's wait4/waitid, so the parent waits for a child. */
  fs_text_key(t, "waiting_for_child");
  fs_text_raw(t, strcmp(wchan, "do_wait") == 0 ? "true" : "false");
  fs_text_raw(t, "}");
}
