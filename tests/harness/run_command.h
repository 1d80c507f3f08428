// Runs real commands for the end-to-end tests: each in its own process group
// with only descriptors 0-2 open (stdin from /dev/null, stdout and stderr kept),
// under a deadline, and the whole group is killed afterwards, so no test
// leaves a process behind.
#pragma once

#include <string>
#include <vector>

namespace forksafe::test {

struct Outcome {
  int status = -1;          // exit status, 128 + signal, or -1 when it timed out
  std::string stdout_text;  // what the command wrote on stdout
  std::string stderr_text;  // what the command wrote on stderr
};

// Runs argv; extra_env entries ("NAME=value") are added to the environment.
Outcome run_command(const std::vector<std::string>& argv, int timeout_seconds = 90,
                    const std::vector<std::string>& extra_env = {});

// A new, empty directory under the temporary directory, named PREFIX-XXXXXX.
std::string make_temp_directory(const std::string& prefix);

std::string read_file(const std::string& path);  // empty when it cannot be read

}  // namespace forksafe::test
