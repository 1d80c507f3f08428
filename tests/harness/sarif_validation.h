// Validation of the SARIF the project writes with the SARIF Multitool (from
// npm into tools/node_modules by scripts/setup.sh), with its SARIF rules and
// GitHub code scanning's (`--rule-kind "Sarif;Gh"`). Tests name its native
// program: the npm wrapper runs it through a shell, which splits "Sarif;Gh".
#pragma once

#include <string>
#include <vector>

namespace forksafe::test {

// The multitool's error and warning lines about the log at `path` (its notes
// are advice, not problems); *report gets its whole output.
std::vector<std::string> sarif_problems(const std::string& multitool, const std::string& path, std::string* report);

}  // namespace forksafe::test
