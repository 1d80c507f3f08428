/* GC-like callbacks forced to run in each forked child (forksafe/gc.h): the
 * finalizers a program registered, and --gc-symbol NAME found with dlsym for
 * runtimes that cannot register (CPython: PyGC_Collect). They run once per
 * child, at the trigger --gc-at names. Registered finalizers stand for any
 * code the program could run there and always run; the --gc-symbol collector
 * runs only in a child that allocated (a collector is driven by allocation)
 * and, in CPython, only while the thread holds the GIL. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <string.h>

#include "forksafe/gc.h"
#include "inject.h"

enum { MAX_FINALIZERS = 64, NAME_CHARS = 64 };

static struct {
  forksafe_finalizer function;
  void* context;
  char name[NAME_CHARS];
  int active;  /* set last, with release order: the entry is complete */
} finalizers[MAX_FINALIZERS];
static int finalizer_count;

static void* gc_symbol;       /* --gc-symbol, once found */
static int (*gil_held)(void); /* CPython's PyGILState_Check, when present */
static int lookup_done;

FS_EXPORT int forksafe_gc_register(forksafe_finalizer function, void* context, const char* name) {
  int slot = __atomic_fetch_add(&finalizer_count, 1, __ATOMIC_RELAXED);
  if (slot >= MAX_FINALIZERS) return -1;
  finalizers[slot].function = function;
  finalizers[slot].context = context;
  strncpy(finalizers[slot].name, name ? name : "finalizer", NAME_CHARS - 1);
  __atomic_store_n(&finalizers[slot].active, 1, __ATOMIC_RELEASE);
  return slot;
}

FS_EXPORT void forksafe_gc_unregister(int handle) {
  if (handle >= 0 && handle < MAX_FINALIZERS) __atomic_store_n(&finalizers[handle].active, 0, __ATOMIC_RELEASE);
}

/* Once, in the parent before its first fork: by then a runtime loaded with
 * dlopen is there too. */
void fs_gc_before_fork(void) {
  if (lookup_done) return;
  lookup_done = 1;
  if (!fs_config.gc_symbol[0]) return;
  gc_symbol = FS_REAL(void* (*)(void*, const char*), dlsym)(RTLD_DEFAULT, fs_config.gc_symbol);
  gil_held = (int (*)(void))FS_REAL(void* (*)(void*, const char*), dlsym)(RTLD_DEFAULT, "PyGILState_Check");
}

static void record_gc(const char* name, const char* skipped) {
  char buffer[1024];
  struct fs_text t;
  fs_record_begin(&t, buffer, sizeof buffer, skipped ? "gc-skipped" : "gc");
  fs_text_key(&t, "callback");
  fs_text_json(&t, name);
  fs_text_key(&t, "trigger");
  static const char* const triggers[] = {"none", "fork", "fd", "alloc", "exec"};
  fs_text_json(&t, triggers[fs_config.gc_at]);
  if (skipped) {
    fs_text_key(&t, "reason");
    fs_text_json(&t, skipped);
  }
  fs_record_write(&t);
}

static void run_symbol(void) {
  if (!fs_config.gc_symbol[0]) return;
  if (!gc_symbol) {
    record_gc(fs_config.gc_symbol, "symbol not found in the process");
  } else if (!fs_child.allocated && fs_config.gc_at != GC_AT_ALLOC) {
    /* A runtime's collector runs when the runtime allocates. A child that
     * allocated nothing ran no runtime code (subprocess's C child), so no
     * collection could happen there. */
    record_gc(fs_config.gc_symbol, "nothing was allocated between fork and exec");
  } else if (gil_held && !gil_held()) {
    /* CPython's collector needs the GIL; a child that does not hold it
     * (subprocess's vfork child) runs no Python code at all. */
    record_gc(fs_config.gc_symbol, "the thread does not hold the Python GIL");
  } else {
    record_gc(fs_config.gc_symbol, NULL);
    fs_child.finalizer = fs_config.gc_symbol;
    ((long (*)(void))gc_symbol)();
    fs_child.finalizer = NULL;
  }
}

void fs_gc_trigger(enum gc_trigger at) {
  if (fs_child.gc_done || at != fs_config.gc_at) return;
  fs_child.gc_done = 1;
  int count = __atomic_load_n(&finalizer_count, __ATOMIC_ACQUIRE);
  for (int i = 0; i < count && i < MAX_FINALIZERS; ++i) {
    if (!__atomic_load_n(&finalizers[i].active, __ATOMIC_ACQUIRE)) continue;
    record_gc(finalizers[i].name, NULL);
    fs_child.finalizer = finalizers[i].name;
    finalizers[i].function(finalizers[i].context);
    fs_child.finalizer = NULL;
  }
  run_symbol();
}
