// The fixed spawner: starts a command without running any user code between
// fork and exec.
//
// The child is made with clone(CLONE_VM | CLONE_VFORK), like glibc's
// posix_spawn: no page tables are copied, so the cost does not grow with the
// caller's heap, and the child runs only raw system calls (no libc locks, no
// allocation, no finalizers, no atexit handlers) until execve. The call
// returns once the command has been exec'd, or reports why it could not be
// (the child is reaped then: no zombie).
//
//   forksafe::spawn::Options options;
//   options.argv = {"ssh", "host", "hg", "serve"};
//   options.in = options.out = forksafe::spawn::Stdio::pipe();
//   auto started = forksafe::spawn::spawn(options);
//   if (!started) std::cerr << started.message() << "\n";
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace forksafe::spawn {

// Where one of the child's standard descriptors (0, 1, 2) comes from.
struct Stdio {
  enum class Kind { inherit, null, fd, pipe };
  Kind kind = Kind::inherit;
  int fd = -1;  // Kind::fd only: the caller's descriptor, duplicated onto the slot

  static Stdio inherit() { return {}; }
  static Stdio null() { return {Kind::null, -1}; }
  static Stdio from_fd(int fd) { return {Kind::fd, fd}; }
  // A new pipe: the child gets one end, the caller the other (in Child).
  static Stdio pipe() { return {Kind::pipe, -1}; }
};

struct Options {
  // argv[0] is the program: a path, or a name looked up in the caller's PATH.
  std::vector<std::string> argv;
  // The child's environment; the caller's when not given.
  std::optional<std::vector<std::string>> env;
  // The child's working directory; the caller's when empty.
  std::string cwd;
  Stdio in, out, err;
  // Start the command in a new session (and process group): setsid().
  bool new_session = false;
  // Descriptors >= 3 the child keeps (same numbers). Every other descriptor
  // >= 3 is closed in the child, close-on-exec or not, unless
  // close_other_fds is false.
  std::vector<int> keep_fds;
  bool close_other_fds = true;
};

struct Child {
  pid_t pid = -1;
  // The caller's ends of Stdio::pipe() slots (close-on-exec), else -1. The
  // caller owns and closes them.
  int in = -1, out = -1, err = -1;
};

struct Result {
  int error = 0;             // errno of the step that failed; 0 when the command runs
  const char* step = "";     // the step that failed: "execve", "chdir", "pipe", ...
  Child child;
  explicit operator bool() const { return error == 0; }
  std::string message() const;  // e.g. "execve: No such file or directory"
};

// Starts the command as the caller's child; the caller reaps it (waitpid).
Result spawn(const Options& options);

// Starts the command detached, the job of Mercurial's runbgcommand: in a new
// session, not the caller's child (it is reparented to init or the nearest
// subreaper at once), and the caller never fork()s. An intermediate
// vfork-style process that makes only raw system calls starts it and exits.
// Returns once the command has been exec'd; child.pid is its pid, for
// information only (it is not the caller's to wait for).
Result spawn_detached(const Options& options);

}  // namespace forksafe::spawn
