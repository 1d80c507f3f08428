// fork-indirect-call: a call through a function pointer, virtual function or
// callable in the window (or reached from it): code nobody can check.
#include "analyzer/checks/check.h"

namespace forksafe::analyzer {

void check_indirect_call(const Program&, const WindowFacts& facts, std::vector<Finding>* out) {
  if (facts.window.kind == "vfork") return;
  for (const Reach& r : facts.reaches) {
    if (!r.indirect) continue;
    const Chain& chain = r.indirect->chain;
    std::string through = "a call through " + quoted(chain.back()->name);
    std::string message = chain.size() == 1
                              ? through + " runs unknown code in " + child_of(facts.window)
                              : quoted(chain.front()->name) + " makes " + through + ", unknown code, in " +
                                    child_of(facts.window);
    out->push_back(window_finding("fork-indirect-call", facts.window, chain, message));
  }
}

}  // namespace forksafe::analyzer
