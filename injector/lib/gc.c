/* GC-like callbacks forced to run in each forked child (forksafe/gc.h): the
 * finalizers a program registered, CPython's collector (python.c, found with
 * no option), and --gc-symbol NAME found with dlsym for other runtimes that
 * cannot register. Registered finalizers and --gc-symbol run once per child,
 * at the trigger --gc-at names (auto: the first allocation, descriptor opened
 * or exec, where a collector driven by allocation would first run); they
 * stand for any code the program could run there. The --gc-symbol collector
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
static int symbol_is_cpythons;

const char* const fs_gc_trigger_names[] = {"none", "fork", "fd", "alloc", "exec", "auto"};

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
  if (fs_python_is_collector(gc_symbol)) symbol_is_cpythons = 1;  /* python.c forces it already */
}

void fs_gc_record(const char* name, const char* trigger, const char* skipped) {
  char buffer[1024];
  struct fs_text t;
  fs_record_begin(&t, buffer, sizeof buffer, skipped ? "gc-skipped" : "gc");
  fs_text_key(&t, "callback");
  fs_text_json(&t, name);
  fs_text_key(&t, "trigger");
  fs_text_json(&t, trigger);
  if (skipped) {
    fs_text_key(&t, "reason");
    fs_text_json(&t, skipped);
  }
  fs_record_write(&t);
}

static void run_symbol(enum gc_trigger at) {
  const char* trigger = fs_gc_trigger_names[at];
  if (!fs_config.gc_symbol[0] || symbol_is_cpythons) return;
  if (!gc_symbol) {
    fs_gc_record(fs_config.gc_symbol, trigger, "symbol not found in the process");
  } else if (!fs_state()->allocated && at != GC_AT_ALLOC) {
    /* A runtime's collector runs when the runtime allocates. A child that
     * allocated nothing ran no runtime code (subprocess's C child), so no
     * collection could happen there. */
    fs_gc_record(fs_config.gc_symbol, trigger, "nothing was allocated between fork and exec");
  } else if (gil_held && !gil_held()) {
    /* CPython's collector needs the GIL; a child that does not hold it
     * (subprocess's vfork child) runs no Python code at all. */
    fs_gc_record(fs_config.gc_symbol, trigger, "the thread does not hold the Python GIL");
  } else {
    fs_gc_record(fs_config.gc_symbol, trigger, NULL);
    fs_state()->finalizer = fs_config.gc_symbol;
    ((long (*)(void))gc_symbol)();
    fs_state()->finalizer = NULL;
  }
}

/* auto: every trigger but fork's return, where no program code has run yet. */
static int fires(enum gc_trigger at) {
  return fs_config.gc_at == at || (fs_config.gc_at == GC_AT_AUTO && at != GC_AT_FORK);
}

void fs_gc_trigger(enum gc_trigger at) {
  /* A vfork child runs on its parent's memory: no runtime collects there. */
  if (fs_vfork_child) return;
  /* CPython's collector at every trigger point, not once (python.c); under
   * auto not at each allocation, which would be a collection per malloc.
   * Its first point is Python's own resumption after fork. */
  if (at != GC_AT_FORK && (fs_config.gc_at == at || (fs_config.gc_at == GC_AT_AUTO && at != GC_AT_ALLOC))) {
    fs_python_collect(at);
  }
  if (fs_state()->gc_done || !fires(at)) return;
  fs_state()->gc_done = 1;
  int count = __atomic_load_n(&finalizer_count, __ATOMIC_ACQUIRE);
  for (int i = 0; i < count && i < MAX_FINALIZERS; ++i) {
    if (!__atomic_load_n(&finalizers[i].active, __ATOMIC_ACQUIRE)) continue;
    fs_gc_record(finalizers[i].name, fs_gc_trigger_names[at], NULL);
    fs_state()->finalizer = finalizers[i].name;
    finalizers[i].function(finalizers[i].context);
    fs_state()->finalizer = NULL;
  }
  run_symbol(at);
}
