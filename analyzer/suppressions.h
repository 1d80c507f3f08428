// Source comments that silence findings, as clang-tidy spells them with the
// "forksafe-" prefix: NOLINT, NOLINT(GLOBS), NOLINTNEXTLINE(GLOBS),
// NOLINTBEGIN(GLOBS) ... NOLINTEND(GLOBS), where GLOBS is a clang-tidy glob
// list (analyzer/glob_list.h): `forksafe-fork-*`, `forksafe-*,-forksafe-fd-*`.
#pragma once

#include <string>
#include <vector>

#include "analyzer/source_lines.h"
#include "common/finding.h"

namespace forksafe::analyzer {

class Suppressions {
 public:
  // True when a comment at the finding's location silences it.
  bool suppressed(const Finding& finding);

 private:
  SourceLines sources_;
};

// The glob lists of the NOLINT-family comments on `line` with `marker`
// ("NOLINT", "NOLINTNEXTLINE", ...), in order; "*" for one without a list.
std::vector<std::string> directives(const std::string& line, const std::string& marker);

// Whether a comment on `line` with `marker` names `rule` (an id, without the prefix).
bool names_rule(const std::string& line, const std::string& marker, const std::string& rule);

}  // namespace forksafe::analyzer
