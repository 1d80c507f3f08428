// fork-unsafe-call: a function that is not async-signal-safe runs in the
// window, directly or through calls. One finding per distinct call site
// reached, with a shortest chain from the window: known-unsafe functions
// (warning), and functions not known to be safe (note).
#include "analyzer/checks/check.h"

namespace forksafe::analyzer {
namespace {

Finding unsafe_finding(const WindowFacts& facts, const Leaf& leaf, bool known_unsafe) {
  const Call& first = *leaf.chain.front();
  const Call& last = *leaf.chain.back();
  std::string what = known_unsafe ? "is not async-signal-safe (" + leaf.reason + ")"
                     : leaf.reason == "searches PATH"
                         ? "searches PATH and is not on the POSIX async-signal-safe list"
                         : "is not known to be async-signal-safe (" + leaf.reason + ")";
  std::string message = leaf.chain.size() == 1
                            ? quoted(last.name) + " " + what + " and runs in " + child_of(facts.window)
                            : quoted(first.name) + " calls " + quoted(last.name) + ", which " + what + ", in " +
                                  child_of(facts.window);
  Finding f = window_finding("fork-unsafe-call", facts.window, leaf.chain, message);
  if (!known_unsafe) f.level = Level::note;
  f.properties["reason"] = leaf.reason;
  return f;
}

Finding known_unsafe(const WindowFacts& facts, const Leaf& leaf) { return unsafe_finding(facts, leaf, true); }
Finding not_known_safe(const WindowFacts& facts, const Leaf& leaf) { return unsafe_finding(facts, leaf, false); }

}  // namespace

void check_unsafe_call(const Program&, const WindowFacts& facts, std::vector<Finding>* out) {
  if (facts.window.shared_memory) return;  // vfork-child covers every call
  leaf_findings("fork-unsafe-call", facts, facts.reach.unsafe, known_unsafe, out);
  leaf_findings("fork-unsafe-call", facts, facts.reach.unknown, not_known_safe, out);
}

}  // namespace forksafe::analyzer
