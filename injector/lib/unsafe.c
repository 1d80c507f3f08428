/* Functions that are not async-signal-safe and that people actually call
 * between fork and exec. Outside the window each wrapper is one load and a
 * call through; inside it records the call (once per call site) first. */
#define _GNU_SOURCE
/* Optimizing, glibc defines some of these (vprintf, putchar) inline in its
 * headers; clang keeps a definition's visibility from its first declaration,
 * so without this our -fvisibility=hidden would hide those wrappers. */
#pragma GCC visibility push(default)
#include <dirent.h>
#include <dlfcn.h>
#include <grp.h>
#include <locale.h>
#include <netdb.h>
#include <pthread.h>
#include <pwd.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <time.h>
#pragma GCC visibility pop

#include "inject.h"

/* ---- the malloc family: --gc-at alloc fires at the first one ---- */

/* libc's own entry points, for the few calls made while dlsym itself is
 * finding the real malloc (it may allocate). */
extern void* __libc_malloc(size_t);
extern void* __libc_calloc(size_t, size_t);
extern void* __libc_realloc(void*, size_t);
extern void __libc_free(void*);

#define NOTE_ALLOC(name)                                \
  do {                                                  \
    if (FS_UNLIKELY(fs_state()->window_open)) {                  \
      fs_window_unsafe_call(#name, __builtin_return_address(0)); \
      fs_state()->allocated = 1;                           \
      fs_gc_trigger(GC_AT_ALLOC);                       \
    }                                                   \
  } while (0)

/* When the next malloc is the one __libc_malloc names (glibc's, or that of
 * an allocator replacing glibc's whole family), the next calloc, realloc and
 * free are its __libc_ names too: one dlsym instead of four in nearly every
 * process, each a symbol lookup through every object loaded after us. */
static void resolve_allocator(void) {
  if (fs_real_resolve(FS_FN_malloc) != (void*)__libc_malloc) return;
  __atomic_store_n(&fs_functions[FS_FN_calloc], (void*)__libc_calloc, __ATOMIC_RELEASE);
  __atomic_store_n(&fs_functions[FS_FN_realloc], (void*)__libc_realloc, __ATOMIC_RELEASE);
  __atomic_store_n(&fs_functions[FS_FN_free], (void*)__libc_free, __ATOMIC_RELEASE);
}

/* The real allocator function, or NULL while dlsym is looking something up
 * for us: what it allocates then goes straight to libc. */
static void* allocator(enum fs_fn which) {
  if (FS_UNLIKELY(fs_resolving)) return NULL;
  void* found = __atomic_load_n(&fs_functions[which], __ATOMIC_ACQUIRE);
  if (FS_LIKELY(found)) return found;
  if (!__atomic_load_n(&fs_functions[FS_FN_malloc], __ATOMIC_ACQUIRE)) resolve_allocator();
  found = __atomic_load_n(&fs_functions[which], __ATOMIC_ACQUIRE);
  return found ? found : fs_real_resolve(which);
}

FS_EXPORT void* malloc(size_t size) {
  NOTE_ALLOC(malloc);
  void* (*real)(size_t) = allocator(FS_FN_malloc);
  return real ? real(size) : __libc_malloc(size);
}

FS_EXPORT void* calloc(size_t count, size_t size) {
  NOTE_ALLOC(calloc);
  void* (*real)(size_t, size_t) = allocator(FS_FN_calloc);
  return real ? real(count, size) : __libc_calloc(count, size);
}

FS_EXPORT void* realloc(void* old, size_t size) {
  NOTE_ALLOC(realloc);
  void* (*real)(void*, size_t) = allocator(FS_FN_realloc);
  return real ? real(old, size) : __libc_realloc(old, size);
}

FS_EXPORT void free(void* memory) {
  NOTE_ALLOC(free);
  void (*real)(void*) = allocator(FS_FN_free);
  if (real) {
    real(memory);
  } else {
    __libc_free(memory);
  }
}

#define WRAP_ALLOC(ret, name, params, args)       \
  FS_EXPORT ret name params {                     \
    NOTE_ALLOC(name);                             \
    return FS_REAL(ret(*) params, name) args;     \
  }
WRAP_ALLOC(void*, reallocarray, (void* old, size_t count, size_t size), (old, count, size))
WRAP_ALLOC(int, posix_memalign, (void** out, size_t alignment, size_t size), (out, alignment, size))
WRAP_ALLOC(void*, aligned_alloc, (size_t alignment, size_t size), (alignment, size))
WRAP_ALLOC(void*, memalign, (size_t alignment, size_t size), (alignment, size))
WRAP_ALLOC(void*, valloc, (size_t size), (size))

/* ---- stdio, including the _FORTIFY_SOURCE entry points ---- */

/* A printf-like wrapper: records, then forwards its va_list to the v-form. */
#define WRAP_PRINTF(name, vname, params, vparams, args)       \
  FS_EXPORT int name params {                                 \
    FS_NOTE(name);                                            \
    va_list ap;                                               \
    va_start(ap, format);                                     \
    int result = FS_REAL(int(*) vparams, vname) args;         \
    va_end(ap);                                               \
    return result;                                            \
  }
WRAP_PRINTF(printf, vprintf, (const char* format, ...), (const char*, va_list), (format, ap))
WRAP_PRINTF(fprintf, vfprintf, (FILE* stream, const char* format, ...), (FILE*, const char*, va_list),
            (stream, format, ap))
WRAP_PRINTF(dprintf, vdprintf, (int fd, const char* format, ...), (int, const char*, va_list),
            (fd, format, ap))
WRAP_PRINTF(__printf_chk, __vprintf_chk, (int flag, const char* format, ...),
            (int, const char*, va_list), (flag, format, ap))
WRAP_PRINTF(__fprintf_chk, __vfprintf_chk, (FILE* stream, int flag, const char* format, ...),
            (FILE*, int, const char*, va_list), (stream, flag, format, ap))
WRAP_PRINTF(__dprintf_chk, __vdprintf_chk, (int fd, int flag, const char* format, ...),
            (int, int, const char*, va_list), (fd, flag, format, ap))
FS_WRAP(int, vprintf, (const char* format, va_list ap), (format, ap))
FS_WRAP(int, vfprintf, (FILE* stream, const char* format, va_list ap), (stream, format, ap))
FS_WRAP(int, vdprintf, (int fd, const char* format, va_list ap), (fd, format, ap))
FS_WRAP(int, __vprintf_chk, (int flag, const char* format, va_list ap), (flag, format, ap))
FS_WRAP(int, __vfprintf_chk, (FILE* stream, int flag, const char* format, va_list ap),
        (stream, flag, format, ap))
FS_WRAP(int, __vdprintf_chk, (int fd, int flag, const char* format, va_list ap), (fd, flag, format, ap))
FS_WRAP(int, puts, (const char* s), (s))
FS_WRAP(int, fputs, (const char* s, FILE* stream), (s, stream))
FS_WRAP(int, fputc, (int c, FILE* stream), (c, stream))
FS_WRAP(int, putc, (int c, FILE* stream), (c, stream))
FS_WRAP(int, putchar, (int c), (c))
FS_WRAP(size_t, fwrite, (const void* data, size_t size, size_t count, FILE* stream), (data, size, count, stream))
FS_WRAP(size_t, fread, (void* data, size_t size, size_t count, FILE* stream), (data, size, count, stream))
FS_WRAP(char*, fgets, (char* s, int size, FILE* stream), (s, size, stream))
FS_WRAP(FILE*, fopen, (const char* path, const char* mode), (path, mode))
FS_WRAP(FILE*, fopen64, (const char* path, const char* mode), (path, mode))
FS_WRAP(FILE*, fdopen, (int fd, const char* mode), (fd, mode))
FS_WRAP(FILE*, freopen, (const char* path, const char* mode, FILE* stream), (path, mode, stream))
FS_WRAP(int, fflush, (FILE* stream), (stream))
FS_WRAP(int, fclose, (FILE* stream), (stream))
FS_WRAP_VOID(perror, (const char* s), (s))

/* ---- directories ---- */
FS_WRAP(DIR*, opendir, (const char* path), (path))
FS_WRAP(DIR*, fdopendir, (int fd), (fd))
FS_WRAP(struct dirent*, readdir, (DIR* dir), (dir))
FS_WRAP(struct dirent64*, readdir64, (DIR* dir), (dir))
FS_WRAP(int, closedir, (DIR* dir), (dir))

/* ---- syslog ---- */
FS_EXPORT void syslog(int priority, const char* format, ...) {
  FS_NOTE(syslog);
  va_list ap;
  va_start(ap, format);
  FS_REAL(void (*)(int, const char*, va_list), vsyslog)(priority, format, ap);
  va_end(ap);
}
FS_EXPORT void __syslog_chk(int priority, int flag, const char* format, ...) {
  FS_NOTE(syslog);
  va_list ap;
  va_start(ap, format);
  FS_REAL(void (*)(int, int, const char*, va_list), __vsyslog_chk)(priority, flag, format, ap);
  va_end(ap);
}
FS_WRAP_VOID(vsyslog, (int priority, const char* format, va_list ap), (priority, format, ap))
FS_WRAP_VOID(openlog, (const char* ident, int option, int facility), (ident, option, facility))

/* ---- NSS: users, groups, hosts ---- */
FS_WRAP(struct passwd*, getpwnam, (const char* name), (name))
FS_WRAP(struct passwd*, getpwuid, (uid_t uid), (uid))
FS_WRAP(int, getpwnam_r, (const char* name, struct passwd* pw, char* buffer, size_t size, struct passwd** out),
        (name, pw, buffer, size, out))
FS_WRAP(int, getpwuid_r, (uid_t uid, struct passwd* pw, char* buffer, size_t size, struct passwd** out),
        (uid, pw, buffer, size, out))
FS_WRAP(struct group*, getgrnam, (const char* name), (name))
FS_WRAP(struct group*, getgrgid, (gid_t gid), (gid))
FS_WRAP(int, getgrnam_r, (const char* name, struct group* gr, char* buffer, size_t size, struct group** out),
        (name, gr, buffer, size, out))
FS_WRAP(int, getgrgid_r, (gid_t gid, struct group* gr, char* buffer, size_t size, struct group** out),
        (gid, gr, buffer, size, out))
FS_WRAP(int, initgroups, (const char* user, gid_t group), (user, group))
FS_WRAP(int, getaddrinfo,
        (const char* node, const char* service, const struct addrinfo* hints, struct addrinfo** out),
        (node, service, hints, out))
FS_WRAP(struct hostent*, gethostbyname, (const char* name), (name))

/* ---- the dynamic linker. Both find the caller's object from their return
 * address (dlopen: its RUNPATH; dlsym: RTLD_NEXT), so the call through must
 * be a tail call that leaves the caller's return address in place. ---- */
#ifdef __clang__
/* clang knows no optimize pragma but guarantees a tail call, at -O0 too. */
#define WRAP_TAIL_CALL(ret, name, params, args)          \
  FS_EXPORT ret name params {                             \
    FS_NOTE(name);                                        \
    __attribute__((musttail)) return FS_REAL(ret(*) params, name) args; \
  }
#else
#pragma GCC push_options
#pragma GCC optimize("O2", "optimize-sibling-calls", "omit-frame-pointer")
#define WRAP_TAIL_CALL FS_WRAP
#endif
WRAP_TAIL_CALL(void*, dlopen, (const char* path, int mode), (path, mode))
WRAP_TAIL_CALL(void*, dlsym, (void* handle, const char* name), (handle, name))
#ifndef __clang__
#pragma GCC pop_options
#endif

/* ---- environment, locks, time, locale ---- */
FS_WRAP(int, setenv, (const char* name, const char* value, int overwrite), (name, value, overwrite))
FS_WRAP(int, putenv, (char* assignment), (assignment))
FS_WRAP(int, unsetenv, (const char* name), (name))
FS_WRAP(int, pthread_mutex_lock, (pthread_mutex_t* mutex), (mutex))
FS_WRAP(struct tm*, localtime, (const time_t* when), (when))
FS_WRAP(struct tm*, localtime_r, (const time_t* when, struct tm* out), (when, out))
FS_WRAP(time_t, mktime, (struct tm* when), (when))
FS_WRAP(char*, setlocale, (int category, const char* locale), (category, locale))

/* ---- spawners that run no user code in the child: counted, passed through ---- */
typedef int (*spawn_fn)(pid_t*, const char*, const posix_spawn_file_actions_t*,
                        const posix_spawnattr_t*, char* const[], char* const[]);
FS_EXPORT int posix_spawn(pid_t* pid, const char* path, const posix_spawn_file_actions_t* actions,
                          const posix_spawnattr_t* attributes, char* const argv[], char* const envp[]) {
  fs_count(FS_COUNT_POSIX_SPAWN);
  int result = FS_REAL(spawn_fn, posix_spawn)(pid, path, actions, attributes, argv, envp);
  if (result == 0) fs_reach_check(path, 0, pid ? *pid : 0);
  return result;
}
FS_EXPORT int posix_spawnp(pid_t* pid, const char* file, const posix_spawn_file_actions_t* actions,
                           const posix_spawnattr_t* attributes, char* const argv[], char* const envp[]) {
  fs_count(FS_COUNT_POSIX_SPAWN);
  int result = FS_REAL(spawn_fn, posix_spawnp)(pid, file, actions, attributes, argv, envp);
  if (result == 0) fs_reach_check(file, 1, pid ? *pid : 0);
  return result;
}
FS_EXPORT int system(const char* command) {
  fs_count(FS_COUNT_SYSTEM);
  return FS_REAL(int (*)(const char*), system)(command);
}
FS_EXPORT FILE* popen(const char* command, const char* mode) {
  fs_count(FS_COUNT_POPEN);
  return FS_REAL(FILE * (*)(const char*, const char*), popen)(command, mode);
}
