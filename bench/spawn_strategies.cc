#include "bench/spawn_strategies.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "scenarios/spawner.h"
#include "spawn/spawn.h"

extern char** environ;

namespace forksafe::bench {
namespace {

spawn::Options true_command() {
  spawn::Options options;
  options.argv = {"/bin/true"};
  options.in = options.out = options.err = spawn::Stdio::null();
  return options;
}

void fail(const std::string& what, int error) { throw std::runtime_error(what + ": " + std::strerror(error)); }

void runbgcommand(bool ensurestart) {
  static const spawn::Options command = true_command();
  scenarios::broken_run_in_background(command, {}, ensurestart);
}

// fork, exec in the child, and return once exec succeeded, learnt from a
// close-on-exec pipe (as Python's subprocess does when it forks).
void fork_exec() {
  int status_pipe[2];
  if (pipe2(status_pipe, O_CLOEXEC) != 0) fail("pipe2", errno);
  pid_t pid = fork();
  if (pid < 0) fail("fork", errno);
  if (pid == 0) {
    int null_fd = open("/dev/null", O_RDWR);
    for (int slot = 0; slot < 3; ++slot) dup2(null_fd, slot);
    execl("/bin/true", "/bin/true", static_cast<char*>(nullptr));
    int error = errno;
    (void)!write(status_pipe[1], &error, sizeof error);
    _exit(127);
  }
  close(status_pipe[1]);
  int error = 0;
  ssize_t n = read(status_pipe[0], &error, sizeof error);
  close(status_pipe[0]);
  if (n > 0) fail("execl", error);
}

// new_session: POSIX_SPAWN_SETSID, the session detached commands get: what
// a new session alone costs, whoever spawns.
void glibc_posix_spawn(bool new_session) {
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  if (new_session) posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDWR, 0);
  posix_spawn_file_actions_adddup2(&actions, 0, 1);
  posix_spawn_file_actions_adddup2(&actions, 0, 2);
  char* argv[] = {const_cast<char*>("/bin/true"), nullptr};
  pid_t pid;
  int error = posix_spawn(&pid, argv[0], &actions, &attributes, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (error != 0) fail("posix_spawn", error);
}

void fixed(bool detached) {
  static const spawn::Options command = true_command();
  auto started = detached ? spawn::spawn_detached(command) : spawn::spawn(command);
  if (!started) throw std::runtime_error(started.message());
}

}  // namespace

std::span<const Strategy> spawn_strategies() {
  static const Strategy kStrategies[] = {
      {"runbgcommand", true, "runbg(start=T)", [] { runbgcommand(true); }},
      {"runbgcommand", false, "runbg(start=F)", [] { runbgcommand(false); }},
      {"fork-exec", std::nullopt, "fork-exec", fork_exec},
      {"posix_spawn", std::nullopt, "posix_spawn", [] { glibc_posix_spawn(false); }},
      {"fixed", std::nullopt, "fixed", [] { fixed(false); }},
      {"fixed-detached", std::nullopt, "fixed-detached", [] { fixed(true); }},
      {"posix_spawn-setsid", std::nullopt, "posix_spawn+sid", [] { glibc_posix_spawn(true); }},
  };
  return kStrategies;
}

}  // namespace forksafe::bench
