// System calls without libc: no errno (it lives in the caller's thread, whose
// memory a CLONE_VM child shares), no cancellation points, no locks.
// Returns the kernel's result: >= 0, or -errno.
#pragma once

namespace forksafe::spawn::raw {

#if defined(__x86_64__)
inline long syscall6(long nr, long a, long b, long c, long d, long e, long f) {
  register long r10 __asm__("r10") = d;
  register long r8 __asm__("r8") = e;
  register long r9 __asm__("r9") = f;
  long ret;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  return ret;
}
#elif defined(__aarch64__)
inline long syscall6(long nr, long a, long b, long c, long d, long e, long f) {
  register long x8 __asm__("x8") = nr;
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  register long x3 __asm__("x3") = d;
  register long x4 __asm__("x4") = e;
  register long x5 __asm__("x5") = f;
  __asm__ volatile("svc 0"
                   : "+r"(x0)
                   : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
                   : "memory");
  return x0;
}
#else
#error "forksafe spawn: raw system calls are written for x86_64 and aarch64 only"
#endif

template <typename... Args>
inline long call(long nr, Args... args) {
  static_assert(sizeof...(Args) <= 6);
  long a[6] = {(long)args...};
  return syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

}  // namespace forksafe::spawn::raw
