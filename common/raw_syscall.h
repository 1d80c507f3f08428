/* One system call without libc: no errno (it lives in the caller's thread,
 * whose memory a CLONE_VM child shares, and libc would write it on a page a
 * forked child has not copied yet), no cancellation point, no lock, no libc
 * code page. Returns the kernel's result: >= 0, or -errno. Plain C, shared by
 * the spawner's child (spawn/raw_syscall.h) and the injector (injector/lib). */
#ifndef FORKSAFE_RAW_SYSCALL_H
#define FORKSAFE_RAW_SYSCALL_H

#if defined(__x86_64__)
static inline long forksafe_raw_syscall6(long nr, long a, long b, long c, long d, long e, long f) {
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
static inline long forksafe_raw_syscall6(long nr, long a, long b, long c, long d, long e, long f) {
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
#error "forksafe: raw system calls are written for x86_64 and aarch64 only"
#endif

#endif
