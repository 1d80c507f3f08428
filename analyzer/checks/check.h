// A check turns one fork-to-exec window, with what its calls reach, into
// findings of one rule. One rule, one small unit; checks.cc lists them all.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/program.h"
#include "common/finding.h"

namespace forksafe::analyzer {

struct WindowFacts {
  const Window& window;
  const std::vector<Call>& calls;  // the calls in the window, in order
  Reach reach;                     // what those calls reach
};

// At most this many findings of one rule per window; then one "and N more".
inline constexpr size_t kMaxLeavesPerWindow = 100;

struct Check {
  std::string_view rule;  // a rule id of common/rules.h
  void (*run)(const Program& program, const WindowFacts& facts, std::vector<Finding>* out);
};

std::span<const Check> all_checks();

// Shared by the checks: a finding of `rule` at the call that starts `chain`,
// with the chain from the fork site down as evidence.
Finding window_finding(std::string_view rule, const Window& window, const Chain& chain, std::string message);
std::string quoted(const std::string& name);
// "the child of fork()", "the child function of clone()"
std::string child_of(const Window& window);
// The findings for `leaves` (capped), each made by `make`, and a note for what the cap left out.
void leaf_findings(std::string_view rule, const WindowFacts& facts, const std::vector<Leaf>& leaves,
                   Finding (*make)(const WindowFacts&, const Leaf&), std::vector<Finding>* out);

}  // namespace forksafe::analyzer
