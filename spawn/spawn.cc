// The caller's side of the fixed spawner: everything that allocates happens
// here, before the clone; the child (child.cc) only reads the Plan.
#include "spawn/spawn.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "spawn/child.h"
#include "spawn/raw_syscall.h"

extern char** environ;

namespace forksafe::spawn {
namespace {

std::vector<char*> pointers_to(const std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (const auto& s : strings) pointers.push_back(const_cast<char*>(s.c_str()));
  pointers.push_back(nullptr);
  return pointers;
}

// The paths execve tries, like execvp: the program itself when it names a
// path, else each directory of the caller's PATH.
std::vector<std::string> exec_candidates(const std::string& program) {
  if (program.find('/') != std::string::npos) return {program};
  const char* path = std::getenv("PATH");
  std::string dirs = path && *path ? path : "/bin:/usr/bin";
  std::vector<std::string> candidates;
  size_t start = 0;
  while (true) {
    size_t end = dirs.find(':', start);
    std::string dir = dirs.substr(start, end == std::string::npos ? std::string::npos : end - start);
    candidates.push_back((dir.empty() ? "." : dir) + "/" + program);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return candidates;
}

void close_if_open(int* fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

void wait_for(pid_t pid) {
  while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
}

Result failure(int error, const char* step) {
  Result result;
  result.error = error;
  result.step = step;
  return result;
}

Result start(const Options& options, bool detached) {
  if (options.argv.empty()) return failure(EINVAL, "argv");
  std::vector<int> keep = options.keep_fds;
  std::sort(keep.begin(), keep.end());
  keep.erase(std::unique(keep.begin(), keep.end()), keep.end());
  if (!keep.empty() && keep.front() < 3) return failure(EINVAL, "keep_fds");

  const std::vector<std::string> candidates = exec_candidates(options.argv[0]);
  const std::vector<char*> paths = pointers_to(candidates);
  const std::vector<char*> argv = pointers_to(options.argv);
  std::vector<char*> envp;
  if (options.env) envp = pointers_to(*options.env);

  Plan plan;
  plan.paths = paths.data();
  plan.argv = argv.data();
  plan.envp = options.env ? envp.data() : environ;
  plan.cwd = options.cwd.empty() ? nullptr : options.cwd.c_str();
  plan.new_session = options.new_session || detached;
  plan.close_other_fds = options.close_other_fds;
  plan.keep_fds = keep.data();
  plan.keep_count = keep.size();

  int parent_end[3] = {-1, -1, -1};
  int child_end[3] = {-1, -1, -1};
  auto close_ends = [&](int* ends) {
    for (int slot = 0; slot < 3; ++slot) close_if_open(&ends[slot]);
  };
  const Stdio* slots[3] = {&options.in, &options.out, &options.err};
  for (int slot = 0; slot < 3; ++slot) {
    switch (slots[slot]->kind) {
      case Stdio::Kind::inherit: plan.stdio[slot] = Plan::kInherit; break;
      case Stdio::Kind::null: plan.stdio[slot] = Plan::kDevNull; break;
      case Stdio::Kind::fd: plan.stdio[slot] = slots[slot]->fd; break;
      case Stdio::Kind::pipe: {
        int ends[2];
        if (pipe2(ends, O_CLOEXEC) < 0) {
          int error = errno;
          close_ends(parent_end);
          close_ends(child_end);
          return failure(error, "pipe");
        }
        bool child_reads = slot == 0;
        child_end[slot] = ends[child_reads ? 0 : 1];
        parent_end[slot] = ends[child_reads ? 1 : 0];
        plan.stdio[slot] = child_end[slot];
        break;
      }
    }
  }

  // Two stacks: the child's, and in detached mode the command's process's.
  void* stacks = mmap(nullptr, 2 * kChildStackSize, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stacks == MAP_FAILED) {
    int error = errno;
    close_ends(parent_end);
    close_ends(child_end);
    return failure(error, "mmap");
  }
  plan.grandchild_stack = static_cast<char*>(stacks) + kChildStackSize;

  // Block every signal (glibc's internal ones too, hence the raw call) so
  // that no handler runs in the child before it has reset them.
  unsigned long all_signals = ~0UL;
  raw::call(SYS_rt_sigprocmask, SIG_SETMASK, &all_signals, &plan.signal_mask, sizeof(all_signals));
  // Attached: CLONE_VFORK suspends us until the child has exec'd or exited.
  // Detached: the middle process exits once the command has exec'd; waiting
  // for it in waitpid alone is one wakeup (CLONE_VFORK would add a second).
  // The command is orphaned then: not our child.
  pid_t pid = clone(detached ? detached_middle : child_exec, static_cast<char*>(stacks) + kChildStackSize,
                    CLONE_VM | SIGCHLD | (detached ? 0 : CLONE_VFORK), &plan);
  int clone_error = errno;
  raw::call(SYS_rt_sigprocmask, SIG_SETMASK, &plan.signal_mask, 0, sizeof(plan.signal_mask));
  close_ends(child_end);
  // The middle process always exits; a failed child is reaped, never left a zombie.
  if (pid >= 0 && (detached || plan.error != 0)) wait_for(pid);
  munmap(stacks, 2 * kChildStackSize);  // only now is no process running on it

  if (pid < 0) {
    close_ends(parent_end);
    return failure(clone_error, "clone");
  }
  if (plan.error != 0) {
    close_ends(parent_end);
    return failure(plan.error, plan.step);
  }
  Result result;
  result.child = {detached ? plan.command_pid : pid, parent_end[0], parent_end[1], parent_end[2]};
  return result;
}

}  // namespace

std::string Result::message() const {
  if (error == 0) return "started";
  return std::string(step) + ": " + std::strerror(error);
}

Result spawn(const Options& options) { return start(options, false); }

Result spawn_detached(const Options& options) { return start(options, true); }

}  // namespace forksafe::spawn
