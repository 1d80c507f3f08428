// `forksafe analyze --fix`: applies the findings' mechanical fixes to the
// sources, clang-apply-replacements' way: identical edits once, a fix that
// overlaps or conflicts with one already taken is skipped with a note, and
// each file is replaced whole (common/output_file.h's replace_file: regular
// files only, never a symlink or a device, mode kept).
#pragma once

#include <string>
#include <vector>

#include "common/finding.h"

namespace forksafe::analyzer {

struct FixOutcome {
  size_t applied = 0;               // fixes applied
  size_t files = 0;                 // files changed
  std::vector<std::string> notes;   // fixes skipped: "FILE:LINE:COL: ..."
  std::vector<std::string> errors;  // files that could not be changed: one line each
};

FixOutcome apply_fixes(const std::vector<Finding>& findings);

// Whether two edits of one file overlap or conflict (identical ones do not).
bool edits_conflict(const Replacement& a, const Replacement& b);

}  // namespace forksafe::analyzer
