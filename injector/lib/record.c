/* Records: one JSON object per line, appended with a single write(2) to a
 * descriptor opened for that record only (O_APPEND|O_CLOEXEC), because
 * programs close descriptors they do not know and concurrent children must
 * never interleave. Backtraces are written as module + offset, found in
 * /proc/self/maps with raw reads. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "common/raw_syscall.h"
#include "inject.h"

enum { MODULE_CHARS = 384 };

struct frame {
  unsigned long address;
  unsigned long offset;  /* file offset in module */
  char module[MODULE_CHARS];
};

static unsigned long parse_hex(const char** p) {
  unsigned long value = 0;
  for (;; ++*p) {
    char c = **p;
    int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (digit < 0) return value;
    value = value * 16 + (unsigned long)digit;
  }
}

static const char* skip_field(const char* p) {
  while (*p && *p != ' ') ++p;
  while (*p == ' ') ++p;
  return p;
}

/* One line of /proc/self/maps: "start-end perms offset dev inode   path". */
static void match_line(const char* line, struct frame* frames, int count) {
  const char* p = line;
  unsigned long start = parse_hex(&p);
  if (*p++ != '-') return;
  unsigned long end = parse_hex(&p);
  p = skip_field(skip_field(p));  /* the rest of "end", then perms */
  unsigned long file_offset = parse_hex(&p);
  p = skip_field(skip_field(skip_field(p)));  /* offset's end, dev, inode */
  for (int i = 0; i < count; ++i) {
    if (frames[i].module[0] || frames[i].address < start || frames[i].address >= end) continue;
    frames[i].offset = frames[i].address - start + file_offset;
    strncpy(frames[i].module, *p ? p : "[anonymous]", MODULE_CHARS - 1);
    frames[i].module[MODULE_CHARS - 1] = '\0';
  }
}

static void find_modules(struct frame* frames, int count) {
  int fd = fs_open("/proc/self/maps", O_RDONLY);
  if (fd < 0) return;
  char buffer[8192];
  size_t kept = 0;
  for (;;) {
    ssize_t n = fs_read(fd, buffer + kept, sizeof buffer - 1 - kept);
    if (n <= 0) break;
    size_t size = kept + (size_t)n;
    size_t line = 0;
    for (size_t i = 0; i < size; ++i) {
      if (buffer[i] != '\n') continue;
      buffer[i] = '\0';
      match_line(buffer + line, frames, count);
      line = i + 1;
    }
    kept = size - line;
    if (kept == sizeof buffer - 1) kept = 0;  /* a line longer than the buffer: drop it */
    memmove(buffer, buffer + line, kept);
  }
  fs_close(fd);
}

void fs_record_begin(struct fs_text* t, char* buffer, size_t capacity, const char* event) {
  t->data = buffer;
  t->size = 0;
  t->capacity = capacity;
  t->overflow = 0;
  fs_text_raw(t, "{\"event\":");
  fs_text_json(t, event);
  fs_text_key(t, "pid");
  fs_text_long(t, fs_getpid());
  fs_text_key(t, "ppid");
  fs_text_long(t, fs_getppid());
  /* The program the process runs: a forked child's is its parent's until exec. */
  char exe[PATH_MAX];
  fs_text_key(t, "exe");
  fs_text_json(t, fs_readlink("/proc/self/exe", exe, sizeof exe) > 0 ? exe : "?");
  /* A finding's record (the large buffer) names the process's own command
   * line, so a report can tell the processes of a suite apart; the small
   * records (counts, collections) have no room for it, and no need. */
  if (capacity >= FS_RECORD_CAPACITY) fs_append_command(t, 0);
  if (fs_child.finalizer) {
    fs_text_key(t, "finalizer");
    fs_text_json(t, fs_child.finalizer);
  }
}

/* backtrace() loads libgcc_s on first use (dlopen: locks, allocation). Most
 * processes under the injector are leaves that never fork, so that happens
 * in the parent at its first fork, not at load. */
