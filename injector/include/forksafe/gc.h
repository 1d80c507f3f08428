/* forksafe/gc.h: register GC-like finalizers so that `forksafe run` can force
 * them to run in every forked child, between fork and exec.
 *
 * Without the injector this costs nothing and does nothing: the two entry
 * points are weak references that stay null unless libforksafe_inject.so is
 * loaded (LD_PRELOAD), so no library needs to be linked. Header only, C and C++.
 *
 *   static void close_peer(void* peer) { ... }
 *   int handle = forksafe_register_finalizer(close_peer, peer, "ssh-peer");
 *   ...
 *   forksafe_unregister_finalizer(handle);   // once the peer is closed for real
 */
#ifndef FORKSAFE_GC_H
#define FORKSAFE_GC_H

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*forksafe_finalizer)(void* context);

/* Provided by libforksafe_inject.so. Returns a handle >= 0, or -1 when the
 * table is full. The name (copied, at most 63 bytes kept) appears in findings. */
int forksafe_gc_register(forksafe_finalizer finalizer, void* context, const char* name)
    __attribute__((weak));
void forksafe_gc_unregister(int handle) __attribute__((weak));

/* Returns -1 without the injector. */
static inline int forksafe_register_finalizer(forksafe_finalizer finalizer, void* context,
                                              const char* name) {
  return forksafe_gc_register ? forksafe_gc_register(finalizer, context, name) : -1;
}

static inline void forksafe_unregister_finalizer(int handle) {
  if (handle >= 0 && forksafe_gc_unregister) forksafe_gc_unregister(handle);
}

#ifdef __cplusplus
}
#endif

#endif /* FORKSAFE_GC_H */
