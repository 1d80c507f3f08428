/* Finds the next definition of each interposed function (libc's), like Bear's
 * Linker: each on first use, and all of them before the first fork. Our own dlsym wrapper must not be in the way (RTLD_NEXT
 * is relative to the caller), so libc's dlsym is found with dlvsym. */
#define _GNU_SOURCE
#include <dlfcn.h>

#include "inject.h"

#define X(name) #name,
static const char* const names[FS_FN_COUNT] = {
#include "real.def"
};
#undef X

void* fs_functions[FS_FN_COUNT];

typedef void* (*dlsym_fn)(void*, const char*);

__thread int fs_resolving __attribute__((tls_model("initial-exec")));

void* fs_real_resolve(enum fs_fn which) {
  static dlsym_fn libc_dlsym;
  if (!libc_dlsym) {
    libc_dlsym = (dlsym_fn)dlvsym(RTLD_NEXT, "dlsym", "GLIBC_2.34");
    if (!libc_dlsym) libc_dlsym = (dlsym_fn)dlvsym(RTLD_NEXT, "dlsym", "GLIBC_2.2.5");
  }
  /* dlsym may allocate and free (its error message): those calls must not
   * come back here, see allocator() in unsafe.c. */
  fs_resolving = 1;
  void* found = libc_dlsym ? libc_dlsym(RTLD_NEXT, names[which]) : NULL;
  fs_resolving = 0;
  __atomic_store_n(&fs_functions[which], found, __ATOMIC_RELEASE);
  return found;
}

void fs_real_resolve_all(void) {
  static int done;
  if (done) return;
  for (int i = 0; i < FS_FN_COUNT; ++i) {
    if (!fs_functions[i]) fs_real_resolve((enum fs_fn)i);
  }
  done = 1;
}
