// The injector's end-to-end tests: `forksafe run` on real programs, through
// the shared harness (harness/run_command.h).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/run_command.h"

namespace forksafe::test {

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

// The properties of a result and of each of its variants (other messages at
// its place: another descriptor leaked at the same exec).
std::vector<nlohmann::json> variants_of(const nlohmann::json& result);
// The same for every result of a rule.
std::vector<nlohmann::json> variants_of(const InjectedRun& run, const std::string& rule);

}  // namespace forksafe::test
