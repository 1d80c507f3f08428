#include "scenarios/spawner.h"

#include <limits.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

namespace forksafe::scenarios {

pid_t broken_run_in_background(const spawn::Options& command, const Window& window, bool ensurestart) {
  std::vector<char*> argv;
  for (const auto& arg : command.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  pid_t first = fork();
  if (first < 0) return -1;
  if (first == 0) {
    setsid();
    if (window.after_setsid) window.after_setsid();
    int null_fd = window.open_devnull("/dev/null");
    const spawn::Stdio* slots[3] = {&command.in, &command.out, &command.err};
    for (int slot = 0; slot < 3; ++slot) {
      if (slots[slot]->kind == spawn::Stdio::Kind::null) dup2(null_fd, slot);
      if (slots[slot]->kind == spawn::Stdio::Kind::fd) dup2(slots[slot]->fd, slot);
    }
    if (fork() == 0) {
      execvp(argv[0], argv.data());
      window.exit_after_failed_exec(127);
    }
    window.exit_first_child(0);
  }
  if (!ensurestart) return first;
  while (waitpid(first, nullptr, 0) < 0 && errno == EINTR) {
  }
  return -1;
}

Spawner spawner_from_args(int argc, char** argv) {
  if (argc == 2 && std::string_view(argv[1]) == "--spawner=broken") return Spawner::broken;
  if (argc == 2 && std::string_view(argv[1]) == "--spawner=fixed") return Spawner::fixed;
  std::fprintf(stderr, "usage: %s --spawner=broken|fixed\n", argc > 0 ? argv[0] : "scenario");
  std::exit(2);
}

std::string run_in_background(Spawner spawner, const spawn::Options& command, const Window& window) {
  if (spawner == Spawner::broken) {
    broken_run_in_background(command, window, /*ensurestart=*/true);
    return "";
  }
  auto started = spawn::spawn_detached(command);
  return started ? "" : started.message();
}

std::string program_dir() {
  char path[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0) return ".";
  std::string exe(path, n);
  return exe.substr(0, exe.rfind('/'));
}

}  // namespace forksafe::scenarios
