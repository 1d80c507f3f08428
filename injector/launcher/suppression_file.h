// `forksafe run --suppressions FILE`: findings a project accepts. One rule a
// line, three fields separated by blanks, each a glob (fnmatch); '#' starts
// a comment:
//
//   # rule              program          where
//   runtime-no-exec     */bin/dash       *
//   runtime-unsafe-call *                */prefork.c:*
//
// rule: the finding's rule id; program: the executable of the process that
// made the record (a forked child's is its parent's until exec); where: any
// frame of the finding's stack or Python traceback as "function", "file" or
// "file:line".
#pragma once

#include <istream>
#include <string>
#include <vector>

#include "common/finding.h"

namespace forksafe::launcher {

struct SuppressionRule {
  std::string rule, program, where;
};

// Returns false and sets *error ("line N: ...") for a line without three fields.
bool parse_suppressions(std::istream& in, std::vector<SuppressionRule>* rules, std::string* error);

// Drops the findings a rule matches; returns how many records they stood for.
size_t apply_suppressions(std::vector<Finding>* findings, const std::vector<SuppressionRule>& rules);

}  // namespace forksafe::launcher
