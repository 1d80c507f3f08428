// The fixed spawner's C++ API: a thin layer over the C ABI
// (forksafe/spawn.h, which says how it works), inline so that the library
// itself stays plain C with no libstdc++ dependency. Installed as
// <forksafe/spawn.hpp>.
//
//   forksafe::spawn::Options options;
//   options.argv = {"ssh", "host", "hg", "serve"};
//   options.in = options.out = forksafe::spawn::Stdio::pipe();
//   auto started = forksafe::spawn::spawn(options);
//   if (!started) std::cerr << started.message() << "\n";
#pragma once

#include <sys/types.h>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "forksafe/spawn.h"

namespace forksafe::spawn {

// Where one of the child's standard descriptors (0, 1, 2) comes from.
struct Stdio {
  enum class Kind { inherit = FORKSAFE_STDIO_INHERIT, null = FORKSAFE_STDIO_DEVNULL, fd = FORKSAFE_STDIO_FD,
                    pipe = FORKSAFE_STDIO_PIPE };
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
  // e.g. "execve: No such file or directory"
  std::string message() const { return error == 0 ? "started" : std::string(step) + ": " + std::strerror(error); }
};

namespace detail {

inline std::vector<const char*> pointers_to(const std::vector<std::string>& strings) {
  std::vector<const char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (const auto& s : strings) pointers.push_back(s.c_str());
  pointers.push_back(nullptr);
  return pointers;
}

inline Result start(const Options& options, bool detached) {
  const std::vector<const char*> argv = pointers_to(options.argv);
  const std::vector<const char*> envp = options.env ? pointers_to(*options.env) : std::vector<const char*>{};
  forksafe_spawn_options c{};
  c.argv = argv.data();
  c.envp = options.env ? envp.data() : nullptr;
  c.cwd = options.cwd.empty() ? nullptr : options.cwd.c_str();
  const Stdio* slots[3] = {&options.in, &options.out, &options.err};
  for (int slot = 0; slot < 3; ++slot) c.stdio[slot] = {static_cast<int>(slots[slot]->kind), slots[slot]->fd};
  c.keep_fds = options.keep_fds.data();
  c.keep_fd_count = options.keep_fds.size();
  c.keep_other_fds = !options.close_other_fds;
  c.new_session = options.new_session;
  c.detached = detached;
  forksafe_spawn_result r;
  forksafe_spawn(&c, &r);
  return {r.error, r.step, {r.pid, r.pipe_fds[0], r.pipe_fds[1], r.pipe_fds[2]}};
}

}  // namespace detail

// Starts the command as the caller's child; the caller reaps it (waitpid).
inline Result spawn(const Options& options) { return detail::start(options, false); }

// Starts the command detached, the job of Mercurial's runbgcommand: in a new
// session, not the caller's child (it is reparented to init or the nearest
// subreaper at once), and the caller never fork()s. Returns once the command
// has been exec'd; child.pid is its pid, for information only.
inline Result spawn_detached(const Options& options) { return detail::start(options, true); }

}  // namespace forksafe::spawn
