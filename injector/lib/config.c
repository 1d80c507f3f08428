/* Options come from the environment (set by `forksafe run`), read once at
 * load, in the parent, where getenv is fine. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "inject.h"

struct fs_config fs_config;

/* Unlike strncpy, writes no padding: untouched pages of these buffers stay
 * unmapped in the many processes that never use them. */
static void copy(char* out, size_t size, const char* value) {
  if (!value) return;
  size_t n = strnlen(value, size - 1);
  memcpy(out, value, n);
  out[n] = '\0';
}

static enum gc_trigger parse_trigger(const char* value) {
  static const char* const names[] = {"none", "fork", "fd", "alloc", "exec"};
  for (int i = 0; i < 5; ++i) {
    if (strcmp(value, names[i]) == 0) return (enum gc_trigger)i;
  }
  return GC_AT_EXEC;
}

void fs_config_load(void) {
  fs_config.gc_at = GC_AT_EXEC;
  fs_config.timeout_seconds = 10;
  fs_config.watchdog_kills = 1;
  copy(fs_config.log_path, sizeof fs_config.log_path, getenv("FORKSAFE_LOG"));
  copy(fs_config.gc_symbol, sizeof fs_config.gc_symbol, getenv("FORKSAFE_GC_SYMBOL"));
  const char* gc_at = getenv("FORKSAFE_GC_AT");
  if (gc_at) fs_config.gc_at = parse_trigger(gc_at);
  const char* timeout = getenv("FORKSAFE_TIMEOUT");
  if (timeout) fs_config.timeout_seconds = atoi(timeout);
  const char* watchdog = getenv("FORKSAFE_WATCHDOG");
  if (watchdog) fs_config.watchdog_kills = strcmp(watchdog, "report") != 0;
}
