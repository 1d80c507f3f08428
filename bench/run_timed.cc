// Runs a command once, with only descriptors 0-2 open (anything else the
// benchmark inherited would show up as a leak in every child under the
// injector), and appends "WALL_US CPU_US" to a file: wall time, and the user
// plus system time of the whole process tree it waited for. The command's
// exit status is passed on. Used by bench/inject_bench.sh.
// Usage: run_timed TIMES_FILE COMMAND [ARG...]
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>

extern char** environ;

namespace {

long micros(const timeval& t) { return t.tv_sec * 1000000L + t.tv_usec; }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: run_timed TIMES_FILE COMMAND [ARG...]\n");
    return 2;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  auto start = std::chrono::steady_clock::now();
  pid_t pid;
  if (posix_spawnp(&pid, argv[2], &actions, nullptr, argv + 2, environ) != 0) {
    std::fprintf(stderr, "run_timed: cannot run %s\n", argv[2]);
    return 2;
  }
  int status;
  rusage usage;
  if (wait4(pid, &status, 0, &usage) != pid) return 2;
  auto wall = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
  // The tree: the command's own rusage covers the descendants it waited for.
  std::FILE* out = std::fopen(argv[1], "a");
  if (!out) return 2;
  std::fprintf(out, "%ld %ld\n", static_cast<long>(wall.count()), micros(usage.ru_utime) + micros(usage.ru_stime));
  std::fclose(out);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
