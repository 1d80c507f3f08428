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
  std::vector<Reach> reaches;      // what each of those calls reaches
};

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

}  // namespace forksafe::analyzer
