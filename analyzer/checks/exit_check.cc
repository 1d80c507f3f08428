// fork-exit: exit() (directly, through calls, or a return from main) in the
// child runs atexit handlers and flushes the parent's copied stdio buffers.
#include "analyzer/checks/check.h"

namespace forksafe::analyzer {
namespace {

Finding exit_finding(const WindowFacts& facts, const Leaf& leaf) {
  const Chain& chain = leaf.chain;
  std::string message = chain.size() == 1 ? quoted(chain.back()->name) + " in " + child_of(facts.window) +
                                                " runs atexit handlers and flushes stdio buffers copied from the parent"
                                          : quoted(chain.front()->name) + " calls " + quoted(chain.back()->name) +
                                                " in " + child_of(facts.window) + ", which runs atexit handlers";
  Finding f = window_finding("fork-exit", facts.window, chain, message);
  // Only for exit() called in the window itself: a helper that calls it may
  // run in the parent too.
  if (chain.size() == 1) f.edits = chain.back()->fix;
  return f;
}

}  // namespace

void check_exit(const Program&, const WindowFacts& facts, std::vector<Finding>* out) {
  if (facts.window.shared_memory) return;
  leaf_findings("fork-exit", facts, facts.reach.exit, exit_finding, out);
  for (const WindowLeave& leave : facts.window.leaves) {
    if (leave.how != WindowEnd::exits) continue;
    Finding f = window_finding("fork-exit", facts.window, {},
                               "the child of " + facts.window.kind +
                                   "() returns from main, which runs atexit handlers like exit()");
    f.location = leave.where;
    f.chain.push_back({leave.where, "returns from main here"});
    out->push_back(std::move(f));
  }
}

}  // namespace forksafe::analyzer
