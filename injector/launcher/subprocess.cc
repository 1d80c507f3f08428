#include "injector/launcher/subprocess.h"

#include "injector/launcher/tree_watch.h"

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

namespace {

int decode(int status) { return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status); }

bool is_interrupt(int signal) { return signal == SIGINT || signal == SIGTERM || signal == SIGHUP || signal == SIGQUIT; }

// Starts argv with the default disposition and an empty mask for the signals
// the launcher itself blocks and handles.
pid_t start(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  std::vector<char*> args = c_strings(argv);
  std::vector<char*> envp = c_strings(env);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t defaults, mask;
  sigemptyset(&defaults);
  for (int signal : {SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD}) sigaddset(&defaults, signal);
  sigemptyset(&mask);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setsigmask(&attributes, &mask);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  pid_t pid;
  int error = posix_spawnp(&pid, args[0], nullptr, &attributes, args.data(), envp.data());
  posix_spawnattr_destroy(&attributes);
  return error != 0 ? -1 : pid;
}

}  // namespace

int supervise(const std::vector<std::string>& argv, const std::vector<std::string>& env, Supervision* s) {
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  // Signals are taken synchronously (sigtimedwait): the child's end, an
  // interrupt to forward, or a quarter second without either for the tick.
  sigset_t watched, previous;
  sigemptyset(&watched);
  for (int signal : {SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD}) sigaddset(&watched, signal);
  pthread_sigmask(SIG_BLOCK, &watched, &previous);
  pid_t command = start(argv, env);
  int status = -1;
  bool command_done = command < 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(s->grace_seconds);
  while (command >= 0) {
    int reaped_status;
    pid_t reaped;
    while ((reaped = waitpid(-1, &reaped_status, WNOHANG)) > 0) {
      if (reaped != command) continue;
      status = decode(reaped_status);
      command_done = true;
      deadline = std::chrono::steady_clock::now() + std::chrono::seconds(s->grace_seconds);
    }
    if (command_done && (reaped < 0 || std::chrono::steady_clock::now() >= deadline)) break;  // ECHILD: none left
    timespec quarter = {0, 250'000'000};
    siginfo_t info;
    int signal = sigtimedwait(&watched, &info, &quarter);
    if (is_interrupt(signal)) {
      s->interrupted_by = signal;
      // A terminal's signal reached the whole foreground group already; one
      // sent to us alone (a CI runner's kill) goes on to the command's tree.
      if (info.si_code == SI_USER || info.si_code == SI_QUEUE) {
        for (pid_t pid : descendants(getpid())) kill(pid, signal);
      }
      auto soon = std::chrono::steady_clock::now() + std::chrono::seconds(2);
      if (command_done && soon < deadline) deadline = soon;
    } else if (signal < 0) {
      if (s->tick) s->tick();
      if (command_done && s->settled && s->settled()) break;
    }
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  // Adopted descendants are our children now: /proc/self/task/*/children
  // lists them, without a scan of every process as descendants() makes.
  s->still_running = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task", error)) {
    std::ifstream children(entry.path() / "children");
    for (pid_t pid; children >> pid;) ++s->still_running;
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
