// System calls without libc, for the CLONE_VM child (common/raw_syscall.h
// says why). Returns the kernel's result: >= 0, or -errno.
#pragma once

#include "common/raw_syscall.h"

namespace forksafe::spawn::raw {

template <typename... Args>
inline long call(long nr, Args... args) {
  static_assert(sizeof...(Args) <= 6);
  long a[6] = {(long)args...};
  return forksafe_raw_syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

}  // namespace forksafe::spawn::raw
