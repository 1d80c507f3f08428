#include "common/rules.h"

#include <algorithm>
#include <array>

namespace forksafe {
namespace {

constexpr std::array kRules = {
    Rule{"fork-unsafe-call", Level::warning,
         "A function that is not async-signal-safe runs between fork and exec.",
         "After fork() in a multithreaded process the child may only call async-signal-safe "
         "functions until it calls exec or _exit: a lock held by another thread at fork time is "
         "never released in the child, so malloc, stdio, syslog, NSS and similar calls can "
         "deadlock or corrupt state. The call may be direct or reached through other functions; "
         "C++ implicit calls (constructors, destructors, operator new/delete, throw, iostreams, "
         "locks) count.",
         "Do the work before fork(), or spawn with posix_spawn (or forksafe's spawner) so that no "
         "code runs between fork and exec.",
         "high", "6.0", "reliability concurrency security external/cwe/cwe-663"},
    Rule{"fork-indirect-call", Level::warning,
         "A call through a function pointer, virtual function or callable runs between fork and exec.",
         "Code reached through a pointer cannot be checked: it is the shape of a garbage collector "
         "finalizer or a callback registered elsewhere, which may take locks, allocate or block "
         "on descriptors the parent still holds.",
         "Call no callbacks in the child; resolve what is needed before fork(), or use posix_spawn.",
         "medium", "5.0", "reliability concurrency security"},
    Rule{"fork-exit", Level::warning,
         "exit() (or a return from main) in the forked child.",
         "exit() runs atexit handlers and C++ static destructors and flushes stdio buffers that "
         "were copied from the parent, so output is written twice and destructors may wait for "
         "threads that do not exist in the child.",
         "Use _exit() in the child, in particular after a failed exec.",
         "very-high", "5.0", "reliability correctness security"},
    Rule{"vfork-child", Level::error,
         "After vfork() the child does something other than exec or _exit.",
         "A vfork child shares the parent's memory and stack until it calls exec or _exit; any "
         "other call or assignment can corrupt the suspended parent.",
         "Call only an exec function or _exit() after vfork(), or use posix_spawn.",
         "high", "8.0", "reliability correctness security"},
    Rule{"fd-no-cloexec", Level::warning,
         "A descriptor is created without close-on-exec in code that spawns processes.",
         "Children inherit every descriptor without FD_CLOEXEC. An inherited pipe end keeps a "
         "reader waiting for EOF forever (the ssh-stderr deadlock) and leaks files and sockets.",
         "Create the descriptor with O_CLOEXEC / SOCK_CLOEXEC / pipe2(O_CLOEXEC) / dup3 / "
         "F_DUPFD_CLOEXEC.",
         "medium", "5.5", "reliability security external/cwe/cwe-403"},
    Rule{"fork-no-exec", Level::warning,
         "A child path neither execs nor calls _exit and returns into the caller.",
         "The child returns into code written for the parent: it runs the parent's logic a second "
         "time, flushes its buffers, and runs its cleanup.",
         "End every child path with an exec call followed by _exit(127).",
         "high", "5.0", "reliability correctness security"},
    Rule{"runtime-unsafe-call", Level::warning,
         "At run time, a function that is not async-signal-safe was called between fork and exec.",
         "The injector saw this call in a forked child before it reached exec or _exit.",
         "Do the work before fork(), or spawn with posix_spawn (or forksafe's spawner).",
         "very-high", "6.5", "reliability concurrency security external/cwe/cwe-663"},
    Rule{"runtime-exit", Level::warning,
         "At run time, a forked child called exit() before exec.",
         "exit() in a child runs atexit handlers and static destructors and flushes the parent's "
         "copied stdio buffers.",
         "Use _exit() in the child.",
         "very-high", "5.0", "reliability correctness security"},
    Rule{"runtime-deadlock", Level::error,
         "At run time, a forked child did not reach exec or _exit before the watchdog timeout.",
         "The child is stuck between fork and exec: typically a finalizer or callback waits on a "
         "descriptor the parent holds, or a lock taken by a thread that does not exist in the child.",
         "Run no code between fork and exec: spawn with posix_spawn (or forksafe's spawner).",
         "high", "7.5", "reliability concurrency security external/cwe/cwe-833"},
    Rule{"runtime-no-exec", Level::warning,
         "At run time, a forked child ended (exit, _exit, return from main) without ever calling exec.",
         "The child ran the parent's code for its whole life, with everything fork copied: locks "
         "other threads held, stdio buffers, a garbage collector with the parent's objects and "
         "their descriptors. It is the shape of the old fork-then-work background spawners and of "
         "fork-without-exec servers; any finalizer or lock in that code can deadlock. A warning, "
         "like an unsafe call: it is the window itself, kept open, not a proven hang (programs "
         "built for it, prefork servers, can suppress it or gate on errors only).",
         "Start the work as a new program (posix_spawn, subprocess.Popen) instead of continuing "
         "the parent's code in a forked child.",
         "high", "4.0", "reliability concurrency security"},
    Rule{"runtime-leaked-fd", Level::warning,
         "At run time, a descriptor without FD_CLOEXEC crossed exec into the new program.",
         "The exec'd program inherits this descriptor; an inherited pipe end keeps readers waiting "
         "for EOF and files stay open.",
         "Create the descriptor with O_CLOEXEC, or close it before spawning.",
         "very-high", "5.5", "reliability security external/cwe/cwe-403"},
};

}  // namespace

std::span<const Rule> all_rules() { return kRules; }

const Rule* find_rule(std::string_view id) {
  auto it = std::find_if(kRules.begin(), kRules.end(), [&](const Rule& r) { return r.id == id; });
  return it == kRules.end() ? nullptr : &*it;
}

}  // namespace forksafe
