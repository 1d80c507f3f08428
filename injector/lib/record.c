/* Records: one JSON object per line, appended with a single write(2) to a
 * descriptor opened for that record only (O_APPEND|O_CLOEXEC), because
 * programs close descriptors they do not know and concurrent children must
 * never interleave. Backtraces are written as module + file offset, found
 * in the loader's table (or /proc/self/maps with raw reads). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <fcntl.h>
#include <link.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "common/raw_syscall.h"
#include "inject.h"
#include "run_shared.h"

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

static void find_modules_in_maps(struct frame* frames, int count) {
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

/* The program this process runs: its parent's until exec, which loads this
 * library afresh, so it is read once (before the first fork, where it can)
 * and inherited by the children. */
static char exe_path[PATH_MAX];

static const char* exe(void) {
  if (!exe_path[0] && fs_readlink("/proc/self/exe", exe_path, sizeof exe_path) <= 0) return "?";
  return exe_path;
}

/* A frame placed by the loader's own table (_dl_find_object: lock-free, no
 * system call, as libgcc's unwinder uses it), its file offset from the
 * module's program headers in memory; 0 for a frame it cannot place (no link
 * map, a name that is no path such as the vDSO's). /proc/self/maps, read
 * for every record before, has the kernel format every mapping, and its
 * addresses differ in every exec'd program, so no table could spare it. */
static int place_by_loader(struct frame* f) {
  struct dl_find_object found;
  if (_dl_find_object((void*)f->address, &found) != 0 || !found.dlfo_link_map) return 0;
  const struct link_map* map = found.dlfo_link_map;
  const char* name = map->l_name[0] ? map->l_name : exe(); /* the main program's is "" */
  const ElfW(Ehdr)* header = found.dlfo_map_start;
  size_t mapped = (size_t)((const char*)found.dlfo_map_end - (const char*)header);
  if (name[0] != '/' || strlen(name) >= MODULE_CHARS || mapped < sizeof *header ||
      memcmp(header->e_ident, ELFMAG, SELFMAG) != 0 || header->e_phoff + header->e_phnum * sizeof(ElfW(Phdr)) > mapped) {
    return 0;
  }
  const ElfW(Phdr)* segments = (const ElfW(Phdr)*)((const char*)header + header->e_phoff);
  unsigned long vaddr = f->address - map->l_addr;
  for (int i = 0; i < header->e_phnum; ++i) {
    const ElfW(Phdr)* s = &segments[i];
    if (s->p_type != PT_LOAD || vaddr < s->p_vaddr || vaddr >= s->p_vaddr + s->p_memsz) continue;
    f->offset = vaddr - s->p_vaddr + s->p_offset;
    strcpy(f->module, name);
    return 1;
  }
  return 0;
}

