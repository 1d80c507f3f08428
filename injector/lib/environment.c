/* Coverage is not lost at exec: a program that execs with an environment
 * without this library in LD_PRELOAD (env -i, or a harness that sets its
 * own, as git's test-lib.sh sets LD_PRELOAD=libc_malloc_debug.so.0) would
 * leave everything it starts unwatched. The exec wrappers pass on a copy of
 * the environment with LD_PRELOAD extended by this library and our options
 * put back, built in static storage (pages untouched until needed; a stack
 * frame that large would cost every exec a stack page): no allocation, in a
 * child too. One exec at a time uses it; a second thread's meanwhile goes
 * out unchanged. */
#define _GNU_SOURCE
#include <string.h>

#include "inject.h"

static const char* value_of(char* const envp[], const char* name, size_t length) {
  for (size_t i = 0; envp && envp[i]; ++i) {
    if (strncmp(envp[i], name, length) == 0 && envp[i][length] == '=') return envp[i] + length + 1;
  }
  return NULL;
}

enum { MAX_ENTRIES = 4096, OPTIONS = 5 };
static struct {
  char* entries[MAX_ENTRIES];
  char preload[2 * PATH_MAX];
  char options[OPTIONS][PATH_MAX + 32];
} copy;
static int copy_busy;
/* This thread took the copy: a vfork child that exec'd with it took it in
 * the parent's memory and can never give it back (fs_environment_vfork_returned). */
static __thread int copy_taken __attribute__((tls_model("initial-exec")));

/* "NAME=first[:second]" in out. */
static void assignment(char* out, size_t size, const char* name, const char* first, const char* second) {
  struct fs_text t = {.data = out, .capacity = size};
  fs_text_raw(&t, name);
  fs_text_raw(&t, "=");
  fs_text_raw(&t, first);
  if (second) {
    if (*first) fs_text_raw(&t, ":");
    fs_text_raw(&t, second);
  }
  out[t.size] = '\0';
}

static void record_restored(const char* exec_path, const char* what) {
  char buffer[PATH_MAX + 256];
  struct fs_text t;
  fs_record_begin(&t, buffer, sizeof buffer, "preload-restored");
  fs_text_key(&t, "exec");
  fs_text_json(&t, exec_path ? exec_path : "?");
  fs_text_key(&t, "what");
  fs_text_json(&t, what);
  fs_record_write_once(&t);
}

char* const* fs_keep_injector(char* const envp[], const char* exec_path) {
  if (!fs_config.library[0] || !fs_config.log_path[0]) return envp;
  const char* preload = value_of(envp, "LD_PRELOAD", 10);
  int has_library = preload && strstr(preload, fs_config.library);
  char timeout[24];
  struct fs_text seconds = {.data = timeout, .capacity = sizeof timeout};
  fs_text_long(&seconds, fs_config.timeout_seconds);
  timeout[seconds.size] = '\0';
  const char* options[OPTIONS][2] = {{"FORKSAFE_LOG", fs_config.log_path},
                               {"FORKSAFE_GC_AT", fs_gc_trigger_names[fs_config.gc_at]},
                               {"FORKSAFE_GC_SYMBOL", fs_config.gc_symbol},
                               {"FORKSAFE_TIMEOUT", timeout},
                               {"FORKSAFE_WATCHDOG", fs_config.watchdog_kills ? "kill" : "report"}};
  int missing = !value_of(envp, options[0][0], strlen(options[0][0]));
  if (has_library && !missing) return envp;
  size_t count = 0;
  while (envp && envp[count]) ++count;
  if (count + OPTIONS + 2 > MAX_ENTRIES || __atomic_exchange_n(&copy_busy, 1, __ATOMIC_ACQUIRE)) return envp;
  copy_taken = 1;
  char** out = copy.entries;
  size_t n = 0;
  for (size_t i = 0; envp && envp[i]; ++i) {
    if (!has_library && strncmp(envp[i], "LD_PRELOAD=", 11) == 0) continue;
    out[n++] = envp[i];
  }
  if (!has_library) {
    assignment(copy.preload, sizeof copy.preload, "LD_PRELOAD", preload ? preload : "", fs_config.library);
    out[n++] = copy.preload;
  }
  for (int i = 0; i < OPTIONS && missing; ++i) {
    if (value_of(envp, options[i][0], strlen(options[i][0]))) continue;
    assignment(copy.options[i], sizeof copy.options[i], options[i][0], options[i][1], NULL);
    out[n++] = copy.options[i];
  }
  out[n] = NULL;
  record_restored(exec_path, !has_library ? (preload ? "LD_PRELOAD replaced" : "LD_PRELOAD dropped")
                                          : "forksafe's options dropped");
  return out;
}

static void give_back_copy(void) {
  if (!copy_taken) return;
  copy_taken = 0;
  __atomic_store_n(&copy_busy, 0, __ATOMIC_RELEASE);
}

void fs_environment_release(char* const* env) {
  if (env == copy.entries) give_back_copy();
}

void fs_environment_vfork_returned(void) { give_back_copy(); }
