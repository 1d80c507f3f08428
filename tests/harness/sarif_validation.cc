#include "harness/sarif_validation.h"

#include <regex>
#include <sstream>

#include "harness/run_command.h"

namespace forksafe::test {

std::vector<std::string> sarif_problems(const std::string& multitool, const std::string& path, std::string* report) {
  Outcome validation = run_command({multitool, "validate", "--rule-kind", "Sarif;Gh", path}, 240);
  *report = validation.stdout_text + validation.stderr_text;
  std::vector<std::string> problems;
  if (validation.status != 0) problems.push_back("the multitool exited with " + std::to_string(validation.status));
  static const std::regex problem(R"(: (error|warning) [A-Z]+\d+:)");
  std::istringstream lines(validation.stdout_text);
  for (std::string line; std::getline(lines, line);) {
    if (std::regex_search(line, problem)) problems.push_back(line);
  }
  return problems;
}

}  // namespace forksafe::test
