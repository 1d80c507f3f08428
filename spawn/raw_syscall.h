/* System calls without libc, for the CLONE_VM child (common/raw_syscall.h
 * says why): FORKSAFE_RAW(nr, args...) with up to six arguments, the missing
 * ones zero. Returns the kernel's result: >= 0, or -errno. */
#ifndef FORKSAFE_SPAWN_RAW_SYSCALL_H
#define FORKSAFE_SPAWN_RAW_SYSCALL_H

#include "common/raw_syscall.h"

#define FORKSAFE_RAW(...) FORKSAFE_RAW_(__VA_ARGS__, 0, 0, 0, 0, 0, 0, 0)
#define FORKSAFE_RAW_(nr, a, b, c, d, e, f, ...) \
  forksafe_raw_syscall6((nr), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

#endif
