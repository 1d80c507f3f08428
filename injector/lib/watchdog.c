/* The watchdog: a child that has not reached exec or _exit after --timeout
 * seconds is reported as a deadlock (where it is blocked, the last interposed
 * call, the pipes it closed that its parent still holds) and, by default,
 * killed so that the test fails instead of hanging. A POSIX timer raises a
 * real-time signal: exec deletes the timer, unlike alarm(), and SIGALRM stays
 * the program's. In the window the program cannot block or replace that
 * signal (sigaction, signal, sigprocmask and pthread_sigmask are filtered). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "inject.h"

/* glibc's SIGRTMAX is a call into libc (a code page a child has not mapped)
 * that always returns the kernel's __SIGRTMAX. */
int fs_watchdog_signal(void) { return __SIGRTMAX - 1; }

typedef int (*sigaction_fn)(int, const struct sigaction*, struct sigaction*);
typedef int (*sigmask_fn)(int, const sigset_t*, sigset_t*);

/* A one-shot POSIX timer raising signal after seconds. The raw call returns
 * the kernel's timer id and allocates nothing, unlike SIGEV_THREAD. */
static int start_timer(int signal, int seconds) {
  struct sigevent event;
  memset(&event, 0, sizeof event);
  event.sigev_notify = SIGEV_SIGNAL;
  event.sigev_signo = signal;
  int timer;
  if (fs_syscall(SYS_timer_create, CLOCK_MONOTONIC, (long)&event, (long)&timer, 0) != 0) return -1;
  struct itimerspec when;
  memset(&when, 0, sizeof when);
  when.it_value.tv_sec = seconds;
  fs_syscall(SYS_timer_settime, timer, 0, (long)&when, 0);
  return timer;
}

/* The system call the child is blocked in, from the interrupted registers
 * (x86-64: with SA_RESTART the kernel rewinds rip to the syscall instruction
 * and puts the call number back in rax). */
static void describe_blocked_call(struct fs_text* t, void* context) {
#if defined(__x86_64__)
  const greg_t* r = ((const ucontext_t*)context)->uc_mcontext.gregs;
  const unsigned char* pc = (const unsigned char*)r[REG_RIP];
  if (pc[-2] == 0x0f && pc[-1] == 0x05 && r[REG_RAX] == -EINTR) {
    /* Sleeps and timed waits are not restarted: the call returns EINTR and
     * its number is gone. */
    fs_text_key(t, "blocked_in");
    fs_text_raw(t, "{\"syscall\":\"a sleep or timed wait\"}");
    return;
  }
  if (pc[0] != 0x0f || pc[1] != 0x05) return;
  static const struct {
    long number;
    const char* name;
    int takes_fd;
  } calls[] = {{SYS_read, "read", 1},         {SYS_write, "write", 1},
               {SYS_recvfrom, "recvfrom", 1}, {SYS_recvmsg, "recvmsg", 1},
               {SYS_accept, "accept", 1},     {SYS_accept4, "accept4", 1},
               {SYS_connect, "connect", 1},   {SYS_flock, "flock", 1},
               {SYS_fcntl, "fcntl", 1},       {SYS_poll, "poll", 0},
               {SYS_ppoll, "ppoll", 0},       {SYS_select, "select", 0},
               {SYS_pselect6, "pselect6", 0}, {SYS_epoll_wait, "epoll_wait", 0},
               {SYS_wait4, "wait4", 0},       {SYS_waitid, "waitid", 0},
               {SYS_futex, "futex", 0},       {SYS_nanosleep, "nanosleep", 0},
               {SYS_clock_nanosleep, "clock_nanosleep", 0}, {SYS_pause, "pause", 0}};
  for (size_t i = 0; i < sizeof calls / sizeof calls[0]; ++i) {
    if (calls[i].number != r[REG_RAX]) continue;
    fs_text_key(t, "blocked_in");
    fs_text_raw(t, "{\"syscall\":");
    fs_text_json(t, calls[i].name);
    if (calls[i].takes_fd) {
      fs_text_key(t, "descriptor");
      fs_fds_describe_fd(t, (int)r[REG_RDI]);
      fs_fds_describe_waited_end(t, (int)r[REG_RDI]);
    }
    fs_text_raw(t, "}");
    return;
  }
#else
  (void)t;
  (void)context;
#endif
}

