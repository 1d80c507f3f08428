// The rule registry: stable ids (SARIF ruleId), default levels, descriptions
// and the fix each rule suggests. One table, read by every part.
#pragma once

#include <span>
#include <string_view>

#include "common/finding.h"

namespace forksafe {

struct Rule {
  std::string_view id;
  Level default_level;
  std::string_view short_description;  // one line, SARIF shortDescription
  std::string_view help;               // a paragraph, SARIF help / fullDescription
  std::string_view fix;                // the generic suggested fix
};

std::span<const Rule> all_rules();
const Rule* find_rule(std::string_view id);  // nullptr when unknown

}  // namespace forksafe
