// Runs a command to its end with the fixed spawner and keeps what it printed:
// the end-to-end tests' way of running the forksafe binary.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "spawn/spawn.h"

namespace forksafe::testing {

struct CommandOutput {
  pid_t pid = -1;
  int exit_code = -1;  // -1 when it did not exit normally
  std::string out, err;
};

inline std::string read_to_end(int fd) {
  std::string text;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, n);
  close(fd);
  return text;
}

// stdout is read to its end before stderr: for commands that say little on
// stderr (less than a pipe buffer).
inline CommandOutput run_command(const std::vector<std::string>& argv) {
  spawn::Options options;
  options.argv = argv;
  options.in = spawn::Stdio::null();
  options.out = options.err = spawn::Stdio::pipe();
  CommandOutput result;
  auto started = spawn::spawn(options);
  if (!started) {
    result.err = started.message();
    return result;
  }
  result.pid = started.child.pid;
  result.out = read_to_end(started.child.out);
  result.err = read_to_end(started.child.err);
  int status = 0;
  waitpid(result.pid, &status, 0);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

}  // namespace forksafe::testing