static void find_modules(struct frame* frames, int count) {
  int unplaced = 0;
  for (int i = 0; i < count; ++i) unplaced += !place_by_loader(&frames[i]);
  if (unplaced) find_modules_in_maps(frames, count);
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
  t->key_from = t->size;  /* what siblings share (fs_record_write_once) */
  /* The program the process runs: a forked child's is its parent's until exec. */
  fs_text_key(t, "exe");
  fs_text_json(t, exe());
  if (fs_state()->finalizer) {
    fs_text_key(t, "finalizer");
    fs_text_json(t, fs_state()->finalizer);
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
  exe();
  Dl_info self;
  if (dladdr((void*)&fs_record_prepare, &self) && self.dli_fname) self_path = self.dli_fname;
  backtrace_ready = 1;
}

/* The stack, deeper ones cut to their innermost frames (the call) and
 * their outermost (main, the test); *omitted: the number left out. */
static int unwind(void* addresses[FS_UNWOUND_FRAMES], int* omitted) {
  /* A fork we did not see (libc-internal, e.g. daemon, forkpty): no stack
   * rather than a dlopen in the child. */
  int count = backtrace_ready ? backtrace(addresses, FS_UNWOUND_FRAMES) : 0;
  *omitted = count > FS_MAX_FRAMES ? count - FS_MAX_FRAMES : 0;
  if (!*omitted) return count;
  for (int i = 0; i < FS_OUTER_FRAMES; ++i) {
    addresses[FS_MAX_FRAMES - FS_OUTER_FRAMES + i] = addresses[count - FS_OUTER_FRAMES + i];
  }
  return FS_MAX_FRAMES;
}

static void write_frames(struct fs_text* t, void* const addresses[], int count, int omitted, int skip) {
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

void fs_record_backtrace(struct fs_text* t, int skip) {
  void* addresses[FS_UNWOUND_FRAMES];
  int omitted;
  int count = unwind(addresses, &omitted);
  write_frames(t, addresses, count, omitted, skip);
}

/* The run's shared file (FORKSAFE_COUNTS, run_shared.h): records written and
 * lost, and the records some process of the run already wrote. Mapped at
 * load, because a child out of descriptors could not open it then. */
static struct fs_run_shared* fs_shared;

void fs_record_counts_map(const char* path) {
  int fd = fs_open(path, O_RDWR);
  if (fd < 0) return;
  long page = forksafe_raw_syscall6(SYS_mmap, 0, sizeof(struct fs_run_shared), PROT_READ | PROT_WRITE, MAP_SHARED,
                                    fd, 0);
  fs_close(fd);
  if (page < 0 && page > -4096) return;
  fs_shared = (struct fs_run_shared*)page;
}

struct fs_run_shared* fs_shared_file(void) { return fs_shared; }

static void count(uint64_t* which) {
  if (fs_shared) __atomic_fetch_add(which, 1, __ATOMIC_RELAXED);
}

void fs_record_write(struct fs_text* t) {
  if (!fs_config.log_path[0]) return;
  /* A finding's record (the large buffer) names the process's own command
   * line, so a report can tell the processes of a suite apart; the small
   * records (counts, collections) have no room for it, and no need. Like
   * the pids it is not what siblings share (a loop's children differ in
   * it), so it comes last, read only when the record is written. */
  if (t->capacity >= FS_RECORD_CAPACITY) fs_append_command(t, 0);
  if (t->overflow) {  /* cut short: keep the line valid JSON, say so */
    t->size = 0;
    t->overflow = 0;
    fs_text_raw(t, "{\"event\":\"truncated\"");
  }
  fs_text_raw(t, "}\n");
  int fd = fs_open(fs_config.log_path, O_WRONLY | O_APPEND | O_CREAT);
  ssize_t written = fd < 0 ? -1 : fs_write(fd, t->data, t->size);
  if (fd >= 0) fs_close(fd);
  if (fs_shared) count(written == (ssize_t)t->size ? &fs_shared->written : &fs_shared->lost);
}

/* One step of FNV-1a. */
static uint64_t fnv_byte(uint64_t hash, unsigned char byte) { return (hash ^ byte) * 1099511628211ull; }

/* FNV-1a of the record after its pids; a pipe's or socket's inode number
 * ("pipe:[1234]") is left out too: each sibling has its own pipe. */
static uint64_t hash_text(const struct fs_text* t) {
  uint64_t hash = 14695981039346656037ull;
  int in_inode = 0;
  for (size_t i = t->key_from; i < t->size; ++i) {
    char c = t->data[i];
    if (in_inode) {
      in_inode = c != ']';
      if (in_inode) continue;
    } else if (c == '[' && i > 0 && t->data[i - 1] == ':') {
      in_inode = 1;
    }
    hash = fnv_byte(hash, (unsigned char)c);
  }
  return hash;
}

/* Never 0, which marks a free slot. */
static uint64_t record_hash(const struct fs_text* t) {
  uint64_t hash = hash_text(t);
  return hash ? hash : 1;
}

enum claim { CLAIM_FIRST, CLAIM_SEEN, CLAIM_NO_ROOM };

/* FIRST when this process is the first of the run to make the record: write
 * it; SEEN when another wrote it: counted in its slot; NO_ROOM when the
 * table cannot say (no table, its neighbourhood full): written, not counted. */
static enum claim claim(uint64_t hash) {
  if (!fs_shared) return CLAIM_NO_ROOM;
  for (unsigned i = 0; i < FS_SEEN_PROBES; ++i) {
    struct fs_seen_slot* slot = &fs_shared->slots[(hash + i) % FS_SEEN_SLOTS];
    uint64_t held = __atomic_load_n(&slot->hash, __ATOMIC_ACQUIRE);
    int first = held == 0 && __atomic_compare_exchange_n(&slot->hash, &held, hash, 0, __ATOMIC_ACQ_REL,
                                                         __ATOMIC_ACQUIRE);
    if (!first && held != hash) continue;  /* another record's slot */
    uint32_t n = __atomic_fetch_add(&slot->count, 1, __ATOMIC_RELAXED);
    if (n < FS_SEEN_PIDS) __atomic_store_n(&slot->pids[n], fs_getpid(), __ATOMIC_RELAXED);
    if (!first) count(&fs_shared->deduplicated);
    return first ? CLAIM_FIRST : CLAIM_SEEN;
  }
  return CLAIM_NO_ROOM;
}

void fs_record_write_once(struct fs_text* t) {
  if (t->overflow) {
    fs_record_write(t);
    return;
  }
  uint64_t hash = record_hash(t);
  if (claim(hash) == CLAIM_SEEN) return;
  static const char hex[] = "0123456789abcdef";
  char text[17];
  for (int i = 0; i < 16; ++i) text[i] = hex[(hash >> (60 - 4 * i)) & 15];
  text[16] = '\0';
  fs_text_key(t, "seen");
  fs_text_json(t, text);
  fs_record_write(t);
}

void fs_record_stack_once(struct fs_text* t) {
  if (!fs_config.log_path[0]) return;  /* nothing is recorded: spare the stack */
  void* addresses[FS_UNWOUND_FRAMES];
  int omitted;
  int count = unwind(addresses, &omitted);
  write_frames(t, addresses, count, omitted, 0);
  fs_record_write_once(t);
}
