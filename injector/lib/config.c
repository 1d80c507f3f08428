/* Options come from the environment (set by `forksafe run`), read once at
 * load, before the program can change it: one pass over environ, with our
 * own loops rather than getenv, atoi and the string functions, because each
 * libc code page touched only for us is a page fault in every process under
 * the injector. */
#define _GNU_SOURCE
#include <unistd.h>

#include "inject.h"

struct fs_config fs_config;

/* s past prefix, or NULL when s does not start with it. */
static const char* after(const char* s, const char* prefix) {
  for (; *prefix; ++s, ++prefix) {
    if (*s != *prefix) return NULL;
  }
  return s;
}

static int equals(const char* s, const char* other) {
  const char* rest = after(s, other);
  return rest && !*rest;
}

/* Unlike strncpy, writes no padding: untouched pages of these buffers stay
 * unmapped in the many processes that never use them. */
static void copy(char* out, size_t size, const char* value) {
  size_t n = 0;
  for (; value[n] && n < size - 1; ++n) out[n] = value[n];
  out[n] = '\0';
}

/* The entry of LD_PRELOAD (separated by ':' or ' ') that is this library. */
static void find_library(const char* preload) {
  static const char name[] = "libforksafe_inject.so";
  const char* start = preload;
  for (const char* p = preload;; ++p) {
    if (*p && *p != ':' && *p != ' ') continue;
    size_t length = (size_t)(p - start);
    if (length >= sizeof name - 1 && length < sizeof fs_config.library && after(p - (sizeof name - 1), name)) {
      for (size_t i = 0; i < length; ++i) fs_config.library[i] = start[i];
      fs_config.library[length] = '\0';
    }
    if (!*p) return;
    start = p + 1;
  }
}

static int parse_seconds(const char* value) {
  int seconds = 0;
  for (; *value >= '0' && *value <= '9' && seconds < 1000000; ++value) seconds = seconds * 10 + (*value - '0');
  return seconds;
}

static enum gc_trigger parse_trigger(const char* value) {
  for (int i = 0; i < GC_AT_COUNT; ++i) {
    if (equals(value, fs_gc_trigger_names[i])) return (enum gc_trigger)i;
  }
  return GC_AT_AUTO;
}

void fs_config_load(void) {
  fs_config.gc_at = GC_AT_AUTO;
  fs_config.timeout_seconds = 10;
  fs_config.watchdog_kills = 1;
  for (char** entry = environ; entry && *entry; ++entry) {
    const char* preload = after(*entry, "LD_PRELOAD=");
    if (preload) find_library(preload);
    const char* name = after(*entry, "FORKSAFE_");
    if (!name) continue;
    const char* value;
    if ((value = after(name, "LOG="))) {
      copy(fs_config.log_path, sizeof fs_config.log_path, value);
    } else if ((value = after(name, "GC_SYMBOL="))) {
      copy(fs_config.gc_symbol, sizeof fs_config.gc_symbol, value);
    } else if ((value = after(name, "GC_AT="))) {
      fs_config.gc_at = parse_trigger(value);
    } else if ((value = after(name, "TIMEOUT="))) {
      fs_config.timeout_seconds = parse_seconds(value);
    } else if ((value = after(name, "COUNTS="))) {
      fs_record_counts_map(value);
    } else if ((value = after(name, "INHERITED_FDS="))) {
      fs_fds_inherited_load(value);
    } else if ((value = after(name, "WATCHDOG="))) {
      fs_config.watchdog_kills = !equals(value, "report");
    }
  }
}
