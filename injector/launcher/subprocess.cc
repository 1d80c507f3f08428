#include "injector/launcher/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sys/prctl.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

extern char** environ;

namespace forksafe::launcher {

namespace {

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (const std::string& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

int wait_for(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

// A descriptor that closes itself.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

}  // namespace

int spawn_and_wait(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  std::vector<char*> args = c_strings(argv);
  std::vector<char*> envp = c_strings(env);
  // The launcher ignores SIGINT and SIGQUIT while it waits; the command must not.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGQUIT);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF);
  pid_t pid;
  int error = posix_spawnp(&pid, args[0], nullptr, &attributes, args.data(), envp.data());
  posix_spawnattr_destroy(&attributes);
  return error != 0 ? -1 : wait_for(pid);
}

int spawn_and_wait_for_descendants(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                                   int grace_seconds, int* still_running) {
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  int status = spawn_and_wait(argv, env);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(grace_seconds);
  for (;;) {
    pid_t reaped = waitpid(-1, nullptr, WNOHANG);
    if (reaped < 0 && errno != EINTR) break;  // ECHILD: none left
    if (reaped > 0) continue;
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  *still_running = 0;
  std::error_code error;
  // Children adopted from the command's tree, reparented to us, not reaped yet.
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task", error)) {
    std::ifstream children(entry.path() / "children");
    for (pid_t pid; children >> pid;) ++*still_running;
  }
  return status;
}

std::string capture_output(const std::vector<std::string>& argv, const std::string& input, bool* ok) {
  *ok = false;
  // The input goes through an unlinked temporary file, so that writing it can
  // never block on a child that is itself blocked writing its output.
  char input_path[] = "/tmp/forksafe-input-XXXXXX";
  Fd in{mkostemp(input_path, O_CLOEXEC)};
  if (in.fd < 0) return "";
  unlink(input_path);
  if (write(in.fd, input.data(), input.size()) != static_cast<ssize_t>(input.size()) || lseek(in.fd, 0, SEEK_SET) != 0) {
    return "";
  }
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return "";
  Fd out_read{pipe_fds[0]};
  Fd out_write{pipe_fds[1]};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.fd, 0);
  posix_spawn_file_actions_adddup2(&actions, out_write.fd, 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::vector<char*> args = c_strings(argv);
  pid_t pid;
  int error = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) return "";
  close(out_write.fd);
  out_write.fd = -1;
  std::string output;
  char buffer[65536];
  for (ssize_t n; (n = read(out_read.fd, buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    output.append(buffer, static_cast<size_t>(n));
  }
  *ok = wait_for(pid) == 0;
  return output;
}

}  // namespace forksafe::launcher