static void on_timeout(int signal, siginfo_t* info, void* context) {
  (void)signal;
  if (info->si_code != SI_TIMER || !fs_state()->window_open) return;
  /* The child may be stuck holding a lock the report needs (the loader's,
   * which backtrace() takes): then a last timer still kills it. */
  if (fs_config.watchdog_kills) start_timer(SIGKILL, 2);
  char buffer[FS_RECORD_CAPACITY];
  struct fs_text t;
  fs_record_begin(&t, buffer, sizeof buffer, "deadlock");
  fs_text_key(&t, "timeout");
  fs_text_long(&t, fs_config.timeout_seconds);
  fs_text_key(&t, "last_call");
  fs_text_json(&t, fs_state()->last_call ? fs_state()->last_call : "fork");
  fs_text_key(&t, "killed");
  fs_text_raw(&t, fs_config.watchdog_kills ? "true" : "false");
  describe_blocked_call(&t, context);
  fs_fds_describe_closed(&t);
  fs_parent_describe(&t);
  fs_record_backtrace(&t, 1);  /* the signal trampoline */
  fs_record_write(&t);
  if (fs_config.watchdog_kills) fs_syscall(SYS_kill, fs_getpid(), SIGKILL, 0, 0);
  /* Reported: the launcher, which watches for children still holding this
   * timer past the timeout, must not report it again. */
  fs_syscall(SYS_timer_delete, fs_state()->watchdog_timer, 0, 0, 0);
}

#if defined(__x86_64__)
/* The signal return trampoline, byte for byte libc's __restore_rt: libgcc's
 * unwinder knows a signal frame by these bytes, so backtrace() from the
 * handler still walks on into the code the child is stuck in. The nop before
 * it is libc's too: the unwinder looks a return address up at the byte
 * before it, which must not be the end of the function before (on_timeout,
 * when that ends on a 16-byte boundary: then its unwind rules were applied
 * to the signal frame, and backtrace() crashed the child). */
void fs_restore_rt(void);
__asm__(".text\n\tnop\n.align 16\nfs_restore_rt:\n\tmovq $15, %rax\n\tsyscall\n");

/* The handler installed with the raw call: libc's sigaction and sigfillset
 * sit on code pages a child has not mapped (two faults in every child). */
static void install_handler(int signal) {
  struct {
    void (*handler)(int, siginfo_t*, void*);
    unsigned long flags;
    void (*restorer)(void);
    unsigned long mask;
  } action = {on_timeout, SA_SIGINFO | SA_RESTART | 0x04000000 /* SA_RESTORER */, fs_restore_rt, ~0UL};
  fs_syscall(SYS_rt_sigaction, signal, (long)&action, 0, sizeof action.mask);
}
#else
static void install_handler(int signal) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_sigaction = on_timeout;
  action.sa_flags = SA_SIGINFO | SA_RESTART;
  sigfillset(&action.sa_mask);
  FS_REAL(sigaction_fn, sigaction)(signal, &action, NULL);
}
#endif

void fs_watchdog_arm(void) {
  if (fs_config.timeout_seconds <= 0 || !fs_config.log_path[0]) return;
  install_handler(fs_watchdog_signal());
  /* The kernel's mask is 64 bits; libc's sigprocmask sits on another code
   * page (one more fault in every child). */
  unsigned long mine = 1UL << (fs_watchdog_signal() - 1);
  fs_syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, (long)&mine, 0, sizeof mine);
  fs_state()->watchdog_timer = start_timer(fs_watchdog_signal(), fs_config.timeout_seconds);
}

/* ---- keep the signal ours while the window is open ---- */
static int is_ours(int signal) {
  return fs_state()->window_open && fs_config.timeout_seconds > 0 && signal == fs_watchdog_signal();
}

FS_EXPORT int sigaction(int signal, const struct sigaction* action, struct sigaction* old) {
  if (FS_UNLIKELY(is_ours(signal))) action = NULL;  /* report, never replace */
  return FS_REAL(sigaction_fn, sigaction)(signal, action, old);
}

FS_EXPORT sighandler_t signal(int number, sighandler_t handler) {
  if (FS_UNLIKELY(is_ours(number))) return SIG_DFL;
  return FS_REAL(sighandler_t(*)(int, sighandler_t), signal)(number, handler);
}

static const sigset_t* without_ours(int how, const sigset_t* set, sigset_t* copy) {
  if (!set || how == SIG_UNBLOCK || !is_ours(fs_watchdog_signal())) return set;
  *copy = *set;
  sigdelset(copy, fs_watchdog_signal());
  return copy;
}

FS_EXPORT int sigprocmask(int how, const sigset_t* set, sigset_t* old) {
  sigset_t copy;
  return FS_REAL(sigmask_fn, sigprocmask)(how, without_ours(how, set, &copy), old);
}

FS_EXPORT int pthread_sigmask(int how, const sigset_t* set, sigset_t* old) {
  sigset_t copy;
  return FS_REAL(sigmask_fn, pthread_sigmask)(how, without_ours(how, set, &copy), old);
}
