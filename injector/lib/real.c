/* Finds the next definition of each interposed function (libc's), like Bear's
 * Linker, once at load. Our own dlsym wrapper must not be in the way (RTLD_NEXT
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

void* fs_real_resolve(enum fs_fn which) {
  static dlsym_fn libc_dlsym;
  if (!libc_dlsym) {
    libc_dlsym = (dlsym_fn)dlvsym(RTLD_NEXT, "dlsym", "GLIBC_2.34");
    if (!libc_dlsym) libc_dlsym = (dlsym_fn)dlvsym(RTLD_NEXT, "dlsym", "GLIBC_2.2.5");
  }
  void* found = libc_dlsym ? libc_dlsym(RTLD_NEXT, names[which]) : NULL;
  __atomic_store_n(&fs_functions[which], found, __ATOMIC_RELEASE);
  return found;
}

void fs_real_resolve_all(void) {
  for (int i = 0; i < FS_FN_COUNT; ++i) {
    if (!fs_functions[i]) fs_real_resolve((enum fs_fn)i);
  }
}
