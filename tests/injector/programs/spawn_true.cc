// Spawns /bin/true N times from C++, one after the other, with fork + execv
// (nothing runs in the child but exec) or posix_spawn. Used by
// bench/inject_bench.sh. Usage: spawn_true N fork|posix_spawn
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string_view>

extern char** environ;

int main(int argc, char** argv) {
  int count = argc > 1 ? std::atoi(argv[1]) : 1000;
  bool use_fork = argc > 2 && std::string_view(argv[2]) == "fork";
  char* child_argv[] = {const_cast<char*>("true"), nullptr};
  for (int i = 0; i < count; ++i) {
    pid_t pid;
    if (use_fork) {
      pid = fork();
      if (pid == 0) {
        execv("/bin/true", child_argv);
        _exit(127);
      }
    } else if (posix_spawn(&pid, "/bin/true", nullptr, nullptr, child_argv, environ) != 0) {
      return 1;
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0) return 1;
  }
  return 0;
}
