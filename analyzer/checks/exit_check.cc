// fork-exit: exit() (directly, through calls, or a return from main) in the
// child runs atexit handlers and flushes the parent's copied stdio buffers.
#include "analyzer/checks/check.h"

namespace forksafe::analyzer {

void check_exit(const Program&, const WindowFacts& facts, std::vector<Finding>* out) {
  if (facts.window.kind == "vfork") return;
  bool reported_end = false;
  for (const Reach& r : facts.reaches) {
    if (!r.exit) continue;
    const Chain& chain = r.exit->chain;
    std::string message = chain.size() == 1 ? quoted(chain.back()->name) + " in " + child_of(facts.window) +
                                                  " runs atexit handlers and flushes stdio buffers copied from "
                                                  "the parent"
                                            : quoted(chain.front()->name) + " calls " + quoted(chain.back()->name) +
                                                  " in " + child_of(facts.window) + ", which runs atexit handlers";
    reported_end |= chain.front()->where.line == facts.window.end_where.line;
    out->push_back(window_finding("fork-exit", facts.window, chain, message));
  }
  if (facts.window.end == WindowEnd::exits && !reported_end) {
    Finding f = window_finding("fork-exit", facts.window, {},
                               "the child of " + facts.window.kind +
                                   "() returns from main, which runs atexit handlers like exit()");
    f.location = facts.window.end_where;
    f.chain.push_back({facts.window.end_where, "returns from main here"});
    out->push_back(std::move(f));
  }
}

}  // namespace forksafe::analyzer
