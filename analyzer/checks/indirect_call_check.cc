// fork-indirect-call: a call through a function pointer, virtual function or
// callable in the window (or reached from it): code nobody can check.
#include "analyzer/checks/check.h"

namespace forksafe::analyzer {
namespace {

Finding indirect_finding(const WindowFacts& facts, const Leaf& leaf) {
  const Chain& chain = leaf.chain;
  std::string through = "a call through " + quoted(chain.back()->name);
  std::string message = chain.size() == 1 ? through + " runs unknown code in " + child_of(facts.window)
                                          : quoted(chain.front()->name) + " makes " + through + ", unknown code, in " +
                                                child_of(facts.window);
  return window_finding("fork-indirect-call", facts.window, chain, message);
}

}  // namespace

void check_indirect_call(const Program&, const WindowFacts& facts, std::vector<Finding>* out) {
  if (facts.window.shared_memory) return;
  leaf_findings("fork-indirect-call", facts, facts.reach.indirect, indirect_finding, out);
}

}  // namespace forksafe::analyzer
