// Source comments that silence findings, as clang-tidy spells them with the
// "forksafe-" prefix: NOLINT, NOLINT(forksafe-RULE,...), NOLINTNEXTLINE(...),
// NOLINTBEGIN(...) ... NOLINTEND(...). "forksafe-*" names every rule.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/finding.h"

namespace forksafe::analyzer {

class Suppressions {
 public:
  // True when a comment at the finding's location silences it.
  bool suppressed(const Finding& finding);

 private:
  const std::vector<std::string>& lines(const std::string& file);
  std::map<std::string, std::vector<std::string>> files_;
};

// Whether a NOLINT-family comment on `line` with `marker` ("NOLINT",
// "NOLINTNEXTLINE", ...) names `rule`.
bool names_rule(const std::string& line, const std::string& marker, const std::string& rule);

}  // namespace forksafe::analyzer
