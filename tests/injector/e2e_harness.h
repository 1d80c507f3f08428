// Runs real commands for the injector's end-to-end tests: each in its own
// process group with only descriptors 0-2 open, under a deadline, and the
// whole group is killed afterwards, so no test leaves a process behind.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace forksafe::test {

struct Outcome {
  int status = -1;          // exit status, 128 + signal, or -1 when it timed out
  std::string stderr_text;  // what the command wrote on stderr
};

// Runs argv; extra_env entries ("NAME=value") are added to the environment.
Outcome run_command(const std::vector<std::string>& argv, int timeout_seconds = 90,
                    const std::vector<std::string>& extra_env = {});

// `forksafe run OPTIONS -o SARIF --log LOG -- COMMAND` in a fresh directory.
struct InjectedRun {
  Outcome outcome;
  nlohmann::json sarif;                // the -o file
  std::vector<nlohmann::json> records; // the --log file, one record per line
  std::vector<nlohmann::json> results(const std::string& rule) const;
};
InjectedRun forksafe_run(const std::vector<std::string>& options, const std::vector<std::string>& command,
                         int timeout_seconds = 90);

std::string program(const std::string& name);  // a test program built in programs/

}  // namespace forksafe::test