static int backtrace_ready;
static const char* self_path = ""; /* this library (the loader's string), to drop its own frames */

void fs_record_prepare(void) {
  if (backtrace_ready) return;
  void* warm_up[2];
  backtrace(warm_up, 2);
  Dl_info self;
  if (dladdr((void*)&fs_record_prepare, &self) && self.dli_fname) self_path = self.dli_fname;
  backtrace_ready = 1;
}

void fs_record_backtrace(struct fs_text* t, int skip) {
  void* addresses[FS_UNWOUND_FRAMES];
  /* A fork we did not see (libc-internal, e.g. daemon, forkpty): no stack
   * rather than a dlopen in the child. */
  int count = backtrace_ready ? backtrace(addresses, FS_UNWOUND_FRAMES) : 0;
  /* A deeper stack keeps its innermost frames (the call) and its outermost
   * (main, the test), with the number left out between them. */
  int omitted = count > FS_MAX_FRAMES ? count - FS_MAX_FRAMES : 0;
  if (omitted) {
    for (int i = 0; i < FS_OUTER_FRAMES; ++i) {
      addresses[FS_MAX_FRAMES - FS_OUTER_FRAMES + i] = addresses[count - FS_OUTER_FRAMES + i];
    }
    count = FS_MAX_FRAMES;
  }
  struct frame frames[FS_MAX_FRAMES];
  for (int i = 0; i < count; ++i) {
    frames[i].address = (unsigned long)addresses[i];
    frames[i].offset = 0;
    frames[i].module[0] = '\0';
  }
  find_modules(frames, count);
  fs_text_key(t, "frames");
  fs_text_raw(t, "[");
  int written = 0;
  for (int i = 0; i < count; ++i) {
    if (strcmp(frames[i].module, self_path) == 0) continue;  /* our own frames */
    if (skip > 0) {
      --skip;
      continue;
    }
    fs_text_raw(t, written++ ? ",{\"module\":" : "{\"module\":");
    fs_text_json(t, frames[i].module[0] ? frames[i].module : "[unknown]");
    fs_text_key(t, "offset");
    fs_text_ulong(t, frames[i].module[0] ? frames[i].offset : frames[i].address);
    fs_text_raw(t, "}");
  }
  fs_text_raw(t, "]");
  if (omitted) {  /* between the last FS_OUTER_FRAMES written and the rest */
    fs_text_key(t, "frames_omitted");
    fs_text_long(t, omitted);
    fs_text_key(t, "outer_frames");
    fs_text_long(t, FS_OUTER_FRAMES);
  }
  fs_python_describe(t);
}

/* Records written and lost ([0], [1]), in a page shared with `forksafe run`
 * (FORKSAFE_COUNTS): a child with no descriptor left, or whose log was
 * removed, loses records, and the launcher must be able to say so. Mapped at
 * load, because a child out of descriptors could not open it then. */
static unsigned long* fs_counts;

void fs_record_counts_map(const char* path) {
  int fd = fs_open(path, O_RDWR);
  if (fd < 0) return;
  long page = forksafe_raw_syscall6(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  fs_close(fd);
  if (page < 0 && page > -4096) return;
  fs_counts = (unsigned long*)page;
}

static void count(int which) {
  if (fs_counts) __atomic_fetch_add(&fs_counts[which], 1, __ATOMIC_RELAXED);
}

void fs_record_write(struct fs_text* t) {
  if (!fs_config.log_path[0]) return;
  if (t->overflow) {  /* cut short: keep the line valid JSON, say so */
    t->size = 0;
    t->overflow = 0;
    fs_text_raw(t, "{\"event\":\"truncated\"");
  }
  fs_text_raw(t, "}\n");
  int fd = fs_open(fs_config.log_path, O_WRONLY | O_APPEND | O_CREAT);
  ssize_t written = fd < 0 ? -1 : fs_write(fd, t->data, t->size);
  if (fd >= 0) fs_close(fd);
  count(written == (ssize_t)t->size ? 0 : 1);
}
