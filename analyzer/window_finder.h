// Finds the fork-to-exec windows of one function by following the fork result
// through its control-flow graph (clang's CFG): a forward data-flow pass per
// fork site tracks where the result lives (locals, parameters' pointees,
// members, array elements, bools derived from it) and which side of each
// branch the child is on. The child window is every CFG element the child
// reaches until the process ends (_exit, exec's failure path ending in
// _exit, abort, a noreturn call, a function known never to return); a child
// path that returns or falls into code the parent runs too leaves the window.
// A function that hands the child its fork result (returns it, or stores it
// through a pointer parameter or in *this) is fork-like for its callers.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/Analysis/CFG.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "analyzer/summary.h"

namespace forksafe::analyzer {

// What makes a call a fork, beyond fork, vfork and _Fork.
struct ForkKnowledge {
  // --fork-like NAME[=VALUE] (plain or qualified): what it returns in the
  // child (0 unless told: Qt's forkfd returns -2).
  std::map<std::string, long long> names;
  std::map<std::string, std::string> functions;   // USR -> FunctionSummary::fork_result
  std::map<std::string, std::string> kinds;       // USR -> "fork", "vfork", "_Fork"
  std::map<std::string, std::string> pointers;    // USR of a variable or field holding fork/vfork -> kind
  std::set<std::string> never_return;             // USRs of functions no path of which returns
};

struct FunctionWindows {
  std::vector<Window> windows;            // with their calls; tu left empty
  std::string fork_result;                // how a caller's child gets the fork result ("" none)
  std::string fork_kind;
  std::set<const clang::CFGElement*> in_window;  // what runs in some child window
  std::set<std::string> used;             // USRs of fork-like functions and pointers relied on
};

FunctionWindows find_windows(const clang::FunctionDecl* fn, const std::string& name, const clang::CFG& cfg,
                             clang::ASTContext& ctx, const ForkKnowledge& known);

// Whether no path of the function returns: every path ends in a call that
// ends the process (by attribute, by name, or in `known.never_return`).
bool never_returns(const clang::CFG& cfg, const ForkKnowledge& known);

// The blocks reachable from the entry (constant conditions, if constexpr and
// code after a return are not).
std::vector<const clang::CFGBlock*> reachable_blocks(const clang::CFG& cfg);

}  // namespace forksafe::analyzer
