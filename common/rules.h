// The rule registry: stable ids (SARIF ruleId), default levels, descriptions,
// the fix each rule suggests and what GitHub code scanning shows of a rule
// (help in Markdown from common/data/help/RULE.md, tags, precision, severity).
// One table, read by every part.
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
  std::string_view precision;          // SARIF/GitHub: very-high, high, medium or low
  // GitHub's security-severity score (0.1-10.0: low < 4, medium < 7, high < 9);
  // every rule here is a hang or a data-corruption risk.
  std::string_view security_severity;
  std::string_view tags;               // space-separated, e.g. "reliability external/cwe/cwe-403"
};

std::span<const Rule> all_rules();
const Rule* find_rule(std::string_view id);  // nullptr when unknown
// The rule's help in Markdown (what, why, how to fix, an example); "" when none.
std::string_view help_markdown(std::string_view id);

}  // namespace forksafe
